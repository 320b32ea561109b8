// Task nodes. $rows: [{task_id, kind, threshold, reward_coins, reward_coupon}]
UNWIND $rows AS row
MERGE (n:Task {id: row.task_id})
SET n.kind = row.kind, n.threshold = row.threshold,
    n.reward_coins = row.reward_coins, n.reward_coupon = row.reward_coupon;
