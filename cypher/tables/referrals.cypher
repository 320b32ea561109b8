// The REFERRED edges, columns of graphmodel.model.referrals.REFERRAL_COLUMNS.
MATCH (u:User)-[r:REFERRED]->(w:User)
RETURN u.id AS referrer_id, w.id AS user_id, r.stream_id AS stream_id,
       r.share_id AS share_id, r.at AS at, r.channel AS channel, r.how AS how
ORDER BY stream_id, at, user_id;
