"""Load an event log offline with ``neo4j-admin database import full`` ([docs/model.md, section 3][model-3]).

For logs too big for the Bolt loader (`graphmodel.engines.neo4j.load`), the
graph is written as CSV files in the import tool's format and imported into
an offline database, which the tool writes directly in Neo4j's store format.
The result is the graph the Bolt loader builds: the same labels, relationship
types, properties, values and value types, ``REFERRED`` derived by the same
first-arrival rule ([`graphmodel.model.referrals.derive_referrals`][graphmodel.model.referrals.derive_referrals]),
and the constraints and indexes of ``cypher/schema/``.

>>> from graphmodel.eventlog import read_log
>>> from graphmodel.engines.neo4j.bulk import bulk_import
>>> from graphmodel.server import LocalServer
>>> stats = bulk_import(read_log("platform/"), LocalServer())  # doctest: +SKIP

The import replaces the whole database: it runs on a stopped server, so
`bulk_import` stops the local server, imports, starts it again and
creates the constraints and indexes. See docs/neo4j-server.md, "Offline bulk
import".

The files
---------
One file per label (``User.csv``, ...) and per relationship type
(``WATCHED.csv``, ...), the label or type given on the command line
(``--nodes=User=User.csv``). ``FOLLOWS`` has two files, ``FOLLOWS-User.csv``
and ``FOLLOWS-Streamer.csv``, because the end node's id space differs. The
header row names each column's type: ``id:ID(User)`` (the node key, kept as
the property ``id``, one id space per label), ``:START_ID(User)``,
``:END_ID(Stream)``, ``at:localdatetime``, ``seconds:double``,
``count:long``, ``coupon_redeemed:boolean``, ``channel:string``. Numbers are
``double`` and ``long`` because the Bolt loader sends Python floats and ints,
which Neo4j stores as 64-bit values. Every string is quoted (an inner quote
doubled), so an empty string stays an empty string; a missing value is an
empty unquoted field, which sets no property, as ``SET r.x = null`` does.
Times are written to the microsecond, as the Python driver sends them.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from graphmodel.engines.neo4j.connect import DRIVER_CONFIG
from graphmodel.errors import ServerError
from graphmodel.eventlog.log import EventLog
from graphmodel.model.referrals import derive_referrals
from graphmodel.model.social import follow_edges
from graphmodel.schema import (
    EDGES,
    NODE,
    NODE_LABELS,
    NODES,
    RELATIONSHIPS,
    node_rows,
    relationship_rows,
)

__all__ = ["write_import_files", "import_arguments", "run_import", "bulk_import"]

Progress = Callable[[str], None]

#: The functions making the derived tables of `graphmodel.schema.DERIVATIONS`.
_DERIVE = {"follow_edges": follow_edges, "referrals": derive_referrals}

#: pandas dtype kind -> the import tool's property type.
_TYPES = {
    "datetime": "localdatetime",
    "float": "double",
    "int": "long",
    "bool": "boolean",
    "str": "string",
}


def _kind(s: pd.Series) -> str:
    if pd.api.types.is_datetime64_any_dtype(s):
        return "datetime"
    if pd.api.types.is_bool_dtype(s):
        return "bool"
    if pd.api.types.is_integer_dtype(s):
        return "int"
    if pd.api.types.is_float_dtype(s):
        return "float"
    return "str"


def _arrow(s: pd.Series) -> pa.Array | pa.ChunkedArray:
    """``s`` as an Arrow array the CSV writer renders the way the import tool reads it."""
    kind = _kind(s)
    if kind == "datetime":
        values = s.astype("datetime64[ns]")
        ns = values.to_numpy(dtype="datetime64[ns]").view("int64")
        if (ns[~values.isna().to_numpy()] % 1000).any():  # as the driver: whole microseconds
            values = values.dt.floor("us")
        us = pa.array(values, from_pandas=True).cast(pa.timestamp("us"))
        # "2024-03-01 20:00:00.000000" with a T for the space (years are 1677 to 2262,
        # always four digits); ten times faster than strftime
        return pc.utf8_replace_slice(us.cast(pa.string()), 10, 11, "T")
    if kind == "float":
        return pa.array(s.to_numpy(dtype="float64", na_value=np.nan), from_pandas=True)
    if kind == "int":
        return pa.array(s.astype("Int64"), type=pa.int64())
    if kind == "bool":
        return pa.array(s.astype("boolean"), type=pa.bool_())
    return pa.array(s.astype(pd.StringDtype("pyarrow")), type=pa.large_string())


def _has_line_break(column: pa.Array | pa.ChunkedArray) -> bool:
    """Whether a text column (``large_string``; times are ``string``) holds a line break."""
    if not pa.types.is_large_string(column.type):
        return False
    breaks = pc.or_(pc.match_substring(column, "\n"), pc.match_substring(column, "\r"))
    return bool(pc.any(breaks).as_py())


class _Writer:
    """Writes the files and keeps the plan: what goes where, how many rows."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.nodes: list[tuple[str, Path]] = []
        self.relationships: list[tuple[str, Path]] = []
        self.counts: dict[str, int] = {name: 0 for name in (*NODE_LABELS, *RELATIONSHIPS)}
        self.multiline = False

    def _write(self, path: Path, header: list[str], columns: list) -> None:
        for column in columns:
            self.multiline = self.multiline or _has_line_break(column)
        table = pa.Table.from_arrays(columns, names=[f"c{i}" for i in range(len(columns))])
        with open(path, "wb") as handle:
            handle.write((",".join(header) + "\n").encode())
            if table.num_rows:
                pa_csv.write_csv(table, handle, pa_csv.WriteOptions(include_header=False))

    def node(self, label: str, df: pd.DataFrame, id_col: str, props: list[str]) -> None:
        header = [f"id:ID({label})"] + [f"{p}:{_TYPES[_kind(df[p])]}" for p in props]
        columns = [_arrow(df[id_col])] + [_arrow(df[p]) for p in props]
        path = self.folder / f"{label}.csv"
        self._write(path, header, columns)
        self.nodes.append((label, path))
        self.counts[label] += len(df)

    def relationship(
        self,
        rel: str,
        df: pd.DataFrame,
        start: tuple[str, str],
        end: tuple[str, str],
        props: list[str],
        file: str | None = None,
    ) -> None:
        (start_label, start_col), (end_label, end_col) = start, end
        header = [f":START_ID({start_label})", f":END_ID({end_label})"]
        header += [f"{p}:{_TYPES[_kind(df[p])]}" for p in props]
        columns = [_arrow(df[start_col]), _arrow(df[end_col])] + [_arrow(df[p]) for p in props]
        path = self.folder / f"{file or rel}.csv"
        self._write(path, header, columns)
        self.relationships.append((rel, path))
        self.counts[rel] += len(df)


