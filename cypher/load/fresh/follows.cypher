// (:User)-[:FOLLOWS {kind, since}]->(:User|:Streamer), one per directed edge,
// in a fresh-database load, by plain CREATE: the progress record of the load
// (progress_step.cypher, the start of the same query) makes each row written once, so no key
// is checked. $src, $dst: internal ids of the two ends (from
// node_ids.cypher, labels checked); the other parameters are columns, one value per row.
// Returns the rows written, which the loader checks against the batch.
// Columns: $kind, $since (microseconds since 1970-01-01T00:00).
UNWIND range(0, size($src) - 1) AS i
MATCH (a:User) WHERE id(a) = $src[i]
MATCH (b) WHERE id(b) = $dst[i] AND (b:User OR b:Streamer)
CREATE (a)-[:FOLLOWS {
  kind: $kind[i],
  since: CASE WHEN $since[i] IS NULL THEN null
        ELSE localdatetime('1970-01-01T00:00:00') + duration({microseconds: $since[i]}) END
}]->(b)
RETURN count(*) AS n;
