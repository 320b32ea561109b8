"""IMM: influence maximisation by martingales (Tang, Shi & Xiao, SIGMOD 2015).

IMM returns a seed set of size ``k`` whose expected spread is at least
``(1 - 1/e - epsilon)`` times the optimum with probability at least
``1 - n^-ell``, from random RR sets (`graphmodel.analysis.diffusion.rrsets`):

**NodeSelection(R, k)** (Algorithm 1): greedy maximum coverage; ``k`` times,
take the node in the most RR sets not yet covered (ties: the lowest node
index). ``F_R(S)`` is the fraction of ``R`` that ``S`` covers; ``n F_R(S)``
estimates ``sigma(S)``.

**Sampling** (Algorithm 2), with ``epsilon' = sqrt(2) epsilon``:

    lambda' = (2 + 2 epsilon'/3) (ln C(n,k) + ell ln n + ln log2 n) n / epsilon'^2      (Eq. 9)
    for i = 1 .. log2(n) - 1:
        x = n / 2^i;  grow R to theta_i = lambda' / x sets;  S_i = NodeSelection(R, k)
        if n F_R(S_i) >= (1 + epsilon') x:  LB = n F_R(S_i) / (1 + epsilon');  stop
    (LB = 1 if no i passes)
    lambda* = 2 n ((1 - 1/e) alpha + beta)^2 / epsilon^2                                   (Eq. 6)
    alpha = sqrt(ell ln n + ln 2),  beta = sqrt((1 - 1/e)(ln C(n,k) + ell ln n + ln 2))
    theta = lambda* / LB

**IMM** (Algorithm 3): ``ell <- ell (1 + ln 2 / ln n)`` (so that both phases
together fail with probability at most ``n^-ell``), Sampling, then
NodeSelection on ``theta`` RR sets.

One deliberate difference: the final ``theta`` RR sets are drawn afresh
rather than topping up the sets of the sampling phase. Chen (2018, "An issue
in the martingale analysis of the influence maximization algorithm IMM",
arXiv:1808.09363) showed that reusing them makes the final sets depend on
``LB`` and breaks the martingale argument; regenerating restores the
guarantee at the cost of at most ``theta`` extra sets.

Defaults ``epsilon = 0.5``, ``ell = 1``: the setting of the paper's
experiments. ``ln C(n, k)`` is computed exactly (``lgamma``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from numba import njit

from graphmodel.analysis.diffusion.graph import DiffusionGraph
from graphmodel.analysis.diffusion.parallel import Progress
from graphmodel.analysis.diffusion.rrsets import RRSets, rr_sets
from graphmodel.errors import UserError

__all__ = ["IMMResult", "imm", "node_selection", "log_binomial", "lambda_prime", "lambda_star"]

_ONE_MINUS_INV_E = 1.0 - math.exp(-1.0)


def log_binomial(n: int, k: int) -> float:
    """``ln C(n, k)``, exactly, by ``lgamma``."""
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)


def lambda_prime(n: int, k: int, eps_prime: float, ell: float) -> float:
    """IMM's ``lambda'`` (Eq. 9), the sampling phase's RR-set budget times ``x``."""
    return ((2 + 2 * eps_prime / 3)
            * (log_binomial(n, k) + ell * math.log(n) + math.log(math.log2(n)))
            * n / eps_prime**2)


def lambda_star(n: int, k: int, eps: float, ell: float) -> float:
    """IMM's ``lambda*`` (Eq. 6): ``theta = lambda* / LB`` RR sets suffice."""
    alpha = math.sqrt(ell * math.log(n) + math.log(2))
    beta = math.sqrt(_ONE_MINUS_INV_E * (log_binomial(n, k) + ell * math.log(n) + math.log(2)))
    return 2 * n * (_ONE_MINUS_INV_E * alpha + beta) ** 2 / eps**2


