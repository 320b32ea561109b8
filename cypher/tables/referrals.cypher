// The REFERRED edges, as `rows` (see ad_spend.cypher) of the columns of
// graphmodel.model.referrals.REFERRAL_COLUMNS. Only users have REFERRED edges: matching
// the relationship type alone reads them through the type's index instead of every
// user's relationships.
MATCH (u)-[r:REFERRED]->(w)
WITH u, r, w, duration.inSeconds(localdatetime('1970-01-01T00:00'), r.at) AS at
RETURN collect([u.id, w.id, r.stream_id, r.share_id,
                at.seconds * 1000000000 + at.nanosecondsOfSecond, r.channel, r.how]) AS rows;
