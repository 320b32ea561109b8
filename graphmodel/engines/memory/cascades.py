"""The referral cascades of an event log, computed embedded (MODEL.md section 6).

The memory engine's cascade table: the roots and time zero from the log's
shares, the trees from the ``REFERRED`` edges, and the metrics of
:func:`graphmodel.model.cascades.tree_metrics`.
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

__all__ = ["log_cascades"]


def _seconds(at: pd.Series, origin: np.int64) -> np.ndarray:
    ns = at.to_numpy().astype("datetime64[ns]").view(np.int64)
    return (ns - origin) / 1e9


def _store_forest(referrals: pd.DataFrame, events: pd.DataFrame) -> tuple[Trees, pd.DataFrame]:
    """The referral forest with its roots (MODEL.md section 6) as :class:`Trees`, and the roots."""
    shares = events.loc[events["type"] == "share", ["stream_id", "user_id", "at"]]
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


def log_cascades(referrals: pd.DataFrame, events: pd.DataFrame) -> pd.DataFrame:
    """Per-cascade metrics of an event log, computed embedded (the memory store's engine).

    Parameters
    ----------
    referrals : DataFrame
        The ``REFERRED`` edges (:data:`graphmodel.model.referrals.REFERRAL_COLUMNS`).
    events : DataFrame
        The ``events`` table; its shares give the roots and their time zero.

    Returns
    -------
    DataFrame
        :data:`CASCADE_COLUMNS`, one row per cascade, in the order of
        :func:`conform_cascades`.
    """
    id_dtype = referrals["stream_id"].dtype if len(referrals) else events["stream_id"].dtype
    shares = events["type"] == "share"
    if not shares.any():
        return empty_cascades(id_dtype)
    trees, _ = _store_forest(referrals, events)
    table = trees.table.rename(columns={"cascade_id": "stream_id"})
    channel = pd.Categorical(referrals["channel"], categories=list(CHANNELS)).codes.astype(np.int64)
    ok = channel >= 0
    mix = np.bincount(
        trees.edge_tree[ok] * len(CHANNELS) + channel[ok], minlength=len(table) * len(CHANNELS)
    ).reshape(len(table), len(CHANNELS))
    for j, c in enumerate(CHANNEL_COLUMNS):
        table[c] = mix[:, j]
    return conform_cascades(table, id_dtype)
