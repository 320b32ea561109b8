// The uniqueness constraint behind the load lock (graphmodel/engines/neo4j/load.py): at most one
// (:GraphmodelLock) node per name, so that of two loads creating the lock node at once,
// the second waits for the first's commit and then fails (ConstraintValidationFailed).
// A schema statement: it runs in a transaction of its own, before the lock is taken.
CREATE CONSTRAINT graphmodel_lock_name IF NOT EXISTS
FOR (l:GraphmodelLock) REQUIRE l.name IS UNIQUE;
