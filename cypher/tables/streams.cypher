// The streams table back from the graph.
MATCH (h:Streamer)-[:HOSTED]->(n:Stream)
RETURN n.id AS stream_id, h.id AS streamer_id, n.started_at AS started_at,
       n.ended_at AS ended_at, n.category AS category
ORDER BY stream_id;
