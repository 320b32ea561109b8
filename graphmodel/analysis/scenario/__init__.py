"""Governance scenarios, sensitivity, uncertainty and national scale ([docs/model.md, 9, 10][model-9])."""

from graphmodel.analysis.scenario.figures import FIGURES, figures
from graphmodel.analysis.scenario.run import (
           Scenario,
           load_scenarios,
           run_scenarios,
           scenario_from_items,
)
from graphmodel.analysis.scenario.scale import scale_to_market
from graphmodel.analysis.scenario.sensitivity import sensitivity
from graphmodel.analysis.scenario.uncertainty import bootstrap

__all__ = ["FIGURES", "figures", "Scenario", "scenario_from_items", "load_scenarios",
           "run_scenarios", "sensitivity", "bootstrap", "scale_to_market"]
