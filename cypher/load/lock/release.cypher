// Release lock $name if its holder is still the one of $token (a lock broken and taken
// by another load meanwhile is left alone). Returns the number of locks removed (0 or 1).
OPTIONAL MATCH (l:GraphmodelLock {name: $name, token: $token})
DELETE l
RETURN count(l) AS released;
