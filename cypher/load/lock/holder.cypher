// Who holds lock $name, and since when; no row when nobody does.
MATCH (l:GraphmodelLock {name: $name})
RETURN l.pid AS pid, l.host AS host, l.command AS command,
       toString(l.started_at) AS started_at, l.token AS token;
