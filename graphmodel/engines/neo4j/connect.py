"""Connect to Neo4j with the right credentials, and only where they belong.

The URI comes from ``--neo4j`` or ``NEO4J_URI``. The user and password come
only from ``NEO4J_USER``/``NEO4J_PASSWORD`` or, failing those, from the
credentials file of the local server (``graphmodel server start``); never
from a command-line argument, where they would show in the process list and
the shell history.

Three rules keep the password where it belongs:

1. The local server's password is sent only to the local server: the URI
   must name the host and port of the Bolt address in its credentials file
   (``localhost``, ``127.0.0.1`` and ``::1`` count as one host). Any other
   address needs ``NEO4J_USER`` and ``NEO4J_PASSWORD``.
2. A host that is not the loopback interface is reached only over TLS
   (``bolt+s``, ``bolt+ssc``, ``neo4j+s``, ``neo4j+ssc``): Bolt's logon is
   otherwise plaintext. ``GRAPHMODEL_NEO4J_PLAINTEXT=1`` (or
   ``allow_plaintext=True``) accepts a plaintext connection on purpose, for
   a server on a trusted network.
3. Only Bolt URIs with a host are accepted: ``bolt://`` alone would mean
   ``localhost`` to the driver, and ``http://`` another protocol.

Every failure to connect or log on is a [`ServerError`][graphmodel.errors.ServerError]
(one line at the command line).
"""

from __future__ import annotations

import ipaddress
import os
from urllib.parse import urlsplit

from graphmodel.errors import ServerError

__all__ = [
    "credentials",
    "connect",
    "check_uri",
    "is_loopback",
    "DRIVER_CONFIG",
    "SCHEMES",
    "TLS_SCHEMES",
    "PLAINTEXT_ENV",
]

#: Driver settings of every connection graphmodel opens. The server sends no
#: notifications: the driver would log each one (a warning about the
#: deprecated ``id()`` of the loader's queries on every batch, say) as a
#: multi-line record on stderr, and the server would build them for every query.
DRIVER_CONFIG = {"notifications_min_severity": "OFF"}

#: URI schemes of the Bolt protocol the driver speaks.
SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
#: The schemes that encrypt the connection.
TLS_SCHEMES = ("bolt+s", "bolt+ssc", "neo4j+s", "neo4j+ssc")
#: Environment variable that accepts a plaintext connection to a non-loopback host.
PLAINTEXT_ENV = "GRAPHMODEL_NEO4J_PLAINTEXT"
#: Bolt's default port.
DEFAULT_PORT = 7687


def is_loopback(host: str) -> bool:
    """Whether ``host`` names the loopback interface (``localhost``, ``127.0.0.0/8``, ``::1``).

    Names are not resolved: a host name other than ``localhost`` is not loopback.
    """
    if host.lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_uri(uri: str) -> tuple[str, str, int]:
    """``(scheme, host, port)`` of a Bolt URI, or a [`ServerError`][graphmodel.errors.ServerError] saying what is wrong.

    A URI holding ``user:password@`` is refused without being echoed.
    """
    if "@" in uri.split("//", 1)[-1].split("/", 1)[0]:
        raise ServerError(
            "the Neo4j URI holds credentials (user:password@), which do not belong on a "
            "command line; set NEO4J_USER and NEO4J_PASSWORD"
        )
    try:
        parts = urlsplit(uri)
        scheme, host, port = parts.scheme.lower(), parts.hostname, parts.port
    except ValueError as exc:  # a port that is not a number or out of range
        raise ServerError(f"{uri}: not a Neo4j URI ({exc})") from None
    if scheme not in SCHEMES:
        raise ServerError(
            f"{uri}: not a Neo4j URI; use one of {', '.join(s + '://' for s in SCHEMES)}HOST:PORT"
        )
    if not host:
        raise ServerError(f"{uri}: no host; write it out, e.g. {scheme}://localhost:{DEFAULT_PORT}")
    return scheme, host, port or DEFAULT_PORT


def _same_address(a: tuple[str, int], b: tuple[str, int]) -> bool:
    (host_a, port_a), (host_b, port_b) = a, b
    if port_a != port_b:
        return False
    if is_loopback(host_a) and is_loopback(host_b):
        return True
    return host_a.lower() == host_b.lower()


