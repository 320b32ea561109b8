// Empty the database, first step: delete up to $batch relationships, in the transaction
// this runs in (one of many, so that no transaction holds the whole graph). Returns how
// many were deleted: the caller runs it again until that is 0, then
// database/delete_nodes.cypher. Relationships go first so that no node's deletion has to
// delete thousands of relationships at once (a stream's watches).
MATCH ()-[r]->()
WITH r LIMIT $batch
DELETE r
RETURN count(*) AS deleted;
