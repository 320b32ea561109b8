"""Streamers, merchants, products and the stream schedule.

Always on (a platform without streams is no platform).

- **Streamers**: ``users / users_per_streamer`` hosts. Each has a category
  (in the proportions `CATEGORY_WEIGHTS`,
  allotted by largest remainder, so a small platform is not all one
  category by chance), a
  popularity (lognormal, sigma 1, mean 1), an interaction style (how much a
  host makes viewers comment: lucky-bag draws that require a comment, Q&A),
  and a ``commission_rate`` ~ Beta with mean ``commission_mean`` and
  concentration 40 (sd about 0.07), clipped to [0.01, 0.9].
- **Advertisers** (merchants): ``users / users_per_advertiser``, with
  industries allotted like the streamers' categories.
- **Products**: ``products_per_advertiser`` per merchant, in the merchant's
  category; price proportional to the category's price level x a lognormal
  with mean 1 and sigma ``price_sigma``, scaled so that the catalogue's mean
  price is exactly ``price_mean`` (then rounded to the fen).
- **Streams**: each streamer goes live on a day with probability
  ``stream_probability``; 60 % of streams start in the evening peak (around
  12:30 UTC, 20:30 Beijing time), the rest any time; duration lognormal with
  median ``stream_hours`` (sigma 0.35, 15 min to 8 h); every stream starts
  and ends on its day. Each stream sells a lineup of ``lineup_size``
  products of its category and has a *comment heat*: the host's style times
  a per-stream draw, lognormal with total sigma ``comment_heat_sigma``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from graphmodel.generator.config import CATEGORY_PRICE, CATEGORY_WEIGHTS, GeneratorConfig
from graphmodel.generator.population import DAY, lognormal_mean1

__all__ = ["Catalog", "make_catalog"]

_PEAK_SHARE, _PEAK_HOUR, _PEAK_SD_HOURS = 0.6, 12.5, 1.5


@dataclass
class Catalog:
    # streamers
    streamer_category: np.ndarray
    streamer_popularity: np.ndarray
    commission: np.ndarray
    # advertisers and products
    industry: np.ndarray
    product_advertiser: np.ndarray
    product_category: np.ndarray
    price: np.ndarray
    # streams, ordered by day, start time, streamer
    stream_streamer: np.ndarray
    stream_day: np.ndarray
    stream_start: np.ndarray  # seconds since the epoch
    stream_end: np.ndarray
    stream_category: np.ndarray
    stream_heat: np.ndarray
    stream_weight: np.ndarray  # the recommender's base weight
    lineup: np.ndarray  # (streams, lineup_size) product indices
    day_bounds: np.ndarray  # streams of day d: [day_bounds[d], day_bounds[d + 1])

    @property
    def n_streams(self) -> int:
        return len(self.stream_start)


def _category_weights() -> np.ndarray:
    w = np.asarray(CATEGORY_WEIGHTS, dtype=float)
    return w / w.sum()


def _stratified(weights: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` category codes in the proportions ``weights`` (largest remainder), shuffled.

    With fewer items than categories, the largest categories come first.
    """
    quota = weights * n
    counts = np.floor(quota).astype(np.int64)
    rest = n - counts.sum()
    counts[np.argsort(-(quota - counts), kind="stable")[:rest]] += 1
    return rng.permutation(np.repeat(np.arange(len(weights)), counts))


def make_catalog(cfg: GeneratorConfig, rng: np.random.Generator, start_s: int) -> Catalog:
    w = _category_weights()
    n_cat = len(w)
    ns, na, npr = cfg.n_streamers, cfg.n_advertisers, cfg.n_products
    # streamers
    s_cat = _stratified(w, ns, rng)
    popularity = lognormal_mean1(rng, 1.0, ns)
    half = cfg.comment_heat_sigma / np.sqrt(2.0)
    style = lognormal_mean1(rng, half, ns)
    conc = 40.0
    commission = np.clip(
        rng.beta(cfg.commission_mean * conc, (1 - cfg.commission_mean) * conc, ns), 0.01, 0.9
    )
    # advertisers and products
    industry = _stratified(w, na, rng)
    p_adv = np.concatenate([np.arange(min(npr, na)), rng.integers(0, na, max(npr - na, 0))])
    p_cat = industry[p_adv]
    level = np.asarray(CATEGORY_PRICE, dtype=float)
    raw = level[p_cat] * lognormal_mean1(rng, cfg.price_sigma, npr)
    price = np.round(np.maximum(cfg.price_mean * raw / raw.mean(), 0.01), 2)
    # streams
    live = rng.random((cfg.days, ns)) < cfg.stream_probability
    day, streamer = np.nonzero(live)
    m = len(day)
    hours = np.clip(cfg.stream_hours * np.exp(rng.normal(0.0, 0.35, m)), 0.25, 8.0)
    dur = np.minimum(np.round(hours * 3600).astype(np.int64), DAY - 2)
    peak = rng.random(m) < _PEAK_SHARE
    start_h = np.where(peak, rng.normal(_PEAK_HOUR, _PEAK_SD_HOURS, m), rng.random(m) * 24.0)
    offset = np.clip(np.round(start_h * 3600).astype(np.int64), 0, DAY - 1 - dur)
    start = start_s + day.astype(np.int64) * DAY + offset
    order = np.lexsort((streamer, start))  # day is implied by start
    day, streamer, start, dur = day[order], streamer[order], start[order], dur[order]
    heat = style[streamer] * lognormal_mean1(rng, half, m)
    cat = s_cat[streamer]
    weight = np.sqrt(popularity[streamer]) * np.sqrt(dur / 3600.0)
    # lineups: products of the stream's category (all products if it has none)
    by_cat = np.argsort(p_cat, kind="stable")
    counts = np.bincount(p_cat, minlength=n_cat)
    first = np.concatenate([[0], np.cumsum(counts)[:-1]])
    has = counts[cat] > 0
    r = rng.random((m, cfg.lineup_size))
    within = by_cat[
        np.minimum(first[cat][:, None] + (r * counts[cat][:, None]).astype(np.int64), npr - 1)
    ]
    anywhere = np.minimum((r * npr).astype(np.int64), npr - 1)
    lineup = np.where(has[:, None], within, anywhere)
    day_bounds = np.searchsorted(day, np.arange(cfg.days + 1))
    return Catalog(
        s_cat,
        popularity,
        commission,
        industry,
        p_adv,
        p_cat,
        price,
        streamer,
        day,
        start,
        start + dur,
        cat,
        heat,
        weight,
        lineup,
        day_bounds,
    )
