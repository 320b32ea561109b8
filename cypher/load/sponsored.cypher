// (:Advertiser)-[:SPONSORED {spend, impressions, at, row}]->(:Stream), one per ad_spend row,
// keyed by the row number: a re-run adds nothing.
// $rows: [{row, advertiser_id, stream_id, spend, impressions, at (ISO 8601 text)}]
// Idempotent without MERGE: the rows whose row is already in the database are
// dropped first (an index seek each, forced by the hint, all of them before any
// write, as collect() is eager), then the rest are created. A MERGE here is
// planned with that index or with Expand(Into) depending on the statistics when
// it is compiled, and on a fresh database a batch of 16,000 rows took minutes
// instead of under a second (benchmarks/bench_neo4j_load.py).
UNWIND $rows AS row
OPTIONAL MATCH ()-[x:SPONSORED {row: row.row}]->()
USING INDEX x:SPONSORED(row)
WITH row, x
WHERE x IS NULL
WITH collect(row) AS fresh
UNWIND fresh AS row
MATCH (u:Advertiser {id: row.advertiser_id})
MATCH (t:Stream {id: row.stream_id})
CREATE (u)-[r:SPONSORED {row: row.row}]->(t)
SET r.spend = row.spend, r.impressions = row.impressions, r.at = localdatetime(row.at);
