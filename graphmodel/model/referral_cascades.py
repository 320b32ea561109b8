"""The cascade table of a platform ([docs/model.md, section 6][model-6]): its referral forest as cascades.

A cascade is one tree of ``REFERRED`` edges of one stream, rooted at a user
who shared in that stream without having been referred there (a share that
brought nobody is a cascade of size 1); time zero is the root's first share
in the stream, and every other member arrives at its edge's ``at``. The
metrics are those of `graphmodel.model.cascades.tree_metrics`, with
each cascade's count of members per share channel.

One implementation for the memory and Neo4j engines, on the edges and shares
each store holds (the Neo4j store reads them from the server:
``cypher/analysis/forest.cypher``); the
Spark engine builds the same table on its executors
(`graphmodel.engines.spark.cascades`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from graphmodel.model.cascades import (
    CHANNEL_COLUMNS,
    Trees,
    build_trees,
    conform_cascades,
    empty_cascades,
)
from graphmodel.schema import CHANNELS

__all__ = ["referral_cascades"]


def _seconds(at: pd.Series, origin: np.int64) -> np.ndarray:
    ns = at.to_numpy().astype("datetime64[ns]").view(np.int64)
    return (ns - origin) / 1e9


def _store_forest(referrals: pd.DataFrame, shares: pd.DataFrame) -> tuple[Trees, pd.DataFrame]:
    """The referral forest with its roots ([docs/model.md, section 6][model-6]) as `Trees`, and the roots."""
    first = (
        shares.groupby(["stream_id", "user_id"], sort=False, observed=True)["at"]
        .min()
        .reset_index()
    )
    referred = referrals[["stream_id", "user_id"]].assign(_referred=True)
    first = first.merge(referred, on=["stream_id", "user_id"], how="left")
    roots = first.loc[first["_referred"].isna(), ["stream_id", "user_id", "at"]]
    origin = np.int64(0)
    if len(roots):
        origin = roots["at"].to_numpy().astype("datetime64[ns]").view(np.int64).min()
    root_df = pd.DataFrame(
        {
            "cascade_id": roots["stream_id"].to_numpy(),
            "root_id": roots["user_id"].to_numpy(),
            "t0_s": _seconds(roots["at"], origin),
        }
    )
    edge_df = pd.DataFrame(
        {
            "cascade_id": referrals["stream_id"].to_numpy(),
            "parent_id": referrals["referrer_id"].to_numpy(),
            "child_id": referrals["user_id"].to_numpy(),
            "delay_s": _seconds(referrals["at"], origin),
        }
    )
    return build_trees(edge_df, root_df), root_df


def referral_cascades(referrals: pd.DataFrame, shares: pd.DataFrame) -> pd.DataFrame:
    """Per-cascade metrics of a referral forest and the shares that root it.

    Parameters
    ----------
    referrals : DataFrame
        The ``REFERRED`` edges (`graphmodel.model.referrals.REFERRAL_COLUMNS`).
    shares : DataFrame
        The share events' ``stream_id``, ``user_id`` and ``at``: they give the
        roots and their time zero.

    Returns
    -------
    DataFrame
        `CASCADE_COLUMNS`, one row per cascade, in the order of
        `conform_cascades`.
    """
    id_dtype = referrals["stream_id"].dtype if len(referrals) else shares["stream_id"].dtype
    if shares.empty:
        return empty_cascades(id_dtype)
    trees, _ = _store_forest(referrals, shares)
    table = trees.table.rename(columns={"cascade_id": "stream_id"})
    channel = pd.Categorical(referrals["channel"], categories=list(CHANNELS)).codes.astype(np.int64)
    ok = channel >= 0
    mix = np.bincount(
        trees.edge_tree[ok] * len(CHANNELS) + channel[ok], minlength=len(table) * len(CHANNELS)
    ).reshape(len(table), len(CHANNELS))
    for j, c in enumerate(CHANNEL_COLUMNS):
        table[c] = mix[:, j]
    return conform_cascades(table, id_dtype)
