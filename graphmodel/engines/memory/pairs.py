"""What each user did in each stream: the parameter-free counts of the accounting.

One row per (user, stream) pair with any event, columns :data:`PAIR_COLUMNS`:

==================  ==========================================================
``watches``         watch events
``watch_s``         watch seconds
``completion``      sum over watch events of min(1, seconds / stream duration)
``likes``/``taps``  like events / like taps (``count``, default 1)
``comments``        comment events
``shares``          share events
``purchases``       purchase events
``gmv``             yuan of the pair's purchases
``attention_value`` the pair's part of the stream's ad spend (MODEL.md 5.3):
                    spend on ``s`` x ``watch_s`` / all watch seconds on ``s``
``referred``        whether the user arrived in the stream through a referral
==================  ==========================================================

Attention value is parameter-free: every ``ad_spend`` row on a stream is
split over its viewers by watch seconds; spend on a stream with no watch
seconds is unallocated (:func:`unallocated_ad_spend`). Everything that
depends on model parameters is computed from these counts in
:mod:`graphmodel.model.labour` and :mod:`graphmodel.model.accounting`. The
Neo4j store computes the same table with ``cypher/value/pairs.cypher``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from graphmodel.model.labour import completion

__all__ = ["PAIR_COLUMNS", "COUNT_COLUMNS", "memory_pairs", "conform_pairs",
           "unallocated_ad_spend"]

COUNT_COLUMNS = ["watches", "watch_s", "completion", "likes", "taps", "comments", "shares",
                 "purchases", "gmv", "attention_value"]
PAIR_COLUMNS = ["user_id", "stream_id", *COUNT_COLUMNS, "referred"]

_TYPES = ["watch", "like", "comment", "share", "purchase"]


def memory_pairs(events: pd.DataFrame, streams: pd.DataFrame, ad_spend: pd.DataFrame,
                 referrals: pd.DataFrame) -> pd.DataFrame:
    """The pair table from the event-log tables, vectorised (one pass of bincounts)."""
    tcode, tnames = pd.factorize(events["type"])
    kind = np.array([_TYPES.index(t) if t in _TYPES else -1 for t in tnames],
                    dtype="int64")[tcode] if len(tnames) else tcode
    # codes in sorted id order, so sorted keys are pairs sorted by (user_id, stream_id)
    ucode, users = pd.factorize(events["user_id"], sort=True)
    scode, stream_ids = pd.factorize(events["stream_id"], sort=True)
    n_s = max(len(stream_ids), 1)
    pcode, keys = pd.factorize(ucode.astype("int64") * n_s + scode, sort=True)
    n_p = len(keys)

    dur = (streams["ended_at"] - streams["started_at"]).dt.total_seconds()
    duration = pd.Series(dur.to_numpy("float64"), index=streams["stream_id"].to_numpy())
    ev_duration = duration.reindex(stream_ids.to_numpy()).to_numpy("float64")[scode]
    seconds = np.nan_to_num(events["seconds"].to_numpy("float64", na_value=np.nan))
    watch = kind == 0
    seconds = np.where(watch, seconds, 0.0)
    taps = np.where(kind == 1, events["count"].to_numpy("float64", na_value=1.0), 0.0)
    amount = np.where(kind == 4, events["amount"].to_numpy("float64", na_value=0.0), 0.0)

    def total(weights=None, mask=None):
        w = mask.astype("float64") if weights is None else weights
        return np.bincount(pcode, weights=w, minlength=n_p)

    watch_s = total(seconds)
    out = pd.DataFrame({
        "user_id": users.take(keys // n_s),
        "stream_id": stream_ids.take(keys % n_s),
        "watches": total(mask=watch).astype("int64"),
        "watch_s": watch_s,
        "completion": total(np.where(watch, completion(seconds, ev_duration), 0.0)),
        "likes": total(mask=kind == 1).astype("int64"),
        "taps": total(taps).astype("int64"),
        "comments": total(mask=kind == 2).astype("int64"),
        "shares": total(mask=kind == 3).astype("int64"),
        "purchases": total(mask=kind == 4).astype("int64"),
        "gmv": total(amount),
    })
    # attention: each stream's ad spend split over its viewers by watch seconds
    pair_stream = keys % n_s
    stream_watch = np.bincount(pair_stream, weights=watch_s, minlength=n_s)
    spend = (ad_spend.groupby("stream_id", observed=True)["spend"].sum()
             .reindex(stream_ids.to_numpy()).fillna(0.0).to_numpy("float64"))
    share = np.divide(watch_s, stream_watch[pair_stream], out=np.zeros(n_p),
                      where=stream_watch[pair_stream] > 0)
    out["attention_value"] = spend[pair_stream] * share
    ref_u = users.get_indexer(referrals["user_id"])
    ref_s = stream_ids.get_indexer(referrals["stream_id"])
    out["referred"] = np.isin(keys, ref_u.astype("int64") * n_s + ref_s)
    for col in ("user_id", "stream_id"):
        out[col] = out[col].astype("string[pyarrow]")
    return out

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


def unallocated_ad_spend(ad_spend: pd.DataFrame, pairs: pd.DataFrame) -> float:
    """Ad spend on streams nobody watched (no watch seconds): reported, not attributed."""
    watched = pairs.loc[pairs["watch_s"] > 0, "stream_id"].unique()
    return float(ad_spend.loc[~ad_spend["stream_id"].isin(watched), "spend"].sum())
