"""Run governance scenarios against the baseline ([docs/model.md, section 9][model-9]).

A scenario is a name, levers (`graphmodel.analysis.scenario.levers`), generator
switches, and whether to re-simulate (`graphmodel.analysis.scenario.resimulate`).
The result has one row per (scenario, figure): ``baseline``, ``value``,
``change = value - baseline`` and ``change_pct = 100 x change / |baseline|``.
Scenarios are read from the command line (``--lever NAME=VALUE``) or from a
TOML file, one table per scenario::

    [scenario.dividend_10]
    dividend = 0.1

    [scenario.no_tasks]
    tasks = "off"
    resimulate = true
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from graphmodel.analysis.scenario.figures import FIGURES, figures
from graphmodel.analysis.scenario.levers import LEVERS, apply_levers, parse_levers
from graphmodel.analysis.scenario.resimulate import SWITCHES, parse_switches, resimulated_config
from graphmodel.errors import ParameterError
from graphmodel.model.accounting import Accounts
from graphmodel.params import read_toml

__all__ = ["Scenario", "SCENARIO_COLUMNS", "run_scenarios", "scenario_table",
           "scenario_from_items", "load_scenarios", "parse_lever_items"]

SCENARIO_COLUMNS = ["scenario", "figure", "baseline", "value", "change", "change_pct"]


@dataclass(frozen=True)
class Scenario:
    name: str
    levers: dict[str, float] = field(default_factory=dict)
    switches: dict[str, bool] = field(default_factory=dict)
    resimulate: bool = False

    def describe(self) -> str:
        parts = [f"{k}={v:g}" for k, v in self.levers.items()]
        parts += [f"{k}={'on' if v else 'off'}" for k, v in self.switches.items()]
        return ", ".join(parts) + (" (re-simulated)" if self.resimulate else "")


def parse_lever_items(items, option: str = "--lever") -> dict[str, str]:
    """``NAME=VALUE`` strings of ``option`` as a dict (a later NAME wins); a malformed item
    is a [`ParameterError`][graphmodel.errors.ParameterError] naming ``option``."""
    out: dict[str, str] = {}
    for item in items:
        name, sep, value = str(item).partition("=")
        if not sep or not name.strip():
            raise ParameterError(f"{option} expects NAME=VALUE, got {item!r}")
        out[name.strip()] = value.strip()
    return out


def scenario_from_items(name: str, items: dict[str, Any], resimulate: bool = False) -> Scenario:
    """A scenario from ``name=value`` pairs (levers and switches)."""
    items = dict(items)
    resimulate = bool(items.pop("resimulate", resimulate))
    switches = {k: items.pop(k) for k in list(items) if k in SWITCHES}
    for k in items:
        if k not in LEVERS:
            known = ", ".join([*LEVERS, *SWITCHES])
            raise ParameterError(f"unknown lever {k!r} (known: {known})")
    sc = Scenario(name, parse_levers(items), parse_switches(switches), resimulate)
    if sc.switches and not sc.resimulate:
        raise ParameterError(f"scenario {name}: switches ({', '.join(sc.switches)}) change "
                             "behaviour and need re-simulation (--resimulate)")
    if not sc.levers and not sc.switches:
        raise ParameterError(f"scenario {name}: no lever given")
    return sc


def load_scenarios(path: str | Path) -> list[Scenario]:
    """Scenarios from the ``[scenario.NAME]`` tables of a TOML file."""
    path = Path(path)
    data = read_toml(path)
    tables = data.get("scenario")
    if not isinstance(tables, dict) or not tables:
        raise ParameterError(f"{path}: no [scenario.NAME] table")
    out = []
    for name, items in tables.items():
        try:
            out.append(scenario_from_items(name, items))
        except ParameterError as exc:
            raise ParameterError(f"{path}: scenario {name}: {exc}") from None
    return out


def _scenario_figures(store, accounts: Accounts, params, sc: Scenario, seed: int,
                      cache: dict) -> dict[str, float]:
    acc = accounts
    if sc.resimulate:
        from graphmodel.engines.memory.store import MemoryStore
        from graphmodel.generator import generate

        config = resimulated_config(store.meta, sc.switches, sc.levers)
        if config not in cache:
            cache[config] = Accounts.from_store(MemoryStore(generate(config)))
        acc = cache[config]
    acc, p, returned = apply_levers(acc, params, sc.levers, seed=seed)
    return figures(acc, p, returned)


def scenario_table(store, scenarios: list[Scenario], params=None, seed: int = 0,
                   progress=None) -> pd.DataFrame:
    """`run_scenarios` with its meta (the scenarios described, their seed); no scenario is
    a `ParameterError`."""
    from graphmodel.output import store_meta, with_meta
    from graphmodel.params import Params

    if not scenarios:
        raise ParameterError("give --lever NAME=VALUE or --file FILE")
    params = Params.of(params)
    df = run_scenarios(store, scenarios, params, seed=seed, progress=progress)
    return with_meta(df, store_meta(store, "scenario", dict(params), scenario_seed=seed,
                                    scenarios={s.name: s.describe() for s in scenarios}))


def run_scenarios(store, scenarios: list[Scenario], params, accounts: Accounts | None = None,
                  seed: int = 0, progress=None) -> pd.DataFrame:
    """Baseline against each scenario, one row per (scenario, figure)."""
    acc = accounts or store.accounts()
    base = figures(acc, params)
    rows, cache = [], {}
    for i, sc in enumerate(scenarios):
        got = _scenario_figures(store, acc, params, sc, seed, cache)
        for f in FIGURES:
            b, v = base[f], got[f]
            change = v - b
            rows.append({"scenario": sc.name, "figure": f, "baseline": b, "value": v,
                         "change": change,
                         "change_pct": 100.0 * change / abs(b) if b and not math.isnan(b)
                         else math.nan})
        if progress is not None:
            progress(sc.name, i + 1, len(scenarios))
    return pd.DataFrame(rows, columns=SCENARIO_COLUMNS)
