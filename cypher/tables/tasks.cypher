// The tasks table back from the graph, as `rows` (see ad_spend.cypher).
MATCH (n:Task)
WITH n ORDER BY n.id
RETURN collect([n.id, n.kind, n.threshold, n.reward_coins, n.reward_coupon]) AS rows;
