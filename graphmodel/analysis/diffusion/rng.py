"""Random numbers for the diffusion kernels: one stream per sample, keyed by its index.

Every sample (a Monte Carlo run, an RR set, a CELF live-edge graph) ``r``
gets its own key from the 64-bit key of the call:

    k_r = mix(key + (r + 1) * gamma)

with ``gamma = 0x9E3779B97F4A7C15`` and ``mix`` the SplitMix64 finaliser
(Steele, Lea & Flood, "Fast splittable pseudorandom number generators",
OOPSLA 2014). So sample ``r`` draws the same numbers whichever thread runs
it, and a result depends on the seed only, never on the thread count or on
how the progress bar cuts the work into chunks.

Two ways to draw within a sample:

- **by counter**, ``U(r, i) = (mix(k_r + (i + 1) * gamma) >> 11) * 2^-53``, the
  ``i``-th output of a SplitMix64 stream started at ``k_r``: a pure function of
  ``(r, i)``. CELF needs it: the coin of edge ``e`` in sample ``r`` is always
  ``U(r, e)``, so sample ``r`` *is* a fixed live-edge graph on which every
  candidate is evaluated (common random numbers, as Leskovec et al. 2007 use a
  fixed set of samples); the RR sets use it too;
- **in sequence**, xoroshiro128+ (Blackman & Vigna, "Scrambled linear
  pseudorandom number generators", 2018; its 53 high bits as a double, the
  use the authors recommend it for) seeded by SplitMix64 from ``k_r``: about
  a third faster per draw, for the forward Monte Carlo kernels, where each
  edge or node is drawn at most once per run in a deterministic order.

Keys come from `keys`, i.e. ``numpy.random.SeedSequence(seed)``: no
global random state anywhere.
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["GAMMA", "mix", "sample_key", "uniform", "stream", "next_uniform", "keys"]

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
_GAMMA2 = np.uint64(0x3C6EF372FE94F82A)  # 2 * GAMMA mod 2^64
_S24 = np.uint64(24)
_S40 = np.uint64(40)
_S16 = np.uint64(16)
_S37 = np.uint64(37)
_S27R = np.uint64(27)


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


@njit(cache=True, nogil=True)
def stream(kr):
    """The xoroshiro128+ state ``(s0, s1)`` of the sample with key ``kr`` (SplitMix64 outputs 1, 2)."""
    return mix(kr + GAMMA), mix(kr + _GAMMA2)


@njit(cache=True, nogil=True)
def next_uniform(s0, s1):
    """One xoroshiro128+ step: ``(u, s0, s1)`` with ``u`` uniform in [0, 1) from the 53 high bits."""
    x = s0 + s1
    s1 ^= s0
    s0 = ((s0 << _S24) | (s0 >> _S40)) ^ s1 ^ (s1 << _S16)
    s1 = (s1 << _S37) | (s1 >> _S27R)
    return np.float64(x >> _S11) * _INV53, s0, s1


def keys(seed: int, count: int) -> np.ndarray:
    """``count`` independent 64-bit keys for ``seed`` (``numpy.random.SeedSequence``).

    Key 0 drives `graphmodel.analysis.diffusion.montecarlo.spread_samples` (``simulate`` and
    the evaluation of an influence result), so the two agree for the same seed; the
    others drive the selection algorithms.
    """
    return np.random.SeedSequence(int(seed)).generate_state(count, dtype=np.uint64)
