// (:User)-[:COMPLETED {at, coins, coupon, coupon_redeemed, row}]->(:Task), one per
// task_completions row, keyed by the row number: a re-run adds nothing.
// $rows: [{row, user_id, task_id, at (ISO 8601 text), coins, coupon, coupon_redeemed}]
// Idempotent without MERGE: the rows whose row is already in the database are
// dropped first (an index seek each, forced by the hint, all of them before any
// write, as collect() is eager), then the rest are created. A MERGE here is
// planned with that index or with Expand(Into) depending on the statistics when
// it is compiled, and on a fresh database a batch of 16,000 rows took minutes
// instead of under a second (benchmarks/bench_neo4j_load.py).
UNWIND $rows AS row
OPTIONAL MATCH ()-[x:COMPLETED {row: row.row}]->()
USING INDEX x:COMPLETED(row)
WITH row, x
WHERE x IS NULL
WITH collect(row) AS fresh
UNWIND fresh AS row
MATCH (u:User {id: row.user_id})
MATCH (t:Task {id: row.task_id})
CREATE (u)-[r:COMPLETED {row: row.row}]->(t)
SET r.at = localdatetime(row.at), r.coins = row.coins, r.coupon = row.coupon,
    r.coupon_redeemed = row.coupon_redeemed;
