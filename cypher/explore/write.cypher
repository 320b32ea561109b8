// Record on the log's record (:GraphmodelLog {name: $name}, written by every load) that
// `graphmodel explore` loaded the log of fingerprint $fingerprint
// (graphmodel.engines.neo4j.load.fingerprint), with the node and relationship counts
// it left: read.cypher finds the same log unchanged when both counts are still these.
MATCH (g:GraphmodelLog {name: $name})
CALL () {
  MATCH (n)
  RETURN count(n) AS nodes
}
CALL () {
  MATCH ()-[r]->()
  RETURN count(r) AS relationships
}
SET g.explore_fingerprint = $fingerprint, g.explore_nodes = nodes,
    g.explore_relationships = relationships;
