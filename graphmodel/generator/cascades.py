"""Shares that travel: channels, recipients, arrivals and re-shares ([docs/model.md, section 6][model-6]).

Switch: ``GeneratorConfig.shares`` (off: no share events, no ``via_share``,
no referrals); without the social graph (``social`` off) shares are still
made but reach nobody.

A share goes out on a channel, drawn with `CHANNEL_WEIGHTS`, and
reaches the sharer's contacts that channel uses: in-app (``douyin``) and
``other`` reach friends and followers, ``wechat`` and ``qq`` reach friends
(external contacts), ``weibo`` reaches followers. It brings Poisson(
``arrivals_per_share`` x channel reach) arrivals, each a random member of
that pool (a share to nobody brings nobody). A recipient arrives after
``1 + Exponential(share_delay_minutes)`` seconds with a watch whose
``via_share`` is the share, strictly after it, unless the stream has ended
by then or the recipient already watches the stream (then the share is
nothing new to them). So every referred watch is the recipient's first and
only arrival in the stream, and the referral edges of a stream form a
forest.

The arrivals then behave like any viewer (`graphmodel.generator.behaviour`),
and may share again: the simulation runs generation by generation, each a
vectorised step over all the day's shares of the previous generation, until
no share is left (at most ``max_generations``). The share of shares that
draw no further share, 0.93 on Twitter (Goel, Watts et al.), is a
calibration target: with the default rates about one share in fourteen
brings somebody who shares again.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from graphmodel.generator.config import GeneratorConfig
from graphmodel.generator.social import Social

__all__ = ["CHANNEL_WEIGHTS", "CHANNEL_REACH", "choose_channels", "Arrivals", "arrive"]

#: Share of shares per channel: douyin, wechat, weibo, qq, other.
CHANNEL_WEIGHTS = (0.40, 0.35, 0.08, 0.12, 0.05)
#: Relative number of arrivals a share brings per channel (private chats convert best).
CHANNEL_REACH = (1.0, 1.3, 0.6, 1.0, 0.5)
_USES_FRIENDS = np.array([True, True, False, True, True])
_USES_FOLLOWERS = np.array([True, False, True, False, True])


def choose_channels(n: int, rng: np.random.Generator) -> np.ndarray:
    """Channel codes (indices into ``schema.CHANNELS``) of ``n`` shares."""
    w = np.asarray(CHANNEL_WEIGHTS)
    return rng.choice(len(w), size=n, p=w / w.sum())


def _reach() -> np.ndarray:
    w = np.asarray(CHANNEL_WEIGHTS) / np.sum(CHANNEL_WEIGHTS)
    r = np.asarray(CHANNEL_REACH)
    return r / float(w @ r)


@dataclass
class Arrivals:
    user: np.ndarray
    stream: np.ndarray
    at: np.ndarray
    share: np.ndarray  # index of the share each arrival came through


def arrive(
    sharer: np.ndarray,
    stream: np.ndarray,
    at: np.ndarray,
    channel: np.ndarray,
    share_index: np.ndarray,
    social: Social,
    stream_end: np.ndarray,
    watched: np.ndarray,
    n_streams: int,
    rng: np.random.Generator,
    cfg: GeneratorConfig,
) -> Arrivals:
    """The arrivals brought by one generation of shares.

    ``watched`` is the sorted array of keys ``user * n_streams + stream``
    already watching; recipients among them are dropped, and a recipient
    reached by several shares of the generation arrives once, through the
    earliest.
    """
    friends, followers = social.friends, social.followers
    nf = np.where(_USES_FRIENDS[channel], friends.degree(sharer), 0)
    nfo = np.where(_USES_FOLLOWERS[channel], followers.degree(sharer), 0)
    pool = nf + nfo
    k = rng.poisson(cfg.arrivals_per_share * _reach()[channel]) * (pool > 0)
    idx = np.repeat(np.arange(len(sharer)), k)
    u = sharer[idx]
    r = (rng.random(len(idx)) * pool[idx]).astype(np.int64)
    from_friends = r < nf[idx]
    fpos = np.where(from_friends, friends.indptr[u] + r, 0)
    opos = np.where(from_friends, 0, followers.indptr[u] + r - nf[idx])
    fr = friends.indices[fpos] if len(friends.indices) else np.zeros(len(idx), dtype=np.int64)
    fo = followers.indices[opos] if len(followers.indices) else np.zeros(len(idx), dtype=np.int64)
    recipient = np.where(from_friends, fr, fo)
    delay = 1 + (rng.exponential(cfg.share_delay_minutes * 60.0, len(idx))).astype(np.int64)
    s = stream[idx]
    t = at[idx] + delay
    key = recipient * n_streams + s
    ok = (t < stream_end[s]) & (recipient != u) & ~_isin_sorted(key, watched)
    idx, recipient, s, t, key = idx[ok], recipient[ok], s[ok], t[ok], key[ok]
    order = np.lexsort((share_index[idx], t, key))
    key = key[order]
    first = np.r_[True, key[1:] != key[:-1]] if len(key) else np.zeros(0, dtype=bool)
    keep = order[first]
    return Arrivals(recipient[keep], s[keep], t[keep], share_index[idx[keep]])


def _isin_sorted(values: np.ndarray, sorted_keys: np.ndarray) -> np.ndarray:
    if not len(sorted_keys) or not len(values):
        return np.zeros(len(values), dtype=bool)
    pos = np.minimum(np.searchsorted(sorted_keys, values), len(sorted_keys) - 1)
    return sorted_keys[pos] == values
