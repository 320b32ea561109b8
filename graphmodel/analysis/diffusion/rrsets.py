"""Random reverse-reachable (RR) sets (Borgs, Brautbar, Chayes & Lucier 2014; Tang et al. 2014, 2015).

An RR set is drawn by picking a root ``v`` uniformly among the ``n`` nodes,
drawing a live-edge graph ``g``, and taking every node that can reach ``v``
in ``g``. For any seed set ``S``,

    sigma(S) = n * Pr[S intersects a random RR set]            (Borgs et al., Observation 3.2)

so the fraction of ``theta`` RR sets that ``S`` covers, times ``n``, is an
unbiased estimate of the expected spread, and maximising coverage
maximises spread (`graphmodel.analysis.diffusion.imm`).

Only the part of ``g`` the reverse search touches is drawn:

- **IC**: a breadth-first search backwards from ``v``; the in-edge ``f`` of a
  reached node is live with probability ``p_f`` (each in-edge is looked at
  once, when its target is reached);
- **LT**: in the live-edge form each node keeps at most one in-edge
  (``u -> w`` with probability ``b_uw``), so the RR set is a backward random
  walk: from ``w`` step to the source of its kept in-edge, stop when it
  keeps none or the walk returns to a node already in the set
  (Tang, Xiao & Shi 2014, section 4).

**Skipping dead edges.** Under the weighted-cascade and constant rules all
in-edges of a node share one probability ``q`` (``in_common``). Then the gap
from one live in-edge to the next is Geometric(``q``), drawn as
``floor(ln(1 - U) / ln(1 - q))``: about ``1 + d q`` draws for ``d`` in-edges
instead of ``d`` (for weighted cascade, ``d q = 1``: two draws instead of
``d``), with exactly the same distribution of live edges (the skipping of
SUBSIM, Guo, Wang, Wei & Chen, SIGMOD 2020). Likewise an LT node with equal
weights ``c`` keeps in-edge ``floor(U / c)`` (none past the last), without a
scan.

RR set ``i`` draws from its own stream (`graphmodel.analysis.diffusion.rng`): the
root first, then the coins or gaps in the order of the search, so it depends
on the key and ``i`` only. The sets are stored flat: set ``i`` is
``nodes[offsets[i]:offsets[i+1]]``, root first.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from graphmodel.analysis.diffusion.graph import DiffusionGraph
from graphmodel.analysis.diffusion.parallel import Progress, run_chunks
from graphmodel.analysis.diffusion.rng import next_uniform, sample_key, stream

__all__ = ["RRSets", "rr_ic", "rr_lt", "rr_sets"]


@njit(cache=True, nogil=True)
def _grow(buf, need):
    if need <= len(buf):
        return buf
    bigger = np.empty(max(need, 2 * len(buf)), dtype=buf.dtype)
    bigger[: len(buf)] = buf
    return bigger


@njit(cache=True, nogil=True)
def rr_ic(in_ptr, in_src, in_prob, in_common, key, i0, i1):
    """IC RR sets ``i0 .. i1-1``: ``(nodes, offsets)`` with ``offsets[0] = 0``."""
    n = len(in_ptr) - 1
    mark = np.full(n, -1, dtype=np.int64)
    queue = np.empty(n, dtype=np.int64)
    offsets = np.empty(i1 - i0 + 1, dtype=np.int64)
    offsets[0] = 0
    nodes = np.empty(max(16, 4 * (i1 - i0)), dtype=np.int32)
    total = 0
    for i in range(i0, i1):
        s0, s1 = stream(sample_key(key, i))
        x, s0, s1 = next_uniform(s0, s1)
        v = min(np.int64(x * n), n - 1)
        mark[v] = i
        queue[0] = v
        head, tail = 0, 1
        while head < tail:
            w = queue[head]
            head += 1
            a, b = in_ptr[w], in_ptr[w + 1]
            q = in_common[w]
            if q < 0.0:  # in-edges of different probabilities: a coin each
                for f in range(a, b):
                    x, s0, s1 = next_uniform(s0, s1)
                    if x < in_prob[f]:
                        u = in_src[f]
                        if mark[u] != i:
                            mark[u] = i
                            queue[tail] = u
                            tail += 1
            elif q > 0.0:  # one probability q: jump from live edge to live edge
                lq = np.log1p(-q) if q < 1.0 else -np.inf
                f = a - 1
                while True:
                    x, s0, s1 = next_uniform(s0, s1)
                    gap = np.log1p(-x) / lq if q < 1.0 else 0.0  # failures: Geometric(q)
                    if gap >= b - f - 1:
                        break
                    f += 1 + np.int64(gap)
                    u = in_src[f]
                    if mark[u] != i:
                        mark[u] = i
                        queue[tail] = u
                        tail += 1
        nodes = _grow(nodes, total + tail)
        for j in range(tail):
            nodes[total + j] = queue[j]
        total += tail
        offsets[i - i0 + 1] = total
    return nodes[:total].copy(), offsets


@njit(cache=True, nogil=True)
def rr_lt(in_ptr, in_src, in_weight, in_common_weight, key, i0, i1):
    """LT RR sets ``i0 .. i1-1`` (backward random walks): ``(nodes, offsets)``."""
    n = len(in_ptr) - 1
    mark = np.full(n, -1, dtype=np.int64)
    offsets = np.empty(i1 - i0 + 1, dtype=np.int64)
    offsets[0] = 0
    nodes = np.empty(max(16, 4 * (i1 - i0)), dtype=np.int32)
    total = 0
    for i in range(i0, i1):
        s0, s1 = stream(sample_key(key, i))
        x, s0, s1 = next_uniform(s0, s1)
        w = min(np.int64(x * n), n - 1)
        while True:
            mark[w] = i
            nodes = _grow(nodes, total + 1)
            nodes[total] = w
            total += 1
            x, s0, s1 = next_uniform(s0, s1)
            a, b = in_ptr[w], in_ptr[w + 1]
            parent = -1
            c = in_common_weight[w]
            if c > 0.0:  # equal weights c: the edge is the interval x falls in
                j = np.int64(x / c)
                if j < b - a:
                    parent = in_src[a + j]
            elif c < 0.0:
                acc = 0.0
                for f in range(a, b):
                    acc += in_weight[f]
                    if x < acc:
                        parent = in_src[f]
                        break
            if parent < 0 or mark[parent] == i:
                break
            w = parent
        offsets[i - i0 + 1] = total
    return nodes[:total].copy(), offsets


class RRSets:
    """A collection of RR sets stored flat: set ``i`` is ``nodes[offsets[i]:offsets[i+1]]``."""

    def __init__(self, nodes: np.ndarray, offsets: np.ndarray):
        self.nodes = nodes
        self.offsets = offsets

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def set(self, i: int) -> np.ndarray:
        """The nodes of RR set ``i``."""
        return self.nodes[self.offsets[i]:self.offsets[i + 1]]

    def extend(self, other: RRSets) -> RRSets:
        """These sets followed by ``other``'s."""
        return RRSets(np.concatenate([self.nodes, other.nodes]),
                      np.concatenate([self.offsets, other.offsets[1:] + self.offsets[-1]]))

    @classmethod
    def empty(cls) -> RRSets:
        return cls(np.zeros(0, dtype=np.int32), np.zeros(1, dtype=np.int64))


def rr_sets(graph: DiffusionGraph, model: str, key: int, i0: int, i1: int,
            threads: int | None = None, progress: Progress | None = None) -> RRSets:
    """RR sets ``i0 .. i1-1`` of ``model`` (``ic`` or ``lt``) under ``key``, on ``threads`` threads."""
    k = np.uint64(key)
    g = graph
    if model == "ic":
        def work(a: int, b: int):
            return rr_ic(g.in_ptr, g.in_src, g.in_prob, g.in_common, k, i0 + a, i0 + b)
    else:
        def work(a: int, b: int):
            return rr_lt(g.in_ptr, g.in_src, g.in_weight, g.in_common_weight, k, i0 + a, i0 + b)
    parts = run_chunks(work, i1 - i0, threads=threads, progress=progress, step="RR sets")
    out = RRSets.empty()
    if not parts:
        return out
    nodes = np.concatenate([p[0] for p in parts])
    shift = np.cumsum([0] + [len(p[0]) for p in parts[:-1]])
    offsets = np.concatenate([[0]] + [p[1][1:] + s for p, s in zip(parts, shift, strict=True)])
    return RRSets(nodes, offsets.astype(np.int64))
