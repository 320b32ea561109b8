// One Advertiser node per advertisers row. $rows: [{advertiser_id, name, industry}]
UNWIND $rows AS row
MERGE (n:Advertiser {id: row.advertiser_id})
SET n.name = row.name, n.industry = row.industry;
