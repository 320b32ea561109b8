// Product nodes and (:Advertiser)-[:SELLS]->(:Product). $rows: [{product_id, advertiser_id, price, category}]
UNWIND $rows AS row
MATCH (a:Advertiser {id: row.advertiser_id})
MERGE (n:Product {id: row.product_id})
SET n.price = row.price, n.category = row.category
MERGE (a)-[:SELLS]->(n);
