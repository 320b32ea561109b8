"""Extrapolation of the headline figures to the national live-commerce market.

The paper (section 1) gives China's 2023 live e-commerce market as 4.9168
trillion yuan and spending of 8,660 yuan per user a year; together they imply

    N = 4.9168e12 / 8660 = 567.76 million live-commerce users.

A log covers ``n`` users over ``d`` days (the span of its streams, rounded
up to whole days). Each figure ``X`` (unpaid labour hours, value produced
``T``, value returned ``sum v``) is extrapolated as

    X_national = X / n / d x 365 x N

assuming (1) the log's users are a representative sample of those N users,
(2) their activity over the ``d`` days is typical of the year, and (3) the
model's parameters hold at that scale. The output states these assumptions.

A log without users has no per-user figure to extrapolate: ``per_user_year``
and ``national`` are then null (NaN), not 0, while ``log_value`` stays what
the log holds.
"""

from __future__ import annotations

import math

import pandas as pd

from graphmodel.output import store_meta, with_meta
from graphmodel.params import Params

__all__ = ["MARKET_YUAN", "SPEND_PER_USER_YUAN", "NATIONAL_USERS", "ASSUMPTION",
           "SCALE_COLUMNS", "log_days", "scale_to_market", "market_scale"]

MARKET_YUAN = 4.9168e12
SPEND_PER_USER_YUAN = 8660.0
NATIONAL_USERS = MARKET_YUAN / SPEND_PER_USER_YUAN
ASSUMPTION = (
    "National scale: 2023 live e-commerce market 4.9168 trillion yuan / 8,660 yuan per user "
    f"a year = {NATIONAL_USERS / 1e6:,.2f} million users (Jin 2025, section 1); figures per "
    "user per day of the log x 365 x that many users, assuming the log's users are "
    "representative, its days typical of the year, and the parameters hold at that scale."
)
SCALE_COLUMNS = ["figure", "log_value", "per_user_year", "national", "unit"]


def log_days(streams: pd.DataFrame) -> int:
    """Whole days spanned by the log's streams (at least 1)."""
    if streams.empty:
        return 1
    span = (streams["ended_at"].max() - streams["started_at"].min()).total_seconds()
    return max(1, math.ceil(span / 86400.0 - 1e-9))


def scale_to_market(headline: dict[str, float], users: int, days: int) -> pd.DataFrame:
    """Unpaid labour hours, value produced and value returned at national scale."""
    # No users: nothing per user to extrapolate (null, not a national total of 0).
    per_year = 365.0 / days / users if users > 0 and days > 0 else math.nan
    unpaid_hours = headline["labour_hours"]
    rows = [
        ("labour_hours", unpaid_hours, "hours"),
        ("user_generated_value", headline["user_generated_value"], "yuan"),
        ("value_returned", headline["value_returned"], "yuan"),
        ("surplus", headline["user_generated_value"] - headline["value_returned"], "yuan"),
    ]
    return pd.DataFrame([
        {"figure": f, "log_value": x, "per_user_year": x * per_year,
         "national": x * per_year * NATIONAL_USERS, "unit": unit}
        for f, x, unit in rows
    ], columns=SCALE_COLUMNS)


def market_scale(store, params=None, accounts=None) -> pd.DataFrame:
    """Headline figures extrapolated to the national market
    ([`graphmodel.analysis.scenario.scale.scale_to_market`][graphmodel.analysis.scenario.scale.scale_to_market]); the assumption is in the meta."""
    from graphmodel.analysis.value.headline import headline_figures

    p = Params.of(params)
    acc = accounts or store.accounts()
    days = log_days(acc.tables["streams"])
    df = scale_to_market(headline_figures(acc, p), users=len(acc.users), days=days)
    return with_meta(df, store_meta(store, "value", dict(p), by="platform",
                                    scale_to_market=True, assumption=ASSUMPTION,
                                    national_users=NATIONAL_USERS, log_days=days))
