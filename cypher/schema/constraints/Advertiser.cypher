// The node key of :Advertiser (MODEL.md section 3), idempotent.
CREATE CONSTRAINT advertiser_id IF NOT EXISTS FOR (n:Advertiser) REQUIRE n.id IS UNIQUE
