"""Validation of an event log ([docs/model.md, section 2][model-2]): every check, vectorised.

The checks run on typed tables (the canonical dtypes of
`graphmodel.eventlog.log`), whether they were just read from files by
`graphmodel.eventlog.read` or built in memory ([`validate_frames`][graphmodel.eventlog.validate.validate_frames]).
Each problem is one `Problem`: file, row (CSV line
number or 1-based row), column and message. A cell reported once is not
reported again by a later check (a bad ``stream_id`` is not also "outside its
stream's window").

Checks, in order:

1. values: missing value in a required column; empty id; an id longer than
   `MAX_ID_BYTES` bytes of UTF-8 (what a
   Neo4j index holds); enum value not allowed; number not finite or beyond +-1e15; number out of the column's
   range (``Column.min_value`` / ``max_value``);
2. duplicate ids (``Column.unique``); duplicate ``follows`` rows
   (``follower_id, followee_id, kind``; a friend pair written both ways,
   ``a,b`` and ``b,a``, is allowed: it is one mutual tie);
3. unknown foreign keys (every ``Column.ref``); ``follows.followee_id`` must
   be a ``user_id`` or a ``streamer_id`` but not both; a friend tie joins two
   users; nobody follows themselves;
4. a stream that ends before it starts;
5. events: the fields each type needs (watch: ``seconds``; purchase:
   ``amount`` and ``product_id``; share: ``channel``), ``via_share`` only on
   watches; an event outside its stream's ``[started_at, ended_at]``; a watch
   whose ``at + seconds`` runs past ``ended_at``;
6. referrals: ``via_share`` must be a share of the same stream made at or
   before the watch, by somebody else; a sharer must have watched the stream
   at or before sharing; the first-arrival referral edges of a stream must
   not form a cycle.

Each check reports at most `PER_CHECK` problems but counts them all.
All of it is vectorised over the tables (numpy, pandas, Arrow compute); the
only Python loops format the capped problem lines.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from graphmodel.errors import MAX_PROBLEMS, LogError, Problem
from graphmodel.eventlog.columns import MAX_ABS, MAX_ID_BYTES, show
from graphmodel.eventlog.log import DTYPES, EventLog, conform
from graphmodel.schema import EVENT_TYPES, TABLE_NAMES, TABLES, Table

__all__ = [
    "PER_CHECK",
    "ProblemList",
    "TableData",
    "Collector",
    "check_tables",
    "validate_frames",
    "value_checks",
]

#: How many problems one check (one kind of problem in one column) keeps; the rest are counted.
PER_CHECK = 4 * MAX_PROBLEMS

_WATCH, _LIKE, _COMMENT, _SHARE, _PURCHASE = (
    EVENT_TYPES.index(t) for t in ("watch", "like", "comment", "share", "purchase")
)


class ProblemList(list):
    """A list of `Problem`, sorted by file and row.

    ``total`` counts every problem found, also those not kept (each check
    keeps at most `PER_CHECK`).
    """

    def __init__(self, problems: Iterable[Problem] = (), total: int | None = None):
        super().__init__(problems)
        self.total = len(self) if total is None else total

    def error(self) -> LogError:
        """The [`LogError`][graphmodel.errors.LogError] listing these problems."""
        return LogError(list(self), total=self.total)

    def raise_if_any(self) -> None:
        """Raise `error` if there is any problem."""
        if self.total:
            raise self.error()


@dataclass
class TableData:
    """One table being validated: typed frame plus where each row came from.

    ``df`` has every schema column in its canonical dtype. Row ``i`` is
    numbered ``lines[i]`` if ``lines`` is given, else ``first_row + i`` (2 for
    a CSV file, whose header is line 1; 1 for Parquet rows); ``unit`` is
    ``"line"`` or ``"row"``. ``bad`` marks, per column, cells already
    reported; ``absent`` names columns that were not in the file.
    """

    name: str
    file: str
    df: pd.DataFrame
    unit: str = "row"
    lines: np.ndarray | None = None
    first_row: int = 1
    bad: dict[str, np.ndarray] = field(default_factory=dict)
    absent: set[str] = field(default_factory=set)
    given: bool = True  # False: the log has no such table (it is empty)

    def row(self, i: int) -> int:
        return int(self.lines[i]) if self.lines is not None else int(i) + self.first_row

    def has(self, column: str) -> bool:
        return column not in self.absent

    def bad_mask(self, column: str) -> np.ndarray:
        m = self.bad.get(column)
        return np.zeros(len(self.df), dtype=bool) if m is None else m

    def mark(self, column: str, positions: np.ndarray) -> None:
        """Mark cells as reported."""
        m = self.bad.get(column)
        if m is None:
            m = self.bad[column] = np.zeros(len(self.df), dtype=bool)
        m[positions] = True

    def valid(self, column: str) -> np.ndarray:
        """Cells holding a value not yet reported."""
        if not self.has(column):
            return np.zeros(len(self.df), dtype=bool)
        return self.df[column].notna().to_numpy(dtype=bool) & ~self.bad_mask(column)


_TABLE_RANK = {name: i for i, name in enumerate(TABLE_NAMES)}


def _table_of(file: str) -> str:
    return file.split(".", 1)[0]


class Collector:
    """Collects problems: each call to `rows` is one check, capped at ``cap`` lines."""

    def __init__(self, cap: int = PER_CHECK):
        self.cap = cap
        self.total = 0
        self._items: list[tuple[tuple, Problem]] = []

    def add(self, problem: Problem) -> None:
        self.total += 1
        self._items.append((self._key(problem), problem))

    def file(self, file: str, message: str, column: str | None = None) -> None:
        self.add(Problem(file, None, column, message))

    def rows(
        self,
        t: TableData,
        where: np.ndarray,
        column: str | None,
        message: Callable[[int], str],
        mark: bool = True,
    ) -> int:
        """Report ``message(i)`` for each row position ``i`` in ``where`` (positions or a mask).

        The cells are marked reported in ``column`` (unless ``mark`` is false).
        Returns how many rows were reported.
        """
        where = np.asarray(where)
        positions = np.flatnonzero(where) if where.dtype == bool else np.sort(where)
        if not len(positions):
            return 0
        if mark and column is not None:
            t.mark(column, positions)
        self.total += len(positions)
        for i in positions[: self.cap].tolist():
            p = Problem(t.file, t.row(i), column, message(i), t.unit)
            self._items.append((self._key(p), p))
        return len(positions)

    def _key(self, p: Problem) -> tuple:
        table = _table_of(p.file)
        rank = _TABLE_RANK.get(table, -1)
        col_rank = -1
        if p.column is not None and table in TABLES:
            names = TABLES[table].column_names
            col_rank = names.index(p.column) if p.column in names else len(names)
        return (rank, p.file, -1 if p.row is None else p.row, col_rank, p.message)

    def result(self) -> ProblemList:
        """The problems, sorted by file (in schema order), row and column."""
        items = sorted(self._items, key=lambda kp: kp[0])
        return ProblemList([p for _, p in items], total=self.total)


# --- helpers -----------------------------------------------------------------


def _arrow(s: pd.Series | pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """A string column as Arrow ``large_string`` (nulls where missing)."""
    a = s if isinstance(s, pa.Array | pa.ChunkedArray) else pa.array(s.array)
    if not pa.types.is_large_string(a.type):
        a = a.cast(pa.large_string())
    return a


def _one(a: pa.Array | pa.ChunkedArray) -> pa.Array:
    """One contiguous array."""
    if isinstance(a, pa.ChunkedArray):
        return a.combine_chunks() if a.num_chunks != 1 else a.chunk(0)
    return a


def _take(values: np.ndarray, positions: np.ndarray, fill) -> np.ndarray:
    """``values[positions]``, with ``fill`` where a position is negative (also when empty)."""
    out = np.full(len(positions), fill, dtype=values.dtype)
    ok = positions >= 0
    out[ok] = values[positions[ok]]
    return out


def _np_int(a: pa.Array | pa.ChunkedArray, fill: int = -1) -> np.ndarray:
    return np.asarray(a.fill_null(fill).to_numpy(zero_copy_only=False), dtype=np.int64)


class Keys:
    """A key column's distinct values, for duplicate checks and lookups."""

    def __init__(self, values: pd.Series | pa.Array | pa.ChunkedArray):
        arr = _one(_arrow(values))
        enc = pc.dictionary_encode(arr)
        self.dictionary = enc.dictionary
        codes = _np_int(enc.indices)
        present = codes >= 0
        positions = np.flatnonzero(present)
        first = np.full(len(self.dictionary), -1, dtype=np.int64)
        first[codes[positions[::-1]]] = positions[::-1]
        self.first = first
        self.codes = codes
        #: rows repeating an earlier row's value
        self.repeats = present & (_take(first, codes, -1) != np.arange(len(codes)))

    def lookup(self, values: pd.Series | pa.Array) -> np.ndarray:
        """Row position (first occurrence) of each value, -1 where unknown or missing."""
        idx = _np_int(pc.index_in(_arrow(values), value_set=self.dictionary))
        return _take(self.first, idx, -1)


