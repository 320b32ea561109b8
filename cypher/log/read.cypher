// What the loaded log records about itself (log/write.cypher): the JSON of its coverage
// and of its graphmodel.json. No row when no load recorded it (a database loaded before
// the record existed, or written by other means: a complete log, nothing recorded).
MATCH (g:GraphmodelLog {name: $name})
RETURN g.coverage AS coverage, g.meta AS meta
LIMIT 1;
