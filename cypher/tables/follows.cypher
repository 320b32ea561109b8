// The follows table back from the graph, as `rows` (see ad_spend.cypher): each follow
// relationship, and each friend pair once (a friend pair is two FOLLOWS relationships, one
// each way; the row keeps the smaller id first).
MATCH (a:User)-[r:FOLLOWS]->(b)
WHERE r.kind = 'follow' OR a.id < b.id
WITH a, r, b, duration.inSeconds(localdatetime('1970-01-01T00:00'), r.since) AS since
ORDER BY a.id, b.id, r.kind
RETURN collect([a.id, b.id, r.kind,
                since.seconds * 1000000000 + since.nanosecondsOfSecond]) AS rows;
