"""``graphmodel demo``: the main job on the embedded store.

Generates a default platform, reads it back through the validator into the
in-memory store, runs every analysis the project has, prints a readable
summary (the headline figures of the value accounting first) and writes
each result as JSON (with its metadata) beside the log.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from graphmodel.analysis.summary import calibration_table, graph_stats, spread_table
from graphmodel.analysis.value import distribution, extraction, value
from graphmodel.analysis.value.headline import headline_figures, headline_text
from graphmodel.engines.memory.store import MemoryStore
from graphmodel.generator.write import generate_to
from graphmodel.output import render, write_result
from graphmodel.params import Params

__all__ = ["run_demo"]


def run_demo(out: str | os.PathLike, users: int = 20_000, days: int = 7, seed: int = 0,
             progress: bool = True, echo=print) -> dict:
    """Run the demo into folder ``out``; return the results by name."""
    from graphmodel.generator import GeneratorConfig

    out = Path(out)
    log_dir, results_dir = out / "log", out / "results"
    t0 = time.perf_counter()
    generate_to(GeneratorConfig(users=users, days=days, seed=seed), log_dir, fmt="parquet",
                progress=progress)
    store = MemoryStore.open(log_dir)
    params = Params()
    accounts = store.accounts()
    results = {
        "value_platform": value(store, "platform", params, accounts=accounts),
        "value_actor": value(store, "actor", params, accounts=accounts),
        "distribution": distribution(store, params, accounts=accounts),
        "extraction_platform": extraction(store, "platform", params, accounts=accounts),
        "stats": graph_stats(store),
        "calibration": calibration_table(store),
        "spread_cascades": spread_table("cascade", store=store),
        "spread_dataset": spread_table("dataset", store=store),
    }
    for name, df in results.items():
        write_result(df, fmt="json", out=results_dir / f"{name}.json")
    ev = store.table("events")
    gmv = ev.loc[ev["type"] == "purchase", "amount"].sum()
    echo(f"\nA platform of {users:,} users over {days} days (seed {seed}): "
         f"{len(ev):,} events, {len(store.referrals()):,} referrals, GMV {gmv:,.0f} yuan.\n")
    echo(headline_text(headline_figures(accounts, params), params) + "\n")
    echo(render(results["value_actor"], "table"))
    echo(render(results["distribution"], "table"))
    echo(render(results["stats"], "table"))
    compact = results["calibration"][["target", "value", "target_value", "tolerance", "verdict"]]
    echo(render(compact, "table", meta=results["calibration"].attrs["meta"]))
    echo("(sources of each target: `graphmodel calibration --source LOG --format json`, "
         "docs/generator.md)")
    echo(render(results["spread_dataset"], "table"))
    echo(render(results["spread_cascades"].head(5), "table",
                meta={**results["spread_cascades"].attrs["meta"], "command": "largest cascades"}))
    from graphmodel.report import make_report

    report = make_report(store, out / "report", params=params, accounts=accounts,
                         progress=progress)
    echo(f"Event log: {log_dir}\nResults (JSON with parameters and seed): {results_dir}\n"
         f"Report (HTML, with a Markdown twin beside it): {report}\n"
         f"Done in {time.perf_counter() - t0:.1f} s.")
    return results
