"""Benchmark: the full one-at-a-time sensitivity sweep (``graphmodel sensitivity``).

Target: every parameter of MODEL.md section 10 at its low and high value
(33 evaluations of every headline figure) on a 100,000-user x 7-day platform
in under 30 s in memory. The sweep reuses the store's parameter-free
components (``graphmodel.analysis.value.Accounts``); the baseline is what a sweep
without them would do: rebuild the accounting from the raw event tables
for each setting (``Accounts.from_store`` on a fresh memory store of the
same, already validated, log, then the figures). One baseline evaluation is
timed and multiplied by the number of evaluations.

Usage: ``python benchmarks/bench_sensitivity.py [--users 100000] [--days 7] [--seed 1]
[--dir DIR]``
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_bulk_import import ensure_log  # noqa: E402

from graphmodel.analysis.scenario import figures, sensitivity  # noqa: E402
from graphmodel.analysis.value import Accounts  # noqa: E402
from graphmodel.engines import MemoryStore  # noqa: E402
from graphmodel.eventlog import read_log  # noqa: E402
from graphmodel.model.attribution import MODELS  # noqa: E402
from graphmodel.params import PARAMETERS, Params  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--users", type=int, default=100_000)
    ap.add_argument("--days", type=int, default=7)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--dir", type=Path)
    args = ap.parse_args()
    folder = args.dir or Path(f"/tmp/gm-bench-neo4j-{args.users // 1000}k-{args.days}d-s{args.seed}")
    print(f"load average at start: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    ensure_log(folder, args.users, args.days, args.seed)
    log = read_log(folder)
    params = Params()
    evaluations = 2 * (len(PARAMETERS) - 1) + len(MODELS)

    t = time.perf_counter()
    store = MemoryStore(log)
    acc = Accounts.from_store(store)
    table = sensitivity(acc, params)
    ours = time.perf_counter() - t
    print(f"ours: the whole sweep ({evaluations} evaluations, {len(table)} rows) in {ours:.1f} s, "
          "components included; target < 30 s")

    t = time.perf_counter()
    fresh = Accounts.from_store(MemoryStore(log))
    figures(fresh, params.replace(**{"lambda": 0.25}))
    one = time.perf_counter() - t
    print(f"baseline: one evaluation from the raw tables {one:.2f} s; x {evaluations} = "
          f"{one * evaluations:.0f} s")
    print(f"ratio baseline / ours: {one * evaluations / ours:.1f}x")
    top = table.loc[table["figure"] == "exploitation_rate"].head(3)
    print("exploitation rate hangs most on: "
          + ", ".join(f"{r.parameter} ({r.at_low:.2f} .. {r.at_high:.2f})"
                      for r in top.itertuples()))


if __name__ == "__main__":
    main()
