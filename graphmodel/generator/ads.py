"""Advertisers buying attention in streams (paper, section 3.3: profiles to ads).

Switch: ``GeneratorConfig.ads`` (off: the ``ad_spend`` table is empty).

Before a stream, the platform forecasts its attention from the recommender's
plan: for each user it will show the stream to, the expected watch
(``session_minutes`` x the user's session multiplier x the match and task
boosts, cut at the stream's end), worth more the more precise the user's
profile: ``(1 + ad_precision_premium x pi_u) / (1 + ad_precision_premium x
pi_neutral)``, ``pi`` the recommender's precision (the feedback loop; with
feedback off every profile is neutral). Advertisers pay
``ad_yuan_per_hour`` per forecast precision-weighted hour.

Each stream with forecast attention has one to three sponsors (1 +
Binomial(2, 1/2)); a sponsor is a merchant of the stream's category with
probability 0.7, otherwise any. The stream's spend is split among its
sponsors by Dirichlet(1) shares; ``impressions`` is the sponsor's share of
one impression per ``impression_minutes`` forecast minutes; ``at`` is the
stream's start. A sponsor drawn twice for one stream gets one row.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from graphmodel.generator.config import GeneratorConfig
from graphmodel.generator.recommender import NEUTRAL, precision

__all__ = ["AdSpend", "buy_attention"]

_SAME_CATEGORY = 0.7


@dataclass
class AdSpend:
    advertiser: np.ndarray
    stream: np.ndarray
    spend: np.ndarray
    impressions: np.ndarray
    at: np.ndarray

    @classmethod
    def empty(cls) -> AdSpend:
        e = np.zeros(0, dtype=np.int64)
        return cls(e, e, e.astype(float), e, e)


def buy_attention(
    stream: np.ndarray,
    expected_seconds: np.ndarray,
    factor: np.ndarray,
    stream_category: np.ndarray,
    stream_start: np.ndarray,
    industry: np.ndarray,
    n_streams: int,
    rng: np.random.Generator,
    cfg: GeneratorConfig,
) -> AdSpend:
    """Ad spend rows for the streams of one day.

    ``stream``, ``expected_seconds`` and ``factor`` (the history factor of
    the user) are per planned exposure.
    """
    premium = cfg.ad_precision_premium
    value = (1.0 + premium * precision(factor, cfg)) / (1.0 + premium * precision(NEUTRAL, cfg))
    hours = np.bincount(stream, weights=expected_seconds * value / 3600.0, minlength=n_streams)
    minutes = np.bincount(stream, weights=expected_seconds / 60.0, minlength=n_streams)
    s = np.flatnonzero(hours > 0)
    if not len(s):
        return AdSpend.empty()
    k = 1 + rng.binomial(2, 0.5, len(s))
    idx = np.repeat(np.arange(len(s)), k)
    ss = s[idx]
    # sponsors: a merchant of the stream's category (if any) or any merchant
    na = len(industry)
    by_ind = np.argsort(industry, kind="stable")
    counts = np.bincount(industry, minlength=int(stream_category.max()) + 1)
    first = np.concatenate([[0], np.cumsum(counts)[:-1]])
    c = stream_category[ss]
    has = c < len(counts)
    has[has] = counts[c[has]] > 0
    r = rng.random(len(ss))
    cc = np.where(has, c, 0)
    same = by_ind[np.minimum(first[cc] + (r * counts[cc]).astype(np.int64), na - 1)]
    anyone = rng.integers(0, na, len(ss))
    adv = np.where(has & (rng.random(len(ss)) < _SAME_CATEGORY), same, anyone)
    g = rng.gamma(1.0, 1.0, len(ss))
    share = g / np.bincount(idx, weights=g)[idx]
    spend = cfg.ad_yuan_per_hour * hours[ss] * share
    impressions = minutes[ss] / cfg.impression_minutes * share
    # one row per (stream, advertiser)
    key = ss * na + adv
    uniq, inv = np.unique(key, return_inverse=True)
    spend = np.bincount(inv, weights=spend)
    impressions = np.bincount(inv, weights=impressions)
    st, ad = uniq // na, uniq % na
    return AdSpend(
        ad, st, np.round(spend, 2), np.round(impressions).astype(np.int64), stream_start[st]
    )
