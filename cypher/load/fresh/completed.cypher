// (:User)-[:COMPLETED {at, coins, coupon, coupon_redeemed, row}]->(:Task), one per
// task_completions row,
// in a fresh-database load, by plain CREATE: the progress record of the load
// (progress_step.cypher, the start of the same query) makes each row written once, so no key
// is checked. $src, $dst: internal ids of the two ends (from
// node_ids.cypher, labels checked); the other parameters are columns, one value per row.
// Returns the rows written, which the loader checks against the batch.
// Columns: $row, $at (microseconds since 1970-01-01T00:00), $coins, $coupon,
// $coupon_redeemed.
UNWIND range(0, size($src) - 1) AS i
MATCH (u:User) WHERE id(u) = $src[i]
MATCH (t:Task) WHERE id(t) = $dst[i]
CREATE (u)-[:COMPLETED {
  row: $row[i],
  at: localdatetime('1970-01-01T00:00:00') + duration({microseconds: $at[i]}),
  coins: $coins[i],
  coupon: $coupon[i],
  coupon_redeemed: $coupon_redeemed[i]
}]->(t)
RETURN count(*) AS n;
