// The follows table back from the graph: each follow relationship, and each friend pair once
// (a friend pair is two FOLLOWS relationships, one each way; the row keeps the smaller id first).
MATCH (a:User)-[r:FOLLOWS]->(b)
WHERE r.kind = 'follow' OR a.id < b.id
RETURN a.id AS follower_id, b.id AS followee_id, r.kind AS kind, r.since AS since
ORDER BY follower_id, followee_id, kind;
