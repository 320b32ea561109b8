// The progress records of a new fresh-database load, every part at row 0.
// $log: the log's fingerprint; $parts: the part names; $writers: parallel writers.
UNWIND $parts AS part
CREATE (:GraphmodelLoad {log: $log, part: part, pos: 0, writers: $writers});
