// Whether the database holds no node of a log at all (a fresh-database load may start):
// the load lock (:GraphmodelLock, taken before this runs), the log's record
// (:GraphmodelLog, log/write.cypher) and progress records (:GraphmodelLoad) left aside.
OPTIONAL MATCH (n)
WHERE NOT n:GraphmodelLock AND NOT n:GraphmodelLog AND NOT n:GraphmodelLoad
WITH n LIMIT 1
RETURN n IS NULL AS empty;
