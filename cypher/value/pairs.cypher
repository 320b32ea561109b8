// What each user did in each stream: the parameter-free counts of the value accounting
// (MODEL.md sections 4 and 5; graphmodel.engines.memory.pairs.PAIR_COLUMNS), computed on the server.
//
// Per stream s: spend = the SPONSORED spend on s, stream_watch_s = all watch seconds on s.
// Per (user u, stream s) with any event: watches, watch_s, completion (sum over watches of
// min(1, seconds / s.duration_s), 0 for a stream of zero duration), likes, taps (like
// taps, default 1), comments, shares, purchases and gmv (PURCHASED edges carry their
// stream_id), attention_value = spend x watch_s / stream_watch_s (0 when nobody watched:
// that spend is unallocated), and referred (u arrived in s through a REFERRED edge).
// Model parameters are applied to these counts in graphmodel.model.accounting.
// Returns one record per stream with any event, the stream's pairs as parallel lists.
MATCH (s:Stream)
CALL (s) {
  OPTIONAL MATCH (:Advertiser)-[sp:SPONSORED]->(s)
  RETURN sum(sp.spend) AS spend
}
CALL (s) {
  OPTIONAL MATCH (:User)-[w:WATCHED]->(s)
  RETURN sum(coalesce(w.seconds, 0.0)) AS stream_watch_s
}
CALL (s) {
  MATCH (u:User)-[e:WATCHED|LIKED|COMMENTED|SHARED]->(s)
  WITH u, e, type(e) AS t,
       CASE WHEN type(e) = 'WATCHED' THEN coalesce(e.seconds, 0.0) ELSE 0.0 END AS secs
  RETURN u,
         count(CASE t WHEN 'WATCHED' THEN 1 END) AS watches,
         sum(secs) AS watch_s,
         sum(CASE WHEN t = 'WATCHED' AND s.duration_s > 0
                  THEN CASE WHEN secs >= s.duration_s THEN 1.0 ELSE secs / s.duration_s END
                  ELSE 0.0 END) AS completion,
         count(CASE t WHEN 'LIKED' THEN 1 END) AS likes,
         sum(CASE t WHEN 'LIKED' THEN coalesce(e.count, 1) ELSE 0 END) AS taps,
         count(CASE t WHEN 'COMMENTED' THEN 1 END) AS comments,
         count(CASE t WHEN 'SHARED' THEN 1 END) AS shares,
         0 AS purchases, 0.0 AS gmv
  UNION ALL
  MATCH (u:User)-[p:PURCHASED]->(:Product)
  WHERE p.stream_id = s.id
  RETURN u, 0 AS watches, 0.0 AS watch_s, 0.0 AS completion, 0 AS likes, 0 AS taps,
         0 AS comments, 0 AS shares, count(p) AS purchases, sum(coalesce(p.amount, 0.0)) AS gmv
}
WITH s, spend, stream_watch_s, u,
     sum(watches) AS watches, sum(watch_s) AS watch_s, sum(completion) AS completion,
     sum(likes) AS likes, sum(taps) AS taps, sum(comments) AS comments,
     sum(shares) AS shares, sum(purchases) AS purchases, sum(gmv) AS gmv
WITH s, u.id AS user_id, watches, watch_s, completion, likes, taps, comments, shares,
     purchases, gmv,
     CASE WHEN stream_watch_s > 0 THEN spend * watch_s / stream_watch_s ELSE 0.0 END
       AS attention_value,
     EXISTS { MATCH (:User)-[r:REFERRED]->(u) WHERE r.stream_id = s.id } AS referred
// one record per stream, its pairs as parallel lists: far fewer records to send
RETURN s.id AS stream_id, collect(user_id) AS user_id, collect(watches) AS watches,
       collect(watch_s) AS watch_s, collect(completion) AS completion,
       collect(likes) AS likes, collect(taps) AS taps, collect(comments) AS comments,
       collect(shares) AS shares, collect(purchases) AS purchases, collect(gmv) AS gmv,
       collect(attention_value) AS attention_value, collect(referred) AS referred;