def _ts(df: pd.DataFrame, column: str) -> np.ndarray:
    """A datetime column as int64 nanoseconds (NaT: the minimum int64)."""
    return df[column].to_numpy(dtype="datetime64[ns]").view("int64")


def _iso(ns: int) -> str:
    return pd.Timestamp(int(ns)).isoformat()


def _num(x: object) -> str:
    if isinstance(x, float | np.floating):
        return repr(float(x))
    return str(x)


def _bound(x: float) -> str:
    return f"{x:g}"


# --- the checks --------------------------------------------------------------


def value_checks(t: TableData) -> Iterator[tuple[str, str, np.ndarray, Callable[[int], str], bool]]:
    """The checks of single cells, one at a time: ``(column, check, where, message, mark)``.

    ``check`` names the kind of problem (``required``, ``blank``, ``id_bytes``,
    ``enum``, ``finite``, ``huge``, ``range``); ``where`` is a mask of the rows
    with the problem, ``message(i)`` the text for row ``i``, ``mark`` whether
    the cells are marked reported. The consumer reports (and marks) each
    before asking for the next, as later checks skip the cells marked.
    `_check_values` reports them here; the Spark validator runs the
    same generator on each batch of rows.
    """
    df = t.df
    for c in TABLES[t.name].columns:
        if not t.has(c.name):
            continue
        s = df[c.name]
        present = s.notna().to_numpy(dtype=bool)
        if c.required:
            yield c.name, "required", ~present & ~t.bad_mask(c.name), _MISSING, False
        ok = present & ~t.bad_mask(c.name)
        if not ok.any():
            continue
        if c.kind == "id":
            ids = _arrow(s)
            blank = (_mask(pc.utf8_is_space(ids)) | _mask(pc.equal(ids, ""))) & ok
            yield c.name, "blank", blank, lambda i, s=s: f"empty id {show(s.iloc[i])}", True
            size = _np_int(pc.binary_length(ids), 0)
            long = ok & ~blank & (size > MAX_ID_BYTES)
            yield c.name, "id_bytes", long, lambda i, size=size: _id_bytes(size[i]), True
        elif c.kind == "enum":
            allowed = _mask(pc.is_in(_arrow(s), value_set=pa.array(c.values)))
            yield (
                c.name,
                "enum",
                ok & ~allowed,
                lambda i, s=s, c=c: f"{show(s.iloc[i])} is not one of {', '.join(c.values)}",
                True,
            )
        elif c.kind in ("float", "int"):
            yield from _number_checks(t, c, s, ok)


