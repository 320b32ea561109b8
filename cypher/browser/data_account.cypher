// One user's personal data account (MODEL.md section 7), as the subgraph the Browser draws.
// Run first in the Browser:
//   :param id => 'u1'
// One row per path, with part naming what it shows:
//   user          the user alone (so a user without activity still shows)
//   event         every WATCHED, LIKED, COMMENTED and SHARED edge to a stream
//   purchase      every PURCHASED edge, with the merchant that SELLS the product
//   host          the streamer who HOSTED each of the user's streams
//   sponsor       every SPONSORED edge into the user's streams: the ad spend the
//                 user's attention was sold to (attention value, section 5.3)
//   referred in   REFERRED edges into the user, in any stream
//   referred out  REFERRED edges from the user: the credit earned through others (5.5)
//   task          COMPLETED edges: the rewards the user got back (5.4)
// The user's streams are those with any event of theirs, purchases included
// (a purchase names its stream in stream_id).
// The same as a table: data_account_table.cypher.
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
  MATCH p = (u)
  RETURN 'user' AS part, p
  UNION ALL
  MATCH p = (u)-[:WATCHED|LIKED|COMMENTED|SHARED]->(:Stream)
  RETURN 'event' AS part, p
  UNION ALL
  MATCH p = (u)-[:PURCHASED]->(:Product)<-[:SELLS]-(:Advertiser)
  RETURN 'purchase' AS part, p
  UNION ALL
  UNWIND streams AS s
  MATCH p = (:Streamer)-[:HOSTED]->(s)
  RETURN 'host' AS part, p
  UNION ALL
  UNWIND streams AS s
  MATCH p = (:Advertiser)-[:SPONSORED]->(s)
  RETURN 'sponsor' AS part, p
  UNION ALL
  MATCH p = (:User)-[:REFERRED]->(u)
  RETURN 'referred in' AS part, p
  UNION ALL
  MATCH p = (u)-[:REFERRED]->(:User)
  RETURN 'referred out' AS part, p
  UNION ALL
  MATCH p = (u)-[:COMPLETED]->(:Task)
  RETURN 'task' AS part, p
}
RETURN part, p;
