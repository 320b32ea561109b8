"""Cascade metrics on Spark ([docs/model.md, section 6][model-6]), never a tree on the driver.

The same table as `graphmodel.model.referral_cascades.referral_cascades`
(`CASCADE_COLUMNS`), from the referral
edges and their paths (`graphmodel.engines.spark.referrals.referral_paths`,
iterative joins) by grouped aggregation only:

* roots: per (stream, user) with a share, the first share time ``t0``,
  unless the user was referred in that stream;
* each referred user's cascade and depth: its path row with
  ``hops == depth`` names the root;
* ``size`` n = 1 + referred users of the cascade; ``depth`` the largest
  depth; ``max_breadth`` the most users at one depth (the root's level
  counts 1);
* subtree sizes s(v) = 1 + the path rows that have v as ancestor, so the
  Wiener index W = sum over the non-root users v of s(v) (n - s(v)) is one
  grouped sum, and structural virality = 2W / (n (n - 1)) (null for n = 1);
  Goel, Anderson, Hofman and Watts, "The Structural Virality of Online
  Diffusion", Management Science 62(1), 2016;
* ``leaves``: referred users who referred nobody, plus the root when n = 1;
* ``t50_s``, ``t90_s``: the ceil(0.5 n)-th and ceil(0.9 n)-th smallest
  arrival offset (root at 0, a referred user at its arrival minus ``t0``),
  by a row number within the cascade;
* the channel mix: a pivot of the edges by the share's channel.

Work and shuffle are O(sum of depths); every step is a join or a group-by
that Spark spreads over the cluster.
"""

from __future__ import annotations

from graphmodel.model.cascades import CHANNEL_COLUMNS, conform_cascades
from graphmodel.schema import CHANNELS

__all__ = ["roots", "cascade_frame", "cascade_table"]


def roots(events, refs):
    """Cascade roots: ``stream_id, root_id, t0`` (first share, int64 ns), not referred there."""
    from pyspark.sql import functions as F

    first = (events.filter(F.col("type") == "share").groupBy("stream_id", "user_id")
             .agg(F.min("at").alias("t0")))
    referred = refs.select("stream_id", "user_id")
    return (first.join(referred, ["stream_id", "user_id"], "left_anti")
            .withColumnRenamed("user_id", "root_id"))


def cascade_frame(events, refs, paths):
    """Per-cascade metrics as a Spark DataFrame (columns of ``CASCADE_COLUMNS``, unordered)."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    top = paths.filter(F.col("hops") == F.col("depth")).select(
        "stream_id", "user_id", F.col("ancestor_id").alias("root_id"), "depth")
    nodes = refs.join(top, ["stream_id", "user_id"])  # every referred user, with its cascade
    below = (paths.groupBy("stream_id", F.col("ancestor_id").alias("user_id"))
             .agg(F.count(F.lit(1)).alias("_below")))
    parents = refs.select("stream_id", F.col("referrer_id").alias("user_id")).distinct()
    leaf = nodes.join(parents.withColumn("_inner", F.lit(True)), ["stream_id", "user_id"], "left")
    nodes = (leaf.join(below, ["stream_id", "user_id"], "left")
             .withColumn("_s", F.coalesce("_below", F.lit(0)) + 1)
             .withColumn("_leaf", F.col("_inner").isNull().cast("long")))
    key = ["stream_id", "root_id"]
    size = nodes.groupBy(*key).agg(F.count(F.lit(1)).alias("_m"))
    nodes = nodes.join(size, key)
    n = F.col("_m") + 1
    r = roots(events, refs)
    offset = nodes.join(r.select(*key, "t0"), key).withColumn(
        "_offset", (F.col("at") - F.col("t0")) / F.lit(1e9))
    rank = F.row_number().over(Window.partitionBy(*key).orderBy("_offset"))
    offset = offset.withColumn("_rank", rank)
    # the k-th arrival, the root first: the (k - 1)-th referred arrival (k >= 2)
    k50, k90 = F.expr("(_m + 2) div 2") - 1, F.expr("(9 * (_m + 1) + 9) div 10") - 1
    per = offset.groupBy(*key).agg(
        F.max("depth").alias("depth"),
        F.sum(F.col("_s") * (n - F.col("_s"))).alias("_wiener"),
        F.sum("_leaf").alias("_leaves"),
        F.first("_m").alias("_m"),
        F.max(F.when(F.col("_rank") == k50, F.col("_offset"))).alias("_t50"),
        F.max(F.when(F.col("_rank") == k90, F.col("_offset"))).alias("_t90"),
    )
    breadth = (nodes.groupBy(*key, "depth").agg(F.count(F.lit(1)).alias("_b"))
               .groupBy(*key).agg(F.max("_b").alias("_breadth")))
    mix = nodes.groupBy(*key).pivot("channel", list(CHANNELS)).agg(F.count(F.lit(1)))
    mix = mix.select(*key, *(F.col(c).alias(f"ch_{c}") for c in CHANNELS))
    out = r.select(*key).join(per, key, "left").join(breadth, key, "left").join(mix, key, "left")
    m = F.coalesce(F.col("_m"), F.lit(0))
    size_col = m + 1
    return out.select(
        *key,
        size_col.cast("long").alias("size"),
        F.coalesce("depth", F.lit(0)).cast("long").alias("depth"),
        F.greatest(F.coalesce("_breadth", F.lit(0)), F.lit(1)).cast("long").alias("max_breadth"),
        F.when(m > 0, 2.0 * F.col("_wiener") / (size_col * m)).alias("structural_virality"),
        (F.coalesce("_leaves", F.lit(0)) + F.when(m == 0, 1).otherwise(0)).cast("long")
        .alias("leaves"),
        F.coalesce("_t50", F.lit(0.0)).cast("double").alias("t50_s"),
        F.coalesce("_t90", F.lit(0.0)).cast("double").alias("t90_s"),
        *(F.coalesce(c, F.lit(0)).cast("long").alias(c) for c in CHANNEL_COLUMNS),
    )


def cascade_table(events, refs, paths):
    """`cascade_frame` collected as pandas, in the embedded store's order and dtypes."""
    from graphmodel.engines.spark.log import to_pandas

    df = to_pandas(cascade_frame(events, refs, paths), ids=("stream_id", "root_id"))
    return conform_cascades(df)
