"""The in-memory store, the embedded default (ARCHITECTURE.md).

The event log's pandas tables are the storage. networkx graphs are views
built on demand: the social graph, the referral forest, or the full property
graph of [docs/model.md, section 3][model-3] for a small log or a subgraph such as one user's
data account (a networkx edge costs hundreds of bytes, so a 100k-user week is
never held as one networkx graph).
"""

from __future__ import annotations

import os
from functools import cached_property
from typing import Any

import networkx as nx
import pandas as pd

from graphmodel.engines.base import Store
from graphmodel.eventlog.coverage import Coverage
from graphmodel.eventlog.log import EventLog
from graphmodel.model.inference import DEFAULT_WINDOW_S
from graphmodel.model.referrals import derive_referrals
from graphmodel.model.social import follow_edges

__all__ = ["MemoryStore"]


class MemoryStore(Store):
    """An event log held as pandas tables, with networkx views.

    The embedded engine of the `graphmodel.Store` protocol: the tables are the
    log's own DataFrames, the aggregates are computed with pandas and kept.

    Parameters
    ----------
    log : EventLog
        A valid log (from `graphmodel.read_log` or `graphmodel.generate`).

    Attributes
    ----------
    log : EventLog
        The log, as given.
    kind : str
        ``"memory"``.

    Examples
    --------
    >>> import graphmodel
    >>> log = graphmodel.generate(graphmodel.GeneratorConfig(users=200, days=1, seed=1))
    >>> store = graphmodel.MemoryStore(log)
    >>> store.kind, store.source
    ('memory', 'generator')
    >>> store.table("events").groupby("type").size().to_dict()
    {'comment': 188, 'like': 253, 'purchase': 33, 'share': 16, 'watch': 310}
    >>> store.referral_forest().number_of_edges()
    10
    >>> store = MemoryStore.open("platform/")          # doctest: +SKIP
    """

    kind = "memory"

    def __init__(self, log: EventLog):
        self.log = log

    @classmethod
    def open(cls, path: str | os.PathLike, referrals: str = "auto",
             window_s: float = DEFAULT_WINDOW_S) -> MemoryStore:
        """Read and validate the event log in folder ``path`` (raises `graphmodel.errors.LogError`).

        Parameters
        ----------
        path : str or path-like
            A folder with one file per table, as `graphmodel.read_log` reads.
        referrals : {"auto", "recorded", "social", "time"}
            How the ``REFERRED`` edges are made (`graphmodel.model.inference.infer_log`):
            ``auto`` infers them by the social graph when no watch names its share.
        window_s : float
            The inference window, seconds.

        Returns
        -------
        MemoryStore
            The store of the log, with ``source`` the folder.

        Raises
        ------
        LogError
            Listing every problem of the log.

        Examples
        --------
        >>> import tempfile
        >>> import graphmodel
        >>> log = graphmodel.generate(graphmodel.GeneratorConfig(users=200, days=1, seed=1))
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     store = graphmodel.MemoryStore.open(graphmodel.write_log(log, tmp + "/platform"))
        >>> len(store.table("users")), store.source.endswith("platform")
        (200, True)
        """
        from graphmodel.eventlog.read import read_log
        from graphmodel.model.inference import infer_log

        return cls(infer_log(read_log(path), referrals, window_s))

    @property
    def source(self) -> str:
        return self.log.source

    @property
    def meta(self) -> dict[str, Any]:
        return dict(self.log.meta)

    @property
    def coverage(self) -> Coverage:
        return self.log.coverage

    def table(self, name: str) -> pd.DataFrame:
        return self.log[name]

    def referrals(self) -> pd.DataFrame:
        return self._referrals

    @cached_property
    def _referrals(self) -> pd.DataFrame:
        how = self.log.coverage.referrals
        return derive_referrals(self.log["events"], how if how in ("social", "time") else "recorded")

    def cascade_table(self) -> pd.DataFrame:
        """Per-cascade metrics ([docs/model.md, section 6][model-6]), computed embedded and kept (a copy each call)."""
        return self._cascades.copy()

    def value_pairs(self) -> pd.DataFrame:
        """Per (user, stream) counts, computed embedded (`log_pairs`)."""
        from graphmodel.model.pairs import log_pairs

        return log_pairs(self.log["events"], self.log["streams"], self.log["ad_spend"],
                            self.referrals())

    def referral_paths(self) -> pd.DataFrame:
        """Referral paths, computed embedded (`referral_paths`)."""
        from graphmodel.model.paths import referral_paths

        return referral_paths(self.referrals())

    @cached_property
    def _cascades(self) -> pd.DataFrame:
        from graphmodel.model.referral_cascades import referral_cascades

        events = self.log["events"]
        shares = events.loc[events["type"] == "share", ["stream_id", "user_id", "at"]]
        return referral_cascades(self.referrals(), shares)

    @cached_property
    def follows(self) -> pd.DataFrame:
        """Directed ``FOLLOWS`` edges (friend rows both ways), see `follow_edges`."""
        return follow_edges(self.log["follows"])

    def count_rows(self, name: str) -> int:
        """Rows of a table (the follow relationships computed once and kept)."""
        if name == "follow_edges":
            return len(self.follows)
        return super().count_rows(name)

    # --- networkx views -------------------------------------------------

    def social_graph(self) -> nx.DiGraph:
        """The ``FOLLOWS`` graph: users and streamers, an edge per relationship with ``kind``."""
        g = nx.DiGraph()
        g.add_nodes_from(self.log["users"]["user_id"].tolist(), label="User")
        g.add_nodes_from(self.log["streamers"]["streamer_id"].tolist(), label="Streamer")
        e = self.follows
        g.add_edges_from(
            (s, t, {"kind": k}) for s, t, k in zip(e["source"], e["target"], e["kind"], strict=True)
        )
        return g

    def referral_forest(self, stream_id: str | None = None) -> nx.DiGraph:
        """The ``REFERRED`` edges of one stream (or all, as a multi-stream DiGraph of (user, stream) nodes)."""
        r = self.referrals()
        g = nx.DiGraph()
        if stream_id is not None:
            r = r[r["stream_id"] == stream_id]
            g.add_edges_from(
                (a, b, {"share_id": s, "at": t, "channel": c})
                for a, b, s, t, c in zip(r["referrer_id"], r["user_id"], r["share_id"], r["at"],
                                         r["channel"], strict=True)
            )
            return g
        g.add_edges_from(
            ((a, st), (b, st), {"share_id": s, "at": t, "channel": c})
            for a, b, st, s, t, c in zip(r["referrer_id"], r["user_id"], r["stream_id"],
                                         r["share_id"], r["at"], r["channel"], strict=True)
        )
        return g

    def property_graph(self, user_ids: list[str] | None = None) -> nx.MultiDiGraph:
        """The full property graph of [docs/model.md, section 3][model-3], or the part touching ``user_ids``.

        Nodes are keyed ``(label, id)`` with a ``label`` attribute; edges carry
        ``type`` and the relationship's properties. Meant for small logs and
        subgraphs (one user's data account).
        """
        from graphmodel.engines.memory.property_graph import build_property_graph

        return build_property_graph(self.log, self.follows, self.referrals(), user_ids)
