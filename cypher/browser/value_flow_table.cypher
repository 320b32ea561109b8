// Value flowing from users to advertisers through attention (MODEL.md section 5.3), per advertiser.
// Run first in the Browser:
//   :param limit => 25
// One row per advertiser, the $limit biggest spenders first: advertiser_id,
// name, streams (sponsored), spend (all its SPONSORED edges), viewers (distinct
// users who watched those streams), watch_seconds (their watch seconds in
// those streams), allocated (spend on streams someone watched, which is split
// over viewers by watch seconds) and unallocated (spend on streams nobody watched).
// The flows per (user, stream, advertiser), drawn as a graph: value_flow.cypher.
MATCH (a:Advertiser)-[sp:SPONSORED]->(s:Stream)
WITH a, s, sum(sp.spend) AS spend
CALL (s) {
  OPTIONAL MATCH (u:User)-[w:WATCHED]->(s)
  RETURN collect(DISTINCT u) AS viewers, coalesce(sum(w.seconds), 0) AS stream_seconds
}
WITH a, count(s) AS streams, sum(spend) AS spend,
     sum(CASE WHEN stream_seconds > 0 THEN spend ELSE 0.0 END) AS allocated,
     sum(stream_seconds) AS watch_seconds, collect(viewers) AS viewer_lists
CALL (viewer_lists) {
  UNWIND viewer_lists AS vs
  UNWIND vs AS v
  RETURN count(DISTINCT v) AS viewers
}
RETURN a.id AS advertiser_id, a.name AS name, streams, spend, viewers, watch_seconds,
       allocated, spend - allocated AS unallocated
ORDER BY spend DESC, advertiser_id
LIMIT toInteger($limit);
