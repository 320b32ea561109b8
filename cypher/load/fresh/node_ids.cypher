// Every node's label, id property and internal id, for the relationship steps of a
// fresh-database load (the progress records left out).
MATCH (n)
WHERE NOT n:GraphmodelLoad
RETURN labels(n)[0] AS label, n.id AS key, id(n) AS node;
