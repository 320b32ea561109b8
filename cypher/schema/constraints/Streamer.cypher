// The node key of :Streamer (MODEL.md section 3), idempotent.
CREATE CONSTRAINT streamer_id IF NOT EXISTS FOR (n:Streamer) REQUIRE n.id IS UNIQUE
