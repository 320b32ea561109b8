// The advertisers table back from the graph.
MATCH (n:Advertiser)
RETURN n.id AS advertiser_id, n.name AS name, n.industry AS industry
ORDER BY advertiser_id;
