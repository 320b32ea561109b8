// The start of every write of rows (nodes, relationships) of a fresh-database load:
// each write file of this folder begins with exactly these lines (tests/test_mapping.py
// checks it), so that the guard and the write run as one query. It
// moves part $progress_part of the load of $progress_log from row $progress_start to
// row $progress_end, and lets the write run only when the part was at $progress_start
// (the parameters are named apart from the write's own): when it was not (the rows were written
// already, by a commit that landed although its answer was lost, or another load is
// writing), no row is written and the query returns 0 rows written; the loader then
// reads where the part is. One query instead of two (progress_advance.cypher, which
// the referral batches use, as they may make no edge) saves a round trip per batch.
// $progress_node: the record's internal id, as $node in progress_advance.cypher.
MATCH (m:GraphmodelLoad)
WHERE id(m) = $progress_node AND m.log = $progress_log AND m.part = $progress_part
  AND m.pos = $progress_start
SET m.pos = $progress_end
WITH count(m) AS advanced
WHERE advanced = 1
// Product nodes and (:Advertiser)-[:SELLS]->(:Product) of a fresh-database load.
// Columns: $product_id, $advertiser_id, $price, $category.
UNWIND range(0, size($product_id) - 1) AS i
MATCH (a:Advertiser {id: $advertiser_id[i]})
CREATE (a)-[:SELLS]->(:Product {id: $product_id[i], price: $price[i], category: $category[i]})
RETURN count(*) AS n;