def _MISSING(i: int) -> str:
    return "missing value (required)"


def _id_bytes(n: int) -> str:
    return (
        f"id is {int(n):,} bytes in UTF-8; the limit is {MAX_ID_BYTES:,} bytes "
        "(Neo4j index key size)"
    )


def _check_values(t: TableData, out: Collector) -> None:
    for column, _check, where, message, mark in value_checks(t):
        out.rows(t, where, column, message, mark=mark)


def _mask(a: pa.Array | pa.ChunkedArray) -> np.ndarray:
    return np.asarray(a.fill_null(False).to_numpy(zero_copy_only=False), dtype=bool)


def _number_checks(t: TableData, c, s: pd.Series, ok: np.ndarray):
    x = s.to_numpy(dtype="float64", na_value=np.nan)
    with np.errstate(invalid="ignore"):
        nonfinite = ok & ~np.isfinite(x)
        yield c.name, "finite", nonfinite, lambda i: f"not a finite number: {_num(x[i])}", True
        huge = ok & ~nonfinite & (np.abs(x) > MAX_ABS)
        yield (
            c.name,
            "huge",
            huge,
            lambda i: f"implausibly large number {_num(s.iloc[i])} (the limit is {MAX_ABS:g})",
            True,
        )
        ok = ok & ~nonfinite & ~huge
        lo, hi = c.min_value, c.max_value
        if lo is not None and hi is not None:
            wrong = ok & ((x < lo) | (x > hi))
            yield (
                c.name,
                "range",
                wrong,
                lambda i: (
                    f"value {_num(s.iloc[i])} out of range "
                    f"(must be between {_bound(lo)} and {_bound(hi)})"
                ),
                True,
            )
        elif lo is not None:
            word = "negative value" if lo == 0 else "value"
            yield (
                c.name,
                "range",
                ok & (x < lo),
                lambda i: f"{word} {_num(s.iloc[i])} (must be >= {_bound(lo)})",
                True,
            )
        elif hi is not None:
            yield (
                c.name,
                "range",
                ok & (x > hi),
                lambda i: f"value {_num(s.iloc[i])} (must be <= {_bound(hi)})",
                True,
            )