def _local_server_credentials(uri: str) -> tuple[str, str] | None:
    """The local server's ``(user, password)`` if ``uri`` names its Bolt address, else ``None``."""
    from graphmodel.server.credentials import read_credentials

    creds = read_credentials()
    if not creds or not creds.get("uri"):
        return None
    try:
        _, local_host, local_port = check_uri(creds["uri"])
    except ServerError:
        return None
    _, host, port = check_uri(uri)
    if not _same_address((host, port), (local_host, local_port)):
        return None
    return creds.get("user", "neo4j"), creds["password"]


def credentials(uri: str) -> tuple[str, str]:
    """``(user, password)`` for ``uri``.

    ``NEO4J_PASSWORD`` (with ``NEO4J_USER``, default ``neo4j``) wherever it
    points; else the local server's saved credentials, only when ``uri``
    names the local server's Bolt address (and ``NEO4J_USER``, if set, is its
    user).
    """
    user = os.environ.get("NEO4J_USER") or os.environ.get("NEO4J_USERNAME")
    password = os.environ.get("NEO4J_PASSWORD")
    if password:
        return user or "neo4j", password
    local = _local_server_credentials(uri)
    if local and (user is None or user == local[0]):
        return local
    if user:
        raise ServerError(f"{uri}: NEO4J_USER is set but NEO4J_PASSWORD is not; set both")
    if local is None and _has_local_credentials():
        raise ServerError(
            f"{uri}: not the local server's address, so its saved password is not sent there; "
            "set NEO4J_USER and NEO4J_PASSWORD for this server"
        )
    raise ServerError(
        f"{uri}: no credentials: set NEO4J_USER and NEO4J_PASSWORD, "
        "or start the local server with `graphmodel server start`"
    )


def _has_local_credentials() -> bool:
    from graphmodel.server.credentials import credentials_file

    return credentials_file().exists()


def _plaintext_allowed(allow_plaintext: bool | None) -> bool:
    if allow_plaintext is not None:
        return allow_plaintext
    return os.environ.get(PLAINTEXT_ENV, "").strip().lower() in ("1", "true", "yes")


def connect(uri: str | None = None, *, allow_plaintext: bool | None = None):
    """A verified ``neo4j.Driver`` for ``uri`` (default ``NEO4J_URI``).

    Parameters
    ----------
    uri
        A Bolt URI with a host (``bolt://``, ``neo4j://`` or their ``+s``/``+ssc``
        TLS forms).
    allow_plaintext
        Accept an unencrypted connection to a host other than loopback. ``None``
        (the default) reads ``GRAPHMODEL_NEO4J_PLAINTEXT``.

    Raises
    ------
    ServerError
        A URI that is not Bolt or has no host; plaintext to a remote host; no
        credentials; a server that cannot be reached, refuses the logon or
        breaks the connection.
    """
    import neo4j
    from neo4j.exceptions import AuthError, DriverError, Neo4jError, ServiceUnavailable

    uri = uri or os.environ.get("NEO4J_URI")
    if not uri:
        raise ServerError("no Neo4j URI: give --neo4j URI or set NEO4J_URI")
    scheme, host, _ = check_uri(uri)
    if (
        scheme not in TLS_SCHEMES
        and not is_loopback(host)
        and not _plaintext_allowed(allow_plaintext)
    ):
        secure = scheme.split("+")[0] + "+s"
        raise ServerError(
            f"{uri}: {host} is not this machine and {scheme}:// sends the password unencrypted; "
            f"use {secure}://, or set {PLAINTEXT_ENV}=1 to accept plaintext"
        )
    auth = credentials(uri)
    try:
        driver = neo4j.GraphDatabase.driver(uri, auth=auth, **DRIVER_CONFIG)
    except (ValueError, DriverError) as exc:
        message = " ".join(str(exc).split())
        raise ServerError(f"{uri}: not a Neo4j URI ({message})") from None
    try:
        driver.verify_connectivity()
    except AuthError:
        driver.close()
        raise ServerError(
            f"{uri}: authentication failed (check NEO4J_USER/NEO4J_PASSWORD)"
        ) from None
    except (ServiceUnavailable, OSError) as exc:
        driver.close()
        raise ServerError(
            f"{uri}: cannot reach the server ({exc.__class__.__name__}); "
            "start one with `graphmodel server start`"
        ) from None
    except (DriverError, Neo4jError) as exc:
        driver.close()
        detail = " ".join(str(exc).split())[:200]
        raise ServerError(
            f"{uri}: the connection failed ({exc.__class__.__name__}"
            + (f": {detail}" if detail else "")
            + "); is a Neo4j 5 server listening there?"
        ) from None
    return driver
