// Take lock $name: create its node, holding who takes it and since when; committed in a
// transaction of its own before the load writes anything. Fails with
// Neo.ClientError.Schema.ConstraintValidationFailed when another holds it (constraint.cypher).
// $token: a random text only this holder knows (release.cypher removes only its own lock);
// $pid, $host: the process and host of the holder; $command: what it runs.
CREATE (l:GraphmodelLock {name: $name, token: $token, pid: $pid, host: $host,
                          command: $command, started_at: datetime.truncate('second', datetime())})
RETURN toString(l.started_at) AS started_at;
