// An index on the event_id of :PURCHASED relationships (the loader's idempotent writes
// and the Browser queries look them up), idempotent.
CREATE INDEX purchased_event_id IF NOT EXISTS FOR ()-[r:PURCHASED]-() ON (r.event_id)
