"""Read Bilibili-style danmaku XML (what most Douyin recorders save beside the video).

The writers read (docs/your-data.md, "Danmaku XML"):

- renmu123/biliLive-tools (``packages/liveManager/src/xml_stream_controller.ts``,
  ``packages/DouYinRecorder/src/index.ts``): ``<metadata>`` (``platform``,
  ``video_start_time`` in ms, ``live_start_time``, ``room_title``, ``user_name``,
  ``room_id``), chat ``<d p="offset_s,mode,25,color,ms,0,uid,uid,0" user="nick"
  uid="..." timestamp="ms">text</d>``, gifts ``<gift ts="offset_s" giftname=...
  giftcount=... price=... user=... uid=... timestamp="ms"/>`` (a combo written once,
  ``giftcount`` its total; ``price`` = ``diamondCount / 10 * 1000``);
- stream-rec/stream-rec, LyzenX/DouyinLiveRecorder, biliup/biliup: the plain ``<d
  p="offset_s,mode,25,color,time,0,uid,0" user="nick">text</d>``, chat only.

Every ``<d>`` is a comment, every ``<gift>`` a gift message; other elements under
the root (Bilibili's ``<sc>``, ``<guard>``, biliup's ``<s>``, ...) are counted by
name and skipped.

Time of an element: its ``timestamp`` attribute, else field 4 of ``p``, unit told
by size as for JSON lines (`graphmodel.importers.read_room.time_unit`), else
``video_start_time`` plus the offset (field 0 of ``p``, or ``ts``).

User id: the ``uid`` attribute, else field 6 of ``p``. Empty, ``0``, ``undefined``
and ``null`` are no user id; so is LyzenX's fixed ``1602022773`` in field 6 of a
``<d>`` without ``uid`` (``dylr/core/danmu_recorder.py``), and any uid that every
comment of a file shares under three nicknames or more (a writer's placeholder). A
message with no user id cannot be anyone's event: it is counted (``anonymous``)
and dropped, never given an invented user.

Broken files are read as far as they can be: a root left unclosed (the recorder
killed), an element cut off at the end of the file (dropped and counted), and an
element the XML parser refuses (unescaped ``&``, ``<`` or ``"`` in a nickname or a
text, as LyzenX writes them) re-read on its own from its raw text (``p``, ``uid``,
``timestamp`` exactly; nickname and text as best they can be) and counted as
repaired. A file with no readable root, or a broken element whose ``p`` cannot be
found, is refused in one line (file, line, field).
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from xml.parsers import expat

from graphmodel.errors import UserError
from graphmodel.importers.read_room import COMMENT, GIFT, UNITS, Recording, time_unit
from graphmodel.terminal import visible

__all__ = ["read_danmaku", "sniff", "LYZENX_PLACEHOLDER", "NO_ID"]

#: The uid LyzenX/DouyinLiveRecorder writes in field 6 of every ``p``.
LYZENX_PLACEHOLDER = "1602022773"
#: Values of a uid that name nobody.
NO_ID = frozenset({"", "0", "undefined", "null", "None"})
#: The elements read; the stylesheet biliLive-tools embeds is skipped silently.
READ = ("d", "gift")
SKIP = ("metadata", "RecorderXmlStyle")

_CLOSE = {"d": (b"</d>",), "gift": (b"/>", b"</gift>")}
_ATTR = re.compile(r'\b(p|uid|timestamp|ts|giftname|giftcount|price)="([^"<>]*)"')
_USER = re.compile(r'\buser="(.*?)"(?=\s+\w+="|\s*/?>)', re.S)
_NEXT = re.compile(rb"\n[ \t]*<(?:d|gift)[\s>/]")
_CHUNK = 1 << 16


class _Bad(Exception):
    """A value or an element that cannot be read, with its line and field."""

    def __init__(self, line: int, field: str | None, message: str):
        super().__init__(message)
        self.line, self.field = line, field


def sniff(head: bytes) -> str:
    """``danmaku-xml`` when a file's first character is ``<``, else ``json`` (whose reader
    then says what is wrong with a line that is not JSON).

    >>> sniff(b'\\xef\\xbb\\xbf<?xml version="1.0"?>'), sniff(b' {"a": 1}'), sniff(b"a")
    ('danmaku-xml', 'json', 'json')
    """
    return "danmaku-xml" if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<") else "json"


def _parse(data: bytes):
    """The elements of ``data`` as (name, attrs, text, line, repaired), the metadata, the
    other elements by name and what was recovered.

    The stdlib's expat parser reads the file; where it stops on an element it refuses, that
    element (from its ``<d `` or ``<gift `` to its closing tag, or the next element's line)
    is re-read by `_repair` and a new parser goes on after it inside a fresh ``<i>``.
    Stopping at the end of the file with the root open is an unclosed root; inside an
    element, a cut-off element (dropped).
    """
    elements: list = []
    meta: dict[str, str] = {}
    other: dict[str, int] = {}
    info = {"root_closed": True, "repaired": 0, "cut_off": 0}
    offset, prefix, line0 = 0, b"", 1
    counted = [0, 1]  # a position and its line: lines are counted forward only

    def line_at(pos: int) -> int:
        counted[1] += data.count(b"\n", counted[0], pos)
        counted[0] = pos
        return counted[1]

    while True:
        p = expat.ParserCreate("utf-8")
        st = {"depth": 0, "cur": None, "text": [], "meta": None, "done": offset}
        base = line0 - 1
        shift = offset - len(prefix)

        def start(name, attrs, p=p, st=st, base=base, shift=shift):
            st["depth"] += 1
            d = st["depth"]
            if d == 2:
                if name in READ:
                    st["cur"] = (
                        name,
                        attrs,
                        base + p.CurrentLineNumber,
                        shift + p.CurrentByteIndex,
                    )
                    st["text"] = []
                elif name not in SKIP:
                    other[name] = other.get(name, 0) + 1
                st["meta"] = "" if name == "metadata" else None
            elif d == 3 and st["meta"] is not None:
                st["meta"] = name
                st["text"] = []

        def end(name, p=p, st=st, shift=shift):
            d = st["depth"]
            st["depth"] -= 1
            if d == 2:
                cur = st["cur"]
                if cur is not None:
                    elements.append((cur[0], cur[1], "".join(st["text"]), cur[2], False))
                st["cur"], st["meta"] = None, None
                i = shift + p.CurrentByteIndex  # the end tag, or an empty element's start
                st["done"] = (
                    data.find(b">", i) + 1 if data.startswith(b"</", i) else data.find(b"/>", i) + 2
                )
            elif d == 3 and st["meta"]:
                meta[st["meta"]] = "".join(st["text"]).strip()
                st["meta"] = ""

        def chars(text, st=st):
            if st["cur"] is not None or st["meta"]:
                st["text"].append(text)

        p.StartElementHandler, p.EndElementHandler = start, end
        p.CharacterDataHandler = chars
        try:  # in chunks: a restart after a repair copies no more than one chunk
            p.Parse(prefix, False)
            for i in range(offset, len(data), _CHUNK):
                p.Parse(data[i : i + _CHUNK], False)
            p.Parse(b"", True)
            return elements, meta, other, info
        except expat.ExpatError as exc:
            code = expat.errors.messages[exc.code]
            at = shift + max(p.ErrorByteIndex, len(prefix))
            line = base + exc.lineno
            column = exc.offset + 1 - (len(prefix) if exc.lineno == 1 else 0)
        if code in (expat.errors.XML_ERROR_NO_ELEMENTS, expat.errors.XML_ERROR_UNCLOSED_TOKEN):
            if st["depth"] == 0 and not elements and not meta and offset == 0:
                raise _Bad(
                    line,
                    None,
                    "no XML element: not a danmaku file (empty, or cut off before its root)",
                )
            info["root_closed"] = False
            if st["cur"] is not None or data[st["done"] :].strip(b" \t\r\n</i>"):
                info["cut_off"] += 1  # an element the file ends inside: dropped
            return elements, meta, other, info
        # an element the parser refuses: find where it starts, re-read it from its raw text
        cur = st["cur"]
        if cur is not None:
            begin, name = cur[3], cur[0]
        else:
            begin, name = -1, None
            for n in READ:
                i = data.rfind(b"<" + n.encode() + b" ", st["done"], at + 1)
                if i > begin:
                    begin, name = i, n
        if name is None or (st["depth"] == 0 and offset == 0):
            raise _Bad(line, None, f"not well-formed XML at column {column}: {code}")
        nxt = _NEXT.search(data, begin + 1)
        limit = nxt.start() if nxt is not None else len(data)
        stop, close = -1, 0
        for tag in _CLOSE[name]:  # the first of its closing forms before the next element
            i = data.find(tag, begin, limit)
            if i >= 0 and (stop < 0 or i < stop):
                stop, close = i, len(tag)
        if stop < 0 and nxt is not None:
            stop = limit
        eline = line_at(begin)
        if stop < 0:  # the file ends inside it
            info["root_closed"] = False
            info["cut_off"] += 1
            return elements, meta, other, info
        raw = data[begin:stop].decode("utf-8", "replace")
        elements.append((name, *_repair(name, raw, eline), eline, True))
        info["repaired"] += 1
        offset = stop + close
        prefix = b"<i>"
        line0 = line_at(offset)


def _repair(name: str, raw: str, line: int) -> tuple[dict, str]:
    """The attributes and text of one element from its raw text (the parser refused it)."""
    attrs = {k: html.unescape(v) for k, v in _ATTR.findall(raw)}
    if name == "d" and "p" not in attrs:
        raise _Bad(line, "p", "a broken <d> element with no readable p attribute")
    m = _USER.search(raw)
    if m:
        attrs["user"] = html.unescape(m.group(1))
    text = ""
    if name == "d":
        head = raw.find('">', m.end(1) if m else raw.find('p="'))
        text = html.unescape(raw[head + 2 :]) if head >= 0 else ""
    return attrs, text


def _number(value: str, line: int, field: str, what: str) -> float:
    try:
        x = float(value)
    except ValueError:
        raise _Bad(line, field, f"{what} {visible(repr(value))} is not a number") from None
    if x != x or x in (float("inf"), float("-inf")):
        raise _Bad(line, field, f"{what} {visible(repr(value))} is not a number")
    return x


def _when(name, attrs, p, line, start_ns, units) -> int:
    """The time of one element in integer ns (its timestamp, p[4], or start + offset)."""
    stamp = attrs.get("timestamp", "").strip()
    field = "timestamp"
    if (not stamp or stamp == "0") and name == "d" and len(p) > 4 and p[4].strip() not in ("", "0"):
        stamp, field = p[4].strip(), "p"
    if stamp and stamp != "0":
        v = _number(stamp, line, field, "time")
        if v <= 0:
            raise _Bad(line, field, f"time {visible(stamp)} is not positive")
        try:
            unit, ns = time_unit(v)
        except ValueError:
            raise _Bad(line, field, f"time {visible(stamp)} is too large for any unit") from None
        key = "timestamp" if field == "timestamp" else "p[4]"
        seen = units.get(key)
        if seen is None:
            units[key] = (unit, line)
        elif seen[0] != unit:
            raise _Bad(
                line,
                field,
                f"time {stamp} reads as {unit} but line {seen[1]} of "
                f"this file reads as {seen[0]}: mixed time units",
            )
        return int(round(v * ns))
    offset = p[0] if name == "d" else attrs.get("ts", "")
    field = "p" if name == "d" else "ts"
    if start_ns is None or not offset.strip():
        raise _Bad(
            line,
            field,
            "no time: no timestamp, no time in p, and no usable "
            "<metadata><video_start_time> to add the offset to",
        )
    return start_ns + int(round(_number(offset, line, field, "offset") * 1e9))


def read_danmaku(path: Path, rec: Recording, keep_text: bool) -> None:
    """Read one danmaku XML file into ``rec``; a [`UserError`][graphmodel.errors.UserError] (file, line, field)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UserError(f"{visible(str(path))}: cannot read: {exc.strerror or exc}") from None
    try:
        _read(path, data, rec, keep_text)
    except _Bad as exc:
        where = f"{visible(str(path))}, line {exc.line}"
        if exc.field:
            where += f", field {exc.field}"
        raise UserError(f"{where}: {exc}") from None


def _read(path: Path, data: bytes, rec: Recording, keep_text: bool) -> None:
    elements, meta, other, info = _parse(data)
    stem = path.name.split(".")[0] or path.name
    room = meta.get("room_id") or stem
    start_ns = None
    v = meta.get("video_start_time", "")
    if v.isdigit() and 0 < int(v) < UNITS[-1][0]:  # else unusable: as if absent
        start_ns = int(v) * time_unit(int(v))[1]
    units: dict = {}
    # a uid every comment shares under several nicknames is a placeholder
    d_uids = {(a.get("uid") or _field(a.get("p", ""), 6)) for n, a, *_ in elements if n == "d"}
    d_nicks = {a.get("user") for n, a, *_ in elements if n == "d" and a.get("user")}
    shared = next(iter(d_uids)) if len(d_uids) == 1 and len(d_nicks) > 2 else None
    counts = {"comments": 0, "gifts": 0, "anonymous_comments": 0, "anonymous_gifts": 0}
    for name, attrs, text, line, _ in elements:
        if name == "d":
            if "p" not in attrs:
                raise _Bad(line, "p", "a <d> element with no p attribute")
            p = attrs["p"].split(",")
            if len(p) < 5:
                raise _Bad(
                    line,
                    "p",
                    f"p {visible(repr(attrs['p']))} has {len(p)} fields; "
                    "a danmaku p has at least 5 (offset,mode,size,color,time)",
                )
            _number(p[0], line, "p", "offset")
            if p[4].strip():
                _number(p[4], line, "p", "time")
            uid = attrs.get("uid")
            placeholder = False
            if uid is None:
                uid = _field(attrs["p"], 6)
                placeholder = uid == LYZENX_PLACEHOLDER
        else:
            uid = attrs.get("uid")
            p = []
        t = _when(name, attrs, p, line, start_ns, units)
        uid = (uid or "").strip()
        anonymous = uid in NO_ID or (name == "d" and (placeholder or uid == shared))
        if name == "gift":
            _gift(rec, attrs, uid, anonymous, room, path, line)
            counts["gifts"] += 1
            counts["anonymous_gifts"] += anonymous
        else:
            counts["comments"] += 1
            counts["anonymous_comments"] += anonymous
        if anonymous:
            continue
        rec.user.append(uid)
        rec.room.append(room)
        rec.at.append(t)
        rec.role.append(COMMENT if name == "d" else GIFT)
        rec.count.append(1)
        rec.channel.append(None)
        rec.text.append(text if keep_text and name == "d" else None)
        if keep_text and attrs.get("user"):
            rec.nicknames[uid] = attrs["user"]
    rec.lines += len(elements)
    for name, n in other.items():
        rec.unknown[f"<{name}>"] += n
    rec.units[str(path)] = {k: u for k, (u, _) in units.items()}
    rec.files.append(str(path))
    rec.danmaku[str(path)] = {
        "platform": meta.get("platform"),
        "room": room,
        "room_from": "metadata" if meta.get("room_id") else "file name",
        **counts,
        "repaired": info["repaired"],
        "cut_off": info["cut_off"],
        "root_closed": info["root_closed"],
        "placeholder_uid": LYZENX_PLACEHOLDER
        if any(
            n == "d" and "uid" not in a and _field(a.get("p", ""), 6) == LYZENX_PLACEHOLDER
            for n, a, *_ in elements
        )
        else shared,
    }


def _field(p: str, i: int) -> str | None:
    parts = p.split(",")
    return parts[i].strip() if len(parts) > i else None


def _gift(
    rec: Recording, attrs: dict, uid: str, anonymous: bool, room: str, path: Path, line: int
) -> None:
    """Count one ``<gift>``: ``giftcount`` gifts of ``price / 100`` diamonds each
    (biliLive-tools writes ``price = diamondCount / 10 * 1000``); a combo is already one
    element."""
    rec.gift_messages += 1
    count = attrs.get("giftcount", "1").strip() or "1"
    if not count.isdigit() or int(count) < 1:
        raise _Bad(
            line, "giftcount", f"gift count {visible(repr(count))} is not a positive whole number"
        )
    price = _number(attrs.get("price", "0").strip() or "0", line, "price", "price")
    if price < 0:
        raise _Bad(line, "price", f"price {price:g} is negative")
    who = f"(no user id) {path}:{line}" if anonymous else uid
    rec.gifts[(who, room, attrs.get("giftname", ""), f"{path}:{line}")] = [
        int(count),
        int(round(price / 100)),
    ]
