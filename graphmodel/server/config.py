"""Where the local server keeps its state, and its generated ``neo4j.conf``.

Two folders make a server:

* the *installation* (``assemble.install_dir()``): ``lib/`` with the jars
  from Maven Central and ``plugins/`` with APOC core and GDS (the
  ``server.directories.plugins`` of every server), shared by every server and
  never written at run time;
* the *home* (`default_home`, ``--home`` or ``GRAPHMODEL_NEO4J_HOME``):
  ``conf/``, ``data/``, ``logs/``, ``run/``, ``import/`` and the credentials
  file of one server.

The configuration is what the tarball's ``conf/neo4j.conf`` holds, minus
everything a private development server does not need: Bolt and HTTP on
127.0.0.1 only, HTTPS off, authentication on, a small heap and page cache.
The setting names were checked against Neo4j 5.26.31 (docs/neo4j-server.md).
"""

from __future__ import annotations

import os
import socket
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from graphmodel.errors import ServerError

__all__ = [
    "HOST",
    "BOLT_PORT",
    "HTTP_PORT",
    "JVM_OPTIONS",
    "PROCEDURES_UNRESTRICTED",
    "GROUPING_THRESHOLD",
    "ServerConfig",
    "default_home",
    "read_conf",
    "free_port",
    "port_is_free",
    "choose_port",
]

#: The only interface the server listens on.
HOST = "127.0.0.1"
#: Neo4j's standard ports, used when free and nothing else was asked for.
BOLT_PORT = 7687
HTTP_PORT = 7474

#: ``db.relationship_grouping_threshold``: a node with more relationships than this
#: stores them grouped by type and direction ("dense"); Neo4j's default is 50. A node
#: crossing the threshold has its whole chain rewritten into groups, and writing to
#: a grouped node costs more than to a chain. On this model's graphs a user has about
#: 70 relationships and a stream about 700 (the 100,000-user week: 59 % of the users
#: and every stream cross 50; 1,045 of the 5,620 streams cross 1,000), so with 50 a
#: load spends about a fifth of the server's write CPU on grouping (measured on the
#: same load: 170 CPU seconds of Bolt workers in two loads with 50, 141 in two of
#: three with 1,000; docs/neo4j-server.md, "Relationship groups"). Reads of a node
#: of up to 1,000 relationships walk one chain instead of one group; results are the
#: same either way.
GROUPING_THRESHOLD = 1000

#: ``dbms.security.procedures.unrestricted``: the plugins' procedures (APOC core, GDS).
PROCEDURES_UNRESTRICTED = "gds.*,apoc.*"

#: JVM options of the 5.26 tarball's ``server.jvm.additional`` lines, in the
#: same order. ``-XX:+AlwaysPreTouch`` is left out: it commits the whole heap
#: at start, which a small development server does not want.
JVM_OPTIONS: tuple[str, ...] = (
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields",
    "-XX:+DisableExplicitGC",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Djdk.tls.ephemeralDHKeySize=2048",
    "-Djdk.tls.rejectClientInitiatedRenegotiation=true",
    "-XX:FlightRecorderOptions=stackdepth=256",
    "-XX:+UnlockDiagnosticVMOptions",
    "-XX:+DebugNonSafepoints",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
    "-Dlog4j2.disable.jmx=true",
    "-Dlog4j.layout.jsonTemplate.maxStringLength=32768",
)


def default_home() -> Path:
    """The server's state folder.

    ``GRAPHMODEL_NEO4J_HOME`` if set, else ``$XDG_STATE_HOME/graphmodel/neo4j``,
    else ``~/.local/state/graphmodel/neo4j``.
    """
    env = os.environ.get("GRAPHMODEL_NEO4J_HOME")
    if env:
        return Path(env).expanduser().absolute()
    state = os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state"
    return Path(state).expanduser().absolute() / "graphmodel" / "neo4j"


