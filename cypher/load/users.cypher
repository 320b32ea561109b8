// One User node per users row. $rows: [{user_id, joined_at, segment}]
UNWIND $rows AS row
MERGE (n:User {id: row.user_id})
SET n.joined_at = row.joined_at, n.segment = row.segment;
