"""The value accounting on Spark ([docs/model.md, sections 4 and 5][model-4]): Spark sums, the model applies.

Spark computes only the parameter-free aggregates, where the data lives:
the pair table (`pairs`, `graphmodel.model.aggregates.PAIR_COLUMNS`),
each user's sums of the pair counts (`user_sums`) and the referred
arrivals' counts summed per (ancestor, hops, depth) (`path_sums`). The
parameters are then applied by the model's own functions, the same code as
on every other engine: `graphmodel.model.attribution.path_credit` and
`graphmodel.model.accounting.user_accounts` run on the executors over
Arrow batches (``mapInPandas``), so the per-user table of any size is never
collected on the driver; `graphmodel.model.accounting.platform_accounts`
runs on the driver over one row of sums.
"""

from __future__ import annotations

from graphmodel.model.accounting import (
    FLAG_COLUMNS,
    SUM_COLUMNS,
    USER_COLUMNS,
    platform_accounts,
    user_accounts,
)
from graphmodel.model.aggregates import COUNT_COLUMNS, PAIR_COLUMNS
from graphmodel.model.attribution import RULES, path_credit
from graphmodel.model.base_value import base_weights
from graphmodel.model.labour import linear

__all__ = ["pairs", "user_sums", "path_sums", "user_frame", "platform_table", "pair_table",
           "path_table", "user_table"]


def pairs(events, streams, ad_spend, refs):
    """The pair table (`PAIR_COLUMNS`) as a Spark DataFrame, one row per (user, stream)."""
    from pyspark.sql import functions as F

    duration = streams.select(
        "stream_id", ((F.col("ended_at") - F.col("started_at")) / F.lit(1e9)).alias("_dur"))
    t = F.col("type")
    watch = t == "watch"
    secs = F.when(watch, F.coalesce("seconds", F.lit(0.0))).otherwise(0.0)
    ev = events.join(duration, "stream_id", "left").select(
        "user_id", "stream_id", t.alias("type"), secs.alias("_secs"),
        F.when(watch & (F.col("_dur") > 0), F.least(secs / F.col("_dur"), F.lit(1.0)))
        .otherwise(0.0).alias("_completion"),
        F.when(t == "like", F.coalesce("count", F.lit(1))).otherwise(0).alias("_taps"),
        F.when(t == "purchase", F.coalesce("amount", F.lit(0.0))).otherwise(0.0).alias("_gmv"))

    def n(kind):
        return F.sum(F.when(F.col("type") == kind, 1).otherwise(0)).cast("long")

    per = ev.groupBy("user_id", "stream_id").agg(
        n("watch").alias("watches"),
        F.sum("_secs").alias("watch_s"),
        F.sum("_completion").alias("completion"),
        n("like").alias("likes"),
        F.sum("_taps").cast("long").alias("taps"),
        n("comment").alias("comments"),
        n("share").alias("shares"),
        n("purchase").alias("purchases"),
        F.sum("_gmv").alias("gmv"),
    )
    spend = ad_spend.groupBy("stream_id").agg(F.sum("spend").alias("_spend"))
    watched = per.groupBy("stream_id").agg(F.sum("watch_s").alias("_stream_s"))
    referred = refs.select("user_id", "stream_id").distinct().withColumn("_ref", F.lit(True))
    out = (per.join(spend, "stream_id", "left").join(watched, "stream_id", "left")
           .join(referred, ["user_id", "stream_id"], "left"))
    share = F.when(F.col("_stream_s") > 0, F.col("watch_s") / F.col("_stream_s")).otherwise(0.0)
    return out.select(
        "user_id", "stream_id",
        *(c for c in COUNT_COLUMNS if c != "attention_value"),
        (F.coalesce("_spend", F.lit(0.0)) * share).alias("attention_value"),
        F.coalesce("_ref", F.lit(False)).alias("referred"),
    ).select(*PAIR_COLUMNS)


def _sum_columns(referred=None):
    """Spark sums of `SUM_COLUMNS` over pairs (all of them are profiled on Spark:
    the opt-out lever changes ``profiled`` in memory only), optionally referred only."""
    from pyspark.sql import functions as F

    def col(c):
        c = c.removeprefix("profiled_")
        x = F.col(c).cast("double")
        return x if referred is None else F.when(F.col("referred"), x).otherwise(0.0)

    prefix = "" if referred is None else "ref_"
    return [F.sum(col(c)).alias(prefix + c) for c in SUM_COLUMNS]