def _derived(log: EventLog, name: str, table: str) -> pd.DataFrame:
    """The derived table ``name`` of ``log``: the ``REFERRED`` edges say how the log's
    referrals were made (as the Bolt loader's ``$how``)."""
    if name == "referrals":
        from graphmodel.engines.neo4j.load import referral_how

        return derive_referrals(log[table], referral_how(log.coverage))
    return _DERIVE[name](log[table])


def write_import_files(log: EventLog, folder: str | os.PathLike) -> dict:
    """Write the graph of ``log`` (already validated) as CSV files for ``neo4j-admin database import``.

    Parameters
    ----------
    log : EventLog
        A validated log ([`graphmodel.eventlog.read_log`][graphmodel.eventlog.read.read_log] validates).
    folder : path
        Where to write the files (created if missing; files of the same names are replaced).

    Returns
    -------
    dict
        ``folder`` (Path); ``nodes`` and ``relationships``: lists of
        ``(label or type, Path)`` in import order; ``counts``: rows per label
        and per relationship type (every one of `graphmodel.schema.NODE_LABELS`
        and `graphmodel.schema.RELATIONSHIPS`, ``REFERRED`` included);
        ``node_count``, ``relationship_count`` and ``rows`` (their sum);
        ``bytes``: the files' total size; ``multiline_fields``: whether a
        string holds a line break (the import then needs ``--multiline-fields=true``).
    """
    out = Path(folder).absolute()
    out.mkdir(parents=True, exist_ok=True)
    w = _Writer(out)
    for node in NODES:
        w.node(node.label, node_rows(log, node), node.key, list(node.properties))

    derived = {m.derived: _derived(log, m.derived, m.table) for m in EDGES if m.derived}
    for m in EDGES:
        rows = relationship_rows(log, m, derived, stored=True)
        props = list(m.stored_properties)
        if len(m.end_labels) == 1:
            w.relationship(m.type, rows, m.start, m.end, props)
            continue
        # An end of several labels (FOLLOWS: User|Streamer): one file per label, as the
        # end node's id space differs; an id goes to the first label holding it (as the
        # Bolt loader's coalesce); validation makes every end one of them.
        ends = rows[m.end[1]]
        taken = np.zeros(len(rows), dtype=bool)
        for label in m.end_labels:
            node = NODE[label]
            mask = ~taken & ends.isin(log[node.table][node.key]).to_numpy(dtype=bool)
            taken |= mask
            w.relationship(
                m.type, rows[mask], m.start, (label, m.end[1]), props, file=f"{m.type}-{label}"
            )

    node_count = sum(w.counts[label] for label in NODE_LABELS)
    rel_count = sum(w.counts[rel] for rel in RELATIONSHIPS)
    paths = [p for _, p in w.nodes + w.relationships]
    return {
        "folder": out,
        "nodes": w.nodes,
        "relationships": w.relationships,
        "counts": w.counts,
        "node_count": node_count,
        "relationship_count": rel_count,
        "rows": node_count + rel_count,
        "bytes": sum(p.stat().st_size for p in paths),
        "multiline_fields": w.multiline,
    }


