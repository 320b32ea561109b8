"""Start, watch and stop the server's Java process.

The command is the one the tarball's ``bin/neo4j console`` runs: its
launcher (``org.neo4j.server.startup.Neo4jBoot``) reads ``neo4j.conf`` and
starts a second JVM with::

    java -cp <plugins>/*:<conf>/*:<lib>/* <server.jvm.additional...> -Dfile.encoding=UTF-8
         -Xms<initial heap> -Xmx<max heap> org.neo4j.server.CommunityEntryPoint
         --home-dir=<home> --config-dir=<conf> --console-mode

(``Neo4jBoot console --dry-run`` prints it; the tests compare the two). We
start that second JVM ourselves, in its own session, with its output in
``<home>/logs/console.log`` and its pid in ``<home>/run/neo4j.pid``, and
stop it with SIGTERM, on which Neo4j shuts down cleanly. Started means Bolt
answers the saved credentials and HTTP answers too.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections import deque
from pathlib import Path

from graphmodel.errors import ServerError
from graphmodel.server.config import JVM_OPTIONS, ServerConfig

__all__ = [
    "MAIN_CLASS",
    "java_command",
    "pid_file",
    "console_log",
    "read_pid",
    "is_alive",
    "launch",
    "wait_until_ready",
    "terminate",
    "log_tail",
]

#: The community server's entry point (in ``org.neo4j:neo4j``; checked on 5.26.31).
MAIN_CLASS = "org.neo4j.server.CommunityEntryPoint"

_SIZE = re.compile(r"^(\d+)([kmg]?)$", re.IGNORECASE)


def _kib(size: str) -> int:
    """A Neo4j memory size (``512m``) in KiB, as the launcher writes ``-Xms``/``-Xmx``."""
    match = _SIZE.match(size.strip())
    if not match:
        raise ServerError(f"not a memory size: {size!r} (use e.g. 512m or 1g)")
    number, unit = int(match.group(1)), match.group(2).lower()
    return {"": number // 1024, "k": number, "m": number * 1024, "g": number * 1024**2}[unit]


def _classpath(*folders: Path) -> str:
    """``<folder>/*`` for each folder that exists and is not empty, as the launcher builds it."""
    entries = [
        f"{folder}{os.sep}*" for folder in folders if folder.is_dir() and any(folder.iterdir())
    ]
    return os.pathsep.join(entries)


def java_command(config: ServerConfig, java: str) -> list[str]:
    """The ``java`` command line that runs the server of ``config`` in the foreground."""
    return [
        java,
        "-cp",
        _classpath(config.plugins_dir, config.conf_dir, config.lib),
        *JVM_OPTIONS,
        "-Dfile.encoding=UTF-8",
        f"-Xms{_kib(config.heap_initial)}k",
        f"-Xmx{_kib(config.heap_max)}k",
        MAIN_CLASS,
        f"--home-dir={config.lib.parent}",
        f"--config-dir={config.conf_dir}",
        "--console-mode",
    ]


def pid_file(home: Path) -> Path:
    """``<home>/run/neo4j.pid`` (the name ``neo4j start`` uses too)."""
    return home / "run" / "neo4j.pid"


def console_log(home: Path) -> Path:
    """``<home>/logs/console.log``: the server's standard output and error."""
    return home / "logs" / "console.log"


def _cmdline(pid: int) -> str | None:
    """The command line of ``pid`` where ``/proc`` has it, else ``None``.

    Also ``None`` while it reads as empty, as it does for a moment right after ``exec``.
    """
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None
    return raw.replace(b"\0", b" ").decode(errors="replace") or None


def is_alive(pid: int) -> bool:
    """Whether ``pid`` runs a Neo4j server (reaping it first if it is our exited child)."""
    try:
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done == pid:
            return False
    except ChildProcessError:
        pass  # not our child: ask the kernel
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    cmdline = _cmdline(pid)
    return cmdline is None or MAIN_CLASS in cmdline


def read_pid(home: Path) -> int | None:
    """The pid of the server running in ``home``; ``None`` (and no stale pid file) if none runs."""
    path = pid_file(home)
    try:
        pid = int(path.read_text().strip())
    except (FileNotFoundError, ValueError):
        return None
    if is_alive(pid):
        return pid
    path.unlink(missing_ok=True)
    return None


def launch(config: ServerConfig, java: str) -> int:
    """Start the server of ``config`` detached from this process; returns its pid."""
    command = java_command(config, java)
    env = dict(os.environ, NEO4J_HOME=str(config.lib.parent), NEO4J_CONF=str(config.conf_dir))
    env.pop("JAVA_OPTS", None)
    log_path = console_log(config.home)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "ab") as log:
        log.write(f"\n--- {time.strftime('%Y-%m-%d %H:%M:%S')} {' '.join(command)}\n".encode())
        log.flush()
        try:
            proc = subprocess.Popen(
                command,
                cwd=config.home,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                close_fds=True,
            )
        except OSError as exc:
            raise ServerError(f"cannot run {java}: {exc.strerror}") from None
    pid_file(config.home).write_text(f"{proc.pid}\n")
    return proc.pid


def log_tail(home: Path, lines: int = 12) -> list[str]:
    """The last ``lines`` lines of the console log, without stack frames and our command lines."""
    try:
        with open(console_log(home), encoding="utf-8", errors="replace") as handle:
            recent = deque(handle, maxlen=500)
    except FileNotFoundError:
        return []
    kept = [
        line.rstrip()[:300]
        for line in recent
        if line.strip() and not line[0].isspace() and not line.startswith("--- ")
    ]
    return kept[-lines:]


def _failure(config: ServerConfig, reason: str) -> ServerError:
    lines = [f"Neo4j {reason}; last lines of {console_log(config.home)}:"]
    lines += ["  " + line for line in log_tail(config.home)]
    return ServerError("\n".join(lines))


def _http_answers(uri: str) -> bool:
    """Whether ``GET <uri>/`` (Neo4j's discovery document) returns 200."""
    request = urllib.request.Request(uri + "/", headers={"Accept": "application/json"})
    direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # no proxy for 127.0.0.1
    try:
        with direct.open(request, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def wait_until_ready(
    config: ServerConfig, pid: int, auth: tuple[str, str], timeout: float = 120.0
) -> tuple[float, float]:
    """Wait until Bolt answers with ``auth``, then until HTTP answers.

    Neo4j opens Bolt a second or two before HTTP (and the Browser).
    Returns the seconds until Bolt answered and until both did.

    Raises
    ------
    ServerError
        The process exited, refused the credentials or did not answer in
        ``timeout`` seconds; the message ends with the console log's tail.
    """
    import neo4j
    from neo4j.exceptions import AuthError, DriverError, Neo4jError

    start = time.monotonic()
    deadline = start + timeout
    bolt_seconds: float | None = None
    driver = neo4j.GraphDatabase.driver(config.bolt_uri, auth=auth, connection_timeout=2.0)
    try:
        while True:
            if not is_alive(pid):
                pid_file(config.home).unlink(missing_ok=True)
                raise _failure(config, "stopped while starting")
            if bolt_seconds is None:
                try:
                    driver.verify_connectivity()
                    bolt_seconds = time.monotonic() - start
                except AuthError:
                    raise _failure(
                        config, f"refused the saved password of user {auth[0]}"
                    ) from None
                except (DriverError, Neo4jError, OSError):
                    pass  # not listening yet
            if bolt_seconds is not None and _http_answers(config.http_uri):
                return bolt_seconds, time.monotonic() - start
            if time.monotonic() > deadline:
                where = config.http_uri if bolt_seconds is not None else config.bolt_uri
                raise _failure(config, f"did not answer on {where} within {timeout:.0f} s")
            time.sleep(0.2)
    finally:
        driver.close()


def terminate(pid: int, timeout: float = 60.0) -> bool:
    """Stop ``pid`` with SIGTERM (Neo4j's clean shutdown), SIGKILL after ``timeout`` seconds.

    Returns ``True`` if the process ended cleanly, ``False`` if it had to be killed.
    """
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return True
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not is_alive(pid):
            return True
        time.sleep(0.1)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        return True
    while is_alive(pid):
        time.sleep(0.1)
    return False
