"""The mapping of a live-room recording's messages onto the event log: a small TOML file.

A recording is one JSON object per line, one line per message. The mapping
says, per message kind, where in that object each value is, as dotted paths
(``common.createTime``: key ``createTime`` of the object under key
``common``). The built-in mapping, ``douyin.toml`` beside this module, reads
the output of jwwsjlm/douyinLive (``cmd/main/room_session.go``: each decoded
Douyin webcast message as protobuf JSON, camelCase keys, 64-bit integers as
strings, zero values omitted, plus ``method``); it is also the template for
other recorders. Its layout::

    kind = "method"                    # path of the message kind

    [fields]                           # defaults for every kind below
    user = ["user.id", "user.idStr"]   # a path, or a list: the first present
    time = "common.createTime"         # integer seconds, ms, us or ns (by size)
    room = "common.roomId"             # "" or absent: the file's name is the room
    nickname = "user.nickname"         # kept only with --keep-text
    host = ""                          # the host's user id, where a recorder gives it
    id = "common.msgId"                # a message seen again (same room and id) is dropped

    [messages.WebcastChatMessage]      # the kind's value, as the recording writes it
    as = "comment"                     # comment, like, entry, social or gift
    text = "content"                   # comment: kept only with --keep-text

    [messages.WebcastLikeMessage]
    as = "like"
    count = "count"                    # taps in this message (absent: 1)

    [messages.WebcastSocialMessage]
    as = "social"
    action = "action"                  # tells follows from shares
    follow = ["1"]                     # values (shell-style patterns) meaning a follow
    share = ["3"]                      # ... a share
    share_type = "shareType"           # looked up in [channels]

    [messages.WebcastGiftMessage]
    as = "gift"
    gift = "giftId"
    repeat = "repeatCount"             # gifts so far in this combo
    group = "groupId"                  # the combo's id
    group_count = "groupCount"         # gifts per repeat
    diamonds = "gift.diamondCount"     # price of one gift in diamonds

    [channels]                         # share type -> channel of the event log
    "1" = "wechat"
    default = "other"

Any kind may override ``user``, ``time``, ``room``, ``nickname``, ``host`` and ``id``. A kind
the mapping does not name is counted and reported, never fatal.

A recorder that wraps each message as a JSON *string* inside the line (HaoDong108/
DouyinBarrageGrab: ``{"Type": 1, "Data": "{\\"User\\": ...}"}``) is read with a top-level
``payload = "Data"``: that key's string is decoded as JSON in place before the paths
apply, so they read through it (``Data.User.Id``). A second built-in mapping,
``barragegrab.toml``, reads those packs; `builtin_mapping` gives either by name.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

try:  # Python 3.11+
    import tomllib
except ModuleNotFoundError:  # pragma: no cover
    import tomli as tomllib

from graphmodel.errors import UserError
from graphmodel.schema import CHANNELS
from graphmodel.terminal import visible

__all__ = ["Mapping", "KindSpec", "load_mapping", "builtin_mapping", "mapping_by_name",
           "getter", "ROLES", "BUILTIN"]

#: The built-in mappings by name: the TOML files beside this module.
BUILTIN = ("douyin", "barragegrab")

#: What a message kind can be mapped to.
ROLES = ("comment", "like", "entry", "social", "gift")

_COMMON = ("user", "time", "room", "nickname", "host", "id")
_KEYS = {
    "comment": ("text",),
    "like": ("count",),
    "entry": (),
    "social": ("action", "follow", "share", "share_type"),
    "gift": ("gift", "repeat", "group", "group_count", "diamonds"),
}

_MISSING = object()


def getter(path: str | list[str] | tuple[str, ...] | None) -> Callable[[dict], object]:
    """A function reading dotted ``path`` (or the first present of a list) from a dict.

    Missing keys, ``None`` and a non-dict on the way give ``None``.

    >>> getter("common.roomId")({"common": {"roomId": "7"}})
    '7'
    >>> getter(["user.id", "user.idStr"])({"user": {"idStr": "9"}})
    '9'
    >>> getter("a.b")({"a": 1}) is None
    True
    """
    if not path:
        return lambda obj: None
    if isinstance(path, (list, tuple)):
        if len(path) == 1:
            return getter(path[0])
        split = [p.split(".") for p in path]
        if len(split) == 2 and all(len(k) == 2 for k in split) and split[0][0] == split[1][0]:
            (k1, a), (_, b) = split  # two keys of one object, e.g. user.id or user.idStr

            def either(obj):
                inner = obj.get(k1)
                if inner.__class__ is not dict:
                    return None
                v = inner.get(a)
                return v if v is not None else inner.get(b)

            return either
        gets = [getter(p) for p in path]

        def first(obj):
            for g in gets:
                v = g(obj)
                if v is not None:
                    return v
            return None

        return first
    keys = tuple(path.split("."))
    if len(keys) == 1:
        (k,) = keys
        return lambda obj: obj.get(k)
    if len(keys) == 2:
        k1, k2 = keys

        def two(obj):
            inner = obj.get(k1)
            return inner.get(k2) if isinstance(inner, dict) else None

        return two

    def many(obj):
        for k in keys:
            if not isinstance(obj, dict):
                return None
            obj = obj.get(k)
        return obj

    return many


def _path_text(path) -> str:
    return "/".join(path) if isinstance(path, (list, tuple)) else str(path or "")


@dataclass
class KindSpec:
    """One message kind: its role and the getters of its fields (``paths`` as written)."""

    kind: str
    role: str
    paths: dict[str, object]
    get: dict[str, Callable[[dict], object]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    has_room: bool = False
    has_id: bool = False
    follow: tuple[str, ...] = ()
    share: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        self.get = {k: getter(v) for k, v in self.paths.items() if k not in ("follow", "share")}
        self.names = {k: self.field_name(k) for k in self.paths}
        self.has_room = bool(self.paths.get("room"))
        self.has_id = bool(self.paths.get("id"))

    def field_name(self, key: str) -> str:
        """The path of field ``key`` as the mapping writes it (for error messages)."""
        return _path_text(self.paths.get(key)) or key

    def social_action(self, value) -> str | None:
        """``follow``, ``share`` or None for the value of a social message's action field."""
        if value is None:
            return None
        text = str(value)
        for role, patterns in (("follow", self.follow), ("share", self.share)):
            if any(fnmatch.fnmatchcase(text, p) for p in patterns):
                return role
        return None


