"""Validation of a Parquet event log on Spark: every rule of docs/event-log.md.

The embedded validator (`graphmodel.eventlog.validate`) holds every
table in memory; at full scale the big tables (``events``, ``follows``,
``task_completions``) outgrow one machine. This module runs the same checks
with the same messages on Spark (one `Problem` per
problem, naming the file, the 1-based row and the column; rows of a folder
of parts are numbered across the parts in name order):

1. files and columns, on the driver from the Parquet footers: a column twice,
   a required column missing, a column of a type that cannot hold its kind;
2. cells, on the executors, batch by batch (``mapInArrow``) with the embedded
   code itself: each column converted by
   `graphmodel.eventlog.columns.from_arrow` (text numbers, datetimes,
   booleans, ids from integers, NaN, inf and 1e308, dates out of range), then
   `graphmodel.eventlog.validate.value_checks` (missing required values,
   blank ids, ids longer than
   `MAX_ID_BYTES`, enums, finiteness,
   ranges). The typed rows come out with the cells reported marked;
3. as joins and group-bys: duplicate ids and ``follows`` rows; unknown
   foreign keys, ``followee_id`` a user or a streamer but not both, a friend
   tie between two users, nobody following themselves; a stream ending
   before it starts; the fields each event type needs, ``via_share`` only on
   watches; an event outside its stream's window, a watch running past its
   end; ``via_share`` naming a share of the same stream made at or before
   the watch by somebody else; a sharer who watched first;
4. referral cycles: the first-arrival edges (each user has at most one
   referrer per stream) by pointer doubling, one join per doubling, until
   every chain has reached its root or the number of unfinished chains stops
   falling (a chain that never ends runs into a cycle); only those edges go
   to the driver, where the embedded code names each cycle.

As in the embedded validator, a cell reported once is not reported again by
a later check, and each check lists at most
`PER_CHECK` rows but counts them all.
The executors need ``graphmodel`` installed (as they need PySpark).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from graphmodel.errors import Problem
from graphmodel.eventlog.columns import show
from graphmodel.eventlog.validate import PER_CHECK, Collector, ProblemList
from graphmodel.schema import TABLE_NAMES, TABLES

__all__ = ["validate", "check_cells"]

_SPARK_TYPES = {"id": "string", "str": "string", "enum": "string", "datetime": "bigint",
                "float": "double", "int": "bigint", "bool": "boolean"}
_PROBLEMS_TYPE = "array<struct<column:string,check:string,message:string>>"


def _iso(ns: int) -> str:
    return pd.Timestamp(int(ns)).isoformat()


def _num(x: float) -> str:
    return repr(float(x))


def _first_line(e: BaseException) -> str:
    text = str(e).strip().splitlines()
    return text[0] if text else type(e).__name__


# --- 1. files and columns -----------------------------------------------------------------


def _footers(name: str, path: Path, file: str, out: Collector):
    """The Arrow schema of a table's file (or of its parts, which must agree), or ``None``
    with the problem reported (as the embedded reader reports it)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    spec = TABLES[name]
    parts = sorted(p for p in path.iterdir() if p.name.endswith(".parquet")) if path.is_dir() \
        else [path]
    schema = None
    for part in parts:
        where = f"{file}/{part.name}" if path.is_dir() else file
        try:
            if part.stat().st_size == 0:
                out.file(where, "empty file (0 bytes), not a Parquet file")
                return None
            these = pq.read_schema(part)
        except (pa.ArrowException, OSError) as e:
            out.file(where, f"not a readable Parquet file ({_first_line(e)})")
            return None
        if schema is None:
            schema = these
        elif sorted(set(these.names) & set(spec.column_names)) != sorted(
                set(schema.names) & set(spec.column_names)):
            out.file(where, "the parts of a table must have the same columns")
            return None
    names = schema.names
    dups = sorted({n for n in names if names.count(n) > 1 and n in spec.column_names})
    for d in dups:
        out.file(file, "column appears more than once", d)
    return None if dups else schema