def _check_unique(t: TableData, keys: dict[tuple[str, str], Keys], out: Collector) -> None:
    for c in TABLES[t.name].columns:
        if not c.unique or not t.has(c.name):
            continue
        s = t.df[c.name]
        k = Keys(s.where(pd.Series(t.valid(c.name), index=s.index)))
        keys[(t.name, c.name)] = k
        out.rows(
            t,
            k.repeats,
            c.name,
            lambda i, s=s, k=k, c=c: (
                f"duplicate {c.name} {show(s.iloc[i])} "
                f"(first on {t.unit} {t.row(k.first[k.codes[i]])})"
            ),
        )


def _check_follows(
    t: TableData,
    tables: dict[str, TableData | None],
    keys: dict[tuple[str, str], Keys],
    out: Collector,
) -> None:
    df = t.df
    if not all(t.has(c) for c in ("follower_id", "followee_id", "kind")):
        return
    users, streamers = tables.get("users"), tables.get("streamers")
    ok = t.valid("follower_id") & t.valid("followee_id") & t.valid("kind")
    follower, followee = _arrow(df["follower_id"]), _arrow(df["followee_id"])
    # foreign keys of followee_id: a user or a streamer, not both
    if (
        users is not None
        and streamers is not None
        and users.has("user_id")
        and streamers.has("streamer_id")
    ):
        u = keys[("users", "user_id")].lookup(followee) >= 0
        h = keys[("streamers", "streamer_id")].lookup(followee) >= 0
        fee_ok = t.valid("followee_id")
        out.rows(
            t,
            fee_ok & ~u & ~h,
            "followee_id",
            lambda i: (
                f"unknown followee_id {show(df['followee_id'].iloc[i])} "
                "(neither a user_id in users nor a streamer_id in streamers)"
            ),
        )
        out.rows(
            t,
            fee_ok & u & h,
            "followee_id",
            lambda i: (
                f"followee_id {show(df['followee_id'].iloc[i])} is both a user_id and a streamer_id: "
                "give users and streamers distinct ids"
            ),
        )
        friend = _mask(pc.equal(_arrow(df["kind"]), "friend"))
        out.rows(
            t,
            fee_ok & t.valid("kind") & friend & h,
            "followee_id",
            lambda i: (
                f"a friend tie joins two users, but {show(df['followee_id'].iloc[i])} is a streamer"
            ),
        )
    ok = t.valid("follower_id") & t.valid("followee_id") & t.valid("kind")
    same = _mask(pc.equal(follower, followee)) & ok
    out.rows(
        t, same, "followee_id", lambda i: f"{show(df['follower_id'].iloc[i])} follows themselves"
    )
    ok &= ~same
    # duplicate rows (a friend pair given both ways, a,b and b,a, is allowed: one pair)
    chunks = [
        c
        for a in (follower, followee)
        for c in (a.chunks if isinstance(a, pa.ChunkedArray) else [a])
    ]
    both = pc.dictionary_encode(pa.chunked_array(chunks, pa.large_string()).combine_chunks())
    codes = _np_int(both.indices)
    a, b = codes[: len(df)], codes[len(df) :]
    kind = _mask(pc.equal(_arrow(df["kind"]), "friend")).astype(np.int64)
    m = len(both.dictionary) + 1
    key = (a * m + b) * 2 + kind
    key = np.where(ok, key, -1 - np.arange(len(df)))  # invalid rows never repeat
    order = np.argsort(key, kind="stable")
    ks = key[order]
    repeat = np.zeros(len(df), dtype=bool)
    first_of = np.arange(len(df))
    if len(ks):
        starts = np.r_[True, ks[1:] != ks[:-1]]
        repeat[order] = ~starts
        first_of[order] = order[np.maximum.accumulate(np.where(starts, np.arange(len(ks)), 0))]

    def message(i: int) -> str:
        return (
            f"duplicate follows row: same follower_id, followee_id and kind "
            f"as {t.unit} {t.row(first_of[i])}"
        )

    out.rows(t, repeat, None, message)
    t.mark("followee_id", np.flatnonzero(repeat))


