// The products table back from the graph, as `rows` (see ad_spend.cypher).
MATCH (a:Advertiser)-[:SELLS]->(n:Product)
WITH a, n ORDER BY n.id
RETURN collect([n.id, a.id, n.price, n.category]) AS rows;
