// An index on the stream_id of :PURCHASED relationships (the loader's idempotent writes
// and the Browser queries look them up), idempotent.
CREATE INDEX purchased_stream_id IF NOT EXISTS FOR ()-[r:PURCHASED]-() ON (r.stream_id)
