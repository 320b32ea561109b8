"""Benchmark: generating a platform and writing it as Parquet.

Target (MODEL.md section 8, generator issue): 100,000 users x 7 days
generated in under 20 s with under 2 GB peak memory.

Each size runs in a fresh process (``generate`` + ``write_log(fmt="parquet")``),
which reports its wall time per phase and its peak resident memory
(``ru_maxrss``). Compared in the same run with a naive per-agent simulation:
a straightforward pure-Python loop over days, users and watches, doing the
same per-user-day behaviour as the generator (activity draw, exposures from
history, stream choice by weight, watch seconds, likes, comments, shares and
purchases, one event tuple each with its string id) on a sample of users,
then one DataFrame of the event tuples), on a sample of users, timed and
extrapolated linearly per user. Cascades, tasks, ads and the social graph
are left out of the baseline, and the extrapolation ignores that a bigger
platform has more streams to choose from (the naive stream choice is linear
in their number), so the ratio understates the difference.

Usage: ``python benchmarks/bench_generator.py [--sizes 10000 100000] [--days 7] [--sample 2000]``
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]  # run from a checkout without installing
sys.path.insert(0, str(ROOT))

CHILD = """
import json, resource, sys, tempfile, time
t0 = time.perf_counter()
from graphmodel.eventlog import write_log
from graphmodel.generator import GeneratorConfig, generate
t1 = time.perf_counter()
log = generate(GeneratorConfig(users={users}, days={days}, seed={seed}))
t2 = time.perf_counter()
with tempfile.TemporaryDirectory() as d:
    write_log(log, d + "/log", fmt="parquet")
    t3 = time.perf_counter()
