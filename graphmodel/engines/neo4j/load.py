"""Load a validated event log into Neo4j ([docs/model.md, section 3][model-3]).

The whole log is validated first (by the caller, [`graphmodel.eventlog.read_log`][graphmodel.eventlog.read.read_log]),
so nothing is written when anything is wrong. Every write goes through
managed transactions, with the ``cypher/load`` files and parameters only.
``REFERRED`` is derived on the server by the first-arrival rule. Loading the
same log twice gives the same graph, and a load killed midway (even by
SIGKILL) and run again (after removing the lock it left, see below) ends
with exactly the right graph. There are two paths to that.

**Fresh database** (``cypher/load/fresh``): when the database holds no node
at all, the load writes everything with plain ``CREATE`` and keeps count
instead of checking keys. It first creates progress records,
``(:GraphmodelLoad {log, part, pos, writers})``: ``log`` is a fingerprint of
the log's content (`fingerprint`), ``part`` a phase and a writer
(``nodes/0``, ``relationships/0``, ``relationships/1``, ``referrals/0``, ...),
``pos`` how many rows (streams, for ``referrals``) of that part are written.
Every batch moves its part's ``pos`` from the batch's first row to its end in
the query that writes the rows (each write file starts with the guard of ``progress_step.cypher``;
a referral batch, whose count of edges is not known beforehand, runs
``progress_advance.cypher`` first in its transaction), so rows and count
commit together or not at all, and a retried transaction whose first commit
did land writes nothing twice. A load that finds progress
records of the same log resumes each part from its ``pos``, whatever the
batch size; one that finds records of another log, or a database with
nodes but no records, takes the keyed path below (removing the records
first, since row counts mean nothing after it). At the end the records are
removed. The parts are the same on every run of a load: nodes in
``load_steps`` order by one writer; then every relationship step in order,
its rows split between ``writers`` writers (default 2, in threads with one
session each) by the source node's internal id (fixed once the nodes are
written), so that two writers never lock the same source node, each writer's
rows in source-id order (a source's relationships go into one batch, its
node record warm); then the referral derivation, streams split by their
row. The client prepares a step's parameters while the writers run the step
before. A step starts when every writer has finished the one before
(``REFERRED`` needs every watch and share). A batch finds its progress record
by internal id, so it never reads another writer's record (which would fail
its transaction with ``TransientError.Transaction.Outdated`` when the other
writer commits meanwhile). The relationship files
find their ends by internal node id (``node_ids.cypher``, read after the
nodes are written, labels checked in the query): a unique-index seek costs
the server about 7 microseconds more per row and takes a shared lock per
seek. Every batch returns its count of rows and a short count aborts its
transaction. The relationship-property indexes of ``cypher/schema/``
are created once their type is written in full (populating an index once
costs less than updating it per row; it runs in the server's background
while the next steps are written, on CPU the writers leave idle); the node
uniqueness constraints come first.

**Keyed** (``cypher/load/*.cypher``): nodes and ``FOLLOWS`` by ``MERGE``, the
event, sponsorship, task and referral relationships by dropping the rows
whose key is already in the database (event ids, row numbers, the share a
referral came through), before any write of the batch, then ``CREATE``
(see the comments of the Cypher files for why). Each batch is one
transaction of ``UNWIND $rows``.

**The load lock.** Two loads writing one database at once would corrupt it
(``REFERRED`` derived twice, ``FOLLOWS`` merged twice), so every load,
either path, first takes the database's load lock: it creates the node
``(:GraphmodelLock {name: 'load', pid, host, command, started_at, token})``
in a transaction of its own (``cypher/load/lock``), under a uniqueness
constraint on ``name``. Of two loads creating it at once, the second waits
for the first's commit and fails on the constraint; it then writes nothing
and raises `LoadLocked`, naming the holder and since when. The lock
is removed at the end of the load, and when the load fails while the server
still answers. A load that dies (SIGKILL, a server killed under it) leaves
its lock behind: `break_load_lock` (``graphmodel load --break-lock``)
removes it. Reads (``graphmodel stats``, the analyses) take no lock and
ignore the lock node (the fresh path's ``progress_empty.cypher`` and
``node_ids.cypher`` too). Every driver failure during the load (the server
stopped, a session expired, a ``DatabaseError``) becomes a one-line
[`ServerError`][graphmodel.errors.ServerError] saying how to resume.

**The log's record.** What the log is besides its rows, its coverage (tables absent or
derived, how the referrals were made: [`Coverage`][graphmodel.eventlog.coverage.Coverage])
and its ``graphmodel.json`` (seed, generator options), is kept as JSON text on one node,
``(:GraphmodelLog {name: 'log', coverage, meta})`` (``cypher/log``), written at the start
of every load, under the lock, and read by [`Neo4jStore`][graphmodel.engines.neo4j.store.Neo4jStore]
so that results computed on the server carry the meta and notes the memory store gives.
No analysis counts it. A load whose referral rule differs from the one the database's
log was loaded with (one of them inferred) into a database holding a log is refused: the
keyed path would keep the old watches' ``via_share`` and ``REFERRED`` edges. The record
also lists the logs loaded (fingerprint, folder, time: ``cypher/database/loaded.cypher``):
a load into a database holding a log whose fingerprint it does not list is refused
(`DatabaseNotEmpty`, nothing written) unless
told to replace it (emptied first, under the lock) or to append (the logs merged by key;
the record then lists both, with the union of their coverages and ``meta`` ``{"merged":
[...]}``). The same log loaded again, or a load cut off and run again, needs neither.

Datetimes travel
as ISO 8601 text (keyed files) or integer microseconds since the epoch
(fresh files) and become ``LocalDateTime`` on the server
(`graphmodel.engines.neo4j.records`). Throughput, the per-step times and the
naive baseline: ``python benchmarks/bench_neo4j_load.py`` (docs/neo4j-server.md).
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import socket
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd

from graphmodel.cypher import cypher_file, load_cypher
from graphmodel.engines.neo4j.failures import DRIVER_FAILURES, describe, is_disconnect, translated
from graphmodel.engines.neo4j.records import batches, column_values
from graphmodel.errors import ServerError, UserError
from graphmodel.eventlog.coverage import Coverage
from graphmodel.eventlog.log import EventLog
from graphmodel.model.social import follow_edges
from graphmodel.schema import EDGES, NODES, node_rows, relationship_rows

__all__ = [
    "load_log",
    "apply_schema",
    "load_steps",
    "fingerprint",
    "FRESH_WRITERS",
    "LOCK_NAME",
    "LockHolder",
    "LoadLocked",
    "LoadLock",
    "take_load_lock",
    "break_load_lock",
    "load_lock_holder",
    "LOG_RECORD",
    "log_record",
    "read_log_record",
    "referral_how",
]

Progress = Callable[[str, int, int], None]

#: Parallel writers of the relationship steps of a fresh-database load.
FRESH_WRITERS = 2
#: Version of the fresh path's parts and order; part of the fingerprint, so
#: that a load killed under another version is not resumed by row counts.
_FRESH_LAYOUT = "fresh-4"
#: Streams per referral batch, as a fraction of the batch size.
_STREAMS_PER_ROW = 1 / 50


def _schema_files(only: str | None, wait: bool, types: tuple[str, ...] | None) -> list[str]:
    """The files of ``cypher/schema/``: one constraint per node label of the mapping, one
    index per file of ``schema/indexes/`` (named ``TYPE.property``), then the wait."""
    files = []
    if only != "indexes":
        files += [f"schema/constraints/{m.label}" for m in NODES]
    if only != "constraints":
        indexes = sorted(cypher_file("schema/indexes/x").parent.glob("*.cypher"))
        files += [
            f"schema/indexes/{p.stem}"
            for p in indexes
            if types is None or p.stem.split(".")[0] in types
        ]
    if wait:
        files.append("schema/await")
    return files


def apply_schema(
    driver,
    database: str | None = None,
    only: str | None = None,
    wait: bool = True,
    types: tuple[str, ...] | None = None,
) -> None:
    """Create the constraints and indexes of ``cypher/schema/`` if missing, and wait for them.

    ``only="constraints"`` or ``only="indexes"`` applies those alone; ``types``
    keeps only the indexes of those relationship types; ``wait=False`` leaves out
    the schema file's final wait (indexes then populate in the background).
    """
    with driver.session(database=database) as session:
        for name in _schema_files(only, wait, types):
            session.run(load_cypher(name)).consume()


def load_steps(log: EventLog) -> list[tuple[str, str, pd.DataFrame]]:
    """The (label, cypher file, rows) steps of a keyed load, in dependency order."""
    return _node_steps(log) + _relationship_steps(log)


def _node_steps(log: EventLog) -> list[tuple[str, str, pd.DataFrame]]:
    """One step per node label (`graphmodel.schema.NODES`); a label's file also
    writes the relationships whose mapping names the same file (``HOSTED``, ``SELLS``)."""
    return [(m.step, f"load/{m.load}", node_rows(log, m)) for m in NODES]


def _relationship_steps(log: EventLog) -> list[tuple[str, str, pd.DataFrame]]:
    """One step per relationship type sent as rows (`graphmodel.schema.EDGES`), in the
    mapping's order: neither written by a node file nor derived on the server."""
    derived = {m.derived: _DERIVE[m.derived](log[m.table]) for m in _ROW_EDGES if m.derived}
    return [
        (m.step, f"load/{m.load}", relationship_rows(log, m, derived, stored=True))
        for m in _ROW_EDGES
    ]


