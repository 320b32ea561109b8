"""The degree baseline for influence maximisation: the ``k`` users with the most out-edges.

A node's out-degree here is the number of users it can influence directly
(followers and friends). Choosing the top-``k`` by degree is the classic
heuristic baseline of Kempe, Kleinberg & Tardos (2003, "high-degree"); it
ignores overlap between the seeds' audiences and the edge probabilities.
Ties go to the lower node index (the ``users`` table's order).
"""

from __future__ import annotations

import numpy as np

from graphmodel.analysis.diffusion.graph import DiffusionGraph
from graphmodel.errors import UserError

__all__ = ["top_degree"]


def top_degree(graph: DiffusionGraph, k: int) -> np.ndarray:
    """Node indices of the ``k`` largest out-degrees, largest first (ties: lower index first)."""
    n = graph.n
    if not 1 <= k <= n:
        raise UserError(f"k must be between 1 and the number of users ({n}), got {k}")
    deg = graph.out_degree()
    order = np.lexsort((np.arange(n), -deg))
    return order[:k].astype(np.int64)
