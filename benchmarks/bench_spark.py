"""Benchmark: the value accounting and the cascades on Spark (local mode) against the
in-memory store, for 100k, 300k and 1M users x 7 days.

For each size the log is generated once with the chunked writer
(``graphmodel generate --chunk-days 1``: ``events/part-*.parquet``) under
``--dir`` (default ``/tmp/graphmodel-bench-spark``). Then, each in a fresh
process:

``memory``  ``read_log`` (read + validate), the per-user table and the platform
            row (``Accounts``), and the cascade table: the embedded engine.
            With ``--memory-cap GB`` the process's address space is capped
            with ``resource.setrlimit(RLIMIT_AS)``, to emulate a smaller machine
            (an honest emulation: the cap counts virtual memory, which is
            larger than resident memory; a process that exceeds it dies with
            ``MemoryError``, reported as ``out of memory``).
``spark``   ``SparkEngine`` on ``--master`` (default ``local[2]``): the platform
            row, the per-user table written as Parquet by the executors
            (``write_value_users``), and the cascade table computed by Spark
            (counted on the executors, not collected).

Reported per run: wall time (log read included), peak resident memory of the
whole process tree (the Python driver plus, for Spark, the JVM: in local mode
driver and executors share that JVM, capped by ``--driver-memory``), sampled
every 0.2 s from ``/proc``; and, over the sizes, the growth exponent b of
time ~ events^b (least squares on logs). The two engines' platform rows are
compared where both finished.

Usage: ``python benchmarks/bench_spark.py [--sizes 100000 300000 1000000] [--days 7]
[--seed 1] [--dir DIR] [--master local[2]] [--driver-memory 6g] [--memory-cap 8]
[--engines memory spark]``
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

MEMORY_JOB = r"""
import json, resource, sys, time
cap = {cap}
if cap:
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
t0 = time.perf_counter()
try:
    from graphmodel.engines import MemoryStore
    from graphmodel.analysis.value import Accounts
    from graphmodel.params import Params
    store = MemoryStore.open({folder!r})
    t1 = time.perf_counter()
    acc = Accounts.from_store(store)
    p = Params()
    users = acc.user_table(p)
    platform = acc.platform_table(p, users)
    t2 = time.perf_counter()
    cascades = store.cascade_table()
    t3 = time.perf_counter()
    print(json.dumps({{"ok": True, "read": t1 - t0, "accounting": t2 - t1, "cascades": t3 - t2,
                      "users": len(users), "cascade_rows": len(cascades),
                      "events": len(store.table("events")),
                      "platform": platform.iloc[0].to_dict()}}))
except MemoryError:
    print(json.dumps({{"ok": False, "error": "out of memory (MemoryError)"}}))
"""

SPARK_JOB = r"""
import json, time
t0 = time.perf_counter()
import graphmodel
from graphmodel.engines.spark import SparkEngine
engine = SparkEngine({folder!r}, master={master!r},
                     conf={{"spark.driver.memory": {driver_memory!r},
                           "spark.local.dir": {local_dir!r}}})
t1 = time.perf_counter()
platform = graphmodel.value(engine, by="platform")
engine.write_value_users({out!r})
t2 = time.perf_counter()
rows = engine.cascade_frame().count()
t3 = time.perf_counter()
events = engine.frame("events").count()
print(json.dumps({{"ok": True, "read": t1 - t0, "accounting": t2 - t1, "cascades": t3 - t2,
                  "cascade_rows": rows, "events": events,
                  "platform": platform.iloc[0].to_dict()}}))
