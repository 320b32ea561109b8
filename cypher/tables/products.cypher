// The products table back from the graph.
MATCH (a:Advertiser)-[:SELLS]->(n:Product)
RETURN n.id AS product_id, a.id AS advertiser_id, n.price AS price, n.category AS category
ORDER BY product_id;
