// An index on the row of :COMPLETED relationships (the loader's idempotent writes
// and the Browser queries look them up), idempotent.
CREATE INDEX completed_row IF NOT EXISTS FOR ()-[r:COMPLETED]-() ON (r.row)
