"""The local server's database: what it holds, empty it, dump it to a file, restore a dump.

``graphmodel server reset|dump|restore`` (docs/neo4j-server.md, "A database you
control"). A reset empties the database over Bolt, in batches, under the load lock: the
server keeps running, and its users and password (in the ``system`` database), the
credentials file, the constraints and the indexes stay. A dump and a restore run
``neo4j-admin database dump|load`` on the stopped server (Neo4j Community cannot dump a
database in use): the server is stopped first and started again afterwards when it was
running. The dump file is written through ``--to-stdout`` into a file created for it
(an existing file is never overwritten) and read back through ``--from-stdin``.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

from graphmodel.errors import ServerError, UserError

__all__ = [
    "DATABASE",
    "is_dump",
    "server_contents",
    "reset_server",
    "dump_database",
    "restore_database",
]

#: The one user database of Neo4j Community.
DATABASE = "neo4j"

#: How a Neo4j dump file starts: ``DZV1`` (Neo4j 5's zstd format), or gzip (the older one).
_DUMP_MAGIC = (b"DZV1", b"\x1f\x8b")

Report = Callable[[str], None]


def _server(server):
    from graphmodel.server import LocalServer

    return server if isinstance(server, LocalServer) else LocalServer(server)


def _driver(server):
    """A driver on the running local server (its saved credentials), and its Bolt URI."""
    import neo4j

    from graphmodel.engines.neo4j.connect import DRIVER_CONFIG
    from graphmodel.server.credentials import read_credentials

    status = server.status()
    creds = read_credentials(server.home)
    if not status.running or not status.bolt_uri or not creds:
        raise ServerError(
            f"no Neo4j server runs in {server.home}: start it with `graphmodel server start`"
        )
    auth = (creds.get("user", "neo4j"), creds["password"])
    return neo4j.GraphDatabase.driver(status.bolt_uri, auth=auth, **DRIVER_CONFIG), status.bolt_uri


def _has_store(server) -> bool:
    """Whether the server's database was ever created (a home that never ran has none)."""
    return (server.home / "data" / "databases" / DATABASE).is_dir()


def server_contents(server, *, start: bool = False, report: Report | None = None):
    """What the local server's database holds
    (`Contents`), and its Bolt URI (``None``
    when it has no database yet).

    A stopped server is started to look (``start``) or refused with one line.
    """
    from graphmodel.engines.neo4j.database import Contents, read_contents
    from graphmodel.engines.neo4j.failures import translated

    server = _server(server)
    if not server.status().running:
        if not _has_store(server):
            return Contents(0, 0, 0), None
        if not start:
            raise ServerError(
                f"no Neo4j server runs in {server.home}: start it with "
                "`graphmodel server start`"
            )
        (report or (lambda m: None))("Starting Neo4j to see what its database holds")
        server.start()
    driver, uri = _driver(server)
    with driver, translated(uri, "reading what the database holds"):
        return read_contents(driver, DATABASE), uri


def reset_server(
    server,
    *,
    batch_size: int = 10_000,
    progress: Callable[[str, int, int], None] | None = None,
) -> tuple[str, int, int]:
    """Empty the running local server's database (`graphmodel.engines.neo4j.database.reset_database`); returns its Bolt URI and the nodes and relationships deleted."""
    from graphmodel.engines.neo4j.database import reset_database
    from graphmodel.engines.neo4j.failures import translated

    server = _server(server)
    driver, uri = _driver(server)
    with driver:
        with translated(uri, "connecting"):
            driver.verify_connectivity()
        _, nodes, rels = reset_database(
            driver, DATABASE, uri=uri, batch_size=batch_size, progress=progress
        )
    return uri, nodes, rels


def is_dump(path: Path) -> bool:
    """Whether ``path`` starts as a Neo4j dump does (a quick check; ``neo4j-admin database
    load --info`` reads its header)."""
    try:
        with open(path, "rb") as f:
            head = f.read(4)
    except OSError:
        return False
    return any(head.startswith(m) for m in _DUMP_MAGIC)


