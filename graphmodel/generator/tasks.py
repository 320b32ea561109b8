"""Incentive tasks: watch X minutes for coins, share for a coupon (paper, section 3.2).

Switch: ``GeneratorConfig.tasks`` (off: the ``tasks`` and
``task_completions`` tables are empty and nobody watches longer or shares
more for a reward).

A share ``task_participation`` of users take part. Their watches last
``task_watch_boost`` times longer and they share ``task_share_boost`` times
as often (`graphmodel.generator.behaviour`). Each task can be completed
once per user and day; the completion time is the moment the threshold is
reached (for watch tasks, inside the watch that crosses it):

======  =======  =========  =====================  ============================
task    kind     threshold  reward                 why
======  =======  =========  =====================  ============================
t01     watch    900 s      900 coins              "watch 15 min for coins" (paper 3.2)
t02     watch    3,600 s    3,600 coins            TikTok Lite: 3,600 coins ~ one hour
t03     share    1          ``coupon_yuan`` coupon  "share for a coupon" (paper 3.2)
t04     comment  3          300 coins
t05     like     30 taps    100 coins
t06     invite   1          2,000 coins            a contact arrived through your share
======  =======  =========  =====================  ============================

At 10,000 coins = 1 yuan ([docs/model.md, section 8][model-8]) the hour-long watch task pays
0.36 yuan. A coupon is redeemed with probability ``coupon_redeem_rate``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from graphmodel.generator.config import GeneratorConfig

__all__ = ["TASKS", "Completions", "complete"]

#: (kind, threshold, reward_coins, reward_coupon as a multiple of coupon_yuan)
TASKS = (
    ("watch", 900.0, 900, 0.0),
    ("watch", 3600.0, 3600, 0.0),
    ("share", 1.0, 0, 1.0),
    ("comment", 3.0, 300, 0.0),
    ("like", 30.0, 100, 0.0),
    ("invite", 1.0, 2000, 0.0),
)


@dataclass
class Completions:
    user: np.ndarray
    task: np.ndarray
    at: np.ndarray
    coins: np.ndarray
    coupon: np.ndarray
    redeemed: np.ndarray

    @classmethod
    def empty(cls) -> Completions:
        e = np.zeros(0, dtype=np.int64)
        return cls(e, e, e, e, e.astype(float), e.astype(bool))


def _crossings(
    user: np.ndarray, at: np.ndarray, amount: np.ndarray, threshold: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per user, the event at which the running total of ``amount`` (in time order) reaches ``threshold``.

    Returns the users, the crossing events' positions and the amount still
    missing before each crossing event.
    """
    if not len(user):
        e = np.zeros(0, dtype=np.int64)
        return e, e, e.astype(float)
    order = np.lexsort((np.arange(len(user)), at, user))
    u, a = user[order], amount[order].astype(float)
    cum = np.cumsum(a)
    starts = np.r_[True, u[1:] != u[:-1]]
    base = np.maximum.accumulate(np.where(starts, cum - a, -np.inf))
    run = cum - base
    before = run - a
    hit = (run >= threshold) & (before < threshold)
    return u[hit], order[hit], threshold - before[hit]


def complete(
    task_user: np.ndarray,
    watch_user: np.ndarray,
    watch_at: np.ndarray,
    watch_seconds: np.ndarray,
    share_user: np.ndarray,
    share_at: np.ndarray,
    comment_user: np.ndarray,
    comment_at: np.ndarray,
    like_user: np.ndarray,
    like_at: np.ndarray,
    like_count: np.ndarray,
    invite_user: np.ndarray,
    invite_at: np.ndarray,
    rng: np.random.Generator,
    cfg: GeneratorConfig,
) -> Completions:
    """The day's task completions by task users, from the day's events."""
    parts = []
    for t, (kind, threshold, coins, coupon) in enumerate(TASKS):
        if kind == "watch":
            user, at, amount = watch_user, watch_at, watch_seconds.astype(float)
        elif kind == "share":
            user, at, amount = share_user, share_at, np.ones(len(share_user))
        elif kind == "comment":
            user, at, amount = comment_user, comment_at, np.ones(len(comment_user))
        elif kind == "like":
            user, at, amount = like_user, like_at, like_count.astype(float)
        else:
            user, at, amount = invite_user, invite_at, np.ones(len(invite_user))
        take = task_user[user]
        u, pos, missing = _crossings(user[take], at[take], amount[take], threshold)
        when = at[take][pos]
        if kind == "watch":  # inside the crossing watch
            when = when + np.ceil(missing).astype(np.int64)
        parts.append(
            (
                u,
                np.full(len(u), t),
                when,
                np.full(len(u), coins),
                np.full(len(u), coupon * cfg.coupon_yuan),
            )
        )
    user = np.concatenate([p[0] for p in parts])
    task = np.concatenate([p[1] for p in parts])
    at = np.concatenate([p[2] for p in parts]).astype(np.int64)
    coins = np.concatenate([p[3] for p in parts]).astype(np.int64)
    coupon = np.concatenate([p[4] for p in parts]).astype(float)
    order = np.lexsort((task, user, at))
    user, task, at, coins, coupon = user[order], task[order], at[order], coins[order], coupon[order]
    redeemed = (coupon > 0) & (rng.random(len(user)) < cfg.coupon_redeem_rate)
    return Completions(user, task, at, coins, coupon, redeemed)