# --- running the import tool ----------------------------------------------------------


def import_arguments(
    files: dict,
    database: str = "neo4j",
    report_file: str | os.PathLike | None = None,
    *,
    relative: bool = False,
) -> list[str]:
    """The ``neo4j-admin`` arguments that import ``files`` (from `write_import_files`).

    ``database import full <database> --overwrite-destination=true ...``: the
    database name comes before the options because ``--nodes`` and
    ``--relationships`` take every following word as a file (Neo4j 5.19 and later).
    With ``relative`` the files are named relative to ``files["folder"]``
    (the tool then runs there): the tool splits a list of files at commas and
    reads a file's name as a regular expression, so a folder named
    ``a,b (1)`` cannot be spelt out.
    """

    def name(path: Path) -> str:
        return str(path.relative_to(files["folder"]) if relative else path)

    args = [
        "database",
        "import",
        "full",
        database,
        "--overwrite-destination=true",
        "--id-type=string",
        "--delimiter=,",
        "--array-delimiter=;",
        "--ignore-empty-strings=false",
        "--trim-strings=false",
        "--normalize-types=true",
        "--skip-bad-relationships=false",
        "--skip-duplicate-nodes=false",
        "--bad-tolerance=0",
        "--verbose",  # a failure then names the file, line and cause
        f"--multiline-fields={'true' if files.get('multiline_fields') else 'false'}",
    ]
    if report_file is not None:
        args.append(f"--report-file={report_file}")
    args += [f"--nodes={label}={name(path)}" for label, path in files["nodes"]]
    args += [f"--relationships={rel}={name(path)}" for rel, path in files["relationships"]]
    return args


_DONE = re.compile(r"IMPORT DONE in (.+?)\.\s*$", re.MULTILINE)
_IMPORTED = re.compile(r"^\s*(\d+) (nodes|relationships|properties)\s*$", re.MULTILINE)
_DURATION = re.compile(r"(\d+(?:\.\d+)?)(ms|s|m|h)\b")


def _seconds(text: str) -> float:
    """``1m 2s 345ms`` in seconds."""
    scale = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}
    return sum(float(n) * scale[u] for n, u in _DURATION.findall(text))


def _useful_lines(text: str) -> list[str]:
    """Lines of the tool's output or report worth showing: no progress bars, stack frames or blanks."""
    kept = []
    for line in text.splitlines():
        s = line.strip()
        if not s or s.startswith(("at ", "...", "[", "-.", ".")) or set(s) <= set(".-"):
            continue
        kept.append(" ".join(s.split())[:300])
    return kept


