// The progress records of a fresh-database load (graphmodel/engines/neo4j/load.py), if any:
// one (:GraphmodelLoad) node per part of the load (a phase and a writer), holding the
// fingerprint of the log being loaded and how many rows of that part are written;
// with its internal id, by which each batch finds its part's record alone.
MATCH (m:GraphmodelLoad)
RETURN m.log AS log, m.part AS part, m.pos AS pos, m.writers AS writers, id(m) AS node
ORDER BY part;
