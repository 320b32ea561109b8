// An index on the event_id of :WATCHED relationships (the loader's idempotent writes
// and the Browser queries look them up), idempotent.
CREATE INDEX watched_event_id IF NOT EXISTS FOR ()-[r:WATCHED]-() ON (r.event_id)
