"""The guide server: a small HTTP server on 127.0.0.1 that hands the Neo4j Browser its style and guide.

The local server's ``neo4j.conf`` tells the Browser, once it has connected, to run
(``browser.post_connect_cmd``, `post_connect_cmd`)::

    style http://127.0.0.1:PORT/style.grass; config initialNodeDisplay: 300,
    maxNeighbours: 50, autoComplete: false; play http://127.0.0.1:PORT/guide.html

and allows the Browser to fetch from 127.0.0.1
(``browser.remote_content_hostname_whitelist``). Neo4j cannot serve a folder of
its own, so this module does: it serves the files of ``<home>/guide``
(``style.grass`` and ``guide.html``, written by ``graphmodel explore``, see
`graphmodel.server.guide_page`) on ``PORT``, with the CORS headers the
Browser's fetches need (``Access-Control-Allow-Origin: *``, and an answer to
the ``OPTIONS`` preflight the guide's fetch triggers).

It runs detached (``python -m graphmodel.server.guide``), so it outlives the
command that started it; its pid and port are in ``<home>/run/guide.pid`` and
``graphmodel server stop`` stops it with the server. The port is chosen when the
server starts (`GUIDE_PORT` if free, else any free port) and kept in
``neo4j.conf``, because the Browser reads the setting from there.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Collection
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from graphmodel.errors import ServerError

__all__ = [
    "GUIDE_PORT",
    "STYLE_FILE",
    "GUIDE_FILE",
    "post_connect_cmd",
    "browser_settings",
    "configured_port",
    "guide_dir",
    "pid_file",
    "running",
    "start",
    "stop",
    "serve",
]

HOST = "127.0.0.1"
#: The guide server's port when it is free (Neo4j's own are 7473, 7474 and 7687).
GUIDE_PORT = 7476
STYLE_FILE = "style.grass"
GUIDE_FILE = "guide.html"

#: The Browser settings applied on connect: up to 300 nodes drawn, 50 neighbours when a
#: node is expanded, and "Connect result nodes" off, so a query draws the paths it returns
#: and not every relationship between their nodes (a cascade as a tree).
BROWSER_CONFIG = "initialNodeDisplay: 300, maxNeighbours: 50, autoComplete: false"

_MODULE = "graphmodel.server.guide"


def base_uri(port: int) -> str:
    return f"http://{HOST}:{port}"


def post_connect_cmd(port: int) -> str:
    """The ``browser.post_connect_cmd`` value: style, settings, then the guide.

    The Browser adds the leading colon to each ``;``-separated command itself
    (``:config`` written out would become ``::config``).
    """
    uri = base_uri(port)
    return f"style {uri}/{STYLE_FILE}; config {BROWSER_CONFIG}; play {uri}/{GUIDE_FILE}"


def browser_settings(port: int) -> dict[str, str]:
    """The ``neo4j.conf`` lines that make the Browser use the guide server on ``port``."""
    return {
        # no consent banner about usage data over the guide (the server reports none either)
        "client.allow_telemetry": "false",
        "browser.remote_content_hostname_whitelist": HOST,
        "browser.post_connect_cmd": post_connect_cmd(port),
    }


def configured_port(settings: dict[str, str]) -> int | None:
    """The guide server's port named in ``neo4j.conf`` settings, or ``None``."""
    command = settings.get("browser.post_connect_cmd", "")
    marker = f"play {base_uri(0)[:-1]}"
    at = command.find(marker)
    if at < 0:
        return None
    digits = command[at + len(marker):].split("/", 1)[0]
    return int(digits) if digits.isdigit() else None


def choose_guide_port(home: Path, previous: dict[str, str], taken: Collection[int] = ()) -> int:
    """The guide server's port for a server starting in ``home``.

    The port of the previous run (``previous``: its ``neo4j.conf`` settings) if
    free or held by this home's guide server, else `GUIDE_PORT`, else any free
    port; never one of ``taken`` (the server's Bolt and HTTP ports).
    """
    from graphmodel.server.config import choose_port

    old = configured_port(previous)
    current = running(home)
    if old and current and current[1] == old and old not in taken:
        return old
    return choose_port(None, old, GUIDE_PORT, taken=taken)


def guide_dir(home: Path) -> Path:
    """``<home>/guide``: the files the guide server serves."""
    return home / "guide"


def pid_file(home: Path) -> Path:
    """``<home>/run/guide.pid``: ``<pid> <port>`` of the running guide server."""
    return home / "run" / "guide.pid"


def log_file(home: Path) -> Path:
    return home / "logs" / "guide.log"


# -- the server itself --------------------------------------------------------------------


