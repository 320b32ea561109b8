"""Inequality of value produced and returned ([docs/model.md, 5.6][model-5-6]): Gini, top shares, Lorenz curves.

For values x_1 <= ... <= x_n (all users, zeros included; values are >= 0):

    Gini = (2 sum_i i x_i) / (n sum_i x_i) - (n + 1) / n          (0: equal, -> 1: one has all)
    top p share = sum of the ceil(p n) largest values / sum of all values
    Lorenz curve L(k/n) = (x_1 + ... + x_k) / sum x,  L(0) = 0

Gini is null when the total is 0. Reference: Cowell, *Measuring Inequality*
(3rd ed., 2011), ch. 2 and the technical appendix.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

__all__ = ["gini", "top_share", "lorenz", "DISTRIBUTION_COLUMNS", "distribution_table",
           "lorenz_table"]

DISTRIBUTION_COLUMNS = ["measure", "users", "total", "mean", "median", "gini", "top1_share",
                        "top10_share", "zero_share"]
MEASURES = ("value_produced", "value_returned")


def gini(values) -> float:
    x = np.sort(np.asarray(values, dtype="float64"))
    n, total = x.size, x.sum()
    if n == 0 or total == 0:
        return math.nan
    i = np.arange(1, n + 1, dtype="float64")
    return float(2.0 * np.dot(i, x) / (n * total) - (n + 1.0) / n)


def top_share(values, fraction: float) -> float:
    x = np.sort(np.asarray(values, dtype="float64"))[::-1]
    total = x.sum()
    if x.size == 0 or total == 0:
        return math.nan
    k = max(1, math.ceil(fraction * x.size - 1e-9))
    return float(x[:k].sum() / total)


def lorenz(values, points: int = 101) -> tuple[np.ndarray, np.ndarray]:
    """(population share, value share) at ``points`` evenly spaced population shares."""
    x = np.sort(np.asarray(values, dtype="float64"))
    cum = np.concatenate([[0.0], np.cumsum(x)])
    total = cum[-1]
    pop = np.linspace(0.0, 1.0, points)
    k = np.round(pop * x.size).astype("int64")
    return pop, (cum[k] / total if total > 0 else np.full(points, np.nan))


def distribution_table(users: pd.DataFrame) -> pd.DataFrame:
    """One row per measure (value produced, value returned); columns
    `DISTRIBUTION_COLUMNS`."""
    rows = []
    for m in MEASURES:
        x = users[m].to_numpy("float64")
        rows.append({
            "measure": m, "users": int(x.size), "total": float(x.sum()),
            "mean": float(x.mean()) if x.size else math.nan,
            "median": float(np.median(x)) if x.size else math.nan,
            "gini": gini(x), "top1_share": top_share(x, 0.01),
            "top10_share": top_share(x, 0.10),
            "zero_share": float((x == 0).mean()) if x.size else math.nan,
        })
    return pd.DataFrame(rows, columns=DISTRIBUTION_COLUMNS)


def lorenz_table(users: pd.DataFrame, points: int = 101) -> pd.DataFrame:
    """Lorenz curve points of each measure: ``measure``, ``population_share``, ``value_share``."""
    frames = []
    for m in MEASURES:
        pop, share = lorenz(users[m].to_numpy("float64"), points)
        frames.append(pd.DataFrame({"measure": m, "population_share": pop,
                                    "value_share": share}))
    return pd.concat(frames, ignore_index=True)
