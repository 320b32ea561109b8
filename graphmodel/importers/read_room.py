"""Read live-room recordings (one JSON object per line) into columns, by a mapping.

Each line is a message; its kind (the mapping's ``kind`` path) says what it
is (`graphmodel.importers.mapping`). Lines of a kind the mapping names
must carry a user id and a time, else reading stops with one
[`UserError`][graphmodel.errors.UserError] ``FILE, line N, field F: ...``; lines of
other kinds are counted by kind and skipped. Blank lines are skipped. A
message whose id (the mapping's ``id`` path) was seen before in the same room
(overlapping recordings of one room, a file given twice) is counted and
dropped.

Times are integers (or numeric strings) whose unit is told by size: below
1e11 seconds, below 1e14 milliseconds, below 1e17 microseconds, below 1e20
nanoseconds (1e11 seconds is the year 5138; 1e11 milliseconds is 1973, before
any live room). Every value of one field in one file must read in the same
unit: a file mixing them is refused, naming the first line that differs.
"""

from __future__ import annotations

import json
import math

try:  # a dependency, for speed: the same values as json.loads, read about 3x faster
    from orjson import loads as _loads
except ImportError:  # pragma: no cover (an install without it still works, slower)
    _loads = json.loads
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from graphmodel.errors import UserError
from graphmodel.importers.mapping import Mapping
from graphmodel.terminal import visible

__all__ = ["Recording", "read_recordings", "time_unit", "UNITS", "INPUT_FORMATS"]

#: (upper bound, unit name, nanoseconds per unit), by size
UNITS = ((1e11, "s", 1_000_000_000), (1e14, "ms", 1_000_000), (1e17, "us", 1_000),
         (1e20, "ns", 1))

# message roles as small codes in the columns
COMMENT, LIKE, SHARE, FOLLOW, ENTRY, GIFT, SOCIAL_OTHER = range(7)


def time_unit(value: float) -> tuple[str, int]:
    """The unit of a positive time by its size, and its nanoseconds.

    >>> time_unit(1_700_000_000), time_unit(1_700_000_000_000)
    (('s', 1000000000), ('ms', 1000000))
    """
    for bound, name, ns in UNITS:
        if value < bound:
            return name, ns
    raise ValueError(value)


@dataclass
class Recording:
    """What the recordings hold, as columns (raw user ids, times in integer ns)."""

    # every mapped message: a sighting of its user in its room
    user: list = field(default_factory=list)
    room: list = field(default_factory=list)
    at: list = field(default_factory=list)
    role: list = field(default_factory=list)
    count: list = field(default_factory=list)  # like: taps; others 1
    channel: list = field(default_factory=list)  # share: channel; others None
    text: list = field(default_factory=list)  # comment text (only when kept)
    nicknames: dict = field(default_factory=dict)  # raw user id -> last nickname (when kept)
    hosts: dict = field(default_factory=dict)  # room -> raw user id of its host (first given)
    gifts: dict = field(default_factory=dict)  # (user, room, gift, group or line) -> [n, diamonds]
    gift_messages: int = 0
    duplicates: int = 0  # messages seen before (same room and message id), dropped
    seen: set = field(default_factory=set)  # (room, message id) of the messages kept
    lines: int = 0
    unknown: Counter = field(default_factory=Counter)
    units: dict = field(default_factory=dict)  # file -> field -> unit
    files: list = field(default_factory=list)
    danmaku: dict = field(default_factory=dict)  # danmaku XML file -> what it gave


class _Bad(Exception):
    """A value that cannot be read; the caller adds the file, line and field."""


def _where(path: Path, line: int, field_name: str | None = None) -> str:
    out = f"{visible(str(path))}, line {line}"
    return out + (f", field {visible(field_name)}" if field_name else "")


def _positive_int(value, what: str) -> int:
    if value.__class__ is str and value.isdigit():
        n = int(value)
    elif isinstance(value, bool):
        raise _Bad(f"{what} {value!r} is not a whole number")
    elif isinstance(value, int):
        n = value
    elif isinstance(value, str):
        try:
            n = int(value)
        except ValueError:
            raise _Bad(f"{what} {visible(repr(value))} is not a whole number") from None
    elif isinstance(value, float) and value.is_integer():
        n = int(value)
    else:
        raise _Bad(f"{what} {visible(repr(value))} is not a whole number")
    if n < 1:
        raise _Bad(f"{what} {n} is not positive")
    return n