def _check_foreign_keys(
    t: TableData,
    tables: dict[str, TableData | None],
    keys: dict[tuple[str, str], Keys],
    positions: dict,
    out: Collector,
) -> None:
    for c in TABLES[t.name].columns:
        if c.ref is None or not t.has(c.name) or (t.name, c.name) == ("events", "via_share"):
            continue
        target_table, target_col = c.ref
        target = tables.get(target_table)
        if target is None or not target.has(target_col):
            continue  # the target table is unusable: reported already
        k = keys.get((target_table, target_col))
        if k is None:
            k = keys[(target_table, target_col)] = Keys(target.df[target_col])
        s = t.df[c.name]
        pos = k.lookup(s)
        valid = t.valid(c.name)
        pos = np.where(valid, pos, -1)
        positions[(t.name, c.name)] = pos
        unknown = valid & (pos < 0)
        if not target.given:  # one problem, however many rows: the table is missing
            rows = np.flatnonzero(unknown)
            if len(rows):
                out.file(t.file, f"{len(rows):,} row(s) name a {target_col}, first "
                                 f"{show(s.iloc[rows[0]])} on {t.unit} {t.row(rows[0])}, but "
                                 f"the log has no {target_table} table: give {target.file}",
                         c.name)
            continue
        out.rows(
            t,
            unknown,
            c.name,
            lambda i, s=s, c=c, tt=target_table, tc=target_col: (
                f"unknown {c.name} {show(s.iloc[i])} (no such {tc} in {tt})"
            ),
        )


def _check_streams(t: TableData, out: Collector) -> None:
    if not (t.has("started_at") and t.has("ended_at")):
        return
    ok = t.valid("started_at") & t.valid("ended_at")
    start, end = _ts(t.df, "started_at"), _ts(t.df, "ended_at")
    wrong = ok & (end < start)
    out.rows(
        t,
        wrong,
        "ended_at",
        lambda i: (
            f"stream ends before it starts (ended_at {_iso(end[i])} is before "
            f"started_at {_iso(start[i])})"
        ),
    )


def _type_codes(t: TableData) -> np.ndarray:
    if not t.has("type"):
        return np.full(len(t.df), -1, dtype=np.int64)
    codes = _np_int(pc.index_in(_arrow(t.df["type"]), value_set=pa.array(EVENT_TYPES)))
    return np.where(t.valid("type"), codes, -1)


def _check_event_fields(t: TableData, typ: np.ndarray, out: Collector) -> None:
    df = t.df
    needs = (
        (_WATCH, "seconds"),
        (_PURCHASE, "amount"),
        (_PURCHASE, "product_id"),
        (_SHARE, "channel"),
    )
    for code, column in needs:
        rows = typ == code
        name = EVENT_TYPES[code]
        if not t.has(column):
            if rows.any():
                out.file(t.file, f"column missing, but {name} events need it", column)
            continue
        missing = rows & df[column].isna().to_numpy(dtype=bool) & ~t.bad_mask(column)
        out.rows(
            t,
            missing,
            column,
            lambda i, name=name, column=column: f"missing value: a {name} event needs {column}",
        )
    if t.has("via_share"):
        wrong = t.valid("via_share") & (typ >= 0) & (typ != _WATCH)
        out.rows(
            t,
            wrong,
            "via_share",
            lambda i: (
                f"via_share is only allowed on watch events (this is a {EVENT_TYPES[typ[i]]} event)"
            ),
        )


