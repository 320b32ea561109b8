// (:User)-[:FOLLOWS {kind, since}]->(:User|:Streamer), one per directed edge
// (friend rows arrive here already doubled, one row each way).
// $rows: [{source, target, kind, since (ISO 8601 text)}]
UNWIND $rows AS row
MATCH (a:User {id: row.source})
OPTIONAL MATCH (tu:User {id: row.target})
OPTIONAL MATCH (ts:Streamer {id: row.target})
WITH a, row, coalesce(tu, ts) AS b
WHERE b IS NOT NULL
MERGE (a)-[r:FOLLOWS {kind: row.kind}]->(b)
SET r.since = localdatetime(row.since);
