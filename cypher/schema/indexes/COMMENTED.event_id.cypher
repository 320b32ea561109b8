// An index on the event_id of :COMMENTED relationships (the loader's idempotent writes
// and the Browser queries look them up), idempotent.
CREATE INDEX commented_event_id IF NOT EXISTS FOR ()-[r:COMMENTED]-() ON (r.event_id)
