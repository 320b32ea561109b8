"""The value accounting on Spark (MODEL.md sections 4 and 5), the same formulas as the
embedded :class:`graphmodel.model.accounting.Accounts`.

Per (user, stream) pair (:func:`pairs`, the columns of
:data:`graphmodel.engines.memory.pairs.PAIR_COLUMNS`): counts, watch seconds,
completion = sum over watches of min(1, seconds / duration), GMV, and the
attention value = the stream's ad spend x ``watch_s`` / the stream's watch
seconds (MODEL.md 5.3). Then, per pair,

    L = watch_s + tau_like x taps + tau_comment x comments + tau_share x shares
    D = w_like x likes + w_comment x comments + w_share x shares
        + w_purchase x purchases + w_watch x (watches + 4 x completion)
    b = attention + take_rate x GMV + alpha x p_data x D

and per user (:func:`user_frame`, :data:`graphmodel.model.accounting.USER_COLUMNS`)

    kept_u = sum_s b_{u,s} - lambda x sum over referred pairs b_{u,s}
    R_u    = sum over path rows with ancestor u of lambda x w(hops, depth) x b_{user,stream}
    V_u = kept_u + R_u,  v_u = coins x coin_yuan + redeemed coupons,  s_u = V_u - v_u
    e_u = s_u / v_u,  unpaid share = s_u / V_u,  hourly wage = v_u / (L_u / 3600)

(ratios null where the denominator is 0), with the attribution weights
``w`` of :func:`graphmodel.model.attribution.path_weights` (:func:`path_weight`
is the same rule as a Spark expression). :func:`platform_frame` sums them
into :data:`graphmodel.model.accounting.PLATFORM_COLUMNS`. Labour value and
exploitation: Marx, *Capital* vol. 1, ch. 9; Fuchs, *Digital Labour and Karl
Marx* (2014), ch. 11.
"""

from __future__ import annotations

from graphmodel.engines.memory.pairs import COUNT_COLUMNS, PAIR_COLUMNS
from graphmodel.model.accounting import PLATFORM_COLUMNS, USER_COLUMNS
from graphmodel.model.attribution import MODELS

__all__ = ["pairs", "path_weight", "user_frame", "platform_frame", "pair_table", "path_table",
           "user_table", "platform_table"]

_INTS = ("watches", "likes", "taps", "comments", "shares", "purchases")


def pairs(events, streams, ad_spend, refs):
    """The pair table (:data:`PAIR_COLUMNS`) as a Spark DataFrame, one row per (user, stream)."""
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


def path_weight(hops, depth, model: str, delta: float):
    """The attribution weight (MODEL.md 5.5) of the ancestor ``hops`` up a path of ``depth``:
    :func:`graphmodel.model.attribution.path_weights` as a Spark expression."""
    from pyspark.sql import functions as F

    hops, depth = hops.cast("double"), depth.cast("double")
    if model == "last":
        return F.when(hops == 1, 1.0).otherwise(0.0)
    if model == "first":
        return F.when(hops == depth, 1.0).otherwise(0.0)
    if model == "linear" or (model == "decay" and delta == 1.0):
        return F.lit(1.0) / depth
    if model == "decay":
        d = F.lit(float(delta))
        norm = (F.lit(1.0) - F.pow(d, depth)) / F.lit(1.0 - delta)
        return F.pow(d, hops - 1.0) / norm
    raise ValueError(f"unknown attribution model {model!r} (known: {', '.join(MODELS)})")


def _pair_terms(p, params):
    """Per pair: labour ``_L``, data units ``_D`` and base value ``_b`` (module docstring)."""
    from pyspark.sql import functions as F

    c = F.col
    labour = (c("watch_s") + params["tau_like"] * c("taps") + params["tau_comment"] * c("comments")
              + params["tau_share"] * c("shares"))
    units = (params["w_like"] * c("likes") + params["w_comment"] * c("comments")
             + params["w_share"] * c("shares") + params["w_purchase"] * c("purchases")
             + params["w_watch"] * c("watches") + 4.0 * params["w_watch"] * c("completion"))
    data = params["alpha"] * params["p_data"] * units
    commerce = params["take_rate"] * c("gmv")
    return p.select("user_id", "stream_id", "referred", "watch_s", "attention_value",
                    labour.alias("_L"), units.alias("_D"), commerce.alias("_commerce"),
                    data.alias("_data"),
                    (c("attention_value") + commerce + data).alias("_b"))


