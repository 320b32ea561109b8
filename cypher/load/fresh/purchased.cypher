// (:User)-[:PURCHASED {event_id, at, amount, stream_id}]->(:Product), one per event,
// in a fresh-database load, by plain CREATE: the progress record of the load
// (progress_step.cypher, the start of the same query) makes each row written once, so no key
// is checked. $src, $dst: internal ids of the two ends (from
// node_ids.cypher, labels checked); the other parameters are columns, one value per row.
// Returns the rows written, which the loader checks against the batch.
// Columns: $event_id, $at (microseconds since 1970-01-01T00:00), $amount, $stream_id.
UNWIND range(0, size($src) - 1) AS i
MATCH (u:User) WHERE id(u) = $src[i]
MATCH (p:Product) WHERE id(p) = $dst[i]
CREATE (u)-[:PURCHASED {
  event_id: $event_id[i],
  at: localdatetime('1970-01-01T00:00:00') + duration({microseconds: $at[i]}),
  amount: $amount[i],
  stream_id: $stream_id[i]
}]->(p)
RETURN count(*) AS n;
