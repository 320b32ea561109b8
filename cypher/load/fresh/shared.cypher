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
// (:User)-[:SHARED {event_id, at, channel}]->(:Stream), one per event,
// in a fresh-database load, by plain CREATE: the progress record of the load
// (progress_step.cypher, the start of the same query) makes each row written once, so no key
// is checked. $src, $dst: internal ids of the two ends (from
// node_ids.cypher, labels checked); the other parameters are columns, one value per row.
// Returns the rows written, which the loader checks against the batch.
// Columns: $event_id, $at (microseconds since 1970-01-01T00:00), $channel.
UNWIND range(0, size($src) - 1) AS i
MATCH (u:User) WHERE id(u) = $src[i]
MATCH (s:Stream) WHERE id(s) = $dst[i]
CREATE (u)-[:SHARED {
  event_id: $event_id[i],
  at: localdatetime('1970-01-01T00:00:00') + duration({microseconds: $at[i]}),
  channel: $channel[i]
}]->(s)
RETURN count(*) AS n;