_CAUSE = re.compile(r"^Caused by: (?:[\w.$]+(?:Exception|Error): )?(.+)$", re.MULTILINE)
_ERROR = re.compile(r"^[\w.$]+(?:Exception|Error): (.+)$", re.MULTILINE)
_SOURCE = re.compile(r"data source: .*?source:(.+?), position:\d+, line:(\d+)")


def _detail(output: str, report_text: str) -> str:
    """What went wrong, in a line: the report's tail, else the root cause and where it is."""
    tail = _useful_lines(report_text)[-3:]
    if tail:
        return "; ".join(tail)
    causes = _CAUSE.findall(output)
    if causes:
        where = _SOURCE.search(output)
        at = f" ({Path(where.group(1)).name} line {where.group(2)})" if where else ""
        return " ".join(causes[-1].split())[:300] + at
    errors = _ERROR.findall(output)
    if errors:
        return " ".join(errors[-1].split())[:300]
    tail = [line for line in _useful_lines(output) if not line.startswith("WARNING")][-3:]
    return "; ".join(tail) if tail else "no output"


def _failure(reason: str, output: str, report: Path, log_file: Path) -> ServerError:
    try:
        report_text = report.read_text(encoding="utf-8", errors="replace")
    except OSError:
        report_text = ""
    return ServerError(
        f"neo4j-admin database import {reason}: {_detail(output, report_text)}; the server is "
        f"left stopped and its database is unusable until an import succeeds (report {report}, "
        f"output {log_file})"
    )