#: The relationship mappings a load sends rows of, by step name.
_ROW_EDGES = tuple(
    m for m in EDGES if not m.server_derived and m.load not in {n.load for n in NODES}
)
_BY_STEP = {m.step: m for m in _ROW_EDGES}
#: The functions making the derived tables (graphmodel.schema.DERIVATIONS) a load sends.
_DERIVE = {"follow_edges": follow_edges}
#: The mapping derived on the server after every other step (``REFERRED``).
(_DERIVED,) = (m for m in EDGES if m.server_derived)


def _column_digest(h, s: pd.Series) -> None:
    """Feed ``s`` (values and missing cells) into the hash ``h``, from its buffers where it can."""
    h.update(np.packbits(s.isna().to_numpy(dtype=bool)).tobytes())
    if isinstance(s.dtype, pd.StringDtype) and hasattr(s.array, "__arrow_array__"):
        import pyarrow as pa

        whole = s.array.__arrow_array__()
        for chunk in getattr(whole, "chunks", [whole]):
            chunk = pa.concat_arrays([chunk.cast(pa.large_string())])
            offsets, data = chunk.buffers()[1:3]
            o = np.frombuffer(offsets, dtype=np.int64)[chunk.offset : chunk.offset + len(chunk) + 1]
            h.update((o - o[0]).tobytes())
            if data is not None:
                h.update(memoryview(data)[o[0] : o[-1]])
    elif s.dtype.kind in "fmM" or (s.dtype.kind in "iub" and not s.hasnans):
        h.update(np.ascontiguousarray(s.to_numpy()).tobytes())
    elif s.dtype.kind in "iub":
        h.update(np.ascontiguousarray(s.to_numpy(dtype="int64", na_value=0)).tobytes())
    else:
        h.update(pd.util.hash_pandas_object(s, index=False).to_numpy().tobytes())


