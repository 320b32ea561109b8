// The ad_spend table back from the graph, in its original row order.
MATCH (a:Advertiser)-[r:SPONSORED]->(s:Stream)
RETURN a.id AS advertiser_id, s.id AS stream_id, r.spend AS spend,
       r.impressions AS impressions, r.at AS at
ORDER BY r.row;
