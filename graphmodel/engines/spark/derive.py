"""The tables a partial log lacks, derived on Spark by the rules of
`graphmodel.eventlog.derive` ([docs/model.md, section 2][model-2]): the same ids, windows and values,
in the same order, as the embedded reader derives.

Each function takes Spark DataFrames of typed tables (times in int64 nanoseconds) that
carry ``_row``, the order of their rows (the 1-based row of a file, or of a derived
table), and returns the derived table with the schema's columns and its own ``_row``:
1, 2, ... in order of first appearance, as `graphmodel.eventlog.derive` orders it.
Numbering is one sorted window over the derived ids (one per stream, product, host,
merchant or user), not over the events.
"""

from __future__ import annotations

from graphmodel.eventlog.derive import HOST_PREFIX, MERCHANT_PREFIX

__all__ = ["streams", "streamers", "products", "advertisers", "users"]


def _numbered(df, key: str = "_key"):
    """``df`` with ``_row`` = 1, 2, ... in the order of ``key`` (dropped)."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    return df.withColumn("_row", F.row_number().over(Window.orderBy(key)).cast("long")).drop(key)


def streams(events):
    """One stream per ``stream_id``: from its first event to the end of its last (a watch
    ends ``seconds`` after ``at``); host ``host:<stream_id>``."""
    from pyspark.sql import functions as F

    e = events.where(F.col("stream_id").isNotNull() & F.col("at").isNotNull())
    secs = F.col("seconds")
    finite = secs.isNotNull() & ~F.isnan(secs) & (F.abs(secs) != F.lit(float("inf")))
    watch = F.coalesce(F.col("type") == "watch", F.lit(False)) & finite
    end = F.when(watch, F.col("at") + (F.greatest(secs, F.lit(0.0)) * F.lit(1e9)).cast("long"))
    g = e.groupBy("stream_id").agg(
        F.min("at").alias("started_at"),
        F.max(F.coalesce(end, F.col("at"))).alias("ended_at"),
        F.min("_row").alias("_key"),
    )
    return _numbered(
        g.select(
            "stream_id",
            F.concat(F.lit(HOST_PREFIX), F.col("stream_id")).alias("streamer_id"),
            "started_at",
            "ended_at",
            F.lit(None).cast("string").alias("category"),
            "_key",
        )
    )


def streamers(streams_df):
    """One host per ``streamer_id`` of the streams, ``commission_rate`` 0."""
    from pyspark.sql import functions as F

    g = (
        streams_df.where(F.col("streamer_id").isNotNull())
        .groupBy("streamer_id")
        .agg(F.min("_row").alias("_key"))
    )
    return _numbered(
        g.select(
            "streamer_id",
            F.lit(None).cast("string").alias("name"),
            F.lit(0.0).alias("commission_rate"),
            "_key",
        )
    )


def products(events):
    """One product per ``product_id`` the purchases name: merchant ``merchant:<product_id>``,
    ``price`` the median amount paid (0 when none is known)."""
    from pyspark.sql import functions as F

    buy = events.where(
        F.coalesce(F.col("type") == "purchase", F.lit(False)) & F.col("product_id").isNotNull()
    )
    amount = F.when(~F.isnan("amount"), F.col("amount"))
    g = buy.groupBy("product_id").agg(
        F.percentile(amount, F.lit(0.5)).alias("_median"), F.min("_row").alias("_key")
    )
    return _numbered(
        g.select(
            "product_id",
            F.concat(F.lit(MERCHANT_PREFIX), F.col("product_id")).alias("advertiser_id"),
            F.coalesce(F.col("_median"), F.lit(0.0)).alias("price"),
            F.lit(None).cast("string").alias("category"),
            "_key",
        )
    )


def _first_seen(parts, column: str):
    """The distinct non-null values of ``column`` over ``parts`` (DataFrames with
    ``column`` and ``_row``), keyed by first appearance: part by part, row by row."""
    from functools import reduce

    from pyspark.sql import functions as F

    tagged = [
        p.select(F.col(column).alias("_id"), F.lit(k).alias("_part"), "_row")
        for k, p in enumerate(parts)
    ]
    allp = reduce(lambda a, b: a.unionByName(b), tagged)
    return (
        allp.where(F.col("_id").isNotNull())
        .groupBy("_id")
        .agg(F.min(F.struct("_part", "_row")).alias("_key"))
        .withColumnRenamed("_id", column)
    )


def advertisers(products_df, ad_spend=None):
    """One advertiser per ``advertiser_id`` of the products, then of the ad spend."""
    from pyspark.sql import functions as F

    parts = [products_df.select("advertiser_id", "_row")]
    if ad_spend is not None:
        parts.append(ad_spend.select("advertiser_id", "_row"))
    g = _first_seen(parts, "advertiser_id")
    return _numbered(
        g.select(
            "advertiser_id",
            F.lit(None).cast("string").alias("name"),
            F.lit(None).cast("string").alias("industry"),
            "_key",
        )
    )


def users(events, follows=None, task_completions=None, streamers_df=None):
    """Every id acting as a user: the events' ``user_id``, the follows' ``follower_id``,
    their ``followee_id`` when no streamer, the task completions' ``user_id``."""
    from pyspark.sql import functions as F

    parts = [events.select("user_id", "_row")]
    if follows is not None:
        parts.append(follows.select(F.col("follower_id").alias("user_id"), "_row"))
        followee = follows.select(F.col("followee_id").alias("user_id"), "_row")
        if streamers_df is not None:
            hosts = streamers_df.where(F.col("streamer_id").isNotNull()).select(
                F.col("streamer_id").alias("user_id")
            )
            followee = followee.join(hosts, "user_id", "left_anti")
        parts.append(followee)
    if task_completions is not None:
        parts.append(task_completions.select("user_id", "_row"))
    g = _first_seen(parts, "user_id")
    return _numbered(
        g.select(
            "user_id",
            F.lit(None).cast("long").alias("joined_at"),
            F.lit(None).cast("string").alias("segment"),
            "_key",
        )
    )
