"""A local Neo4j Community server: assemble once, configure, set the password, start, stop.

>>> from graphmodel.server import LocalServer
>>> with LocalServer(home="/tmp/neo4j-test", bolt_port=0, http_port=0) as info:  # doctest: +SKIP
...     driver = neo4j.GraphDatabase.driver(info.bolt_uri, auth=info.auth)

``start()`` is idempotent: a server already running in the home is reused
(its addresses returned), so ``graphmodel server start`` twice is harmless.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from graphmodel.errors import ServerError
from graphmodel.server import assemble as _assemble
from graphmodel.server import credentials as _credentials
from graphmodel.server import guide as _guide
from graphmodel.server import process as _process
from graphmodel.server.config import (
    BOLT_PORT,
    HOST,
    HTTP_PORT,
    ServerConfig,
    choose_port,
    default_home,
    read_conf,
)
from graphmodel.server.tools import SUPPORTED_JAVA, find_java, java_major_version

__all__ = ["LocalServer", "ServerInfo", "ServerStatus"]


@dataclass(frozen=True)
class ServerInfo:
    """A running server: where it answers and how to log in."""

    bolt_uri: str
    http_uri: str
    user: str
    password: str = field(repr=False)
    credentials_file: Path
    home: Path
    pid: int
    version: str
    #: Seconds from launching ``java`` until Bolt and HTTP answered (0.0 if it was running already).
    startup_seconds: float = 0.0
    #: Seconds from launching ``java`` until Bolt answered (0.0 if it was running already).
    bolt_seconds: float = 0.0

    @property
    def auth(self) -> tuple[str, str]:
        """``(user, password)`` for ``neo4j.GraphDatabase.driver``."""
        return self.user, self.password

    @property
    def browser_uri(self) -> str:
        """The Neo4j Browser's address."""
        return f"{self.http_uri}/browser/"


@dataclass(frozen=True)
class ServerStatus:
    """What ``graphmodel server status`` reports."""

    running: bool
    home: Path
    pid: int | None = None
    bolt_uri: str | None = None
    http_uri: str | None = None
    credentials_file: Path | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "running": self.running,
            "home": str(self.home),
            "pid": self.pid,
            "bolt_uri": self.bolt_uri,
            "http_uri": self.http_uri,
            "browser_uri": f"{self.http_uri}/browser/" if self.http_uri else None,
            "credentials_file": str(self.credentials_file) if self.credentials_file else None,
        }


def _port(address: str | None) -> int | None:
    if not address or ":" not in address:
        return None
    try:
        return int(address.rsplit(":", 1)[1])
    except ValueError:
        return None