def fingerprint(log: EventLog) -> str:
    """A digest of the log's content (every table, column, type and value) and of the fresh
    path's layout: what a fresh load records, to be resumed only with the same log.

    Hashes the columns' buffers (Arrow strings, NumPy values): about 1 s for the
    6.4 million rows of the 100,000-user week, against 4 s with
    ``pandas.util.hash_pandas_object``.
    """
    h = hashlib.sha256(_FRESH_LAYOUT.encode())
    for name in log:
        df = log[name]
        h.update(f"\0{name}\0{len(df)}".encode())
        for c in df.columns:
            h.update(f"\0{c}\0{df[c].dtype}".encode())
            _column_digest(h, df[c])
    return h.hexdigest()


def load_log(
    log: EventLog,
    driver,
    batch_size: int = 5_000,
    database: str | None = None,
    progress: Progress | None = None,
    writers: int = FRESH_WRITERS,
    *,
    uri: str | None = None,
    folder: str | None = None,
    command: str | None = None,
    existing: str = "refuse",
) -> dict[str, int]:
    """Write ``log`` (already validated) into the database; return rows written per step.

    A database without nodes (or holding a killed fresh load of the same log)
    is loaded by the fresh path, any other by the keyed path (see above).
    Either takes the load lock first (`take_load_lock`) and removes it
    at the end.

    A database that holds another log (nodes, and no fingerprint of this log in
    the log's record: `graphmodel.engines.neo4j.database`) is refused unless
    ``existing`` is ``"replace"`` (emptied first, in batches, under the lock) or
    ``"append"`` (the two logs merged by key; the record then lists both logs,
    its coverage is the union of theirs and its meta ``{"merged": [...]}``).
    The same log loaded again needs neither.

    ``uri`` (the server's address), ``folder`` (the log's: kept in the log's
    record too) and ``command`` (what runs the load, kept in the lock) only go
    into messages.

    Raises
    ------
    LoadLocked
        Another load holds the lock; nothing was written.
    DatabaseNotEmpty
        The database holds another log and ``existing`` is ``"refuse"``; nothing
        was written.
    ServerError
        A driver failure during the load (one line: what failed, and how to
        resume or clear the lock), or a batch that found the database changed.
    """
    from graphmodel.engines.neo4j.database import EXISTING

    if existing not in EXISTING:
        raise ValueError(f"existing must be one of {EXISTING}, not {existing!r}")
    fp = fingerprint(log)
    lock = take_load_lock(driver, database, uri=uri, command=command, folder=folder)
    try:
        if existing == "replace":
            from graphmodel.engines.neo4j.database import empty_database

            empty_database(driver, database, max(batch_size, 1), progress)
        with driver.session(database=database) as session:
            session.execute_write(_record_log, log, fp, existing, folder, uri)
        written = _load(log, fp, driver, batch_size, database, progress, writers)
    except BaseException as exc:
        released = lock.release_after_failure()
        if isinstance(exc, DRIVER_FAILURES):
            raise _interrupted(uri, exc, folder, released) from None
        raise
    with translated(
        uri,
        "the load is complete, but releasing its lock",
        f"clear it with `graphmodel load {folder or 'DIR'} --break-lock`",
    ):
        lock.release()
    return written