"""


def _tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and all its descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            ppid, pages = int(fields[1]), int(fields[21])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
        rss[int(entry)] = pages * os.sysconf("SC_PAGE_SIZE")
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        total += rss.get(p, 0)
        stack.extend(children.get(p, []))
    return total


def run_job(code: str, timeout: float) -> dict:
    """Run ``code`` in a fresh Python; its JSON line, wall time and peak tree RSS."""
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as f:
        f.write(code)
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, f.name], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    peak = [0]
    done = threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], _tree_rss(proc.pid))
            done.wait(0.2)

    threading.Thread(target=sample, daemon=True).start()
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        result = {"ok": False, "error": f"timeout after {timeout:.0f} s"}
    else:
        lines = [line for line in out.splitlines() if line.startswith("{")]
        if lines:
            result = json.loads(lines[-1])
        else:
            tail = (err.strip().splitlines() or ["no output"])[-1]
            killed = proc.returncode < 0 or "MemoryError" in err or "Killed" in err
            result = {"ok": False, "error": ("out of memory: " if killed else "") + tail[:160]}
    done.set()
    os.unlink(f.name)
    result["wall"] = time.perf_counter() - t0
    result["peak_mb"] = peak[0] / 2**20
    return result


def ensure_log(folder: Path, users: int, days: int, seed: int) -> float:
    """Generate the chunked log unless it is there; seconds spent (0 if reused)."""
    if (folder / "events").is_dir() and (folder / "users.parquet").exists():
        return 0.0
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "graphmodel", "generate", "--users", str(users),
                    "--days", str(days), "--seed", str(seed), "--out", str(folder),
                    "--format", "parquet", "--chunk-days", "1", "-q"], check=True)
    return time.perf_counter() - t


def exponent(x: list[float], y: list[float]) -> float:
    """b in y ~ x^b, least squares on logs (NaN with fewer than two points)."""
    if len(x) < 2:
        return math.nan
    return float(np.polyfit(np.log(x), np.log(y), 1)[0])


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100_000, 300_000, 1_000_000])
    ap.add_argument("--days", type=int, default=7)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--dir", type=Path, default=Path("/tmp/graphmodel-bench-spark"))
    ap.add_argument("--master", default="local[2]")
    ap.add_argument("--driver-memory", default="6g")
    ap.add_argument("--memory-cap", type=float, default=0.0,
                    help="GB of address space for the in-memory runs (0: no cap)")
    ap.add_argument("--engines", nargs="+", default=["memory", "spark"])
    ap.add_argument("--timeout", type=float, default=5400.0)
    args = ap.parse_args(argv)

    cap = int(args.memory_cap * 2**30)
    rows = []
    for users in args.sizes:
        folder = args.dir / f"u{users}-d{args.days}-s{args.seed}"
        gen = ensure_log(folder, users, args.days, args.seed)
        if gen:
            print(f"generated {folder} in {gen:.0f} s", flush=True)
        for engine in args.engines:
            if engine == "memory":
                code = MEMORY_JOB.format(cap=cap, folder=str(folder))
            else:
                code = SPARK_JOB.format(folder=str(folder), master=args.master,
                                        driver_memory=args.driver_memory,
                                        local_dir=str(args.dir / "spark-tmp"),
                                        out=str(args.dir / f"users-{users}.parquet"))
            r = run_job(code, args.timeout)
            r.update(users=users, engine=engine)
            rows.append(r)
            status = (f"read {r['read']:.1f} s, accounting {r['accounting']:.1f} s, cascades "
                      f"{r['cascades']:.1f} s, {r['events']:,} events" if r["ok"] else r["error"])
            print(f"{users:>9,} {engine:>6}: wall {r['wall']:7.1f} s, peak {r['peak_mb']:7.0f} MB"
                  f" ({status})", flush=True)
    print()
    print(f"{'users':>9} {'engine':>6} {'events':>11} {'wall s':>8} {'peak MB':>8}  result")
    for r in rows:
        events = f"{r['events']:,}" if r.get("events") else "-"
        print(f"{r['users']:>9,} {r['engine']:>6} {events:>11} {r['wall']:>8.1f} "
              f"{r['peak_mb']:>8.0f}  {'ok' if r['ok'] else r['error']}")
    for engine in args.engines:
        ok = [r for r in rows if r["engine"] == engine and r["ok"]]
        b = exponent([r["events"] for r in ok], [r["wall"] for r in ok])
        print(f"{engine}: time ~ events^{b:.2f} over {len(ok)} size(s)")
    for users in args.sizes:
        both = {r["engine"]: r for r in rows if r["users"] == users and r["ok"]}
        if {"memory", "spark"} <= set(both):
            a, s = both["memory"]["platform"], both["spark"]["platform"]
            worst = max(abs(a[k] - s[k]) / max(abs(a[k]), 1e-12) for k in a
                        if isinstance(a[k], float) and not math.isnan(a[k]))
            print(f"{users:,} users: platform rows agree to {worst:.1e} (relative); "
                  f"spark/memory wall time {both['spark']['wall'] / both['memory']['wall']:.2f}x")


if __name__ == "__main__":
    main()