def user_frame(users, pair_df, paths, completions, params):
    """The per-user table (:data:`USER_COLUMNS`) as a Spark DataFrame, one row per user."""
    from pyspark.sql import functions as F

    lam = float(params["lambda"])
    terms = _pair_terms(pair_df, params)
    per = terms.groupBy("user_id").agg(
        F.sum("_L").alias("labor_s"), F.sum("_D").alias("data_units"),
        F.sum("_b").alias("_base"),
        F.sum(F.when(F.col("referred"), F.col("_b")).otherwise(0.0)).alias("_base_ref"))
    weight = path_weight(F.col("hops"), F.col("depth"), params["attribution"],
                         float(params["delta"]))
    credit = (paths.join(terms.select("user_id", "stream_id", "_b"), ["user_id", "stream_id"],
                         "left")
              .groupBy(F.col("ancestor_id").alias("user_id"))
              .agg(F.sum(lam * weight * F.coalesce("_b", F.lit(0.0))).alias("relational_value")))
    redeemed = F.coalesce(F.col("coupon_redeemed"), F.lit(False))
    rewards = completions.groupBy("user_id").agg(
        F.sum(F.coalesce(F.col("coins").cast("double"), F.lit(0.0))).alias("_coins"),
        F.sum(F.when(redeemed, F.coalesce("coupon", F.lit(0.0))).otherwise(0.0)).alias("_coupons"))
    out = (users.select("user_id").join(per, "user_id", "left").join(credit, "user_id", "left")
           .join(rewards, "user_id", "left"))
    z = F.lit(0.0)
    labor = F.coalesce("labor_s", z)
    kept = F.coalesce("_base", z) - lam * F.coalesce("_base_ref", z)
    relational = F.coalesce("relational_value", z)
    returned = F.coalesce("_coins", z) * params["coin_yuan"] + F.coalesce("_coupons", z)
    produced = kept + relational
    surplus = produced - returned

    def ratio(num, den):
        return F.when(den != 0, num / den)

    return out.select(
        "user_id",
        labor.alias("labor_s"),
        F.coalesce("data_units", z).alias("data_units"),
        kept.alias("kept_value"),
        relational.alias("relational_value"),
        produced.alias("value_produced"),
        returned.alias("value_returned"),
        surplus.alias("surplus"),
        ratio(surplus, returned).alias("exploitation_rate"),
        ratio(surplus, produced).alias("unpaid_share"),
        ratio(returned, labor / 3600.0).alias("hourly_wage"),
    ).select(*USER_COLUMNS)


def platform_frame(users_df, pair_df, ad_spend, params):
    """The platform totals (:data:`PLATFORM_COLUMNS`) as a one-row Spark DataFrame."""
    from pyspark.sql import functions as F

    terms = _pair_terms(pair_df, params)
    t = terms.agg(F.sum("_D").alias("data_units"),
                  F.sum("attention_value").alias("attention_value"),
                  F.sum("_commerce").alias("commerce_value"),
                  F.sum("_data").alias("data_value"),
                  F.sum("_b").alias("user_generated_value"))
    worked = F.col("labor_s") > 0
    below = worked & ~F.coalesce(F.col("hourly_wage") >= params["min_wage_hour"], F.lit(False))
    u = users_df.agg(
        F.count(F.lit(1)).alias("users"),
        (F.sum("labor_s") / 3600.0).alias("labor_hours"),
        F.sum("value_returned").alias("value_returned"),
        F.sum("relational_value").alias("relational_value"),
        F.sum((worked & (F.col("value_returned") == 0)).cast("long")).alias("wholly_unpaid_users"),
        F.sum(worked.cast("long")).alias("_worked"),
        F.sum(below.cast("long")).alias("_below"))
    watched = terms.filter(F.col("watch_s") > 0).select("stream_id").distinct()
    unallocated = (ad_spend.join(watched, "stream_id", "left_anti")
                   .agg(F.sum("spend").alias("unallocated_ad_spend")))
    row = u.crossJoin(t).crossJoin(unallocated)
    z = F.lit(0.0)
    total = F.coalesce("user_generated_value", z)
    returned = F.coalesce("value_returned", z)
    relational = F.coalesce("relational_value", z)
    return row.select(
        "users",
        F.coalesce("labor_hours", z).alias("labor_hours"),
        F.coalesce("data_units", z).alias("data_units"),
        F.coalesce("attention_value", z).alias("attention_value"),
        F.coalesce("commerce_value", z).alias("commerce_value"),
        F.coalesce("data_value", z).alias("data_value"),
        total.alias("user_generated_value"),
        returned.alias("value_returned"),
        (total - returned).alias("surplus"),
        F.when(returned != 0, (total - returned) / returned).alias("exploitation_rate"),
        relational.alias("relational_value"),
        F.when(total != 0, relational / total).alias("relational_share"),
        F.coalesce("unallocated_ad_spend", z).alias("unallocated_ad_spend"),
        F.coalesce("wholly_unpaid_users", F.lit(0)).alias("wholly_unpaid_users"),
        F.when(F.col("_worked") > 0, F.col("_below") / F.col("_worked"))
        .alias("below_min_wage_share"),
    ).select(*PLATFORM_COLUMNS)


# --- collected as pandas, in the embedded store's dtypes and order ------------------------

def pair_table(pair_df):
    """:func:`pairs` collected, as :func:`graphmodel.engines.memory.pairs.conform_pairs` gives it."""
    from graphmodel.engines.memory.pairs import conform_pairs
    from graphmodel.engines.spark.log import to_pandas

    return conform_pairs(to_pandas(pair_df))


def path_table(paths):
    """Referral paths collected, as :func:`graphmodel.engines.memory.paths.conform_paths` gives them."""
    from graphmodel.engines.memory.paths import conform_paths
    from graphmodel.engines.spark.log import to_pandas

    return conform_paths(to_pandas(paths))


def user_table(users_df):
    """The per-user table collected, sorted by ``user_id`` (the embedded order)."""
    from graphmodel.engines.spark.log import to_pandas

    floats = USER_COLUMNS[1:]
    df = to_pandas(users_df.orderBy("user_id"), ids=("user_id",), floats=floats)
    df["user_id"] = df["user_id"].to_numpy()  # the dtype the embedded table infers
    return df[USER_COLUMNS]


def platform_table(platform_df):
    """The platform row collected, with the embedded table's dtypes."""
    from graphmodel.engines.spark.log import to_pandas

    ints = ("users", "wholly_unpaid_users")
    floats = [c for c in PLATFORM_COLUMNS if c not in ints]
    return to_pandas(platform_df, ints=ints, floats=floats)[PLATFORM_COLUMNS]
