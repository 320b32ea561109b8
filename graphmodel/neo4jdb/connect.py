"""Connect to Neo4j with the right credentials.

The URI comes from ``--neo4j`` or ``NEO4J_URI``. The user and password come
only from ``NEO4J_USER``/``NEO4J_PASSWORD`` or, failing those, from the
credentials file of the local server (``graphmodel server start``); never
from a command-line argument, where they would show in the process list and
the shell history.
"""

from __future__ import annotations

import os

from graphmodel.errors import ServerError

__all__ = ["credentials", "connect", "DRIVER_CONFIG"]

#: Driver settings of every connection graphmodel opens. The server sends no
#: notifications: the driver would log each one (a warning about the
#: deprecated ``id()`` of the loader's queries on every batch, say) as a
#: multi-line record on stderr, and the server would build them for every query.
DRIVER_CONFIG = {"notifications_min_severity": "OFF"}


def _local_server_credentials(uri: str) -> tuple[str, str] | None:
    try:
        from graphmodel.server.credentials import read_credentials
    except ImportError:  # pragma: no cover - the server package ships with graphmodel
        return None
    creds = read_credentials()
    if not creds:
        return None
    return creds.get("user", "neo4j"), creds["password"]


def credentials(uri: str) -> tuple[str, str]:
    """``(user, password)`` for ``uri`` from the environment or the local server's file."""
    user = os.environ.get("NEO4J_USER") or os.environ.get("NEO4J_USERNAME")
    password = os.environ.get("NEO4J_PASSWORD")
    if password:
        return user or "neo4j", password
    local = _local_server_credentials(uri)
    if local:
        return local
    raise ServerError(f"{uri}: no credentials: set NEO4J_USER and NEO4J_PASSWORD, "
                      "or start the local server with `graphmodel server start`")


def connect(uri: str | None = None):
    """A verified ``neo4j.Driver`` for ``uri`` (default ``NEO4J_URI``)."""
    import neo4j
    from neo4j.exceptions import AuthError, ConfigurationError, ServiceUnavailable

    uri = uri or os.environ.get("NEO4J_URI")
    if not uri:
        raise ServerError("no Neo4j URI: give --neo4j URI or set NEO4J_URI")
    try:
        driver = neo4j.GraphDatabase.driver(uri, auth=credentials(uri), **DRIVER_CONFIG)
    except (ValueError, ConfigurationError) as exc:
        message = " ".join(str(exc).split())
        raise ServerError(f"{uri}: not a Neo4j URI ({message})") from None
    try:
        driver.verify_connectivity()
    except AuthError:
        driver.close()
        raise ServerError(f"{uri}: authentication failed (check NEO4J_USER/NEO4J_PASSWORD)") from None
    except (ServiceUnavailable, OSError) as exc:
        driver.close()
        raise ServerError(f"{uri}: cannot reach the server ({exc.__class__.__name__}); "
                          "start one with `graphmodel server start`") from None
    return driver
