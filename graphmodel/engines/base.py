"""The store interface every analysis runs on (ARCHITECTURE.md, "The store interface").

A store hands out the tables of the event log and the derived referral
forest as DataFrames, and answers the graph-level questions (node and
relationship counts) where the data lives. The in-memory store
([`graphmodel.engines.memory.store.MemoryStore`][graphmodel.engines.memory.store.MemoryStore]) is the embedded default; a
Neo4j-backed store implements the same methods with Cypher on the server.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

import pandas as pd

from graphmodel.errors import UserError
from graphmodel.eventlog.coverage import Coverage

__all__ = ["Store", "STATS_COLUMNS"]

#: Columns of [`Store.stats`][graphmodel.engines.base.Store.stats].
STATS_COLUMNS = ["kind", "name", "count"]


class Store(ABC):
    """A platform's graph: event-log tables, the referral forest, counts.

    The engine protocol: every analysis is a function of a `Store`. The
    engines implement it where their data lives: `graphmodel.MemoryStore`
    (pandas, the embedded default), `graphmodel.Neo4jStore` (Cypher on a
    server) and the Spark engine; `graphmodel.open_store` opens the one a
    source names. A store is a context manager: ``with`` closes it.

    Attributes
    ----------
    kind : str
        The engine: ``"memory"``, ``"neo4j"`` or ``"spark"``.

    Examples
    --------
    >>> import graphmodel
    >>> log = graphmodel.generate(graphmodel.GeneratorConfig(users=200, days=1, seed=1))
    >>> store = graphmodel.MemoryStore(log)
    >>> isinstance(store, graphmodel.Store), store.kind
    (True, 'memory')
    >>> with graphmodel.MemoryStore(log) as store:
    ...     int(store.stats().set_index("name").loc["User", "count"])
    200
    """

    #: ``"memory"``, ``"neo4j"`` or ``"spark"``
    kind: str = ""

    @property
    @abstractmethod
    def source(self) -> str:
        """Where the data comes from (a folder, or a Neo4j URI).

        Returns
        -------
        str
            The folder or URI; ``generator`` for a log generated in memory.
            Every result records it in its metadata.

        Examples
        --------
        >>> import graphmodel
        >>> log = graphmodel.generate(graphmodel.GeneratorConfig(users=200, days=1, seed=1))
        >>> store = graphmodel.MemoryStore(log)
        >>> store.source
        'generator'
        """

    @property
    def coverage(self) -> Coverage:
        """Which tables the log lacked or had derived, and how its referrals were made.

        Returns
        -------
        Coverage
            `graphmodel.eventlog.coverage.Coverage`; a complete log with recorded
            referrals by default. Every result records it (``meta["log"]``) with a
            note per figure it affects (``meta["notes"]``).
        """
        return Coverage()

    @property
    def meta(self) -> dict[str, Any]:
        """What the data records about itself (the generator's seed and options).

        Returns
        -------
        dict
            A copy of the log's ``graphmodel.json`` (``seed``, ``generator``), or
            ``{}`` when it records nothing.

        Examples
        --------
        >>> import graphmodel
        >>> log = graphmodel.generate(graphmodel.GeneratorConfig(users=200, days=1, seed=1))
        >>> store = graphmodel.MemoryStore(log)
        >>> store.meta["seed"]
        1
        """
        return {}

    @abstractmethod
    def table(self, name: str) -> pd.DataFrame:
        """One table of the event log ([docs/model.md, section 2][model-2]) in canonical dtypes.

        Parameters
        ----------
        name : str
            A table of `graphmodel.schema.TABLE_NAMES` (``users``, ``events``, ...).

        Returns
        -------
        DataFrame
            Exactly the schema's columns, in order, in the dtypes of
            `graphmodel.eventlog.log.DTYPES`.

        Examples
        --------
        >>> import graphmodel
        >>> log = graphmodel.generate(graphmodel.GeneratorConfig(users=200, days=1, seed=1))
        >>> store = graphmodel.MemoryStore(log)
        >>> store.table("users").columns.tolist()
        ['user_id', 'joined_at', 'segment']
        >>> len(store.table("events"))
        800
        """

    @abstractmethod
    def referrals(self) -> pd.DataFrame:
        """The ``REFERRED`` edges, columns `graphmodel.model.referrals.REFERRAL_COLUMNS`.

        Returns
        -------
        DataFrame
            One row per referred first arrival of a user in a stream: who
            referred whom, in which stream, by which share, when, on which channel.

        Examples
        --------
        >>> from graphmodel.model.referrals import REFERRAL_COLUMNS
        >>> import graphmodel
        >>> log = graphmodel.generate(graphmodel.GeneratorConfig(users=200, days=1, seed=1))
        >>> store = graphmodel.MemoryStore(log)
        >>> referrals = store.referrals()
        >>> list(referrals.columns) == REFERRAL_COLUMNS, len(referrals)
        (True, 10)
        """

    def stats(self) -> pd.DataFrame:
        """Node counts per label and relationship counts per type ([docs/model.md, section 3][model-3]).

        Counted by the table-to-graph mapping of `graphmodel.schema` (a node per row of
        its table, a relationship per row of its filtered or derived table) from the
        engine's `count_rows` and `count_values`; the Neo4j engine counts the graph
        itself on the server.

        Returns
        -------
        DataFrame
            One row each, columns ``kind`` (``node`` or ``relationship``), ``name``,
            ``count``; labels in the order of `graphmodel.schema.NODE_LABELS`, then
            relationship types in the order of `graphmodel.schema.RELATIONSHIPS`.

        Examples
        --------
        >>> import graphmodel
        >>> log = graphmodel.generate(graphmodel.GeneratorConfig(users=200, days=1, seed=1))
        >>> store = graphmodel.MemoryStore(log)
        >>> stats = store.stats().set_index("name")
        >>> int(stats.loc["User", "count"]), int(stats.loc["REFERRED", "count"])
        (200, 10)
        """
        from graphmodel.schema import EDGE, NODE, NODE_LABELS, RELATIONSHIPS

        rows = [("node", label, self.count_rows(NODE[label].table)) for label in NODE_LABELS]
        values: dict[tuple[str, str], pd.Series] = {}
        for rel in RELATIONSHIPS:
            m = EDGE[rel]
            source = m.derived or m.table
            if m.row_filter is None:
                n = self.count_rows(source)
            else:  # rows holding a value (events of a type): one count of each column
                column, value = m.row_filter
                if (source, column) not in values:
                    values[(source, column)] = self.count_values(source, column)
                n = int(values[(source, column)].get(value, 0))
            rows.append(("relationship", rel, n))
        return pd.DataFrame(rows, columns=STATS_COLUMNS).astype({"count": "int64"})

    def count_rows(self, name: str) -> int:
        """Rows of table ``name``: a table of the log, or a derived one (``referrals``, the
        ``REFERRED`` edges; ``follow_edges``, the ``FOLLOWS`` relationships)."""
        if name == "referrals":
            return len(self.referrals())
        if name == "follow_edges":
            from graphmodel.model.social import follow_edges

            return len(follow_edges(self.table("follows")))
        return len(self.table(name))

    def count_values(self, name: str, column: str) -> pd.Series:
        """How many rows of table ``name`` hold each value of ``column``."""
        return self.table(name)[column].value_counts()

    @abstractmethod
    def cascade_table(self) -> pd.DataFrame:
        """Per-cascade metrics of the referral cascades ([docs/model.md, section 6][model-6]), largest first.

        Returns
        -------
        DataFrame
            One row per cascade, columns `graphmodel.model.cascades.CASCADE_COLUMNS`;
            the memory and Neo4j stores with
            `graphmodel.model.referral_cascades.referral_cascades`, Spark on its
            executors.

        Examples
        --------
        >>> from graphmodel.model.cascades import CASCADE_COLUMNS
        >>> import graphmodel
        >>> log = graphmodel.generate(graphmodel.GeneratorConfig(users=200, days=1, seed=1))
        >>> store = graphmodel.MemoryStore(log)
        >>> cascades = store.cascade_table()
        >>> list(cascades.columns) == CASCADE_COLUMNS, len(cascades)
        (True, 14)
        """

    @abstractmethod
    def value_pairs(self) -> pd.DataFrame:
        """What each user did in each stream, parameter-free ([docs/model.md, sections 4 and 5][model-4]).

        Returns
        -------
        DataFrame
            One row per (user, stream) with any activity, columns
            `graphmodel.model.aggregates.PAIR_COLUMNS`, sorted by user and stream
            (the memory and Neo4j stores: `graphmodel.model.pairs.pair_table`).

        Examples
        --------
        >>> from graphmodel.model.aggregates import PAIR_COLUMNS
        >>> import graphmodel
        >>> log = graphmodel.generate(graphmodel.GeneratorConfig(users=200, days=1, seed=1))
        >>> store = graphmodel.MemoryStore(log)
        >>> pairs = store.value_pairs()
        >>> list(pairs.columns) == PAIR_COLUMNS, len(pairs)
        (True, 142)
        """

    @abstractmethod
    def referral_paths(self) -> pd.DataFrame:
        """Every referred arrival with each ancestor on its referral path ([docs/model.md, 5.5][model-5-5]).

        Returns
        -------
        DataFrame
            One row per (arrival, ancestor), columns
            `graphmodel.model.aggregates.PATH_COLUMNS`, sorted by stream, user and
            hops (the memory and Neo4j stores: `graphmodel.model.paths.referral_paths`).

        Examples
        --------
        >>> from graphmodel.model.aggregates import PATH_COLUMNS
        >>> import graphmodel
        >>> log = graphmodel.generate(graphmodel.GeneratorConfig(users=200, days=1, seed=1))
        >>> store = graphmodel.MemoryStore(log)
        >>> paths = store.referral_paths()
        >>> list(paths.columns) == PATH_COLUMNS, len(paths)
        (True, 10)
        """

    def accounts(self):
        """The value accounting of this store's aggregates for any parameters.

        The aggregates (`value_pairs`, `referral_paths`) are read once; pass the
        result as ``accounts`` to the value analyses to reuse them across calls.

        Returns
        -------
        Accounts
            A `graphmodel.model.accounting.Accounts` of this store.

        Examples
        --------
        >>> import graphmodel
        >>> log = graphmodel.generate(graphmodel.GeneratorConfig(users=200, days=1, seed=1))
        >>> store = graphmodel.MemoryStore(log)
        >>> accounts = store.accounts()
        >>> type(accounts).__name__
        'Accounts'
        >>> table = graphmodel.value(store, by="platform", accounts=accounts)
        >>> int(table["users"].iloc[0])
        200
        """
        from graphmodel.model.accounting import Accounts

        return Accounts.from_store(self)

    def user_events(self, user_id: str) -> pd.DataFrame:
        """One user's rows of the ``events`` table, in event-id order.

        Parameters
        ----------
        user_id : str
            The user; an unknown id gives no rows.

        Returns
        -------
        DataFrame
            The columns of the ``events`` table, with a fresh index.

        Examples
        --------
        >>> import graphmodel
        >>> log = graphmodel.generate(graphmodel.GeneratorConfig(users=200, days=1, seed=1))
        >>> store = graphmodel.MemoryStore(log)
        >>> events = store.user_events("u000095")
        >>> len(events), bool(events["event_id"].is_monotonic_increasing)
        (57, True)
        >>> len(store.user_events("nobody"))
        0
        """
        ev = self.table("events")
        return ev.loc[ev["user_id"] == user_id].sort_values("event_id", ignore_index=True)

    def query(self, cypher: str, **params: Any) -> pd.DataFrame:
        """Run a Cypher query with parameters and return its rows (Neo4j stores only).

        Parameters
        ----------
        cypher : str
            The query text.
        **params
            Its parameters (``$name`` in the query).

        Returns
        -------
        DataFrame
            One row per result record, a column per returned key.

        Raises
        ------
        UserError
            On a store that cannot run Cypher (memory, Spark), or a query the
            server refuses.
        ServerError
            A Neo4j server that fails while answering.

        Examples
        --------
        >>> import graphmodel
        >>> log = graphmodel.generate(graphmodel.GeneratorConfig(users=200, days=1, seed=1))
        >>> store = graphmodel.MemoryStore(log)
        >>> store.query("RETURN 1 AS one")
        Traceback (most recent call last):
        ...
        graphmodel.errors.UserError: Cypher queries need a Neo4j store (--neo4j URI)
        >>> neo4j = graphmodel.Neo4jStore.open("bolt://localhost:7687")  # doctest: +SKIP
        >>> neo4j.query("MATCH (u:User) RETURN count(u) AS n")  # doctest: +SKIP
        """
        raise UserError("Cypher queries need a Neo4j store (--neo4j URI)")

    def close(self) -> None:
        """Release connections; the store is unusable afterwards.

        Leaving a ``with`` block calls it. Closing a store that holds no
        connection (memory) does nothing.

        Returns
        -------
        None

        Examples
        --------
        >>> import graphmodel
        >>> log = graphmodel.generate(graphmodel.GeneratorConfig(users=200, days=1, seed=1))
        >>> store = graphmodel.MemoryStore(log)
        >>> store.close()
        """
        return None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
