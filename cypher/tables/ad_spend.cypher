// The ad_spend table back from the graph, in its original row order.
// Every table query returns records of one column, `rows`: lists of rows, each row the
// table's columns in the schema's order (graphmodel.schema.TABLES), datetimes as
// nanoseconds since 1970-01-01T00:00 (null stays null). Few records of many rows are
// far faster for the driver than one record per row (docs/neo4j-server.md).
MATCH (a:Advertiser)-[r:SPONSORED]->(s:Stream)
WITH a, r, s, duration.inSeconds(localdatetime('1970-01-01T00:00'), r.at) AS at
ORDER BY r.row
RETURN collect([a.id, s.id, r.spend, r.impressions,
                at.seconds * 1000000000 + at.nanosecondsOfSecond]) AS rows;
