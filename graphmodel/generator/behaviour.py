"""What a user does in a live room: watch, like, comment, share, buy.

Always on; the shares are switched by ``GeneratorConfig.shares``. For one
watch by user ``u`` of stream ``s`` entering at ``at``:

- **seconds** = ``session_minutes`` x 60 x the user's session multiplier x a
  lognormal (mean 1, sigma 0.9) x ``match_boost`` if the stream is of the
  user's preferred category x ``task_watch_boost`` if the user takes part
  in tasks (and tasks are on), whole seconds, at least 1, cut at the
  stream's end (a watch never runs past ``ended_at``);
- **like events**: Poisson(``like_rate`` x minutes x like propensity); each
  a burst of taps, ``count`` ~ Geometric with mean ``like_taps`` (>= 1);
- **comments**: Poisson(``comment_rate`` x minutes x comment propensity x
  the stream's comment heat);
- **purchases**: Poisson(``purchase_rate`` x buying propensity x
  sqrt(seconds / mean session) x ``match_boost`` if matched x the stream's
  *comment pull* ``m_s``), each a product of the stream's lineup at its
  price;
- **a share** with probability ``min(1, share_rate`` x share propensity x
  ``task_share_boost`` for task users``)``.

Comments drive GMV across streams. After the day's recommended watches have
commented, each stream's comment density relative to what its audience
would have written without the stream's heat, ``k_s = (C_s + 1) / (E_s +
1)``, gives the pull ``m_s = k_s ** comment_elasticity``, normalised to
mean 1 over the day's watches: a lively comment section (lucky-bag draws,
questions answered) makes viewers buy more. Because comment counts also
grow with audience size, the per-stream log-log slope of GMV on comments
lies between ``comment_elasticity`` and 1; the defaults put it near the
0.29 of Song et al. (2021) (see ``docs/generator.md``).

Times: likes, comments and purchases fall uniformly in ``[at, at +
seconds]``; a share in ``[at + 1, at + seconds]``, strictly after the
sharer's arrival.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from graphmodel.generator.config import GeneratorConfig
from graphmodel.generator.population import Population, lognormal_mean1

__all__ = ["Watches", "Acts", "watch_seconds", "act", "comment_pull", "purchases"]

_SESSION_SIGMA = 0.9


@dataclass
class Watches:
    user: np.ndarray
    stream: np.ndarray
    at: np.ndarray
    seconds: np.ndarray
    match: np.ndarray
    via: np.ndarray  # index of the share in the day's share list, -1 if none

    def __len__(self) -> int:
        return len(self.user)


@dataclass
class Acts:
    """Events produced by watches: ``watch`` is the index of the watch that made each."""

    like_watch: np.ndarray
    like_at: np.ndarray
    like_count: np.ndarray
    comment_watch: np.ndarray
    comment_at: np.ndarray
    share_watch: np.ndarray
    share_at: np.ndarray


def watch_seconds(
    user: np.ndarray,
    match: np.ndarray,
    at: np.ndarray,
    end: np.ndarray,
    pop: Population,
    rng: np.random.Generator,
    cfg: GeneratorConfig,
) -> np.ndarray:
    """Seconds watched, whole, >= 1, never past the stream's end."""
    mult = pop.session[user] * lognormal_mean1(rng, _SESSION_SIGMA, len(user))
    mult = mult * np.where(match, cfg.match_boost, 1.0)
    if cfg.tasks:
        mult = mult * np.where(pop.task_user[user], cfg.task_watch_boost, 1.0)
    secs = np.round(cfg.session_minutes * 60.0 * mult).astype(np.int64)
    return np.clip(secs, 1, end - at)


def _spread(
    rng: np.random.Generator,
    counts: np.ndarray,
    at: np.ndarray,
    seconds: np.ndarray,
    first: int = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """Repeat each watch ``counts`` times; times uniform in ``[at + first, at + seconds]``."""
    idx = np.repeat(np.arange(len(counts)), counts)
    span = seconds[idx] - first + 1
    t = at[idx] + first + (rng.random(len(idx)) * span).astype(np.int64)
    return idx, np.minimum(t, at[idx] + seconds[idx])


def act(
    w: Watches, heat: np.ndarray, pop: Population, rng: np.random.Generator, cfg: GeneratorConfig
) -> Acts:
    """Likes, comments and shares of the watches ``w``; ``heat`` per stream index."""
    u = w.user
    minutes = w.seconds / 60.0
    n_like = rng.poisson(cfg.like_rate * minutes * pop.like[u])
    like_watch, like_at = _spread(rng, n_like, w.at, w.seconds)
    like_count = rng.geometric(1.0 / cfg.like_taps, len(like_watch))
    n_comment = rng.poisson(cfg.comment_rate * minutes * pop.comment[u] * heat[w.stream])
    comment_watch, comment_at = _spread(rng, n_comment, w.at, w.seconds)
    draw = rng.random(len(u))  # drawn even with sharing off, so the draws after it stay put
    if cfg.shares:
        p = cfg.share_rate * pop.share[u]
        if cfg.tasks:
            p = p * np.where(pop.task_user[u], cfg.task_share_boost, 1.0)
        shared = (draw < np.minimum(p, 1.0)).astype(np.int64)
    else:
        shared = np.zeros(len(u), dtype=np.int64)
    share_watch, share_at = _spread(rng, shared, w.at, w.seconds, first=1)
    return Acts(like_watch, like_at, like_count, comment_watch, comment_at, share_watch, share_at)


def comment_pull(
    w: Watches, acts: Acts, heat: np.ndarray, pop: Population, n_streams: int, cfg: GeneratorConfig
) -> np.ndarray:
    """Per stream index: ``m_s = ((C_s + 1) / (E_s + 1)) ** comment_elasticity``, mean 1 over watches."""
    comments = np.bincount(w.stream[acts.comment_watch], minlength=n_streams)
    expected = np.bincount(
        w.stream,
        weights=cfg.comment_rate * w.seconds / 60.0 * pop.comment[w.user],
        minlength=n_streams,
    )
    pull = ((comments + 1.0) / (expected + 1.0)) ** cfg.comment_elasticity
    mean = pull[w.stream].mean() if len(w) else 1.0
    return pull / mean if mean > 0 else pull


@dataclass
class Purchases:
    watch: np.ndarray
    at: np.ndarray
    product: np.ndarray
    amount: np.ndarray


def purchases(
    w: Watches,
    pull: np.ndarray,
    lineup: np.ndarray,
    price: np.ndarray,
    pop: Population,
    rng: np.random.Generator,
    cfg: GeneratorConfig,
) -> Purchases:
    """Orders placed during the watches ``w``; ``pull`` is the comment pull per stream index."""
    rel = np.sqrt(w.seconds / (cfg.session_minutes * 60.0))
    lam = (
        cfg.purchase_rate
        * pop.buy[w.user]
        * rel
        * np.where(w.match, cfg.match_boost, 1.0)
        * pull[w.stream]
    )
    n = rng.poisson(lam)
    watch, at = _spread(rng, n, w.at, w.seconds)
    slot = rng.integers(0, lineup.shape[1], len(watch))
    product = lineup[w.stream[watch], slot]
    return Purchases(watch, at, product, price[product])
