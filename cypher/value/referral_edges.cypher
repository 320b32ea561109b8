// The REFERRED edges as `rows` (see tables/ad_spend.cypher) of stream_id, referrer_id and
// user_id: all the referral paths need (MODEL.md 5.5; graphmodel.model.paths walks them).
// Only users have REFERRED edges: matching the relationship type alone reads them
// through the type's index.
MATCH (u)-[r:REFERRED]->(w)
RETURN collect([r.stream_id, u.id, w.id]) AS rows;
