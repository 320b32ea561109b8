// The largest referral cascades (MODEL.md section 6), as paths the Browser draws.
// Run first in the Browser:
//   :param limit => 5
// A cascade is one tree of REFERRED edges of one stream, rooted at a user who
// shared in that stream without having been referred there; a share that
// brought nobody is a cascade of size 1. Only edges whose stream_id is the
// cascade's stream are followed, at every hop.
// One row per cascade, largest first: root_id, stream_id, size (users, root
// included), depth, and paths: the root's SHARED edges to the stream and every
// REFERRED edge of the tree once, as a one-hop path into each other member (a path
// from the root per member would repeat the upper edges, and the Browser's
// "Displaying N nodes, M relationships" counts each repetition).
// The table alone: largest_cascades_table.cypher.
MATCH (root:User)-[:SHARED]->(s:Stream)
WHERE NOT EXISTS { MATCH (:User)-[r:REFERRED]->(root) WHERE r.stream_id = s.id }
WITH DISTINCT root, s
OPTIONAL MATCH p = (root)(()-[r:REFERRED]->() WHERE r.stream_id = s.id)+(w:User)
WITH root, s, count(DISTINCT w) AS referred, coalesce(max(length(p)), 0) AS depth
ORDER BY 1 + referred DESC, depth DESC, s.id, root.id
LIMIT toInteger($limit)
CALL (root, s) {
  MATCH p = (root)-[:SHARED]->(s)
  RETURN p
  UNION ALL
  MATCH (root)(()-[r:REFERRED]->() WHERE r.stream_id = s.id)+(w:User)
  WITH DISTINCT w
  MATCH p = (:User)-[e:REFERRED]->(w)
  WHERE e.stream_id = s.id
  RETURN p
}
WITH root, s, referred, depth, collect(p) AS paths
RETURN root.id AS root_id, s.id AS stream_id, 1 + referred AS size, depth, paths
ORDER BY size DESC, depth DESC, stream_id, root_id;
