// (:User)-[:WATCHED {event_id, ...}]->(:Stream), one per event; keyed by event_id so a re-run adds nothing.
// $rows: [{event_id, user_id, stream_id, at, ...}]
UNWIND $rows AS row
MATCH (u:User {id: row.user_id})
MATCH (t:Stream {id: row.stream_id})
MERGE (u)-[r:WATCHED {event_id: row.event_id}]->(t)
SET r.at = row.at, r.seconds = row.seconds, r.via_share = row.via_share;
