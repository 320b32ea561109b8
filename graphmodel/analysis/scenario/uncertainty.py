"""Bootstrap confidence intervals for the headline figures (resampling users).

Each replicate draws n users with replacement (seeded, ``numpy`` PCG64) and
recomputes, from their per-user rows of the accounting, the headline
figures: T* = sum V_u, sum v*, e* = (T* - sum v*) / sum v*, labour hours,
relational share sum R* / T*, and the Gini of V and of v. The interval is the
percentile interval (2.5% and 97.5% quantiles of the replicates; Efron and
Tibshirani, *An Introduction to the Bootstrap*, 1993, ch. 13). Users are
treated as independent: credit that flows between users through referrals
is resampled with the user who received it, so the intervals describe the
sampling of users, not of cascades.

A figure undefined on the log (a ratio over 0, such as ``e`` when no user
got anything back) has a null estimate; its interval is taken over the
replicates where it is defined, and is null when none is (a log without
users has no replicate at all).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from graphmodel.model.rates import platform_rates
from graphmodel.output import store_meta, with_meta
from graphmodel.params import Params

__all__ = ["BOOTSTRAP_COLUMNS", "BOOTSTRAP_FIGURES", "bootstrap", "platform_bootstrap"]

BOOTSTRAP_COLUMNS = ["figure", "estimate", "ci_low", "ci_high", "reps", "seed"]
BOOTSTRAP_FIGURES = ("labour_hours", "user_generated_value", "value_returned",
                     "exploitation_rate", "relational_share", "gini_value_produced",
                     "gini_value_returned")


def _gini_rows(x: np.ndarray) -> np.ndarray:
    """Gini of each row of ``x`` (values >= 0)."""
    x = np.sort(x, axis=1)
    n = x.shape[1]
    if n == 0:
        return np.full(x.shape[0], np.nan)
    total = x.sum(axis=1)
    i = np.arange(1, n + 1, dtype="float64")
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, 2.0 * (x @ i) / (n * total) - (n + 1.0) / n, np.nan)


def _stats(V, v, R, L) -> dict[str, np.ndarray]:
    T = V.sum(axis=-1)
    sv = v.sum(axis=-1)
    rates = platform_rates(T, sv, R.sum(axis=-1))
    with np.errstate(invalid="ignore", divide="ignore"):
        return {
            "labour_hours": L.sum(axis=-1) / 3600.0,
            "user_generated_value": T,
            "value_returned": sv,
            "exploitation_rate": rates["exploitation_rate"],
            "relational_share": rates["relational_share"],
            "gini_value_produced": _gini_rows(np.atleast_2d(V)),
            "gini_value_returned": _gini_rows(np.atleast_2d(v)),
        }


def bootstrap(users: pd.DataFrame, reps: int = 1000, seed: int = 0, level: float = 0.95,
              progress=None, chunk: int = 50) -> pd.DataFrame:
    """Percentile intervals of the headline figures over ``reps`` resamples of users."""
    V = users["value_produced"].to_numpy("float64")
    v = users["value_returned"].to_numpy("float64")
    R = users["relational_value"].to_numpy("float64")
    L = users["labour_s"].to_numpy("float64")
    point = {k: float(np.ravel(a)[0]) for k, a in _stats(V, v, R, L).items()}
    rng = np.random.default_rng(seed)
    n = V.size
    draws: dict[str, list] = {k: [] for k in BOOTSTRAP_FIGURES}
    done = 0
    while done < reps and n:
        m = min(chunk, reps - done)
        idx = rng.integers(0, n, size=(m, n))
        for k, a in _stats(V[idx], v[idx], R[idx], L[idx]).items():
            draws[k].append(a)
        done += m
        if progress is not None:
            progress("bootstrap", done, reps)
    alpha = (1.0 - level) / 2.0
    rows = []
    for k in BOOTSTRAP_FIGURES:
        a = np.concatenate(draws[k]) if draws[k] else np.array([])
        a = a[~np.isnan(a)]
        lo, hi = (np.quantile(a, [alpha, 1 - alpha]) if a.size else (math.nan, math.nan))
        rows.append({"figure": k, "estimate": point[k], "ci_low": float(lo),
                     "ci_high": float(hi), "reps": reps, "seed": seed})
    return pd.DataFrame(rows, columns=BOOTSTRAP_COLUMNS)


def platform_bootstrap(store, params=None, reps: int = 1000, seed: int = 0,
                       accounts=None, progress=None) -> pd.DataFrame:
    """The headline figures with percentile bootstrap intervals, resampling users
    ([`graphmodel.analysis.scenario.uncertainty.bootstrap`][graphmodel.analysis.scenario.uncertainty.bootstrap])."""
    p = Params.of(params)
    acc = accounts or store.accounts()
    df = bootstrap(acc.user_table(p), reps=reps, seed=seed, progress=progress)
    return with_meta(df, store_meta(store, "value", dict(p), by="platform", bootstrap=reps,
                                    bootstrap_seed=seed))
