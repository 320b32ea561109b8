// Stream nodes and (:Streamer)-[:HOSTED]->(:Stream) of a fresh-database load.
// Columns: $stream_id, $streamer_id, $started_at, $ended_at (microseconds since
// 1970-01-01T00:00), $duration_s, $category.
UNWIND range(0, size($stream_id) - 1) AS i
MATCH (h:Streamer {id: $streamer_id[i]})
CREATE (h)-[:HOSTED]->(:Stream {
  id: $stream_id[i],
  started_at: localdatetime('1970-01-01T00:00:00') + duration({microseconds: $started_at[i]}),
  ended_at: localdatetime('1970-01-01T00:00:00') + duration({microseconds: $ended_at[i]}),
  duration_s: $duration_s[i],
  category: $category[i]
})
RETURN count(*) AS n;