def _admin(server, args: list[str], *, stdin=None, stdout=None, heap: str = "512m"):
    """Run ``neo4j-admin ARGS`` as the server package runs it (see
    `graphmodel.engines.neo4j.bulk.run_import`); returns the completed process
    (stderr captured as text)."""
    from graphmodel.server import assemble as _assemble
    from graphmodel.server import process as _process
    from graphmodel.server.config import JVM_OPTIONS
    from graphmodel.server.credentials import ADMIN_MAIN_CLASS
    from graphmodel.server.tools import SUPPORTED_JAVA, find_java, java_major_version

    java = find_java(need_maven=not _assemble.is_assembled(server.install))
    if java_major_version(java) < min(SUPPORTED_JAVA):
        raise ServerError(f"neo4j-admin needs Java 17 or 21, but {java} is older")
    _assemble.assemble(server.install)
    conf_dir = server.home / "conf"
    if not (conf_dir / "neo4j.conf").is_file():  # a home that never ran a server
        server._config().write()
    # The configuration the server runs with, never rewritten here: choosing ports again
    # while the server runs would move its recorded address away from the one it holds.
    lib = server.install / "lib"
    command = [
        java,
        "-cp",
        _process._classpath(server.install / "plugins", conf_dir, lib),
        *JVM_OPTIONS,
        "-Dfile.encoding=UTF-8",
        f"-Xmx{_process._kib(heap)}k",
        ADMIN_MAIN_CLASS,
        *args,
    ]
    env = dict(os.environ, NEO4J_HOME=str(server.install), NEO4J_CONF=str(conf_dir))
    env.pop("JAVA_OPTS", None)
    env.pop("HEAP_SIZE", None)
    try:
        return subprocess.run(
            command,
            env=env,
            stdin=stdin if stdin is not None else subprocess.DEVNULL,
            stdout=stdout if stdout is not None else subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
    except OSError as exc:
        raise ServerError(f"cannot run {java}: {exc.strerror}") from None


def _why(result) -> str:
    """The last meaningful line of neo4j-admin's output."""
    text = (result.stderr or b"").decode("utf-8", "replace")
    if result.stdout and isinstance(result.stdout, bytes):
        text += "\n" + result.stdout.decode("utf-8", "replace")
    lines = [
        line.strip()
        for line in text.splitlines()
        if line.strip() and not line.startswith(("Files:", "Run with '--verbose'"))
    ]
    return lines[-1][:300] if lines else f"exit code {result.returncode}"


def _check_dump(server, file: Path) -> None:
    """Refuse (one line) a file that is not a Neo4j dump, before the server is touched."""
    if not file.is_file():
        raise UserError(f"{file}: no such file")
    if not is_dump(file):
        raise UserError(f"{file}: not a Neo4j dump (made by `graphmodel server dump FILE`)")
    with open(file, "rb") as f:
        result = _admin(server, ["database", "load", "--info", "--from-stdin", DATABASE], stdin=f)
    if result.returncode != 0:
        raise UserError(f"{file}: not a Neo4j dump ({_why(result)})")


class _Stopped:
    """Stop the server for the block if it runs; start it again afterwards (even when the
    block fails, so that a failed dump or restore leaves the server as it was)."""

    def __init__(self, server, report: Report):
        self.server = server
        self.report = report
        self.was_running = False
        self.info = None

    def __enter__(self):
        self.was_running = self.server.status().running
        if self.was_running:
            self.report("Stopping Neo4j")
            self.server.stop()
        return self

    def __exit__(self, *exc):
        if self.was_running:
            self.report("Starting Neo4j")
            self.info = self.server.start()


def _store_dirs(server) -> list[Path]:
    """The database's store and transaction logs in the server's home."""
    data = server.home / "data"
    return [data / "databases" / DATABASE, data / "transactions" / DATABASE]


def _move_aside(server) -> list[tuple[Path, Path]]:
    """Rename the stopped server's database folders aside (same folder, so a rename), so
    that a load that fails halfway (a truncated dump, a full disk) can put them back."""
    moved = []
    for d in _store_dirs(server):
        if d.exists():
            backup = d.with_name(f".{d.name}.before-restore-{os.getpid()}")
            d.rename(backup)
            moved.append((d, backup))
    return moved


def _put_back(moved: list[tuple[Path, Path]]) -> None:
    """Undo `_move_aside`: what the failed load wrote goes, the old folders return."""
    import shutil

    for d, _ in moved:
        shutil.rmtree(d, ignore_errors=True)
    for d, backup in moved:
        backup.rename(d)


def _remove(moved: list[tuple[Path, Path]]) -> None:
    import shutil

    for _, backup in moved:
        shutil.rmtree(backup, ignore_errors=True)


def dump_database(server, file: str | os.PathLike, *, report: Report | None = None) -> dict:
    """Dump the local server's database into ``file`` (created: an existing file is
    refused, nothing is touched); the server is stopped for the dump and started again if
    it was running. Returns ``file``, ``bytes`` and ``bolt_uri`` (``None`` when the server
    is left stopped)."""
    server = _server(server)
    report = report or (lambda m: None)
    file = Path(file).expanduser().absolute()
    if file.exists() or file.is_symlink():
        raise UserError(f"{file} exists: give a new file name (a dump never overwrites a file)")
    if not file.parent.is_dir():
        raise UserError(f"{file.parent}: no such folder")
    if not _has_store(server):
        raise UserError(f"the server in {server.home} has no database yet: nothing to dump")
    try:
        out = open(file, "xb")  # noqa: SIM115 (closed by the with below)
    except OSError as exc:
        raise UserError(f"{file}: cannot create it ({exc.strerror})") from None
    done = False
    try:
        with out, _Stopped(server, report) as stopped:
            report(f"Dumping the database to {file}")
            result = _admin(server, ["database", "dump", "--to-stdout", DATABASE], stdout=out)
            if result.returncode != 0:
                raise ServerError(f"neo4j-admin database dump failed: {_why(result)}")
            done = True
    finally:
        if not done:
            file.unlink(missing_ok=True)  # the file this call created, never another
    return {
        "file": file,
        "bytes": file.stat().st_size,
        "bolt_uri": stopped.info.bolt_uri if stopped.info else None,
    }


def restore_database(
    server,
    file: str | os.PathLike,
    *,
    replace: bool = False,
    report: Report | None = None,
) -> dict:
    """Load the dump ``file`` into the local server's database (``neo4j-admin database
    load``); the server is stopped for it and started again if it was running (a stopped
    server with a database is started first to see what it holds). A database that holds
    anything is refused unless ``replace``. Returns ``replaced`` (what the database held,
    `Contents`) and ``bolt_uri``."""
    server = _server(server)
    report = report or (lambda m: None)
    file = Path(file).expanduser().absolute()
    _check_dump(server, file)
    was_running = server.status().running
    held, uri = server_contents(server, start=True, report=report)
    if not held.empty and not replace:
        raise UserError(
            f"the database at {uri} is not empty ({held.describe()}): give --replace to "
            f"replace it with {file}, or empty it first (`graphmodel server reset`)"
        )
    with _Stopped(server, report) as stopped:
        report(f"Loading {file} into the database")
        aside = _move_aside(server)
        try:
            with open(file, "rb") as f:
                result = _admin(
                    server,
                    ["database", "load", "--from-stdin", "--overwrite-destination=true",
                     DATABASE],
                    stdin=f,
                )
        except BaseException:
            _put_back(aside)
            raise
        if result.returncode != 0:
            _put_back(aside)
            raise UserError(
                f"{file}: neo4j-admin could not load it ({_why(result)}); the database is "
                "as it was"
            )
        _remove(aside)
        stopped.was_running = True  # started again below, to look at what was restored
    info = stopped.info
    after, _ = server_contents(server)
    if not was_running:
        report("Stopping Neo4j (it was not running)")
        server.stop()
    return {"replaced": held, "restored": after, "bolt_uri": info.bolt_uri if was_running else None}
