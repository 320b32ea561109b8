// Empty the database, second step: delete up to $batch nodes (their relationships are
// gone already, database/delete_relationships.cypher; DETACH in case another writer
// added one meanwhile). The load lock (:GraphmodelLock) is kept: the load or the reset
// emptying the database holds it. Returns how many were deleted; the caller runs it
// again until that is 0. Constraints and indexes are kept.
MATCH (n)
WHERE NOT n:GraphmodelLock
WITH n LIMIT $batch
DETACH DELETE n
RETURN count(*) AS deleted;
