"""Random reverse-reachable (RR) sets (Borgs, Brautbar, Chayes & Lucier 2014; Tang et al. 2014, 2015).

An RR set is drawn by picking a root ``v`` uniformly among the ``n`` nodes,
drawing a live-edge graph ``g``, and taking every node that can reach ``v``
in ``g``. For any seed set ``S``,

    sigma(S) = n * Pr[S intersects a random RR set]            (Borgs et al., Observation 3.2)

so the fraction of ``theta`` RR sets that ``S`` covers, times ``n``, is an
unbiased estimate of the expected spread, and maximising coverage
maximises spread (:mod:`graphmodel.diffusion.imm`).

Only the part of ``g`` the reverse search touches is drawn:

- **IC**: a breadth-first search backwards from ``v``; the in-edge ``f`` of a
  reached node is live with probability ``p_f`` (each in-edge is looked at
  once, when its target is reached);
- **LT**: in the live-edge form each node keeps at most one in-edge
  (``u -> w`` with probability ``b_uw``), so the RR set is a backward random
  walk: from ``w`` step to the source of its kept in-edge, stop when it
  keeps none or the walk returns to a node already in the set
  (Tang, Xiao & Shi 2014, section 4).

RR set ``i`` uses the random numbers of sample ``i`` (:mod:`graphmodel.diffusion.rng`):
``U(i, 0)`` picks the root, ``U(i, 1 + f)`` the coin of in-edge ``f`` (IC),
``U(i, 1 + w)`` node ``w``'s choice (LT). The sets are stored flat: set ``i``
is ``nodes[offsets[i]:offsets[i+1]]``, root first.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from graphmodel.diffusion.graph import DiffusionGraph
from graphmodel.diffusion.parallel import Progress, run_chunks
from graphmodel.diffusion.rng import sample_key, uniform

__all__ = ["RRSets", "rr_ic", "rr_lt", "rr_sets"]


@njit(cache=True, nogil=True)
def _grow(buf, need):
    if need <= len(buf):
        return buf
    bigger = np.empty(max(need, 2 * len(buf)), dtype=buf.dtype)
    bigger[: len(buf)] = buf
    return bigger


@njit(cache=True, nogil=True)
def rr_ic(in_ptr, in_src, in_prob, key, i0, i1):
    """IC RR sets ``i0 .. i1-1``: ``(nodes, offsets)`` with ``offsets[0] = 0``."""
    n = len(in_ptr) - 1
    mark = np.full(n, -1, dtype=np.int64)
    queue = np.empty(n, dtype=np.int64)
    offsets = np.empty(i1 - i0 + 1, dtype=np.int64)
    offsets[0] = 0
    nodes = np.empty(max(16, 4 * (i1 - i0)), dtype=np.int32)
    total = 0
    for i in range(i0, i1):
        ki = sample_key(key, i)
        v = min(np.int64(uniform(ki, 0) * n), n - 1)
        mark[v] = i
        queue[0] = v
        head, tail = 0, 1
        while head < tail:
            w = queue[head]
            head += 1
            for f in range(in_ptr[w], in_ptr[w + 1]):
                u = in_src[f]
                if mark[u] != i and uniform(ki, 1 + f) < in_prob[f]:
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
def rr_lt(in_ptr, in_src, in_weight, key, i0, i1):
    """LT RR sets ``i0 .. i1-1`` (backward random walks): ``(nodes, offsets)``."""
    n = len(in_ptr) - 1
    mark = np.full(n, -1, dtype=np.int64)
    offsets = np.empty(i1 - i0 + 1, dtype=np.int64)
    offsets[0] = 0
    nodes = np.empty(max(16, 4 * (i1 - i0)), dtype=np.int32)
    total = 0
    for i in range(i0, i1):
        ki = sample_key(key, i)
        w = min(np.int64(uniform(ki, 0) * n), n - 1)
        while True:
            mark[w] = i
            nodes = _grow(nodes, total + 1)
            nodes[total] = w
            total += 1
            x = uniform(ki, 1 + w)
            acc = 0.0
            parent = -1
            for f in range(in_ptr[w], in_ptr[w + 1]):
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
    if model == "ic":
        def work(a: int, b: int):
            return rr_ic(graph.in_ptr, graph.in_src, graph.in_prob, k, i0 + a, i0 + b)
    else:
        def work(a: int, b: int):
            return rr_lt(graph.in_ptr, graph.in_src, graph.in_weight, k, i0 + a, i0 + b)
    parts = run_chunks(work, i1 - i0, threads=threads, progress=progress, step="RR sets")
    out = RRSets.empty()
    if not parts:
        return out
    nodes = np.concatenate([p[0] for p in parts])
    shift = np.cumsum([0] + [len(p[0]) for p in parts[:-1]])
    offsets = np.concatenate([[0]] + [p[1][1:] + s for p, s in zip(parts, shift, strict=True)])
    return RRSets(nodes, offsets.astype(np.int64))
