"""``graphmodel import live-room``: live-room recordings to an event log.

A recording is one JSON object per line, one line per message of a live
room (`graphmodel.importers.read_room`, by a mapping of
`graphmodel.importers.mapping`; the built-in one reads
jwwsjlm/douyinLive's ``cmd/main/room_session.go`` output), or a
Bilibili-style danmaku XML file (`graphmodel.importers.read_danmaku`:
comments and gifts only; what that cannot give, and what it does to each
figure, is `DANMAKU_MISSING`, in the meta and the notes). The log written:

- ``events``: a comment per chat message, a like per like message with its
  taps as ``count``, a share per share message with its channel, and one
  watch per viewer and room, estimated (below). No ``via_share``: a recording
  has no referral links; ``--referrals auto`` infers them when the log is read
  (by the follows, `graphmodel.model.inference`).
- ``streams``: one per room id (files with the same room id are one stream),
  from its first to its last mapped message. Its host is the user id the
  mapping's ``host`` path gives where a recorder writes one, as
  ``streamer:<id>`` (the id pseudonymised like every user id); else
  ``host:<room>``, as the partial-logs derivation names an unknown host
  (jwwsjlm/douyinLive's messages do not name the host).
- ``follows``: a viewer following the host (``followee_id`` the stream's host),
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
from graphmodel.eventlog.log import META_FILE
from graphmodel.importers.mapping import Mapping
from graphmodel.importers.read_room import (
    COMMENT,
    ENTRY,
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
#: A host named by the recording is the streamer ``streamer:<its user id or pseudonym>``.
STREAMER_PREFIX = "streamer:"
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
#: What a danmaku XML file cannot give, and what that does to each figure.
DANMAKU_MISSING = {
    "likes": "no like events: the value of liking is zero here, not measured",
    "shares": "no share events: no cascades, no referrals, no spread (reach, depth, "
              "influence); the value of sharing is zero here, not measured",
    "follows": "no follows: no social graph, so --referrals auto has nothing to infer from",
    "entries": "no entries: a watch runs from the viewer's first comment to their last "
               "(seen once: to the room's last comment), so watch time, labour hours and "
               "data units are biased low, and viewers who never comment are missing",
}
ANONYMOUS_NOTE = (
    "comments with no user id (uid empty, 0, or a recorder's placeholder) are nobody's "
    "event: counted, not written, no user invented for them"
)
REFERRAL_NOTE = (
    "recordings carry no referral links (no via_share): --referrals auto infers them when "
    "the log is read, by the follows when the log has shares and follows"
)


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


def _groups(key: np.ndarray, at: np.ndarray):
    """The distinct values of ``key`` and the first and last ``at`` of each."""
    order = np.argsort(key, kind="stable")
    k = key[order]
    t = at[order]
    starts = np.flatnonzero(np.r_[True, k[1:] != k[:-1]])
    return k[starts], np.minimum.reduceat(t, starts), np.maximum.reduceat(t, starts)


def _frames(rec: Recording, watch_cap_s: float) -> tuple[dict, dict]:
    """The tables as columns (numpy arrays; times as int64 ns), and the figures of the
    estimator and the counts. ``rec.user`` holds the ids to write (pseudonyms or raw)."""
    n = len(rec.user)
    role = np.asarray(rec.role, dtype=np.int8)
    # whole microseconds: the finest a CSV log keeps, so windows and watches agree in it
    at = np.asarray(rec.at, dtype=np.int64) // 1000 * 1000
    users = np.asarray(rec.user, dtype=object)
    ucode, unames = pd.factorize(users)
    rcode, rnames = pd.factorize(np.asarray(rec.room, dtype=object))
    rnames = np.asarray(rnames, dtype=object)
    unames = np.asarray(unames, dtype=object)
    # streams: each room from its first to its last message, in order of room id
    rk, rmin, rmax = _groups(rcode.astype(np.int64), at)
    by_id = np.argsort(rnames[rk].astype(str), kind="stable")
    rk, rmin, rmax = rk[by_id], rmin[by_id], rmax[by_id]
    host = np.array([rec.hosts.get(r, HOST_PREFIX + str(r)) for r in rnames], dtype=object)
    streams = {"stream_id": rnames[rk], "streamer_id": host[rk],
               "started_at": rmin, "ended_at": rmax}
    room_end = np.empty(len(rnames), dtype=np.int64)
    room_end[rk] = rmax
    # watches: the estimator, one per (room, user)
    nu = max(len(unames), 1)
    vk, first, last = _groups(rcode.astype(np.int64) * nu + ucode, at)
    vroom, vuser = vk // nu, vk % nu
    end = np.where(last > first, last, room_end[vroom])
    raw = (end - first) / 1e9
    cap = float(watch_cap_s)
    seconds = np.minimum(raw, cap)
    nw = len(vk)
    # comments, likes, shares, in the order read
    idx = np.flatnonzero(np.isin(role, (COMMENT, LIKE, SHARE)))
    r_idx = role[idx]
    counts = np.asarray(rec.count, dtype=np.int64)
    type_names = np.array(["comment", "like", "share", "watch"], dtype=object)
    type_code = np.concatenate([np.full(nw, 3), np.select([r_idx == COMMENT, r_idx == LIKE],
                                                          [0, 1], 2)])
    ev_at = np.concatenate([first, at[idx]])
    ev_order = np.concatenate([np.full(nw, -1), idx])
    ev_user = np.concatenate([vuser, ucode[idx]])
    ev_room = np.concatenate([vroom, rcode[idx]])
    ev_seconds = np.concatenate([seconds, np.full(len(idx), np.nan)])
    ev_count = np.concatenate([np.zeros(nw, dtype=np.int64), np.where(r_idx == LIKE,
                                                                      counts[idx], 0)])
    ev_channel = np.concatenate([np.full(nw, None, dtype=object),
                                 np.asarray(rec.channel, dtype=object)[idx]])
    order = np.lexsort((ev_order, ev_at))
    type_code = type_code[order]
    ev_count = ev_count[order]
    events = {
        "event_id": np.array([f"e{i}" for i in range(1, len(order) + 1)], dtype=object),
        "user_id": unames[ev_user[order]], "stream_id": rnames[ev_room[order]],
        "type": type_names[type_code], "at": ev_at[order], "seconds": ev_seconds[order],
        "count": np.where(type_code == 1, ev_count, -1),  # -1: missing
        "channel": ev_channel[order],
    }
    tables = {"events": events, "streams": streams}
    if any(t is not None for t in rec.text):
        text = np.asarray(rec.text, dtype=object)
        o = ev_order[order]
        has = o >= 0
        picked = text[o[has]]
        keep = np.array([t is not None for t in picked], dtype=bool)
        tables["texts"] = pd.DataFrame({"event_id": events["event_id"][has][keep],
                                        "text": picked[keep]})
    # follows: a viewer following the host, the first time
    fidx = np.flatnonzero(role == FOLLOW)
    if len(fidx):
        fk, fmin, _ = _groups(rcode[fidx].astype(np.int64) * nu + ucode[fidx], at[fidx])
        o = np.lexsort((fk, fmin))
        fk, fmin = fk[o], fmin[o]
        tables["follows"] = {"follower_id": unames[fk % nu],
                             "followee_id": host[fk // nu],
                             "kind": np.full(len(fk), "follow", dtype=object), "since": fmin}
    gifts = np.asarray(list(rec.gifts.values()), dtype=np.int64).reshape(-1, 2)
    likes = role == LIKE
    figures = {
        "messages": {"lines": rec.lines, "mapped": n, "comments": int((role == COMMENT).sum()),
                     "likes": int(likes.sum()), "like_taps": int(counts[likes].sum()),
                     "shares": int((role == SHARE).sum()), "follows": int(len(fidx)),
                     "entries": int((role == ENTRY).sum()), "gifts": rec.gift_messages,
                     "social_other": int((role == SOCIAL_OTHER).sum()),
                     "duplicates": rec.duplicates},
        "unknown_kinds": dict(sorted(rec.unknown.items())),
        "watch": {"estimator": ESTIMATOR, "bias": BIAS, "cap_s": cap, "watches": nw,
                  "capped": int((raw > cap).sum()), "seconds": float(seconds.sum()),
                  "seen_once": int((last <= first).sum())},
        "gifts": {"messages": rec.gift_messages, "gifts": int(gifts[:, 0].sum()),
                  "diamonds": int((gifts[:, 0] * gifts[:, 1]).sum()), "note": GIFT_NOTE},
        "written": {"streams": len(rk), "follows": len(tables.get("follows", {}).get("since", ())),
                    **{t: int((type_code == i).sum()) for i, t in enumerate(type_names)}},
    }
    return tables, figures


def _pseudonymise(rec: Recording, key: bytes | None, keep_text: bool) -> pd.DataFrame | None:
    """Replace the raw user ids of ``rec`` by their pseudonyms under ``key`` (each distinct
    id hashed once), in place; the nicknames table when text is kept."""
    codes, uniques = pd.factorize(np.asarray(rec.user, dtype=object))
    uniques = uniques.tolist() if hasattr(uniques, "tolist") else list(uniques)
    if key is not None:
        base = hmac.new(key, digestmod=hashlib.sha256)
        names = []
        for u in uniques:
            h = base.copy()
            h.update(u.encode("utf-8"))
            names.append("u" + h.hexdigest()[:16])
        rec.user = np.asarray(names, dtype=object)[codes]
        rec.hosts = {r: pseudonym(key, h) for r, h in rec.hosts.items()}
    else:
        names = uniques
    # a host is a streamer: its own namespace, apart from the viewers' ids
    rec.hosts = {r: STREAMER_PREFIX + h for r, h in rec.hosts.items()}
    if not (keep_text and rec.nicknames):
        return None
    lookup = dict(zip(uniques, names, strict=True))
    return pd.DataFrame({"user_id": [lookup[u] for u in rec.nicknames],
                         "nickname": list(rec.nicknames.values())})


def _arrow(name: str, cols: dict, fmt: str):
    """Table ``name`` as an Arrow table with the schema's columns in order; for CSV the
    times as ISO 8601 text (seconds, or microseconds when any time has a fraction)."""
    import pyarrow as pa

    out = {}
    for c in TABLES[name].columns:
        v = cols.get(c.name)
        if c.kind == "datetime":
            if v is None:
                out[c.name] = pa.nulls(len(next(iter(cols.values()))), pa.timestamp("ns"))
                continue
            ns = np.asarray(v, dtype=np.int64)
            if fmt == "csv":
                unit = "us" if bool((ns % 1_000_000_000).any()) else "s"
                stamp = ns.astype("datetime64[ns]").astype(f"datetime64[{unit}]")
                out[c.name] = pa.array(np.datetime_as_string(stamp, unit=unit).astype(object),
                                       pa.string())
            else:
                out[c.name] = pa.array(ns.astype("datetime64[ns]"), pa.timestamp("ns"))
        elif v is None:
            n = len(next(iter(cols.values())))
            out[c.name] = pa.nulls(n, {"float": pa.float64(), "int": pa.int64()}
                                   .get(c.kind, pa.string()))
        elif c.kind == "float":
            out[c.name] = pa.array(np.asarray(v, dtype=np.float64), pa.float64(),
                                   from_pandas=True)
        elif c.kind == "int":
            v = np.asarray(v, dtype=np.int64)
            out[c.name] = pa.array(v, pa.int64(), mask=v < 0)
        else:
            out[c.name] = pa.array(np.asarray(v, dtype=object), pa.string(), from_pandas=True)
    return pa.table(out)


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
        import pyarrow.csv as pcsv
        import pyarrow.parquet as pq

        for name, cols in tables.items():
            table = _arrow(name, cols, fmt)
            if fmt == "csv":
                pcsv.write_csv(table, tmp / f"{name}.csv",
                               pcsv.WriteOptions(quoting_style="needed"))
            else:
                pq.write_table(table, tmp / f"{name}.parquet", compression="zstd")
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
                     fmt: str = "csv", input_format: str = "auto") -> ImportResult:
    """Read the recordings ``files`` by ``mapping`` and write the event log into ``out``.

    ``key``: the pseudonym key (``None``: ids kept as they are). ``input_format``:
    ``auto``, ``json`` or ``danmaku-xml`` (`.read_room.read_recordings`).
    All or nothing: a [`UserError`][graphmodel.errors.UserError] (file, line, field) leaves ``out`` as it was.
    """
    folder = _check_out(Path(out))
    rec = read_recordings(files, mapping, keep_text=keep_text, input_format=input_format)
    danmaku = _danmaku_figures(rec)
    if not rec.user and danmaku and danmaku["anonymous_comments"]:
        raise UserError(f"no message with a user id: {danmaku['anonymous_comments']:,} "
                        "comment(s) carry none (uid empty, 0, or a recorder's placeholder); "
                        "a comment with no user id is nobody's event: nothing to import")
    if not rec.user:
        raise UserError("no message of a mapped kind in the recordings: nothing to import"
                        + (f" (kinds seen: {', '.join(sorted(rec.unknown)[:5])})"
                           if rec.unknown else ""))
    nick = _pseudonymise(rec, key, keep_text)
    tables, figures = _frames(rec, watch_cap_s)
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
            **({"danmaku": danmaku} if danmaku else {}),
        },
    }
    _write(folder, tables, extra, meta, fmt)
    notes = _notes(figures) + _danmaku_notes(danmaku)
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
    if f["messages"]["duplicates"]:
        notes.append(f"{f['messages']['duplicates']:,} message(s) seen before (same room and "
                     "message id) dropped: overlapping recordings, or a file given twice")
    if f["messages"]["social_other"]:
        notes.append(f"{f['messages']['social_other']:,} social message(s) neither a follow "
                     "nor a share: counted as sightings only")
    notes.append(REFERRAL_NOTE)
    return notes


def _danmaku_figures(rec) -> dict | None:
    """What the danmaku XML files gave (per file and in all), what they cannot give."""
    if not rec.danmaku:
        return None
    files = {os.path.basename(f): v for f, v in rec.danmaku.items()}
    total = {k: sum(v[k] for v in files.values())
             for k in ("comments", "gifts", "anonymous_comments", "anonymous_gifts",
                       "repaired", "cut_off")}
    return {"files": files, **total,
            "unclosed": sum(not v["root_closed"] for v in files.values()),
            "anonymous": ANONYMOUS_NOTE, "missing": DANMAKU_MISSING}


def _danmaku_notes(d: dict | None) -> list[str]:
    if not d:
        return []
    notes = []
    if d["anonymous_comments"] or d["anonymous_gifts"]:
        notes.append(f"danmaku: {d['anonymous_comments']:,} of {d['comments']:,} comment(s) "
                     f"and {d['anonymous_gifts']:,} gift(s) with no user id: {ANONYMOUS_NOTE}")
    if d["unclosed"] or d["repaired"] or d["cut_off"]:
        notes.append(f"danmaku: broken XML recovered: {d['unclosed']:,} file(s) with the root "
                     f"left open, {d['repaired']:,} element(s) repaired, {d['cut_off']:,} "
                     "cut off at the end of a file and dropped")
    notes.append("danmaku XML has comments (and gifts) only: "
                 + "; ".join(f"{k}: {v}" for k, v in DANMAKU_MISSING.items()))
    return notes
