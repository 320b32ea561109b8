"""Collect, build and write a report in one call, with a progress bar for people."""

from __future__ import annotations

import os
from pathlib import Path

from graphmodel.analysis.value import Accounts
from graphmodel.params import Params
from graphmodel.progress import progress_bar
from graphmodel.report.build import build_report
from graphmodel.report.collect import collect_sections
from graphmodel.report.write import check_out, write_report

__all__ = ["make_report"]


def make_report(store, out: str | os.PathLike, params: Params | None = None,
                accounts: Accounts | None = None, scenarios=None, spread: float = 0.5,
                bootstrap_reps: int = 200, seed: int = 0, progress: bool = False) -> Path:
    """Write the report of ``store`` into folder ``out``; return the HTML file's path.

    Options as `graphmodel.report.collect.collect_sections`. The folder is
    checked before any work is done ([`UserError`][graphmodel.errors.UserError] when
    it cannot hold the report).
    """
    check_out(out)
    with progress_bar(progress, "report") as bar:
        sections = collect_sections(
            store, params, accounts, scenarios=scenarios, spread=spread,
            bootstrap_reps=bootstrap_reps, seed=seed,
            progress=lambda step, done, total: bar(step, 0.8 * done, total))
        bar("figures", 0.8, 1.0)
        report = build_report(**sections)
        path = write_report(report, out)
        bar("written", 1.0, 1.0)
    return path
