"""Attribution of a referred user's value to the referral path (MODEL.md 5.5).

If ``w`` arrived in stream ``s`` through a referral, ``w`` keeps
``(1 - lambda) x b_{w,s}`` and ``lambda x b_{w,s}`` goes to ``w``'s ancestors
on its referral path in ``s``; the ancestor ``k`` hops up, on a path of
``d`` ancestors, gets the weight

=========  ====================================================
``last``   1 if k = 1 (the direct referrer), else 0
``first``  1 if k = d (the cascade's root), else 0
``linear`` 1 / d
``decay``  delta^(k-1) / sum_{j=1..d} delta^(j-1)   (default)
=========  ====================================================

so the weights of one arrival always sum to 1 and credit conserves value.
These are the position-based multi-touch attribution rules of marketing
analytics (last touch, first touch, linear, time decay), applied along the
referral chain as in referral-reward schemes (Shao et al., "Data-driven
multi-touch attribution models", KDD 2011).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["MODELS", "path_weights", "credit"]

MODELS = ("decay", "linear", "last", "first")


def path_weights(hops: np.ndarray, depth: np.ndarray, model: str, delta: float) -> np.ndarray:
    """The weight of the ancestor ``hops`` up on a path of ``depth`` ancestors."""
    hops = np.asarray(hops, dtype="float64")
    depth = np.asarray(depth, dtype="float64")
    if model == "last":
        return (hops == 1).astype("float64")
    if model == "first":
        return (hops == depth).astype("float64")
    if model == "linear":
        return 1.0 / depth
    if model == "decay":
        if delta == 1.0:
            return 1.0 / depth
        norm = (1.0 - delta ** depth) / (1.0 - delta)  # sum_{j=0}^{d-1} delta^j
        return np.power(delta, hops - 1.0) / norm
    raise ValueError(f"unknown attribution model {model!r} (known: {', '.join(MODELS)})")


def credit(paths: pd.DataFrame, base: np.ndarray, params) -> pd.DataFrame:
    """Credit rows: ``ancestor_id`` receives ``credit`` from ``user_id`` in ``stream_id``.

    ``paths`` as :data:`graphmodel.engines.memory.paths.PATH_COLUMNS`; ``base`` holds, for each
    path row, ``b_{w,s}`` of its referred arrival.
    """
    w = path_weights(paths["hops"].to_numpy(), paths["depth"].to_numpy(),
                     params["attribution"], float(params["delta"]))
    b = np.asarray(base, dtype="float64")
    out = paths[["ancestor_id", "user_id", "stream_id", "hops"]].copy()
    out["credit"] = params["lambda"] * b * w
    return out
