// The task_completions table back from the graph, in its original row order, as `rows`
// (see ad_spend.cypher).
MATCH (u:User)-[r:COMPLETED]->(t:Task)
WITH u, r, t, duration.inSeconds(localdatetime('1970-01-01T00:00'), r.at) AS at
ORDER BY r.row
RETURN collect([u.id, t.id, at.seconds * 1000000000 + at.nanosecondsOfSecond, r.coins,
                r.coupon, r.coupon_redeemed]) AS rows;
