"""Benchmark: cascade metrics (MODEL.md section 6), ours against a naive networkx baseline.

Three inputs:
- random recursive trees of 2,000 nodes (``--tree-size``): ours against
  networkx's all pairs on the same trees, per tree; then our time for 10k,
  100k and 1M cascade nodes in total and its growth exponent (target: 500x,
  linear growth);
- Twitter15 (1,490 real retweet trees, 599,196 nodes, up to 2,990 per tree):
  ``read_edges`` + ``edge_cascades``;
- a generated platform (100k users x 7 days, seeded): the memory store's
  ``cascade_table`` over its referral forest.

The baseline is what a first version would do: per cascade, a networkx graph,
structural virality as the mean over all pairs of shortest-path lengths
(``nx.all_pairs_shortest_path_length`` on the undirected tree, O(n^2)), depth
and breadth by BFS from the root. It runs on a seeded sample of cascades and
is extrapolated: for Twitter15 by the sum of n(n - 1) (the all-pairs work),
for the platform by the number of cascades (tiny trees: per-cascade overhead
dominates).

Usage: ``python benchmarks/bench_cascades.py [--edges FILE] [--users 100000] [--days 7]
[--dir /tmp/gm-bench-cascades] [--sample 40]``
"""

from __future__ import annotations

import argparse
import math
import time
from pathlib import Path

import networkx as nx
import numpy as np


def naive_tree(edges: list[tuple[str, str]], root: str) -> dict:
    """All metrics of one tree the obvious way (virality by all pairs)."""
    g = nx.DiGraph()
    g.add_node(root)
    g.add_edges_from(edges)
    n = g.number_of_nodes()
    depth = nx.single_source_shortest_path_length(g, root)
    levels = np.bincount(list(depth.values()))
    u = g.to_undirected()
    total = sum(sum(d.values()) for _, d in nx.all_pairs_shortest_path_length(u))
    return {
        "size": n,
        "depth": int(levels.size - 1),
        "max_breadth": int(levels.max()),
        "leaves": sum(1 for v in g if g.out_degree(v) == 0),
        "structural_virality": total / (n * (n - 1)) if n > 1 else math.nan,
    }


def bench_twitter15(path: Path, sample: int, seed: int) -> None:
    from graphmodel.analysis.edgelist import dataset_summary, edge_cascades, read_edges

    print(f"Twitter15: {path}")
    t = time.perf_counter()
    edges = read_edges(path)
    t_read = time.perf_counter() - t
    t = time.perf_counter()
    metrics = edge_cascades(edges)
    t_ours = time.perf_counter() - t
    d = dataset_summary(metrics).iloc[0]
    print(
        f"  {int(d['cascades']):,} cascades, {int(d['nodes']):,} nodes, "
        f"{int(d['edges']):,} edges, sizes {int(d['min_size'])}..{int(d['max_size']):,}, "
        f"max depth {int(d['max_depth'])}, mean virality {d['mean_virality']:.3f}"
    )
    print(
        f"  ours: read + validate {t_read:.2f} s, metrics {t_ours:.2f} s, "
        f"total {t_read + t_ours:.2f} s"
    )

    rng = np.random.default_rng(seed)
    ids = rng.choice(
        metrics["cascade_id"].to_numpy(), size=min(sample, len(metrics)), replace=False
    )
    by = edges.groupby("cascade_id", sort=False)
    roots = metrics.set_index("cascade_id")["root_id"]
    pairs = 0
    t = time.perf_counter()
    for cid in ids:
        e = by.get_group(cid)
        r = naive_tree(list(zip(e["parent_id"], e["child_id"], strict=True)), roots[cid])
        got = metrics.loc[metrics["cascade_id"] == cid].iloc[0]
        assert r["size"] == got["size"] and r["depth"] == got["depth"]
        assert abs(r["structural_virality"] - got["structural_virality"]) < 1e-9
        pairs += r["size"] * (r["size"] - 1)
    t_sample = time.perf_counter() - t
    n = metrics["size"].to_numpy(np.float64)
    all_pairs = float((n * (n - 1)).sum())
    t_naive = t_sample * all_pairs / pairs
    print(
        f"  naive (networkx all pairs): {len(ids)} cascades in {t_sample:.2f} s "
        f"({pairs:,} ordered pairs), extrapolated to all {all_pairs:,.0f} pairs: "
        f"{t_naive:,.0f} s"
    )
    print(
        f"  ratio naive / ours (metrics): {t_naive / t_ours:,.0f}x; "
        f"naive / ours (read + metrics): {t_naive / (t_read + t_ours):,.0f}x"
    )


def random_trees(trees: int, size: int, seed: int):
    """``trees`` random recursive trees of ``size`` nodes (each node's parent uniform among
    the earlier ones, depth ~ ln n) as an edge list, ids scoped by cascade."""
    import pandas as pd

    rng = np.random.default_rng(seed)
    child = np.tile(np.arange(1, size), trees)
    parent = (rng.random(child.size) * child).astype(np.int64)
    cascade = np.repeat(np.arange(trees), size - 1)
    return pd.DataFrame({"cascade_id": cascade.astype(str), "parent_id": parent.astype(str),
                         "child_id": child.astype(str)})


