// The node key of :Task (MODEL.md section 3), idempotent.
CREATE CONSTRAINT task_id IF NOT EXISTS FOR (n:Task) REQUIRE n.id IS UNIQUE
