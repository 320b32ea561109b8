// The node key of :User (MODEL.md section 3), idempotent.
CREATE CONSTRAINT user_id IF NOT EXISTS FOR (n:User) REQUIRE n.id IS UNIQUE