def _usable_columns(name: str, schema, file: str, out: Collector) -> list[str]:
    """The schema columns in the file whose type can hold their kind (the others reported)."""
    import pyarrow as pa

    from graphmodel.eventlog.columns import from_arrow

    spec = TABLES[name]
    usable = []
    for c in spec.columns:
        if c.name not in schema.names:
            if c.required:
                out.file(file, "required column missing", c.name)
            continue
        t = schema.field(c.name).type
        try:
            conv = from_arrow(c, pa.array([], type=t))
        except (pa.ArrowException, ValueError, TypeError) as e:
            conv = f"cannot convert the column ({_first_line(e)})"
        if isinstance(conv, str):
            out.file(file, conv, c.name)
            continue
        usable.append(c.name)
    return usable


# --- 2. cells, on the executors -------------------------------------------------------------


def check_cells(name: str, file: str, usable: list[str], nanos: list[str], cap: int = PER_CHECK):
    """The function ``mapInArrow`` runs on each batch of table ``name``.

    A batch holds the raw columns ``usable`` and ``_row``; ``nanos`` are
    datetime columns Spark delivers as int64 nanoseconds. Each batch comes
    out with every schema column in the engine's types (cells that cannot be
    converted null), ``_row``, ``_bad`` (the columns whose cell was reported)
    and ``_problems`` (column, check, message) of the row: the conversion
    problems of `from_arrow` (check
    ``convert``) and those of `value_checks`.
    A check's messages beyond the first ``cap`` of a batch are left null
    (counted, never shown).
    """

    def run(batches):
        import pyarrow as pa

        from graphmodel.eventlog.columns import from_arrow
        from graphmodel.eventlog.log import DTYPES
        from graphmodel.eventlog.validate import TableData, value_checks

        spec = TABLES[name]
        for batch in batches:
            n = batch.num_rows
            rows = batch.column("_row").to_numpy(zero_copy_only=False).astype(np.int64)
            frame, found = {}, []
            for c in spec.columns:
                conv = None
                if c.name in usable:
                    arr = batch.column(c.name)
                    if c.name in nanos:
                        arr = arr.cast(pa.int64()).cast(pa.timestamp("ns"))
                    conv = from_arrow(c, arr)
                if conv is None or isinstance(conv, str):
                    frame[c.name] = pd.Series([None] * n, dtype=DTYPES[c.kind])
                else:
                    frame[c.name] = conv.series.reset_index(drop=True)
                    if conv.bad is not None:
                        found.append((c.name, "convert", conv.bad, conv.reason, True))
            absent = {c.name for c in spec.columns if c.name not in usable}
            t = TableData(name, file, pd.DataFrame(frame), unit="row", lines=rows,
                          absent=absent)
            problems: list[tuple[int, str, str, str | None]] = []

            def note(column, check, where, message, mark, t=t, problems=problems):
                positions = np.flatnonzero(where) if where.dtype == bool else np.sort(where)
                if not len(positions):
                    return
                if mark:
                    t.mark(column, positions)
                for k, i in enumerate(positions.tolist()):
                    problems.append((i, column, check, message(i) if k < cap else None))

            for item in found:
                note(*item)
            for item in value_checks(t):
                note(*item)
            yield _out_batch(t, spec, rows, problems)

    return run


