// The advertisers table back from the graph, as `rows` (see ad_spend.cypher).
MATCH (n:Advertiser)
WITH n ORDER BY n.id
RETURN collect([n.id, n.name, n.industry]) AS rows;