class _Handler(SimpleHTTPRequestHandler):
    """Static files with CORS headers; ``OPTIONS`` answers the Browser's preflight."""

    def end_headers(self) -> None:
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def do_OPTIONS(self) -> None:  # noqa: N802 (the http.server naming)
        self.send_response(204)
        self.send_header("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS")
        self.send_header("Access-Control-Allow-Headers", "pragma, cache-control")
        self.send_header("Access-Control-Max-Age", "600")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def list_directory(self, path):  # no folder listings
        self.send_error(404)
        return None

    def log_message(self, format: str, *args) -> None:  # noqa: A002
        sys.stderr.write(f"{self.log_date_time_string()} {format % args}\n")


_Handler.extensions_map = {
    **SimpleHTTPRequestHandler.extensions_map,
    ".grass": "text/plain; charset=utf-8",
    ".html": "text/html; charset=utf-8",
}


def serve(directory: Path, port: int) -> None:
    """Serve ``directory`` on 127.0.0.1:``port`` until SIGTERM (in the foreground)."""

    def handler(*args, **kwargs):
        return _Handler(*args, directory=str(directory), **kwargs)

    httpd = ThreadingHTTPServer((HOST, port), handler)
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt))
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        httpd.server_close()


# -- the detached process -----------------------------------------------------------------


def _is_guide(pid: int) -> bool:
    try:
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done == pid:
            return False
    except ChildProcessError:
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return False
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return True  # no /proc: trust the pid file
    return not cmdline or _MODULE in cmdline


def running(home: Path) -> tuple[int, int] | None:
    """``(pid, port)`` of the guide server of ``home``, or ``None`` (removing a stale pid file)."""
    path = pid_file(home)
    try:
        pid, port = (int(x) for x in path.read_text().split()[:2])
    except (FileNotFoundError, ValueError):
        return None
    if _is_guide(pid):
        return pid, port
    path.unlink(missing_ok=True)
    return None


def _answers(port: int) -> bool:
    direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with direct.open(f"{base_uri(port)}/{STYLE_FILE}", timeout=1) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def start(home: Path, port: int, timeout: float = 15.0) -> int:
    """Start (or reuse) the guide server of ``home`` on ``port``; returns its pid.

    A guide server of ``home`` on another port is stopped first.

    Raises
    ------
    ServerError
        The port is taken by another program, or the server did not answer.
    """
    current = running(home)
    if current is not None:
        pid, old = current
        if old == port and _answers(port):
            return pid
        stop(home)
    from graphmodel.server.config import port_is_free

    if not port_is_free(port):
        raise ServerError(
            f"port {port} on {HOST}, where the Browser expects the guide, is in use by another "
            "program; restart the server (`graphmodel server stop`, then `graphmodel explore`) "
            "to choose another port"
        )
    log = log_file(home)
    log.parent.mkdir(parents=True, exist_ok=True)
    pid_file(home).parent.mkdir(parents=True, exist_ok=True)
    # the same graphmodel as this process's, wherever it was imported from
    package_root = str(Path(__file__).resolve().parents[2])
    path = os.environ.get("PYTHONPATH")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([package_root, *([path] if path else [])]))
    with open(log, "ab") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", _MODULE, "--dir", str(guide_dir(home)), "--port", str(port)],
            env=env,
            cwd=guide_dir(home),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            close_fds=True,
        )
    pid_file(home).write_text(f"{proc.pid} {port}\n")
    deadline = time.monotonic() + timeout
    while not _answers(port):
        if proc.poll() is not None or time.monotonic() > deadline:
            stop(home)
            raise ServerError(f"the guide server did not start on port {port} (see {log})")
        time.sleep(0.05)
    return proc.pid


def start_with_server(home: Path, port: int | None, report=None) -> int | None:
    """Start the guide server beside a Neo4j server that just started in ``home``.

    Writes the guide with its default values first when ``home`` has none yet
    (``graphmodel explore`` rewrites it with values from the loaded log). A guide
    server that cannot start does not stop Neo4j: ``report`` gets why, and the
    pid is ``None``.
    """
    if port is None:
        return None
    if not (guide_dir(home) / GUIDE_FILE).is_file():
        from graphmodel.server.guide_page import write_guide

        write_guide(guide_dir(home))
    try:
        return start(home, port)
    except ServerError as exc:
        if report is not None:
            report(f"The Browser's guide is not served: {exc}")
        return None


def stop(home: Path, timeout: float = 10.0) -> bool:
    """Stop the guide server of ``home``; ``False`` if none was running."""
    current = running(home)
    if current is None:
        return False
    pid = current[0]
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while _is_guide(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    if _is_guide(pid):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    pid_file(home).unlink(missing_ok=True)
    return True


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog=f"python -m {_MODULE}", description=__doc__.split("\n")[0])
    parser.add_argument("--dir", type=Path, required=True, help="The folder to serve.")
    parser.add_argument("--port", type=int, default=GUIDE_PORT)
    args = parser.parse_args(argv)
    serve(args.dir, args.port)


if __name__ == "__main__":  # pragma: no cover
    main()