class LocalServer:
    """A Neo4j Community server assembled from Maven Central and run with ``java``.

    Parameters
    ----------
    home
        State folder (conf, data, logs, run, credentials); default
        `graphmodel.server.config.default_home`.
    bolt_port, http_port
        Ports on 127.0.0.1. ``None``: the previous run's, else 7687/7474,
        else any free one; ``0``: any free port; a number: that port.
    install
        The assembled installation; default ``<cache>/neo4j-<version>``.
    heap_initial, heap_max, pagecache
        Memory sizes (``256m``, ``1g``).
    on_progress
        Called with short status messages while assembling and starting.
    """

    def __init__(
        self,
        home: str | Path | None = None,
        *,
        bolt_port: int | None = None,
        http_port: int | None = None,
        install: str | Path | None = None,
        heap_initial: str = "256m",
        heap_max: str = "512m",
        pagecache: str = "256m",
        on_progress: Callable[[str], None] | None = None,
    ):
        self.home = Path(home).expanduser().absolute() if home else default_home()
        self.install = Path(install).expanduser().absolute() if install else _assemble.install_dir()
        self.bolt_port = bolt_port
        self.http_port = http_port
        self.heap_initial = heap_initial
        self.heap_max = heap_max
        self.pagecache = pagecache
        self._report = on_progress or (lambda message: None)

    # -- state -------------------------------------------------------------------------

    @property
    def credentials_file(self) -> Path:
        return _credentials.credentials_file(self.home)

    def _running_addresses(self) -> tuple[str | None, str | None]:
        settings = read_conf(self.home)
        bolt = _port(settings.get("server.bolt.listen_address"))
        http = _port(settings.get("server.http.listen_address"))
        return (
            f"bolt://{HOST}:{bolt}" if bolt else None,
            f"http://{HOST}:{http}" if http else None,
        )

    def status(self) -> ServerStatus:
        """Whether a server runs in ``home``, and where it answers."""
        pid = _process.read_pid(self.home)
        if pid is None:
            return ServerStatus(running=False, home=self.home)
        bolt_uri, http_uri = self._running_addresses()
        creds = self.credentials_file
        return ServerStatus(
            running=True,
            home=self.home,
            pid=pid,
            bolt_uri=bolt_uri,
            http_uri=http_uri,
            credentials_file=creds if creds.exists() else None,
        )

    # -- start / stop ------------------------------------------------------------------

    def _config(self) -> ServerConfig:
        previous = read_conf(self.home)
        bolt = choose_port(
            self.bolt_port, _port(previous.get("server.bolt.listen_address")), BOLT_PORT
        )
        http = choose_port(
            self.http_port,
            _port(previous.get("server.http.listen_address")),
            HTTP_PORT,
            taken={bolt},
        )
        guide = _guide.choose_guide_port(self.home, previous, taken={bolt, http})
        return ServerConfig(
            home=self.home,
            lib=self.install / "lib",
            bolt_port=bolt,
            http_port=http,
            heap_initial=self.heap_initial,
            heap_max=self.heap_max,
            pagecache=self.pagecache,
            guide_port=guide,
        )

    def _password(self, config: ServerConfig, java: str) -> str:
        saved = _credentials.read_credentials(self.home)
        if _credentials.is_initialised(config):
            if not saved:
                raise ServerError(
                    f"the database in {self.home} was initialised with a password that is not in "
                    f"{self.credentials_file}; remove {config.data_dir} to start afresh"
                )
            return saved["password"]
        password = saved["password"] if saved else _credentials.generate_password()
        self._report("Setting the initial password")
        _credentials.set_initial_password(config, java, password)
        return password

    def _check_requested_ports(self, status: ServerStatus) -> None:
        for name, wanted, uri in (
            ("Bolt", self.bolt_port, status.bolt_uri),
            ("HTTP", self.http_port, status.http_uri),
        ):
            if wanted and _port(uri) != wanted:
                raise ServerError(
                    f"a server already runs in {self.home} with {name} on {uri}; "
                    "stop it first (`graphmodel server stop`) to change ports"
                )

    def _info(
        self,
        pid: int,
        bolt_uri: str,
        http_uri: str,
        seconds: float = 0.0,
        bolt_seconds: float = 0.0,
    ) -> ServerInfo:
        creds = _credentials.read_credentials(self.home)
        if not creds:
            raise ServerError(
                f"a server runs in {self.home} but {self.credentials_file} is missing"
            )
        return ServerInfo(
            bolt_uri=bolt_uri,
            http_uri=http_uri,
            user=creds.get("user", "neo4j"),
            password=creds["password"],
            credentials_file=self.credentials_file,
            home=self.home,
            pid=pid,
            version=_assemble.neo4j_version(),
            startup_seconds=seconds,
            bolt_seconds=bolt_seconds,
        )

    def start(self, timeout: float = 120.0) -> ServerInfo:
        """Assemble (first use), configure and start the server; wait until Bolt and HTTP answer.

        Raises
        ------
        ServerError
            Java or Maven missing, a requested port in use, or a server that
            did not come up (with the tail of its console log).
        """
        status = self.status()
        if status.running:
            self._check_requested_ports(status)
            assert status.pid and status.bolt_uri and status.http_uri
            return self._info(status.pid, status.bolt_uri, status.http_uri, 0.0)
        java = find_java(need_maven=not _assemble.is_assembled(self.install))
        major = java_major_version(java)
        if major < min(SUPPORTED_JAVA):
            raise ServerError(
                f"Neo4j {_assemble.neo4j_version()} needs Java 17 or 21, but {java} "
                f"is Java {major}; set JAVA_HOME to a Java 17 or 21 installation"
            )
        if major not in SUPPORTED_JAVA:
            self._report(f"Java {major} is not one Neo4j 5.26 supports (17 or 21); trying anyway")
        _assemble.assemble(self.install, on_progress=self._report)
        config = self._config()
        config.write()
        password = self._password(config, java)
        _credentials.write_credentials(
            self.credentials_file,
            user=_credentials.USER,
            password=password,
            uri=config.bolt_uri,
            http_uri=config.http_uri,
        )
        self._report(f"Starting Neo4j on {config.bolt_uri}")
        pid = _process.launch(config, java)
        try:
            auth = (_credentials.USER, password)
            bolt_seconds, seconds = _process.wait_until_ready(config, pid, auth, timeout)
        except BaseException:  # a failed or interrupted start leaves no server behind
            _process.terminate(pid)
            _process.pid_file(self.home).unlink(missing_ok=True)
            raise
        _guide.start_with_server(self.home, config.guide_port, self._report)
        return self._info(pid, config.bolt_uri, config.http_uri, seconds, bolt_seconds)

    def stop(self, timeout: float = 60.0) -> bool:
        """Stop the server running in ``home``; ``False`` if none was running."""
        pid = _process.read_pid(self.home)
        if pid is None:
            return False
        self._report(f"Stopping Neo4j (pid {pid})")
        _process.terminate(pid, timeout)
        _process.pid_file(self.home).unlink(missing_ok=True)
        _guide.stop(self.home)
        return True

    def __enter__(self) -> ServerInfo:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"LocalServer(home={str(self.home)!r})"
