// Streamer nodes of a fresh-database load. Columns: $streamer_id, $name, $commission_rate.
UNWIND range(0, size($streamer_id) - 1) AS i
CREATE (:Streamer {id: $streamer_id[i], name: $name[i], commission_rate: $commission_rate[i]})
RETURN count(*) AS n;
