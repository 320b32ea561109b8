// Remove every progress record of a fresh-database load: at the end of that load, or
// before a keyed load, after which no earlier load may be resumed by row counts.
MATCH (m:GraphmodelLoad)
DELETE m;
