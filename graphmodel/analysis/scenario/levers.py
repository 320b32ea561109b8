"""Governance levers as accounting counterfactuals on the same log ([docs/model.md, section 9][model-9]).

=================  ==================================================================
lever=VALUE        counterfactual
=================  ==================================================================
dividend=f         value sharing: each user also receives f x V_u (0 <= f <= 1)
data_union=p       a data union's floor price per data unit: each user receives at
                   least p x D_u yuan, v_u' = max(v_u, p x D_u) (their task rewards
                   count towards the floor)
opt_out=f          algorithmic transparency: a seeded random fraction f of users opt
                   out of profiling; the platform gets no data value from them
                   (their data units are still produced, and still counted)
task_cap=k         at most k task completions per user are rewarded (the earliest)
take_rate_cap=x    the platform's commission on GMV is at most x
=================  ==================================================================

Levers combine: first the take-rate cap, opt-out and task cap change the
accounting; then the dividend is paid on the resulting V_u, and the data-union
floor applies to what users then receive. Each lever changes only what it names; the log, and so users' behaviour, stays
as it was. Behavioural responses need re-simulation
(`graphmodel.analysis.scenario.resimulate`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from graphmodel.errors import ParameterError
from graphmodel.model.accounting import Accounts

__all__ = ["LEVERS", "Lever", "apply_levers", "parse_levers"]


@dataclass(frozen=True)
class Lever:
    name: str
    low: float
    high: float
    meaning: str


LEVERS = {lv.name: lv for lv in (
    Lever("dividend", 0.0, 1.0, "share of each user's value produced paid back to the user"),
    Lever("data_union", 0.0, 1e6, "floor price per data unit (yuan)"),
    Lever("opt_out", 0.0, 1.0, "share of users who opt out of profiling"),
    Lever("task_cap", 0.0, 1e9, "rewarded task completions per user"),
    Lever("take_rate_cap", 0.0, 1.0, "cap on the platform's commission on GMV"),
)}


def parse_levers(items: dict[str, Any]) -> dict[str, float]:
    """Check lever names and values; a [`ParameterError`][graphmodel.errors.ParameterError] names the problem."""
    out = {}
    for name, value in items.items():
        if name not in LEVERS:
            raise ParameterError(f"unknown lever {name!r} (known: {', '.join(LEVERS)})")
        lv = LEVERS[name]
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ParameterError(f"lever {name} must be a number, got {value!r}") from None
        if not lv.low <= number <= lv.high or number != number:
            raise ParameterError(f"lever {name} must be in [{lv.low:g}, {lv.high:g}], "
                                 f"got {value!r}")
        out[name] = number
    return out


def apply_levers(accounts: Accounts, params, levers: dict[str, float],
                 seed: int = 0) -> tuple[Accounts, Any, np.ndarray]:
    """The counterfactual: (accounts, params, per-user value returned) under ``levers``."""
    acc, p = accounts, params
    if "take_rate_cap" in levers:
        p = p.replace(take_rate=min(p["take_rate"], levers["take_rate_cap"]))
    if levers.get("opt_out"):
        rng = np.random.default_rng(seed)
        ids = acc.users.to_numpy(object)
        out = ids[rng.random(ids.size) < levers["opt_out"]]
        pairs = acc.pairs.assign(profiled=~acc.pairs["user_id"].isin(out).to_numpy())
        acc = Accounts(users=acc.users, pairs=pairs, paths=acc.paths, tables=acc.tables)
    if "task_cap" in levers:
        tc = acc.tables["task_completions"]
        rank = tc.sort_values(["user_id", "at"], kind="mergesort").groupby("user_id").cumcount()
        kept = tc.loc[rank.reindex(tc.index).to_numpy() < int(levers["task_cap"])]
        acc = Accounts(users=acc.users, pairs=acc.pairs, paths=acc.paths,
                       tables={**acc.tables, "task_completions": kept})
    users = acc.user_table(p)
    returned = users["value_returned"].to_numpy("float64").copy()
    if levers.get("dividend"):
        returned += levers["dividend"] * users["value_produced"].to_numpy("float64")
    if levers.get("data_union"):
        returned = np.maximum(returned, levers["data_union"]
                              * users["data_units"].to_numpy("float64"))
    return acc, p, returned

