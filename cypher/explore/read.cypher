// Whether the database holds the log `graphmodel explore` loaded last, unchanged since:
// the fingerprint it recorded on the log's record (:GraphmodelLog {name: $name},
// log/write.cypher) with the node and relationship counts of that moment, and the
// counts now. Counting all nodes and relationships reads Neo4j's count store (no scan).
// One row; fingerprint, nodes and relationships are null when explore recorded nothing.
OPTIONAL MATCH (g:GraphmodelLog {name: $name})
CALL () {
  MATCH (n)
  RETURN count(n) AS nodes_now
}
CALL () {
  MATCH ()-[r]->()
  RETURN count(r) AS relationships_now
}
RETURN g.explore_fingerprint AS fingerprint, g.explore_nodes AS nodes,
       g.explore_relationships AS relationships, nodes_now, relationships_now;
