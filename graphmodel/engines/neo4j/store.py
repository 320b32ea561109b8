"""The Neo4j store: the same interface as the memory store, answered from the server.

Every query comes from a file under ``cypher/`` and takes parameters. The
server reads; the parameter-free aggregates (pairs, referral paths, the
cascade table) are computed by the model's one implementation
(`graphmodel.model.pairs`, `graphmodel.model.paths`,
`graphmodel.model.referral_cascades`) on the columns the server sends,
as for the memory store. Counting and walking trees in Cypher took 25 to 47
times the memory store's time on a 100k-user week (the server's interpreted
aggregation, and users' long relationship chains read at every hop);
docs/neo4j-server.md has the profile.
"""

from __future__ import annotations

from itertools import chain
from typing import Any

import numpy as np
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


#: Per event type of the pair table (graphmodel.model.pairs.KINDS, in its order), the
#: columns of ``cypher/value/stream_events.cypher`` with its users and its one number.
_EVENT_COLUMNS = [("watch_user", "watch_s"), ("like_user", "like_taps"),
                  ("comment_user", None), ("share_user", None),
                  ("purchase_user", "purchase_amount")]


def _chain(lists) -> list:
    """The lists of a column of list values, end to end."""
    return list(chain.from_iterable(lists))


def _frame(rows: list, columns: list[str], datetimes: tuple[str, ...] = ()) -> pd.DataFrame:
    """``rows`` (lists in the order of ``columns``) as a frame; the ``datetimes`` columns
    sent as nanoseconds since 1970-01-01T00:00 (null: missing) as ``datetime64[ns]``."""
    df = pd.DataFrame(rows, columns=columns)
    for c in datetimes:
        ns = pd.array(df[c].to_numpy(object), dtype="Int64")
        df[c] = ns.to_numpy("int64", na_value=np.iinfo(np.int64).min).astype("datetime64[ns]")
    return df


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

    def rows(self, name: str, columns: list[str], datetimes: tuple[str, ...] = (),
             **params: Any) -> pd.DataFrame:
        """The ``rows`` of ``cypher/<name>.cypher`` as a frame of ``columns``.

        The query returns records of one column, ``rows``, each a list of rows in
        the order of ``columns``; the columns named in ``datetimes`` come as
        nanoseconds since 1970-01-01T00:00 (null for a missing time).
        """
        result = self.run_file(name, _plain_values=False, **params)
        return _frame(_chain(result["rows"]) if len(result) else [], columns, datetimes)

    def _table_rows(self, name: str, **params: Any) -> pd.DataFrame:
        t = TABLES["events" if name == "user_events" else name]
        dts = tuple(c.name for c in t.columns if c.kind == "datetime")
        return conform(t, self.rows(f"tables/{name}", t.column_names, dts, **params))

    def table(self, name: str) -> pd.DataFrame:
        df = self._table_rows(name)
        if name == "events":
            df = df.sort_values("event_id", kind="mergesort", ignore_index=True)
        return df

    def user_events(self, user_id: str) -> pd.DataFrame:
        df = self._table_rows("user_events", user_id=user_id)
        return df.sort_values("event_id", ignore_index=True)

    def referrals(self) -> pd.DataFrame:
        """The ``REFERRED`` edges (``cypher/tables/referrals.cypher``), sorted by stream,
        time and user."""
        df = self.rows("tables/referrals", REFERRAL_COLUMNS, ("at",))
        for c in ("referrer_id", "user_id", "stream_id", "share_id", "channel", "how"):
            df[c] = df[c].astype(pd.StringDtype("pyarrow"))
        df = df.sort_values(["stream_id", "at", "user_id"], kind="mergesort")
        return df.reset_index(drop=True)

    def cascade_table(self) -> pd.DataFrame:
        """Per-cascade metrics ([docs/model.md, section 6][model-6]) of the ``REFERRED`` forest on the server.

        The server sends the edges and the share events in one round trip
        (``cypher/analysis/forest.cypher``); the metrics are those of
        `graphmodel.model.referral_cascades.referral_cascades`, the memory
        store's own code.
        """
        from graphmodel.model.referral_cascades import referral_cascades

        sent = self.run_file("analysis/forest", _plain_values=False).iloc[0]
        edges = _frame(sent["edges"], ["stream_id", "referrer_id", "user_id", "at", "channel"],
                       ("at",))
        shares = _frame(sent["shares"], ["stream_id", "user_id", "at"], ("at",))
        for df in (edges, shares):
            df["stream_id"] = df["stream_id"].astype(pd.StringDtype("pyarrow"))
        return referral_cascades(edges, shares)

    def value_pairs(self) -> pd.DataFrame:
        """Per (user, stream) counts and attention value
        (`graphmodel.model.pairs.pair_table`, the memory store's own code) of the
        events the server sends per stream (``cypher/value/stream_events.cypher``)."""
        from graphmodel.model.aggregates import PAIR_COLUMNS, conform_pairs
        from graphmodel.model.pairs import pair_table

        rows = self.run_file("value/stream_events", _plain_values=False)
        if rows.empty:
            return conform_pairs(pd.DataFrame(columns=PAIR_COLUMNS))
        # sorted here, not on the server: an ORDER BY there would hold every record back
        # until the last stream is read, instead of sending each while the next is read
        rows = rows.sort_values("stream_id", ignore_index=True)
        streams = rows["stream_id"].to_numpy(object)
        users, codes, kinds, values = [], [], [], []
        for kind, (who, what) in enumerate(_EVENT_COLUMNS):
            sizes = rows[who].map(len).to_numpy()
            users.extend(_chain(rows[who]))
            codes.append(np.arange(len(rows)).repeat(sizes))
            kinds.append(np.full(int(sizes.sum()), kind, dtype=np.int64))
            values.append(np.array(_chain(rows[what]), dtype="float64") if what
                          else np.full(int(sizes.sum()), np.nan))
        value = np.concatenate(values)
        stream_id = pd.Series(pd.Categorical.from_codes(np.concatenate(codes), streams))
        referred_sizes = rows["referred_user"].map(len).to_numpy()
        referred = pd.DataFrame({"user_id": _chain(rows["referred_user"]),
                                 "stream_id": streams.repeat(referred_sizes)})
        return pair_table(
            pd.Series(pd.array(users, dtype=pd.StringDtype("pyarrow"))), stream_id,
            np.concatenate(kinds), value, value, value,
            pd.Series(rows["duration_s"].to_numpy("float64"), index=streams),
            pd.Series(rows["spend"].to_numpy("float64"), index=streams),
            referred,
        )

    def referral_paths(self) -> pd.DataFrame:
        """Referral paths (`graphmodel.model.paths.referral_paths`, the memory
        store's own code) of the ``REFERRED`` edges on the server
        (``cypher/value/referral_edges.cypher``)."""
        from graphmodel.model.paths import referral_paths

        return referral_paths(
            self.rows("value/referral_edges", ["stream_id", "referrer_id", "user_id"])
        )

    def stats(self) -> pd.DataFrame:
        df = self.run_file("stats", labels=list(NODE_LABELS), types=list(RELATIONSHIPS))
        return df[STATS_COLUMNS].astype({"count": "int64"})

    def close(self) -> None:
        if self._own:
            self.driver.close()
