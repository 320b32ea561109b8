"""Viral spread ([docs/model.md, section 6][model-6]): per cascade, per stream, per user, per data set.

The cascade table comes from the engine ([`graphmodel.engines.base.Store.cascade_table`][graphmodel.engines.base.Store.cascade_table],
its columns and metrics defined in `graphmodel.model.cascades`); the views
here are functions of it and of the log's tables.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from graphmodel.model.cascades import build_trees
from graphmodel.output import store_meta, with_meta

__all__ = ["STREAM_SPREAD_COLUMNS", "USER_SPREAD_COLUMNS", "DATASET_COLUMNS", "cascade_metrics",
           "stream_spread", "user_spread", "dataset_summary"]

#: Columns of `stream_spread`.
STREAM_SPREAD_COLUMNS = [
    "stream_id",
    "viewers",
    "sharers",
    "cascades",
    "reach",
    "reach_share",
    "largest_cascade",
    "max_depth",
]
#: Columns of `user_spread`.
USER_SPREAD_COLUMNS = [
    "user_id",
    "shares",
    "cascades_started",
    "reach",
    "largest_cascade",
    "direct_referrals",
    "downstream",
]
#: Columns of `dataset_summary`.
DATASET_COLUMNS = [
    "cascades",
    "nodes",
    "edges",
    "min_size",
    "mean_size",
    "max_size",
    "mean_depth",
    "max_depth",
    "mean_virality",
    "median_t50_s",
    "median_t90_s",
]


# --- public results -------------------------------------------------------------------


def cascade_metrics(store) -> pd.DataFrame:
    """One row per cascade ([docs/model.md, section 6][model-6]), computed where the store's data lives.

    Columns `CASCADE_COLUMNS` (see the module docstring), largest
    first. The memory and Neo4j stores compute them with
    `graphmodel.model.referral_cascades.referral_cascades` (the Neo4j
    server sends its forest: ``cypher/analysis/forest.cypher``), the Spark
    store on its executors; all give the same table.
    """
    return with_meta(store.cascade_table(), store_meta(store, "spread", by="cascade"))


def stream_spread(store) -> pd.DataFrame:
    """Spread through shares per stream ([docs/model.md, section 6][model-6]): one row per stream of the log.

    ``viewers`` users who watched; ``sharers`` users who shared; ``cascades``
    cascades started (sharers who were not referred there); ``reach`` users
    who arrived through a share (``REFERRED`` edges of the stream, the sum of
    size - 1 over its cascades); ``reach_share`` reach / viewers (null without
    viewers); ``largest_cascade`` and ``max_depth`` over its cascades (0 when
    it has none). Ordered by reach, then cascades (descending), then stream.
    """
    cascades = store.cascade_table()
    streams = store.table("streams")[["stream_id"]]
    events = store.table("events")
    watch = events.loc[events["type"] == "watch"]
    share = events.loc[events["type"] == "share"]
    by = cascades.groupby("stream_id", observed=True)
    per = pd.DataFrame(
        {
            "viewers": watch.groupby("stream_id", observed=True)["user_id"].nunique(),
            "sharers": share.groupby("stream_id", observed=True)["user_id"].nunique(),
            "cascades": by.size(),
            "reach": by["size"].sum() - by.size(),
            "largest_cascade": by["size"].max(),
            "max_depth": by["depth"].max(),
        }
    )
    out = _left_join(streams, "stream_id", per)
    for c in ("viewers", "sharers", "cascades", "reach", "largest_cascade", "max_depth"):
        out[c] = out[c].fillna(0).astype(np.int64)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["reach_share"] = np.where(
            out["viewers"] > 0, out["reach"] / out["viewers"].clip(lower=1), np.nan
        )
    out = out.sort_values(
        ["reach", "cascades", "stream_id"], ascending=[False, False, True], kind="mergesort"
    )
    return with_meta(
        out[STREAM_SPREAD_COLUMNS].reset_index(drop=True), store_meta(store, "spread", by="stream")
    )


def _left_join(rows: pd.DataFrame, key: str, per: pd.DataFrame) -> pd.DataFrame:
    """``rows`` with the columns of ``per`` (indexed by ``key`` values) beside them, missing
    where ``per`` has no row; ``rows`` keeps its order. (A merge fails on an empty log, whose
    empty index has no type to match the ids' Arrow strings.)"""
    out = rows.reset_index(drop=True).copy()
    at = pd.Index(per.index.to_numpy(object)).get_indexer(out[key].to_numpy(object))
    for c in per.columns:
        values = per[c].to_numpy("float64")
        out[c] = np.where(at >= 0, values[np.maximum(at, 0)] if len(values) else np.nan, np.nan)
    return out


def _downstream(referrals: pd.DataFrame) -> pd.Series:
    """Per user: users referred below them in any stream (subtree size - 1, summed over streams)."""
    if referrals.empty:
        return pd.Series(dtype=np.int64)
    edges = pd.DataFrame(
        {
            "cascade_id": referrals["stream_id"].to_numpy(),
            "parent_id": referrals["referrer_id"].to_numpy(),
            "child_id": referrals["user_id"].to_numpy(),
        }
    )
    trees = build_trees(edges)
    below = trees.forest.subtree - 1
    has = below > 0
    return pd.Series(below[has]).groupby(trees.node_id[has]).sum()


def user_spread(store) -> pd.DataFrame:
    """Spread through shares per user ([docs/model.md, section 6][model-6]): one row per user of the log.

    ``shares`` share events; ``cascades_started`` cascades the user roots
    (streams where they shared without having been referred); ``reach`` users
    in those cascades other than the user (sum of size - 1); ``largest_cascade``
    the largest of them (0 if none); ``direct_referrals`` their ``REFERRED``
    out-degree over all streams; ``downstream`` users referred anywhere below
    them, in any stream and at any position, root or not (their subtree sizes
    minus themselves, summed over streams), so ``downstream >= reach`` and a
    referred user who re-shares has downstream but no reach. Ordered by reach,
    then downstream (descending), then user.
    """
    cascades = store.cascade_table()
    referrals = store.referrals()
    users = store.table("users")[["user_id"]]
    events = store.table("events")
    by = cascades.groupby("root_id", observed=True)
    per = pd.DataFrame(
        {
            "shares": events.loc[events["type"] == "share"]
            .groupby("user_id", observed=True)
            .size(),
            "cascades_started": by.size(),
            "reach": by["size"].sum() - by.size(),
            "largest_cascade": by["size"].max(),
            "direct_referrals": referrals.groupby("referrer_id", observed=True).size(),
            "downstream": _downstream(referrals),
        }
    )
    out = _left_join(users, "user_id", per)
    for c in USER_SPREAD_COLUMNS[1:]:
        out[c] = out[c].fillna(0).astype(np.int64)
    out = out.sort_values(
        ["reach", "downstream", "user_id"], ascending=[False, False, True], kind="mergesort"
    )
    return with_meta(
        out[USER_SPREAD_COLUMNS].reset_index(drop=True), store_meta(store, "spread", by="user")
    )


def dataset_summary(metrics: pd.DataFrame) -> pd.DataFrame:
    """One row summarising a per-cascade table (from a store or an edge list).

    ``cascades``; ``nodes`` (sum of sizes); ``edges`` (nodes - cascades);
    ``min_size``, ``mean_size``, ``max_size``; ``mean_depth``, ``max_depth``;
    ``mean_virality`` over cascades with n >= 2 (null if none);
    ``median_t50_s``, ``median_t90_s`` over cascades with known times (null
    if none). Without any cascade every size and depth statistic is null (a
    cascade has at least one user: a minimum of 0 would describe no cascade).
    The metadata of ``metrics`` is kept, with ``by = "dataset"``.
    """
    size = metrics["size"].astype(np.int64)
    k = len(metrics)

    def stat(series: pd.Series, how: str) -> float:
        s = series.dropna()
        return float(getattr(s, how)()) if len(s) else np.nan

    row = {
        "cascades": k,
        "nodes": int(size.sum()),
        "edges": int(size.sum()) - k,
        "min_size": int(size.min()) if k else pd.NA,
        "mean_size": float(size.mean()) if k else np.nan,
        "max_size": int(size.max()) if k else pd.NA,
        "mean_depth": float(metrics["depth"].mean()) if k else np.nan,
        "max_depth": int(metrics["depth"].max()) if k else pd.NA,
        "mean_virality": stat(metrics["structural_virality"], "mean"),
        "median_t50_s": stat(metrics["t50_s"], "median"),
        "median_t90_s": stat(metrics["t90_s"], "median"),
    }
    meta = dict(metrics.attrs.get("meta", {}))
    if meta:
        meta["by"] = "dataset"
    df = pd.DataFrame([row], columns=DATASET_COLUMNS)
    for c in ("min_size", "max_size", "max_depth"):
        df[c] = df[c].astype("Int64")
    return with_meta(df, meta)
