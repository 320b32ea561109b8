"""Counter-based random numbers for the diffusion kernels (SplitMix64).

Every random number a kernel draws is a pure function of a 64-bit key, a
sample index ``r`` (a Monte Carlo run, an RR set) and a counter ``i`` (an
edge or a node):

    k_r      = mix(key + (r + 1) * gamma)
    U(r, i)  = (mix(k_r + (i + 1) * gamma) >> 11) * 2^-53        in [0, 1)

with ``gamma = 0x9E3779B97F4A7C15`` and ``mix`` the SplitMix64 finaliser
(Steele, Lea & Flood, "Fast splittable pseudorandom number generators",
OOPSLA 2014). ``k_r + (i + 1) * gamma`` is the i-th state of a SplitMix64
stream started at ``k_r``, so ``U(r, .)`` is that stream's output.

Why counters instead of one sequential generator:

- **reproducible in parallel.** Runs are split over threads in any chunks;
  run ``r`` draws the same numbers whichever thread runs it, so a result
  depends on the seed only, never on the thread count or the progress-bar
  chunking;
- **common random numbers.** The coin of edge ``e`` in run ``r`` is always
  ``U(r, e)``, so "run r" *is* a fixed live-edge graph: CELF evaluates every
  candidate on the same samples (Leskovec et al. 2007 use a fixed set of
  samples for the same reason), and ``simulate`` with the same seed
  reproduces the spread ``influence`` reports.

Keys come from :func:`keys`, i.e. ``numpy.random.SeedSequence(seed)``: no
global random state anywhere.
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["GAMMA", "mix", "sample_key", "uniform", "keys"]

#: The SplitMix64 increment (2^64 / golden ratio, odd).
GAMMA = np.uint64(0x9E3779B97F4A7C15)
_C1 = np.uint64(0xBF58476D1CE4E5B9)
_C2 = np.uint64(0x94D049BB133111EB)
_S30 = np.uint64(30)
_S27 = np.uint64(27)
_S31 = np.uint64(31)
_S11 = np.uint64(11)
_ONE = np.uint64(1)
_INV53 = 1.0 / 9007199254740992.0  # 2^-53


@njit(cache=True, nogil=True)
def mix(z):
    """The SplitMix64 finaliser: a bijection of 64-bit words that scrambles every bit."""
    z = (z ^ (z >> _S30)) * _C1
    z = (z ^ (z >> _S27)) * _C2
    return z ^ (z >> _S31)


@njit(cache=True, nogil=True)
def sample_key(key, r):
    """The key ``k_r`` of sample ``r`` (a run or an RR set) under ``key``."""
    return mix(key + (np.uint64(r) + _ONE) * GAMMA)


@njit(cache=True, nogil=True)
def uniform(kr, i):
    """``U(r, i)``: the ``i``-th uniform in [0, 1) of the sample with key ``kr``."""
    return np.float64(mix(kr + (np.uint64(i) + _ONE) * GAMMA) >> _S11) * _INV53


def keys(seed: int, count: int) -> np.ndarray:
    """``count`` independent 64-bit keys for ``seed`` (``numpy.random.SeedSequence``).

    Key 0 drives :func:`graphmodel.diffusion.montecarlo.spread_samples` (``simulate`` and
    the evaluation of an influence result), so the two agree for the same seed; the
    others drive the selection algorithms.
    """
    return np.random.SeedSequence(int(seed)).generate_state(count, dtype=np.uint64)
