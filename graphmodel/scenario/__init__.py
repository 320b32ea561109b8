"""Governance scenarios, sensitivity, uncertainty and national scale (MODEL.md 9, 10)."""

from graphmodel.scenario.figures import FIGURES, figures
from graphmodel.scenario.run import Scenario, load_scenarios, run_scenarios, scenario_from_items
from graphmodel.scenario.scale import scale_to_market
from graphmodel.scenario.sensitivity import sensitivity
from graphmodel.scenario.uncertainty import bootstrap

__all__ = ["FIGURES", "figures", "Scenario", "scenario_from_items", "load_scenarios",
           "run_scenarios", "sensitivity", "bootstrap", "scale_to_market"]
