"""``graphmodel scenario | sensitivity``: governance levers and the robustness of figures."""

from __future__ import annotations

from pathlib import Path

import click

from graphmodel.cli.examples import examples
from graphmodel.cli.options import output_options, param_options, source_options

__all__ = ["scenario", "sensitivity"]


@click.command(epilog=examples(
    ("a 20% dividend and at most five rewarded tasks per user, against baseline",
     "graphmodel scenario --source platform/ --lever dividend=0.2 --lever task_cap=5"),
    ("the platform without incentive tasks, simulated again (a generated log)",
     "graphmodel scenario --source platform/ --lever tasks=off --resimulate --name no-tasks"),
))
@click.option("--lever", "-l", "lever_items", multiple=True, metavar="NAME=VALUE",
              help="A lever (repeatable): dividend, data_union, opt_out, task_cap, "
                   "take_rate_cap; with --resimulate also the generator switches "
                   "tasks|feedback|shares|ads|social=off.")
@click.option("--file", "scenario_file", type=click.Path(dir_okay=False, path_type=Path),
              help="TOML file of named scenarios ([scenario.NAME] tables).")
@click.option("--name", default=None,
              help="Name of the --lever scenario in the output (default: its levers).")
@click.option("--resimulate", is_flag=True,
              help="Re-run the generator with the levers' behavioural effects (generated "
                   "logs only) instead of an accounting counterfactual on the same log.")
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True,
              help="Seed of random choices (which users opt out).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@source_options
@param_options
@output_options
def scenario(lever_items, scenario_file, name, resimulate, seed, quiet, params, store):
    """Baseline, scenario and change in platform revenue, labour, T, value returned,
    exploitation rate, relational share and Gini (docs/model.md, section 9)."""
    from graphmodel.analysis.scenario.run import (
        load_scenarios,
        parse_lever_items,
        scenario_from_items,
        scenario_table,
    )
    from graphmodel.errors import ParameterError
    from graphmodel.progress import progress_bar

    scenarios = load_scenarios(scenario_file) if scenario_file else []
    if lever_items:
        items = parse_lever_items(lever_items)
        label = name or ",".join(f"{k}={v}" for k, v in items.items())
        scenarios.append(scenario_from_items(label, items, resimulate=resimulate))
    if not scenarios:  # before the progress bar shows
        raise ParameterError("give --lever NAME=VALUE or --file FILE")
    with progress_bar(not quiet, "scenarios") as bar:
        return scenario_table(store, scenarios, params, seed=seed, progress=bar)


@click.command(epilog=examples(
    ("which parameters move the exploitation rate most, in tornado order",
     "graphmodel sensitivity --source platform/ --figure exploitation_rate"),
    ("two labour-time parameters, +-25%, as CSV",
     "graphmodel sensitivity --source platform/ --parameter tau_comment --parameter tau_share "
     "--spread 0.25 --format csv --out tornado.csv"),
))
@click.option("--spread", type=click.FloatRange(0.01, 0.99), default=0.5, show_default=True,
              help="Each numeric parameter from x(1 - spread) to x(1 + spread).")
@click.option("--parameter", "parameters", multiple=True, metavar="NAME",
              help="Only these parameters (repeatable); default all of docs/model.md, section 10.")
@click.option("--figure", "figure", help="Only this figure's rows.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@source_options
@param_options
@output_options
def sensitivity(spread, parameters, figure, quiet, params, store):
    """How much each headline figure moves when each parameter moves (tornado order)."""
    from graphmodel.analysis.scenario.sensitivity import check_request, sensitivity_table
    from graphmodel.progress import progress_bar
    from graphmodel.renamed import deprecation

    note = deprecation(figure) if figure else None
    if note:
        click.echo(f"note: --figure {note}", err=True)
    figure = check_request(parameters, figure)  # before the progress bar shows
    with progress_bar(not quiet, "sensitivity") as bar:
        return sensitivity_table(store, params, spread=spread,
                                 parameters=list(parameters) or None, figure=figure,
                                 progress=bar)
