"""What a database holds, and emptying it: behind ``graphmodel load --replace|--append``
and ``graphmodel server reset`` (docs/neo4j-server.md, "A database you control").

A load into a database that holds a log (nodes other than the loader's own) refuses
unless the log it loads is one the database already holds (the same log loaded again is
a no-op, and a load that was cut off resumes), or it is told to ``replace`` the
database (emptied first, `empty_database`) or to ``append`` (merge the two logs).
What a database holds comes from ``cypher/database/contents.cypher``: counts from the
count store, and the loaded logs as the log's record lists them (fingerprint, folder,
time; ``cypher/database/loaded.cypher``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from graphmodel.cypher import load_cypher
from graphmodel.errors import UserError

__all__ = [
    "EXISTING",
    "Contents",
    "DatabaseNotEmpty",
    "database_contents",
    "empty_database",
    "make_room",
    "reset_database",
]

#: What a load does with a database that holds another log: refuse (the default), empty
#: it first (``replace``), or merge the two logs (``append``).
EXISTING = ("refuse", "replace", "append")

#: The name of the log's record node (graphmodel.engines.neo4j.load.LOG_RECORD).
_RECORD = "log"


@dataclass(frozen=True)
class Contents:
    """What a database holds: nodes (the loader's own left aside), users, relationships,
    and the logs its record lists (fingerprints, folders, times, in loading order)."""

    nodes: int
    users: int
    relationships: int
    fingerprints: tuple[str, ...] = ()
    folders: tuple[str, ...] = ()
    loaded_at: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        """No node of a log (the load lock, progress records and the log's record aside)."""
        return self.nodes == 0

    def holds(self, fingerprint: str) -> bool:
        """Whether the log of ``fingerprint`` is one the database was loaded with."""
        return fingerprint in self.fingerprints

    def describe(self) -> str:
        """``4 User, 19 nodes and 31 relationships in all, loaded from tiny at <time>``."""
        text = (
            f"{self.users:,} User, {self.nodes:,} nodes and {self.relationships:,} "
            "relationships in all"
        )
        if not self.fingerprints:
            return f"{text}, not loaded by graphmodel load"
        logs = [
            f"{folder or 'a log'} at {at}"
            for folder, at in zip(self.folders, self.loaded_at, strict=False)
        ]
        return f"{text}, loaded from " + " and ".join(logs)


class DatabaseNotEmpty(UserError):
    """A load into a database that holds another log, without ``replace`` or ``append``."""

    def __init__(self, contents: Contents, uri: str | None = None, bulk: bool = False):
        self.contents = contents
        where = f"the database at {uri}" if uri else "the database"
        advice = (
            "give --replace to replace it (--bulk imports a whole database), or load without "
            "--bulk and with --append to merge the two logs"
            if bulk
            else "give --replace to empty it first, or --append to merge the two logs"
        )
        super().__init__(
            f"{where} already holds a log ({contents.describe()}): {advice} "
            "(nothing was written)"
        )


def database_contents(run: Callable[..., list[dict]]) -> Contents:
    """What the database holds; ``run(query, **params)`` returns a query's rows as dicts
    (in a transaction, or a session's auto-commit query)."""
    row = run(load_cypher("database/contents"), name=_RECORD)[0]
    return Contents(
        int(row["nodes"]),
        int(row["users"]),
        int(row["relationships"]),
        tuple(row["fingerprints"] or ()),
        tuple(row["folders"] or ()),
        tuple(row["loaded_at"] or ()),
    )


def read_contents(driver, database: str | None = None) -> Contents:
    """`database_contents` through ``driver``, in a read transaction."""
    with driver.session(database=database) as session:
        return session.execute_read(
            lambda tx: database_contents(lambda q, **p: tx.run(q, **p).data())
        )


def empty_database(
    driver,
    database: str | None = None,
    batch_size: int = 10_000,
    progress: Callable[[str, int, int], None] | None = None,
) -> tuple[int, int]:
    """Delete every node and relationship but the load lock, ``batch_size`` per transaction
    (relationships first); keep the constraints and indexes. Returns ``(nodes,
    relationships)`` deleted. The caller holds the load lock.

    ``progress(step, done, total)`` is told the rows deleted so far.
    """
    with driver.session(database=database) as session:
        before = session.execute_read(
            lambda tx: database_contents(lambda q, **p: tx.run(q, **p).data())
        )
        total = max(1, before.relationships + before.nodes)
        done = {"relationships": 0, "nodes": 0}
        for kind in ("relationships", "nodes"):
            query = load_cypher(f"database/delete_{kind}")
            while True:
                n = session.execute_write(
                    lambda tx, q=query: tx.run(q, batch=max(1, batch_size)).single()["deleted"]
                )
                if not n:
                    break
                done[kind] += n
                if progress:
                    progress("emptying the database", min(sum(done.values()), total), total)
    return done["nodes"], done["relationships"]


def reset_database(
    driver,
    database: str | None = None,
    *,
    uri: str | None = None,
    batch_size: int = 10_000,
    progress: Callable[[str, int, int], None] | None = None,
) -> tuple[Contents, int, int]:
    """Empty the database under the load lock (a running load makes it refuse,
    `LoadLocked`); constraints, indexes and the
    server's users and passwords are kept. Returns what it held and the nodes and
    relationships deleted."""
    from graphmodel.engines.neo4j.failures import DRIVER_FAILURES, server_error, translated
    from graphmodel.engines.neo4j.load import take_load_lock

    lock = take_load_lock(driver, database, uri=uri, command="graphmodel server reset")
    try:
        with translated(uri, "reading what the database holds"):
            held = read_contents(driver, database)
        nodes, rels = empty_database(driver, database, batch_size, progress)
    except BaseException as exc:
        lock.release_after_failure()
        if isinstance(exc, DRIVER_FAILURES):
            raise server_error(
                uri, exc, "emptying the database", "part of it may be left: run it again"
            ) from None
        raise
    with translated(uri, "releasing the load lock after emptying the database"):
        lock.release()
    return held, nodes, rels


def make_room(
    driver,
    existing: str = "refuse",
    database: str | None = None,
    *,
    uri: str | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> Contents:
    """Before a writer other than the Bolt loader (``load --engine spark``) writes: a
    database that holds a log is refused (`DatabaseNotEmpty`, nothing changed)
    unless ``existing`` is ``"append"`` (the writer merges into it) or ``"replace"``
    (emptied first, `reset_database`). Returns what the database held."""
    from graphmodel.engines.neo4j.failures import translated

    if existing not in EXISTING:
        raise ValueError(f"existing must be one of {EXISTING}, not {existing!r}")
    with translated(uri, "reading what the database holds"):
        held = read_contents(driver, database)
    if held.empty or existing == "append":
        return held
    if existing == "refuse":
        raise DatabaseNotEmpty(held, uri)
    reset_database(driver, database, uri=uri, progress=progress)
    return held
