"""The pair table (:data:`graphmodel.model.aggregates.PAIR_COLUMNS`) of an event log,
computed embedded: the memory engine's per-(user, stream) counts and attention value.

Attention value is parameter-free: every ``ad_spend`` row on a stream is
split over its viewers by watch seconds. The Neo4j engine computes the same
table with ``cypher/value/pairs.cypher``, the Spark engine with DataFrames
(:mod:`graphmodel.engines.spark.pairs`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from graphmodel.model.labour import completion

__all__ = ["memory_pairs"]

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
