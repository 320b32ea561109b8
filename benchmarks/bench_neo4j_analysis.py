"""Benchmark: analysis on the Neo4j store against the memory store, same platform, same run.

Two analyses, each timed on both stores and printed with their ratio:

- the whole value accounting (everything ``graphmodel value``, ``extraction``
  and ``distribution`` print: :func:`bench_value.full_accounting`), whose
  store components are the pair table, the referral paths and the small
  tables;
- the cascade table (``graphmodel spread --by cascade``), on the memory store
  with its referral forest already derived (as the Neo4j store holds it), and
  also with the derivation counted.

Target: the Neo4j store within 5x of the memory store for both. The Neo4j
server reads (``cypher/value/stream_events.cypher``,
``cypher/value/referral_edges.cypher``, ``cypher/analysis/forest.cypher``,
``cypher/tables/*.cypher``) and the model's one implementation computes, for
both stores. The two stores' tables are compared (floats to 1e-9) before any
figure is printed.

The platform (100k users x 7 days, seeded) is generated once into ``--dir``
and bulk-imported (``neo4j-admin database import``) into a temporary home,
removed afterwards. Times are the best of ``--repeat`` warm runs; the first
run on the server after its start is reported as cold.

Usage: ``python benchmarks/bench_neo4j_analysis.py [--users 100000] [--days 7]
[--seed 1] [--dir DIR] [--home DIR] [--repeat 3]``
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))
from bench_bulk_import import ensure_log  # noqa: E402
from bench_value import full_accounting  # noqa: E402

from graphmodel.engines import MemoryStore  # noqa: E402
from graphmodel.eventlog import read_log  # noqa: E402


def best(fn, repeat: int) -> tuple[float, object]:
    """The shortest of ``repeat`` timings of ``fn()`` and its last result."""
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return min(times), out


def accounting_time(store, repeat: int) -> tuple[float, dict]:
    totals, out = [], None
    for _ in range(repeat):
        times, out = full_accounting(store)
        totals.append(times["total"])
    return min(totals), out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--users", type=int, default=100_000)
    ap.add_argument("--days", type=int, default=7)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--dir", type=Path)
    ap.add_argument("--home", type=Path, default=Path("/tmp/gm-bench-neo4j-analysis"))
    ap.add_argument("--repeat", type=int, default=3, help="best of N warm runs")
    args = ap.parse_args()
    folder = args.dir or Path(
        f"/tmp/gm-bench-neo4j-{args.users // 1000}k-{args.days}d-s{args.seed}"
    )
    print(f"load average at start: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    ensure_log(folder, args.users, args.days, args.seed)

    t = time.perf_counter()
    log = read_log(folder)
    mem = MemoryStore(log)
    read = time.perf_counter() - t
    t = time.perf_counter()
    mem.referrals()
    derive = time.perf_counter() - t
    print(
        f"{args.users:,} users x {args.days} days, seed {args.seed}: "
        f"{len(log['events']):,} events; memory store: read + validate {read:.1f} s, "
        f"referral forest derived in {derive:.2f} s"
    )
    mem_value, mem_out = accounting_time(mem, args.repeat)
    # the memory store keeps its cascade table: time the computation itself, each run anew
    from graphmodel.model.referral_cascades import referral_cascades

    events = log["events"]

    def mem_cascades():
        shares = events.loc[events["type"] == "share", ["stream_id", "user_id", "at"]]
        return referral_cascades(mem.referrals(), shares)

    mem_casc, mem_table = best(mem_cascades, args.repeat)

    import neo4j

    from graphmodel.engines.neo4j.bulk import bulk_import
    from graphmodel.engines.neo4j.connect import DRIVER_CONFIG
    from graphmodel.engines.neo4j.store import Neo4jStore
    from graphmodel.server import LocalServer

    shutil.rmtree(args.home, ignore_errors=True)
    server = LocalServer(args.home, heap_initial="2g", heap_max="2g", pagecache="1g")
    try:
        t = time.perf_counter()
        bulk_import(log, server, timeout=900)
        print(f"neo4j: bulk import {time.perf_counter() - t:.1f} s")
        info = server.start()
        with neo4j.GraphDatabase.driver(info.bolt_uri, auth=info.auth, **DRIVER_CONFIG) as d:
            store = Neo4jStore(d, info.bolt_uri)
            cold, _ = full_accounting(store)
            neo_value, neo_out = accounting_time(store, args.repeat)
            neo_casc, neo_table = best(store.cascade_table, args.repeat)
    finally:
        server.stop()
        shutil.rmtree(args.home, ignore_errors=True)

    for by in ("user", "stream", "platform", "actor"):
        a, b = mem_out[by], neo_out[by]
        for c in a.columns:
            if pd.api.types.is_float_dtype(a[c]):
                np.testing.assert_allclose(a[c], b[c], rtol=1e-9, atol=1e-9)
            else:
                assert (a[c].astype(str) == b[c].astype(str)).all(), (by, c)
    pd.testing.assert_frame_equal(mem_table, neo_table, rtol=1e-9)
    print("the two stores' value tables and cascade tables agree (1e-9)")

    print(
        f"value accounting: memory {mem_value:.2f} s, Neo4j {neo_value:.2f} s warm "
        f"({cold['total']:.2f} s cold); ratio Neo4j / memory: {neo_value / mem_value:.1f}x "
        "(target < 5x)"
    )
    print(
        f"cascade table ({len(neo_table):,} cascades): memory {mem_casc:.2f} s "
        f"({mem_casc + derive:.2f} s with the forest derived), Neo4j {neo_casc:.2f} s; "
        f"ratio Neo4j / memory: {neo_casc / mem_casc:.1f}x "
        f"({neo_casc / (mem_casc + derive):.1f}x with the derivation) (target < 5x)"
    )


if __name__ == "__main__":
    main()
