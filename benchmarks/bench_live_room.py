"""Benchmark: ``graphmodel import live-room`` on a 1-million-message recording.

A seeded recording in jwwsjlm/douyinLive's JSON-lines form (the built-in
mapping) is written once into ``--dir`` (default ``/tmp/bench-live-room``):
``--rooms`` rooms of four hours, ``--viewers`` viewers, messages drawn as a
busy room sends them (chat 40%, like 30%, entry 20%, share 3%, follow 2%,
gift 3%, RoomUserSeq 2%, unmapped). Timed in the same run:

- ``import``: :func:`graphmodel.importers.live_room.import_live_room`, the
  whole path (read, estimate the watches, pseudonymise, write the CSV log);
- ``naive``: the baseline a user would write first: ``json.loads`` of every
  line into a list of dicts, then ``pandas.json_normalize`` into one frame
  (no watch estimate, no log written: only the parsing);

and the ratio is printed. Target: the import under 20 s.

The lines are parsed by orjson (a dependency, for speed; the importer falls
back to the standard library's json without it); ``--stdlib-json`` times
that fallback.

Usage: ``python benchmarks/bench_live_room.py [--messages 1000000] [--rooms 4]
[--viewers 200000] [--seed 0] [--dir DIR] [--stdlib-json]``
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
from pathlib import Path

import numpy as np
import pandas as pd

from graphmodel.importers import read_room
from graphmodel.importers.live_room import import_live_room
from graphmodel.importers.mapping import builtin_mapping

KINDS = np.array(["WebcastChatMessage", "WebcastLikeMessage", "WebcastMemberMessage",
                  "share", "follow", "WebcastGiftMessage", "WebcastRoomUserSeqMessage"])
P = np.array([0.40, 0.30, 0.20, 0.03, 0.02, 0.03, 0.02])


def write_recording(path: Path, messages: int, rooms: int, viewers: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    kind = rng.choice(len(KINDS), size=messages, p=P)
    room = rng.integers(0, rooms, size=messages)
    user = rng.integers(1, viewers + 1, size=messages) + 10**15
    t0 = 1_700_000_000_000 + room * 86_400_000
    at = np.sort(rng.integers(0, 4 * 3600 * 1000, size=messages)) + t0
    taps = rng.integers(1, 16, size=messages)
    share_type = rng.choice([1, 2, 3, 4, 5, 112], size=messages)
    with open(path, "w", encoding="utf-8") as f:
        for k, r, u, t, c, s in zip(kind.tolist(), room.tolist(), user.tolist(), at.tolist(),
                                    taps.tolist(), share_type.tolist(), strict=True):
            common = {"method": "", "msgId": str(t), "roomId": str(7_300_000_000_000_000_000 + r),
                      "createTime": str(t)}
            name = KINDS[k]
            o = {"common": common, "user": {"id": str(u), "nickname": f"viewer {u % 1000}"}}
            if name == "WebcastChatMessage":
                o["content"] = "nice product, how much?"
            elif name == "WebcastLikeMessage":
                o["count"] = str(c)
                o["total"] = str(c * 10)
            elif name == "share":
                name = "WebcastSocialMessage"
                o.update(action="3", shareType=str(s))
            elif name == "follow":
                name = "WebcastSocialMessage"
                o.update(action="1", followCount="1000")
            elif name == "WebcastGiftMessage":
                o.update(giftId="1", groupId=str(t), repeatCount="1", groupCount="1",
                         gift={"id": "1", "diamondCount": 1, "name": "rose"})
            elif name == "WebcastRoomUserSeqMessage":
                del o["user"]
                o.update(total="1000", totalUser="5000")
            common["method"] = name
            o["method"] = name
            o["livename"] = "host"
            o["title"] = "a live room"
            f.write(json.dumps(o, ensure_ascii=False, separators=(",", ":")))
            f.write("\n")


def naive(path: Path) -> pd.DataFrame:
    with open(path, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    return pd.json_normalize(rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--messages", type=int, default=1_000_000)
    ap.add_argument("--rooms", type=int, default=4)
    ap.add_argument("--viewers", type=int, default=200_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--dir", type=Path, default=Path("/tmp/bench-live-room"))
    ap.add_argument("--stdlib-json", action="store_true",
                    help="Parse with the standard library's json even when orjson is installed.")
    a = ap.parse_args()
    if a.stdlib_json:
        read_room._loads = json.loads
    print(f"parser: {read_room._loads.__module__}")
    a.dir.mkdir(parents=True, exist_ok=True)
    rec = a.dir / f"rec-{a.messages}-{a.rooms}-{a.viewers}-{a.seed}.jsonl"
    if not rec.exists():
        t = time.perf_counter()
        write_recording(rec, a.messages, a.rooms, a.viewers, a.seed)
        print(f"wrote {rec} ({rec.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - t:.1f} s")
    out = a.dir / "log"
    shutil.rmtree(out, ignore_errors=True)
    t = time.perf_counter()
    result = import_live_room([rec], out, builtin_mapping(), key=b"bench-key")
    t_import = time.perf_counter() - t
    w = result.meta["live_room"]["written"]
    ev = {t: w[t] for t in ("watch", "comment", "like", "share")}
    t = time.perf_counter()
    frame = naive(rec)
    t_naive = time.perf_counter() - t
    print(f"messages: {a.messages:,}; events written: {sum(ev.values()):,} {ev}")
    print(f"import live-room (read, estimate, pseudonymise, write CSV): {t_import:.1f} s "
          f"({'under' if t_import < 20 else 'OVER'} the 20 s target)")
    print(f"naive baseline (json.loads per line + pandas.json_normalize, parsing only): "
          f"{t_naive:.1f} s ({len(frame):,} rows x {frame.shape[1]} columns)")
    print(f"ratio naive / import: {t_naive / t_import:.2f}")


if __name__ == "__main__":
    main()
