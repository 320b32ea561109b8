"""Referral paths (`graphmodel.model.aggregates.PATH_COLUMNS`) of a referral forest
([docs/model.md, 5.5][model-5-5]): every referred arrival with each of its ancestors.

One implementation for the memory and Neo4j engines, on the ``REFERRED``
edges each store holds (the Neo4j store reads them from the server with
``cypher/value/referral_edges.cypher``); the Spark engine walks the same chains
by iterative joins (`graphmodel.engines.spark.referrals.referral_paths`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from graphmodel.model.aggregates import PATH_COLUMNS, conform_paths

__all__ = ["referral_paths"]


def referral_paths(referrals: pd.DataFrame) -> pd.DataFrame:
    """All (referred user, stream, ancestor) rows of a referral forest, vectorised.

    Walks up all chains at once: at step k every referral row still below a
    root moves to its parent's row. The forest has no cycles (the log
    validator rejects them), so this ends after at most depth-max steps.
    """
    n = len(referrals)
    if n == 0:
        return conform_paths(pd.DataFrame(columns=PATH_COLUMNS))
    ids, uniques = pd.factorize(pd.concat([referrals["user_id"], referrals["referrer_id"]],
                                          ignore_index=True))
    child, parent = ids[:n].astype("int64"), ids[n:].astype("int64")
    scode, _ = pd.factorize(referrals["stream_id"])
    n_u = len(uniques)
    key = pd.Index(scode.astype("int64") * n_u + child)
    up_row = key.get_indexer(scode.astype("int64") * n_u + parent)  # -1 at a root

    rows, ancestors, hops = [], [], []
    current = np.arange(n)
    ancestor = parent.copy()
    row_of = up_row.copy()
    k = 1
    while current.size:
        rows.append(current)
        ancestors.append(ancestor)
        hops.append(np.full(current.size, k, dtype="int64"))
        going = row_of >= 0
        current, row_of = current[going], row_of[going]
        ancestor = parent[row_of]
        row_of = up_row[row_of]
        k += 1
        if k > n + 1:  # pragma: no cover - the validator rejects referral cycles
            raise ValueError("referral cycle")
    row = np.concatenate(rows)
    hop = np.concatenate(hops)
    depth = np.bincount(row, minlength=n)[row]
    out = pd.DataFrame({
        "user_id": referrals["user_id"].to_numpy(object)[row],
        "stream_id": referrals["stream_id"].to_numpy(object)[row],
        "ancestor_id": uniques.take(np.concatenate(ancestors)),
        "hops": hop,
        "depth": depth.astype("int64"),
    })
    return conform_paths(out)
