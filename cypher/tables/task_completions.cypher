// The task_completions table back from the graph, in its original row order.
MATCH (u:User)-[r:COMPLETED]->(t:Task)
RETURN u.id AS user_id, t.id AS task_id, r.at AS at, r.coins AS coins,
       r.coupon AS coupon, r.coupon_redeemed AS coupon_redeemed
ORDER BY r.row;
