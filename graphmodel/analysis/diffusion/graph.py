"""The social graph as CSR arrays with edge probabilities: what the diffusion kernels run on.

Nodes are ``0 .. n-1`` (``ids[i]`` is node ``i``'s user id). Edge ``e`` runs
``src[e] -> dst[e]``, sorted by source then target, with IC probability
``prob[e]`` and LT weight ``weight[e]``
(`graphmodel.analysis.diffusion.edges.lt_weights`). Two compressed views:

- **out** (forward simulation): the out-edges of ``u`` are ``out_ptr[u]:out_ptr[u+1]``
  of ``dst``/``prob``/``weight`` (edge order itself);
- **in** (reverse-reachable sets): the in-edges of ``w`` are ``in_ptr[w]:in_ptr[w+1]``
  of ``in_src``/``in_prob``/``in_weight``, sources ascending.

For the live-edge form of LT (Kempe, Kleinberg & Tardos 2003, Claim 2.6: each
node ``w`` keeps at most one in-edge, ``u -> w`` with probability ``b_uw``,
none with ``1 - sum_u b_uw``) each edge also owns the interval
``[lt_lo[e], lt_hi[e])`` of ``w``'s cumulative in-weights: with ``U_w`` uniform,
``u -> w`` is the kept edge iff ``lt_lo[e] <= U_w < lt_hi[e]``.

``in_common[w]`` (``in_common_weight[w]``) is the probability (LT weight) all of
``w``'s in-edges share, or -1 where they differ. Under the weighted-cascade and
constant rules every node has one, and the RR sets use it to skip over dead
in-edges (`graphmodel.analysis.diffusion.rrsets`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from graphmodel.analysis.diffusion.edges import apply_rule, influence_edges, lt_weights
from graphmodel.errors import UserError

__all__ = ["DiffusionGraph", "social_graph"]


@dataclass(frozen=True, eq=False)
class DiffusionGraph:
    """A directed graph in CSR form with IC probabilities and LT weights per edge."""

    ids: np.ndarray
    src: np.ndarray
    dst: np.ndarray
    prob: np.ndarray
    weight: np.ndarray
    out_ptr: np.ndarray
    in_ptr: np.ndarray
    in_src: np.ndarray
    in_prob: np.ndarray
    in_weight: np.ndarray
    in_common: np.ndarray
    in_common_weight: np.ndarray
    lt_lo: np.ndarray
    lt_hi: np.ndarray
    info: dict = field(default_factory=dict)

    @property
    def n(self) -> int:
        """Number of nodes."""
        return len(self.ids)

    @property
    def m(self) -> int:
        """Number of edges."""
        return len(self.src)

    def out_degree(self) -> np.ndarray:
        """Out-degree of every node."""
        return np.diff(self.out_ptr)

    @classmethod
    def from_edges(cls, ids, src, dst, prob, info: dict | None = None) -> DiffusionGraph:
        """Build from an edge list (node indices into ``ids``) and IC probabilities.

        Duplicate ``(src, dst)`` pairs and self-loops are refused; probabilities must
        lie in [0, 1]. LT weights are `lt_weights`.
        """
        ids = np.asarray(ids, dtype=object)
        n = len(ids)
        src = np.asarray(src, dtype=np.int64)
        dst = np.asarray(dst, dtype=np.int64)
        prob = np.asarray(prob, dtype=np.float64)
        if not (len(src) == len(dst) == len(prob)):
            raise ValueError("src, dst and prob must have the same length")
        if len(src) and (src.min() < 0 or dst.min() < 0 or max(src.max(), dst.max()) >= n):
            raise ValueError("edge endpoints must be node indices in 0..n-1")
        if len(prob) and not (np.all(prob >= 0) and np.all(prob <= 1)):
            raise ValueError("probabilities must lie in [0, 1]")
        if np.any(src == dst):
            raise ValueError("self-loops are not allowed")
        order = np.lexsort((dst, src))
        src, dst, prob = src[order], dst[order], prob[order]
        key = src * max(n, 1) + dst
        if len(key) > 1 and np.any(key[1:] == key[:-1]):
            raise ValueError("duplicate edges")
        weight = lt_weights(dst, prob, n)
        out_ptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(src, minlength=n), out=out_ptr[1:])
        in_order = np.lexsort((src, dst))  # by target, then source
        in_ptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(dst, minlength=n), out=in_ptr[1:])
        in_weight = weight[in_order]
        # w's in-edges split [0, sum_u b_uw) into consecutive intervals, in source order
        cs = np.concatenate([[0.0], np.cumsum(in_weight)])
        base = cs[in_ptr[dst[in_order]]]
        lo_in, hi_in = cs[:-1] - base, cs[1:] - base
        lt_lo = np.empty(len(src))
        lt_hi = np.empty(len(src))
        lt_lo[in_order] = lo_in
        lt_hi[in_order] = hi_in
        in_prob = prob[in_order]
        return cls(ids=ids, src=src, dst=dst, prob=prob, weight=weight, out_ptr=out_ptr,
                   in_ptr=in_ptr, in_src=src[in_order], in_prob=in_prob, in_weight=in_weight,
                   in_common=_common(in_prob, in_ptr), in_common_weight=_common(in_weight, in_ptr),
                   lt_lo=lt_lo, lt_hi=lt_hi, info=dict(info or {}))

    def index(self, user_ids) -> np.ndarray:
        """Node indices of ``user_ids`` (order kept, duplicates dropped).

        Raises
        ------
        UserError
            No ids, or ids that are not users of the graph (all of them named).
        """
        wanted = list(dict.fromkeys(str(u) for u in user_ids))
        if not wanted:
            raise UserError("no seed users given (--seeds ID,ID,...)")
        idx = pd.Index(self.ids.astype(str)).get_indexer(wanted)
        unknown = [u for u, i in zip(wanted, idx, strict=True) if i < 0]
        if unknown:
            shown = ", ".join(unknown[:10]) + (f" and {len(unknown) - 10} more" if len(unknown) > 10 else "")
            raise UserError(f"unknown seed user id(s): {shown}")
        return idx.astype(np.int64)

    def edge_table(self) -> pd.DataFrame:
        """The edges as a table: ``source, target`` (user ids), ``p``, ``lt_weight``."""
        return pd.DataFrame({"source": self.ids[self.src].astype(str),
                             "target": self.ids[self.dst].astype(str),
                             "p": self.prob, "lt_weight": self.weight})


def _common(values: np.ndarray, ptr: np.ndarray) -> np.ndarray:
    """Per node, the value all its in-edges share, or -1 where they differ (or it has none)."""
    n = len(ptr) - 1
    out = np.full(n, -1.0)
    has = np.flatnonzero(np.diff(ptr) > 0)
    if len(has):
        lo = np.minimum.reduceat(values, ptr[has])
        hi = np.maximum.reduceat(values, ptr[has])
        out[has] = np.where(lo == hi, lo, -1.0)
    return out


def social_graph(store, probability: str = "wc", p: float | None = None,
                 smoothing: float = 1.0) -> DiffusionGraph:
    """The users' influence graph of ``store`` with probabilities by ``probability``.

    See `graphmodel.analysis.diffusion.edges` for the graph and the rules. ``info``
    records the counts behind the ``estimated`` rule and the pooled rate.
    """
    users, edges, info = influence_edges(store)
    prob, rule_info = apply_rule(edges, probability, p=p, smoothing=smoothing)
    info = {**info, **rule_info, "nodes": len(users), "edges": len(edges)}
    if not len(users):
        raise UserError("the log has no users: nothing to simulate")
    return DiffusionGraph.from_edges(users.to_numpy(dtype=object), edges["source"].to_numpy(),
                                     edges["target"].to_numpy(), prob, info=info)
