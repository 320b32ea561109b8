// Referral paths (MODEL.md 5.5; graphmodel.engines.memory.paths.PATH_COLUMNS), by traversal of
// REFERRED edges on the server: one row per referred arrival (user w in stream s) and
// each ancestor a on w's path in s. hops = REFERRED edges from a down to w (1 for the
// direct referrer); depth = length of w's whole path from its cascade's root, the user
// with no REFERRED edge into it in s. Only edges of stream s are followed, at every hop.
MATCH (root:User)-[first:REFERRED]->(:User)
WHERE NOT EXISTS { MATCH (:User)-[r:REFERRED]->(root) WHERE r.stream_id = first.stream_id }
WITH DISTINCT root, first.stream_id AS sid
MATCH p = (root)(()-[r:REFERRED]->() WHERE r.stream_id = sid)+(w:User)
WITH sid, w, nodes(p) AS chain, length(p) AS depth
UNWIND range(1, depth) AS hops
RETURN w.id AS user_id, sid AS stream_id, chain[depth - hops].id AS ancestor_id, hops, depth
ORDER BY stream_id, user_id, hops;
