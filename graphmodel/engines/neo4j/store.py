"""The Neo4j store: the same interface as the memory store, answered by Cypher on the server.

Every query comes from a file under ``cypher/`` and takes parameters.
"""

from __future__ import annotations

from itertools import chain
from typing import Any

import pandas as pd

from graphmodel.cypher import load_cypher
from graphmodel.engines.base import STATS_COLUMNS, Store
from graphmodel.errors import UserError
from graphmodel.eventlog.coverage import Coverage
from graphmodel.eventlog.log import conform
from graphmodel.model.referrals import REFERRAL_COLUMNS
from graphmodel.schema import NODE_LABELS, RELATIONSHIPS, TABLES

__all__ = ["Neo4jStore"]


def _to_frame(result, plain: bool = True) -> pd.DataFrame:
    """The rows of ``result``; ``plain=False`` skips converting temporal values (faster,
    for queries that return only numbers, text and booleans)."""
    keys = list(result.keys())
    rows = [_plain_row(r.values()) if plain else r.values() for r in result]
    return pd.DataFrame(rows, columns=keys)


def _plain(v: Any) -> Any:
    to_native = getattr(v, "to_native", None)
    if to_native is not None:
        return to_native()
    return v


def _plain_row(values: list) -> list:
    return [_plain(v) for v in values]


