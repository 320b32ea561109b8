// An index on the row of :SPONSORED relationships (the loader's idempotent writes
// and the Browser queries look them up), idempotent.
CREATE INDEX sponsored_row IF NOT EXISTS FOR ()-[r:SPONSORED]-() ON (r.row)
