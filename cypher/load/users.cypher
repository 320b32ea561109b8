// One User node per users row. $rows: [{user_id, joined_at (ISO 8601 text), segment}]
UNWIND $rows AS row
MERGE (n:User {id: row.user_id})
SET n.joined_at = localdatetime(row.joined_at), n.segment = row.segment;