print(json.dumps({{"import": t1 - t0, "generate": t2 - t1, "write": t3 - t2,
                  "events": len(log["events"]), "rows": sum(len(log[n]) for n in log),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


def run_size(users: int, days: int, seed: int) -> dict:
    code = CHILD.format(users=users, days=days, seed=seed)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True, env=env
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _poisson(rng: random.Random, lam: float) -> int:
    """Knuth's method (fine for the small means used here)."""
    if lam <= 0:
        return 0
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def naive(users: int, days: int, seed: int) -> tuple[float, int]:
    """The per-agent loop: seconds taken and events made for ``users`` x ``days``.

    Per active user-day: exposures from the history, each stream drawn from
    the user's category with the profile's precision or from all streams by
    weight, watch seconds with match and task boosts, likes with taps,
    comments with the stream's heat, a share, purchases from the stream's
    lineup, the day's task completions and the history update. Includes
    turning the event tuples into a DataFrame, as the generator's time
    includes assembling its tables.
    """
    import pandas as pd

    from graphmodel.generator import GeneratorConfig

    cfg = GeneratorConfig(users=users, days=days, seed=seed)
    rng = random.Random(seed)
    n_cat = 8
    n_streams_day = max(1, round(cfg.n_streamers * cfg.stream_probability))
    prices = [round(rng.lognormvariate(4.1, 0.8), 2) for _ in range(cfg.n_products)]
    t = time.perf_counter()
    a, b = (
        cfg.daily_active * cfg.activity_concentration,
        (1 - cfg.daily_active) * cfg.activity_concentration,
    )
    activity = [rng.betavariate(a, b) for _ in range(users)]
    like = [rng.lognormvariate(-0.5, 1.0) for _ in range(users)]
    comment = [rng.lognormvariate(-0.5, 1.0) for _ in range(users)]
    share = [rng.lognormvariate(-0.32, 0.8) for _ in range(users)]
    buy = [rng.gammavariate(1.0, 1.0) for _ in range(users)]
    session = [rng.lognormvariate(-0.125, 0.5) for _ in range(users)]
    preferred = [rng.randrange(n_cat) for _ in range(users)]
    task_user = [rng.random() < cfg.task_participation for _ in range(users)]
    history = [20.0] * users
    events = []
    completions = []
    eid = 0
    for d in range(days):
        streams = []
        for i in range(n_streams_day):
            start = d * 86400 + 43200 + rng.randrange(3600)
            streams.append(
                (
                    f"s{d * n_streams_day + i + 1:06d}",
                    start,
                    start + 9000,
                    rng.randrange(n_cat),
                    rng.lognormvariate(-0.72, 1.2),
                    [rng.randrange(len(prices)) for _ in range(cfg.lineup_size)],
                )
            )
        weights = [rng.lognormvariate(-0.5, 1.0) ** 0.5 for _ in streams]
        by_cat = {c: [s for s in streams if s[3] == c] for c in range(n_cat)}
        for u in range(users):
            if rng.random() >= activity[u]:
                continue
            uid = f"u{u + 1:06d}"
            f = history[u] / (history[u] + cfg.history_scale)
            lam = (
                cfg.exposures_per_day
                * (1 + cfg.feedback_strength * f)
                / (1 + cfg.feedback_strength / 2)
            )
            precision = cfg.precision_base + (cfg.precision_max - cfg.precision_base) * f
            done = watched = 0
            for _ in range(1 + _poisson(rng, lam - 1)):
                own = by_cat[preferred[u]]
                if own and rng.random() < precision:
                    sid, start, end, cat, heat, lineup = rng.choice(own)
                else:
                    sid, start, end, cat, heat, lineup = rng.choices(streams, weights)[0]
                at = start + rng.randrange(end - start)
                boost = (cfg.match_boost if cat == preferred[u] else 1.0) * (
                    cfg.task_watch_boost if task_user[u] else 1.0
                )
                secs = round(
                    cfg.session_minutes * 60 * session[u] * boost * rng.lognormvariate(-0.4, 0.9)
                )
                secs = min(max(1, secs), end - at)
                eid += 1
                events.append(
                    (f"e{eid:07d}", uid, sid, "watch", at, secs, None, None, None, None, None)
                )
                watched += secs
                minutes = secs / 60
                for _ in range(_poisson(rng, cfg.like_rate * minutes * like[u])):
                    eid += 1
                    events.append(
                        (
                            f"e{eid:07d}",
                            uid,
                            sid,
                            "like",
                            at + rng.randrange(secs + 1),
                            None,
                            1 + int(rng.expovariate(1 / cfg.like_taps)),
                            None,
                            None,
                            None,
                            None,
                        )
                    )
                    done += 1
                for _ in range(_poisson(rng, cfg.comment_rate * minutes * comment[u] * heat)):
                    eid += 1
                    events.append(
                        (
                            f"e{eid:07d}",
                            uid,
                            sid,
                            "comment",
                            at + rng.randrange(secs + 1),
                            None,
                            None,
                            None,
                            None,
                            None,
                            None,
                        )
                    )
                    done += 1
                p_share = (
                    cfg.share_rate * share[u] * (cfg.task_share_boost if task_user[u] else 1.0)
                )
                if rng.random() < p_share:
                    eid += 1
                    events.append(
                        (
                            f"e{eid:07d}",
                            uid,
                            sid,
                            "share",
                            at + 1 + rng.randrange(secs),
                            None,
                            None,
                            None,
                            None,
                            rng.choice(("douyin", "wechat", "weibo", "qq", "other")),
                            None,
                        )
                    )
                    done += 1
                lam_buy = cfg.purchase_rate * buy[u] * math.sqrt(secs / (cfg.session_minutes * 60))
                for _ in range(_poisson(rng, lam_buy)):
                    product = rng.choice(lineup)
                    eid += 1
                    events.append(
                        (
                            f"e{eid:07d}",
                            uid,
                            sid,
                            "purchase",
                            at + rng.randrange(secs + 1),
                            None,
                            None,
                            prices[product],
                            f"p{product + 1:04d}",
                            None,
                            None,
                        )
                    )
                    done += 1
            if task_user[u]:
                for task, threshold in (("t01", 900), ("t02", 3600)):
                    if watched >= threshold:
                        completions.append((uid, task, d, threshold, 0.0, False))
            history[u] = 0.79 * history[u] + done
    table = pd.DataFrame.from_records(events)  # what a writer would need
    return time.perf_counter() - t, len(table)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--days", type=int, default=7)
    ap.add_argument("--sample", type=int, default=2_000, help="users in the naive baseline")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)

    print(f"naive per-agent loop on {args.sample:,} users x {args.days} days ...", flush=True)
    naive_s, naive_events = naive(args.sample, args.days, args.seed)
    per_user = naive_s / args.sample
    print(
        f"  {naive_s:.2f} s, {naive_events:,} events ({naive_events / naive_s:,.0f} events/s; "
        f"no social graph, cascades or ads)\n",
        flush=True,
    )
    header = (
        f"{'users':>9} {'days':>4} {'events':>11} {'generate s':>10} {'write s':>8} "
        f"{'total s':>8} {'events/s':>10} {'peak MB':>8} {'naive s (extrap.)':>17} {'speed-up':>8}"
    )
    print(header)
    print("-" * len(header))
    for users in args.sizes:
        r = run_size(users, args.days, args.seed)
        total = r["generate"] + r["write"]
        extrap = per_user * users
        print(
            f"{users:>9,} {args.days:>4} {r['events']:>11,} {r['generate']:>10.2f} {r['write']:>8.2f} "
            f"{total:>8.2f} {r['events'] / total:>10,.0f} {r['peak_mb']:>8.0f} {extrap:>17.1f} "
            f"{extrap / r['generate']:>7.0f}x",
            flush=True,
        )
    print("\ntarget: 100,000 users x 7 days in < 20 s (generate + write) and < 2,048 MB peak")


if __name__ == "__main__":
    main()
