"""Benchmark: writing a generated event log into Neo4j over Bolt (``graphmodel load``).

Targets: the batched loader (``graphmodel.engines.neo4j.load.load_log``, batches
of ``UNWIND`` in managed transactions) writes at least 50,000 graph elements
(nodes and relationships, ``REFERRED`` included) per second into a fresh
database, and at least 20 times as fast as a naive loader. A fresh database
takes the loader's fresh path (progress records instead of key checks,
column lists, two writers; see its module docstring); a database that holds
a graph already takes the keyed path, which the naive baseline uses too.

One run:

1. generates a seeded log of ``--users`` x ``--days`` (cached as Parquet in
   ``--dir``) and reads it back, validated, as ``graphmodel load`` does;
2. starts the local server (:class:`graphmodel.server.LocalServer` in a
   temporary home, free ports) and reports its cold start: the wall time of
   ``start()`` (which also sets the initial password) and, from its
   ``ServerInfo``, the seconds from launching ``java`` until Bolt answered
   (``bolt_seconds``) and until Bolt and HTTP answered (``startup_seconds``);
3. loads the whole log ``--repeat`` times (default once) per ``--batch-sizes``
   value, each time into a fresh database (the server stopped, its ``neo4j``
   database files removed, started again), and reports seconds, elements per
   second (counted in the database afterwards) and input rows per second, the
   CPU seconds of the client (this process) and of the server process during
   the load, and a CPU probe taken before it (:func:`cpu_probe`); then, for
   the batch size of the lowest median, the median load's per-step breakdown
   (wall seconds from a step's first progress report to the next step's).
   The verdict takes that median;
4. times the naive baseline on a fresh database: one managed transaction per
   row (``session.execute_write`` running the same ``cypher/load`` file with
   ``rows=[row]``, so the same idempotent semantics), on the first
   ``--sample`` rows of every step (and one transaction per stream for the
   referral derivation); the rest of each node step is written in batches,
   untimed, so that the relationship steps find their nodes; each step's
   time per row is extrapolated to its full size. The relationship steps and
   the referral derivation run on a smaller graph than in a full load, which
   flatters the baseline;
5. stops the server and removes its home.

Figures and where the time goes: docs/neo4j-server.md, "Loading over Bolt".

Usage: ``python benchmarks/bench_neo4j_load.py [--users 100000] [--days 7] [--seed 1]
[--batch-sizes 1000 5000 10000] [--repeat 1] [--sample 2000] [--heap 2g]
[--pagecache 2g]``

The server gets 2 GB of heap and 2 GB of page cache by default, as one would
start it for a load of this size (``graphmodel server start --heap 2g
--pagecache 2g``): with the local server's small defaults (512m, 256m) the
same load takes about 20 s longer (garbage collection, page-cache evictions).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

DEFAULT_DIR = "/tmp/gm-bench-neo4j-{users}u-{days}d-s{seed}"
#: Steps that write nodes: the naive run writes all their rows (the rest in batches,
#: untimed) so that the relationship steps find both ends.
NODE_STEPS = ("users", "streamers", "advertisers", "streams", "products", "tasks")


def ensure_log(folder: Path, users: int, days: int, seed: int):
    """The log in ``folder`` (generated and written as Parquet first if missing), read back."""
    from graphmodel.eventlog import read_log, write_log
    from graphmodel.generator import GeneratorConfig, generate

    if not (folder / "events.parquet").exists():
        print(
            f"generating {users:,} users x {days} days (seed {seed}) into {folder} ...", flush=True
        )
        t = time.perf_counter()
        write_log(
            generate(GeneratorConfig(users=users, days=days, seed=seed)), folder, fmt="parquet"
        )
        print(f"  generated and written in {time.perf_counter() - t:.1f} s", flush=True)
    t = time.perf_counter()
    log = read_log(folder)
    print(f"read and validated {folder} in {time.perf_counter() - t:.1f} s", flush=True)
    return log


class Server:
    """The local server in a temporary home, restartable with an empty ``neo4j`` database."""

    def __init__(self, home: Path, heap: str, pagecache: str):
        from graphmodel.server import LocalServer

        self.home = home
        self.local = LocalServer(
            home, bolt_port=0, http_port=0, heap_initial=heap, heap_max=heap, pagecache=pagecache
        )
        self.info = None

    def start(self):
        t = time.perf_counter()
        self.info = self.local.start()
        return time.perf_counter() - t

    def fresh(self) -> None:
        """Stop, remove the ``neo4j`` database's store and logs, start: an empty database."""
        self.local.stop()
        for sub in ("databases/neo4j", "transactions/neo4j"):
            shutil.rmtree(self.home / "data" / sub, ignore_errors=True)
        self.start()

    def driver(self):
        import neo4j

        from graphmodel.engines.neo4j.connect import DRIVER_CONFIG

        return neo4j.GraphDatabase.driver(self.info.bolt_uri, auth=self.info.auth, **DRIVER_CONFIG)

    def stop(self) -> None:
        self.local.stop()


