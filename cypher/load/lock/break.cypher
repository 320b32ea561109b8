// Remove lock $name whoever holds it (`graphmodel load --break-lock`): for a lock left
// behind by a load that died. Returns the holder removed; no row when there was none.
MATCH (l:GraphmodelLock {name: $name})
WITH l, l.pid AS pid, l.host AS host, l.command AS command, toString(l.started_at) AS started_at
DELETE l
RETURN pid, host, command, started_at;
