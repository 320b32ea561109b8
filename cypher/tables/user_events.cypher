// One user's events ($user_id), the columns of the events table.
MATCH (u:User {id: $user_id})-[r:WATCHED|LIKED|COMMENTED|SHARED]->(s:Stream)
RETURN r.event_id AS event_id, u.id AS user_id, s.id AS stream_id,
       CASE type(r) WHEN 'WATCHED' THEN 'watch' WHEN 'LIKED' THEN 'like'
                    WHEN 'COMMENTED' THEN 'comment' ELSE 'share' END AS type,
       r.at AS at, r.seconds AS seconds, r.count AS count, null AS amount,
       null AS product_id, r.channel AS channel, r.via_share AS via_share
UNION ALL
MATCH (u:User {id: $user_id})-[r:PURCHASED]->(p:Product)
RETURN r.event_id AS event_id, u.id AS user_id, r.stream_id AS stream_id, 'purchase' AS type,
       r.at AS at, null AS seconds, null AS count, r.amount AS amount,
       p.id AS product_id, null AS channel, null AS via_share;
