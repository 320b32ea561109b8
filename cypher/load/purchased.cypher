// (:User)-[:PURCHASED {event_id, ...}]->(:Product), one per event; keyed by event_id so a re-run adds nothing.
// $rows: [{event_id, user_id, product_id, at, ...}]
UNWIND $rows AS row
MATCH (u:User {id: row.user_id})
MATCH (t:Product {id: row.product_id})
MERGE (u)-[r:PURCHASED {event_id: row.event_id}]->(t)
SET r.at = row.at, r.amount = row.amount, r.stream_id = row.stream_id;
