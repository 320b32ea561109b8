"""Benchmark: inferred referrals (``graphmodel.model.inference``), ours against a naive loop.

On a generated platform (100k users x 7 days, seeded):

1. ``infer_via_share`` in both modes at the default window (30 min), ``social``
   with ``follow_edges(log.follows)`` (built once, timed apart), against the
   obvious per-arrival implementation: per stream, the first arrivals in order
   of (time, ``event_id``); for each one, the stream's shares scanned backwards
   in time in Python from the latest one at or before the arrival (bisect),
   stopping at the window, and the first share that passes sharer != user,
   sharer arrived earlier and, in mode ``social``, ``(user, sharer)`` in a
   Python set of (follower, followee) pairs, is credited. It takes the same
   input as ours (the events table, the follow edges) and starts with one
   Python pass grouping every event by stream (and, social, the pair set
   from every edge); both are paid once and timed in full. The loop then
   runs on a seeded sample of streams (``--sample``) and its time per first
   arrival is extrapolated to every first arrival of the log:
   ``naive = passes + loop on the sample x first arrivals / first arrivals
   of the sample``. On the sample its result must equal ours, share for
   share. The ratio is printed with and without the passes.
2. ``inference_check`` (modes social and time, windows 10 min, 30 min, 1 h,
   3 h) on the whole log: its table and wall time.
3. The peak resident memory of the process (``ru_maxrss``).

Usage: ``python benchmarks/bench_inference.py [--users 100000] [--days 7] [--seed 0]
[--dir /tmp/gm-bench-inference] [--sample 300] [--repeat 3]``
"""

from __future__ import annotations

import argparse
import bisect
import json
import os
import resource
import shutil
import time
from pathlib import Path

import numpy as np
import pandas as pd

from graphmodel.analysis.inference_check import inference_check
from graphmodel.engines import MemoryStore
from graphmodel.eventlog import write_log
from graphmodel.generator import GeneratorConfig, generate
from graphmodel.model.inference import DEFAULT_WINDOW_S, infer_via_share
from graphmodel.model.social import follow_edges

WINDOWS_S = (600.0, 1800.0, 3600.0, 10800.0)


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


def _ns(s: pd.Series) -> np.ndarray:
    return s.to_numpy(dtype="datetime64[ns]").view(np.int64)


def stream_rows(events: pd.DataFrame) -> dict:
    """Per stream: its watches ``(at_ns, event_id, user)`` and its shares
    ``(at_ns, event_id, sharer)`` as Python lists, in log order (one pass)."""
    rows: dict = {}
    cols = zip(
        events["stream_id"].tolist(),
        events["type"].tolist(),
        _ns(events["at"]).tolist(),
        events["event_id"].tolist(),
        events["user_id"].tolist(),
        strict=True,
    )
    for s, kind, at, eid, user in cols:
        if kind == "watch":
            rows.setdefault(s, ([], []))[0].append((at, eid, user))
        elif kind == "share":
            rows.setdefault(s, ([], []))[1].append((at, eid, user))
    return rows


def naive_stream(watches, shares, window_ns: int, pairs: set | None) -> tuple[dict, int]:
    """The credited share of each first arrival of one stream, the obvious way; also the
    number of first arrivals."""
    rank = {}
    arrivals = []
    for at, eid, user in sorted(watches):  # (time, event_id)
        if user not in rank:
            rank[user] = len(arrivals)
            arrivals.append((at, eid, user))
    shares = sorted(shares)  # (time, share id): backwards is latest first, larger id first
    times = [t for t, _, _ in shares]
    out = {}
    for at, eid, user in arrivals:
        i = bisect.bisect_right(times, at) - 1
        while i >= 0:
            t, sid, sharer = shares[i]
            if t < at - window_ns:
                break
            if (
                sharer != user
                and sharer in rank
                and rank[sharer] < rank[user]
                and (pairs is None or (user, sharer) in pairs)
            ):
                out[eid] = sid
                break
            i -= 1
    return out, len(arrivals)


