"""Labour time and data units (MODEL.md sections 4 and 5.2), from per-(user, stream) counts.

Each store counts, per (user, stream) pair, what the user did there (the
parameter-free columns of :data:`graphmodel.engines.memory.pairs.PAIR_COLUMNS`); the
parameterised formulas live here, once, for every store:

    L_{u,s} = watch_s + tau_like x taps + tau_comment x comments + tau_share x shares
    D_{u,s} = w_like x likes + w_comment x comments + w_share x shares
              + w_purchase x purchases + w_watch x (watches + 4 x completion)

``taps`` are like taps (``count``, default 1), ``likes`` like events;
purchases are consumption, not labour. ``completion`` is the sum over the
pair's watch events of min(1, seconds / stream duration), so the watch term
is the sum over watch events of w_watch x (1 + 4 x completion). A watch
without ``seconds`` counts 0 seconds; a stream of zero duration gives
completion 0. Labour time as unpaid attention and interaction: Fuchs,
*Digital Labour and Karl Marx* (2014); Terranova, "Free Labor" (2000).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["labour_seconds", "data_units", "completion"]


def completion(seconds, duration) -> np.ndarray:
    """``min(1, seconds / duration)`` per watch, 0 where the duration is not positive."""
    seconds = np.nan_to_num(np.asarray(seconds, dtype="float64"))
    duration = np.asarray(duration, dtype="float64")
    out = np.zeros_like(seconds)
    np.divide(seconds, duration, out=out, where=duration > 0)
    return np.minimum(out, 1.0)


def labour_seconds(pairs: pd.DataFrame, params) -> np.ndarray:
    """``L_{u,s}`` for each pair row."""
    return (pairs["watch_s"].to_numpy("float64")
            + params["tau_like"] * pairs["taps"].to_numpy("float64")
            + params["tau_comment"] * pairs["comments"].to_numpy("float64")
            + params["tau_share"] * pairs["shares"].to_numpy("float64"))


def data_units(pairs: pd.DataFrame, params) -> np.ndarray:
    """``D_{u,s}`` for each pair row."""
    return (params["w_like"] * pairs["likes"].to_numpy("float64")
            + params["w_comment"] * pairs["comments"].to_numpy("float64")
            + params["w_share"] * pairs["shares"].to_numpy("float64")
            + params["w_purchase"] * pairs["purchases"].to_numpy("float64")
            + params["w_watch"] * (pairs["watches"].to_numpy("float64")
                                   + 4.0 * pairs["completion"].to_numpy("float64")))
