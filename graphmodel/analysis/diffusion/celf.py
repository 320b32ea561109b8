"""CELF: lazy greedy influence maximisation (Leskovec et al., KDD 2007) on fixed live-edge samples.

The greedy algorithm of Kempe, Kleinberg & Tardos (2003) adds, ``k`` times,
the node with the largest marginal gain ``sigma(S + v) - sigma(S)``; since
``sigma`` is monotone and submodular the result is within ``1 - 1/e`` of the
optimum (up to the error of estimating ``sigma``). CELF (Leskovec, Krause,
Guestrin, Faloutsos, VanBriesen & Glance 2007, "Cost-effective outbreak
detection in networks") keeps every node's last computed gain in a max-heap:
by submodularity a gain can only shrink, so when the top entry was computed
in the current round it is the best, and only the nodes that reach the top
are re-evaluated.

**Marginal gains on common samples.** ``sigma`` is estimated on ``R`` fixed
live-edge graphs ``g_1 .. g_R`` (sample ``r`` is determined by the key and ``r``,
`graphmodel.analysis.diffusion.rng`): IC keeps edge ``e`` iff ``U(r, e) < p_e``;
LT keeps, for each node ``w``, the in-edge whose interval holds ``U(r, w)``
(`graphmodel.analysis.diffusion.graph`). On a fixed graph the active set of ``S``
is the set reachable from ``S``, ``A_r(S)``, and

    sigma(S + v) - sigma(S)  ~  (1/R) sum_r |A_r(v) minus A_r(S)|

which a search from ``v`` that never enters ``A_r(S)`` counts exactly (a node
reachable through a covered node is covered itself). Every candidate is
compared on the same ``R`` graphs, so differences between candidates carry no
sampling noise of their own, and the estimates are submodular, which CELF's
laziness needs. ``A_r(S)`` is kept as an ``R x n`` byte matrix.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

import numpy as np
from numba import njit

from graphmodel.analysis.diffusion.graph import DiffusionGraph
from graphmodel.analysis.diffusion.parallel import Progress, run_chunks
from graphmodel.analysis.diffusion.rng import sample_key, uniform
from graphmodel.errors import UserError

__all__ = ["CELFResult", "celf", "sample_keys", "marginal_gains", "MAX_COVER_BYTES"]

#: The largest ``R x n`` coverage matrix CELF will allocate (4 GiB).
MAX_COVER_BYTES = 4 * 2**30


@njit(cache=True, nogil=True)
def sample_keys(key, runs):
    """The keys ``k_r`` of samples ``0 .. runs-1``."""
    out = np.empty(runs, dtype=np.uint64)
    for r in range(runs):
        out[r] = sample_key(key, r)
    return out


@njit(cache=True, nogil=True)
def _reach(v, r, kr, is_lt, out_ptr, dst, prob, lt_lo, lt_hi, covered, stamp, tick, queue, cover):
    """Nodes reached from ``v`` in sample ``r`` without entering ``covered[r]``; with ``cover``,
    mark them covered."""
    stamp[v] = tick
    queue[0] = v
    head, tail = 0, 1
    while head < tail:
        u = queue[head]
        head += 1
        for e in range(out_ptr[u], out_ptr[u + 1]):
            if is_lt:
                w = dst[e]
                x = uniform(kr, w)
                live = lt_lo[e] <= x and x < lt_hi[e]
            else:
                live = uniform(kr, e) < prob[e]
                w = dst[e] if live else 0
            if live and stamp[w] != tick and not covered[r, w]:
                stamp[w] = tick
                queue[tail] = w
                tail += 1
    if cover:
        for j in range(tail):
            covered[r, queue[j]] = 1
    return tail


@njit(cache=True, nogil=True)
def _gains(cands, is_lt, out_ptr, dst, prob, lt_lo, lt_hi, covered, rkeys, out, stamp, queue,
           tick):
    """Gains of ``cands`` into ``out``; ``stamp``/``queue`` are scratch, ``stamp`` values below
    ``tick`` are stale. Returns the next free tick."""
    for c in range(len(cands)):
        v = cands[c]
        total = 0
        for r in range(len(rkeys)):
            if covered[r, v]:
                continue
            tick += 1
            total += _reach(v, r, rkeys[r], is_lt, out_ptr, dst, prob, lt_lo, lt_hi, covered,
                            stamp, tick, queue, False)
        out[c] = total
    return tick + 1


@njit(cache=True, nogil=True)
def _cover(v, r0, r1, is_lt, out_ptr, dst, prob, lt_lo, lt_hi, covered, rkeys):
    n = len(out_ptr) - 1
    stamp = np.zeros(n, dtype=np.int64)
    queue = np.empty(n, dtype=np.int64)
    total = 0
    for r in range(r0, r1):
        if covered[r, v]:
            continue
        total += _reach(v, r, rkeys[r], is_lt, out_ptr, dst, prob, lt_lo, lt_hi, covered,
                        stamp, r + 1, queue, True)
    return total


class _Samples:
    """The ``R`` live-edge samples of one model and their coverage by the seeds so far."""

    def __init__(self, graph: DiffusionGraph, model: str, runs: int, key: int, threads):
        if runs * graph.n > MAX_COVER_BYTES:
            raise UserError(f"CELF with {runs} runs on {graph.n:,} users needs "
                            f"{runs * graph.n / 2**30:.1f} GiB; use fewer --runs or --method imm")
        self.g = graph
        self.is_lt = model == "lt"
        self.rkeys = sample_keys(np.uint64(key), runs)
        self.covered = np.zeros((runs, graph.n), dtype=np.uint8)
        self.threads = threads
        # scratch for one-candidate re-evaluations (CELF's lazy steps), kept between calls
        self._stamp = np.zeros(graph.n, dtype=np.int64)
        self._queue = np.empty(graph.n, dtype=np.int64)
        self._tick = 1

    def gains(self, cands: np.ndarray, progress: Progress | None = None, step: str = "") -> np.ndarray:
        """Sum over samples of the nodes each candidate newly reaches (``R`` x its marginal gain)."""
        g = self.g
        if len(cands) == 1 and progress is None:
            out = np.empty(1, dtype=np.int64)
            self._tick = _gains(cands, self.is_lt, g.out_ptr, g.dst, g.prob, g.lt_lo, g.lt_hi,
                                self.covered, self.rkeys, out, self._stamp, self._queue,
                                self._tick)
            return out

        def work(a: int, b: int) -> np.ndarray:
            out = np.empty(b - a, dtype=np.int64)
            _gains(cands[a:b], self.is_lt, g.out_ptr, g.dst, g.prob, g.lt_lo, g.lt_hi,
                   self.covered, self.rkeys, out, np.zeros(g.n, dtype=np.int64),
                   np.empty(g.n, dtype=np.int64), 1)
            return out

        return np.concatenate(run_chunks(work, len(cands), threads=self.threads,
                                         progress=progress, step=step))

    def add(self, v: int) -> int:
        """Cover what ``v`` reaches in every sample; returns how many nodes were newly covered."""
        g = self.g

        def work(r0: int, r1: int) -> int:
            return _cover(v, r0, r1, self.is_lt, g.out_ptr, g.dst, g.prob, g.lt_lo, g.lt_hi,
                          self.covered, self.rkeys)

        return int(sum(run_chunks(work, len(self.rkeys), threads=self.threads)))


def marginal_gains(graph: DiffusionGraph, seeds, candidates, model: str = "ic", runs: int = 1000,
                   key: int = 1, threads: int | None = None) -> np.ndarray:
    """``sigma(seeds + v) - sigma(seeds)`` for each candidate ``v``, estimated on ``runs`` common
    live-edge samples (with ``seeds`` empty: each candidate's own spread)."""
    s = _Samples(graph, model, runs, key, threads)
    for v in seeds:
        s.add(int(v))
    return s.gains(np.asarray(candidates, dtype=np.int64)) / runs


@dataclass
class CELFResult:
    """Seeds in the order chosen, each one's marginal gain on the samples, and the evaluations."""

    seeds: np.ndarray
    gains: np.ndarray
    evaluations: int


def celf(graph: DiffusionGraph, k: int, model: str = "ic", runs: int = 1000, key: int = 1,
         threads: int | None = None, progress: Progress | None = None) -> CELFResult:
    """Lazy greedy (CELF) on ``runs`` common live-edge samples; see the module docstring.

    Ties between equal gains go to the lowest node index. ``evaluations`` counts the
    marginal-gain computations (``n`` in the first round, then the lazy re-evaluations).
    """
    n = graph.n
    if not 1 <= k <= n:
        raise UserError(f"k must be between 1 and the number of users ({n}), got {k}")
    if runs < 1:
        raise UserError(f"runs must be >= 1, got {runs}")
    s = _Samples(graph, model, runs, key, threads)
    first = s.gains(np.arange(n, dtype=np.int64), progress=progress, step="CELF first round")
    heap = [(-int(g), v) for v, g in enumerate(first)]
    heapq.heapify(heap)
    fresh = np.zeros(n, dtype=np.int64)  # round in which each node's gain was computed
    seeds, gains = [], []
    evaluations = n
    for t in range(k):
        while True:
            neg, v = heapq.heappop(heap)
            if fresh[v] == t:
                break
            g = int(s.gains(np.array([v], dtype=np.int64))[0])
            evaluations += 1
            fresh[v] = t
            heapq.heappush(heap, (-g, v))
        seeds.append(v)
        gains.append(-neg / runs)
        s.add(v)
        if progress:
            progress(f"CELF seed {t + 1}/{k}", t + 1, k)
    return CELFResult(np.array(seeds, dtype=np.int64), np.array(gains), evaluations)