def cpu_seconds(pid: int | None = None) -> float:
    """User and system CPU seconds of process ``pid`` (Linux ``/proc``), or of this process."""
    if pid is None:
        t = os.times()
        return t.user + t.system
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def count_elements(driver) -> tuple[int, int]:
    with driver.session() as s:
        nodes = s.run("MATCH (n) RETURN count(n) AS n").single()["n"]
        rels = s.run("MATCH ()-[r]->() RETURN count(r) AS n").single()["n"]
    return nodes, rels


def batched(server: Server, log, batch_size: int) -> dict:
    """One full ``load_log`` into a fresh database; seconds, elements and per-step seconds."""
    from graphmodel.engines.neo4j.load import load_log

    server.fresh()
    steps: dict[str, float] = {}
    mark = {"label": None, "t": 0.0}

    def progress(label: str, done: int, total: int) -> None:
        now = time.perf_counter()
        if label != mark["label"]:
            if mark["label"] is not None:
                steps[mark["label"]] = now - mark["t"]
            mark["label"], mark["t"] = label, now

    with server.driver() as driver:
        client, srv = cpu_seconds(), cpu_seconds(server.info.pid)
        t = time.perf_counter()
        mark["t"] = t
        written = load_log(log, driver, batch_size=batch_size, progress=progress)
        seconds = time.perf_counter() - t
        steps[mark["label"]] = time.perf_counter() - mark["t"]
        client, srv = cpu_seconds() - client, cpu_seconds(server.info.pid) - srv
        nodes, rels = count_elements(driver)
    rows = sum(n for k, n in written.items() if not k.startswith("streams ("))
    return {
        "batch_size": batch_size,
        "seconds": seconds,
        "nodes": nodes,
        "rels": rels,
        "rows": rows,
        "steps": steps,
        "client_cpu": client,
        "server_cpu": srv,
    }


def naive(server: Server, log, sample: int, batch_size: int = 5_000) -> dict:
    """One transaction per row on the first ``sample`` rows of each step; extrapolated."""
    from graphmodel.cypher import load_cypher
    from graphmodel.engines.neo4j.load import apply_schema, load_steps
    from graphmodel.engines.neo4j.records import batches, records

    server.fresh()
    per_step: dict[str, tuple[int, int, float]] = {}
    with server.driver() as driver:
        apply_schema(driver)
        with driver.session() as session:
            for label, name, df in load_steps(log):
                query = load_cypher(name)
                head = records(df.iloc[:sample])
                t = time.perf_counter()
                for row in head:
                    session.execute_write(lambda tx, q=query, r=row: tx.run(q, rows=[r]).consume())
                per_step[label] = (len(head), len(df), time.perf_counter() - t)
                if label not in NODE_STEPS:
                    continue
                for rows in batches(df.iloc[sample:], batch_size):
                    session.execute_write(lambda tx, q=query, r=rows: tx.run(q, rows=r).consume())
            query = load_cypher("load/referred")
            streams = log["streams"]["stream_id"].tolist()
            t = time.perf_counter()
            for sid in streams[:sample]:
                session.execute_write(lambda tx, s=sid: tx.run(query, streams=[s]).consume())
            per_step["referrals"] = (
                min(sample, len(streams)),
                len(streams),
                time.perf_counter() - t,
            )
    extrapolated = sum(secs / n * total for n, total, secs in per_step.values() if n)
    return {"per_step": per_step, "seconds": extrapolated}


def cpu_probe() -> float:
    """Seconds of a fixed pure-Python loop: how fast this machine runs at the moment.

    On a shared virtual machine the same load can take a third longer from one
    hour to the next; the probe, printed beside each load, shows when that happens.
    """
    t = time.perf_counter()
    total = 0
    for i in range(10_000_000):
        total += i
    return time.perf_counter() - t