def _interrupted(
    uri: str | None, exc: BaseException, folder: str | None, released: bool
) -> ServerError:
    where = f"{uri}: " if uri else ""
    folder = folder or "DIR"
    if released:
        how = f"part of the log may be written: run `graphmodel load {folder}` again to resume it"
    else:
        how = (
            "part of the log may be written and the load's lock is left in the database: "
            f"once the server answers, run `graphmodel load {folder} --break-lock` to clear "
            "the lock and resume the load"
        )
    cause = describe(exc)
    if not is_disconnect(exc):
        how = f"{how} (after removing the cause)"
    return ServerError(f"{where}the load was interrupted: {cause}; {how}")


def _load(
    log: EventLog,
    fp: str,
    driver,
    batch_size: int,
    database: str | None,
    progress: Progress | None,
    writers: int,
) -> dict[str, int]:
    nodes = _node_steps(log)
    with ThreadPoolExecutor(max_workers=1) as prep:
        # The relationship tables (about 3 s for the 100,000-user week) are made
        # while the server creates the constraints and the nodes are written.
        rels = prep.submit(_relationship_steps, log)
        report = _Reporter(
            progress,
            lambda: sum(len(df) for _, _, df in nodes + rels.result()) + len(log["streams"]),
        )
        apply_schema(driver, database, only="constraints")
        plan = _Fresh(log, nodes, rels, driver, database, fp, batch_size, report)
        with driver.session(database=database) as session:
            state = session.execute_write(plan.claim, writers)
        if state is None:
            _load_keyed(nodes + rels.result(), log, driver, database, batch_size, report)
        else:
            plan.run(state)
    written = {label: len(df) for label, _, df in nodes + rels.result()}
    written["streams (referrals derived)"] = len(log["streams"])
    return written


# --- the log's record -------------------------------------------------------------------

#: The name of the node recording the loaded log, ``(:GraphmodelLog {name: 'log'})``.
LOG_RECORD = "log"


def referral_how(coverage: Coverage) -> str:
    """The ``how`` of the ``REFERRED`` edges of a log of ``coverage``: ``social`` or
    ``time`` for inferred referrals, else ``recorded``."""
    return coverage.referrals if coverage.inferred_referrals else "recorded"


def log_record(coverage: Coverage, meta: dict) -> dict[str, str]:
    """The parameters of ``cypher/log/write.cypher`` for a log of ``coverage`` and
    ``graphmodel.json`` ``meta``, as JSON text (the same text for the same log)."""
    return {
        "name": LOG_RECORD,
        "coverage": json.dumps(coverage.as_meta(), sort_keys=True),
        "meta": json.dumps(meta, sort_keys=True, default=str),
    }


def record_log(uri: str, user: str, password: str, coverage: Coverage, meta: dict,
               database: str | None = None) -> None:
    """Record a log's coverage and ``graphmodel.json`` on the server at ``uri``, as a Bolt
    load does (``cypher/log/write.cypher``): for a graph written by another writer (the
    Spark connector), so that analyses on it carry the same notes."""
    import neo4j

    from graphmodel.engines.neo4j.connect import DRIVER_CONFIG

    params = log_record(coverage, meta)
    with (neo4j.GraphDatabase.driver(uri, auth=(user, password), **DRIVER_CONFIG) as driver,
          driver.session(database=database) as session):
        session.execute_write(lambda tx: tx.run(load_cypher("log/write"), **params).consume())


def _parse_record(rows: list[dict]) -> tuple[Coverage, dict]:
    if not rows:
        return Coverage(), {}
    coverage, meta = rows[0].get("coverage"), rows[0].get("meta")
    return (
        Coverage.from_meta(json.loads(coverage) if coverage else None),
        json.loads(meta) if meta else {},
    )


def read_log_record(run) -> tuple[Coverage, dict]:
    """The coverage and ``graphmodel.json`` meta recorded with the loaded log
    (a complete log and ``{}`` when nothing was recorded).

    ``run(query, **params)`` returns the rows of a query as a list of dicts.
    """
    return _parse_record(run(load_cypher("log/read"), name=LOG_RECORD))


def _rule(coverage: Coverage) -> str:
    text = f"--referrals {coverage.referrals}"
    if coverage.inferred_referrals and coverage.window_s is not None:
        text += f" --referral-window {coverage.window_s:g}s"
    return text


