// The tasks table back from the graph.
MATCH (n:Task)
RETURN n.id AS task_id, n.kind AS kind, n.threshold AS threshold,
       n.reward_coins AS reward_coins, n.reward_coupon AS reward_coupon
ORDER BY task_id;
