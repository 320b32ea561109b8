// The referral forest and its roots' shares, what the cascade table needs (MODEL.md
// section 6; graphmodel.model.referral_cascades), in one round trip: `edges`, rows of
// the REFERRED edges (stream_id, referrer_id, user_id, at, channel), and `shares`, rows
// of the share events (stream_id, user_id, at): each cascade's root is a user's first
// share in a stream where no edge brought them, its time zero that share's time (the
// model takes the first). Times are nanoseconds since 1970-01-01T00:00 (see
// tables/ad_spend.cypher). Only users have REFERRED and SHARED edges: matching the
// relationship type alone reads them through the type's index.
CALL () {
  MATCH (u)-[r:REFERRED]->(w)
  WITH u, r, w, duration.inSeconds(localdatetime('1970-01-01T00:00'), r.at) AS at
  RETURN collect([r.stream_id, u.id, w.id, at.seconds * 1000000000 + at.nanosecondsOfSecond,
                  r.channel]) AS edges
}
CALL () {
  MATCH (u)-[sh:SHARED]->(s)
  WITH u, s, duration.inSeconds(localdatetime('1970-01-01T00:00'), sh.at) AS at
  RETURN collect([s.id, u.id, at.seconds * 1000000000 + at.nanosecondsOfSecond]) AS shares
}
RETURN edges, shares;
