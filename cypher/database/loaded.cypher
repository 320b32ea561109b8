// Add a log to the loaded logs the log's record lists (log/write.cypher writes its
// coverage and meta): $fingerprint (graphmodel.engines.neo4j.load.fingerprint), $folder
// (where it was read from; '' when not known) and the server's time now. A log already
// listed (the same log loaded again) is left as it is. `graphmodel load` compares the
// fingerprint of the log it loads with these before loading over a database that is not
// empty (database/contents.cypher). $name: the record's name ('log').
MERGE (g:GraphmodelLog {name: $name})
WITH g, coalesce(g.fingerprints, []) AS fingerprints
WHERE NOT $fingerprint IN fingerprints
SET g.fingerprints = fingerprints + $fingerprint,
    g.folders = coalesce(g.folders, []) + $folder,
    g.loaded_at = coalesce(g.loaded_at, [])
                  + toString(datetime.truncate('second', datetime()));