@dataclass(frozen=True)
class ServerConfig:
    """Everything ``neo4j.conf`` and the ``java`` command line are made of.

    Parameters
    ----------
    home
        The state folder (conf, data, logs, run, import).
    lib
        The folder of jars (``<installation>/lib``); the plugins are in
        ``<installation>/plugins`` beside it.
    bolt_port, http_port
        Ports on 127.0.0.1.
    heap_initial, heap_max, pagecache
        Memory sizes in Neo4j's notation (``256m``, ``1g``).
    """

    home: Path
    lib: Path
    bolt_port: int
    http_port: int
    heap_initial: str = "256m"
    heap_max: str = "512m"
    pagecache: str = "256m"
    #: The guide server's port (graphmodel.server.guide): the Browser fetches its style and
    #: guide there on connect. ``None``: no browser settings.
    guide_port: int | None = None

    @property
    def conf_dir(self) -> Path:
        return self.home / "conf"

    @property
    def conf_file(self) -> Path:
        return self.conf_dir / "neo4j.conf"

    @property
    def data_dir(self) -> Path:
        return self.home / "data"

    @property
    def logs_dir(self) -> Path:
        return self.home / "logs"

    @property
    def run_dir(self) -> Path:
        return self.home / "run"

    @property
    def import_dir(self) -> Path:
        return self.home / "import"

    @property
    def plugins_dir(self) -> Path:
        """``<installation>/plugins``: APOC core and GDS, assembled with ``lib/``."""
        return self.lib.parent / "plugins"

    @property
    def bolt_uri(self) -> str:
        return f"bolt://{HOST}:{self.bolt_port}"

    @property
    def http_uri(self) -> str:
        return f"http://{HOST}:{self.http_port}"

    def settings(self) -> dict[str, str]:
        """The settings written to ``neo4j.conf``, in file order."""
        return {
            "initial.dbms.default_database": "neo4j",
            "server.directories.data": str(self.data_dir),
            "server.directories.logs": str(self.logs_dir),
            "server.directories.run": str(self.run_dir),
            "server.directories.import": str(self.import_dir),
            "server.directories.plugins": str(self.plugins_dir),
            "server.directories.lib": str(self.lib),
            "server.default_listen_address": HOST,
            "server.default_advertised_address": HOST,
            "server.bolt.enabled": "true",
            "server.bolt.tls_level": "DISABLED",
            "server.bolt.listen_address": f"{HOST}:{self.bolt_port}",
            "server.bolt.advertised_address": f"{HOST}:{self.bolt_port}",
            "server.http.enabled": "true",
            "server.http.listen_address": f"{HOST}:{self.http_port}",
            "server.http.advertised_address": f"{HOST}:{self.http_port}",
            "server.https.enabled": "false",
            "dbms.security.auth_enabled": "true",
            # APOC's and GDS's procedures read internals; without this they are
            # "sandboxed" and refuse to register.
            "dbms.security.procedures.unrestricted": PROCEDURES_UNRESTRICTED,
            "server.memory.heap.initial_size": self.heap_initial,
            "server.memory.heap.max_size": self.heap_max,
            "server.memory.pagecache.size": self.pagecache,
            "dbms.usage_report.enabled": "false",
            "db.tx_log.rotation.retention_policy": "100M size",
            "db.relationship_grouping_threshold": str(GROUPING_THRESHOLD),
            # Without these two the Bolt server waits 5 s twice on shutdown.
            # Internal settings of 5.26 (checked on 5.26.31): if a newer
            # version drops them, strict validation names them at start.
            "internal.server.bolt.thread_pool_shutdown_wait_time": "1s",
            "internal.server.bolt.connection_shutdown_wait_time": "1s",
            **self.browser_settings(),
        }

    def browser_settings(self) -> dict[str, str]:
        """The Neo4j Browser's settings: style, display settings and guide on connect."""
        if self.guide_port is None:
            return {}
        from graphmodel.server.guide import browser_settings

        return browser_settings(self.guide_port)

    def render(self) -> str:
        """The text of ``neo4j.conf``."""
        lines = [
            "# Generated by graphmodel.server.config; rewritten at every `graphmodel server start`.",
            "# A private development server: loopback only, authentication on.",
        ]
        lines += [f"{key}={value}" for key, value in self.settings().items()]
        lines += [
            "",
            "# JVM options (as the 5.26 tarball's neo4j.conf; also passed to java directly)",
        ]
        lines += [f"server.jvm.additional={option}" for option in JVM_OPTIONS]
        return "\n".join(lines) + "\n"

    def write(self) -> Path:
        """Create the home folders and write ``conf/neo4j.conf``; returns its path."""
        for folder in (
            self.conf_dir,
            self.data_dir,
            self.logs_dir,
            self.run_dir,
            self.import_dir,
        ):
            folder.mkdir(parents=True, exist_ok=True)
        os.chmod(self.home, 0o700)
        self.conf_file.write_text(self.render(), encoding="utf-8")
        return self.conf_file


def read_conf(home: Path) -> dict[str, str]:
    """The ``key=value`` settings of ``<home>/conf/neo4j.conf`` (last one wins); ``{}`` if none."""
    path = home / "conf" / "neo4j.conf"
    if not path.is_file():
        return {}
    settings: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        settings[key.strip()] = value.strip()
    return settings


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def port_is_free(port: int) -> bool:
    """Whether ``port`` on 127.0.0.1 can be bound now.

    With ``SO_REUSEADDR``, as the server binds: connections of a stopped
    server lingering in TIME_WAIT do not count, a listening socket does.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((HOST, port))
        except OSError:
            return False
    return True


def choose_port(
    requested: int | None, previous: int | None, standard: int, taken: Collection[int] = ()
) -> int:
    """The port to use.

    ``requested`` (from ``--bolt-port``/``--http-port``) wins and must be free;
    0 means any free port. Otherwise the port of the previous run, then the
    standard port, then any free port. Ports in ``taken`` are never chosen.
    """
    if requested:
        if requested in taken or not port_is_free(requested):
            raise ServerError(f"port {requested} on {HOST} is in use; choose another one")
        return requested
    if requested is None:
        for port in (previous, standard):
            if port and port not in taken and port_is_free(port):
                return port
    while True:
        port = free_port()
        if port not in taken:
            return port
