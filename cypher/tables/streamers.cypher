// The streamers table back from the graph.
MATCH (n:Streamer)
RETURN n.id AS streamer_id, n.name AS name, n.commission_rate AS commission_rate
ORDER BY streamer_id;
