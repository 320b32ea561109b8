// Constraints and indexes (MODEL.md section 3). Applied idempotently by the loader;
// statements are separated by semicolons at the end of a line.
CREATE CONSTRAINT user_id IF NOT EXISTS FOR (n:User) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT streamer_id IF NOT EXISTS FOR (n:Streamer) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT advertiser_id IF NOT EXISTS FOR (n:Advertiser) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT stream_id IF NOT EXISTS FOR (n:Stream) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT product_id IF NOT EXISTS FOR (n:Product) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT task_id IF NOT EXISTS FOR (n:Task) REQUIRE n.id IS UNIQUE;
CREATE INDEX watched_event_id IF NOT EXISTS FOR ()-[r:WATCHED]-() ON (r.event_id);
CREATE INDEX watched_via_share IF NOT EXISTS FOR ()-[r:WATCHED]-() ON (r.via_share);
CREATE INDEX liked_event_id IF NOT EXISTS FOR ()-[r:LIKED]-() ON (r.event_id);
CREATE INDEX commented_event_id IF NOT EXISTS FOR ()-[r:COMMENTED]-() ON (r.event_id);
CREATE INDEX shared_event_id IF NOT EXISTS FOR ()-[r:SHARED]-() ON (r.event_id);
CREATE INDEX purchased_event_id IF NOT EXISTS FOR ()-[r:PURCHASED]-() ON (r.event_id);
CREATE INDEX purchased_stream_id IF NOT EXISTS FOR ()-[r:PURCHASED]-() ON (r.stream_id);
CREATE INDEX referred_stream_id IF NOT EXISTS FOR ()-[r:REFERRED]-() ON (r.stream_id);
CREATE INDEX sponsored_row IF NOT EXISTS FOR ()-[r:SPONSORED]-() ON (r.row);
CREATE INDEX completed_row IF NOT EXISTS FOR ()-[r:COMPLETED]-() ON (r.row);
CALL db.awaitIndexes(300);
