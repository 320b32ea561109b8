"""Referrals inferred on Spark where the log records none ([docs/model.md, section 3][model-3];
`graphmodel.model.inference`).

The rule is the model's own [`graphmodel.model.inference.infer_via_share`][graphmodel.model.inference.infer_via_share], run
stream by stream on the executors: the rule only ever looks inside one stream, so the
events of each stream (its watches and shares) go to one pandas call, cogrouped with
the follow edges that can matter there (``source -> target`` with the source arriving
in the stream and the target sharing in it; none for the rule by time). The credited
shares replace the events' ``via_share`` (missing everywhere else) before anything
else reads the events.
"""

from __future__ import annotations

import warnings

from graphmodel.model.inference import choose_rule

__all__ = ["decide", "inferred_shares", "with_inferred"]

_OUT = "event_id string, via_share string"
_EVENT_COLUMNS = ["event_id", "user_id", "stream_id", "type", "at"]


def decide(events, follows, asked: str) -> tuple[str, bool]:
    """The rule (`choose_rule`) and whether the log has
    shares, from a few one-row Spark jobs."""
    from pyspark.sql import functions as F

    def some(df) -> bool:
        return bool(df.limit(1).count())

    watch, share = F.col("type") == "watch", F.col("type") == "share"
    recorded = some(events.where(watch & F.col("via_share").isNotNull()))
    shares = some(events.where(share))
    rule = choose_rule(asked, recorded=recorded, shares=shares, follows=some(follows))
    return rule, shares


def _run(mode: str, window_s: float):
    """The pandas function of one stream: its watches and shares (times in int64
    nanoseconds) and, by the social graph, its candidate follow edges."""

    def run(events, edges=None):
        import pandas as pd

        from graphmodel.eventlog.log import DTYPES
        from graphmodel.model.inference import infer_via_share

        if events.empty:
            return pd.DataFrame(
                {"event_id": pd.Series([], dtype=object), "via_share": pd.Series([], dtype=object)}
            )
        ev = pd.DataFrame(
            {c: events[c].astype(DTYPES["id"]) for c in ("event_id", "user_id", "stream_id")}
        )
        ev["type"] = events["type"].astype(DTYPES["enum"])
        ev["at"] = pd.to_datetime(events["at"].to_numpy(dtype="int64"), unit="ns")
        ties = None
        if edges is not None:
            ties = pd.DataFrame({c: edges[c].astype(DTYPES["id"]) for c in ("source", "target")})
        out = infer_via_share(ev, ties, mode=mode, window_s=window_s)
        return pd.DataFrame(
            {c: out[c].astype(object).to_numpy() for c in ("event_id", "via_share")}
        )

    return run


def inferred_shares(events, follows, mode: str, window_s: float):
    """``event_id, via_share`` of each first arrival credited to a share, by the rule
    ``mode`` (``social`` or ``time``) of [`graphmodel.model.inference.infer_via_share`][graphmodel.model.inference.infer_via_share]."""

    with warnings.catch_warnings():  # PySpark 3.5 checks versions with distutils' classes
        warnings.filterwarnings("ignore", message="distutils Version classes")
        return _inferred_shares(events, follows, mode, window_s)


def _inferred_shares(events, follows, mode: str, window_s: float):
    from pyspark.sql import functions as F

    ev = events.where(F.col("type").isin("watch", "share")).select(*_EVENT_COLUMNS)
    run = _run(mode, float(window_s))
    if mode == "time":
        return ev.groupBy("stream_id").applyInPandas(lambda e: run(e), _OUT)
    f = follows.select("follower_id", "followee_id", "kind")
    edges = f.select(F.col("follower_id").alias("source"), F.col("followee_id").alias("target"))
    edges = edges.unionByName(
        f.where(F.col("kind") == "friend").select(
            F.col("followee_id").alias("source"), F.col("follower_id").alias("target")
        )
    )
    arrived = (
        ev.where(F.col("type") == "watch")
        .select(F.col("user_id").alias("source"), "stream_id")
        .distinct()
    )
    shared = (
        ev.where(F.col("type") == "share")
        .select(F.col("user_id").alias("target"), "stream_id")
        .distinct()
    )
    # new attributes (aliases): a cogroup of two plans sharing attributes fails to analyse
    candidates = (
        edges.distinct()
        .join(arrived, "source")
        .join(shared, ["target", "stream_id"])
        .select(*(F.col(c).alias(c) for c in ("stream_id", "source", "target")))
    )
    return (
        ev.groupBy("stream_id")
        .cogroup(candidates.groupBy("stream_id"))
        .applyInPandas(lambda e, c: run(e, c), _OUT)
    )


def with_inferred(events, assigned):
    """``events`` with ``via_share`` the credited share of ``assigned`` (``event_id,
    via_share``), null everywhere else; the columns in their order."""
    from pyspark.sql import functions as F

    cols = events.columns
    joined = events.drop("via_share").join(
        assigned.select("event_id", F.col("via_share").alias("_via")), "event_id", "left"
    )
    return joined.select(*[F.col("_via").alias(c) if c == "via_share" else F.col(c) for c in cols])