def user_sums(users, pair_df, completions):
    """Per user of ``users``: `SUM_COLUMNS` summed over the user's pairs and, prefixed
    ``ref_``, over the pairs reached through a referral; ``coins`` and
    ``coupons_redeemed`` (0 for a user with none)."""
    from pyspark.sql import functions as F

    per = pair_df.groupBy("user_id").agg(*_sum_columns(), *_sum_columns(referred=True))
    redeemed = F.coalesce(F.col("coupon_redeemed"), F.lit(False))
    rewards = completions.groupBy("user_id").agg(
        F.sum(F.coalesce(F.col("coins").cast("double"), F.lit(0.0))).alias("coins"),
        F.sum(F.when(redeemed, F.coalesce("coupon", F.lit(0.0))).otherwise(0.0))
        .alias("coupons_redeemed"))
    out = users.select("user_id").join(per, "user_id", "left").join(rewards, "user_id", "left")
    filled = [c for c in out.columns if c != "user_id"]
    return out.fillna(0.0, subset=filled)


def path_sums(paths, pair_df):
    """The referred arrivals' `SUM_COLUMNS` summed per (``ancestor_id``, ``hops``,
    ``depth``): credit is linear in them for any parameters."""
    arrivals = paths.join(pair_df, ["user_id", "stream_id"], "left").fillna(
        0.0, subset=list(COUNT_COLUMNS))
    return arrivals.groupBy("ancestor_id", "hops", "depth").agg(*_sum_columns())


def _credit_batches(params):
    # the rule travels with the computation: a model registered after the workers
    # started (in a notebook, say) is applied as on the driver
    rule = RULES[params["attribution"]]

    def run(batches):
        import pandas as pd

        for b in batches:
            yield pd.DataFrame({
                "ancestor_id": b["ancestor_id"],
                "credit": path_credit(b["hops"].to_numpy(), b["depth"].to_numpy(),
                                      linear(b, base_weights(params)), params, rule),
            })
    return run


def _user_batches(params, flags: bool):
    def run(batches):
        for b in batches:
            yield user_accounts(b, b["relational_value"].to_numpy(), params, flags=flags)
    return run


def user_frame(sums, psums, params, flags: bool = False):
    """The per-user table (`USER_COLUMNS`, plus `FLAG_COLUMNS` with ``flags``)
    as a Spark DataFrame, computed on the executors by the model's functions."""
    from pyspark.sql import functions as F

    credit = psums.mapInPandas(_credit_batches(dict(params)),
                               "ancestor_id string, credit double")
    relational = credit.groupBy(F.col("ancestor_id").alias("user_id")).agg(
        F.sum("credit").alias("relational_value"))
    joined = sums.join(relational, "user_id", "left").fillna(0.0, subset=["relational_value"])
    schema = ", ".join(["user_id string", *(f"{c} double" for c in USER_COLUMNS[1:]),
                        *((f"{c} long" for c in FLAG_COLUMNS) if flags else ())])
    return joined.mapInPandas(_user_batches(dict(params), flags), schema)


def platform_table(sums, psums, pair_df, ad_spend, params):
    """The platform row (`graphmodel.model.accounting.PLATFORM_COLUMNS`) as pandas:
    Spark sums, `graphmodel.model.accounting.platform_accounts` applies the model."""
    from pyspark.sql import functions as F

    totals = sums.agg(*(F.sum(c).alias(c) for c in SUM_COLUMNS)).first().asDict()
    users = user_frame(sums, psums, params, flags=True).agg(
        F.count(F.lit(1)).alias("users"),
        *(F.sum(c).alias(c) for c in ("labour_s", "value_returned", "relational_value",
                                      *FLAG_COLUMNS))).first().asDict()
    watched = pair_df.filter(F.col("watch_s") > 0).select("stream_id").distinct()
    unallocated = (ad_spend.join(watched, "stream_id", "left_anti")
                   .agg(F.sum("spend").alias("x")).first()["x"])
    totals = {c: float(v or 0.0) for c, v in totals.items()}
    users = {c: (v or 0) for c, v in users.items()}
    return platform_accounts(totals, users, float(unallocated or 0.0), params)


# --- collected as pandas, in the embedded store's dtypes and order ------------------------

def pair_table(pair_df):
    """`pairs` collected, as `graphmodel.model.aggregates.conform_pairs` gives it."""
    from graphmodel.engines.spark.log import to_pandas
    from graphmodel.model.aggregates import conform_pairs

    return conform_pairs(to_pandas(pair_df))


def path_table(paths):
    """Referral paths collected, as `graphmodel.model.aggregates.conform_paths` gives them."""
    from graphmodel.engines.spark.log import to_pandas
    from graphmodel.model.aggregates import conform_paths

    return conform_paths(to_pandas(paths))


def user_table(users_df):
    """The per-user table collected, sorted by ``user_id`` (the embedded order)."""
    from graphmodel.engines.spark.log import to_pandas

    floats = USER_COLUMNS[1:]
    df = to_pandas(users_df.orderBy("user_id"), ids=("user_id",), floats=floats)
    df["user_id"] = df["user_id"].to_numpy()  # the dtype the embedded table infers
    return df[USER_COLUMNS]
