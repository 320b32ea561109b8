"""Benchmark: loading a large Parquet event log into the in-memory store.

Target (foundation issue): a 10-million-event Parquet log read, validated and
held in the memory store (referral forest derived) in under 30 s.

Compared in the same run with
- a plain ``pandas.read_parquet`` of every table (no validation: the floor), and
- a naive validator that checks events row by row in Python (timed on a
  sample and extrapolated), the way a first version would.

Usage: ``python benchmarks/bench_load.py [--events 10000000] [--dir /tmp/gm-bench-10m]``
The log is generated once (seeded) and reused from ``--dir``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd


def ensure_log(folder: Path, events: int, seed: int) -> None:
    from graphmodel.eventlog import write_log
    from graphmodel.generator import GeneratorConfig, generate

    if (folder / "events.parquet").exists():
        return
    probe = generate(GeneratorConfig(users=5_000, days=7, seed=seed))
    per_user = len(probe["events"]) / 5_000
    users = int(events / per_user) + 1
    print(f"generating {users:,} users x 7 days (~{per_user:.0f} events per user) ...", flush=True)
    t = time.perf_counter()
    write_log(generate(GeneratorConfig(users=users, days=7, seed=seed)), folder, fmt="parquet")
    print(f"  generated and written in {time.perf_counter() - t:.1f} s", flush=True)


def load_in_child(folder: Path) -> tuple[float, float, int]:
    """Time MemoryStore.open + referrals in a fresh process; return (seconds, peak MB, events)."""
    code = (
        "import time,resource,sys;t=time.perf_counter();"
        "from graphmodel.engines import MemoryStore;"
        f"s=MemoryStore.open({str(folder)!r});r=s.referrals();"
        "el=time.perf_counter()-t;"
        "print(el, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024, len(s.table('events')))"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    secs, peak, n = out.stdout.split()
    return float(secs), float(peak), int(n)


def raw_read(folder: Path) -> float:
    t = time.perf_counter()
    for f in sorted(folder.glob("*.parquet")):
        pd.read_parquet(f)
    return time.perf_counter() - t


def naive_validate(folder: Path, sample: int = 200_000) -> float:
    """Row-by-row checks of the events table (types, ranges, keys, stream windows) per row."""
    ev = pd.read_parquet(folder / "events.parquet").head(sample)
    streams = pd.read_parquet(folder / "streams.parquet")
    users = set(pd.read_parquet(folder / "users.parquet")["user_id"])
    window = {s: (a, b) for s, a, b in zip(streams["stream_id"], streams["started_at"],
                                           streams["ended_at"], strict=True)}
    seen: set = set()
    problems = 0
    t = time.perf_counter()
    for row in ev.to_dict("records"):
        if row["event_id"] in seen:
            problems += 1
        seen.add(row["event_id"])
        if row["user_id"] not in users or row["stream_id"] not in window:
            problems += 1
            continue
        a, b = window[row["stream_id"]]
        if not (a <= row["at"] <= b):
            problems += 1
        if row["type"] == "watch":
            s = row["seconds"]
            if s is None or s < 0 or row["at"] + pd.Timedelta(seconds=float(s)) > b:
                problems += 1
    return (time.perf_counter() - t) / len(ev)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=10_000_000)
    ap.add_argument("--dir", type=Path, default=Path("/tmp/gm-bench-10m"))
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    ensure_log(args.dir, args.events, args.seed)
    secs, peak, n = load_in_child(args.dir)
    floor = raw_read(args.dir)
    per_row = naive_validate(args.dir)
    naive = per_row * n + floor
    print(f"\nevents: {n:,}")
    print(f"graphmodel MemoryStore.open + referrals: {secs:6.1f} s  peak {peak:,.0f} MB  "
          f"(target < 30 s)  {'ok' if secs < 30 else 'MISSED'}")
    print(f"plain pandas.read_parquet, no checks:    {floor:6.1f} s  -> ratio {secs / floor:.2f}x")
    print(f"naive row-by-row validation (extrap.):   {naive:6.1f} s  -> speed-up {naive / secs:.1f}x")


if __name__ == "__main__":
    main()
