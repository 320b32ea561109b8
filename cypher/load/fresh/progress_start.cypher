// The progress records of a new fresh-database load, every part at row 0.
// $log: the log's fingerprint; $parts: the part names; $writers: parallel writers.
// Returns each part's internal id (see progress_advance.cypher).
UNWIND $parts AS part
CREATE (m:GraphmodelLoad {log: $log, part: part, pos: 0, writers: $writers})
RETURN part, id(m) AS node;
