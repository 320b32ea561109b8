"""``graphmodel import live-room``: live-room recordings to an event log.

A recording is one JSON object per line, one line per message of a live
room (:mod:`graphmodel.importers.read_room`, by a mapping of
:mod:`graphmodel.importers.mapping`; the built-in one reads
jwwsjlm/douyinLive's ``cmd/main/room_session.go`` output). The log written:

- ``events``: a comment per chat message, a like per like message with its
  taps as ``count``, a share per share message with its channel, and one
  watch per viewer and room, estimated (below). No ``via_share``: a recording
  has no referral links; ``--referrals auto`` infers them when the log is read
  (by the follows, :mod:`graphmodel.model.inference`).
- ``streams``: one per room id (files with the same room id are one stream),
  from its first to its last mapped message; host ``host:<room>``, as the
  partial-logs derivation names an unknown host.
- ``follows``: a viewer following the host (``followee_id`` ``host:<room>``),
  ``since`` the first follow message; absent when there is none.
- Every other table is absent and derived or empty when the log is read
  (docs/your-data.md).

Watch time is not in the stream. The estimator: one watch per (viewer,
room), from the viewer's first message there (an entry or anything else) to
their last one; when the first is also the last (seen once), to the room's
end (its last message); capped at ``watch_cap_s``. It under-counts the time a
viewer stays after their last message and misses viewers who never send
anything (busy rooms announce only some entries), and it over-counts a viewer
seen once who left early (credited up to the cap).

Gifts are counted (messages, gifts, diamonds) in the meta and a note, and
left outside the model's accounting: the model values users' labour and data
(watching, liking, commenting, sharing, buying), and a gift is a payment
whose split between platform and host the recording does not show.

User ids are pseudonymised by HMAC-SHA256 with a key the caller gives
(``u`` and the first 16 hex digits); room ids are kept (a room is a public
broadcast). Nicknames and comment text are dropped unless ``keep_text``:
then ``texts.csv`` (event_id, text) and ``nicknames.csv`` (user_id, nickname)
are written beside the log.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from graphmodel.errors import UserError
from graphmodel.eventlog.derive import HOST_PREFIX
from graphmodel.eventlog.log import META_FILE, conform
from graphmodel.eventlog.write import csv_frame
from graphmodel.importers.mapping import Mapping
from graphmodel.importers.read_room import (
    COMMENT,
    FOLLOW,
    LIKE,
    SHARE,
    SOCIAL_OTHER,
    Recording,
    read_recordings,
)
from graphmodel.safefile import new_dir_mode, os_error, output_folder
from graphmodel.schema import TABLES
from graphmodel.terminal import visible

__all__ = ["ImportResult", "import_live_room", "pseudonym", "DEFAULT_WATCH_CAP_S",
           "ESTIMATOR", "KEY_ENV"]

DEFAULT_WATCH_CAP_S = 1800.0
#: The environment variable holding the pseudonym key.
KEY_ENV = "GRAPHMODEL_PSEUDONYM_KEY"

ESTIMATOR = (
    "one watch per (viewer, room): from the viewer's first message in the room (an entry "
    "or any other) to their last; a viewer seen once is credited to the room's end (its "
    "last message); capped"
)
BIAS = (
    "under-counts: the time a viewer stays after their last message, and viewers who never "
    "send a message (busy rooms announce only some entries); over-counts: a viewer seen "
    "once who left early is credited up to the cap"
)
GIFT_NOTE = (
    "gifts are counted here and left outside the model's accounting: the model values "
    "users' labour and data, and a gift is a payment whose split between platform and host "
    "the recording does not show"
)
REFERRAL_NOTE = (
    "recordings carry no referral links (no via_share): --referrals auto infers them when "
    "the log is read, by the follows when the log has shares and follows"
)
_ROLE_TYPE = {COMMENT: "comment", LIKE: "like", SHARE: "share"}


def pseudonym(key: bytes, user_id: str) -> str:
    """The pseudonym of ``user_id`` under ``key``: ``u`` and 16 hex digits of HMAC-SHA256.

    >>> pseudonym(b"k", "42")
    'u7955074f51169f1f'
    """
    return "u" + hmac.new(key, user_id.encode("utf-8"), hashlib.sha256).hexdigest()[:16]


@dataclass
class ImportResult:
    """The tables written, the meta and the notes to print."""

    out: Path
    tables: dict
    meta: dict
    notes: list


def _frames(rec: Recording, watch_cap_s: float) -> tuple[dict, dict]:
    """The tables (raw user ids) and the figures of the estimator and the counts."""
    n = len(rec.user)
    if n == 0:
        raise UserError("no message of a mapped kind in the recordings: nothing to import"
                        + (f" (kinds seen: {', '.join(sorted(rec.unknown)[:5])})"
                           if rec.unknown else ""))
    role = np.asarray(rec.role, dtype=np.int8)
    at = np.asarray(rec.at, dtype=np.int64)
    m = pd.DataFrame({"user": pd.Categorical(rec.user), "room": pd.Categorical(rec.room),
                      "at": at})
    # streams: each room from its first to its last message
    rooms = m.groupby("room", observed=True, sort=True)["at"].agg(["min", "max"])
    streams = pd.DataFrame({
        "stream_id": rooms.index.astype(str),
        "streamer_id": HOST_PREFIX + rooms.index.astype(str),
        "started_at": pd.to_datetime(rooms["min"].to_numpy(), unit="ns"),
        "ended_at": pd.to_datetime(rooms["max"].to_numpy(), unit="ns"),
    })
    # watches: the estimator
    v = m.groupby(["room", "user"], observed=True, sort=True)["at"].agg(["min", "max"])
    v = v.reset_index()
    room_end = rooms["max"].reindex(v["room"].astype(str)).to_numpy()
    first, last = v["min"].to_numpy(), v["max"].to_numpy()
    end = np.where(last > first, last, room_end)
    raw = (end - first) / 1e9
    cap = float(watch_cap_s)
    seconds = np.minimum(raw, cap)
    watches = pd.DataFrame({
        "user_id": v["user"].astype(str).to_numpy(), "stream_id": v["room"].astype(str).to_numpy(),
        "type": "watch", "at": first, "seconds": seconds, "_order": -1,
    })
    # comments, likes, shares, in the order read
    keep = np.isin(role, (COMMENT, LIKE, SHARE))
    idx = np.flatnonzero(keep)
    types = pd.Series(role[idx]).map(_ROLE_TYPE).to_numpy()
    counts = np.asarray(rec.count, dtype=np.int64)[idx]
    channel = np.asarray(rec.channel, dtype=object)[idx]
    others = pd.DataFrame({
        "user_id": np.asarray(rec.user, dtype=object)[idx],
        "stream_id": np.asarray(rec.room, dtype=object)[idx],
        "type": types, "at": at[idx], "_order": idx,
        "count": pd.array(np.where(types == "like", counts, 0), dtype="Int64"),
        "channel": channel,
    })
    others.loc[others["type"] != "like", "count"] = pd.NA
    events = pd.concat([watches, others], ignore_index=True)
    events = events.sort_values(["at", "_order"], kind="stable").reset_index(drop=True)
    events["event_id"] = "e" + pd.Series(np.arange(1, len(events) + 1)).astype(str)
    order = events.pop("_order").to_numpy()
    events["at"] = pd.to_datetime(events["at"].to_numpy(), unit="ns")
    texts = None
    if any(t is not None for t in rec.text):
        text = np.asarray(rec.text, dtype=object)
        has = order >= 0
        pick = text[order[has]]
        texts = pd.DataFrame({"event_id": events["event_id"].to_numpy()[has], "text": pick})
        texts = texts[texts["text"].notna()].reset_index(drop=True)
    # follows: a viewer following the host, the first time
    fidx = np.flatnonzero(role == FOLLOW)
    follows = pd.DataFrame({
        "follower_id": np.asarray(rec.user, dtype=object)[fidx],
        "followee_id": HOST_PREFIX + pd.Series(np.asarray(rec.room, dtype=object)[fidx],
                                               dtype=object),
        "kind": "follow", "since": at[fidx],
    }) if len(fidx) else None
    if follows is not None:
        follows = (follows.sort_values("since", kind="stable")
                   .drop_duplicates(["follower_id", "followee_id"]).reset_index(drop=True))
        follows["since"] = pd.to_datetime(follows["since"].to_numpy(), unit="ns")
    gifts = np.asarray(list(rec.gifts.values()), dtype=np.int64).reshape(-1, 2)
    figures = {
        "messages": {"lines": rec.lines, "mapped": n, "comments": int((role == COMMENT).sum()),
                     "likes": int((role == LIKE).sum()), "like_taps": int(counts[types == "like"]
                                                                           .sum()),
                     "shares": int((role == SHARE).sum()), "follows": int(len(fidx)),
                     "entries": int((role == 4).sum()), "gifts": rec.gift_messages,
                     "social_other": int((role == SOCIAL_OTHER).sum())},
        "unknown_kinds": dict(sorted(rec.unknown.items())),
        "watch": {"estimator": ESTIMATOR, "bias": BIAS, "cap_s": cap, "watches": len(watches),
                  "capped": int((raw > cap).sum()), "seconds": float(seconds.sum()),
                  "seen_once": int((last <= first).sum())},
        "gifts": {"messages": rec.gift_messages, "gifts": int(gifts[:, 0].sum()),
                  "diamonds": int((gifts[:, 0] * gifts[:, 1]).sum()), "note": GIFT_NOTE},
    }
    tables = {"events": events, "streams": streams}
    if follows is not None:
        tables["follows"] = follows
    if texts is not None:
        tables["texts"] = texts
    return tables, figures


def _pseudonymise(tables: dict, nicknames: dict, key: bytes | None) -> dict | None:
    """Replace raw user ids by pseudonyms (``key``), in place; the nicknames table."""
    ids = set(tables["events"]["user_id"].unique())
    if "follows" in tables:
        ids.update(tables["follows"]["follower_id"].unique())
    names = {u: pseudonym(key, u) for u in ids} if key is not None else {u: u for u in ids}
    tables["events"]["user_id"] = tables["events"]["user_id"].map(names)
    if "follows" in tables:
        tables["follows"]["follower_id"] = tables["follows"]["follower_id"].map(names)
    if not nicknames:
        return None
    return pd.DataFrame({"user_id": [names[u] for u in nicknames if u in names],
                         "nickname": [nicknames[u] for u in nicknames if u in names]})


def _check_out(out: Path) -> Path:
    folder, exists = output_folder(out, "the event log")
    if exists:
        try:
            if any(os.scandir(folder)):
                raise UserError(f"{visible(str(out))}: exists and is not empty; give a new or "
                                "empty folder for the imported log")
        except OSError as exc:
            raise os_error(out, exc) from None
    return folder


def _write(folder: Path, tables: dict, extra: dict, meta: dict, fmt: str) -> None:
    """Write into a temporary folder beside ``folder``, then rename it into place."""
    parent = folder.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=parent))
        os.chmod(tmp, new_dir_mode())
    except OSError as exc:
        raise os_error(folder, exc, "cannot write the event log") from None
    try:
        for name, df in tables.items():
            df = conform(TABLES[name], df)
            if fmt == "csv":
                csv_frame(name, df).to_csv(tmp / f"{name}.csv", index=False,
                                           lineterminator="\n", float_format="%.10g")
            else:
                import pyarrow as pa
                import pyarrow.parquet as pq

                pq.write_table(pa.Table.from_pandas(df, preserve_index=False),
                               tmp / f"{name}.parquet", compression="zstd")
        for name, df in extra.items():
            df.to_csv(tmp / f"{name}.csv", index=False, lineterminator="\n")
        (tmp / META_FILE).write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n",
                                     encoding="utf-8")
        os.rename(tmp, folder)  # onto a missing or empty folder
    except OSError as exc:
        raise os_error(folder, exc, "cannot write the event log") from None
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def import_live_room(files, out, mapping: Mapping, *, key: bytes | None,
                     keep_text: bool = False, watch_cap_s: float = DEFAULT_WATCH_CAP_S,
                     fmt: str = "csv") -> ImportResult:
    """Read the recordings ``files`` by ``mapping`` and write the event log into ``out``.

    ``key``: the pseudonym key (``None``: ids kept as they are). All or nothing:
    a :class:`UserError` (file, line, field) leaves ``out`` as it was.
    """
    folder = _check_out(Path(out))
    rec = read_recordings(files, mapping, keep_text=keep_text)
    tables, figures = _frames(rec, watch_cap_s)
    nick = _pseudonymise(tables, rec.nicknames if keep_text else {}, key)
    extra = {}
    if "texts" in tables:
        extra["texts"] = tables.pop("texts")
    if nick is not None:
        extra["nicknames"] = nick
    meta = {
        "source": "graphmodel import live-room",
        "live_room": {
            "files": [os.path.basename(f) for f in rec.files],
            "time_units": {os.path.basename(f): u for f, u in rec.units.items()},
            "mapping": mapping.describe(),
            **figures,
            "pseudonymised": key is not None,
            "pseudonym": "u + first 16 hex digits of HMAC-SHA256(key, user id)"
            if key is not None else None,
            "text_kept": keep_text,
            "referrals": REFERRAL_NOTE,
        },
    }
    _write(folder, tables, extra, meta, fmt)
    notes = _notes(figures)
    return ImportResult(Path(out), tables, meta, notes)


def _notes(f: dict) -> list[str]:
    notes = []
    for kind, n in f["unknown_kinds"].items():
        notes.append(f"{n:,} message(s) of unmapped kind {visible(kind)} skipped")
    w = f["watch"]
    notes.append(
        f"watch time estimated ({w['watches']:,} watches, {w['capped']:,} capped at "
        f"{w['cap_s']:g} s, {w['seen_once']:,} viewers seen once): {ESTIMATOR}; it {BIAS}")
    g = f["gifts"]
    if g["messages"]:
        notes.append(f"{g['messages']:,} gift message(s), {g['gifts']:,} gift(s), "
                     f"{g['diamonds']:,} diamonds: {GIFT_NOTE}")
    if f["messages"]["social_other"]:
        notes.append(f"{f['messages']['social_other']:,} social message(s) neither a follow "
                     "nor a share: counted as sightings only")
    notes.append(REFERRAL_NOTE)
    return notes
