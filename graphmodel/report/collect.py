"""Compute the report's tables from a store: the thin driver before `build_report`.

Every table comes from the library function that owns it: the value
accounting ([`graphmodel.analysis.value.Accounts`][graphmodel.model.accounting.Accounts]), the headline figures, the
Lorenz points, the cascade table of the store, value by actor class, and the
scenario, sensitivity and bootstrap tables of `graphmodel.analysis.scenario`.

Without a scenario file the report compares `default_scenarios`, one
per lever of [docs/model.md, section 9][model-9], each an accounting counterfactual on the
same log (no re-simulation, so any log works).

For a generated log (its meta records the generator's options) the
calibration table of ``graphmodel calibration``
([`graphmodel.analysis.summary.calibration_table`][graphmodel.analysis.summary.calibration_table]) is added; for a log
held in memory, its fingerprint (the digest ``graphmodel load`` records in
Neo4j, `graphmodel.engines.neo4j.load.fingerprint`) goes into the meta.
"""

from __future__ import annotations

from typing import Any

from graphmodel.analysis.scenario import Scenario, bootstrap, run_scenarios, sensitivity
from graphmodel.analysis.scenario.scale import ASSUMPTION, log_days, scale_to_market
from graphmodel.analysis.summary import calibration_table
from graphmodel.analysis.value import Accounts, value
from graphmodel.analysis.value.headline import headline_figures
from graphmodel.analysis.value.inequality import lorenz_table
from graphmodel.explorer import explorer_fragment
from graphmodel.output import store_meta
from graphmodel.params import Params

__all__ = ["default_scenarios", "collect_sections"]


def _fingerprint(store) -> str | None:
    """The sha256 digest of the store's log when it holds one in memory, else ``None``."""
    from graphmodel.engines.neo4j.load import fingerprint
    from graphmodel.eventlog.log import EventLog

    log = getattr(store, "log", None)
    return fingerprint(log) if isinstance(log, EventLog) else None


def default_scenarios(params) -> tuple[Scenario, ...]:
    """The scenarios a report compares unless told otherwise: each lever alone, the data
    union's floor at the platform's own price of a data unit (``alpha x p_data``)."""
    return (
        Scenario("dividend_10pct", {"dividend": 0.1}),
        Scenario("data_union_floor", {"data_union": params["alpha"] * params["p_data"]}),
        Scenario("opt_out_30pct", {"opt_out": 0.3}),
        Scenario("task_cap_3", {"task_cap": 3.0}),
        Scenario("take_rate_cap_2pct", {"take_rate_cap": 0.02}),
    )


# Share of the progress bar each step ends at.
_STEPS = {
    "accounting": 0.15,
    "cascades": 0.25,
    "scenarios": 0.4,
    "sensitivity": 0.85,
    "bootstrap": 1.0,
}


def collect_sections(
    store,
    params: Params | None = None,
    accounts: Accounts | None = None,
    scenarios: list[Scenario] | tuple[Scenario, ...] | None = None,
    spread: float = 0.5,
    bootstrap_reps: int = 200,
    seed: int = 0,
    progress=None,
) -> dict[str, Any]:
    """The keyword arguments of `graphmodel.report.build.build_report` for ``store``.

    ``scenarios`` default to `default_scenarios` (an empty list leaves the
    section out); ``spread`` is the sensitivity range (``x (1 -+ spread)``);
    ``bootstrap_reps`` resamples of users (0 leaves the section out); ``seed``
    drives the random parts (who opts out, the resamples). ``progress(step,
    done, total)`` is called as the work goes on.
    """
    params = params if params is not None else Params()
    scenarios = default_scenarios(params) if scenarios is None else tuple(scenarios)
    tick = progress or (lambda step, done, total: None)
    start = 0.0

    def sub(step):
        def call(_name, done, total):
            tick(step, start + (_STEPS[step] - start) * (done / total if total else 1.0), 1.0)

        return call

    tick("accounting", 0.0, 1.0)
    acc = accounts or store.accounts()
    users = acc.user_table(params)
    sections: dict[str, Any] = {
        "headline": headline_figures(acc, params),
        "params": params,
        "meta": store_meta(
            store,
            "report",
            dict(params),
            scenario_seed=seed,
            sensitivity_spread=spread,
            bootstrap_reps=bootstrap_reps,
            fingerprint=_fingerprint(store),
        ),
        "users": users,
        "lorenz": lorenz_table(users),
        "actors": value(store, "actor", params, accounts=acc),
    }
    sections["scale"] = scale_to_market(
        sections["headline"], users=len(acc.users), days=log_days(acc.tables["streams"])
    )
    sections["scale_assumption"] = ASSUMPTION
    if sections["meta"].get("generator") is not None:
        sections["calibration"] = calibration_table(store)
    start = _STEPS["accounting"]
    tick("cascades", start, 1.0)
    sections["cascades"] = store.cascade_table()
    start = _STEPS["cascades"]
    if scenarios:
        sections["scenarios"] = run_scenarios(
            store, list(scenarios), params, accounts=acc, seed=seed, progress=sub("scenarios")
        )
        sections["scenario_descriptions"] = {s.name: s.describe() for s in scenarios}
    start = _STEPS["scenarios"]
    sections["sensitivity"] = sensitivity(acc, params, spread=spread, progress=sub("sensitivity"))
    start = _STEPS["sensitivity"]
    if bootstrap_reps:
        sections["bootstrap"] = bootstrap(
            users, reps=bootstrap_reps, seed=seed, progress=sub("bootstrap")
        )
    tick("bootstrap", 1.0, 1.0)
    sections["panel"] = explorer_fragment(
        store, params, seed=seed, title=str(sections["meta"].get("source") or ""), accounts=acc
    )
    return sections
