// An index on the via_share of :WATCHED relationships (the loader's idempotent writes
// and the Browser queries look them up), idempotent.
CREATE INDEX watched_via_share IF NOT EXISTS FOR ()-[r:WATCHED]-() ON (r.via_share)
