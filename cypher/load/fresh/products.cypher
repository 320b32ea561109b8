// Product nodes and (:Advertiser)-[:SELLS]->(:Product) of a fresh-database load.
// Columns: $product_id, $advertiser_id, $price, $category.
UNWIND range(0, size($product_id) - 1) AS i
MATCH (a:Advertiser {id: $advertiser_id[i]})
CREATE (a)-[:SELLS]->(:Product {id: $product_id[i], price: $price[i], category: $category[i]})
RETURN count(*) AS n;
