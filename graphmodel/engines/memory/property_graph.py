"""The property graph of MODEL.md section 3 as a networkx ``MultiDiGraph``.

Nodes are keyed ``(label, id)`` so that a user and a streamer with the same
id stay apart; ``Stream`` nodes carry ``started_at``, ``ended_at`` and
``duration_s``. Edges carry ``type`` and the relationship's properties.
Restricted to ``user_ids``, the graph holds those users' relationships and
the nodes they reach (a personal data account).
"""

from __future__ import annotations

import networkx as nx
import pandas as pd

from graphmodel.eventlog.log import EventLog
from graphmodel.schema import EVENT_RELATIONSHIP, NODE_LABELS, RELATIONSHIPS

__all__ = ["build_property_graph"]


def _props(df: pd.DataFrame, cols: tuple[str, ...] | list[str]) -> list[dict]:
    sub = df[list(cols)].astype(object)
    sub = sub.where(sub.notna(), None)
    return sub.to_dict("records")


def _add_edges(g, rel: str, start: str, end: str, df: pd.DataFrame, a: str, b: str,
               props: tuple[str, ...]) -> None:
    for u, v, p in zip(df[a].tolist(), df[b].tolist(), _props(df, props), strict=True):
        g.add_edge((start, u), (end, v), type=rel, **p)


def build_property_graph(log: EventLog, follows: pd.DataFrame, referrals: pd.DataFrame,
                         user_ids: list[str] | None = None) -> nx.MultiDiGraph:
    """Build the graph; see the module docstring."""
    g = nx.MultiDiGraph()
    keep = None if user_ids is None else set(user_ids)

    def users_only(df: pd.DataFrame, *cols: str) -> pd.DataFrame:
        if keep is None:
            return df
        mask = pd.Series(False, index=df.index)
        for c in cols:
            mask |= df[c].isin(keep)
        return df[mask]

    streams = log["streams"].assign(
        duration_s=(log["streams"]["ended_at"] - log["streams"]["started_at"]).dt.total_seconds()
    )
    tables = {label: log[table] for label, (table, _) in NODE_LABELS.items()}
    tables["Stream"] = streams
    if keep is None:
        for label, (_, idcol) in NODE_LABELS.items():
            df = tables[label]
            props = [c for c in df.columns if c != idcol]
            for node_id, p in zip(df[idcol].tolist(), _props(df, props), strict=True):
                g.add_node((label, node_id), label=label, id=node_id, **p)
        _add_edges(g, "HOSTED", "Streamer", "Stream", streams, "streamer_id", "stream_id", ())
        _add_edges(g, "SELLS", "Advertiser", "Product", log["products"], "advertiser_id",
                   "product_id", ())
        _add_edges(g, "SPONSORED", "Advertiser", "Stream", log["ad_spend"], "advertiser_id",
                   "stream_id", RELATIONSHIPS["SPONSORED"][2])
    else:
        for u in keep:
            g.add_node(("User", u), label="User", id=u)

    streamer_ids = set(log["streamers"]["streamer_id"].tolist())
    f = users_only(follows, "source", "target")
    for s, t, p in zip(f["source"].tolist(), f["target"].tolist(), _props(f, ("kind", "since")),
                       strict=True):
        end = "Streamer" if t in streamer_ids else "User"
        g.add_edge(("User", s), (end, t), type="FOLLOWS", **p)

    ev = users_only(log["events"], "user_id")
    for event_type, rel in EVENT_RELATIONSHIP.items():
        sub = ev[ev["type"] == event_type]
        props = RELATIONSHIPS[rel][2]
        if rel == "PURCHASED":
            _add_edges(g, rel, "User", "Product", sub, "user_id", "product_id", props)
        else:
            _add_edges(g, rel, "User", "Stream", sub, "user_id", "stream_id", props)
    r = users_only(referrals, "referrer_id", "user_id")
    _add_edges(g, "REFERRED", "User", "User", r, "referrer_id", "user_id", RELATIONSHIPS["REFERRED"][2])
    tc = users_only(log["task_completions"], "user_id")
    _add_edges(g, "COMPLETED", "User", "Task", tc, "user_id", "task_id", RELATIONSHIPS["COMPLETED"][2])

    if keep is not None:  # label the nodes reached from the users
        for label, (_, idcol) in NODE_LABELS.items():
            df = tables[label].set_index(idcol)
            for node in [n for n in g.nodes if n[0] == label and "label" not in g.nodes[n]]:
                extra = {}
                if node[1] in df.index:
                    extra = {k: (None if pd.isna(v) else v) for k, v in df.loc[node[1]].items()}
                g.nodes[node].update(label=label, id=node[1], **extra)
    return g
