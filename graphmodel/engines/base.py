"""The store interface every analysis runs on (ARCHITECTURE.md, "The store interface").

A store hands out the tables of the event log and the derived referral
forest as DataFrames, and answers the graph-level questions (node and
relationship counts) where the data lives. The in-memory store
(:class:`graphmodel.engines.memory.store.MemoryStore`) is the embedded default; a
Neo4j-backed store implements the same methods with Cypher on the server.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

import pandas as pd

from graphmodel.errors import UserError

__all__ = ["Store", "STATS_COLUMNS"]

#: Columns of :meth:`Store.stats`.
STATS_COLUMNS = ["kind", "name", "count"]


class Store(ABC):
    """A platform's graph: event-log tables, the referral forest, counts."""

    #: ``"memory"`` or ``"neo4j"``
    kind: str = ""

    @property
    @abstractmethod
    def source(self) -> str:
        """Where the data comes from (a folder, or a Neo4j URI)."""

    @property
    def meta(self) -> dict[str, Any]:
        """What the data records about itself (the generator's seed and options)."""
        return {}

    @abstractmethod
    def table(self, name: str) -> pd.DataFrame:
        """One table of the event log (MODEL.md section 2) in canonical dtypes."""

    @abstractmethod
    def referrals(self) -> pd.DataFrame:
        """The ``REFERRED`` edges, columns :data:`graphmodel.model.referrals.REFERRAL_COLUMNS`."""

    @abstractmethod
    def stats(self) -> pd.DataFrame:
        """Node counts per label and relationship counts per type (MODEL.md section 3).

        One row each, columns ``kind`` (``node`` or ``relationship``), ``name``, ``count``;
        labels in the order of :data:`graphmodel.schema.NODE_LABELS`, then
        relationship types in the order of :data:`graphmodel.schema.RELATIONSHIPS`.
        """

    @abstractmethod
    def cascade_table(self) -> pd.DataFrame:
        """Per-cascade metrics of the referral cascades (MODEL.md section 6), largest first.

        Columns :data:`graphmodel.model.cascades.CASCADE_COLUMNS`; each store
        computes them where its data lives (the memory engine with
        :func:`graphmodel.engines.memory.cascades.log_cascades`).
        """

    @abstractmethod
    def value_pairs(self) -> pd.DataFrame:
        """What each user did in each stream, parameter-free (MODEL.md sections 4 and 5).

        Columns :data:`graphmodel.model.aggregates.PAIR_COLUMNS`, sorted by user and
        stream (the memory engine: :func:`graphmodel.engines.memory.pairs.memory_pairs`).
        """

    @abstractmethod
    def referral_paths(self) -> pd.DataFrame:
        """Every referred arrival with each ancestor on its referral path (MODEL.md 5.5).

        Columns :data:`graphmodel.model.aggregates.PATH_COLUMNS`, sorted by stream,
        user and hops (the memory engine: :func:`graphmodel.engines.memory.paths.memory_paths`).
        """

    def accounts(self):
        """The value accounting of this store's aggregates for any parameters
        (:class:`graphmodel.model.accounting.Accounts`)."""
        from graphmodel.model.accounting import Accounts

        return Accounts.from_store(self)

    def user_events(self, user_id: str) -> pd.DataFrame:
        """One user's rows of the ``events`` table, in event-id order."""
        ev = self.table("events")
        return ev.loc[ev["user_id"] == user_id].sort_values("event_id", ignore_index=True)

    def query(self, cypher: str, **params: Any) -> pd.DataFrame:
        """Run a Cypher query with parameters and return its rows (Neo4j stores only)."""
        raise UserError("Cypher queries need a Neo4j store (--neo4j URI)")

    def close(self) -> None:
        """Release connections; the store is unusable afterwards."""
        return None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
