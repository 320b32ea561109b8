// (:Advertiser)-[:SPONSORED {spend, impressions, at, row}]->(:Stream), one per ad_spend
// row,
// in a fresh-database load, by plain CREATE: the progress record of the load
// (progress_step.cypher, the start of the same query) makes each row written once, so no key
// is checked. $src, $dst: internal ids of the two ends (from
// node_ids.cypher, labels checked); the other parameters are columns, one value per row.
// Returns the rows written, which the loader checks against the batch.
// Columns: $row, $spend, $impressions, $at (microseconds since 1970-01-01T00:00).
UNWIND range(0, size($src) - 1) AS i
MATCH (a:Advertiser) WHERE id(a) = $src[i]
MATCH (s:Stream) WHERE id(s) = $dst[i]
CREATE (a)-[:SPONSORED {
  row: $row[i],
  spend: $spend[i],
  impressions: $impressions[i],
  at: CASE WHEN $at[i] IS NULL THEN null
        ELSE localdatetime('1970-01-01T00:00:00') + duration({microseconds: $at[i]}) END
}]->(s)
RETURN count(*) AS n;
