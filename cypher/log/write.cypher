// Record what the loaded log is, on one node of its own, (:GraphmodelLog {name: $name}):
// $coverage, the JSON of its coverage (graphmodel.eventlog.coverage.Coverage.as_meta: tables
// absent or derived, how the referrals were made; null for a complete log with recorded
// referrals), and $meta, the JSON of its graphmodel.json (seed, generator options).
// Written by every load (graphmodel/engines/neo4j/load.py, bulk.py) under the load lock;
// a load of the same log sets the same values. No analysis counts the node: stats and the
// tables read the labels and types of the mapping (graphmodel.schema) only.
MERGE (g:GraphmodelLog {name: $name})
SET g.coverage = $coverage, g.meta = $meta;