def _merged_coverage(held: Coverage, new: Coverage) -> Coverage:
    """The coverage of two logs merged (``load --append``; their referral rules agree
    when either is inferred): a table absent or derived in either is so in the merge
    (its notes err on the side of saying so), inferred arrivals add up."""
    referrals = new.referrals
    if not new.inferred_referrals and "recorded" in (held.referrals, new.referrals):
        referrals = "recorded"
    return Coverage(
        tuple(sorted(set(held.absent) | set(new.absent))),
        tuple(sorted(set(held.derived) | set(new.derived))),
        referrals,
        new.window_s,
        held.inferred + new.inferred,
    )


def _merged_meta(held: dict, new: dict) -> dict:
    """The ``graphmodel.json`` meta of two logs merged: ``{"merged": [each log's]}`` (no
    single seed or generator describes the merge)."""
    return {"merged": [*held.get("merged", [held]), new]}


def _record_log(
    tx,
    log: EventLog,
    fp: str,
    existing: str = "refuse",
    folder: str | None = None,
    uri: str | None = None,
) -> None:
    """Write the log's record (in the transaction ``tx``), refusing a referral rule other
    than the one of the log the database holds, when either is inferred, and (unless
    ``existing`` says to merge) a database that holds another log."""
    from graphmodel.engines.neo4j.database import DatabaseNotEmpty, database_contents

    def run(query, **params):
        return tx.run(query, **params).data()

    contents = database_contents(run)
    held, held_meta = read_log_record(run)
    new = log.coverage
    inferred = held.inferred_referrals or new.inferred_referrals
    other = (held.referrals, held.window_s) != (new.referrals, new.window_s)
    if inferred and other and not contents.empty:
        raise UserError(
            f"the database holds a log loaded with {_rule(held)}: loading this one with "
            f"{_rule(new)} would mix the REFERRED edges of two rules (nothing was written); "
            "load it with --replace, which empties the database first"
        )
    coverage, meta = new, log.meta
    if contents.empty:
        tx.run(load_cypher("database/forget")).consume()
    elif contents.holds(fp):
        coverage, meta = held, held_meta  # the same log again: the record stays as it is
    elif existing == "append":
        coverage, meta = _merged_coverage(held, new), _merged_meta(held_meta, log.meta)
    else:
        raise DatabaseNotEmpty(contents, uri)
    tx.run(load_cypher("log/write"), **log_record(coverage, meta)).consume()
    tx.run(
        load_cypher("database/loaded"), name=LOG_RECORD, fingerprint=fp, folder=folder or ""
    ).consume()


# --- the load lock ----------------------------------------------------------------------

#: The name of the load's lock node, ``(:GraphmodelLock {name: 'load'})``.
LOCK_NAME = "load"
#: The Cypher that removes a lock left behind, for the messages and the docs.
#: The Cypher a user runs by hand to remove the lock (in the Browser, say): shown, not run.
BREAK_LOCK_CYPHER = " ".join(
    line for line in load_cypher("load/lock/by_hand").splitlines() if not line.startswith("//")
)


@dataclass(frozen=True)
class LockHolder:
    """Who holds the load lock: process id, host, command, and since when (server time, UTC)."""

    pid: int | None
    host: str | None
    command: str | None
    started_at: str | None

    def __str__(self) -> str:
        text = f"pid {self.pid} on host {self.host}, since {self.started_at}"
        if self.command:
            text += f" ({self.command})"
        return text

    def is_dead(self) -> bool:
        """Whether the holder is known to be gone: on this host, and no process ``pid`` runs."""
        if self.host != socket.gethostname() or not isinstance(self.pid, int) or self.pid <= 0:
            return False
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return True
        except OSError:  # it runs, as another user
            return False
        return False


class LoadLocked(ServerError):
    """Another load holds the database's load lock (`LockHolder` ``holder``)."""

    def __init__(self, holder: LockHolder, uri: str | None = None, folder: str | None = None):
        self.holder = holder
        where = f"{uri}: " if uri else ""
        dead = (
            f"; no process {holder.pid} runs on this host now, so that load died"
            if holder.is_dead()
            else ""
        )
        super().__init__(
            f"{where}another load is writing this database (the load lock is held by {holder}"
            f"{dead}); nothing was written: wait for that load to end, or if it is no longer "
            f"running, clear its lock with `graphmodel load {folder or 'DIR'} --break-lock` "
            f'(or the Cypher "{BREAK_LOCK_CYPHER}")'
        )


def _holder(row: dict) -> LockHolder:
    return LockHolder(row.get("pid"), row.get("host"), row.get("command"), row.get("started_at"))


