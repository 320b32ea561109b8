"""The parameter-free aggregates every engine computes where its data lives.

The model (`graphmodel.model.accounting`) applies every parameter to
these tables, so the same code gives the same figures whatever the engine.

Pairs: what each user did in each stream, one row per (user, stream) pair
with any event, columns `PAIR_COLUMNS`:

==================  ==========================================================
``watches``         watch events
``watch_s``         watch seconds
``completion``      sum over watch events of min(1, seconds / stream duration)
``likes``/``taps``  like events / like taps (``count``, default 1)
``comments``        comment events
``shares``          share events
``purchases``       purchase events
``gmv``             yuan of the pair's purchases
``attention_value`` the pair's part of the stream's ad spend ([docs/model.md, 5.3][model-5-3]):
                    spend on ``s`` x ``watch_s`` / all watch seconds on ``s``
``referred``        whether the user arrived in the stream through a referral
==================  ==========================================================

Paths: every referred arrival with each of its ancestors ([docs/model.md, 5.5][model-5-5]), one
row per (referred user ``w``, stream ``s``, ancestor ``a``), columns
`PATH_COLUMNS`: ``hops`` is how many ``REFERRED`` edges lead from ``a``
down to ``w`` in ``s`` (1 for the direct referrer), ``depth`` the length of
``w``'s whole path from the root of its cascade (``hops == depth`` marks the
root).

The referral edges themselves (`graphmodel.model.referrals.REFERRAL_COLUMNS`)
and the cascade table (`graphmodel.model.cascades.CASCADE_COLUMNS`) are
the other aggregates of the engine protocol ([`graphmodel.engines.base.Store`][graphmodel.engines.base.Store]).
"""

from __future__ import annotations

import pandas as pd

__all__ = ["PAIR_COLUMNS", "COUNT_COLUMNS", "PATH_COLUMNS", "conform_pairs", "conform_paths"]

COUNT_COLUMNS = ["watches", "watch_s", "completion", "likes", "taps", "comments", "shares",
                 "purchases", "gmv", "attention_value"]
PAIR_COLUMNS = ["user_id", "stream_id", *COUNT_COLUMNS, "referred"]
PATH_COLUMNS = ["user_id", "stream_id", "ancestor_id", "hops", "depth"]

_INTS = ("watches", "likes", "taps", "comments", "shares", "purchases")


def conform_pairs(df: pd.DataFrame) -> pd.DataFrame:
    """A pair table from elsewhere (the Neo4j store) in the canonical dtypes and order."""
    if df.empty:
        df = pd.DataFrame(columns=PAIR_COLUMNS)
    out = df[PAIR_COLUMNS].copy()
    for col in ("user_id", "stream_id"):
        out[col] = out[col].astype("string[pyarrow]")
    for col in COUNT_COLUMNS:
        out[col] = out[col].astype("int64" if col in _INTS else "float64")
    out["referred"] = out["referred"].astype(bool)
    return out.sort_values(["user_id", "stream_id"], ignore_index=True)


def conform_paths(df: pd.DataFrame) -> pd.DataFrame:
    """A path table in the canonical dtypes and order (stream, user, hops)."""
    out = df[PATH_COLUMNS].copy()
    for col in ("user_id", "stream_id", "ancestor_id"):
        out[col] = out[col].astype("string[pyarrow]")
    for col in ("hops", "depth"):
        out[col] = out[col].astype("int64")
    return out.sort_values(["stream_id", "user_id", "hops"], ignore_index=True)
