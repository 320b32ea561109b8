// The streamers table back from the graph, as `rows` (see ad_spend.cypher).
MATCH (n:Streamer)
WITH n ORDER BY n.id
RETURN collect([n.id, n.name, n.commission_rate]) AS rows;
