"""Labour time and data units ([docs/model.md, sections 4 and 5.2][model-4]), from per-(user, stream) counts.

Each engine counts, per (user, stream) pair, what the user did there (the
parameter-free columns of `graphmodel.model.aggregates.PAIR_COLUMNS`); the
parameterised formulas live here, once, for every engine, as the coefficients of
linear forms in those counts (`labour_weights`, `data_unit_weights`),
so the same coefficients serve one pair, a user's sums or the platform's:

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

from collections.abc import Mapping

import numpy as np

__all__ = ["UNIT_COUNTS", "LABOUR_COUNTS", "labour_weights", "data_unit_weights", "linear",
           "labour_seconds", "data_units", "completion"]

#: The counts data units are made of, in order.
UNIT_COUNTS = ("likes", "comments", "shares", "purchases", "watches", "completion")
#: The counts labour time is made of.
LABOUR_COUNTS = ("watch_s", "taps", "comments", "shares")


def labour_weights(params: Mapping) -> dict[str, float]:
    """Seconds of labour per unit of each count: ``L = sum_c weight_c x count_c``.

    >>> labour_weights({"tau_like": 0.5, "tau_comment": 20.0, "tau_share": 15.0})
    {'watch_s': 1.0, 'taps': 0.5, 'comments': 20.0, 'shares': 15.0}
    """
    return {"watch_s": 1.0, "taps": float(params["tau_like"]),
            "comments": float(params["tau_comment"]), "shares": float(params["tau_share"])}


def data_unit_weights(params: Mapping) -> dict[str, float]:
    """Data units per unit of each count: ``D = sum_c weight_c x count_c`` (watches count
    ``w_watch`` each and ``4 x w_watch`` per unit of completion)."""
    w_watch = float(params["w_watch"])
    return {"likes": float(params["w_like"]), "comments": float(params["w_comment"]),
            "shares": float(params["w_share"]), "purchases": float(params["w_purchase"]),
            "watches": w_watch, "completion": 4.0 * w_watch}


def linear(counts, weights: Mapping[str, float], prefix: str = "") -> np.ndarray:
    """``sum_c weights[c] x counts[prefix + c]``, one value per row of ``counts`` (a
    DataFrame or a mapping of arrays).

    >>> import pandas as pd
    >>> linear(pd.DataFrame({"a": [1, 2], "b": [10, 0]}), {"a": 2.0, "b": 0.5})
    array([7., 4.])
    """
    out = None
    for column, weight in weights.items():
        term = weight * np.asarray(counts[prefix + column], dtype="float64")
        out = term if out is None else out + term
    return out


def completion(seconds, duration) -> np.ndarray:
    """``min(1, seconds / duration)`` per watch, 0 where the duration is not positive."""
    seconds = np.nan_to_num(np.asarray(seconds, dtype="float64"))
    duration = np.asarray(duration, dtype="float64")
    out = np.zeros_like(seconds)
    np.divide(seconds, duration, out=out, where=duration > 0)
    return np.minimum(out, 1.0)


def labour_seconds(counts, params: Mapping) -> np.ndarray:
    """``L`` for each row of per-(user, stream) counts (or sums of them)."""
    return linear(counts, labour_weights(params))


def data_units(counts, params: Mapping) -> np.ndarray:
    """``D`` for each row of per-(user, stream) counts (or sums of them)."""
    return linear(counts, data_unit_weights(params))
