// What the database holds, for `graphmodel load` (which refuses to load another log over
// it without --replace or --append) and `graphmodel server reset`: its nodes, users and
// relationships, the loader's own nodes left aside (the load lock :GraphmodelLock, the
// progress records :GraphmodelLoad, the log's record :GraphmodelLog), and what the log's
// record (log/write.cypher, database/loaded.cypher) says of the logs loaded into it: their
// fingerprints, folders and times (null when no load recorded them: a database written by
// other means). Each count is a count-store lookup, whatever the size of the graph.
// $name: the record's name ('log').
CALL () { MATCH (n) RETURN count(n) AS all_nodes }
CALL () { MATCH (n:GraphmodelLock) RETURN count(n) AS locks }
CALL () { MATCH (n:GraphmodelLoad) RETURN count(n) AS progress }
CALL () { MATCH (n:GraphmodelLog) RETURN count(n) AS records }
CALL () { MATCH (u:User) RETURN count(u) AS users }
CALL () { MATCH ()-[r]->() RETURN count(r) AS relationships }
OPTIONAL MATCH (g:GraphmodelLog {name: $name})
RETURN all_nodes - locks - progress - records AS nodes, users, relationships,
       g.fingerprints AS fingerprints, g.folders AS folders, g.loaded_at AS loaded_at
LIMIT 1;