class Neo4jStore(Store):
    """An event log loaded into Neo4j (``graphmodel load``).

    The Neo4j engine of the `graphmodel.Store` protocol: every table, count
    and aggregate is a Cypher query (a file under ``cypher/``) run on the
    server. Open one with `Neo4jStore.open` or `graphmodel.open_store`.

    Parameters
    ----------
    driver : neo4j.Driver
        A connected driver.
    uri : str
        The server's URI, recorded as the store's ``source``.
    database : str, optional
        The database (default: the server's default database).
    own_driver : bool
        Close ``driver`` when the store is closed.

    Examples
    --------
    >>> import graphmodel
    >>> graphmodel.Neo4jStore.kind
    'neo4j'
    >>> with graphmodel.Neo4jStore.open("bolt://localhost:7687") as store:  # doctest: +SKIP
    ...     graphmodel.graph_stats(store)
    """

    kind = "neo4j"

    def __init__(self, driver, uri: str, database: str | None = None, own_driver: bool = False):
        self.driver = driver
        self.uri = uri
        self.database = database
        self._own = own_driver

    @classmethod
    def open(cls, uri: str | None = None, database: str | None = None) -> Neo4jStore:
        """Connect to ``uri`` (default ``NEO4J_URI``) with credentials from the environment.

        Parameters
        ----------
        uri : str, optional
            A ``bolt://`` or ``neo4j://`` URI; default the ``NEO4J_URI``
            environment variable.
        database : str, optional
            The database (default: the server's default database).

        Returns
        -------
        Neo4jStore
            A store that closes its driver when closed.

        Raises
        ------
        ServerError
            No URI, a URI that is not a Neo4j URI, missing credentials, or a
            server that cannot be reached or logged into.

        Examples
        --------
        >>> import graphmodel
        >>> store = graphmodel.Neo4jStore.open("bolt://localhost:7687")  # doctest: +SKIP
        >>> store.source  # doctest: +SKIP
        'bolt://localhost:7687'
        """
        import os

        from graphmodel.engines.neo4j.connect import connect

        uri = uri or os.environ.get("NEO4J_URI", "")
        return cls(connect(uri), uri, database, own_driver=True)

    @property
    def source(self) -> str:
        return self.uri

    def _record(self) -> tuple[Coverage, dict]:
        from graphmodel.engines.neo4j.load import read_log_record

        return read_log_record(
            lambda query, **params: self.query(query, **params).to_dict("records")
        )

    @property
    def coverage(self) -> Coverage:
        """The coverage of the loaded log, as recorded by ``graphmodel load``
        (``cypher/log/read.cypher``; a complete log when nothing was recorded)."""
        return self._record()[0]

    @property
    def meta(self) -> dict[str, Any]:
        """The loaded log's ``graphmodel.json`` (seed, generator options), as recorded by
        ``graphmodel load``; ``{}`` when it records nothing."""
        return self._record()[1]

    def query(self, cypher: str, _plain_values: bool = True, **params: Any) -> pd.DataFrame:
        """The rows of ``cypher``, read in one transaction.

        A query the server refuses (syntax, types, missing parameters) is a
        `graphmodel.errors.UserError`; any other driver failure (the
        server stopped, a session expired, a transaction still failing after
        the driver's retries) a one-line `graphmodel.errors.ServerError`
        naming the server.

        Parameters
        ----------
        cypher : str
            The query text.
        **params
            Its parameters (``$name`` in the query).

        Returns
        -------
        DataFrame
            One row per record; temporal values as Python datetimes.

        Raises
        ------
        UserError
            A query the server refuses.
        ServerError
            Any other failure of the server or the driver.

        Examples
        --------
        >>> import graphmodel
        >>> store = graphmodel.Neo4jStore.open("bolt://localhost:7687")  # doctest: +SKIP
        >>> store.query("MATCH (u:User) RETURN count(u) AS users")  # doctest: +SKIP
           users
        0    200
        """
        from neo4j.exceptions import AuthError, ClientError

        from graphmodel.engines.neo4j.failures import DRIVER_FAILURES, server_error

        try:
            with self.driver.session(database=self.database) as session:
                return session.execute_read(
                    lambda tx: _to_frame(tx.run(cypher, **params), _plain_values)
                )
        except AuthError as exc:
            raise server_error(self.uri, exc, "a query") from None
        except ClientError as exc:  # a user's query or parameters: syntax, types, missing params
            message = " ".join(str(exc.message or exc).split())
            raise UserError(f"Cypher query failed: {message}") from None
        except DRIVER_FAILURES as exc:
            raise server_error(self.uri, exc, "a query") from None

    def run_file(self, name: str, _plain_values: bool = True, **params: Any) -> pd.DataFrame:
        """Run ``cypher/<name>.cypher`` with parameters."""
        return self.query(load_cypher(name), _plain_values, **params)

    def table(self, name: str) -> pd.DataFrame:
        df = self.run_file(f"tables/{name}")
        if name == "events":
            df = df.sort_values("event_id", kind="mergesort")
        return conform(TABLES[name], df)

    def user_events(self, user_id: str) -> pd.DataFrame:
        df = self.run_file("tables/user_events", user_id=user_id)
        df = conform(TABLES["events"], df)
        return df.sort_values("event_id", ignore_index=True)

    def referrals(self) -> pd.DataFrame:
        df = self.run_file("tables/referrals")
        if df.empty:
            df = pd.DataFrame(columns=REFERRAL_COLUMNS)
        df["at"] = pd.to_datetime(df["at"]).astype("datetime64[ns]")
        for c in ("referrer_id", "user_id", "stream_id", "share_id", "channel", "how"):
            df[c] = df[c].astype(pd.StringDtype("pyarrow"))
        return df[REFERRAL_COLUMNS].reset_index(drop=True)

    def cascade_table(self) -> pd.DataFrame:
        """Per-cascade metrics (MODEL.md section 6) computed on the server by traversal.

        ``cypher/analysis/cascades.cypher`` finds the roots, walks each root's
        ``REFERRED`` edges of its stream and returns per cascade its size, depth,
        breadth, leaves, Wiener index, virality, arrival times and channel counts.
        """
        from graphmodel.model.cascades import CHANNEL_COLUMNS, conform_cascades
        from graphmodel.schema import CHANNELS

        df = self.run_file("analysis/cascades", channels=list(CHANNELS))
        if not df.empty:
            mix = pd.DataFrame(
                df.pop("channel_counts").tolist(), columns=CHANNEL_COLUMNS, index=df.index
            )
            df = pd.concat([df, mix], axis=1)
        return conform_cascades(df)

    def value_pairs(self) -> pd.DataFrame:
        """Per (user, stream) counts and attention value, aggregated on the server
        (``cypher/value/pairs.cypher``)."""
        from graphmodel.model.aggregates import PAIR_COLUMNS, conform_pairs

        per_stream = self.run_file("value/pairs", _plain_values=False)
        if per_stream.empty:
            return conform_pairs(pd.DataFrame(columns=PAIR_COLUMNS))
        sizes = per_stream["user_id"].map(len).to_numpy()
        flat = {
            c: list(chain.from_iterable(per_stream[c])) for c in PAIR_COLUMNS if c != "stream_id"
        }
        flat["stream_id"] = per_stream["stream_id"].to_numpy(object).repeat(sizes)
        return conform_pairs(pd.DataFrame(flat))

    def referral_paths(self) -> pd.DataFrame:
        """Referral paths found by traversing ``REFERRED`` on the server
        (``cypher/value/paths.cypher``)."""
        from graphmodel.model.aggregates import conform_paths

        return conform_paths(self.run_file("value/paths", _plain_values=False))

    def stats(self) -> pd.DataFrame:
        df = self.run_file("stats", labels=list(NODE_LABELS), types=list(RELATIONSHIPS))
        return df[STATS_COLUMNS].astype({"count": "int64"})

    def close(self) -> None:
        if self._own:
            self.driver.close()
