"""Write an event-log folder into Neo4j: the one function behind ``graphmodel load``.

Over Bolt into any server (`graphmodel.engines.neo4j.load.load_log`: validated
first, idempotent, under the database's load lock), or offline into the local
server's database (`graphmodel.engines.neo4j.bulk.bulk_import`,
``neo4j-admin database import``).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from graphmodel.errors import UserError

__all__ = ["load_folder"]


def load_folder(
    folder: str | os.PathLike,
    uri: str | None = None,
    *,
    bulk: bool = False,
    home: str | os.PathLike | None = None,
    batch_size: int = 5_000,
    break_lock: bool = False,
    progress=None,
    say: Callable[[str], None] | None = None,
    bulk_messages: Callable[[str], None] | None = None,
    referrals: str | None = None,
    window_s: float | None = None,
    existing: str = "refuse",
) -> str:
    """Validate the log in ``folder`` and write it into Neo4j; returns a one-line summary.

    Parameters
    ----------
    folder : path
        The event-log folder (nothing is written when it has any problem).
    uri : str, optional
        The Bolt URI to load into (credentials: ``NEO4J_USER``/``NEO4J_PASSWORD`` or the
        local server's file); not used with ``bulk``.
    bulk : bool
        Replace the local server's database offline (the server at ``home`` is
        stopped and restarted).
    batch_size : int
        Rows per transaction (Bolt).
    break_lock : bool
        First remove a load lock left behind by a load that died.
    progress : callable, optional
        ``progress(step, done, total)``, for a progress bar (Bolt).
    say : callable, optional
        Receives the messages a person should read (the lock removed).
    bulk_messages : callable, optional
        Receives the steps of a bulk import as they happen.
    referrals : {"auto", "recorded", "social", "time"}, optional
        How the ``REFERRED`` edges are made ([`graphmodel.model.inference.infer_log`][graphmodel.model.inference.infer_log];
        default ``auto``). The server records the rule with the log (its coverage), so
        that results computed on it carry the same notes as on the folder.
    window_s : float, optional
        The inference window, seconds (default
        `graphmodel.model.inference.DEFAULT_WINDOW_S`).
    existing : {"refuse", "replace", "append"}
        What to do with a database that holds another log (the same log loaded again
        needs nothing): refuse (nothing written), empty it first, or merge the two logs
        (Bolt only; ``bulk`` always replaces the whole database, so it refuses a database
        holding another log unless ``"replace"``).

    Raises
    ------
    UserError
        No URI (without ``bulk``), a lock held by another load, a server that cannot be
        reached, a referral rule the log cannot take (``--referrals social`` without
        follows) or other than the one of the log the database holds, a database holding
        another log (`DatabaseNotEmpty`);
        ``LogError`` for a log with problems.
    """
    from graphmodel.eventlog import read_log
    from graphmodel.model.inference import DEFAULT_WINDOW_S, infer_log

    say = say or (lambda message: None)
    log = infer_log(
        read_log(folder), referrals or "auto", DEFAULT_WINDOW_S if window_s is None else window_s
    )
    if bulk:
        from graphmodel.engines.neo4j.bulk import bulk_import
        from graphmodel.engines.neo4j.database import DatabaseNotEmpty
        from graphmodel.engines.neo4j.load import fingerprint
        from graphmodel.engines.neo4j.local_database import server_contents
        from graphmodel.server import LocalServer

        if existing == "append":
            raise UserError(
                "--append goes with the Bolt loader: --bulk imports a whole database "
                "(load without --bulk to merge two logs)"
            )
        server = LocalServer(Path(home) if home else None)
        if existing != "replace":
            held, where = server_contents(server, start=True, report=bulk_messages)
            if not held.empty and not held.holds(fingerprint(log)):
                raise DatabaseNotEmpty(held, where, bulk=True)
        stats = bulk_import(
            log,
            server,
            break_lock=break_lock,
            on_progress=bulk_messages,
            source=str(folder),
        )
        return (
            f"imported {folder}: {stats['rows']:,} nodes and relationships in "
            f"{stats['total_seconds']:.1f} s; server at {stats['bolt_uri']}"
        )
    if not uri:
        raise UserError("no Neo4j URI: give --neo4j URI, set NEO4J_URI, or use --bulk")
    from graphmodel.engines.neo4j.connect import connect
    from graphmodel.engines.neo4j.load import break_load_lock, load_log

    driver = connect(uri)
    try:
        if break_lock:
            holder = break_load_lock(driver, uri=uri)
            say(f"removed the load lock of {holder}" if holder else "no load lock to remove")
        written = load_log(
            log,
            driver,
            batch_size=batch_size,
            progress=progress,
            uri=uri,
            folder=str(folder),
            command=f"graphmodel load {folder}",
            existing=existing,
        )
    finally:
        driver.close()
    return f"loaded {folder} into {uri}: " + ", ".join(f"{n:,} {k}" for k, n in written.items())
