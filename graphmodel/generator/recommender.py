"""The recommender: which live streams each active user is shown, and how precisely.

Switch: ``GeneratorConfig.feedback`` (the feedback loop of the paper's
section 3.2, "the more you interact, the more precise").

The platform keeps a profile of each user: an interaction history ``H_u``,
the user's likes, comments, shares and purchases, discounted with a
half-life of ``history_half_life_days``. It starts from the level the user's
own rates would have built before the first simulated day (users joined
months or years earlier) and is updated every night. With
``f_u = H_u / (H_u + history_scale)`` (0 for a stranger, towards 1 for a
heavy interactor):

- **exposure**: an active user is shown ``1 + Poisson(lambda_u - 1)``
  streams a day, ``lambda_u = exposures_per_day * (1 + phi f_u) / (1 + phi / 2)``
  with ``phi = feedback_strength``: more history, more streams pushed;
- **precision**: each shown stream is drawn from the user's preferred
  category with probability ``pi_u = precision_base + (precision_max -
  precision_base) f_u``, otherwise from all of the day's streams, in
  proportion to the stream's base weight (sqrt popularity x sqrt hours).
  A stream of the preferred category is watched longer and sells more
  (``match_boost``), and advertisers pay more for a precise profile
  (`graphmodel.generator.ads`).

Feedback off: ``f_u = 1/2`` for everyone, so exposure and precision sit at
the same population level but no longer depend on history. The loop is
measurable afterwards as the correlation between a user's past interactions
and their exposure (`graphmodel.analysis.feedback.feedback_correlation`).

Each shown stream becomes a watch (the user enters the live room) at a time
uniform over the stream's window.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from graphmodel.generator.config import GeneratorConfig

__all__ = ["history_factor", "precision", "initial_history", "decay", "Exposures", "expose"]

#: The history factor everyone gets when the feedback loop is off.
NEUTRAL = 0.5


def history_factor(history: np.ndarray, cfg: GeneratorConfig) -> np.ndarray:
    """``f = H / (H + history_scale)``, or the neutral 1/2 when feedback is off."""
    if not cfg.feedback:
        return np.full(len(history), NEUTRAL)
    return history / (history + cfg.history_scale)


def precision(factor: np.ndarray | float, cfg: GeneratorConfig) -> np.ndarray | float:
    """Probability that a shown stream is of the user's preferred category."""
    return cfg.precision_base + (cfg.precision_max - cfg.precision_base) * factor


def decay(cfg: GeneratorConfig) -> float:
    """Daily retention of the interaction history: ``0.5 ** (1 / half_life)``."""
    return 0.5 ** (1.0 / cfg.history_half_life_days)


def initial_history(
    expected_per_day: np.ndarray, rng: np.random.Generator, cfg: GeneratorConfig
) -> np.ndarray:
    """The history built before day 1: the stationary level ``E / (1 - decay)``, Gamma(2) noise."""
    level = expected_per_day / (1.0 - decay(cfg))
    return level * rng.gamma(2.0, 0.5, len(level))


@dataclass
class Exposures:
    user: np.ndarray
    stream: np.ndarray  # index into the catalogue's streams
    at: np.ndarray  # seconds since the epoch
    match: np.ndarray  # bool: stream of the user's preferred category


def expose(
    active: np.ndarray,
    factor: np.ndarray,
    preferred: np.ndarray,
    streams: slice,
    stream_category: np.ndarray,
    stream_weight: np.ndarray,
    stream_start: np.ndarray,
    stream_end: np.ndarray,
    n_categories: int,
    rng: np.random.Generator,
    cfg: GeneratorConfig,
) -> Exposures:
    """The day's organic watches of the ``active`` users among the streams ``streams``."""
    lo, hi = streams.start, streams.stop
    e = np.zeros(0, dtype=np.int64)
    if hi <= lo or not len(active):
        return Exposures(e, e, e, e.astype(bool))
    phi = cfg.feedback_strength
    lam = cfg.exposures_per_day * (1.0 + phi * factor[active]) / (1.0 + phi * NEUTRAL)
    counts = 1 + rng.poisson(np.maximum(lam - 1.0, 0.0))
    user = np.repeat(active, counts)
    # the day's streams grouped by category, with cumulative weights
    cat = stream_category[lo:hi]
    order = np.argsort(cat, kind="stable")
    cum = np.cumsum(stream_weight[lo:hi][order])
    total = cum[-1]
    ncat = np.bincount(cat, minlength=n_categories)
    end_idx = np.cumsum(ncat)
    start_idx = end_idx - ncat
    c_hi = np.where(ncat > 0, cum[np.maximum(end_idx - 1, 0)], 0.0)
    c_lo = np.where(start_idx > 0, cum[np.maximum(start_idx - 1, 0)], 0.0)
    pref = preferred[user]
    pi = precision(factor[user], cfg)
    targeted = (rng.random(len(user)) < pi) & (ncat[pref] > 0)
    r = rng.random(len(user))
    x = np.where(targeted, c_lo[pref] + r * (c_hi[pref] - c_lo[pref]), r * total)
    pos = np.minimum(np.searchsorted(cum, x, side="right"), len(cum) - 1)
    stream = lo + order[pos]
    s0, s1 = stream_start[stream], stream_end[stream]
    at = s0 + (rng.random(len(user)) * (s1 - s0)).astype(np.int64)
    at = np.minimum(at, s1 - 1)
    return Exposures(user, stream, at, stream_category[stream] == pref)
