// Task nodes of a fresh-database load.
// Columns: $task_id, $kind, $threshold, $reward_coins, $reward_coupon.
UNWIND range(0, size($task_id) - 1) AS i
CREATE (:Task {id: $task_id[i], kind: $kind[i], threshold: $threshold[i],
               reward_coins: $reward_coins[i], reward_coupon: $reward_coupon[i]})
RETURN count(*) AS n;
