"""The calibration targets of [docs/model.md, section 8][model-8], measured on any event log.

[`calibration`][graphmodel.analysis.calibration.calibration] returns one row per target: the measured ``value``, the
``target_value``, the accepted band ``[low, high]``, the ``tolerance`` as
text, the ``verdict`` (``ok``, ``off``, or ``n/a`` when the log cannot
measure it: an empty table, no purchases, no shares...) and the ``source``.
The figures and their sources are collected in ``notes/calibration.md``
(sections 2-4); the generator's defaults meet every target
(``docs/generator.md``, ``tests/test_calibration.py``).

Definitions
-----------
A *day* is a calendar day of the events' ``at`` (naive UTC). The *period*
runs from the first to the last day with an event, both included; ``D`` is
its number of days. The *users* are the users with at least one event in the
period (the monthly-active analogue, ``N``); ``DAU_d`` is the number of
users with an event on day ``d`` (0 on a day without events).

========================  ======================================================
target                    measured value
========================  ======================================================
gmv_per_user_day          sum of purchase ``amount`` / (``N`` x ``D``)
average_order_value       mean purchase ``amount``
watch_minutes_per_        mean over (user, day) pairs with at least one watch of
watching_user_day         the summed watch ``seconds`` / 60
daily_active_share        mean over the period's days of ``DAU_d`` / ``N``
mean_commission_rate      mean ``commission_rate`` over the streamers table
ad_spend_per_dau_day      sum of ``ad_spend.spend`` / sum over days of ``DAU_d``
ad_spend_to_gmv           sum of ``ad_spend.spend`` / sum of purchase ``amount``
shares_without_reshare    share of share events that drew no further share: a
                          share *draws* one when some user whose first arrival
                          in the stream came through it (a ``REFERRED`` edge,
                          [docs/model.md, section 3][model-3]) made a share in that stream
gmv_comment_elasticity    OLS slope of log GMV on log comment count over the
                          streams with both > 0 (at least 3 such streams)
========================  ======================================================
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from graphmodel.eventlog.log import EventLog

__all__ = ["Target", "TARGETS", "COLUMNS", "calibration", "measure"]

#: Columns of the calibration table.
COLUMNS = ["target", "value", "target_value", "low", "high", "tolerance", "verdict", "source"]


@dataclass(frozen=True)
class Target:
    name: str
    target_value: float
    low: float
    high: float
    tolerance: str
    source: str


TARGETS: tuple[Target, ...] = (
    Target(
        "gmv_per_user_day",
        8660 / 365,
        0.9 * 8660 / 365,
        1.1 * 8660 / 365,
        "+-10%",
        "paper, ref. 1: 8,660 yuan per live e-commerce user per year (2023), / 365",
    ),
    Target(
        "average_order_value",
        80.0,
        60.0,
        120.0,
        "band 60-120",
        "36Kr via SCMP: Douyin average retail order ~80 yuan (H1 2024)",
    ),
    Target(
        "watch_minutes_per_watching_user_day",
        62.0,
        47.0,
        77.0,
        "+-15 min",
        "CNSA 2021 report (60 min, 2020) and 2024 report (63 min, 2023)",
    ),
    Target(
        "daily_active_share",
        0.55,
        0.45,
        0.65,
        "+-0.10",
        "Kuaishou Q4 2023 results: DAU/MAU 382.5/700.4",
    ),
    Target(
        "mean_commission_rate",
        0.25,
        0.20,
        0.30,
        "+-0.05",
        "SCMP 2020 (25% commission); The Information (20% or more)",
    ),
    Target(
        "ad_spend_per_dau_day",
        1.19,
        0.89,
        1.49,
        "+-0.30 yuan",
        "36Kr 2024: Douyin ad revenue >= 280 bn yuan (2023) / 600-700 m DAU / 365",
    ),
    Target(
        "ad_spend_to_gmv",
        0.13,
        0.0,
        0.13,
        "<= 0.13",
        "36Kr 2024: 280 bn yuan ad revenue / 2.2-2.7 tn yuan Douyin GMV (2023)",
    ),
    Target(
        "shares_without_reshare",
        0.93,
        0.90,
        0.96,
        "+-0.03",
        "Goel, Watts et al. (Twitter, Management Science 2016): 93% of cascades have no reshare",
    ),
    Target(
        "gmv_comment_elasticity",
        0.29,
        0.14,
        0.44,
        "+-0.15",
        "Song, Chen, Guo, Gao (CSWIM 2021, Taobao Live): +1% comments, +0.2891% sales",
    ),
)


def _days(at: pd.Series) -> np.ndarray:
    return at.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]").astype(np.int64)


def _is(events: pd.DataFrame, kind: str) -> np.ndarray:
    return (events["type"] == kind).fillna(False).to_numpy(dtype=bool)


def _ratio(a: float, b: float) -> float:
    return a / b if b > 0 and math.isfinite(a) else math.nan


def _shares_without_reshare(events: pd.DataFrame) -> float:
    """Share of share events none of whose referred first arrivals shared in that stream."""
    from graphmodel.model.referrals import first_arrivals

    shares = events.loc[_is(events, "share"), ["event_id", "user_id", "stream_id"]]
    if not len(shares):
        return math.nan
    first = first_arrivals(events)
    referred = first.loc[first["via_share"].notna(), ["user_id", "stream_id", "via_share"]]
    sharers = shares[["user_id", "stream_id"]].drop_duplicates()
    resharing = referred.merge(sharers, on=["user_id", "stream_id"], how="inner")
    drew = shares["event_id"].isin(resharing["via_share"])
    return 1.0 - float(drew.mean())


def _elasticity(events: pd.DataFrame) -> float:
    """OLS slope of log GMV on log comments over streams with both > 0."""
    comments = events.loc[_is(events, "comment")].groupby("stream_id", observed=True).size()
    purchases = events.loc[_is(events, "purchase")]
    gmv = purchases.groupby("stream_id", observed=True)["amount"].sum()
    both = pd.concat([comments.rename("c"), gmv.rename("g")], axis=1, join="inner")
    both = both[(both["c"] > 0) & (both["g"] > 0)]
    if len(both) < 3:
        return math.nan
    x = np.log(both["c"].to_numpy(dtype=float))
    y = np.log(both["g"].to_numpy(dtype=float))
    vx = float(np.var(x))
    if vx <= 0:
        return math.nan
    return float(np.mean((x - x.mean()) * (y - y.mean())) / vx)


def measure(log: EventLog) -> dict[str, float]:
    """The measured value of every target (NaN where the log cannot measure it)."""
    ev = log["events"]
    out = {t.name: math.nan for t in TARGETS}
    commission = log["streamers"]["commission_rate"].dropna()
    if len(commission):
        out["mean_commission_rate"] = float(commission.mean())
    if not len(ev):
        return out
    day = _days(ev["at"])
    n_days = int(day.max() - day.min()) + 1
    users = ev["user_id"]
    n_users = users.nunique()
    dau = pd.DataFrame({"u": users.to_numpy(), "d": day}).drop_duplicates()
    dau_total = len(dau)  # sum over days of DAU_d
    out["daily_active_share"] = _ratio(dau_total / n_days, n_users)

    is_buy = _is(ev, "purchase")
    amounts = ev["amount"].to_numpy(dtype=float, na_value=np.nan)[is_buy]
    gmv = float(np.nansum(amounts))
    if is_buy.any():
        out["gmv_per_user_day"] = _ratio(gmv, n_users * n_days)
        out["average_order_value"] = float(np.nanmean(amounts))

    is_watch = _is(ev, "watch")
    if is_watch.any():
        w = pd.DataFrame(
            {
                "u": users.to_numpy()[is_watch],
                "d": day[is_watch],
                "s": ev["seconds"].to_numpy(dtype=float, na_value=np.nan)[is_watch],
            }
        )
        per_user_day = w.groupby(["u", "d"], observed=True)["s"].sum()
        out["watch_minutes_per_watching_user_day"] = float(per_user_day.mean() / 60.0)

    ad = log["ad_spend"]
    if len(ad):
        spend = float(ad["spend"].sum())
        out["ad_spend_per_dau_day"] = _ratio(spend, dau_total)
        if is_buy.any():
            out["ad_spend_to_gmv"] = _ratio(spend, gmv)

    out["shares_without_reshare"] = _shares_without_reshare(ev)
    out["gmv_comment_elasticity"] = _elasticity(ev)
    return out


def calibration(log: EventLog) -> pd.DataFrame:
    """The calibration table of [docs/model.md, section 8][model-8] measured on ``log``.

    Parameters
    ----------
    log : EventLog
        A generated or a real event log (valid; see the module docstring for
        how each target is measured).

    Returns
    -------
    DataFrame
        One row per target, columns `COLUMNS`. ``verdict`` is ``ok``
        when ``low <= value <= high``, ``off`` otherwise, ``n/a`` when the
        value is NaN (the log cannot measure it).

    Examples
    --------
    >>> import graphmodel
    >>> log = graphmodel.generate(graphmodel.GeneratorConfig(users=200, days=1, seed=1))
    >>> table = graphmodel.calibration(log)
    >>> list(table.columns) == COLUMNS
    True
    >>> table.set_index("target").loc["gmv_comment_elasticity", "verdict"]  # one day, 2 streams
    'n/a'
    """
    values = measure(log)
    rows = []
    for t in TARGETS:
        v = values[t.name]
        if v is None or not math.isfinite(v):
            verdict, v = "n/a", math.nan
        else:
            verdict = "ok" if t.low <= v <= t.high else "off"
        rows.append(
            {
                "target": t.name,
                "value": v,
                "target_value": t.target_value,
                "low": t.low,
                "high": t.high,
                "tolerance": t.tolerance,
                "verdict": verdict,
                "source": t.source,
            }
        )
    df = pd.DataFrame(rows, columns=COLUMNS)
    for c in ("target", "tolerance", "verdict", "source"):
        df[c] = df[c].astype("string")
    return df
