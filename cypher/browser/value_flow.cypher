// Value flowing from users to advertisers through attention (MODEL.md section 5.3), as a graph.
// Run first in the Browser:
//   :param limit => 25
// Each advertiser's spend on a stream (its SPONSORED edges summed) is split over
// the stream's viewers in proportion to their watch seconds there. One row per
// (user, stream, advertiser) with the yuan that flowed, largest first, the
// $limit largest only: user_id, stream_id, advertiser_id, watch_seconds (the
// user's, in that stream), stream_seconds (all viewers'), spend (the
// advertiser's on the stream), value = spend x watch_seconds / stream_seconds,
// and the nodes and edges to draw (user, stream, advertiser, watched, sponsored).
// Spend on a stream nobody watched flows to no user and is left out.
// Per advertiser, as a table: value_flow_table.cypher.
MATCH (a:Advertiser)-[sp:SPONSORED]->(s:Stream)
WITH a, s, sum(sp.spend) AS spend, collect(sp) AS sponsored
CALL (s) {
  MATCH (:User)-[w:WATCHED]->(s)
  RETURN sum(w.seconds) AS stream_seconds
}
WITH a, s, spend, sponsored, stream_seconds
WHERE stream_seconds > 0
MATCH (u:User)-[w:WATCHED]->(s)
WITH a, s, spend, sponsored, stream_seconds, u, sum(w.seconds) AS watch_seconds,
     collect(w) AS watched
WITH a, s, spend, sponsored, stream_seconds, u, watch_seconds, watched,
     spend * watch_seconds / stream_seconds AS value
ORDER BY value DESC, u.id, s.id, a.id
LIMIT toInteger($limit)
RETURN u.id AS user_id, s.id AS stream_id, a.id AS advertiser_id, watch_seconds,
       stream_seconds, spend, value, u AS user, s AS stream, a AS advertiser, watched, sponsored;
