"""Neo4j driver failures as one-line [`ServerError`][graphmodel.errors.ServerError] messages.

The driver raises its own exceptions when the server goes away or refuses
work: ``ServiceUnavailable`` and its ``IncompleteCommit`` (the connection
broke during a commit), ``SessionExpired``, a ``TransientError`` still
failing after the driver's retries, a ``DatabaseError`` ("Property value is
too large to index"), a ``ClientError``. None of them is a bug of
graphmodel: the command line reports each as one line, ``error: <uri>:
<what was being done> failed: <why> (<exception>: <server's message>)``,
exit code 2, no traceback.

`translated` is a context manager for the calls of one task;
`server_error` builds the [`ServerError`][graphmodel.errors.ServerError] of one exception.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from graphmodel.errors import ServerError

__all__ = ["DRIVER_FAILURES", "describe", "server_error", "translated", "is_disconnect"]


def _failures() -> tuple[type[BaseException], ...]:
    from neo4j.exceptions import (
        ConnectionPoolError,
        Neo4jError,
        ResultFailedError,
        ServiceUnavailable,
        SessionExpired,
    )

    return (ServiceUnavailable, SessionExpired, ConnectionPoolError, ResultFailedError, Neo4jError)


#: The driver's exceptions that come from the server or the connection, not from a bug:
#: ``ServiceUnavailable`` (``IncompleteCommit`` among them), ``SessionExpired``,
#: ``ConnectionPoolError``, ``ResultFailedError`` and every ``Neo4jError`` the server sends
#: (``ClientError``, ``TransientError``, ``DatabaseError``).
DRIVER_FAILURES: tuple[type[BaseException], ...] = _failures()

_MAX_DETAIL = 300


def is_disconnect(exc: BaseException) -> bool:
    """Whether ``exc`` means the connection to the server is gone (the server stopped,
    was killed, or the network broke), rather than the server refusing a query."""
    from neo4j.exceptions import ConnectionPoolError, ServiceUnavailable, SessionExpired

    return isinstance(exc, (ServiceUnavailable, SessionExpired, ConnectionPoolError))


def _one_line(text: str, limit: int = _MAX_DETAIL) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."


def describe(exc: BaseException) -> str:
    """Why ``exc`` happened, in one line: ``<why> (<exception>: <message>)``."""
    from neo4j.exceptions import (
        AuthError,
        ClientError,
        DatabaseError,
        IncompleteCommit,
        Neo4jError,
        TransientError,
    )

    kind = exc.__class__.__name__
    if isinstance(exc, Neo4jError):
        detail = exc.message or str(exc)
        if exc.code:
            kind = f"{kind} {exc.code}"
    else:
        detail = str(exc)
    if isinstance(exc, IncompleteCommit):
        why = "the connection broke while a transaction was committing (the server stopped?)"
    elif is_disconnect(exc):
        why = "the server stopped answering"
    elif isinstance(exc, AuthError):
        why = "the server refused the credentials"
    elif isinstance(exc, TransientError):
        why = "the server kept failing a transaction after retries"
    elif isinstance(exc, DatabaseError):
        why = "the server failed"
    elif isinstance(exc, ClientError):
        why = "the server refused a query"
    else:
        why = "the server failed"
    detail = _one_line(detail)
    return f"{why} ({kind}: {detail})" if detail else f"{why} ({kind})"


def server_error(
    uri: str | None, exc: BaseException, doing: str | None = None, advice: str | None = None
) -> ServerError:
    """The one-line [`ServerError`][graphmodel.errors.ServerError] of driver failure ``exc``.

    ``error: <uri>: <doing> failed: <why> (<exception>: <message>); <advice>``.
    """
    text = describe(exc)
    if doing:
        text = f"{doing} failed: {text}"
    if uri:
        text = f"{uri}: {text}"
    if advice:
        text = f"{text}; {advice}"
    return ServerError(_one_line(text, limit=2000))


@contextlib.contextmanager
def translated(
    uri: str | None, doing: str | None = None, advice: str | None = None
) -> Iterator[None]:
    """Turn a driver failure (`DRIVER_FAILURES`) raised in the block into a
    one-line [`ServerError`][graphmodel.errors.ServerError] (see `server_error`)."""
    try:
        yield
    except DRIVER_FAILURES as exc:
        raise server_error(uri, exc, doing, advice) from None
