"""Surplus and rates ([docs/model.md, 5.4 and 5.6][model-5-4]): what users produce against what they get back.

Per user, from value produced ``V_u``, value returned ``v_u`` and labour ``L_u``:

    s_u = V_u - v_u                       surplus
    e_u = s_u / v_u                       rate of exploitation (null where v_u = 0)
    unpaid share = s_u / V_u              (null where V_u = 0)
    hourly wage  = v_u / (L_u / 3600)     (null where L_u = 0)

A user who worked (``L_u > 0``) and got nothing back is *wholly unpaid*;
users with no activity are neither paid nor unpaid. The share below the
minimum wage is taken over users with labour time, comparing the hourly
wage with ``min_wage_hour``. Platform level: e = (T - sum v) / sum v.

The labour theory of value and the rate of exploitation s/v: Marx,
*Capital* vol. 1, ch. 9; for users' unpaid digital labour Fuchs, *Digital
Labour and Karl Marx* (2014), ch. 11.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

__all__ = ["ratio", "user_rates", "user_flags", "platform_rates", "below_min_wage_share"]


def ratio(num, den) -> np.ndarray:
    """``num / den``, null (NaN) where ``den`` is 0.

    >>> ratio([1.0, 1.0], [2.0, 0.0])
    array([0.5, nan])
    """
    num = np.asarray(num, dtype="float64")
    den = np.asarray(den, dtype="float64")
    out = np.full(np.shape(num), np.nan)
    np.divide(num, den, out=out, where=den != 0)
    return out


def user_rates(produced, returned, labour_s) -> dict[str, np.ndarray]:
    """``surplus``, ``exploitation_rate``, ``unpaid_share`` and ``hourly_wage`` per user."""
    produced = np.asarray(produced, dtype="float64")
    returned = np.asarray(returned, dtype="float64")
    surplus = produced - returned
    return {
        "surplus": surplus,
        "exploitation_rate": ratio(surplus, returned),
        "unpaid_share": ratio(surplus, produced),
        "hourly_wage": ratio(returned, np.asarray(labour_s, dtype="float64") / 3600.0),
    }


def user_flags(labour_s, returned, hourly_wage, params: Mapping) -> dict[str, np.ndarray]:
    """Per user, as 0/1 counts that add up over users: ``worked`` (labour time > 0),
    ``wholly_unpaid`` (worked, nothing returned), ``below_min_wage`` (worked, hourly
    wage below ``min_wage_hour`` or null)."""
    worked = np.asarray(labour_s, dtype="float64") > 0
    unpaid = worked & (np.asarray(returned, dtype="float64") == 0)
    with np.errstate(invalid="ignore"):
        below = worked & ~(np.asarray(hourly_wage, dtype="float64")
                           >= float(params["min_wage_hour"]))
    return {"worked": worked.astype("int64"), "wholly_unpaid": unpaid.astype("int64"),
            "below_min_wage": below.astype("int64")}


def platform_rates(total, returned, relational) -> dict[str, np.ndarray]:
    """The platform's ``surplus`` T - sum v, ``exploitation_rate`` (T - sum v) / sum v and
    ``relational_share`` sum R / T (null where the denominator is 0), from the totals T,
    sum v and sum R; element by element for arrays of them (bootstrap resamples).

    >>> {k: float(v) for k, v in platform_rates(100.0, 20.0, 5.0).items()}
    {'surplus': 80.0, 'exploitation_rate': 4.0, 'relational_share': 0.05}
    """
    total = np.asarray(total, dtype="float64")
    returned = np.asarray(returned, dtype="float64")
    surplus = total - returned
    return {"surplus": surplus, "exploitation_rate": ratio(surplus, returned),
            "relational_share": ratio(relational, total)}


def below_min_wage_share(labour_s, returned, params: Mapping) -> float:
    """The share of users with labour time whose hourly wage is below ``min_wage_hour``
    (null when nobody worked)."""
    returned = np.asarray(returned, dtype="float64")
    labour_s = np.asarray(labour_s, dtype="float64")
    flags = user_flags(labour_s, returned, ratio(returned, labour_s / 3600.0), params)
    return float(ratio(flags["below_min_wage"].sum(), flags["worked"].sum()))
