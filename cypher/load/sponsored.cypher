// (:Advertiser)-[:SPONSORED {spend, impressions, at}]->(:Stream), one per ad_spend row;
// keyed by the row number so a re-run adds nothing. $rows: [{row, advertiser_id, stream_id, spend, impressions, at}]
UNWIND $rows AS row
MATCH (a:Advertiser {id: row.advertiser_id})
MATCH (s:Stream {id: row.stream_id})
MERGE (a)-[r:SPONSORED {row: row.row}]->(s)
SET r.spend = row.spend, r.impressions = row.impressions, r.at = row.at;