def _out_batch(t, spec, rows, problems):
    import pyarrow as pa

    n = len(t.df)
    arrays, names = [], []
    for c in spec.columns:
        s = t.df[c.name]
        if c.kind in ("id", "str", "enum"):
            a = pa.array(s.array, type=pa.large_string()).cast(pa.string())
        elif c.kind == "datetime":
            v = s.to_numpy(dtype="datetime64[ns]")
            a = pa.array(v.view("int64"), mask=np.isnat(v), type=pa.int64())
        elif c.kind == "float":
            v = s.to_numpy(dtype="float64", na_value=np.nan)
            a = pa.array(v, mask=np.isnan(v), type=pa.float64())
        elif c.kind == "int":
            a = pa.array(s.array, type=pa.int64())
        else:
            a = pa.array(s.array, type=pa.bool_())
        arrays.append(a)
        names.append(c.name)
    arrays.append(pa.array(rows, type=pa.int64()))
    names.append("_row")
    marked = [c.name for c in spec.columns if c.name in t.bad]
    if marked:
        m = np.column_stack([t.bad[c] for c in marked])
        r, k = np.nonzero(m)
        offsets = np.concatenate([[0], np.cumsum(np.bincount(r, minlength=n))])
        values = pa.array(np.asarray(marked, dtype=object)[k].tolist(), type=pa.string())
    else:
        offsets, values = np.zeros(n + 1, dtype=np.int64), pa.array([], type=pa.string())
    arrays.append(pa.ListArray.from_arrays(pa.array(offsets, type=pa.int32()), values))
    names.append("_bad")
    problems.sort(key=lambda p: p[0])
    pos = np.array([p[0] for p in problems], dtype=np.int64)
    offsets = np.concatenate([[0], np.cumsum(np.bincount(pos, minlength=n))])
    items = pa.StructArray.from_arrays(
        [pa.array([p[i] for p in problems], type=pa.string()) for i in (1, 2, 3)],
        ["column", "check", "message"])
    arrays.append(pa.ListArray.from_arrays(pa.array(offsets, type=pa.int32()), items))
    names.append("_problems")
    return pa.RecordBatch.from_arrays(arrays, names)


def _typed_ddl(name: str) -> str:
    """The schema of the typed rows of table ``name`` (`check_cells`' output)."""
    spec = TABLES[name]
    return ", ".join([f"`{c.name}` {_SPARK_TYPES[c.kind]}" for c in spec.columns]
                     + ["_row bigint", "_bad array<string>", f"_problems {_PROBLEMS_TYPE}"])


# --- 3. and 4. -------------------------------------------------------------------------


