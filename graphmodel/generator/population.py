"""Users and their traits: how often they come, how long they watch, what they like.

Each user ``u`` gets, once, for the whole run:

- ``activity`` ``a_u`` ~ Beta with mean ``daily_active`` and concentration
  ``activity_concentration``: the probability of opening the app on a day;
- multipliers with mean 1 (lognormal ``exp(N(-s^2/2, s))``) for session
  length, like, comment and share propensity, a Gamma(1) buying propensity
  (a few heavy buyers, many occasional ones) and a sociability (how many
  friends and followers they collect);
- a preferred category (what a precise profile would recommend);
- ``task_user``: whether they take part in incentive tasks;
- a community (a block of about ``community_size`` users) for friend ties;
- ``joined_at`` up to four years before the first day.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from graphmodel.generator.config import CATEGORY_WEIGHTS, GeneratorConfig

__all__ = ["Population", "make_population", "lognormal_mean1", "DAY"]

DAY = 86_400
_JOIN_WINDOW_DAYS = 4 * 365


def lognormal_mean1(rng: np.random.Generator, sigma: float, size: int) -> np.ndarray:
    """Lognormal draws with mean 1: ``exp(N(-sigma^2/2, sigma))``."""
    return np.exp(rng.normal(-0.5 * sigma * sigma, sigma, size)) if sigma > 0 else np.ones(size)


@dataclass
class Population:
    n: int
    activity: np.ndarray
    session: np.ndarray
    like: np.ndarray
    comment: np.ndarray
    share: np.ndarray
    buy: np.ndarray
    sociability: np.ndarray
    preferred: np.ndarray
    task_user: np.ndarray
    community: np.ndarray
    joined_at: np.ndarray  # seconds since the epoch

    def segment_codes(self) -> np.ndarray:
        """0 casual (a < 0.35), 1 regular, 2 daily (a >= 0.8)."""
        return np.digitize(self.activity, [0.35, 0.8])


SEGMENTS = ("casual", "regular", "daily")


def make_population(cfg: GeneratorConfig, rng: np.random.Generator, start_s: int) -> Population:
    n = cfg.users
    k = cfg.activity_concentration
    activity = rng.beta(cfg.daily_active * k, (1.0 - cfg.daily_active) * k, n)
    session = lognormal_mean1(rng, 0.5, n)
    like = lognormal_mean1(rng, 1.0, n)
    comment = lognormal_mean1(rng, 1.0, n)
    share = lognormal_mean1(rng, 0.8, n)
    buy = rng.gamma(1.0, 1.0, n)
    sociability = lognormal_mean1(rng, 0.7, n)
    w = np.asarray(CATEGORY_WEIGHTS) / np.sum(CATEGORY_WEIGHTS)
    preferred = rng.choice(len(w), size=n, p=w)
    task_user = rng.random(n) < cfg.task_participation
    community = np.empty(n, dtype=np.int64)
    community[rng.permutation(n)] = np.arange(n) // cfg.community_size
    joined_at = start_s - rng.integers(DAY, _JOIN_WINDOW_DAYS * DAY, n)
    return Population(
        n,
        activity,
        session,
        like,
        comment,
        share,
        buy,
        sociability,
        preferred,
        task_user,
        community,
        joined_at,
    )
