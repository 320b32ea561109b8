// The users table back from the graph, as `rows` (see ad_spend.cypher).
MATCH (n:User)
WITH n, duration.inSeconds(localdatetime('1970-01-01T00:00'), n.joined_at) AS joined
ORDER BY n.id
RETURN collect([n.id, joined.seconds * 1000000000 + joined.nanosecondsOfSecond,
                n.segment]) AS rows;
