// The node key of :Stream (MODEL.md section 3), idempotent.
CREATE CONSTRAINT stream_id IF NOT EXISTS FOR (n:Stream) REQUIRE n.id IS UNIQUE
