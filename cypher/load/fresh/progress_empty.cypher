// Whether the database holds no node at all (a fresh-database load may start).
OPTIONAL MATCH (n)
WITH n LIMIT 1
RETURN n IS NULL AS empty;
