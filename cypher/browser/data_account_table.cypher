// One user's personal data account (MODEL.md section 7), as a table.
// Run first in the Browser:
//   :param id => 'u1'
// One row per relationship of the account, with part as in data_account.cypher
// (event, purchase, host, sponsor, referred in, referred out, task; purchases are
// events here and come with their merchant as part 'purchase'):
// part, type, from_id, to_id, at, then the relationship's properties, null where
// its type has none: event_id, seconds, via_share (watch), count (like), channel
// (share, referral), amount (purchase), stream_id (purchase, referral), share_id
// (referral), spend, impressions (sponsorship), coins, coupon, coupon_redeemed (task).
// Sorted by part, then time.
MATCH (u:User {id: $id})
CALL (u) {
  MATCH (u)-[:WATCHED|LIKED|COMMENTED|SHARED]->(s:Stream)
  RETURN s
  UNION
  MATCH (u)-[b:PURCHASED]->(:Product)
  MATCH (s:Stream {id: b.stream_id})
  RETURN s
}
WITH u, collect(s) AS streams
CALL (u, streams) {
  MATCH (u)-[r:WATCHED|LIKED|COMMENTED|SHARED|PURCHASED]->(b)
  RETURN 'event' AS part, r, u AS a, b
  UNION ALL
  MATCH (u)-[:PURCHASED]->(b:Product)<-[r:SELLS]-(a:Advertiser)
  RETURN 'purchase' AS part, r, a, b
  UNION ALL
  UNWIND streams AS b
  MATCH (a:Streamer)-[r:HOSTED]->(b)
  RETURN 'host' AS part, r, a, b
  UNION ALL
  UNWIND streams AS b
  MATCH (a:Advertiser)-[r:SPONSORED]->(b)
  RETURN 'sponsor' AS part, r, a, b
  UNION ALL
  MATCH (a:User)-[r:REFERRED]->(u)
  RETURN 'referred in' AS part, r, a, u AS b
  UNION ALL
  MATCH (u)-[r:REFERRED]->(b:User)
  RETURN 'referred out' AS part, r, u AS a, b
  UNION ALL
  MATCH (u)-[r:COMPLETED]->(b:Task)
  RETURN 'task' AS part, r, u AS a, b
}
RETURN part, type(r) AS type, a.id AS from_id, b.id AS to_id, r.at AS at,
       r.event_id AS event_id, r.seconds AS seconds, r.via_share AS via_share, r.count AS count,
       r.channel AS channel, r.amount AS amount, r.stream_id AS stream_id, r.share_id AS share_id,
       r.spend AS spend, r.impressions AS impressions, r.coins AS coins, r.coupon AS coupon,
       r.coupon_redeemed AS coupon_redeemed
ORDER BY part, at, type, from_id, to_id;