class LoadLock:
    """The load lock as taken by this process (`take_load_lock`)."""

    def __init__(self, driver, database: str | None, token: str, holder: LockHolder):
        self.driver = driver
        self.database = database
        self.token = token
        self.holder = holder
        self.held = True

    def release(self) -> bool:
        """Remove the lock if it is still this one's; whether it was."""
        if not self.held:
            return False
        with self.driver.session(database=self.database) as session:
            n = session.run(
                load_cypher("load/lock/release"), name=LOCK_NAME, token=self.token
            ).single()["released"]
        self.held = False
        return n == 1

    def release_after_failure(self) -> bool:
        """`release`, for a load that failed: one attempt (a server that is gone is
        not waited for), and ``False`` instead of a driver failure."""
        try:
            self.release()
        except DRIVER_FAILURES:
            return False
        return True


def take_load_lock(
    driver,
    database: str | None = None,
    *,
    uri: str | None = None,
    command: str | None = None,
    folder: str | None = None,
) -> LoadLock:
    """Take the database's load lock, in a committed transaction of its own.

    Raises `LoadLocked` (naming the holder) when another load holds it,
    and a one-line [`ServerError`][graphmodel.errors.ServerError] for a driver failure.
    """
    from neo4j.exceptions import ClientError, ConstraintError

    with translated(uri, "taking the load lock"):
        with driver.session(database=database) as session:
            try:
                session.run(load_cypher("load/lock/constraint")).consume()
            except ClientError as exc:
                # Another load created the same constraint at the same moment.
                if "EquivalentSchemaRule" not in (exc.code or ""):
                    raise
        token = secrets.token_hex(16)
        params = {
            "name": LOCK_NAME,
            "token": token,
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "command": command,
        }
        for _ in range(5):
            try:
                with driver.session(database=database) as session:
                    started = session.execute_write(
                        lambda tx: tx.run(load_cypher("load/lock/take"), **params).single()[0]
                    )
            except ConstraintError:
                holder = load_lock_holder(driver, database)
                if holder is not None:
                    raise LoadLocked(holder, uri, folder) from None
                continue  # released meanwhile: try again
            return LoadLock(
                driver, database, token, LockHolder(params["pid"], params["host"], command, started)
            )
    raise ServerError(
        f"{uri + ': ' if uri else ''}the load lock was taken and released by "
        "other loads five times in a row; try again"
    )


def load_lock_holder(driver, database: str | None = None) -> LockHolder | None:
    """Who holds the load lock, or ``None``."""
    with driver.session(database=database) as session:
        rows = session.execute_read(
            lambda tx: tx.run(load_cypher("load/lock/holder"), name=LOCK_NAME).data()
        )
    return _holder(rows[0]) if rows else None


def break_load_lock(
    driver, database: str | None = None, *, uri: str | None = None
) -> LockHolder | None:
    """Remove the load lock whoever holds it (a load that died leaves it behind); return the
    holder removed, or ``None`` when there was no lock."""
    with translated(uri, "breaking the load lock"), driver.session(database=database) as session:
        rows = session.execute_write(
            lambda tx: tx.run(load_cypher("load/lock/break"), name=LOCK_NAME).data()
        )
    return _holder(rows[0]) if rows else None


class _Reporter:
    """Rows done so far, reported to ``progress`` (thread-safe)."""

    def __init__(self, progress: Progress | None, total: Callable[[], int]):
        self.progress = progress
        self.total = total  # asked at the first report (it may wait for the tables)
        self.done = 0
        self.lock = threading.Lock()

    def __call__(self, label: str, rows: int) -> None:
        with self.lock:
            self.done += rows
            if self.progress:
                if callable(self.total):
                    self.total = self.total()
                self.progress(label, self.done, self.total)


def _load_keyed(steps, log: EventLog, driver, database, batch_size: int, report: _Reporter) -> None:
    apply_schema(driver, database)
    streams = log["streams"]["stream_id"].tolist()
    with driver.session(database=database) as session:
        session.execute_write(lambda tx: tx.run(load_cypher("load/fresh/progress_clear")).consume())
        for label, name, df in steps:
            query = load_cypher(name)
            for rows in batches(df, batch_size):
                session.execute_write(lambda tx, q=query, r=rows: tx.run(q, rows=r).consume())
                report(label, len(rows))
        query = load_cypher(f"load/{_DERIVED.load}")
        how = referral_how(log.coverage)
        step = max(1, int(batch_size * _STREAMS_PER_ROW))
        for start in range(0, len(streams), step):
            chunk = streams[start : start + step]
            session.execute_write(
                lambda tx, q=query, s=chunk: tx.run(q, streams=s, how=how).consume()
            )
            report(_DERIVED.step, len(chunk))


class _Short(Exception):
    """A batch wrote ``n`` rows, not the rows it has (0: its part was not at its start)."""

    def __init__(self, n: int):
        super().__init__(n)
        self.n = n


@dataclass
class _Batch:
    """Rows ``start:end`` of a part (counted over the part's steps), and their parameters."""

    part: str
    start: int
    end: int
    params: dict


