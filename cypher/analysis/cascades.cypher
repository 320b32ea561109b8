// Per-cascade metrics of the referral cascades (MODEL.md section 6), computed on the server.
// $channels: the share channels; channel_counts is aligned with it.
//
// A cascade is one tree of REFERRED edges of one stream, rooted at a user who shared in
// that stream without having been referred there (a share that brought nobody is a
// cascade of size 1). Only edges whose stream_id is the cascade's stream are followed,
// at every hop. Time zero is the root's first share in the stream; every other member
// arrives at its REFERRED edge's `at`.
//
// Per member w (every user below the root): its depth is the length of its one path from
// the root, its subtree size s(w) counts w and the users below it, and its channel is that
// of the edge that brought it. From those, per cascade of n users:
//   depth = max depth; max_breadth = most users at one depth (the root's level counts 1);
//   leaves = members with s = 1 (the root itself when n = 1);
//   wiener_index W = sum over members of s (n - s), the edge above each member;
//   structural_virality = 2W / (n (n - 1)), null for n = 1;
//   t50_s, t90_s = the ceil(0.5 n)-th and ceil(0.9 n)-th of the sorted arrival offsets,
//   the root's 0 included.
// Returns stream_id, root_id, size, depth, max_breadth, wiener_index, structural_virality,
// leaves, t50_s, t90_s, channel_counts.
MATCH (root:User)-[sh:SHARED]->(s:Stream)
WHERE NOT EXISTS { MATCH (:User)-[r:REFERRED]->(root) WHERE r.stream_id = s.id }
WITH root, s, min(sh.at) AS t0
CALL (root, s, t0) {
  MATCH p = (root)(()-[r:REFERRED]->() WHERE r.stream_id = s.id)+(w:User)
  WITH w, length(p) AS depth, last(relationships(p)) AS e
  WITH depth, e, duration.inSeconds(t0, e.at) AS dt,
       1 + COUNT { (w)(()-[x:REFERRED]->() WHERE x.stream_id = s.id)+(:User) } AS sub
  ORDER BY e.at
  RETURN collect({depth: depth, sub: sub, channel: e.channel,
                  offset: toFloat(dt.seconds) + dt.nanosecondsOfSecond / 1000000000.0}) AS members
}
WITH s, root, members, 1 + size(members) AS n,
     reduce(m = 0, x IN members | CASE WHEN x.depth > m THEN x.depth ELSE m END) AS depth
WITH s, root, members, n, depth,
     reduce(w = 0, x IN members | w + x.sub * (n - x.sub)) AS wiener,
     [d IN range(1, depth) | size([x IN members WHERE x.depth = d])] AS breadths,
     [0.0] + [x IN members | x.offset] AS arrivals
RETURN s.id AS stream_id, root.id AS root_id, n AS size, depth,
       reduce(b = 1, c IN breadths | CASE WHEN c > b THEN c ELSE b END) AS max_breadth,
       wiener AS wiener_index,
       CASE WHEN n > 1 THEN 2.0 * wiener / (n * (n - 1)) END AS structural_virality,
       size([x IN members WHERE x.sub = 1]) + CASE WHEN n = 1 THEN 1 ELSE 0 END AS leaves,
       arrivals[(n + 1) / 2 - 1] AS t50_s,
       arrivals[(9 * n + 9) / 10 - 1] AS t90_s,
       [c IN $channels | size([x IN members WHERE x.channel = c])] AS channel_counts
ORDER BY size DESC, depth DESC, stream_id, root_id;