def _time(value) -> tuple[int, str]:
    """(nanoseconds, unit) of a time value."""
    if value is None:
        raise _Bad("no time (the field is missing)")
    if isinstance(value, bool):
        raise _Bad(f"time {value!r} is not a number")
    if isinstance(value, str):
        try:
            value = int(value)
        except ValueError:
            try:
                value = float(value)
            except ValueError:
                raise _Bad(f"time {visible(repr(value))} is not a number") from None
    if not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
        raise _Bad(f"time {visible(repr(value))} is not a positive number")
    try:
        unit, ns = time_unit(value)
    except ValueError:
        raise _Bad(f"time {value} is too large for any unit "
                   "(seconds, ms, us or ns since 1970)") from None
    return (value * ns if isinstance(value, int) else int(round(value * ns))), unit


def _json_problem(line: bytes, exc: ValueError) -> str:
    """What is wrong with a line that is not JSON, in words."""
    if isinstance(exc, UnicodeDecodeError):
        return "not UTF-8 text"
    pos = getattr(exc, "pos", None)
    if pos is not None and pos >= len(line.rstrip()):
        return "the line ends inside a JSON object (truncated)"
    msg = getattr(exc, "msg", str(exc))
    return f"not JSON at column {pos + 1 if pos is not None else '?'}: {msg}"


def _user_id(value) -> str:
    if value.__class__ is str and value:
        return value
    if value is None or value == "" or isinstance(value, (bool, dict, list)):
        raise _Bad("no user id" + ("" if value is None else f" ({value!r})"))
    return str(value)


def _room_id(value) -> str:
    if value.__class__ is str and value:
        return value
    if value is None or value == "" or isinstance(value, (bool, dict, list)):
        raise _Bad("no room id")
    return str(value)


#: What ``--input-format`` takes: told from each file's first bytes, or named.
INPUT_FORMATS = ("auto", "json", "danmaku-xml")


def read_recordings(files, mapping: Mapping, *, keep_text: bool = False,
                    input_format: str = "auto") -> Recording:
    """Read every file into one `Recording`; a [`UserError`][graphmodel.errors.UserError] on the first bad
    line (file, line, field).

    ``input_format``: ``json`` (JSON lines, by ``mapping``), ``danmaku-xml``
    (`graphmodel.importers.read_danmaku`), or ``auto``: each file by its first
    character (``<``: XML; anything else: JSON lines).
    """
    from graphmodel.importers.read_danmaku import read_danmaku, sniff

    rec = Recording()
    for name in files:
        path = Path(name)
        fmt = input_format
        if fmt == "auto":
            try:
                with open(path, "rb") as fh:
                    fmt = sniff(fh.read(4096))
            except OSError as exc:
                raise UserError(f"{visible(str(path))}: cannot read: "
                                f"{exc.strerror or exc}") from None
        if fmt == "danmaku-xml":
            read_danmaku(path, rec, keep_text)
        else:
            _read_file(path, mapping, rec, keep_text)
    return rec


