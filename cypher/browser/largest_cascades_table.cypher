// The largest referral cascades (MODEL.md section 6), as a table.
// Run first in the Browser:
//   :param limit => 10
// A cascade is one tree of REFERRED edges of one stream, rooted at a user who
// shared in that stream without having been referred there; a share that
// brought nobody is a cascade of size 1. Only edges whose stream_id is the
// cascade's stream are followed, at every hop.
// Returns root_id, stream_id, size (users, root included), depth (0 for size 1),
// largest first (ties: deeper first, then by stream_id and root_id).
MATCH (root:User)-[:SHARED]->(s:Stream)
WHERE NOT EXISTS { MATCH (:User)-[r:REFERRED]->(root) WHERE r.stream_id = s.id }
WITH DISTINCT root, s
OPTIONAL MATCH p = (root)(()-[r:REFERRED]->() WHERE r.stream_id = s.id)+(w:User)
WITH root, s, count(DISTINCT w) AS referred, coalesce(max(length(p)), 0) AS depth
RETURN root.id AS root_id, s.id AS stream_id, 1 + referred AS size, depth
ORDER BY size DESC, depth DESC, stream_id, root_id
LIMIT toInteger($limit);
