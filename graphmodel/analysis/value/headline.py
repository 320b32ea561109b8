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

from graphmodel import numbers
from graphmodel.analysis.value.inequality import gini
from graphmodel.model.accounting import Accounts

__all__ = ["FIGURES", "figure_text", "headline_figures", "headline_text"]

#: Each headline figure: its label for people and its kind of number
#: (`graphmodel.numbers`), the same in sentences, tables and chart titles.
FIGURES: dict[str, tuple[str, str]] = {
    "users": ("users", "count"),
    "working_users": ("users with labour time", "count"),
    "labour_hours": ("labour time (hours)", "hours"),
    "user_generated_value": ("value produced T (yuan)", "yuan"),
    "value_returned": ("value returned sum v (yuan)", "yuan"),
    "returned_share": ("share of T returned", "share"),
    "exploitation_rate": ("exploitation rate e = (T - sum v) / sum v", "ratio"),
    "relational_share": ("share of T through social relations", "share"),
    "gini_value_produced": ("Gini of value produced", "gini"),
    "gini_value_returned": ("Gini of value returned", "gini"),
    "wholly_unpaid_users": ("wholly unpaid users (worked, v = 0)", "count"),
    "below_min_wage_share": ("share of working users below the minimum wage", "share"),
    "implicit_wage_per_hour": ("implicit wage (yuan per hour)", "yuan"),
}


def figure_text(name: str, value) -> str:
    """A headline figure (or any figure named like one) by the rule of its kind."""
    return numbers.number(FIGURES.get(name, (name, "plain"))[1], value)


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
        if plat["user_generated_value"]
        else float("nan"),
        "exploitation_rate": float(plat["exploitation_rate"]),
        "relational_share": float(plat["relational_share"]),
        "gini_value_produced": gini(users["value_produced"]),
        "gini_value_returned": gini(users["value_returned"]),
        "wholly_unpaid_users": int(plat["wholly_unpaid_users"]),
        "below_min_wage_share": float(plat["below_min_wage_share"]),
        "implicit_wage_per_hour": float(plat["value_returned"] / plat["labour_hours"])
        if plat["labour_hours"]
        else float("nan"),
    }


def _defined(x) -> bool:
    return x is not None and not (isinstance(x, float) and math.isnan(x))


def headline_text(h: dict[str, float], params) -> str:
    """The figures in sentences (yuan, hours), for people. A figure that is undefined on
    this log (a ratio over 0: no value produced, nothing returned, nobody worked) is said
    to be so, with the reason, never printed as ``nan`` or as 0."""
    f = figure_text
    returned = (
        f("returned_share", h["returned_share"])
        if _defined(h["returned_share"])
        else "no share of T, which is 0"
    )
    wage = (
        f"an implicit wage of {f('implicit_wage_per_hour', h['implicit_wage_per_hour'])} "
        f"yuan an hour (reference minimum {numbers.yuan(params['min_wage_hour'])})"
        if _defined(h["implicit_wage_per_hour"])
        else "no implicit wage: nobody worked"
    )
    if _defined(h["exploitation_rate"]):
        rate = "Exploitation rate e = (T - sum v) / sum v = " + f(
            "exploitation_rate", h["exploitation_rate"]
        )
    else:
        rate = (
            "Exploitation rate e = (T - sum v) / sum v undefined: users got nothing "
            "back (sum v = 0)"
        )
    below = (
        f"{f('below_min_wage_share', h['below_min_wage_share'])} of working users "
        "earned below the minimum wage"
        if _defined(h["below_min_wage_share"])
        else "nobody worked, so nobody earned below the minimum wage or above it"
    )
    if _defined(h["relational_share"]):
        relational = (
            f"{f('relational_share', h['relational_share'])} of the value flowed "
            "through users' social relations"
        )
    else:
        relational = "No value was produced, so none flowed through users' social relations"

    def gini(name: str) -> str:
        return f(name, h[name]) if _defined(h[name]) else "undefined (a total of 0)"

    return "\n".join(
        [
            f"Users worked {f('labour_hours', h['labour_hours'])} hours watching, liking, commenting and "
            f"sharing ({f('working_users', h['working_users'])} of {f('users', h['users'])} users active).",
            f"That labour produced {f('user_generated_value', h['user_generated_value'])} yuan "
            f"of value for the platform and its advertisers; users got "
            f"{f('value_returned', h['value_returned'])} yuan back "
            f"({returned}), {wage}.",
            f"{rate}; {f('wholly_unpaid_users', h['wholly_unpaid_users'])} active users got nothing at all; {below}.",
            f"{relational} (referrals, {params['attribution']} attribution, lambda "
            f"{numbers.plain(params['lambda'])}).",
            f"Gini of value produced {gini('gini_value_produced')}, of value returned "
            f"{gini('gini_value_returned')}.",
        ]
    )