def _check_event_windows(
    t: TableData,
    streams: TableData | None,
    typ: np.ndarray,
    spos: np.ndarray | None,
    out: Collector,
) -> None:
    if (
        streams is None
        or spos is None
        or not (streams.has("started_at") and streams.has("ended_at"))
    ):
        return
    sv = streams.valid("started_at") & streams.valid("ended_at")
    start, end = _ts(streams.df, "started_at"), _ts(streams.df, "ended_at")
    sv &= ~streams.bad_mask("ended_at") & (end >= start)
    ids = streams.df["stream_id"] if streams.has("stream_id") else None
    known = spos >= 0
    known[known] = sv[spos[known]]
    if not t.has("at"):
        return
    at = _ts(t.df, "at")
    ok = known & t.valid("at")
    s0 = np.where(ok, _take(start, spos, 0), 0)
    s1 = np.where(ok, _take(end, spos, 0), 0)
    outside = ok & ((at < s0) | (at > s1))

    def stream(i: int) -> str:
        return show(ids.iloc[spos[i]]) if ids is not None else "?"

    out.rows(
        t,
        outside,
        "at",
        lambda i: (
            f"event at {_iso(at[i])} is outside its stream {stream(i)} "
            f"({_iso(s0[i])} to {_iso(s1[i])})"
        ),
    )
    if not t.has("seconds"):
        return
    secs = t.df["seconds"].to_numpy(dtype="float64", na_value=np.nan)
    inside = ok & ~outside & (typ == _WATCH) & t.valid("seconds")
    remaining = (s1 - at) / 1e9
    with np.errstate(invalid="ignore"):
        past = inside & (secs - remaining > 1e-6)
    out.rows(
        t,
        past,
        "seconds",
        lambda i: (
            f"watch runs past the end of stream {stream(i)}: at {_iso(at[i])} + {_num(secs[i])} s "
            f"is after ended_at {_iso(s1[i])}"
        ),
    )


