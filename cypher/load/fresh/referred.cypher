// Derive (:User)-[:REFERRED {stream_id, share_id, at, channel, how}]->(:User) in a
// fresh-database load, by the first-arrival rule (MODEL.md section 3): w's earliest
// watch of s (ties by event_id) came through a share by u. $streams: stream ids (a batch);
// $how: how the via_share links of the log were made (recorded, social or time).
// One pass over the watches of each stream: only a watch that came through a share can
// make an edge, and it does when no watch of the same user in the same stream is
// earlier (an expansion between w and s). Plain CREATE: the progress record of the load
// (same transaction) makes each batch written once. Returns the edges made.
UNWIND $streams AS sid
MATCH (s:Stream {id: sid})<-[first:WATCHED]-(w:User)
WHERE first.via_share IS NOT NULL
  AND NOT EXISTS {
    MATCH (w)-[o:WATCHED]->(s)
    WHERE o.at < first.at OR (o.at = first.at AND o.event_id < first.event_id)
  }
MATCH (s)<-[sh:SHARED]-(u:User)
WHERE sh.event_id = first.via_share
CREATE (u)-[:REFERRED {stream_id: s.id, share_id: sh.event_id, at: first.at,
                       channel: sh.channel, how: $how}]->(w)
RETURN count(*) AS n;
