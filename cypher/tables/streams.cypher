// The streams table back from the graph, as `rows` (see ad_spend.cypher).
MATCH (h:Streamer)-[:HOSTED]->(n:Stream)
WITH h, n, duration.inSeconds(localdatetime('1970-01-01T00:00'), n.started_at) AS started,
     duration.inSeconds(localdatetime('1970-01-01T00:00'), n.ended_at) AS ended
ORDER BY n.id
RETURN collect([n.id, h.id, started.seconds * 1000000000 + started.nanosecondsOfSecond,
                ended.seconds * 1000000000 + ended.nanosecondsOfSecond, n.category]) AS rows;