class _Fresh:
    """The fresh-database path: parts, progress records, batches (see the module docstring)."""

    def __init__(
        self,
        log: EventLog,
        nodes,
        rels: Future,
        driver,
        database,
        fp: str,
        batch_size: int,
        report: _Reporter,
    ):
        self.log = log
        self.nodes = nodes
        self.rels = rels
        self.driver = driver
        self.database = database
        self.fp = fp
        self.batch_size = max(1, batch_size)
        self.report = report
        self._advance = load_cypher("load/fresh/progress_advance")

    # -- progress records ----------------------------------------------------------------

    def claim(self, tx, writers: int) -> dict[str, int] | None:
        """Positions of the parts of this load (new ones at 0), or ``None`` for the keyed path."""
        found = tx.run(load_cypher("load/fresh/progress_read")).data()
        if found:
            if any(r["log"] != self.fp for r in found):
                return None
            self.writers = int(found[0]["writers"])
            self.records = {r["part"]: r["node"] for r in found}
            return {r["part"]: int(r["pos"]) for r in found}
        if not tx.run(load_cypher("load/fresh/progress_empty")).single()["empty"]:
            return None
        self.writers = max(1, int(writers))
        parts = self.parts()
        made = tx.run(
            load_cypher("load/fresh/progress_start"), log=self.fp, parts=parts, writers=self.writers
        ).data()
        self.records = {r["part"]: r["node"] for r in made}
        return dict.fromkeys(parts, 0)

    def parts(self) -> list[str]:
        lanes = range(self.writers)
        return (
            ["nodes/0"] + [f"relationships/{k}" for k in lanes] + [f"referrals/{k}" for k in lanes]
        )

    def _write(self, session, query: str, batch: _Batch, expected: int, label: str) -> None:
        """Write one batch and move its part's record, in one transaction.

        ``expected``: the rows the batch writes (its query starts with
        ``progress_step.cypher``), or -1 for a referral batch (an unknown count;
        the record is moved by ``progress_advance.cypher`` first).
        """
        at = {
            "node": self.records[batch.part],
            "log": self.fp,
            "part": batch.part,
            "start": batch.start,
            "end": batch.end,
        }
        if expected >= 0:
            step = query  # the file starts with the guard (progress_step.cypher)
            params = {f"progress_{k}": v for k, v in at.items()} | batch.params

            def work(tx):
                n = tx.run(step, params).single()["n"]
                if n != expected:
                    raise _Short(n)
                return n
        else:

            def work(tx):
                if tx.run(self._advance, **at).single() is None:
                    raise _Short(0)
                return tx.run(query, **batch.params).single()["n"]

        try:
            session.execute_write(work)
        except _Short as short:
            # Nothing of this transaction was kept; the record says why.
            pos = self._position(session, batch.part)
            if pos == batch.start and expected >= 0:
                raise ServerError(
                    f"{label}: wrote {short.n} of {expected} rows; the database "
                    "changed during the load (nothing of this batch was kept)"
                ) from None
            if pos != batch.end:
                raise ServerError(
                    f"the load's progress record {batch.part} is at row {pos}, "
                    f"not {batch.start}: is another load writing this database?"
                ) from None
        self.report(label, batch.end - batch.start)

    def _position(self, session, part: str) -> int | None:
        rows = session.execute_read(
            lambda tx: tx.run(load_cypher("load/fresh/progress_read")).data()
        )
        return next(
            (int(r["pos"]) for r in rows if r["log"] == self.fp and r["part"] == part), None
        )

    # -- the load ------------------------------------------------------------------------

    def run(self, state: dict[str, int]) -> None:
        with self.driver.session(database=self.database) as session:
            self._nodes(session, self.nodes, state["nodes/0"])
            ids = self._node_ids(session)
        lanes = range(self.writers)
        rels = [(label, df) for label, _, df in self.rels.result()]
        pos = [state[f"relationships/{k}"] for k in lanes]
        base = [0 for _ in lanes]
        sessions = [self.driver.session(database=self.database) for _ in lanes]
        try:
            with ThreadPoolExecutor(max_workers=self.writers) as pool:
                running: list = []
                done_type = None
                # The client prepares step i (node ids, the split) while the writers run step i - 1.
                for label, df in rels:
                    parts = self._split(label, df, ids)
                    work = []
                    for k in lanes:
                        src, dst, rows = parts[k]
                        first, base[k] = base[k], base[k] + len(rows)
                        done = min(max(pos[k] - first, 0), len(rows))
                        if done:
                            self.report(label, done)
                        work.append(
                            self._relationship_batches(
                                f"relationships/{k}",
                                label,
                                first + done,
                                src[done:],
                                dst[done:],
                                rows.iloc[done:],
                            )
                        )
                    for f in running:
                        f.result()
                    self._index(done_type)
                    running = [
                        pool.submit(self._run_lane, s, w)
                        for s, w in zip(sessions, work, strict=True)
                    ]
                    done_type = _BY_STEP[label].type
                for f in running:
                    f.result()
                self._index(done_type)
                running = [
                    pool.submit(
                        self._run_lane, s, self._referral_batches(k, state[f"referrals/{k}"])
                    )
                    for k, s in zip(lanes, sessions, strict=True)
                ]
                for f in running:
                    f.result()
        finally:
            for s in sessions:
                s.close()
        self.report("indexes", 0)
        apply_schema(self.driver, self.database)
        with self.driver.session(database=self.database) as session:
            session.execute_write(
                lambda tx: tx.run(load_cypher("load/fresh/progress_clear")).consume()
            )

    def _index(self, rel_type: str | None) -> None:
        """Create the indexes of ``rel_type`` (written in full): they populate in the
        server's background while the next steps are written; the load's last
        `apply_schema` waits for them."""
        if rel_type is not None:
            apply_schema(self.driver, self.database, only="indexes", wait=False, types=(rel_type,))

    def _nodes(self, session, node_steps, pos: int) -> None:
        base = 0
        for label, name, df in node_steps:
            query = load_cypher(f"load/fresh/{name.removeprefix('load/')}")
            first = base
            base += len(df)
            if pos >= base:
                self.report(label, len(df))
                continue
            if pos > first:
                self.report(label, pos - first)
            for start in range(max(pos, first), base, self.batch_size):
                end = min(start + self.batch_size, base)
                chunk = df.iloc[start - first : end - first]
                params = {c: column_values(chunk[c], "us") for c in chunk.columns}
                self._write(
                    session, query, _Batch("nodes/0", start, end, params), end - start, label
                )

    def _node_ids(self, session) -> dict[str, pd.Series]:
        rows = session.execute_read(lambda tx: tx.run(load_cypher("load/fresh/node_ids")).data())
        return {
            r["label"]: pd.Series(
                np.asarray(r["nodes"], dtype="int64"), index=pd.Index(r["keys"], dtype=str)
            )
            for r in rows
        }

    def _lookup(self, ids: dict[str, pd.Series], labels: tuple[str, ...], keys: pd.Series):
        out = np.full(len(keys), -1, dtype="int64")
        for label in labels:
            table = ids.get(label)
            if table is None:
                continue
            pos = table.index.get_indexer(keys)
            hit = (pos >= 0) & (out < 0)
            out[hit] = table.to_numpy()[pos[hit]]
        return out

    def _split(self, label: str, df: pd.DataFrame, ids):
        """Per writer: the internal ids of the two ends, and the property columns, of its rows.

        A row goes to the writer of its source node's internal id (fixed once
        the nodes are written, so a resumed load splits the same way).
        """
        m = _BY_STEP[label]
        src_ids = self._lookup(ids, m.start_labels, df[m.start[1]])
        dst_ids = self._lookup(ids, m.end_labels, df[m.end[1]])
        props = list(m.stored_properties)
        lane = src_ids % self.writers
        out = []
        for k in range(self.writers):
            mine = np.flatnonzero(lane == k)
            mine = mine[np.argsort(src_ids[mine], kind="stable")]
            out.append((src_ids[mine], dst_ids[mine], df.iloc[mine][props]))
        return out

    def _relationship_batches(
        self, part: str, label: str, start: int, src, dst, rows: pd.DataFrame
    ):
        query = load_cypher(f"load/fresh/{_BY_STEP[label].load}")
        size = self.batch_size
        for i in range(0, len(rows), size):
            chunk = rows.iloc[i : i + size]
            params = {
                "src": src[i : i + size].tolist(),
                "dst": dst[i : i + size].tolist(),
                **{c: column_values(chunk[c], "us") for c in chunk.columns},
            }
            yield label, query, _Batch(part, start + i, start + i + len(chunk), params), len(chunk)

    def _referral_batches(self, lane: int, pos: int):
        part = f"referrals/{lane}"
        mine = self.log["streams"]["stream_id"].astype(str).tolist()[lane :: self.writers]
        if pos:
            self.report(_DERIVED.step, min(pos, len(mine)))
        step = max(1, int(self.batch_size * _STREAMS_PER_ROW))
        query = load_cypher(f"load/fresh/{_DERIVED.load}")
        how = referral_how(self.log.coverage)
        for start in range(pos, len(mine), step):
            chunk = mine[start : start + step]
            yield (
                _DERIVED.step,
                query,
                _Batch(part, start, start + len(chunk), {"streams": chunk, "how": how}),
                -1,
            )

    def _run_lane(self, session, batches) -> None:
        for label, query, batch, expected in batches:
            self._write(session, query, batch, expected, label)