def run_import(
    files: dict,
    server,
    database: str = "neo4j",
    *,
    heap: str = "1g",
    on_progress: Progress | None = None,
) -> dict:
    """Run ``neo4j-admin database import full`` on the files of `write_import_files`.

    The local server of ``server`` (a `graphmodel.server.LocalServer` or
    its home folder) must be stopped. The tool runs as the server package runs
    ``neo4j-admin`` (``java -cp <conf>/*:<lib>/* ... org.neo4j.cli.AdminTool``,
    the JVM options of ``neo4j-admin``'s launcher, ``NEO4J_HOME`` and
    ``NEO4J_CONF`` set) with a heap of ``heap``. Its output goes to
    ``<home>/logs/import.log`` and its report of bad entries to
    ``<home>/logs/import.report``.

    Returns ``nodes``, ``relationships``, ``properties`` (as the tool counted
    them), ``seconds`` (wall time, JVM start included), ``tool_seconds``
    (what the tool reports), ``report_file`` and ``log_file``.

    Raises
    ------
    ServerError
        A running server, Java missing, or a failed import (one line, ending
        with the tail of the report).
    """
    from graphmodel.server import LocalServer
    from graphmodel.server import assemble as _assemble
    from graphmodel.server import process as _process
    from graphmodel.server.config import JVM_OPTIONS
    from graphmodel.server.credentials import ADMIN_MAIN_CLASS
    from graphmodel.server.tools import SUPPORTED_JAVA, find_java, java_major_version

    server = server if isinstance(server, LocalServer) else LocalServer(server)
    report = on_progress or (lambda message: None)
    if server.status().running:
        raise ServerError(
            f"a Neo4j server runs in {server.home}; stop it first (`graphmodel server stop`): "
            "the import replaces its database"
        )
    java = find_java(need_maven=not _assemble.is_assembled(server.install))
    if java_major_version(java) < min(SUPPORTED_JAVA):
        raise ServerError(f"neo4j-admin needs Java 17 or 21, but {java} is older")
    _assemble.assemble(server.install, on_progress=report)
    config = server._config()  # the configuration the next start writes, ports included
    config.write()
    default = config.settings()["initial.dbms.default_database"]
    if database != default:
        raise ServerError(
            f"cannot import into database {database!r}: Neo4j Community serves one user "
            f"database, {default!r}"
        )
    report_file = config.logs_dir / "import.report"
    log_file = config.logs_dir / "import.log"
    report_file.unlink(missing_ok=True)
    command = [
        java,
        "-cp",
        _process._classpath(config.plugins_dir, config.conf_dir, config.lib),
        *JVM_OPTIONS,
        "-Dfile.encoding=UTF-8",
        f"-Xmx{_process._kib(heap)}k",
        ADMIN_MAIN_CLASS,
        *import_arguments(files, database, report_file, relative=True),
    ]
    env = dict(os.environ, NEO4J_HOME=str(config.lib.parent), NEO4J_CONF=str(config.conf_dir))
    env.pop("JAVA_OPTS", None)
    env.pop("HEAP_SIZE", None)
    report(f"Importing {files['rows']:,} nodes and relationships with neo4j-admin")
    started = time.perf_counter()
    with open(log_file, "w", encoding="utf-8") as log:
        log.write(" ".join(command) + "\n\n")
        log.flush()
        try:
            result = subprocess.run(
                command,
                cwd=files["folder"],
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        except OSError as exc:
            raise ServerError(f"cannot run {java}: {exc.strerror}") from None
    seconds = time.perf_counter() - started
    output = log_file.read_text(encoding="utf-8", errors="replace")
    if result.returncode != 0:
        raise _failure(f"failed (exit code {result.returncode})", output, report_file, log_file)
    done = _DONE.search(output)
    imported = {kind: int(n) for n, kind in _IMPORTED.findall(output[done.end() :] if done else "")}
    if not done or "nodes" not in imported:
        raise _failure("gave no summary", output, report_file, log_file)
    if (imported["nodes"], imported.get("relationships", 0)) != (
        files["node_count"],
        files["relationship_count"],
    ):
        raise _failure(
            f"imported {imported['nodes']:,} nodes and {imported.get('relationships', 0):,} "
            f"relationships instead of {files['node_count']:,} and "
            f"{files['relationship_count']:,}",
            output,
            report_file,
            log_file,
        )
    return {
        "nodes": imported["nodes"],
        "relationships": imported.get("relationships", 0),
        "properties": imported.get("properties", 0),
        "seconds": seconds,
        "tool_seconds": _seconds(done.group(1)),
        "report_file": report_file,
        "log_file": log_file,
    }


def _refuse_if_locked(server, bolt_uri: str | None, database: str) -> None:
    """Raise `LoadLocked` when a Bolt load holds the load
    lock of the running server's database: the import would stop the server under it."""
    import neo4j

    from graphmodel.engines.neo4j.failures import translated
    from graphmodel.engines.neo4j.load import LoadLocked, load_lock_holder
    from graphmodel.server import read_credentials

    creds = read_credentials(server.home)
    if not bolt_uri or not creds:
        return
    auth = (creds.get("user", "neo4j"), creds["password"])
    with (
        translated(bolt_uri, "reading the load lock before the import"),
        neo4j.GraphDatabase.driver(bolt_uri, auth=auth, **DRIVER_CONFIG) as driver,
    ):
        holder = load_lock_holder(driver, database)
    if holder is not None:
        raise LoadLocked(holder, bolt_uri)


def bulk_import(
    log: EventLog,
    server,
    database: str = "neo4j",
    *,
    files_dir: str | os.PathLike | None = None,
    heap: str = "1g",
    timeout: float = 120.0,
    on_progress: Progress | None = None,
    break_lock: bool = False,
    source: str | os.PathLike | None = None,
) -> dict:
    """Replace the local server's database with the graph of ``log``, offline.

    Writes the import files (`write_import_files`), stops the server if
    it runs, runs ``neo4j-admin database import full --overwrite-destination``
    (`run_import`), starts the server again and creates the constraints
    and indexes of ``cypher/schema/``
    (`graphmodel.engines.neo4j.load.apply_schema`) and the load lock's
    constraint, and writes the log's record (its coverage and ``graphmodel.json``,
    ``cypher/log/write.cypher``), as a Bolt load does. The server is left running, as ``graphmodel server start``
    leaves it; a home that never ran a server gets one, with a generated
    password, as at a first start. A running server whose database a Bolt
    load holds the load lock of is not stopped: the
    import would stop the server under that load
    (`LoadLocked`).

    Parameters
    ----------
    log : EventLog
        A validated log ([`graphmodel.eventlog.read_log`][graphmodel.eventlog.read.read_log] validates).
    server : LocalServer or path
        The local server, or its home folder (``LocalServer(home)``).
    database : str
        The database to replace; Neo4j Community has one, ``neo4j``.
    files_dir : path, optional
        Keep the CSV files there; by default they go to a temporary folder
        under ``<home>/import`` that is removed afterwards.
    heap : str
        The import tool's JVM heap (``1g``); the tool's page cache and
        buffers are off-heap (up to 90 % of free memory, the tool's default).
    timeout : float
        Seconds to wait for the server to answer after the import.
    on_progress : callable, optional
        Called with a short message before each phase.
    break_lock : bool
        Import even when the running server's load lock is held (a lock a
        dead load left; the import replaces the database, lock included).
    source : path, optional
        The folder the log was read from, kept in the log's record with its
        fingerprint (``cypher/database/loaded.cypher``), as a Bolt load keeps it.

    Returns
    -------
    dict
        ``nodes``, ``relationships``, ``rows`` (their sum), ``properties``,
        ``counts`` (per label and type), ``bytes`` (of the CSV files), the
        seconds of each phase (``write_seconds``, ``stop_seconds``,
        ``import_seconds``, ``start_seconds``, ``schema_seconds``) and
        ``total_seconds``, ``rows_per_second`` (rows / ``import_seconds``),
        ``bolt_uri``, ``report_file``, ``log_file`` and ``files_dir`` (None
        when the files were removed).

    Raises
    ------
    ServerError
        One line: Java missing, the import failed (with the tail of its
        report), or the server did not come back.
    LoadLocked
        A Bolt load holds the running server's load lock; nothing was done.
    """
    import neo4j

    from graphmodel.cypher import load_cypher
    from graphmodel.engines.neo4j.load import LOG_RECORD, apply_schema, fingerprint, log_record
    from graphmodel.server import LocalServer

    server = server if isinstance(server, LocalServer) else LocalServer(server)
    report = on_progress or (lambda message: None)
    begun = time.perf_counter()
    if files_dir is None:
        (server.home / "import").mkdir(parents=True, exist_ok=True)
        folder = Path(tempfile.mkdtemp(prefix="bulk-", dir=server.home / "import"))
    else:
        folder = Path(files_dir)
    try:
        report(f"Writing the import files to {folder}")
        t = time.perf_counter()
        files = write_import_files(log, folder)
        write_seconds = time.perf_counter() - t

        t = time.perf_counter()
        status = server.status()
        if status.running:
            if not break_lock:
                _refuse_if_locked(server, status.bolt_uri, database)
            report("Stopping Neo4j for the import")
            server.stop()
        stop_seconds = time.perf_counter() - t

        imported = run_import(files, server, database, heap=heap, on_progress=report)
    finally:
        if files_dir is None:
            shutil.rmtree(folder, ignore_errors=True)

    report("Starting Neo4j")
    t = time.perf_counter()
    info = server.start(timeout=timeout)
    start_seconds = time.perf_counter() - t

    report("Creating the constraints and indexes")
    t = time.perf_counter()
    with neo4j.GraphDatabase.driver(info.bolt_uri, auth=info.auth, **DRIVER_CONFIG) as driver:
        apply_schema(driver, database)
        with driver.session(database=database) as session:  # as a Bolt load leaves it
            session.run(load_cypher("load/lock/constraint")).consume()
            record = log_record(log.coverage, log.meta)
            session.execute_write(lambda tx: tx.run(load_cypher("log/write"), **record).consume())
            loaded = {"name": LOG_RECORD, "fingerprint": fingerprint(log),
                      "folder": str(source) if source is not None else ""}
            session.execute_write(
                lambda tx: tx.run(load_cypher("database/loaded"), **loaded).consume()
            )
    schema_seconds = time.perf_counter() - t

    rows = imported["nodes"] + imported["relationships"]
    return {
        "nodes": imported["nodes"],
        "relationships": imported["relationships"],
        "rows": rows,
        "properties": imported["properties"],
        "counts": files["counts"],
        "bytes": files["bytes"],
        "write_seconds": write_seconds,
        "stop_seconds": stop_seconds,
        "import_seconds": imported["seconds"],
        "tool_seconds": imported["tool_seconds"],
        "start_seconds": start_seconds,
        "schema_seconds": schema_seconds,
        "total_seconds": time.perf_counter() - begun,
        "rows_per_second": rows / imported["seconds"] if imported["seconds"] else float("inf"),
        "bolt_uri": info.bolt_uri,
        "report_file": imported["report_file"],
        "log_file": imported["log_file"],
        "files_dir": None if files_dir is None else folder,
    }
