"""The figures scenarios, sensitivity and bootstrap report ([docs/model.md, section 9][model-9]).

    platform_revenue      all ad spend + take_rate x GMV + data value - sum v
                          (the platform's capture, cash and data asset, [docs/model.md, 5.6][model-5-6])
    labour_hours           sum L_u / 3600
    user_generated_value  T = sum of base value b
    value_returned        sum v_u
    exploitation_rate     e = (T - sum v) / sum v
    relational_share      sum R_u / T
    gini_value_produced   Gini of V_u over users
    gini_value_returned   Gini of v_u over users
    below_min_wage_share  share of users with labour whose implicit wage v_u / (L_u / 3600)
                          is below min_wage_hour

``value_returned`` may be adjusted by a lever (a dividend, a data-union
floor): `figures` takes the per-user returned value to use.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from graphmodel.analysis.value.inequality import gini
from graphmodel.model.rates import below_min_wage_share, platform_rates

__all__ = ["FIGURES", "figures"]

FIGURES = ("platform_revenue", "labour_hours", "user_generated_value", "value_returned",
           "exploitation_rate", "relational_share", "gini_value_produced",
           "gini_value_returned", "below_min_wage_share")


def figures(accounts, params, returned: np.ndarray | None = None,
            users: pd.DataFrame | None = None) -> dict[str, float]:
    """The headline figures of ``accounts`` under ``params``; ``returned`` replaces each
    user's value returned (aligned with the user table)."""
    users = accounts.user_table(params) if users is None else users
    totals = accounts.totals(params)
    v = users["value_returned"].to_numpy("float64") if returned is None else returned
    total = totals["base"]
    sum_v = float(v.sum())
    spend = float(accounts.tables["ad_spend"]["spend"].sum())
    rates = platform_rates(total, sum_v, float(users["relational_value"].sum()))
    return {
        "platform_revenue": spend + totals["commerce"] + totals["data"] - sum_v,
        "labour_hours": float(users["labour_s"].sum()) / 3600.0,
        "user_generated_value": total,
        "value_returned": sum_v,
        "exploitation_rate": float(rates["exploitation_rate"]),
        "relational_share": float(rates["relational_share"]),
        "gini_value_produced": gini(users["value_produced"].to_numpy("float64")),
        "gini_value_returned": gini(v),
        "below_min_wage_share": below_min_wage_share(users["labour_s"], v, params),
    }
