// Move part $part of the load of $log from row $start to row $end, in the transaction
// that writes those rows. No row comes back when the part is not at $start: those
// rows were written already (a retried commit), or another load is writing.
// The referral batches use it; the writes of rows start with progress_step.cypher.
// $node: the record's internal id (progress_read.cypher). Finding it by id reads no
// other writer's record: a label scan would, and a record another writer's transaction
// changes meanwhile fails this one (TransientError.Transaction.Outdated) and costs a retry.
MATCH (m:GraphmodelLoad)
WHERE id(m) = $node AND m.log = $log AND m.part = $part AND m.pos = $start
SET m.pos = $end
RETURN m.pos AS pos;
