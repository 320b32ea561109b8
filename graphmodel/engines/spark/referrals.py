"""The referral forest and its paths on Spark ([docs/model.md, sections 3 and 5.5][model-3]).

``referrals``: user ``w``'s first arrival in stream ``s`` is ``w``'s earliest
watch in ``s``, ties broken by the smallest ``event_id``
([`graphmodel.model.referrals.derive_referrals`][graphmodel.model.referrals.derive_referrals]). On Spark that is
one grouped minimum of the struct ``(at, event_id, via_share)`` per
``(user_id, stream_id)``: the first-arrival rule as a window of one row,
computed with partial aggregation instead of a sort of every watch. A first
arrival with ``via_share`` joined to the share it names gives the edge
``referrer -> user``.

``referral_paths``: every referred arrival with each ancestor on its path
(`graphmodel.model.aggregates.PATH_COLUMNS`), by iterative joins: level 1
is the edges themselves (the direct referrer), level ``k + 1`` joins level
``k``'s ancestor to its own referrer. A forest of depth ``D`` takes ``D``
joins; each level is materialised (``localCheckpoint``) so the plan never
grows with ``D``. Rows: the sum over arrivals of their depth.
"""

from __future__ import annotations

from graphmodel.errors import LogError, Problem

__all__ = ["referrals", "referral_paths", "MAX_DEPTH"]

#: A referral chain deeper than this is taken for a cycle (the validator rejects cycles).
MAX_DEPTH = 10_000


def referrals(events, how: str = "recorded"):
    """The ``REFERRED`` edges of a valid ``events`` table (Spark DataFrame).

    Returns a Spark DataFrame with the columns of
    `graphmodel.model.referrals.REFERRAL_COLUMNS` (``at`` in int64
    nanoseconds), one row per edge; ``how`` says how the ``via_share`` links were made
    (``recorded``, or the inference rule).
    """
    from pyspark.sql import functions as F

    first = (events.filter(F.col("type") == "watch")
             .groupBy("user_id", "stream_id")
             .agg(F.min(F.struct("at", "event_id", "via_share")).alias("_first"))
             .filter(F.col("_first.via_share").isNotNull())
             .select("user_id", "stream_id", F.col("_first.at").alias("at"),
                     F.col("_first.via_share").alias("share_id")))
    shares = events.filter(F.col("type") == "share").select(
        F.col("event_id").alias("share_id"), F.col("user_id").alias("referrer_id"), "channel")
    return first.join(shares, "share_id").select(
        "referrer_id", "user_id", "stream_id", "share_id", "at", "channel",
        F.lit(how).alias("how"))


def referral_paths(refs, max_depth: int = MAX_DEPTH):
    """All (referred user, stream, ancestor, hops, depth) rows of the forest ``refs``.

    ``hops`` counts the edges from the ancestor down to the user (1 for the
    direct referrer); ``depth`` is the user's whole path length, so
    ``hops == depth`` marks the root of the cascade. Iterative joins, one per
    level (see the module docstring).

    Raises
    ------
    LogError
        On a referral cycle (found as soon as a level has as many rows as the one
        before), or a chain longer than ``max_depth``.
    """
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    up = refs.select("stream_id", F.col("user_id").alias("_child"),
                     F.col("referrer_id").alias("_parent"))
    level = refs.select("user_id", "stream_id", F.col("referrer_id").alias("ancestor_id"),
                        F.lit(1).cast("long").alias("hops"))
    parts = []
    previous = None
    for _ in range(max_depth):
        level = level.localCheckpoint()
        n = level.count()
        if not n:
            break
        if n == previous:
            # every chain still unfinished at this level is as long as at the last: the
            # rows of a level are the arrivals at least that deep, and a forest deeper than
            # k has arrivals at depth exactly k, so only a cycle keeps the count
            raise LogError([Problem("events", None, "via_share",
                                    "referral cycle: some users' first watches came through "
                                    "each other's shares in a loop (graphmodel validate "
                                    "names them)")])
        previous = n
        parts.append(level)
        level = (level.join(up, (level["stream_id"] == up["stream_id"])
                            & (level["ancestor_id"] == up["_child"]))
                 .select(level["user_id"], level["stream_id"],
                         F.col("_parent").alias("ancestor_id"),
                         (level["hops"] + 1).alias("hops")))
    else:
        raise LogError([Problem("events", None, "via_share",
                                f"a referral chain longer than {max_depth}: a referral cycle "
                                "(graphmodel validate finds it)")])
    if not parts:
        return refs.sparkSession.createDataFrame(
            [], "user_id string, stream_id string, ancestor_id string, hops long, depth long")
    paths = parts[0]
    for p in parts[1:]:
        paths = paths.unionByName(p)
    depth = F.max("hops").over(Window.partitionBy("user_id", "stream_id"))
    return paths.withColumn("depth", depth)