def rust_extension() -> bool:
    try:
        import neo4j._rust  # noqa: F401  (neo4j-rust-ext, the driver's optional packer)
    except ImportError:
        return False
    return True


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--users", type=int, default=100_000)
    ap.add_argument("--days", type=int, default=7)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument(
        "--dir",
        type=Path,
        default=None,
        help="cache folder of the Parquet log (default /tmp/gm-bench-neo4j-...)",
    )
    ap.add_argument("--batch-sizes", type=int, nargs="+", default=[1_000, 5_000, 10_000])
    ap.add_argument("--repeat", type=int, default=1,
                    help="loads per batch size (each into a fresh database); the verdict "
                         "takes each size's median")
    ap.add_argument(
        "--sample",
        type=int,
        default=2_000,
        help="rows per step for the naive one-transaction-per-row baseline",
    )
    ap.add_argument("--heap", default="2g",
                    help="server heap (LocalServer's default is 512m; 2g as `graphmodel server "
                         "start --heap 2g` for a load of this size)")
    ap.add_argument("--pagecache", default="2g",
                    help="server page cache (LocalServer's default is 256m)")
    args = ap.parse_args()
    repeat = max(1, args.repeat)
    folder = args.dir or Path(DEFAULT_DIR.format(users=args.users, days=args.days, seed=args.seed))

    log = ensure_log(folder, args.users, args.days, args.seed)
    sizes = {name: len(log[name]) for name in log}
    print("log: " + ", ".join(f"{n:,} {k}" for k, n in sizes.items()))
    print(
        f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; "
        f"driver packer: {'Rust extension' if rust_extension() else 'pure Python'}; "
        f"server heap {args.heap}, page cache {args.pagecache}",
        flush=True,
    )

    home = Path(tempfile.mkdtemp(prefix="gm-bench-neo4j-"))
    server = Server(home, args.heap, args.pagecache)
    try:
        wall = server.start()
        info = server.info
        print(
            f"\ncold start: start() returned after {wall:.1f} s (initial password included); "
            f"java launch -> Bolt {info.bolt_seconds:.1f} s, -> Bolt and HTTP "
            f"{info.startup_seconds:.1f} s",
            flush=True,
        )

        runs = []
        for size in args.batch_sizes:
            for _ in range(repeat):
                probe = cpu_probe()
                run = batched(server, log, size)
                runs.append(run)
                elements = run["nodes"] + run["rels"]
                print(
                    f"batched, batch size {size:>6,}: {run['seconds']:7.1f} s  "
                    f"{elements / run['seconds']:9,.0f} elements/s  "
                    f"{run['rows'] / run['seconds']:9,.0f} input rows/s  "
                    f"({run['nodes']:,} nodes, {run['rels']:,} relationships; CPU s: client "
                    f"{run['client_cpu']:.0f}, server {run['server_cpu']:.0f}; load average "
                    f"{os.getloadavg()[0]:.1f}; CPU probe before: {probe:.2f} s)",
                    flush=True,
                )
        medians = {size: statistics.median_low([r["seconds"] for r in runs
                                                if r["batch_size"] == size])
                   for size in args.batch_sizes}
        size = min(medians, key=medians.get)
        best = next(r for r in runs if r["batch_size"] == size and r["seconds"] == medians[size])
        fastest = min(r["seconds"] for r in runs if r["batch_size"] == size)
        print(f"\nper step, batch size {size:,} (the median load):")
        for label, secs in best["steps"].items():
            print(f"  {label:<18} {secs:7.1f} s")

        base = naive(server, log, args.sample)
        print(f"\nnaive, one transaction per row (first {args.sample:,} rows of each step):")
        for label, (n, total, secs) in base["per_step"].items():
            if n:
                print(
                    f"  {label:<18} {n / secs:8,.0f} rows/s  -> {secs / n * total:8.1f} s "
                    f"for {total:,} rows"
                )
        print(f"  extrapolated to the whole log: {base['seconds']:.0f} s")
    finally:
        server.stop()
        shutil.rmtree(home, ignore_errors=True)

    elements = best["nodes"] + best["rels"]
    rate = elements / best["seconds"]
    ratio = base["seconds"] / best["seconds"]
    repeats = f"median of {repeat} loads, " if repeat > 1 else ""
    print(
        f"\nbatched (batch size {best['batch_size']:,}, {repeats}fastest {fastest:.1f} s): "
        f"{best['seconds']:.1f} s, "
        f"{rate:,.0f} elements/s (target >= 50,000) {'ok' if rate >= 50_000 else 'MISSED'}"
    )
    print(
        f"naive (extrapolated):        {base['seconds']:.0f} s -> batched is {ratio:.1f}x "
        f"faster (target >= 20x) {'ok' if ratio >= 20 else 'MISSED'}"
    )
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
