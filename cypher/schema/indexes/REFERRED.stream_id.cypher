// An index on the stream_id of :REFERRED relationships (the loader's idempotent writes
// and the Browser queries look them up), idempotent.
CREATE INDEX referred_stream_id IF NOT EXISTS FOR ()-[r:REFERRED]-() ON (r.stream_id)
