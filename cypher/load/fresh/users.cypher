// User nodes of a fresh-database load. Columns: $user_id, $joined_at (microseconds since
// 1970-01-01T00:00), $segment.
UNWIND range(0, size($user_id) - 1) AS i
CREATE (:User {
  id: $user_id[i],
  joined_at: CASE WHEN $joined_at[i] IS NULL THEN null
        ELSE localdatetime('1970-01-01T00:00:00') + duration({microseconds: $joined_at[i]}) END,
  segment: $segment[i]
})
RETURN count(*) AS n;
