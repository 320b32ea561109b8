// One user's events ($user_id), as `rows` of the events table's columns (see
// ad_spend.cypher).
MATCH (u:User {id: $user_id})
CALL (u) {
  MATCH (u)-[r:WATCHED|LIKED|COMMENTED|SHARED]->(s:Stream)
  WITH r, s, duration.inSeconds(localdatetime('1970-01-01T00:00'), r.at) AS at
  RETURN collect([r.event_id, u.id, s.id,
                  CASE type(r) WHEN 'WATCHED' THEN 'watch' WHEN 'LIKED' THEN 'like'
                               WHEN 'COMMENTED' THEN 'comment' ELSE 'share' END,
                  at.seconds * 1000000000 + at.nanosecondsOfSecond, r.seconds, r.count, null,
                  null, r.channel, r.via_share]) AS acts
}
CALL (u) {
  MATCH (u)-[r:PURCHASED]->(p:Product)
  WITH r, p, duration.inSeconds(localdatetime('1970-01-01T00:00'), r.at) AS at
  RETURN collect([r.event_id, u.id, r.stream_id, 'purchase',
                  at.seconds * 1000000000 + at.nanosecondsOfSecond, null, null, r.amount,
                  p.id, null, null]) AS purchases
}
RETURN acts + purchases AS rows;
