// The node key of :Product (MODEL.md section 3), idempotent.
CREATE CONSTRAINT product_id IF NOT EXISTS FOR (n:Product) REQUIRE n.id IS UNIQUE
