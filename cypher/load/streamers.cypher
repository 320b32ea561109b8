// One Streamer node per streamers row. $rows: [{streamer_id, name, commission_rate}]
UNWIND $rows AS row
MERGE (n:Streamer {id: row.streamer_id})
SET n.name = row.name, n.commission_rate = row.commission_rate;
