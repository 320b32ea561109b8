"""The headline figures of a platform's value accounting, in one place.

What ``graphmodel demo`` prints first, and what scenarios and reports
compare: total labour, value produced (``T``), value returned (``sum v``),
the platform exploitation rate ``e = (T - sum v) / sum v``, the share of
``T`` that flowed through social relations, the Gini of value produced, the
wholly unpaid users and the share of users earning below the reference
minimum wage ([docs/model.md, sections 4 and 5][model-4]).
"""

from __future__ import annotations

import math

from graphmodel.analysis.value.inequality import gini
from graphmodel.model.accounting import Accounts

__all__ = ["headline_figures", "headline_text"]


def headline_figures(accounts: Accounts, params) -> dict[str, float]:
    users = accounts.user_table(params)
    plat = accounts.platform_table(params, users).iloc[0]
    worked = int((users["labour_s"] > 0).sum())
    return {
        "users": int(plat["users"]),
        "working_users": worked,
        "labour_hours": float(plat["labour_hours"]),
        "user_generated_value": float(plat["user_generated_value"]),
        "value_returned": float(plat["value_returned"]),
        "returned_share": float(plat["value_returned"] / plat["user_generated_value"])
        if plat["user_generated_value"] else float("nan"),
        "exploitation_rate": float(plat["exploitation_rate"]),
        "relational_share": float(plat["relational_share"]),
        "gini_value_produced": gini(users["value_produced"]),
        "gini_value_returned": gini(users["value_returned"]),
        "wholly_unpaid_users": int(plat["wholly_unpaid_users"]),
        "below_min_wage_share": float(plat["below_min_wage_share"]),
        "implicit_wage_per_hour": float(plat["value_returned"] / plat["labour_hours"])
        if plat["labour_hours"] else float("nan"),
    }


def _defined(x) -> bool:
    return x is not None and not (isinstance(x, float) and math.isnan(x))


def headline_text(h: dict[str, float], params) -> str:
    """The figures in sentences (yuan, hours), for people. A figure that is undefined on
    this log (a ratio over 0: no value produced, nothing returned, nobody worked) is said
    to be so, with the reason, never printed as ``nan`` or as 0."""
    returned = (f"{100 * h['returned_share']:.1f}%" if _defined(h["returned_share"])
                else "no share of T, which is 0")
    wage = (f"an implicit wage of {h['implicit_wage_per_hour']:.2f} yuan an hour "
            f"(reference minimum {params['min_wage_hour']:g})"
            if _defined(h["implicit_wage_per_hour"]) else "no implicit wage: nobody worked")
    if _defined(h["exploitation_rate"]):
        rate = f"Exploitation rate e = (T - sum v) / sum v = {h['exploitation_rate']:.1f}"
    else:
        rate = ("Exploitation rate e = (T - sum v) / sum v undefined: users got nothing "
                "back (sum v = 0)")
    below = (f"{100 * h['below_min_wage_share']:.1f}% earned below the minimum wage"
             if _defined(h["below_min_wage_share"])
             else "nobody worked, so nobody earned below the minimum wage or above it")
    if _defined(h["relational_share"]):
        relational = (f"{100 * h['relational_share']:.1f}% of the value flowed through users' "
                      "social relations")
    else:
        relational = "No value was produced, so none flowed through users' social relations"

    def gini(name: str) -> str:
        return f"{h[name]:.2f}" if _defined(h[name]) else "undefined (a total of 0)"

    return "\n".join([
        f"Users worked {h['labour_hours']:,.0f} hours watching, liking, commenting and "
        f"sharing ({h['working_users']:,} of {h['users']:,} users active).",
        f"That labour produced {h['user_generated_value']:,.0f} yuan of value for the "
        f"platform and its advertisers; users got {h['value_returned']:,.0f} yuan back "
        f"({returned}), {wage}.",
        f"{rate}; {h['wholly_unpaid_users']:,} active users got nothing at all; {below}.",
        f"{relational} (referrals, {params['attribution']} attribution, lambda "
        f"{params['lambda']:g}).",
        f"Gini of value produced {gini('gini_value_produced')}, of value returned "
        f"{gini('gini_value_returned')}.",
    ])
