// Derive (:User)-[:REFERRED {stream_id, share_id, at, channel, how}]->(:User) on the server
// by the first-arrival rule (MODEL.md section 3): w's earliest watch in s (ties by event_id)
// whose via_share is a share by u. $streams: the stream ids to derive (a batch); $how: how
// the via_share links of the log were made (recorded, social or time).
// Idempotent without MERGE: an edge already there (same sharer, same share, same
// user) is dropped before any write (collect() is eager), the rest are created.
// The check expands between u and w; a MERGE was planned with the index on
// stream_id instead and read every REFERRED edge of the stream made so far for each
// new one, quadratic in the size of a stream's cascades.
UNWIND $streams AS sid
MATCH (s:Stream {id: sid})<-[first:WATCHED]-(w:User)
WITH s, w, first ORDER BY first.at, first.event_id
WITH s, w, collect(first)[0] AS first
WHERE first.via_share IS NOT NULL
MATCH (u:User)-[sh:SHARED {event_id: first.via_share}]->(s)
WHERE NOT EXISTS { MATCH (u)-[x:REFERRED]->(w) WHERE x.share_id = sh.event_id }
WITH collect({u: u, w: w, stream_id: s.id, share_id: sh.event_id, at: first.at,
              channel: sh.channel}) AS fresh
UNWIND fresh AS f
WITH f, f.u AS u, f.w AS w
CREATE (u)-[r:REFERRED {stream_id: f.stream_id, share_id: f.share_id}]->(w)
SET r.at = f.at, r.channel = f.channel, r.how = $how;
