"""Benchmark: our CELF (``graphmodel influence --method celf``) against GDS's CELF.

The same graph and the same probabilities on both sides:

- the users' influence graph of a generated platform (``--users`` x ``--days``,
  ``--seed``): a follow ``w -> u`` lets influence flow ``u -> w``, a friendship
  both ways, one edge per pair (`graphmodel.analysis.diffusion.edges`). In
  Neo4j, after ``load_log``, that is the native projection of ``User`` with
  ``FOLLOWS`` reversed and parallel edges aggregated to one
  (``orientation: 'REVERSE', aggregation: 'SINGLE'``); both edge counts are
  printed and must agree;
- Independent Cascade with the constant probability ``--p`` on every edge
  (``--probability constant --p``; GDS's ``propagationProbability``);
- ``--k`` seeds, and ``--runs`` Monte Carlo samples for each method's own
  estimates (ours: common live-edge samples, ``influence_max(..., runs=)``;
  GDS: ``monteCarloSimulations``).

Each seed set is then evaluated by the same independent Monte Carlo run of ours
(``graphmodel.simulate_spread``, ``--eval-runs`` runs, one seed for both: common
random numbers). Times side by side: ours is the selection alone (numba compiled
beforehand) and the whole call; GDS's is the ``stream`` call seen from the
client (the projection and the load are timed apart). The local server is
started in a temporary home on free ports and stopped at the end; GDS
Community uses at most 4 threads, ours the CPUs.

Usage: ``python benchmarks/bench_gds_celf.py [--users 3000] [--days 1] [--seed 1] [--k 10]
[--p 0.1] [--runs 100] [--eval-runs 10000] [--dir /tmp/gm-bench-gds-celf]``
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from bench_diffusion import ensure_platform

PROJECTION = "bench_gds_celf"


def ours(store, args) -> tuple[list[str], float, float, float]:
    """Seeds, the sum of CELF's own gains, the selection seconds and the whole call's seconds."""
    import graphmodel

    t = time.perf_counter()
    df = graphmodel.influence_max(
        store,
        args.k,
        method="celf",
        model="ic",
        runs=args.runs,
        probability="constant",
        p=args.p,
        seed=args.seed,
    )
    whole = time.perf_counter() - t
    return df["user_id"].tolist(), float(df["gain"].sum()), float(df["seconds"].iloc[0]), whole


def gds(driver, args) -> tuple[list[str], float, float]:
    """Seeds, the sum of GDS's spreads and the seconds of the stream call."""
    config = {
        "seedSetSize": args.k,
        "propagationProbability": args.p,
        "monteCarloSimulations": args.runs,
        "randomSeed": args.seed,
    }
    t = time.perf_counter()
    records, _, _ = driver.execute_query(
        "CALL gds.influenceMaximization.celf.stream($graph, $config) YIELD nodeId, spread "
        "RETURN gds.util.asNode(nodeId).id AS user_id, spread",
        graph=PROJECTION,
        config=config,
    )
    seconds = time.perf_counter() - t
    # the stream's rows are not in the order chosen: the order of the gains is
    ranked = sorted(records, key=lambda r: -r["spread"])
    return [r["user_id"] for r in ranked], sum(r["spread"] for r in ranked), seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=3000)
    parser.add_argument("--days", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--p", type=float, default=0.1)
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--eval-runs", type=int, default=10_000)
    parser.add_argument("--dir", default="/tmp/gm-bench-gds-celf")
    args = parser.parse_args()

    import neo4j

    import graphmodel
    from graphmodel.engines.neo4j.connect import DRIVER_CONFIG
    from graphmodel.engines.neo4j.load import load_log
    from graphmodel.eventlog import read_log
    from graphmodel.server import LocalServer

    folder = Path(args.dir) / f"{args.users}u-{args.days}d-s{args.seed}"
    ensure_platform(folder, args.users, args.days, args.seed)
    log = read_log(folder)
    store = graphmodel.MemoryStore(log)
    edges = graphmodel.diffusion_edges(store, probability="constant", p=args.p)
    print(
        f"platform: {args.users:,} users x {args.days} day(s), seed {args.seed}; influence graph "
        f"{len(edges):,} edges; IC, p = {args.p} on every edge; k = {args.k}; "
        f"{args.runs} samples per method, {args.eval_runs:,} evaluation runs",
        flush=True,
    )

    home = Path(tempfile.mkdtemp(prefix="gm-bench-gds-"))
    server = LocalServer(home, bolt_port=0, http_port=0)
    try:
        t = time.perf_counter()
        info = server.start()
        print(
            f"local server: started in {time.perf_counter() - t:.1f} s "
            f"(ready {info.startup_seconds:.1f} s after launching java)",
            flush=True,
        )
        with neo4j.GraphDatabase.driver(info.bolt_uri, auth=info.auth, **DRIVER_CONFIG) as driver:
            t = time.perf_counter()
            load_log(log, driver)
            print(f"loaded the log into Neo4j in {time.perf_counter() - t:.1f} s", flush=True)
            t = time.perf_counter()
            records, _, _ = driver.execute_query(
                "CALL gds.graph.project($graph, 'User', "
                "{FOLLOWS: {orientation: 'REVERSE', aggregation: 'SINGLE'}}) "
                "YIELD nodeCount, relationshipCount RETURN nodeCount, relationshipCount",
                graph=PROJECTION,
            )
            projected = records[0]
            print(
                f"GDS projection: {projected['nodeCount']:,} users, "
                f"{projected['relationshipCount']:,} edges in {time.perf_counter() - t:.2f} s "
                f"(ours: {store.table('users').shape[0]:,} users, {len(edges):,} edges)",
                flush=True,
            )
            if projected["relationshipCount"] != len(edges):
                raise SystemExit("the two graphs differ: not comparable")
            gds_seeds, gds_estimate, gds_seconds = gds(driver, args)
            driver.execute_query(
                "CALL gds.graph.drop($graph) YIELD graphName RETURN graphName", graph=PROJECTION
            )
    finally:
        server.stop()
        shutil.rmtree(home, ignore_errors=True)

    our_seeds, our_estimate, our_select, our_whole = ours(store, args)
    evaluated = {}
    for name, seeds in (("ours", our_seeds), ("GDS", gds_seeds)):
        row = graphmodel.simulate_spread(
            store, seeds, runs=args.eval_runs, probability="constant", p=args.p, seed=args.seed
        ).iloc[0]
        evaluated[name] = row
    print()
    print(f"{'':6} {'own estimate':>12} {'evaluated spread (95% CI)':>30} {'seconds':>22}")
    for name, estimate, seconds in (
        ("ours", our_estimate, f"{our_select:.2f} (whole call {our_whole:.2f})"),
        ("GDS", gds_estimate, f"{gds_seconds:.2f}"),
    ):
        row = evaluated[name]
        ci = f"{row['spread']:.2f} ({row['ci_low']:.2f} - {row['ci_high']:.2f})"
        print(f"{name:6} {estimate:12.2f} {ci:>30} {seconds:>22}")
    print()
    print(f"ours: {', '.join(our_seeds)}")
    print(f"GDS:  {', '.join(gds_seeds)}")
    common = set(our_seeds) & set(gds_seeds)
    print(f"in both: {len(common)} of {args.k}")


if __name__ == "__main__":
    main()
