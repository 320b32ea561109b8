// (:User)-[:WATCHED {event_id, at, seconds, via_share}]->(:Stream), one per event,
// in a fresh-database load, by plain CREATE: the progress record of the load
// (progress_step.cypher, the start of the same query) makes each row written once, so no key
// is checked. $src, $dst: internal ids of the two ends (from
// node_ids.cypher, labels checked); the other parameters are columns, one value per row.
// Returns the rows written, which the loader checks against the batch.
// Columns: $event_id, $at (microseconds since 1970-01-01T00:00), $seconds, $via_share.
UNWIND range(0, size($src) - 1) AS i
MATCH (u:User) WHERE id(u) = $src[i]
MATCH (s:Stream) WHERE id(s) = $dst[i]
CREATE (u)-[:WATCHED {
  event_id: $event_id[i],
  at: localdatetime('1970-01-01T00:00:00') + duration({microseconds: $at[i]}),
  seconds: $seconds[i],
  via_share: $via_share[i]
}]->(s)
RETURN count(*) AS n;
