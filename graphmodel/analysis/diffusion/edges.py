"""Influence edges of the social graph and their probabilities ([docs/model.md, section 6][model-6]).

**The graph.** Nodes are the platform's users (the ``users`` table, in its
order). A ``follow`` row ``w -> u`` (``w`` follows ``u``) lets influence flow
``u -> w``: ``w`` sees what ``u`` shares. A ``friend`` row is mutual, so it
gives both ``u -> w`` and ``w -> u`` (as in `graphmodel.model.social.follow_edges`).
A pair tied by a follow and a friendship is one influence edge. Follows of
*streamers* are left out: streamers never share (every share event is a
user's), so they cannot pass a share on, and the seeds a platform would
target with share-for-coupon tasks are users.

**Probability rules** for the influence edge ``u -> w``:

``estimated``  from the log: ``referrals`` over ``exposures`` with shrinkage
               to the pooled rate (below).
``wc``         weighted cascade: ``p = 1 / d_in(w)``, ``d_in(w)`` the number of
               users ``w`` is influenced by (Kempe, Kleinberg & Tardos 2003,
               section 2; Chen, Wang & Wang 2010).
``constant``   ``p`` for every edge (Kempe et al. 2003 use 0.01 and 0.1).

**The estimate.** ``r_uw`` = the ``REFERRED`` edges ``u -> w`` in any stream
(``w``'s first arrival in a stream was through a share by ``u``).
``x_u`` = the number of streams in which ``u`` shared: each such stream
exposes every social out-neighbour of ``u`` once. A stream counts once
however often ``u`` shared in it, because the first-arrival rule lets ``u``
refer ``w`` at most once per stream (a second share in the same stream is
not a second chance for the edge, which is exactly one IC activation
attempt). Then

    p_uw = (r_uw + m * p0) / (x_u + m),     p0 = sum r / sum x  (over all influence edges)

the posterior mean of a Beta(m p0, m (1 - p0)) prior centred on the pooled
rate ``p0`` (empirical-Bayes shrinkage, "m pseudo-exposures"; default
``m = 1``), clipped to [0, 1]. An edge whose source never shared (``x_u = 0``)
has no evidence and gets ``p0``; one failure halves ``p0`` at ``m = 1``; one
success out of one gives about 1/2, not the raw 1. ``m = 0`` is the raw ratio
``r / x`` with the same ``p0`` fallback for ``x = 0``. Referrals between users
with no social tie (possible in a real log) are not on any edge: they are
counted in ``info["referrals_off_graph"]`` and left out of ``p0``.

**LT weights.** The Linear Threshold model needs ``sum_u b_uw <= 1`` over
``w``'s in-edges; ``b_uw = p_uw / max(1, sum_v p_vw)``: unchanged where the
sum is at most 1 (always for ``wc``, where it is exactly 1), scaled down to
sum to 1 where it is larger.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from graphmodel.errors import UserError

__all__ = ["RULES", "EDGE_COLUMNS", "influence_edges", "apply_rule", "lt_weights"]

#: The probability rules.
RULES = ("estimated", "wc", "constant")

#: Columns of `influence_edges` (``p`` added by `apply_rule`).
EDGE_COLUMNS = ["source", "target", "referrals", "exposures", "in_degree"]


def influence_edges(store) -> tuple[pd.Series, pd.DataFrame, dict]:
    """The users and the influence edges of the social graph, with their log counts.

    Returns
    -------
    users : Series
        The user ids, in the order of the ``users`` table (node ``i`` is ``users[i]``).
    edges : DataFrame
        One row per influence edge ``source -> target`` (node indices, sorted by
        source then target), columns `EDGE_COLUMNS`: ``referrals`` ``r_uw``,
        ``exposures`` ``x_u`` (streams in which the source shared) and ``in_degree``
        ``d_in`` of the target.
    info : dict
        ``referrals_on_graph``, ``referrals_off_graph``, ``exposures`` (sum of ``x_u``
        over edges), ``follow_rows_to_streamers`` (left out).
    """
    users = store.table("users")["user_id"].astype(str).reset_index(drop=True)
    index = pd.Index(users)
    f = store.table("follows")
    follower = index.get_indexer(f["follower_id"].astype(str))
    followee = index.get_indexer(f["followee_id"].astype(str))
    friend = (f["kind"] == "friend").to_numpy(dtype=bool)
    # influence flows followee -> follower; a friend row also the other way
    src = np.concatenate([followee, follower[friend]])
    dst = np.concatenate([follower, followee[friend]])
    ok = (src >= 0) & (dst >= 0) & (src != dst)
    n = len(users)
    nn = max(n, 1)
    key = np.sort(src[ok].astype(np.int64) * nn + dst[ok])
    key = key[np.r_[True, key[1:] != key[:-1]]] if len(key) else key
    s, t = key // nn, key % nn

    events = store.table("events")
    shares = events.loc[events["type"] == "share", ["user_id", "stream_id"]].drop_duplicates()
    sharer = index.get_indexer(shares["user_id"].astype(str))
    x = np.bincount(sharer[sharer >= 0], minlength=n)

    refs = store.referrals()
    ru = index.get_indexer(refs["referrer_id"].astype(str))
    rw = index.get_indexer(refs["user_id"].astype(str))
    good = (ru >= 0) & (rw >= 0)
    rkey = ru[good].astype(np.int64) * nn + rw[good]
    if len(key):
        pos = np.minimum(np.searchsorted(key, rkey), len(key) - 1)
        on = key[pos] == rkey
    else:
        pos, on = np.zeros(len(rkey), dtype=np.int64), np.zeros(len(rkey), dtype=bool)
    r = np.bincount(pos[on], minlength=len(key))
    in_degree = np.bincount(t, minlength=n)

    edges = pd.DataFrame({
        "source": s.astype(np.int64),
        "target": t.astype(np.int64),
        "referrals": r.astype(np.int64),
        "exposures": x[s].astype(np.int64),
        "in_degree": in_degree[t].astype(np.int64),
    })
    info = {
        "referrals_on_graph": int(on.sum()),
        "referrals_off_graph": int(len(refs) - on.sum()),
        "exposures": int(edges["exposures"].sum()),
        "follow_rows_to_streamers": int(((~friend) & (follower >= 0) & (followee < 0)).sum()),
    }
    return users, edges, info


def apply_rule(edges: pd.DataFrame, rule: str = "estimated", p: float | None = None,
               smoothing: float = 1.0) -> tuple[np.ndarray, dict]:
    """Edge probabilities by ``rule`` (see the module docstring for the formulas).

    Parameters
    ----------
    edges : DataFrame
        From `influence_edges`.
    rule : {"estimated", "wc", "constant"}
    p : float, optional
        The constant probability; required for ``constant``, refused otherwise.
    smoothing : float
        ``m``, the prior's pseudo-exposures for ``estimated`` (>= 0).

    Returns
    -------
    prob : ndarray of float64 in [0, 1], one per edge
    info : dict
        ``pooled_rate`` ``p0`` for ``estimated``.

    Raises
    ------
    UserError
        An unknown rule, a missing or out-of-range ``p``, ``p`` with another rule,
        a negative ``smoothing``, or ``estimated`` on a log without shares.
    """
    if rule not in RULES:
        raise UserError(f"unknown probability rule {rule!r}; choose one of {', '.join(RULES)}")
    if rule != "constant" and p is not None:
        raise UserError(f"--p is the constant probability: it needs --probability constant, not {rule}")
    if rule == "constant":
        if p is None:
            raise UserError("--probability constant needs --p FLOAT (in [0, 1])")
        if not 0.0 <= p <= 1.0:
            raise UserError(f"--p must be in [0, 1], got {p}")
        return np.full(len(edges), float(p)), {}
    if rule == "wc":
        return 1.0 / edges["in_degree"].to_numpy(dtype=np.float64), {}
    if not smoothing >= 0:
        raise UserError(f"smoothing must be >= 0, got {smoothing}")
    r = edges["referrals"].to_numpy(dtype=np.float64)
    x = edges["exposures"].to_numpy(dtype=np.float64)
    if len(edges) and x.sum() == 0:
        raise UserError("the log has no shares by users with followers or friends, so there is "
                        "nothing to estimate from: use --probability wc or constant")
    p0 = float(r.sum() / x.sum()) if len(edges) else 0.0
    with np.errstate(divide="ignore", invalid="ignore"):
        est = (r + smoothing * p0) / (x + smoothing)
    est = np.where(x > 0, est, p0)
    return np.clip(est, 0.0, 1.0), {"pooled_rate": p0}


def lt_weights(target: np.ndarray, prob: np.ndarray, n: int) -> np.ndarray:
    """LT weights ``b_uw = p_uw / max(1, sum_v p_vw)``: each node's in-weights sum to <= 1."""
    total = np.bincount(target, weights=prob, minlength=n)
    return prob / np.maximum(1.0, total)[target]
