// Remove the load lock by hand (in the Neo4j Browser, say), for a lock left behind by a
// load that died: what `graphmodel load --break-lock` does. Shown in the lock's message.
MATCH (l:GraphmodelLock {name: 'load'}) DELETE l
