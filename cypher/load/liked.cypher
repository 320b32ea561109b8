// (:User)-[:LIKED {event_id, at, count}]->(:Stream),
// one per event, keyed by event_id: a re-run adds nothing.
// $rows: [{event_id, user_id, stream_id, at (ISO 8601 text), count}]
// Idempotent without MERGE: the rows whose event_id is already in the database are
// dropped first (an index seek each, forced by the hint, all of them before any
// write, as collect() is eager), then the rest are created. A MERGE here is
// planned with that index or with Expand(Into) depending on the statistics when
// it is compiled, and on a fresh database a batch of 16,000 rows took minutes
// instead of under a second (benchmarks/bench_neo4j_load.py).
UNWIND $rows AS row
OPTIONAL MATCH ()-[x:LIKED {event_id: row.event_id}]->()
USING INDEX x:LIKED(event_id)
WITH row, x
WHERE x IS NULL
WITH collect(row) AS fresh
UNWIND fresh AS row
MATCH (u:User {id: row.user_id})
MATCH (t:Stream {id: row.stream_id})
CREATE (u)-[r:LIKED {event_id: row.event_id}]->(t)
SET r.at = localdatetime(row.at), r.count = row.count;