@dataclass
class Mapping:
    """A whole mapping: the kind path, one `KindSpec` per kind, the channels."""

    name: str
    kind_path: str
    kinds: dict[str, KindSpec]
    channels: dict[str, str]
    default_channel: str
    source: str
    payload: str | None = None  # top-level key holding the message as a JSON string

    @property
    def get_kind(self) -> Callable[[dict], object]:
        return getter(self.kind_path)

    def channel(self, share_type) -> str:
        """The event log's channel of a share type (absent: the default)."""
        if share_type is None:
            return self.default_channel
        return self.channels.get(str(share_type), self.default_channel)

    def describe(self) -> dict:
        """The mapping as recorded in the output log's meta."""
        return {
            "name": self.name,
            "source": self.source,
            "kind": self.kind_path,
            **({"payload": self.payload} if self.payload else {}),
            "messages": {k: {"as": s.role, **{f: _path_text(p) if f not in ("follow", "share")
                                                else list(p) for f, p in s.paths.items()}}
                         for k, s in self.kinds.items()},
            "channels": {**self.channels, "default": self.default_channel},
        }


def _bad(where: str, message: str) -> UserError:
    return UserError(f"{visible(where)}: {message}")


def _paths_ok(where: str, key: str, value) -> None:
    ok = isinstance(value, str) or (
        isinstance(value, list) and value and all(isinstance(v, str) and v for v in value)
    )
    if not ok:
        raise _bad(where, f"{key} must be a dotted path or a list of them, got {value!r}")


