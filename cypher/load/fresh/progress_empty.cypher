// Whether the database holds no node at all (a fresh-database load may start), apart from
// the load lock (:GraphmodelLock, taken before this runs).
OPTIONAL MATCH (n)
WHERE NOT n:GraphmodelLock
WITH n LIMIT 1
RETURN n IS NULL AS empty;
