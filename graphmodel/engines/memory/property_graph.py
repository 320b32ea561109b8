"""The property graph of [docs/model.md, section 3][model-3] as a networkx ``MultiDiGraph``.

Built from the mapping of `graphmodel.schema` (``NODES``, ``EDGES``).
Nodes are keyed ``(label, id)`` so that a user and a streamer with the same
id stay apart, and carry every column of their row (``Stream`` nodes also
the computed ``duration_s``). Edges carry ``type`` and the relationship's
properties (``properties`` of the mapping; not the Neo4j-only ones).
Restricted to ``user_ids``, the graph holds those users' relationships and
the nodes they reach (a personal data account).
"""

from __future__ import annotations

import networkx as nx
import pandas as pd

from graphmodel.eventlog.log import EventLog
from graphmodel.schema import EDGES, NODES, RelationshipMapping, node_rows, relationship_rows

__all__ = ["build_property_graph"]


def _props(df: pd.DataFrame, cols: tuple[str, ...] | list[str]) -> list[dict]:
    sub = df[list(cols)].astype(object)
    sub = sub.where(sub.notna(), None)
    return sub.to_dict("records")


def _add_edges(g, m: RelationshipMapping, df: pd.DataFrame, end_of) -> None:
    a, b = m.start[1], m.end[1]
    start = m.start[0]
    for u, v, p in zip(df[a].tolist(), df[b].tolist(), _props(df, m.properties), strict=True):
        g.add_edge((start, u), (end_of(v), v), type=m.type, **p)


def _of_users(m: RelationshipMapping) -> tuple[str, ...]:
    """The columns of ``m``'s ends that may be a ``User``'s id."""
    return tuple(c for labels, (_, c) in ((m.start_labels, m.start), (m.end_labels, m.end))
                 if "User" in labels)


def build_property_graph(log: EventLog, follows: pd.DataFrame, referrals: pd.DataFrame,
                         user_ids: list[str] | None = None) -> nx.MultiDiGraph:
    """Build the graph; see the module docstring."""
    g = nx.MultiDiGraph()
    keep = None if user_ids is None else set(user_ids)
    derived = {"follow_edges": follows, "referrals": referrals}

    def users_only(df: pd.DataFrame, cols: tuple[str, ...]) -> pd.DataFrame:
        if keep is None:
            return df
        mask = pd.Series(False, index=df.index)
        for c in cols:
            mask |= df[c].isin(keep)
        return df[mask]

    tables = {m.label: node_rows(log, m) for m in NODES}
    ids = {m.label: set(tables[m.label][m.key].tolist()) for m in NODES}

    def end_of(m: RelationshipMapping):
        labels = m.end_labels
        if len(labels) == 1:
            return lambda v: labels[0]
        # several labels (FOLLOWS: User|Streamer): the one holding the id (validation
        # makes it one of them, never both), else the first
        return lambda v: next((lb for lb in labels[1:] if v in ids[lb]), labels[0])

    if keep is None:
        for m in NODES:
            df = tables[m.label]
            props = [c for c in df.columns if c != m.key]
            for node_id, p in zip(df[m.key].tolist(), _props(df, props), strict=True):
                g.add_node((m.label, node_id), label=m.label, id=node_id, **p)
        # the relationships of no user first, then the users' ones (as a subgraph holds)
        for m in EDGES:
            if not _of_users(m):
                _add_edges(g, m, relationship_rows(log, m, derived), end_of(m))
    else:
        for u in keep:
            g.add_node(("User", u), label="User", id=u)

    for m in EDGES:
        cols = _of_users(m)
        if cols:
            rows = users_only(relationship_rows(log, m, derived), cols)
            _add_edges(g, m, rows, end_of(m))

    if keep is not None:  # label the nodes reached from the users
        for m in NODES:
            df = tables[m.label].set_index(m.key)
            for node in [n for n in g.nodes if n[0] == m.label and "label" not in g.nodes[n]]:
                extra = {}
                if node[1] in df.index:
                    extra = {k: (None if pd.isna(v) else v) for k, v in df.loc[node[1]].items()}
                g.nodes[node].update(label=m.label, id=node[1], **extra)
    return g
