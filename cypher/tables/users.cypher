// The users table back from the graph.
MATCH (n:User)
RETURN n.id AS user_id, n.joined_at AS joined_at, n.segment AS segment
ORDER BY user_id;
