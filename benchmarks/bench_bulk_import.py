"""Benchmark: the offline bulk path (``neo4j-admin database import full``) against the Bolt loader.

A seeded 100,000-user x 7-day platform (generated once as Parquet and reused
from ``--dir``) is bulk-imported into a local Neo4j 5.26 server in a fresh
home; the phases are timed separately:

- ``write_import_files``: the event log (in memory, validated) to CSV files;
- ``neo4j-admin database import full``: the files into the stopped database
  (JVM start included; the tool's own figure alongside);
- the restart and ``cypher/schema/`` (constraints and indexes built on
  the imported graph).

Rows are nodes plus relationships (``REFERRED`` included), counted by the
memory store and checked against the server after the import. Compared in
the same run with the Bolt loader (``graphmodel.engines.neo4j.load.load_log``) on a
sample (a ``--sample-users`` platform of the same seed and days, loaded into
the empty database first), and with the bulk path on that same sample, so
the ratio is given at equal size too.

Usage: ``python benchmarks/bench_bulk_import.py [--users 100000] [--days 7] [--seed 1]
[--sample-users 10000] [--dir DIR] [--home DIR] [--heap 1g]``
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import time
import warnings
from pathlib import Path

import neo4j
import pandas as pd

from graphmodel.engines import MemoryStore
from graphmodel.engines.neo4j.bulk import run_import, write_import_files
from graphmodel.engines.neo4j.connect import DRIVER_CONFIG
from graphmodel.engines.neo4j.load import apply_schema, load_log
from graphmodel.engines.neo4j.store import Neo4jStore
from graphmodel.eventlog import read_log, write_log
from graphmodel.generator import GeneratorConfig, generate
from graphmodel.server import LocalServer


def ensure_log(folder: Path, users: int, days: int, seed: int) -> None:
    """Generate the platform as Parquet into ``folder`` unless it holds that platform already."""
    try:
        meta = json.loads((folder / "graphmodel.json").read_text())["generator"]
        if (meta["users"], meta["days"], meta["seed"]) == (users, days, seed) and (
            folder / "events.parquet"
        ).exists():
            print(f"reusing {folder}", flush=True)
            return
    except (OSError, ValueError, KeyError):
        pass
    print(f"generating {users:,} users x {days} days (seed {seed}) into {folder} ...", flush=True)
    t = time.perf_counter()
    tmp = folder.with_name(f".{folder.name}.{os.getpid()}")
    write_log(generate(GeneratorConfig(users=users, days=days, seed=seed)), tmp, fmt="parquet")
    shutil.rmtree(folder, ignore_errors=True)
    tmp.rename(folder)
    print(f"  generated and written in {time.perf_counter() - t:.1f} s", flush=True)


def driver_for(server: LocalServer):
    info = server.start()
    return neo4j.GraphDatabase.driver(info.bolt_uri, auth=info.auth, **DRIVER_CONFIG)


def check_counts(server: LocalServer, expected: pd.DataFrame) -> None:
    with driver_for(server) as d:
        got = Neo4jStore(d, "bolt").stats()
    pd.testing.assert_frame_equal(got, expected)


def bulk(server: LocalServer, log, files_dir: Path, heap: str) -> dict:
    """Write the files, stop, import, start, create the schema; every phase timed."""
    shutil.rmtree(files_dir, ignore_errors=True)
    t = time.perf_counter()
    files = write_import_files(log, files_dir)
    write = time.perf_counter() - t
    t = time.perf_counter()
    server.stop()
    stop = time.perf_counter() - t
    imported = run_import(files, server, heap=heap)
    t = time.perf_counter()
    info = server.start(timeout=600)
    start = time.perf_counter() - t
    t = time.perf_counter()
    with neo4j.GraphDatabase.driver(info.bolt_uri, auth=info.auth, **DRIVER_CONFIG) as d:
        apply_schema(d)
    schema = time.perf_counter() - t
    shutil.rmtree(files_dir, ignore_errors=True)
    said = re.search(
        r"WARNING: heap size .*?Suggested heap size is [\d.]+\w*?B",
        imported["log_file"].read_text(),
    )
    return {
        "rows": files["rows"],
        "bytes": files["bytes"],
        "write": write,
        "stop": stop,
        "import": imported["seconds"],
        "tool": imported["tool_seconds"],
        "start": start,
        "schema": schema,
        "heap_warning": said.group(0) if said else "",
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--users", type=int, default=100_000)
    ap.add_argument("--days", type=int, default=7)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--sample-users", type=int, default=10_000)
    ap.add_argument("--dir", type=Path, default=None, help="the Parquet log (generated if absent)")
    ap.add_argument(
        "--home",
        type=Path,
        default=Path("/tmp/gm-bench-bulk-home"),
        help="the server's home (emptied first)",
    )
    ap.add_argument("--heap", default="1g", help="the import tool's JVM heap")
    args = ap.parse_args()
    folder = args.dir or Path(
        f"/tmp/gm-bench-neo4j-{args.users // 1000}k-{args.days}d-s{args.seed}"
    )
    print(f"load average at start: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")

    ensure_log(folder, args.users, args.days, args.seed)
    t = time.perf_counter()
    log = read_log(folder)
    read = time.perf_counter() - t
    expected = MemoryStore(log).stats()
    rows = int(expected["count"].sum())
    print(
        f"read and validated {folder} in {read:.1f} s: {rows:,} rows "
        f"({int(expected.loc[expected['kind'] == 'node', 'count'].sum()):,} nodes)",
        flush=True,
    )

    sample = generate(GeneratorConfig(users=args.sample_users, days=args.days, seed=args.seed))
    sample_expected = MemoryStore(sample).stats()
    sample_rows = int(sample_expected["count"].sum())

    shutil.rmtree(args.home, ignore_errors=True)
    server = LocalServer(args.home, bolt_port=0, http_port=0)
    server.start(timeout=600)
    server = LocalServer(args.home)  # later starts reuse the ports
    files_dir = args.home / "import" / "bench"
    try:
        print(
            f"Bolt loader on the {args.sample_users:,}-user sample ({sample_rows:,} rows) ...",
            flush=True,
        )
        with driver_for(server) as d, warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            t = time.perf_counter()
            load_log(sample, d)
            bolt = time.perf_counter() - t
        check_counts(server, sample_expected)
        print(f"  {bolt:.1f} s", flush=True)

        print("bulk path on the same sample ...", flush=True)
        small = bulk(server, sample, files_dir, args.heap)
        check_counts(server, sample_expected)

        print(f"bulk path on {args.users:,} users x {args.days} days ...", flush=True)
        big = bulk(server, log, files_dir, args.heap)
        check_counts(server, expected)
    finally:
        server.stop()
    print(f"load average at end: {os.getloadavg()[0]:.2f}")

    def line(name: str, seconds: float, n: int, extra: str = "") -> None:
        print(f"  {name:<44} {seconds:8.1f} s  {n / seconds:>12,.0f} rows/s  {extra}")

    for title, r, n in (
        (f"{args.users:,} users x {args.days} days", big, rows),
        (f"{args.sample_users:,}-user sample", small, sample_rows),
    ):
        print(f"\nbulk path, {title}: {n:,} rows, {r['bytes'] / 1e6:,.0f} MB of CSV")
        line("write_import_files", r["write"], n)
        line(
            "neo4j-admin database import full",
            r["import"],
            n,
            f"(the tool's own time {r['tool']:.1f} s: {n / r['tool']:,.0f} rows/s)",
        )
        line("write + import", r["write"] + r["import"], n)
        print(f"  {'restart':<44} {r['start']:8.1f} s")
        print(f"  {'constraints and indexes':<44} {r['schema']:8.1f} s")
        if r["heap_warning"]:
            print(f"  the tool said: {r['heap_warning']}")
    bolt_rate = sample_rows / bolt
    print(
        f"\nBolt loader, {args.sample_users:,}-user sample: {sample_rows:,} rows in {bolt:.1f} s: "
        f"{bolt_rate:,.0f} rows/s (schema, batches of 5,000, REFERRED derived on the server)"
    )
    big_rate = rows / (big["write"] + big["import"])
    small_rate = sample_rows / (small["write"] + small["import"])
    print(
        f"ratio bulk (write + import, {args.users:,} users) / Bolt (sample): "
        f"{big_rate / bolt_rate:.1f}x"
    )
    print(
        f"ratio bulk / Bolt on the same {args.sample_users:,}-user sample: "
        f"{small_rate / bolt_rate:.1f}x"
    )
    print(
        f"extrapolated Bolt load of the {args.users:,}-user log: {rows / bolt_rate:,.0f} s; "
        f"bulk end to end (write, stop, import, restart, schema): "
        f"{sum(big[k] for k in ('write', 'stop', 'import', 'start', 'schema')):,.0f} s"
    )


if __name__ == "__main__":
    main()
