"""Benchmark: ``spread --edges`` on a raw Twitter15 tree folder against the CSV edge list.

The Twitter15 edge list (``/work/shared/data/twitter15.csv.gz``: 1,490 cascades,
597,706 edges) is written back out in the release's format (Ma, Gao and Wong
2017, ``tree/<source_id>.txt``, one line ``['uid', 'tweet_id', 'minutes']->[...]`` per
edge after the ``['ROOT', 'ROOT', '0.0']`` line), into ``--dir`` (default under /tmp).
Then, in the same run and each the best of ``--repeat``:

- the command as a user runs it (``graphmodel spread --edges PATH --by dataset``, a
  fresh process: start-up, reading, rules, metrics, output) on the CSV and on the folder;
- in process, the readers alone (``read_edges`` against ``read_twitter_trees``) and
  the readers with the per-cascade metrics.

It prints both times and their ratio (target: raw within 2x of the CSV path) and
checks that the two per-cascade tables agree.

Usage: ``python benchmarks/bench_cascade_formats.py [--edges FILE] [--dir DIR] [--repeat 3]``
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd


def write_trees(edges: pd.DataFrame, folder: Path) -> int:
    """One ``<cascade_id>.txt`` per cascade in the release's format; returns the file count."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.txt"):
        old.unlink()
    n = 0
    for cid, g in edges.groupby("cascade_id", sort=False):
        parents, children = g["parent_id"].tolist(), g["child_id"].tolist()
        kids = set(children)
        root = next(p for p in parents if p not in kids)
        minutes = dict(zip(children, (g["delay_s"] / 60.0).tolist(), strict=True))
        minutes[root] = 0.0
        lines = [f"['ROOT', 'ROOT', '0.0']->['{root}', '{cid}', '0.0']"]
        lines += [
            f"['{p}', '{cid}', '{minutes[p]!r}']->['{c}', '{cid}', '{minutes[c]!r}']"
            for p, c in zip(parents, children, strict=True)
        ]
        (folder / f"{cid}.txt").write_text("\n".join(lines) + "\n")
        n += 1
    return n


def best(fn, repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return min(times), out


def cli(path: Path, out: Path) -> None:
    cmd = [
        sys.executable,
        "-m",
        "graphmodel",
        "spread",
        "--edges",
        str(path),
        "--by",
        "dataset",
        "--format",
        "json",
        "--out",
        str(out),
    ]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit(p.stderr)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--edges", type=Path, default=Path("/work/shared/data/twitter15.csv.gz"))
    ap.add_argument("--dir", type=Path, default=Path("/tmp/gm-bench-cascade-formats"))
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    from graphmodel.analysis.cascade_formats import read_twitter_trees
    from graphmodel.analysis.edgelist import edge_cascades, read_edges

    tree = args.dir / "tree"
    t = time.perf_counter()
    edges = read_edges(args.edges)
    files = write_trees(edges, tree)
    lines = len(edges) + files
    print(
        f"wrote {files:,} tree files ({lines:,} lines) into {tree} "
        f"in {time.perf_counter() - t:.1f} s"
    )

    rows = []
    for what, csv_fn, raw_fn in [
        (
            "graphmodel spread --edges (CLI, fresh process)",
            lambda: cli(args.edges, args.dir / "csv.json"),
            lambda: cli(tree, args.dir / "raw.json"),
        ),
        (
            "read only (in process)",
            lambda: read_edges(args.edges),
            lambda: read_twitter_trees(tree),
        ),
        (
            "read + per-cascade metrics (in process)",
            lambda: edge_cascades(read_edges(args.edges)),
            lambda: edge_cascades(read_twitter_trees(tree)),
        ),
    ]:
        t_csv, a = best(csv_fn, args.repeat)
        t_raw, b = best(raw_fn, args.repeat)
        rows.append((what, t_csv, t_raw))
        if isinstance(a, pd.DataFrame) and "size" in a.columns:
            pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=1e-12)
            print("per-cascade tables agree: CSV and raw trees give the same metrics")
    quirks = read_twitter_trees(tree).attrs["quirks"]

    print(f"\n{'':46s} {'CSV (s)':>9s} {'raw trees (s)':>14s} {'raw / CSV':>10s}")
    for what, t_csv, t_raw in rows:
        print(f"{what:46s} {t_csv:9.2f} {t_raw:14.2f} {t_raw / t_csv:9.2f}x")
    ratio = rows[0][2] / rows[0][1]
    print(f"\nrule counts on the raw folder: {quirks}")
    print(
        f"target: raw within 2x of the CSV path (the command): {ratio:.2f}x "
        f"{'met' if ratio <= 2 else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
