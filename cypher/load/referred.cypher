// Derive (:User)-[:REFERRED {stream_id, share_id, at, channel}]->(:User) on the server
// by the first-arrival rule (MODEL.md section 3): w's earliest watch in s (ties by event_id)
// whose via_share is a share by u. $streams: the stream ids to derive (a batch).
UNWIND $streams AS sid
MATCH (s:Stream {id: sid})<-[first:WATCHED]-(w:User)
WITH s, w, first ORDER BY first.at, first.event_id
WITH s, w, collect(first)[0] AS first
WHERE first.via_share IS NOT NULL
MATCH (u:User)-[sh:SHARED {event_id: first.via_share}]->(s)
MERGE (u)-[r:REFERRED {stream_id: s.id, share_id: sh.event_id}]->(w)
SET r.at = first.at, r.channel = sh.channel;
