// Stream nodes and (:Streamer)-[:HOSTED]->(:Stream).
// $rows: [{stream_id, streamer_id, started_at, ended_at (ISO 8601 text), duration_s, category}]
UNWIND $rows AS row
MATCH (h:Streamer {id: row.streamer_id})
MERGE (n:Stream {id: row.stream_id})
SET n.started_at = localdatetime(row.started_at), n.ended_at = localdatetime(row.ended_at),
    n.duration_s = row.duration_s, n.category = row.category
MERGE (h)-[:HOSTED]->(n);