class _Checks:
    def __init__(self, log):
        from pyspark.sql import functions as F

        self.F = F
        self.log = log
        self.out = Collector()
        self.rows: dict[str, object | None] = {}
        self.present: dict[str, set[str]] = {}
        self._persisted: list = []
        self._pending: list[tuple[str, str | None, Callable | None]] = []
        self._frames: list = []
        self._tree = None

    def keep(self, df):
        df = df.persist()
        self._persisted.append(df)
        return df

    # 1 and 2 -----------------------------------------------------------------------------
    def cells(self) -> None:
        self.files = dict(self.log.files)
        self.given = {name: self.log.given(name) for name in TABLE_NAMES}
        for name in TABLE_NAMES:
            if not self.log.given(name):
                continue
            file, path = self.files[name], self.log.paths[name]
            schema = _footers(name, path, file, self.out)
            if schema is None:
                self.rows[name] = None
                self.present[name] = set()
                continue
            usable = _usable_columns(name, schema, file, self.out)
            raw = self.log.raw_rows(name, usable)
            self.typed(name, raw, usable)
        self.complete()

    def typed(self, name: str, raw, usable: list[str]) -> None:
        """The cell checks of table ``name`` (raw columns ``usable`` and ``_row``) on the
        executors; its typed rows are kept for the later checks."""
        F = self.F
        types = dict(raw.dtypes)
        nanos = [c for c in usable if TABLES[name].column(c).kind == "datetime"
                 and types[c] in ("bigint", "int")]
        typed = self.keep(raw.mapInArrow(check_cells(name, self.files[name], usable, nanos),
                                         _typed_ddl(name)))
        self.rows[name] = typed
        self.present[name] = set(usable)
        found = typed.where(F.size("_problems") > 0).select(
            "_row", F.explode("_problems").alias("_p")).select(
            "_row", F.col("_p.column").alias("_column"), F.col("_p.check").alias("_check"),
            F.col("_p.message").alias("_message"))
        self.report_cells(name, found)

    def complete(self) -> None:
        """The absent tables, as `graphmodel.eventlog.read.complete_tables` fills them
        in: derived from the typed rows of the others (and checked like a given table), or
        empty. Nothing is derived from unreadable events. (A table given without the one
        naming its ids stopped the log when it was opened.)"""
        from graphmodel.engines.spark import derive

        absent = [name for name in TABLE_NAMES if not self.log.given(name)]
        r = self.rows
        if not absent:
            return
        if r.get("events") is None:
            for name in absent:
                r[name], self.present[name] = None, set()
            return

        def put(name: str, df) -> None:
            self.files[name] = f"{name} (derived)"
            self.typed(name, df, list(TABLES[name].column_names))

        if "streams" in absent:
            put("streams", derive.streams(r["events"]))
        if "streamers" in absent and r.get("streams") is not None:
            put("streamers", derive.streamers(r["streams"]))
        if "products" in absent:
            put("products", derive.products(r["events"]))
        if "advertisers" in absent and r.get("products") is not None:
            put("advertisers", derive.advertisers(r["products"], r.get("ad_spend")))
        if "users" in absent:
            put("users", derive.users(r["events"], r.get("follows"), r.get("task_completions"),
                                      r.get("streamers")))
        for name in absent:
            if name not in r:
                self.files[name] = f"{name}.parquet"
                self.given[name] = False
                r[name] = self.log.spark.createDataFrame([], _typed_ddl(name))
                self.present[name] = set(TABLES[name].column_names)

    def report(self, name: str, df, column: str | None, message: Callable) -> None:
        """Each row of ``df`` (rows of table ``name``, with ``_row``) is one problem.

        The check runs later, in one Spark job with every other (`flush`):
        the cells a check marks are filters in the plans of the later checks.
        """
        F = self.F
        fields = [c for c in df.columns if c not in ("_bad", "_problems")]
        self._pending.append((name, column, message))
        self._frames.append(df.select(
            F.lit(str(len(self._pending) - 1)).alias("_check"), F.col("_row"),
            F.lit(None).cast("string").alias("_column"),
            F.lit(None).cast("string").alias("_message"),
            F.to_json(F.struct(*(F.col(f"`{c}`") for c in fields))).alias("_fields")))

    def report_cells(self, name: str, found) -> None:
        """The cell checks' problems of table ``name``: rows (``_row``, ``_column``,
        ``_check``, ``_message``), one check per (column, check)."""
        F = self.F
        self._pending.append((name, None, None))
        self._frames.append(found.select(
            F.concat(F.lit(f"{len(self._pending) - 1}:"), "_column", F.lit(":"),
                     "_check").alias("_check"), "_row", "_column", "_message",
            F.lit(None).cast("string").alias("_fields")))

    def flush(self) -> None:
        """Run every pending check in one job: each keeps its first `PER_CHECK` rows
        and counts the rest."""
        import json
        from collections import defaultdict
        from functools import reduce

        from pyspark.sql import Window

        F = self.F
        if not self._frames:
            return
        found = reduce(lambda a, b: a.unionByName(b), self._frames)
        w = Window.partitionBy("_check")
        ranked = (found.withColumn("_n", F.row_number().over(w.orderBy("_row")))
                  .withColumn("_total", F.count(F.lit(1)).over(w))
                  .where(F.col("_n") <= PER_CHECK))
        for r in ranked.collect():
            name, column, message = self._pending[int(r["_check"].split(":", 1)[0])]
            file = self.files[name]
            if message is None:  # a cell check: column and message came with the row
                column, text = r["_column"], r["_message"]
            else:
                # to_json leaves out null fields: they read as None
                text = message(defaultdict(lambda: None, json.loads(r["_fields"])))
            self.out.add(Problem(file, int(r["_row"]), column, text, "row"))
            if r["_n"] == 1:
                self.out.total += int(r["_total"]) - min(int(r["_total"]), PER_CHECK)
        self._pending.clear()
        self._frames.clear()

    def has(self, name: str, *columns: str) -> bool:
        return self.rows.get(name) is not None and all(c in self.present[name] for c in columns)

    def valid(self, column: str):
        """A cell holding a value not reported in the cell checks."""
        F = self.F
        return F.col(column).isNotNull() & ~F.array_contains(F.col("_bad"), column)

    def keys(self, name: str, column: str):
        """The distinct values of a key column not reported in the cell checks (``_key``)."""
        F = self.F
        return self.rows[name].where(self.valid(column)).select(
            F.col(column).alias("_key")).distinct()

    def first_rows(self, name: str, column: str):
        """Per value of a key column (``_key``): the row of its first valid occurrence."""
        F = self.F
        rows = self.rows[name].where(self.valid(column))
        return rows.groupBy(F.col(column).alias("_key")).agg(F.min("_row").alias("_first"))

    # 3 ---------------------------------------------------------------------------
    def duplicates(self) -> None:
        F = self.F
        self.dup_event_ids = None
        for name in TABLE_NAMES:
            if self.rows.get(name) is None:
                continue
            for c in TABLES[name].columns:
                if not c.unique or not self.has(name, c.name):
                    continue
                rows = self.rows[name].where(self.valid(c.name))
                first = self.first_rows(name, c.name).withColumnRenamed("_key", c.name)
                dup = rows.join(first, c.name).where(F.col("_row") != F.col("_first"))
                self.report(name, dup, c.name,
                            lambda r, c=c: f"duplicate {c.name} {show(r[c.name])} "
                                           f"(first on row {r['_first']})")
                if (name, c.name) == ("events", "event_id"):
                    self.dup_event_ids = dup.select("_row")

    def follows(self) -> None:
        F = self.F
        if not self.has("follows", "follower_id", "followee_id", "kind"):
            return
        rows = self.rows["follows"]
        fee = F.col("followee_id")
        marked = F.lit(False)
        if self.has("users", "user_id") and self.has("streamers", "streamer_id"):
            rows = (rows.join(self.keys("users", "user_id").withColumn("_u", F.lit(True))
                              .withColumnRenamed("_key", "followee_id"), "followee_id", "left")
                    .join(self.keys("streamers", "streamer_id").withColumn("_h", F.lit(True))
                          .withColumnRenamed("_key", "followee_id"), "followee_id", "left"))
            rows = self.keep(rows)
            u, h = F.col("_u").isNotNull(), F.col("_h").isNotNull()
            fee_ok = self.valid("followee_id")
            self.report("follows", rows.where(fee_ok & ~u & ~h), "followee_id",
                        lambda r: f"unknown followee_id {show(r['followee_id'])} (neither a "
                                  "user_id in users nor a streamer_id in streamers)")
            self.report("follows", rows.where(fee_ok & u & h), "followee_id",
                        lambda r: f"followee_id {show(r['followee_id'])} is both a user_id "
                                  "and a streamer_id: give users and streamers distinct ids")
            friend = fee_ok & self.valid("kind") & (F.col("kind") == "friend") & h
            self.report("follows", rows.where(friend), "followee_id",
                        lambda r: f"a friend tie joins two users, but "
                                  f"{show(r['followee_id'])} is a streamer")
            marked = (fee_ok & ~u & ~h) | (fee_ok & u & h) | friend
        ok = (self.valid("follower_id") & self.valid("followee_id") & self.valid("kind")
              & ~marked)
        same = ok & (F.col("follower_id") == fee)
        self.report("follows", rows.where(same), "followee_id",
                    lambda r: f"{show(r['follower_id'])} follows themselves")
        key = ["follower_id", "followee_id", "kind"]
        rest = rows.where(ok & ~same)
        first = rest.groupBy(*key).agg(F.min("_row").alias("_first"))
        dup = rest.join(first, key).where(F.col("_row") != F.col("_first"))
        self.report("follows", dup, None,
                    lambda r: "duplicate follows row: same follower_id, followee_id and "
                              f"kind as row {r['_first']}")

    def foreign_keys(self) -> None:
        F = self.F
        self.known: dict[tuple[str, str], object] = {}
        for name in TABLE_NAMES:
            if self.rows.get(name) is None:
                continue
            for c in TABLES[name].columns:
                if c.ref is None or (name, c.name) == ("events", "via_share"):
                    continue
                tt, tc = c.ref
                if not self.has(name, c.name) or not self.has(tt, tc):
                    continue
                self.known[(name, c.name)] = True
                # an anti join needs no distinct keys
                keys = self.rows[tt].where(self.valid(tc)).select(F.col(tc).alias(c.name))
                unknown = self.rows[name].where(self.valid(c.name)).join(keys, c.name,
                                                                         "left_anti")
                if not self.given[tt]:  # one problem, however many rows: the table is missing
                    self.missing_table(name, c.name, tt, tc, unknown)
                    continue
                self.report(name, unknown, c.name,
                            lambda r, c=c, tt=tt, tc=tc: f"unknown {c.name} {show(r[c.name])} "
                                                         f"(no such {tc} in {tt})")

    def missing_table(self, name: str, column: str, tt: str, tc: str, unknown) -> None:
        """Rows of ``name`` naming a ``column`` in table ``tt``, which the log lacks: one
        problem, counting them and naming the first (as the embedded validator says)."""
        F = self.F
        r = unknown.agg(F.count(F.lit(1)).alias("_n"),
                        F.min(F.struct("_row", F.col(column).alias("_v"))).alias("_f")).first()
        if r["_n"]:
            self.out.file(self.files[name], f"{r['_n']:,} row(s) name a {tc}, first "
                                            f"{show(r['_f']['_v'])} on row {r['_f']['_row']}, "
                                            f"but the log has no {tt} table: give "
                                            f"{self.files[tt]}", column)

    # 4 ---------------------------------------------------------------------------
    def streams(self):
        """Streams ending before they start are reported; returns, per stream id, the window
        of its first row when that window is valid (``stream_id``, ``_s0``, ``_s1``)."""
        F = self.F
        if not self.has("streams", "started_at", "ended_at"):
            return None
        s = self.rows["streams"]
        ok = self.valid("started_at") & self.valid("ended_at")
        wrong = ok & (F.col("ended_at") < F.col("started_at"))
        self.report("streams", s.where(wrong), "ended_at",
                    lambda r: f"stream ends before it starts (ended_at {_iso(r['ended_at'])} is "
                              f"before started_at {_iso(r['started_at'])})")
        if not self.has("streams", "stream_id"):
            return None
        first = self.first_rows("streams", "stream_id")
        return (s.join(first, (s["_row"] == first["_first"]))
                .where(ok & ~wrong)
                .select(F.col("_key").alias("stream_id"), F.col("started_at").alias("_s0"),
                        F.col("ended_at").alias("_s1")))

    def events(self, windows) -> None:
        F = self.F
        if self.rows.get("events") is None:
            return
        ev = self.rows["events"]
        typ = F.when(self.valid("type"), F.col("type")) if self.has("events", "type") \
            else F.lit(None).cast("string")
        ev = ev.withColumn("_type", typ)
        # the fields each type needs
        for kind, column in (("watch", "seconds"), ("purchase", "amount"),
                             ("purchase", "product_id"), ("share", "channel")):
            rows = F.col("_type") == kind
            if not self.has("events", column):
                if ev.where(rows).limit(1).count():
                    self.out.file(self.files["events"],
                                  f"column missing, but {kind} events need it", column)
                continue
            missing = rows & F.col(column).isNull() & ~F.array_contains("_bad", column)
            self.report("events", ev.where(missing), column,
                        lambda r, kind=kind, column=column:
                        f"missing value: a {kind} event needs {column}")
        if self.has("events", "via_share"):
            wrong = self.valid("via_share") & F.col("_type").isNotNull() & (
                F.col("_type") != "watch")
            self.report("events", ev.where(wrong), "via_share",
                        lambda r: "via_share is only allowed on watch events (this is a "
                                  f"{r['_type']} event)")
        # windows
        ev = ev.withColumn("_at_ok", self.valid("at") if self.has("events", "at")
                           else F.lit(False))
        if windows is not None and self.has("events", "stream_id", "at") and self.known.get(
                ("events", "stream_id")):
            j = ev.where(self.valid("stream_id") & F.col("_at_ok")).join(windows, "stream_id")
            at = F.col("at")
            outside = (at < F.col("_s0")) | (at > F.col("_s1"))
            self.report("events", j.where(outside), "at",
                        lambda r: f"event at {_iso(r['at'])} is outside its stream "
                                  f"{show(r['stream_id'])} ({_iso(r['_s0'])} to "
                                  f"{_iso(r['_s1'])})")
            if self.has("events", "seconds"):
                remaining = (F.col("_s1") - at) / F.lit(1e9)
                past = (~outside & (F.col("_type") == "watch") & self.valid("seconds")
                        & (F.col("seconds") - remaining > 1e-6))
                self.report("events", j.where(past), "seconds",
                            lambda r: f"watch runs past the end of stream "
                                      f"{show(r['stream_id'])}: at {_iso(r['at'])} + "
                                      f"{_num(r['seconds'])} s is after ended_at "
                                      f"{_iso(r['_s1'])}")
            out_rows = j.where(outside).select("_row", F.lit(True).alias("_outside"))
            ev = (ev.join(out_rows, "_row", "left")
                  .withColumn("_at_ok", F.col("_at_ok") & F.col("_outside").isNull())
                  .drop("_outside"))
        self.referrals(ev)

    def referrals(self, ev) -> None:
        F = self.F
        if not self.has("events", "event_id", "user_id", "stream_id", "type", "at"):
            return
        if self.dup_event_ids is not None:
            ev = (ev.join(self.dup_event_ids.withColumn("_dup", F.lit(True)), "_row", "left")
                  .withColumn("_id_ok", self.valid("event_id") & F.col("_dup").isNull())
                  .drop("_dup"))
        else:
            ev = ev.withColumn("_id_ok", self.valid("event_id"))
        # known: user and stream valid and known, time valid and inside the window
        known = F.col("_at_ok")
        for name, col in (("users", "user_id"), ("streams", "stream_id")):
            if not self.known.get(("events", col)):
                known = None
                break
            keys = self.keys(name, col).withColumnRenamed("_key", col).withColumn(
                f"_k_{col}", F.lit(True))
            ev = ev.join(keys, col, "left")
            known = known & self.valid(col) & F.col(f"_k_{col}").isNotNull()
        ev = self.keep(ev.withColumn("_known", known if known is not None else F.lit(False)))
        edges = None
        if self.has("events", "via_share"):
            shares = ev.where((F.col("_type") == "share") & F.col("_id_ok")).select(
                F.col("event_id").alias("via_share"), F.col("_row").alias("_t_row"),
                F.col("user_id").alias("_t_user"), F.col("stream_id").alias("_t_stream"),
                F.col("at").alias("_t_at"), F.col("_at_ok").alias("_t_at_ok"),
                F.col("_known").alias("_t_known"))
            watches = ev.where(self.valid("via_share") & (F.col("_type") == "watch"))
            w = self.keep(watches.join(shares, "via_share", "left"))
            missing = w.where(F.col("_t_row").isNull())
            if self.has("events", "event_id"):
                first = self.first_rows("events", "event_id")
                e = self.rows["events"]
                anywhere = (first.join(e, e["_row"] == first["_first"])
                            .select(F.col("_key").alias("via_share"),
                                    F.col("type").alias("_any_type"), F.lit(True).alias("_any")))
                missing = missing.join(anywhere, "via_share", "left")
            else:
                missing = missing.withColumn("_any", F.lit(None).cast("boolean")).withColumn(
                    "_any_type", F.lit(None).cast("string"))

            def not_share(r) -> str:
                v = show(r["via_share"])
                if r["_any"] is None:
                    return f"unknown via_share {v} (no such event_id in events)"
                kind = r["_any_type"]
                kind = "an event of unknown type" if kind is None else f"a {kind} event"
                return f"via_share {v} is {kind}, not a share"

            self.report("events", missing, "via_share", not_share)
            found = w.where(F.col("_t_row").isNotNull())
            same = F.coalesce(F.col("stream_id") == F.col("_t_stream"), F.lit(False))
            self.report("events", found.where(~same), "via_share",
                        lambda r: f"via_share {show(r['via_share'])} is a share in stream "
                                  f"{show(r['_t_stream'])}, not in this event's stream "
                                  f"{show(r['stream_id'])}")
            found = found.where(same)
            late = F.col("_at_ok") & F.col("_t_at_ok") & (F.col("_t_at") > F.col("at"))
            self.report("events", found.where(late), "via_share",
                        lambda r: f"via_share {show(r['via_share'])} was shared at "
                                  f"{_iso(r['_t_at'])}, after this watch at {_iso(r['at'])}")
            found = found.where(~late)
            self_ref = F.coalesce(F.col("user_id") == F.col("_t_user"), F.lit(False))
            self.report("events", found.where(self_ref), "via_share",
                        lambda r: f"self-referral: via_share {show(r['via_share'])} is a share "
                                  f"by the same user {show(r['user_id'])}")
            edges = found.where(~self_ref)
        if known is None:
            return
        k = ev.where("_known")
        first = (k.where(F.col("_type") == "watch").groupBy("user_id", "stream_id")
                 .agg(F.min(F.struct("at", "event_id", "_row")).alias("_f")))
        shares = k.where(F.col("_type") == "share").join(
            first.select("user_id", "stream_id", F.col("_f.at").alias("_first")),
            ["user_id", "stream_id"], "left")
        never = F.col("_first").isNull() | (F.col("_first") > F.col("at"))
        self.report("events", shares.where(never), "at",
                    lambda r: f"share by {show(r['user_id'])} at {_iso(r['at'])}, but that user "
                              f"has no watch event in stream {show(r['stream_id'])} at or "
                              "before it")
        if edges is not None:
            arrivals = first.select(F.col("_f._row").alias("_row"))
            tree = (edges.where("_t_known").join(arrivals, "_row", "left_semi")
                    .select("_row", "stream_id", F.col("user_id").alias("_u"),
                            F.col("_t_user").alias("_a")))
            self._tree = tree

    def cycles(self) -> None:
        """Referral cycles among the first-arrival edges (``_row``, ``stream_id``, child
        ``_u``, parent ``_a``) by pointer doubling; the edges left go to the embedded code."""
        from graphmodel.eventlog.validate import TableData, _check_cycles

        F = self.F
        tree = self._tree
        if tree is None:
            return
        level = tree.select("stream_id", "_u", "_a").localCheckpoint()
        count = level.count()
        while count:
            x, y = level.alias("x"), level.alias("y")
            nxt = (x.join(y, (F.col("x.stream_id") == F.col("y.stream_id"))
                          & (F.col("x._a") == F.col("y._u")))
                   .select(F.col("x.stream_id").alias("stream_id"), F.col("x._u").alias("_u"),
                           F.col("y._a").alias("_a"))
                   .localCheckpoint())
            n = nxt.count()
            if n == count:  # no chain ended: every one left runs into a cycle
                break
            level, count = nxt, n
        if not count:
            return
        caught = tree.join(level.select("stream_id", "_u").distinct(), ["stream_id", "_u"],
                           "left_semi").orderBy("_row").toPandas()
        users = caught["_u"].astype(object).to_numpy()
        streams = caught["stream_id"].astype(object).to_numpy()
        node = pd.Series(users).astype(str) + "\x00" + pd.Series(streams).astype(str)
        parent = pd.Series(caught["_a"].astype(object)).astype(str) + "\x00" + \
            pd.Series(streams).astype(str)
        codes, _ = pd.factorize(pd.concat([node, parent], ignore_index=True))
        m = len(caught)
        t = TableData("events", self.files["events"],
                      pd.DataFrame({"user_id": users, "stream_id": streams}), unit="row",
                      lines=caught["_row"].to_numpy(dtype=np.int64))
        _check_cycles(t, np.arange(m), codes[:m].astype(np.int64),
                      codes[m:].astype(np.int64), self.out)

    def close(self) -> None:
        for df in self._persisted:
            df.unpersist()


def validate(log) -> ProblemList:
    """Every problem of a `graphmodel.engines.spark.log.SparkLog`, as the embedded validator
    finds them.

    Returns
    -------
    ProblemList
        Sorted by file, row and column as the embedded validator sorts them;
        ``total`` counts also the rows beyond each check's cap.
        ``.raise_if_any()`` raises the [`LogError`][graphmodel.errors.LogError].
    """
    checks = _Checks(log)
    try:
        checks.cells()
        checks.flush()  # the typed tables are cached now: Spark knows their sizes
        checks.duplicates()
        checks.follows()
        checks.foreign_keys()
        checks.events(checks.streams())
        checks.flush()
        checks.cycles()
    finally:
        checks.close()
    return checks.out.result()
