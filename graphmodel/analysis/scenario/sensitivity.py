"""One-at-a-time sensitivity of the headline figures to each model parameter.

Every parameter of [docs/model.md, section 10][model-10] is set, alone, to a low and a high
value around its current one; all the figures of
`graphmodel.analysis.scenario.figures` are recomputed from the store's
parameter-free components (never from the raw log). For a numeric parameter
``x`` the range is ``x x (1 - spread)`` to ``x x (1 + spread)`` (default
spread 0.5), clipped to the parameter's valid range (``lambda`` and
``delta`` in [0, 1], ``take_rate`` at most 1); for the attribution model,
``low`` and ``high`` are the models giving the smallest and largest value of
each figure (of models tied to 1e-12 relative, the first registered).
``swing = |at_high - at_low|``; rows are sorted by figure and,
within a figure, by swing, largest first: the order of a tornado chart.
One-at-a-time designs show which assumption a conclusion hangs on, not
interactions (Saltelli et al., *Global Sensitivity Analysis: The Primer*,
2008, ch. 1).
"""

from __future__ import annotations

import math

import pandas as pd

from graphmodel.analysis.scenario.figures import FIGURES, figures
from graphmodel.model.accounting import Accounts
from graphmodel.model.attribution import MODELS
from graphmodel.params import PARAMETERS

__all__ = ["SENSITIVITY_COLUMNS", "sensitivity", "sensitivity_table", "check_request",
           "parameter_range"]

SENSITIVITY_COLUMNS = ["parameter", "low", "high", "figure", "baseline", "at_low", "at_high",
                       "swing"]


def parameter_range(name: str, value: float, spread: float) -> tuple[float, float]:
    p = PARAMETERS[name]
    return max(p.low, value * (1.0 - spread)), min(p.high, value * (1.0 + spread))


def sensitivity(accounts: Accounts, params, spread: float = 0.5,
                parameters: list[str] | None = None, progress=None) -> pd.DataFrame:
    """The tornado table (module docstring); ``progress(step, done, total)`` is called
    after each parameter."""
    names = parameters or list(PARAMETERS)
    base = figures(accounts, params)
    rows = []
    for i, name in enumerate(names):
        if name == "attribution":
            runs = {m: figures(accounts, params.replace(attribution=m)) for m in MODELS}
            for f in FIGURES:
                lo, hi = _extremes({m: runs[m][f] for m in runs})
                rows.append(_row(name, lo, hi, f, base[f], runs[lo][f], runs[hi][f]))
        else:
            lo, hi = parameter_range(name, float(params[name]), spread)
            at_lo = figures(accounts, params.replace(**{name: lo}))
            at_hi = figures(accounts, params.replace(**{name: hi}))
            for f in FIGURES:
                rows.append(_row(name, lo, hi, f, base[f], at_lo[f], at_hi[f]))
        if progress is not None:
            progress(name, i + 1, len(names))
    df = pd.DataFrame(rows, columns=SENSITIVITY_COLUMNS)
    df["_order"] = df["figure"].map({f: i for i, f in enumerate(FIGURES)})
    df = df.sort_values(["_order", "swing", "parameter"], ascending=[True, False, True],
                        na_position="last", kind="mergesort")
    return df.drop(columns="_order").reset_index(drop=True)


def check_request(parameters: list[str] | None = None, figure: str | None = None) -> str | None:
    """The figure's name (a 0.1.0 name read as its new one, `graphmodel.renamed`), or a
    `ParameterError` for a parameter or figure name the sweep does not know."""
    from graphmodel.errors import ParameterError
    from graphmodel.renamed import RENAMED

    for p in parameters or ():
        if p not in PARAMETERS:
            raise ParameterError(f"unknown parameter {p!r} (known: {', '.join(PARAMETERS)})")
    figure = RENAMED.get(figure, figure)
    if figure is not None and figure not in FIGURES:
        raise ParameterError(f"unknown figure {figure!r} (known: {', '.join(FIGURES)})")
    return figure


def sensitivity_table(store, params=None, spread: float = 0.5,
                      parameters: list[str] | None = None, figure: str | None = None,
                      progress=None) -> pd.DataFrame:
    """`sensitivity` on an engine's accounts, with its meta; ``figure`` keeps one figure's
    rows. Unknown parameter or figure names are a `ParameterError`."""
    from graphmodel.output import store_meta, with_meta
    from graphmodel.params import Params

    params = Params.of(params)
    figure = check_request(parameters, figure)
    df = sensitivity(store.accounts(), params, spread=spread, parameters=parameters,
                     progress=progress)
    if figure is not None:
        df = df.loc[df["figure"] == figure].reset_index(drop=True)
    return with_meta(df, store_meta(store, "sensitivity", dict(params), spread=spread))


#: Figures closer than this (relative) count as equal when the extremes are chosen: an
#: engine that sums in another order must not turn a tie into a different choice.
TIE = 1e-12


def _extremes(values: dict[str, float]) -> tuple[str, str]:
    """The models giving the smallest and the largest value; of models tied (to
    `TIE`), the first registered."""
    lo = min(values, key=values.get)
    hi = max(values, key=values.get)
    finite = [v for v in values.values() if not math.isnan(v)]
    if len(finite) == len(values):
        tol = TIE * max(abs(values[lo]), abs(values[hi]), 1e-300)
        lo = next(m for m, v in values.items() if v <= values[lo] + tol)
        hi = next(m for m, v in values.items() if v >= values[hi] - tol)
    return lo, hi


def _row(name, lo, hi, figure, base, at_lo, at_hi) -> dict:
    swing = abs(at_hi - at_lo) if not (math.isnan(at_hi) or math.isnan(at_lo)) else math.nan
    return {"parameter": name, "low": str(lo) if isinstance(lo, str) else f"{lo:g}",
            "high": str(hi) if isinstance(hi, str) else f"{hi:g}", "figure": figure,
            "baseline": base, "at_low": at_lo, "at_high": at_hi, "swing": swing}
