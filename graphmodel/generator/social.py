"""The social graph: friend ties among users, follows of users and of streamers.

Switch: ``GeneratorConfig.social``. Off, the ``follows`` table is empty and a
share reaches nobody (there is no one to send it to).

- **Friend ties** (external contacts, as on WeChat or QQ): about
  ``users * friends_mean / 2`` pairs. One end is drawn in proportion to
  sociability; the other is, with probability ``community_friends``, a
  random member of the same community (a block of ``community_size`` users,
  which gives the graph clustering), otherwise again by sociability. Each
  pair is written once, ``kind='friend'``, lower user index first.
- **Follows of users**: ``follows_users_mean`` per user on average,
  followee drawn in proportion to sociability squared, so in-degrees are
  heavy-tailed (a few users are followed by many).
- **Follows of streamers**: ``follows_streamers_mean`` per user, followee in
  proportion to the streamer's popularity (lognormal, sigma 1: heavy-tailed).

``since`` is uniform between the later of the two ``joined_at`` and the
first simulated day. Duplicates and self-ties are dropped.

Cascades use two adjacency lists (CSR): each user's friends, and each
user's followers among users.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from graphmodel.generator.config import GeneratorConfig
from graphmodel.generator.population import Population

__all__ = ["Social", "make_social", "Adjacency"]


@dataclass
class Adjacency:
    """CSR adjacency: the neighbours of node ``i`` are ``indices[indptr[i]:indptr[i+1]]``."""

    indptr: np.ndarray
    indices: np.ndarray

    @classmethod
    def build(cls, n: int, src: np.ndarray, dst: np.ndarray) -> Adjacency:
        order = np.argsort(src, kind="stable")
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(src, minlength=n), out=indptr[1:])
        return cls(indptr, dst[order].astype(np.int64))

    def degree(self, nodes: np.ndarray) -> np.ndarray:
        return self.indptr[nodes + 1] - self.indptr[nodes]


@dataclass
class Social:
    # follows rows
    follower: np.ndarray
    followee: np.ndarray
    followee_streamer: np.ndarray  # bool: followee is a streamer index, else a user index
    friend: np.ndarray  # bool: kind friend, else follow
    since: np.ndarray  # seconds since the epoch
    # adjacency used by cascades
    friends: Adjacency
    followers: Adjacency


def _weighted(rng: np.random.Generator, weights: np.ndarray, size: int) -> np.ndarray:
    cum = np.cumsum(weights, dtype=np.float64)
    idx = np.searchsorted(cum, rng.random(size) * cum[-1], side="right")
    return np.minimum(idx, len(weights) - 1)


def _first_unique(key: np.ndarray) -> np.ndarray:
    """Positions of the first occurrence of each key, in original order."""
    _, first = np.unique(key, return_index=True)
    return np.sort(first)


def empty_social(n_users: int) -> Social:
    e = np.zeros(0, dtype=np.int64)
    adj = Adjacency(np.zeros(n_users + 1, dtype=np.int64), e)
    return Social(e, e, e.astype(bool), e.astype(bool), e, adj, adj)


def make_social(
    cfg: GeneratorConfig,
    pop: Population,
    streamer_popularity: np.ndarray,
    rng: np.random.Generator,
    start_s: int,
) -> Social:
    n = pop.n
    if not cfg.social or n < 2:
        return empty_social(n)
    # friend pairs
    target = round(n * cfg.friends_mean / 2)
    draws = int(target * 1.2) + 8
    a = _weighted(rng, pop.sociability, draws)
    order = np.argsort(pop.community, kind="stable")
    sizes = np.bincount(pop.community)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    c = pop.community[a]
    local = order[
        starts[c] + np.minimum((rng.random(draws) * sizes[c]).astype(np.int64), sizes[c] - 1)
    ]
    other = _weighted(rng, pop.sociability, draws)
    b = np.where(rng.random(draws) < cfg.community_friends, local, other)
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    ok = lo != hi
    lo, hi = lo[ok], hi[ok]
    keep = _first_unique(lo * n + hi)[:target]
    f_lo, f_hi = lo[keep], hi[keep]
    # follows of users: heavy-tailed in-degree
    m = round(n * cfg.follows_users_mean)
    fu_src = rng.integers(0, n, m)
    fu_dst = _weighted(rng, pop.sociability**2, m)
    ok = fu_src != fu_dst
    fu_src, fu_dst = fu_src[ok], fu_dst[ok]
    keep = _first_unique(fu_src * n + fu_dst)
    fu_src, fu_dst = fu_src[keep], fu_dst[keep]
    # follows of streamers
    ns = len(streamer_popularity)
    m = round(n * cfg.follows_streamers_mean)
    fs_src = rng.integers(0, n, m)
    fs_dst = _weighted(rng, streamer_popularity, m)
    keep = _first_unique(fs_src * ns + fs_dst)
    fs_src, fs_dst = fs_src[keep], fs_dst[keep]

    follower = np.concatenate([f_lo, fu_src, fs_src])
    followee = np.concatenate([f_hi, fu_dst, fs_dst])
    is_streamer = np.concatenate(
        [np.zeros(len(f_lo) + len(fu_src), bool), np.ones(len(fs_src), bool)]
    )
    friend = np.concatenate([np.ones(len(f_lo), bool), np.zeros(len(fu_src) + len(fs_src), bool)])
    joined = pop.joined_at
    earliest = np.where(
        is_streamer,
        joined[follower],
        np.maximum(joined[follower], joined[np.where(is_streamer, 0, followee)]),
    )
    span = np.maximum(start_s - earliest, 1)
    since = earliest + (rng.random(len(follower)) * span).astype(np.int64)
    since = np.minimum(since, start_s - 1)
    friends = Adjacency.build(n, np.concatenate([f_lo, f_hi]), np.concatenate([f_hi, f_lo]))
    followers = Adjacency.build(n, fu_dst, fu_src)
    return Social(follower, followee, is_streamer, friend, since, friends, followers)
