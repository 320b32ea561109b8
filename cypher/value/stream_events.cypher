// Per stream, what the pair table (graphmodel.model.pairs) counts, as columns: one record per
// stream with its duration, its ad spend (sum of SPONSORED spend, 0 without), and per event
// type the users who acted, in parallel lists with the one number the count needs:
// watch seconds, like taps (null: 1), purchase amounts (PURCHASED edges carry their
// stream_id), and the users who arrived in the stream through a REFERRED edge.
// A missing number travels as NaN (0.0 / 0.0): collect() drops nulls, which would
// misalign the lists; the model reads NaN as missing and applies its defaults.
// The server reads; the counting is the model's, the same code as the memory store's.
// Sending columns per stream keeps the records few (one per stream), and the server's
// interpreted aggregation is what made counting here slow (docs/neo4j-server.md).
MATCH (s:Stream)
CALL (s) {
  MATCH (u:User)-[w:WATCHED]->(s)
  RETURN collect(u.id) AS watch_user, collect(coalesce(w.seconds, 0.0 / 0.0)) AS watch_s
}
CALL (s) {
  MATCH (u:User)-[e:LIKED]->(s)
  RETURN collect(u.id) AS like_user, collect(coalesce(e.count, 0.0 / 0.0)) AS like_taps
}
CALL (s) {
  MATCH (u:User)-[:COMMENTED]->(s)
  RETURN collect(u.id) AS comment_user
}
CALL (s) {
  MATCH (u:User)-[:SHARED]->(s)
  RETURN collect(u.id) AS share_user
}
CALL (s) {
  MATCH (u:User)-[p:PURCHASED]->(:Product)
  WHERE p.stream_id = s.id
  RETURN collect(u.id) AS purchase_user, collect(coalesce(p.amount, 0.0 / 0.0)) AS purchase_amount
}
CALL (s) {
  MATCH (:User)-[r:REFERRED]->(u:User)
  WHERE r.stream_id = s.id
  RETURN collect(u.id) AS referred_user
}
CALL (s) {
  OPTIONAL MATCH (:Advertiser)-[sp:SPONSORED]->(s)
  RETURN coalesce(sum(sp.spend), 0.0) AS spend
}
RETURN s.id AS stream_id, s.duration_s AS duration_s, spend, watch_user, watch_s,
       like_user, like_taps, comment_user, share_user, purchase_user, purchase_amount,
       referred_user;
