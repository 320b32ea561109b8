// Move part $part of the load of $log from row $start to row $end, in the transaction
// that writes those rows. No row comes back when the part is not at $start: those
// rows were written already (a retried commit), or another load is writing.
MATCH (m:GraphmodelLoad {log: $log, part: $part})
WHERE m.pos = $start
SET m.pos = $end
RETURN m.pos AS pos;