def _check_referrals(
    t: TableData,
    typ: np.ndarray,
    upos: np.ndarray | None,
    spos: np.ndarray | None,
    event_keys: Keys | None,
    out: Collector,
) -> None:
    """via_share targets, sharers who watched, and cycles of first-arrival referrals."""
    df = t.df
    n = len(df)
    if not all(t.has(c) for c in ("event_id", "user_id", "stream_id", "type", "at")):
        return
    at = _ts(df, "at")
    at_ok = t.valid("at")
    ids = _arrow(df["event_id"])
    users = _arrow(df["user_id"])
    streams = _arrow(df["stream_id"])
    shares = np.flatnonzero((typ == _SHARE) & t.valid("event_id"))
    edge_rows = np.zeros(0, dtype=np.int64)
    edge_targets = np.zeros(0, dtype=np.int64)
    if t.has("via_share"):
        rows = np.flatnonzero(t.valid("via_share") & (typ == _WATCH))
        if len(rows):
            share_keys = Keys(ids.take(pa.array(shares)))
            via = _arrow(df["via_share"]).take(pa.array(rows))
            found = share_keys.lookup(via)
            target = _take(shares, found, -1)
            missing = rows[target < 0]
            if len(missing):  # not a share: some other event, or no event at all
                anywhere = (
                    event_keys.lookup(_arrow(df["via_share"]).take(pa.array(missing)))
                    if event_keys is not None
                    else np.full(len(missing), -1)
                )

                def not_share(i: int) -> str:
                    v = show(df["via_share"].iloc[i])
                    j = int(anywhere[np.searchsorted(missing, i)])
                    if j < 0:
                        return f"unknown via_share {v} (no such event_id in events)"
                    kind = df["type"].iloc[j]
                    kind = "an event of unknown type" if pd.isna(kind) else f"a {kind} event"
                    return f"via_share {v} is {kind}, not a share"

                out.rows(t, missing, "via_share", not_share)
            keep = target >= 0
            rows, target = rows[keep], target[keep]
            found_rows, found_targets = rows, target

            def tg(i: int) -> int:  # the share event a via_share row points to
                return int(found_targets[np.searchsorted(found_rows, i)])

            # the same stream
            same_stream = _mask(
                pc.equal(streams.take(pa.array(rows)), streams.take(pa.array(target)))
            )
            out.rows(
                t,
                rows[~same_stream],
                "via_share",
                lambda i: (
                    f"via_share {show(df['via_share'].iloc[i])} is a share in stream "
                    f"{show(df['stream_id'].iloc[tg(i)])}, not in this event's stream "
                    f"{show(df['stream_id'].iloc[i])}"
                ),
            )
            rows, target = rows[same_stream], target[same_stream]
            # shared at or before the watch
            late = at_ok[rows] & at_ok[target] & (at[target] > at[rows])
            out.rows(
                t,
                rows[late],
                "via_share",
                lambda i: (
                    f"via_share {show(df['via_share'].iloc[i])} was shared at {_iso(at[tg(i)])}, "
                    f"after this watch at {_iso(at[i])}"
                ),
            )
            rows, target = rows[~late], target[~late]
            # by somebody else
            self_ref = _mask(pc.equal(users.take(pa.array(rows)), users.take(pa.array(target))))
            out.rows(
                t,
                rows[self_ref],
                "via_share",
                lambda i: (
                    f"self-referral: via_share {show(df['via_share'].iloc[i])} is a share by the "
                    f"same user {show(df['user_id'].iloc[i])}"
                ),
            )
            edge_rows, edge_targets = rows[~self_ref], target[~self_ref]
    if upos is None or spos is None:
        return
    n_streams = max(int(spos.max()) + 1 if n else 1, 1)
    known = (upos >= 0) & (spos >= 0) & at_ok
    key = np.where(known, upos * n_streams + spos, -1)
    # each user's earliest watch per stream (the first arrival; ties broken by event_id)
    w = np.flatnonzero(known & (typ == _WATCH))
    s_rows = np.flatnonzero(known & (typ == _SHARE))
    codes, uniq = pd.factorize(np.concatenate([key[w], key[s_rows]]))
    wc, sc = codes[: len(w)], codes[len(w) :]
    k = len(uniq)
    first_at = np.full(k, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first_at, wc, at[w])
    earliest = at[w] == first_at[wc]
    first_of = np.full(k, -1, dtype=np.int64)
    first_of[wc[earliest]] = w[earliest]
    ties = np.bincount(wc[earliest], minlength=k) > 1
    if ties.any():
        pick = earliest & ties[wc]
        sub = pd.DataFrame({"g": wc[pick], "e": df["event_id"].iloc[w[pick]].array, "pos": w[pick]})
        sub = sub.sort_values(["g", "e"], kind="stable").drop_duplicates("g")
        first_of[sub["g"].to_numpy()] = sub["pos"].to_numpy()
    first = first_of[first_of >= 0]
    # a share needs a watch by the sharer in the stream at or before it
    watched = first_at[sc] <= at[s_rows]
    out.rows(
        t,
        s_rows[~watched],
        "at",
        lambda i: (
            f"share by {show(df['user_id'].iloc[i])} at {_iso(at[i])}, but that user has no "
            f"watch event in stream {show(df['stream_id'].iloc[i])} at or before it"
        ),
        mark=False,
    )
    # first-arrival referral edges must not form a cycle
    if not len(edge_rows):
        return
    is_first = np.zeros(n, dtype=bool)
    is_first[first] = True
    keep = is_first[edge_rows] & known[edge_targets]
    child_rows, share_rows = edge_rows[keep], edge_targets[keep]
    child_key = key[child_rows]
    parent_key = upos[share_rows] * n_streams + spos[child_rows]
    _check_cycles(t, child_rows, child_key, parent_key, out)


