"""Numbers as people read them: one rule per kind of quantity, for text, tables and charts.

Every figure the report, its charts and the headline sentences show goes
through this module, so the same value reads the same everywhere:

=========  ===================================================  ====================
kind       rule                                                 examples
=========  ===================================================  ====================
yuan       2 decimals, thousands separators, never scientific   ``33,730.50``
count      an integer with thousands separators                 ``113,750``
hours      2 decimals, thousands separators                     ``2,021.36``
share      a fraction as a percentage, 1 decimal, *bounded*     ``99.96%``, ``0.001%``
percent    a value already in percent, 1 decimal, *bounded*     ``+12.5%``
ratio      2 decimals (exploitation rates, elasticities)        ``3.41``
gini       2 decimals, *bounded* in [0, 1]                      ``0.999``
plain      a parameter as given, shortest exact decimal         ``0.0001``
=========  ===================================================  ====================

*Bounded* is the precision rule of shares: a value is shown with the base
number of decimals unless that rounds it onto a bound it is not exactly at
(0% or 100% for a share, 0 for a change, 0 or 1 for a Gini); then one more
decimal is added, and again, up to `MAX_DECIMALS`. So 0.9996 is
``99.96%``, never ``100.0%``; 0.00001 is ``0.001%``, never ``0.0%``; only an
exact 1 is ``100.0%``. A value closer to a bound than `MAX_DECIMALS`
can show is written ``<0.000001%`` or ``>99.999999%``.

An undefined value (``None``, NaN) is ``n/a``; an infinite one ``inf`` or
``-inf``. A negative zero is shown as 0.
"""

from __future__ import annotations

import math
from typing import Any

__all__ = [
    "NA",
    "MAX_DECIMALS",
    "KINDS",
    "yuan",
    "count",
    "hours",
    "share",
    "percent",
    "ratio",
    "gini",
    "plain",
    "number",
]

#: What an undefined value is shown as.
NA = "n/a"
#: The most decimals the bounded rule adds before writing ``<`` or ``>``.
MAX_DECIMALS = 6


def _undefined(value: Any) -> str | None:
    if value is None:
        return NA
    try:
        v = float(value)
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(v):
        return NA
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return None


def _fixed(v: float, decimals: int, sign: bool = False) -> str:
    text = f"{v:+,.{decimals}f}" if sign else f"{v:,.{decimals}f}"
    if float(text.replace(",", "")) == 0:  # no "-0.00" nor "+0.00"
        text = f"{0:.{decimals}f}"
    return text


def _bounded(
    v: float, decimals: int, bounds: tuple[float, ...], sign: bool = False, suffix: str = ""
) -> str:
    """``v`` to ``decimals`` decimals, more while the rounding lands on a bound ``v`` is not."""
    for d in range(decimals, MAX_DECIMALS + 1):
        text = _fixed(v, d, sign)
        shown = float(text.replace(",", ""))
        if not any(shown == b and v != b for b in bounds):
            return text + suffix
    # closer to a bound than MAX_DECIMALS can show: "<" above it, ">" below it
    bound = min(bounds, key=lambda b: abs(v - b))
    step = 10.0**-MAX_DECIMALS
    edge = bound + step if v > bound else bound - step
    return ("<" if v > bound else ">") + _fixed(edge, MAX_DECIMALS, sign) + suffix


def yuan(value: Any) -> str:
    """Money in yuan: 2 decimals with thousands separators (``-1,234.50``)."""
    return _undefined(value) or _fixed(float(value), 2)


def count(value: Any) -> str:
    """A count: an integer with thousands separators (``113,750``)."""
    return _undefined(value) or f"{round(float(value)):,}"


def hours(value: Any) -> str:
    """Hours: 2 decimals with thousands separators (``2,021.36``)."""
    return _undefined(value) or _fixed(float(value), 2)


def share(value: Any, decimals: int = 1) -> str:
    """A fraction as a percentage, bounded at 0% and 100% (``0.9996`` -> ``99.96%``)."""
    return _undefined(value) or _bounded(100.0 * float(value), decimals, (0.0, 100.0), suffix="%")


def percent(value: Any, decimals: int = 1, signed: bool = False) -> str:
    """A value already in percent (a change, a swing), bounded at 0; ``signed`` adds ``+``."""
    return _undefined(value) or _bounded(float(value), decimals, (0.0,), sign=signed, suffix="%")


def ratio(value: Any, decimals: int = 2) -> str:
    """A ratio (exploitation rate, elasticity): 2 decimals with separators."""
    return _undefined(value) or _bounded(float(value), decimals, (0.0,))


def gini(value: Any) -> str:
    """A Gini coefficient: 2 decimals, bounded at 0 and 1 (``0.9996`` -> ``0.9996``)."""
    return _undefined(value) or _bounded(float(value), 2, (0.0, 1.0))


def plain(value: Any) -> str:
    """A parameter as given: text as is, a number as its shortest exact decimal, never in
    scientific notation (``0.0001``, ``24``, ``0.5``)."""
    if isinstance(value, str):
        return value
    bad = _undefined(value)
    if bad is not None:
        return bad
    if isinstance(value, bool):
        return str(value)
    v = float(value)
    if v.is_integer() and abs(v) < 1e15:
        return f"{int(v):,}"
    text = repr(v)
    if "e" in text or "E" in text:
        mantissa, exp = text.lower().split("e")
        digits = len(mantissa.replace("-", "").replace(".", "").rstrip("0")) or 1
        text = f"{v:.{max(0, digits - 1 - int(exp))}f}"
    return text


#: The formatter of each kind.
KINDS = {
    "yuan": yuan,
    "count": count,
    "hours": hours,
    "share": share,
    "percent": percent,
    "ratio": ratio,
    "gini": gini,
    "plain": plain,
}


def number(kind: str, value: Any) -> str:
    """``value`` by the rule of ``kind`` (a key of `KINDS`; ``wage`` is yuan)."""
    return KINDS.get("yuan" if kind == "wage" else kind, plain)(value)
