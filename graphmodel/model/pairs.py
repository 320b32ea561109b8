"""The pair table (`graphmodel.model.aggregates.PAIR_COLUMNS`): what each user did
in each stream, counted from the events, and the stream's ad spend split over its viewers.

Per (user ``u``, stream ``s``) with any event ([docs/model.md, sections 4 and 5][model-4]):
``watches``, ``watch_s`` and ``completion`` (sum over watches of
min(1, seconds / duration of ``s``)), ``likes`` and ``taps`` (a like's
``count``, default 1), ``comments``, ``shares``, ``purchases`` and ``gmv``
(yuan paid), ``attention_value`` = spend on ``s`` x ``watch_s`` / all watch
seconds on ``s`` (0 when nobody watched: that spend is unallocated), and
``referred`` (``u`` arrived in ``s`` through a ``REFERRED`` edge).

One implementation for the memory and Neo4j engines: the memory store passes
its events table (`log_pairs`), the Neo4j store the columns its server
sends (``cypher/value/stream_events.cypher``); the Spark engine counts the
same with DataFrames (`graphmodel.engines.spark.value`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from graphmodel.model.labour import completion

__all__ = ["KINDS", "pair_table", "log_pairs"]

#: Event types the pair table counts, in the order of the ``kind`` codes of `pair_table`.
KINDS = ("watch", "like", "comment", "share", "purchase")


def pair_table(user_id, stream_id, kind: np.ndarray, seconds: np.ndarray, taps: np.ndarray,
               amount: np.ndarray, duration: pd.Series, spend: pd.Series,
               referrals: pd.DataFrame) -> pd.DataFrame:
    """The pair table from one row per event, vectorised (one pass of bincounts).

    Parameters
    ----------
    user_id, stream_id : array-like
        Per event, its user and stream.
    kind : ndarray of int
        Per event, its index in `KINDS` (-1: counted by no column).
    seconds, taps, amount : ndarray of float
        Per event, its watch seconds (missing: 0), like taps (missing: 1) and
        yuan paid (missing: 0); read only for events of the matching kind.
    duration : Series
        Per stream id, its duration in seconds.
    spend : Series
        Per stream id, its total ad spend (absent: 0).
    referrals : DataFrame
        The ``REFERRED`` edges' ``user_id`` and ``stream_id``.

    Returns
    -------
    DataFrame
        `PAIR_COLUMNS`, sorted by user and stream.
    """
    kind = np.asarray(kind, dtype=np.int64)
    # codes in sorted id order, so sorted keys are pairs sorted by (user_id, stream_id)
    ucode, users = pd.factorize(user_id, sort=True)
    scode, stream_ids = pd.factorize(stream_id, sort=True)
    n_s = max(len(stream_ids), 1)
    pcode, keys = pd.factorize(ucode.astype("int64") * n_s + scode, sort=True)
    n_p = len(keys)

    ev_duration = duration.reindex(np.asarray(stream_ids)).to_numpy("float64")[scode]
    watch = kind == 0
    seconds = np.where(watch, np.nan_to_num(np.asarray(seconds, dtype="float64")), 0.0)
    taps = np.where(kind == 1, np.asarray(taps, dtype="float64"), 0.0)
    taps = np.where(np.isnan(taps), 1.0, taps)
    amount = np.where(kind == 4, np.nan_to_num(np.asarray(amount, dtype="float64")), 0.0)

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
    per_stream = spend.reindex(np.asarray(stream_ids)).fillna(0.0).to_numpy("float64")
    share = np.divide(watch_s, stream_watch[pair_stream], out=np.zeros(n_p),
                      where=stream_watch[pair_stream] > 0)
    out["attention_value"] = per_stream[pair_stream] * share
    ref_u = users.get_indexer(referrals["user_id"])
    ref_s = stream_ids.get_indexer(referrals["stream_id"])
    out["referred"] = np.isin(keys, ref_u.astype("int64") * n_s + ref_s)
    for col in ("user_id", "stream_id"):
        out[col] = out[col].astype("string[pyarrow]")
    return out


def log_pairs(events: pd.DataFrame, streams: pd.DataFrame, ad_spend: pd.DataFrame,
              referrals: pd.DataFrame) -> pd.DataFrame:
    """The pair table of an event log's tables (the memory engine)."""
    tcode, tnames = pd.factorize(events["type"])
    kind = np.array([KINDS.index(t) if t in KINDS else -1 for t in tnames],
                    dtype="int64")[tcode] if len(tnames) else tcode.astype("int64")
    dur = (streams["ended_at"] - streams["started_at"]).dt.total_seconds()
    duration = pd.Series(dur.to_numpy("float64"), index=streams["stream_id"].to_numpy())
    spend = ad_spend.groupby("stream_id", observed=True)["spend"].sum()
    return pair_table(
        events["user_id"], events["stream_id"], kind,
        events["seconds"].to_numpy("float64", na_value=np.nan),
        events["count"].to_numpy("float64", na_value=np.nan),
        events["amount"].to_numpy("float64", na_value=np.nan),
        duration, spend, referrals,
    )
