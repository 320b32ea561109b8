// An index on the event_id of :SHARED relationships (the loader's idempotent writes
// and the Browser queries look them up), idempotent.
CREATE INDEX shared_event_id IF NOT EXISTS FOR ()-[r:SHARED]-() ON (r.event_id)