def parse_mapping(data: dict, source: str) -> Mapping:
    """A `Mapping` from the parsed TOML ``data``; a [`UserError`][graphmodel.errors.UserError] naming the
    mapping file and key when it is malformed."""
    kind_path = data.get("kind")
    if not isinstance(kind_path, str) or not kind_path:
        raise _bad(source, "kind: give the dotted path of the message kind (e.g. \"method\")")
    payload = data.get("payload") or None
    if payload is not None and not (isinstance(payload, str) and "." not in payload):
        raise _bad(source, f"payload = {payload!r}: give the top-level key holding the message "
                           "as a JSON string (e.g. \"Data\")")
    defaults = data.get("fields", {})
    if not isinstance(defaults, dict):
        raise _bad(source, "[fields] must be a table")
    for k, v in defaults.items():
        if k not in _COMMON:
            raise _bad(source, f"[fields] {k}: unknown key (known: {', '.join(_COMMON)})")
        if v != "":
            _paths_ok(f"{source}: [fields]", k, v)
    messages = data.get("messages")
    if not isinstance(messages, dict) or not messages:
        raise _bad(source, "[messages.KIND]: map at least one message kind")
    kinds: dict[str, KindSpec] = {}
    for kind, spec in messages.items():
        where = f"{source}: [messages.{kind}]"
        if not isinstance(spec, dict):
            raise _bad(where, "must be a table")
        role = spec.get("as")
        if role not in ROLES:
            raise _bad(where, f"as = {role!r}: give one of {', '.join(ROLES)}")
        paths: dict[str, object] = {k: v for k, v in defaults.items()}
        for k, v in spec.items():
            if k == "as":
                continue
            if k not in _COMMON and k not in _KEYS[role]:
                raise _bad(where, f"{k}: unknown key for {role} (known: "
                                  f"{', '.join(_COMMON + _KEYS[role])})")
            if k in ("follow", "share"):
                if not (isinstance(v, list) and all(isinstance(x, str) for x in v)):
                    raise _bad(where, f"{k} must be a list of values, got {v!r}")
            elif v != "":
                _paths_ok(where, k, v)
            paths[k] = v
        for need in ("user", "time"):
            if not paths.get(need):
                raise _bad(where, f"{need}: no path (give it here or in [fields])")
        if role == "social" and not (paths.get("action") and (spec.get("follow")
                                                              or spec.get("share"))):
            raise _bad(where, "a social kind needs action and follow and/or share values")
        kinds[str(kind)] = KindSpec(
            str(kind), role, paths,
            follow=tuple(spec.get("follow", ())), share=tuple(spec.get("share", ())),
        )
    channels_in = data.get("channels", {})
    if not isinstance(channels_in, dict):
        raise _bad(source, "[channels] must be a table")
    channels = {}
    for k, v in channels_in.items():
        if v not in CHANNELS:
            raise _bad(source, f"[channels] {k} = {v!r}: give one of {', '.join(CHANNELS)}")
        channels[str(k)] = v
    default_channel = channels.pop("default", "other")
    name = data.get("name", Path(source).stem)
    return Mapping(str(name), kind_path, kinds, channels, default_channel, source, payload)


def load_mapping(path: str | Path) -> Mapping:
    """Read a mapping TOML file; a [`UserError`][graphmodel.errors.UserError] in one line when it cannot be used."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise _bad(str(path), f"cannot read the mapping: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise _bad(str(path), "the mapping is not UTF-8 text") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _bad(str(path), f"not valid TOML: {exc}") from None
    return parse_mapping(data, str(path))


def builtin_mapping(name: str = "douyin") -> Mapping:
    """A built-in mapping by name (`BUILTIN`): ``douyin`` reads jwwsjlm/douyinLive's
    JSON messages (``douyin.toml``), ``barragegrab`` HaoDong108/DouyinBarrageGrab's packs
    (``barragegrab.toml``)."""
    if name not in BUILTIN:
        raise UserError(f"no built-in mapping {visible(repr(name))} (built-in: "
                        f"{', '.join(BUILTIN)})")
    text = resources.files("graphmodel.importers").joinpath(f"{name}.toml").read_text("utf-8")
    return parse_mapping(tomllib.loads(text), f"{name}.toml")


def mapping_by_name(value: str | Path) -> Mapping:
    """The mapping ``--mapping`` names: an existing file, else a built-in mapping's name
    (`BUILTIN`), else a file to read (a missing one is said so)."""
    path = Path(value)
    if not path.is_file() and str(value) in BUILTIN:
        return builtin_mapping(str(value))
    if not path.exists() and path.suffix != ".toml":
        raise UserError(f"--mapping {visible(str(value))}: no such file, and no built-in "
                        f"mapping of that name ({', '.join(BUILTIN)})")
    return load_mapping(path)
