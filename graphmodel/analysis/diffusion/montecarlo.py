"""Expected spread of a seed set by Monte Carlo, with a 95% confidence interval.

The expected spread ``sigma(S)`` (Kempe, Kleinberg & Tardos 2003) is the
mean number of active nodes, seeds included, over independent runs of the
model. With ``R`` runs of spreads ``X_1 .. X_R``:

    mean = sum X / R,    sd = sqrt(sum (X - mean)^2 / (R - 1)),
    95% CI = mean +- 1.96 * sd / sqrt(R),   clipped to [|S|, n]

(the normal approximation, by the central limit theorem; the spreads are
bounded by ``n``, so it holds well for the hundreds or thousands of runs used
here). A spread is never below the number of distinct seeds ``|S|`` (they are
active from the start) nor above the number of users ``n``, so the interval
is clipped to that range: with few runs or a skewed distribution the normal
interval would otherwise claim impossible values. Run ``r`` is a pure function of the key and ``r``
(`graphmodel.analysis.diffusion.rng`): the same seed gives the same spreads on any
number of threads.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from graphmodel.analysis.diffusion.graph import DiffusionGraph
from graphmodel.analysis.diffusion.ic import ic_runs
from graphmodel.analysis.diffusion.lt import lt_runs
from graphmodel.analysis.diffusion.parallel import Progress, run_chunks
from graphmodel.analysis.diffusion.rng import keys
from graphmodel.errors import UserError

__all__ = ["MODELS", "Spread", "spread_samples", "expected_spread", "check_model"]

#: The diffusion models.
MODELS = ("ic", "lt")

#: The normal quantile of a two-sided 95% interval.
Z95 = 1.959963984540054


def check_model(model: str) -> str:
    """``model`` if it is one of `MODELS`, else a [`UserError`][graphmodel.errors.UserError]."""
    if model not in MODELS:
        raise UserError(f"unknown diffusion model {model!r}; choose one of {', '.join(MODELS)}")
    return model


@dataclass(frozen=True)
class Spread:
    """Summary of Monte Carlo spreads: mean, standard deviation and the 95% interval."""

    mean: float
    sd: float
    runs: int
    #: The smallest and largest spread possible (``|S|`` and ``n``): the interval's bounds.
    low: float = -math.inf
    high: float = math.inf

    @property
    def se(self) -> float:
        """Standard error of the mean, ``sd / sqrt(runs)``."""
        return self.sd / math.sqrt(self.runs) if self.runs else math.nan

    @property
    def ci_low(self) -> float:
        """Lower end of the 95% interval, never below `low`."""
        return max(self.low, self.mean - Z95 * self.se)

    @property
    def ci_high(self) -> float:
        """Upper end of the 95% interval, never above `high`."""
        return min(self.high, self.mean + Z95 * self.se)

    @classmethod
    def of(cls, samples: np.ndarray, low: float = -math.inf, high: float = math.inf) -> Spread:
        """The summary of the spreads of individual runs, whose possible range is [low, high]."""
        x = np.asarray(samples, dtype=np.float64)
        sd = float(x.std(ddof=1)) if len(x) > 1 else 0.0
        return cls(float(x.mean()) if len(x) else math.nan, sd, len(x), low, high)


def spread_samples(graph: DiffusionGraph, seeds: np.ndarray, model: str = "ic",
                   runs: int = 1000, key: int | np.uint64 | None = None, seed: int = 0,
                   threads: int | None = None, progress: Progress | None = None) -> np.ndarray:
    """The spread of each of ``runs`` runs of ``model`` from node indices ``seeds``.

    ``key`` (a 64-bit integer) fixes the random numbers; by default it is key 0 of
    `graphmodel.analysis.diffusion.rng.keys` for ``seed``.
    """
    check_model(model)
    if runs < 1:
        raise UserError(f"runs must be >= 1, got {runs}")
    seeds = np.unique(np.asarray(seeds, dtype=np.int64))
    k = np.uint64(keys(seed, 1)[0] if key is None else key)
    if model == "ic":
        kernel, values = ic_runs, graph.prob
    else:
        kernel, values = lt_runs, graph.weight

    def work(r0: int, r1: int) -> np.ndarray:
        out = np.empty(r1 - r0, dtype=np.int64)
        kernel(graph.out_ptr, graph.dst, values, seeds, k, r0, r1, out)
        return out

    parts = run_chunks(work, runs, threads=threads, progress=progress,
                       step=f"{model.upper()} Monte Carlo")
    return np.concatenate(parts)


def expected_spread(graph: DiffusionGraph, seeds: np.ndarray, model: str = "ic",
                    runs: int = 1000, seed: int = 0, key: int | None = None,
                    threads: int | None = None, progress: Progress | None = None) -> Spread:
    """`Spread` of `spread_samples`, its interval within ``[|S|, n]``."""
    samples = spread_samples(graph, seeds, model=model, runs=runs, seed=seed, key=key,
                             threads=threads, progress=progress)
    distinct = len(np.unique(np.asarray(seeds, dtype=np.int64)))
    return Spread.of(samples, low=float(distinct), high=float(graph.n))
