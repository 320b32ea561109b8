// Node counts per label and relationship counts per type (MODEL.md section 3).
// Parameters: $labels (list of node labels), $types (list of relationship types).
UNWIND $labels AS label
CALL (label) {
  MATCH (n) WHERE label IN labels(n)
  RETURN count(n) AS count
}
RETURN 'node' AS kind, label AS name, count
UNION ALL
UNWIND $types AS type
CALL (type) {
  MATCH ()-[r]->() WHERE type(r) = type
  RETURN count(r) AS count
}
RETURN 'relationship' AS kind, type AS name, count;