def _read_file(path: Path, mapping: Mapping, rec: Recording, keep_text: bool) -> None:
    get_kind = mapping.get_kind
    kinds = mapping.kinds
    loads = _loads
    user, room, at, role, count, channel, text = (
        rec.user.append, rec.room.append, rec.at.append, rec.role.append, rec.count.append,
        rec.channel.append, rec.text.append)
    kept_ids = rec.seen
    rec.files.append(str(path))
    units: dict[str, tuple[str, int]] = {}
    rec.units[str(path)] = {}
    stem = path.name.split(".")[0] or path.name
    try:
        fh = open(path, "rb")  # noqa: SIM115 (closed by the with below)
    except OSError as exc:
        raise UserError(f"{visible(str(path))}: cannot read: {exc.strerror or exc}") from None
    n, key = 0, None
    spec = None
    payload = mapping.payload
    with fh:
        try:
            for n, line in enumerate(fh, 1):
                try:
                    obj = loads(line)
                except ValueError as exc:
                    if not line.strip():
                        continue
                    raise UserError(f"{_where(path, n)}: {_json_problem(line, exc)}") from None
                rec.lines += 1
                if obj.__class__ is not dict:
                    raise UserError(f"{_where(path, n)}: not a JSON object but "
                                    f"{type(obj).__name__}")
                if payload is not None:
                    _decode_payload(obj, payload)
                kind = get_kind(obj)
                if kind.__class__ is str:
                    spec = kinds.get(kind)
                elif kind.__class__ is int:  # a number (DouyinBarrageGrab's Type)
                    kind = str(kind)
                    spec = kinds.get(kind)
                else:
                    spec = None
                if spec is None:
                    if kind is None and payload is None and "Data" in obj and "Type" in obj:
                        kind = "(no kind: a DouyinBarrageGrab pack? --mapping barragegrab)"
                    rec.unknown[str(kind) if kind is not None else "(no kind)"] += 1
                    continue
                g = spec.get
                key = "user"
                uid = _user_id(g["user"](obj))
                key = "time"
                raw_t = g["time"](obj)
                if raw_t.__class__ is str and raw_t.isdigit():
                    v = int(raw_t)
                    if v < 1e11:
                        t, unit = v * 1_000_000_000, "s"
                    elif v < 1e14:
                        t, unit = v * 1_000_000, "ms"
                    else:
                        t, unit = _time(v)
                else:
                    t, unit = _time(raw_t)
                tfield = spec.names["time"]
                seen = units.get(tfield)
                if seen is None:
                    units[tfield] = (unit, n)
                    rec.units[str(path)][tfield] = unit
                elif seen[0] != unit:
                    raise _Bad(f"time {raw_t} reads as {unit} but line {seen[1]} of this file "
                               f"reads as {seen[0]}: mixed time units")
                if spec.has_room:
                    key = "room"
                    r = _room_id(g["room"](obj))
                else:
                    r = stem
                if spec.has_id:
                    mid = g["id"](obj)
                    if mid is not None:
                        k = (r, mid)
                        if k in kept_ids:
                            rec.duplicates += 1
                            continue
                        kept_ids.add(k)
                c, ch, tx = 1, None, None
                kind_role = spec.role
                if kind_role == "comment":
                    code = COMMENT
                    if keep_text and "text" in g:
                        tx = g["text"](obj)
                elif kind_role == "like":
                    code = LIKE
                    v = g["count"](obj) if "count" in g else None
                    if v is not None:
                        key = "count"
                        c = _positive_int(v, "like count")
                elif kind_role == "entry":
                    code = ENTRY
                elif kind_role == "social":
                    act = spec.social_action(g["action"](obj))
                    if act == "follow":
                        code = FOLLOW
                    elif act == "share":
                        code = SHARE
                        ch = mapping.channel(g["share_type"](obj) if "share_type" in g
                                             else None)
                    else:
                        code = SOCIAL_OTHER
                else:
                    code = GIFT
                    key = None
                    _gift(rec, obj, spec, uid, r, n, path)
                if "host" in g and r not in rec.hosts:
                    h = g["host"](obj)
                    if h is not None and h != "" and not isinstance(h, (bool, dict, list)):
                        rec.hosts[r] = str(h)
                if keep_text and "nickname" in g:
                    nick = g["nickname"](obj)
                    if isinstance(nick, str) and nick:
                        rec.nicknames[uid] = nick
                user(uid)
                room(r)
                at(t)
                role(code)
                count(c)
                channel(ch)
                text(tx)
        except _Bad as exc:
            where = _where(path, n, spec.names.get(key, key) if key and spec else None)
            raise UserError(f"{where}: {exc}") from None
        except _BadPayload as exc:
            raise UserError(f"{_where(path, n, payload)}: {exc}") from None


class _BadPayload(Exception):
    """The payload field is not a JSON object (or a string holding one)."""


def _decode_payload(obj: dict, key: str) -> None:
    """Decode ``obj[key]``, the message as a JSON string, in place."""
    value = obj.get(key)
    if value.__class__ is dict:
        return
    if value is None:
        raise _BadPayload("no payload (the field is missing)")
    if not isinstance(value, str):
        raise _BadPayload(f"not a JSON string but {type(value).__name__}")
    try:
        inner = _loads(value)
    except ValueError as exc:
        pos = getattr(exc, "pos", None)
        where = f" at column {pos + 1}" if pos is not None else ""
        raise _BadPayload(f"the string is not JSON{where}: {getattr(exc, 'msg', exc)}") from None
    if inner.__class__ is not dict:
        raise _BadPayload(f"the string holds {type(inner).__name__}, not a JSON object")
    obj[key] = inner


def _gift(rec: Recording, obj: dict, spec, uid: str, room: str, n: int, path: Path) -> None:
    """Count a gift message: a combo (same user, room, gift and group) counts its largest
    repeat once; a message with no group (absent, 0 or empty) counts on its own."""
    g = spec.get
    rec.gift_messages += 1

    def number(key: str, default: int) -> int:
        v = g[key](obj) if key in g else None
        if v is None:
            return default
        try:
            return _positive_int(v, key.replace("_", " "))
        except _Bad as exc:
            raise UserError(f"{_where(path, n, spec.names.get(key, key))}: {exc}") from None

    repeat = number("repeat", 1)
    per = number("group_count", 1)
    diamonds = number("diamonds", 0)  # the price of one gift (absent: 0, unknown)
    gift = g["gift"](obj) if "gift" in g else None
    group = g["group"](obj) if "group" in g else None
    no_group = group is None or group == 0 or group == "0" or group == ""
    key = (uid, room, str(gift), f"{path}:{n}" if no_group else str(group))
    held = rec.gifts.get(key)
    gifts = repeat * per
    if held is None or gifts > held[0]:
        rec.gifts[key] = [gifts, diamonds]
