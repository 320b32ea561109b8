// The events table back from the graph, as `rows` (see ad_spend.cypher), one record per
// stream (a bounded list each): the stream's watches, likes, comments and shares, and
// the purchases made in it (PURCHASED edges carry their stream_id). Sorted by event_id
// by the caller.
MATCH (s:Stream)
CALL (s) {
  MATCH (u:User)-[r:WATCHED|LIKED|COMMENTED|SHARED]->(s)
  WITH u, r, duration.inSeconds(localdatetime('1970-01-01T00:00'), r.at) AS at
  RETURN collect([r.event_id, u.id, s.id,
                  CASE type(r) WHEN 'WATCHED' THEN 'watch' WHEN 'LIKED' THEN 'like'
                               WHEN 'COMMENTED' THEN 'comment' ELSE 'share' END,
                  at.seconds * 1000000000 + at.nanosecondsOfSecond, r.seconds, r.count, null,
                  null, r.channel, r.via_share]) AS acts
}
CALL (s) {
  MATCH (u:User)-[r:PURCHASED]->(p:Product)
  WHERE r.stream_id = s.id
  WITH u, r, p, duration.inSeconds(localdatetime('1970-01-01T00:00'), r.at) AS at
  RETURN collect([r.event_id, u.id, r.stream_id, 'purchase',
                  at.seconds * 1000000000 + at.nanosecondsOfSecond, null, null, r.amount,
                  p.id, null, null]) AS purchases
}
RETURN acts + purchases AS rows;
