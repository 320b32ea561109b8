"""Scenarios by re-simulation: the generator run again with a lever's behavioural effect.

A log made by ``graphmodel generate`` records its generator options
(``graphmodel.json``). Re-simulation regenerates the platform with the same
seed and options except for what the scenario changes, so the difference
against the baseline is the lever's effect, users' responses included (for
example, without tasks users watch less):

=====================  ==============================================================
switch or lever        generator change
=====================  ==============================================================
tasks=off              no incentive tasks (``--no-tasks``)
feedback=off           the recommender ignores users' history (``--no-feedback``)
shares=off, ads=off,   the generator's other switches
social=off
task_cap=0             no tasks (other caps have no generator counterpart: an error)
opt_out=f              profiling weakened on average: ``feedback_strength`` x (1 - f) and
                       the precision gain ``precision_max - precision_base`` x (1 - f)
=====================  ==============================================================

The accounting levers (``dividend``, ``data_union``, ``take_rate_cap``,
``opt_out``'s loss of data value) then apply to the re-simulated log as they
do to a recorded one (`graphmodel.analysis.scenario.levers`).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from graphmodel.errors import ParameterError, UserError

__all__ = ["SWITCHES", "parse_switches", "resimulated_config"]

SWITCHES = ("tasks", "feedback", "shares", "ads", "social")
_OFF = {"off", "false", "no", "0"}
_ON = {"on", "true", "yes", "1"}


def parse_switches(items: dict[str, Any]) -> dict[str, bool]:
    out = {}
    for name, value in items.items():
        text = str(value).strip().lower()
        if text not in _OFF | _ON:
            raise ParameterError(f"switch {name} must be on or off, got {value!r}")
        out[name] = text in _ON
    return out


def resimulated_config(meta: dict, switches: dict[str, bool], levers: dict[str, float]):
    """The generator config of the scenario, from the baseline log's recorded options."""
    from graphmodel.generator import GeneratorConfig

    recorded = (meta or {}).get("generator")
    if not recorded:
        raise UserError("re-simulation needs a log made by `graphmodel generate` (its "
                        "options are recorded in graphmodel.json); this log has none")
    config = GeneratorConfig(**recorded)
    changes: dict[str, Any] = dict(switches)
    if "task_cap" in levers:
        if levers["task_cap"] != 0:
            raise ParameterError("re-simulation supports task_cap=0 (no tasks) only; other "
                                 "caps are accounting counterfactuals (drop --resimulate)")
        changes["tasks"] = False
    if levers.get("opt_out"):
        keep = 1.0 - levers["opt_out"]
        changes["feedback_strength"] = config.feedback_strength * keep
        changes["precision_max"] = (config.precision_base
                                    + (config.precision_max - config.precision_base) * keep)
    return replace(config, **changes)