@njit(cache=True, nogil=True)
def _max_coverage(nodes, offsets, n, k):
    m = len(offsets) - 1
    count = np.zeros(n, dtype=np.int64)
    for j in range(len(nodes)):
        count[nodes[j]] += 1
    # inverted index: the RR sets of each node
    ptr = np.zeros(n + 1, dtype=np.int64)
    for v in range(n):
        ptr[v + 1] = ptr[v] + count[v]
    fill = ptr[:-1].copy()
    sets = np.empty(len(nodes), dtype=np.int64)
    for i in range(m):
        for j in range(offsets[i], offsets[i + 1]):
            v = nodes[j]
            sets[fill[v]] = i
            fill[v] += 1
    covered = np.zeros(m, dtype=np.bool_)
    chosen = np.zeros(n, dtype=np.bool_)
    seeds = np.empty(k, dtype=np.int64)
    gains = np.empty(k, dtype=np.int64)
    for t in range(k):
        best = -1
        best_count = -1
        for v in range(n):
            if not chosen[v] and count[v] > best_count:
                best = v
                best_count = count[v]
        seeds[t] = best
        gains[t] = best_count
        chosen[best] = True
        for q in range(ptr[best], ptr[best + 1]):
            i = sets[q]
            if not covered[i]:
                covered[i] = True
                for j in range(offsets[i], offsets[i + 1]):
                    count[nodes[j]] -= 1
    return seeds, gains


def node_selection(rr: RRSets, n: int, k: int) -> tuple[np.ndarray, np.ndarray]:
    """IMM's NodeSelection: ``k`` seeds by greedy maximum coverage of ``rr``.

    Returns the seeds (in the order chosen) and the number of new RR sets each covered;
    ``gains.sum() / len(rr)`` is ``F_R(S)``.
    """
    return _max_coverage(rr.nodes, rr.offsets, n, k)


@dataclass
class IMMResult:
    """Seeds in the order chosen; ``gains[i]`` = ``n`` x the fraction of RR sets seed ``i`` newly
    covers (its marginal gain estimate); the sampling trace."""

    seeds: np.ndarray
    gains: np.ndarray
    theta: int
    lower_bound: float
    trace: dict = field(default_factory=dict)


def imm(graph: DiffusionGraph, k: int, model: str = "ic", epsilon: float = 0.5, ell: float = 1.0,
        keys: tuple[int, int] = (1, 2), threads: int | None = None,
        progress: Progress | None = None) -> IMMResult:
    """IMM (Tang, Shi & Xiao 2015) with fresh final RR sets (Chen 2018); see the module docstring.

    Parameters
    ----------
    graph : DiffusionGraph
    k : int
        Seeds to choose, ``1 <= k <= n``.
    model : {"ic", "lt"}
        The RR sets' model.
    epsilon, ell : float
        Approximation ``1 - 1/e - epsilon`` with probability ``1 - n^-ell``.
    keys : (int, int)
        64-bit keys of the sampling phase's and the final phase's RR sets.
    """
    n = graph.n
    if not 1 <= k <= n:
        raise UserError(f"k must be between 1 and the number of users ({n}), got {k}")
    if not 0 < epsilon < 1:
        raise UserError(f"epsilon must be in (0, 1), got {epsilon}")
    if not ell > 0:
        raise UserError(f"ell must be > 0, got {ell}")
    if n == 1:
        return IMMResult(np.zeros(1, dtype=np.int64), np.ones(1), 0, 1.0, {"rounds": 0})
    ell_adj = ell * (1 + math.log(2) / math.log(n))
    eps_p = math.sqrt(2) * epsilon
    rr = RRSets.empty()
    lb = 1.0
    rounds = 0
    last = math.floor(math.log2(n) - 1)  # i = 1 .. log2(n) - 1
    lam_p = lambda_prime(n, k, eps_p, ell_adj) if last >= 1 else math.nan
    for i in range(1, last + 1):
        rounds = i
        x = n / 2**i
        theta_i = int(math.ceil(lam_p / x))
        if theta_i > len(rr):
            more = rr_sets(graph, model, keys[0], len(rr), theta_i, threads=threads)
            rr = rr.extend(more)
        if progress:
            progress(f"IMM sampling, round {i}", i, last)
        _, cov = node_selection(rr, n, k)
        est = n * cov.sum() / len(rr)
        if est >= (1 + eps_p) * x:
            lb = est / (1 + eps_p)
            break
    theta = int(math.ceil(lambda_star(n, k, epsilon, ell_adj) / lb))
    sampled = len(rr)
    del rr
    final = rr_sets(graph, model, keys[1], 0, theta, threads=threads, progress=progress)
    seeds, cov = node_selection(final, n, k)
    trace = {"rounds": rounds, "sampling_sets": sampled, "final_sets": theta, "lambda_prime": lam_p,
             "ell_adjusted": ell_adj, "estimate": n * cov.sum() / theta}
    return IMMResult(seeds, cov * n / theta, theta, lb, trace)