def bench_infer(log, sample: int, seed: int, repeat: int) -> None:
    events = log["events"]
    t = time.perf_counter()
    edges = follow_edges(log["follows"])
    t_edges = time.perf_counter() - t
    n_watch = int((events["type"] == "watch").sum())
    n_share = int((events["type"] == "share").sum())
    print(
        f"log: {len(events):,} events ({n_watch:,} watches, {n_share:,} shares), "
        f"{len(edges):,} follow edges (follow_edges {t_edges:.2f} s, not counted below)"
    )
    window_ns = int(round(DEFAULT_WINDOW_S * 1e9))
    watches = events.loc[(events["type"] == "watch").to_numpy(bool), ["user_id", "stream_id"]]
    arrivals = len(watches.drop_duplicates())  # one first arrival per (user, stream) watched
    streams = np.sort(watches["stream_id"].astype(object).unique())
    rng = np.random.default_rng(seed)
    picked = rng.choice(streams, size=min(sample, len(streams)), replace=False).tolist()
    t = time.perf_counter()
    rows = stream_rows(events)
    t_group = time.perf_counter() - t
    print(f"naive: events grouped by stream in one Python pass: {t_group:.2f} s")

    for mode in ("social", "time"):
        best, ours = float("inf"), None
        for _ in range(repeat):
            t = time.perf_counter()
            ours = infer_via_share(events, edges if mode == "social" else None, mode=mode)
            best = min(best, time.perf_counter() - t)
        t = time.perf_counter()
        pairs = (
            set(zip(edges["source"].tolist(), edges["target"].tolist(), strict=True))
            if mode == "social"
            else None
        )
        t_pairs = time.perf_counter() - t
        naive, done = {}, 0
        t = time.perf_counter()
        for s in picked:
            got, n = naive_stream(*rows[s], window_ns, pairs)
            naive.update(got)
            done += n
        t_sample = time.perf_counter() - t
        # our rows for the sample's first arrivals: those keyed by one of its watches
        sampled = {eid for s in picked for _, eid, _ in rows[s][0]}
        mine = ours[ours["event_id"].astype(object).isin(sampled).to_numpy(bool)]
        mine = dict(zip(mine["event_id"].tolist(), mine["via_share"].tolist(), strict=True))
        assert mine == naive, f"{mode}: the naive loop and ours differ on the sample"
        t_loop = t_sample * arrivals / done
        t_passes = t_group + t_pairs
        t_naive = t_passes + t_loop
        print(
            f"{mode}: ours {best:.2f} s (best of {repeat}), {len(ours):,} of {arrivals:,} "
            f"first arrivals credited"
        )
        print(
            f"  naive: {len(picked)} streams, {done:,} first arrivals in {t_sample:.2f} s, "
            f"same {len(naive):,} credited shares as ours; extrapolated to {arrivals:,} "
            f"first arrivals: {t_loop:.2f} s; passes {t_passes:.2f} s (grouping "
            f"{t_group:.2f} s"
            + (f", pair set {t_pairs:.2f} s" if mode == "social" else "")
            + f"); total {t_naive:.2f} s"
        )
        print(
            f"  ratio naive / ours ({mode}): {t_naive / best:.2f}x "
            f"(the loop alone, without the passes: {t_loop / best:.2f}x)"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--users", type=int, default=100_000)
    ap.add_argument("--days", type=int, default=7)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--dir", type=Path, default=Path("/tmp/gm-bench-inference"))
    ap.add_argument("--sample", type=int, default=300, help="streams in the naive loop")
    ap.add_argument("--repeat", type=int, default=3, help="best of N for our timing")
    args = ap.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    ensure_log(args.dir, args.users, args.days, args.seed)
    t = time.perf_counter()
    store = MemoryStore.open(args.dir, referrals="recorded")
    print(f"read + validate: {time.perf_counter() - t:.1f} s")

    bench_infer(store.log, args.sample, args.seed, args.repeat)

    print(
        f"inference_check, modes social and time, windows {', '.join(f'{w:g}' for w in WINDOWS_S)} s:"
    )
    t = time.perf_counter()
    table = inference_check(store, modes=["social", "time"], windows=WINDOWS_S)
    t_check = time.perf_counter() - t
    with pd.option_context("display.width", 250, "display.max_columns", None):
        print(table.to_string(index=False))
    print(f"inference_check wall time: {t_check:.1f} s ({len(table) - 1} inferences)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(f"peak memory (ru_maxrss): {peak / 2**20:.2f} GiB")


if __name__ == "__main__":
    main()