def _check_cycles(
    t: TableData,
    child_rows: np.ndarray,
    child_key: np.ndarray,
    parent_key: np.ndarray,
    out: Collector,
) -> None:
    """Each node (user, stream) has at most one parent: find cycles by pointer doubling."""
    m = len(child_rows)
    if not m:
        return
    order = np.argsort(child_key, kind="stable")
    sorted_keys = child_key[order]
    g = np.searchsorted(sorted_keys, parent_key)
    gi = np.minimum(g, m - 1)
    has_parent = (g < m) & (sorted_keys[gi] == parent_key)
    parent = np.full(m + 1, m, dtype=np.int64)  # index m: the sentinel, above every root
    parent[:m] = np.where(has_parent, order[gi], m)
    jump = parent.copy()
    for _ in range(max(1, math.ceil(math.log2(m + 1)) + 1)):
        jump = jump[jump]
    on_cycle_rep = np.unique(jump[:m][jump[:m] != m])
    if not len(on_cycle_rep):
        return
    df = t.df
    members: list[int] = []
    seen: set[int] = set()
    messages: dict[int, str] = {}
    for rep in on_cycle_rep.tolist():
        if rep in seen:
            continue
        cycle = [rep]
        x = int(parent[rep])
        while x != rep:
            cycle.append(x)
            x = int(parent[x])
        seen.update(cycle)
        rows = [int(child_rows[c]) for c in cycle]
        # the path of referrals: parent -> child
        names = [str(df["user_id"].iloc[r]) for r in reversed(rows)]
        text = (
            f"referral cycle in stream {show(df['stream_id'].iloc[rows[0]])}: "
            + " -> ".join(names + names[:1])
            + " (each user's first watch came through the previous user's share)"
        )
        for r in rows:
            messages[r] = text
        members.extend(rows)
    out.rows(t, np.array(sorted(members), dtype=np.int64), "via_share", lambda i: messages[i])


def check_tables(tables: dict[str, TableData | None], out: Collector) -> None:
    """Run every check on the readable tables; ``None`` marks a table that could not be read."""
    keys: dict[tuple[str, str], Keys] = {}
    positions: dict[tuple[str, str], np.ndarray] = {}
    present = [tables[n] for n in TABLE_NAMES if tables.get(n) is not None]
    for t in present:
        _check_values(t, out)
    for t in present:
        _check_unique(t, keys, out)
    for t in present:
        if t.name == "follows":
            _check_follows(t, tables, keys, out)
        _check_foreign_keys(t, tables, keys, positions, out)
    streams = tables.get("streams")
    if streams is not None:
        _check_streams(streams, out)
    ev = tables.get("events")
    if ev is not None:
        typ = _type_codes(ev)
        _check_event_fields(ev, typ, out)
        spos = positions.get(("events", "stream_id"))
        upos = positions.get(("events", "user_id"))
        _check_event_windows(ev, streams, typ, spos, out)
        _check_referrals(ev, typ, upos, spos, keys.get(("events", "event_id")), out)


def validate_frames(log: EventLog) -> ProblemList:
    """Validate an event log held in memory (e.g. the generator's output).

    Problems name the table (``events``), the 1-based row and the column.
    The log is not changed.

    Parameters
    ----------
    log : EventLog
        The tables, in the canonical dtypes (`EventLog.from_frames`).

    Returns
    -------
    ProblemList
        Every problem, sorted by table and row; empty when the log is valid.

    Examples
    --------
    >>> import graphmodel
    >>> log = graphmodel.generate(graphmodel.GeneratorConfig(users=200, days=1, seed=1))
    >>> len(graphmodel.validate_frames(log))
    0
    >>> events = log.events.copy()
    >>> events.loc[0, "user_id"] = "nobody"
    >>> bad = graphmodel.EventLog.from_frames({**log.tables, "events": events})
    >>> for problem in graphmodel.validate_frames(bad):
    ...     print(problem)
    events row 1, column user_id: unknown user_id 'nobody' (no such user_id in users)
    """
    out = Collector()
    tables: dict[str, TableData | None] = {}
    for name in TABLE_NAMES:
        df = log[name]
        spec = TABLES[name]
        columns: dict[str, pd.Series] = {}
        absent: set[str] = set()
        for c in spec.columns:
            expected = pd.api.types.pandas_dtype(DTYPES[c.kind])
            if c.name in df.columns:
                s = df[c.name].reset_index(drop=True)
                if s.dtype == expected:
                    columns[c.name] = s
                    continue
                try:
                    columns[c.name] = conform(Table(name, (c,)), s.to_frame())[c.name]
                    continue
                except (ValueError, TypeError, OverflowError):
                    out.file(name, f"column has dtype {s.dtype}, expected {expected}", c.name)
            elif c.required:
                out.file(name, "required column missing", c.name)
            absent.add(c.name)
            columns[c.name] = pd.Series([None] * len(df), dtype=expected)
        typed = pd.DataFrame(columns)
        tables[name] = TableData(name, name, typed, unit="row", absent=absent)
    check_tables(tables, out)
    return out.result()
