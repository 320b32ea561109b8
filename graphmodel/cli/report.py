"""``graphmodel report``: the HTML report and its Markdown twin at the command line."""

from __future__ import annotations

from pathlib import Path

import click

from graphmodel.cli.examples import examples
from graphmodel.cli.options import param_options, source_options

__all__ = ["report"]


def _check_out(ctx, param, value):
    from graphmodel.report.write import check_out

    return None if value is None else check_out(value)


@click.command(epilog=examples(
    ("report.html, report.md and figures/ in report/",
     "graphmodel report --source platform/ --out report/"),
    ("with linear attribution and no bootstrap intervals (faster)",
     "graphmodel report --source platform/ --out report-linear/ --param attribution=linear "
     "--bootstrap 0"),
))
@click.option("--out", "out", required=True, type=click.Path(),
              callback=_check_out,
              help="Folder to write report.html, report.md, figures/ and tables/ into "
                   "(checked before anything is read).")
@click.option("--scenarios", "scenario_file", type=click.Path(dir_okay=False, path_type=Path),
              help="TOML file of scenarios ([scenario.NAME] tables, as `graphmodel scenario "
                   "--file`) instead of the default set, one per lever.")
@click.option("--spread", type=click.FloatRange(0.01, 0.99), default=0.5, show_default=True,
              help="Sensitivity: each numeric parameter from x(1 - spread) to x(1 + spread).")
@click.option("--bootstrap", "bootstrap_reps", type=click.IntRange(min=0), default=200,
              show_default=True, help="Bootstrap resamples of users (0: no intervals).")
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True,
              help="Seed of the random parts (who opts out, the resamples).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@source_options
@param_options
def report(out, scenario_file, spread, bootstrap_reps, seed, quiet, params, store):
    """Write one self-contained HTML report (and a Markdown twin) of a platform.

    Headline figures, Lorenz curves, cascade sizes, structural virality,
    exploitation rates, value by actor class, scenarios, the sensitivity
    tornado, bootstrap intervals, the calibration of a generated log, the
    methods (formulas, parameters, source), limitations and how to cite.
    The HTML makes no network request: figures are embedded as PNG data and
    every table's CSV as a data link (also written to tables/). See
    docs/report.md.
    """
    from graphmodel.analysis.scenario.run import load_scenarios
    from graphmodel.cli.options import print_notes
    from graphmodel.report.make import make_report

    print_notes({"notes": store.coverage.notes("report")})
    scenarios = load_scenarios(scenario_file) if scenario_file else None
    path = make_report(store, out, params=params, scenarios=scenarios, spread=spread,
                       bootstrap_reps=bootstrap_reps, seed=seed, progress=not quiet)
    click.echo(str(path))
