// Every node's label, id property and internal id, for the relationship steps of a
// fresh-database load (the progress records, the load lock and the log's record left
// out): one row per label, with its keys and internal ids as two lists in the same order
// (a list per label decodes in a fraction of the time of a row per node: 0.3 s against
// 3.7 s for 115,000 nodes).
MATCH (n)
WHERE NOT n:GraphmodelLoad AND NOT n:GraphmodelLock AND NOT n:GraphmodelLog
WITH labels(n)[0] AS label, n
RETURN label, collect(n.id) AS keys, collect(id(n)) AS nodes;
