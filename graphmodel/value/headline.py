"""The headline figures of a platform's value accounting, in one place.

What ``graphmodel demo`` prints first, and what scenarios and reports
compare: total labour, value produced (``T``), value returned (``sum v``),
the platform exploitation rate ``e = (T - sum v) / sum v``, the share of
``T`` that flowed through social relations, the Gini of value produced, the
wholly unpaid users and the share of users earning below the reference
minimum wage (MODEL.md sections 4 and 5).
"""

from __future__ import annotations

from graphmodel.value.accounting import Accounts
from graphmodel.value.inequality import gini

__all__ = ["headline_figures", "headline_text"]


def headline_figures(accounts: Accounts, params) -> dict[str, float]:
    users = accounts.user_table(params)
    plat = accounts.platform_table(params, users).iloc[0]
    worked = int((users["labor_s"] > 0).sum())
    return {
        "users": int(plat["users"]),
        "working_users": worked,
        "labor_hours": float(plat["labor_hours"]),
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
        "implicit_wage_per_hour": float(plat["value_returned"] / plat["labor_hours"])
        if plat["labor_hours"] else float("nan"),
    }


def headline_text(h: dict[str, float], params) -> str:
    """The figures in sentences (yuan, hours), for people."""
    return "\n".join([
        f"Users worked {h['labor_hours']:,.0f} hours watching, liking, commenting and "
        f"sharing ({h['working_users']:,} of {h['users']:,} users active).",
        f"That labour produced {h['user_generated_value']:,.0f} yuan of value for the "
        f"platform and its advertisers; users got {h['value_returned']:,.0f} yuan back "
        f"({100 * h['returned_share']:.1f}%), an implicit wage of "
        f"{h['implicit_wage_per_hour']:.2f} yuan an hour "
        f"(reference minimum {params['min_wage_hour']:g}).",
        f"Exploitation rate e = (T - sum v) / sum v = {h['exploitation_rate']:.1f}; "
        f"{h['wholly_unpaid_users']:,} active users got nothing at all; "
        f"{100 * h['below_min_wage_share']:.1f}% earned below the minimum wage.",
        f"{100 * h['relational_share']:.1f}% of the value flowed through users' social "
        f"relations (referrals, {params['attribution']} attribution, lambda "
        f"{params['lambda']:g}).",
        f"Gini of value produced {h['gini_value_produced']:.2f}, of value returned "
        f"{h['gini_value_returned']:.2f}.",
    ])
