// An index on the event_id of :LIKED relationships (the loader's idempotent writes
// and the Browser queries look them up), idempotent.
CREATE INDEX liked_event_id IF NOT EXISTS FOR ()-[r:LIKED]-() ON (r.event_id)