def bench_synthetic(size: int, trees: int, naive_trees: int, seed: int) -> None:
    """Virality (with every other metric) on ``size``-node trees against networkx's all
    pairs on the same trees; then growth of our time with the total number of nodes."""
    from graphmodel.analysis.edgelist import edge_cascades

    print(f"Random recursive trees of {size:,} nodes")
    edges = random_trees(trees, size, seed)
    t = time.perf_counter()
    ours = edge_cascades(edges, validate=False)
    t_ours = (time.perf_counter() - t) / trees
    t = time.perf_counter()
    for cid in range(naive_trees):
        e = edges[edges["cascade_id"] == str(cid)]
        r = naive_tree(list(zip(e["parent_id"], e["child_id"], strict=True)), "0")
        got = ours.loc[ours["cascade_id"] == str(cid), "structural_virality"].iloc[0]
        assert abs(r["structural_virality"] - got) < 1e-9
    t_naive = (time.perf_counter() - t) / naive_trees
    print(f"  ours: {1000 * t_ours:.2f} ms per tree (all metrics, {trees} trees); networkx all "
          f"pairs: {t_naive:.2f} s per tree ({naive_trees} trees, same values)")
    print(f"  ratio networkx / ours on {size:,}-node cascades: {t_naive / t_ours:,.0f}x "
          f"(target 500x)")
    totals, times = [], []
    for total in (10_000, 100_000, 1_000_000):
        e = random_trees(total // size, size, seed + 1)
        t = time.perf_counter()
        edge_cascades(e, validate=False)
        times.append(time.perf_counter() - t)
        totals.append(total)
        print(f"  {total:>9,} cascade nodes: {times[-1]:.3f} s")
    slope = np.polyfit(np.log(totals[1:]), np.log(times[1:]), 1)[0]
    print(f"  growth exponent of time with nodes (100k to 1M): {slope:.2f} (linear: 1)")


def ensure_platform(folder: Path, users: int, days: int, seed: int) -> None:
    from graphmodel.eventlog import write_log
    from graphmodel.generator import GeneratorConfig, generate

    if (folder / "events.parquet").exists():
        return
    print(f"generating {users:,} users x {days} days (seed {seed}) into {folder} ...", flush=True)
    t = time.perf_counter()
    write_log(generate(GeneratorConfig(users=users, days=days, seed=seed)), folder, fmt="parquet")
    print(f"  generated and written in {time.perf_counter() - t:.1f} s", flush=True)


def bench_platform(folder: Path, sample: int, seed: int) -> None:
    from graphmodel.analysis.cascades import dataset_summary, stream_spread, user_spread
    from graphmodel.engines import MemoryStore

    print(f"Generated platform: {folder}")
    t = time.perf_counter()
    store = MemoryStore.open(folder)
    refs = store.referrals()
    print(f"  opened, {len(refs):,} REFERRED edges derived in {time.perf_counter() - t:.1f} s")
    t = time.perf_counter()
    cascades = store.cascade_table()
    t_ours = time.perf_counter() - t
    t = time.perf_counter()
    stream_spread(store)
    user_spread(store)
    t_spread = time.perf_counter() - t
    d = dataset_summary(cascades).iloc[0]
    print(
        f"  {int(d['cascades']):,} cascades, {int(d['nodes']):,} users in them, sizes up to "
        f"{int(d['max_size'])}, max depth {int(d['max_depth'])}"
    )
    print(f"  ours: cascade table {t_ours:.2f} s; stream + user spread {t_spread:.2f} s")

    # the baseline: per stream a networkx forest, per root its descendants, all pairs
    events = store.table("events")
    shares = events[events["type"] == "share"]
    first = shares.groupby(["stream_id", "user_id"], observed=True)["at"].min()
    referred = set(zip(refs["stream_id"], refs["user_id"], strict=True))
    rng = np.random.default_rng(seed)
    streams = rng.choice(cascades["stream_id"].unique(), size=sample, replace=False)
    done = 0
    t = time.perf_counter()
    for sid in streams:
        r = refs[refs["stream_id"] == sid]
        g = nx.DiGraph(list(zip(r["referrer_id"], r["user_id"], strict=True)))
        for root in first.loc[sid].index:
            if (sid, root) in referred:
                continue
            members = [root, *nx.descendants(g, root)] if root in g else [root]
            naive_tree(list(g.subgraph(members).edges), root)
            done += 1
    t_sample = time.perf_counter() - t
    t_naive = t_sample * len(cascades) / max(done, 1)
    print(
        f"  naive (networkx per cascade): {done:,} cascades of {len(streams)} streams in "
        f"{t_sample:.2f} s, extrapolated to {len(cascades):,}: {t_naive:,.1f} s"
    )
    print(f"  ratio naive / ours: {t_naive / t_ours:,.0f}x")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--edges", type=Path, default=Path("/work/shared/data/twitter15.csv.gz"))
    ap.add_argument("--users", type=int, default=100_000)
    ap.add_argument("--days", type=int, default=7)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--dir", type=Path, default=Path("/tmp/gm-bench-cascades"))
    ap.add_argument(
        "--sample",
        type=int,
        default=40,
        help="cascades (Twitter15) or streams (platform) the naive baseline runs on",
    )
    ap.add_argument("--tree-size", type=int, default=2_000)
    args = ap.parse_args()
    bench_synthetic(args.tree_size, trees=200, naive_trees=3, seed=args.seed)
    if args.edges.exists():
        bench_twitter15(args.edges, args.sample, args.seed)
    else:
        print(f"Twitter15: {args.edges} not found, skipped")
    folder = args.dir / f"u{args.users}-d{args.days}-s{args.seed}"
    ensure_platform(folder, args.users, args.days, args.seed)
    bench_platform(folder, args.sample, args.seed)


if __name__ == "__main__":
    main()
