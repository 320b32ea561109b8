// User nodes of a fresh-database load. Columns: $user_id, $joined_at (ISO 8601 text), $segment.
UNWIND range(0, size($user_id) - 1) AS i
CREATE (:User {id: $user_id[i], joined_at: localdatetime($joined_at[i]), segment: $segment[i]})
RETURN count(*) AS n;
