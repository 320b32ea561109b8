// (:User)-[:COMPLETED {at, coins, coupon, coupon_redeemed}]->(:Task), one per task_completions row;
// keyed by the row number. $rows: [{row, user_id, task_id, at, coins, coupon, coupon_redeemed}]
UNWIND $rows AS row
MATCH (u:User {id: row.user_id})
MATCH (t:Task {id: row.task_id})
MERGE (u)-[r:COMPLETED {row: row.row}]->(t)
SET r.at = row.at, r.coins = row.coins, r.coupon = row.coupon, r.coupon_redeemed = row.coupon_redeemed;
