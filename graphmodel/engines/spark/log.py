"""An event-log folder ([docs/model.md, section 2][model-2]) as Spark DataFrames.

Each table is a Parquet file ``<table>.parquet`` or a folder of Parquet
parts ``<table>/part-*.parquet`` (what ``graphmodel generate --chunk-users``
writes, and what Spark itself writes). Columns come out in the schema's
order and in these Spark types:

=========  ====================================================
kind       Spark type
=========  ====================================================
id, str,   ``string``
enum
datetime   ``long``: nanoseconds since 1970-01-01 UTC (exact, as
           the embedded store's ``datetime64[ns]``)
float      ``double``
int        ``long``
bool       ``boolean``
=========  ====================================================

Only ``events`` is required, as for the embedded reader: ``users``,
``streamers``, ``advertisers``, ``streams`` and ``products`` are derived when
absent (`graphmodel.engines.spark.derive`), every other absent table is
empty. Optional columns missing from a file are null. Rows can carry where they
came from (``_file``, ``_row``): the file name and the 1-based row, numbered
across a folder's parts in name order, as the embedded reader numbers them.
CSV folders are for the embedded store; convert them once with
``graphmodel.write_log(graphmodel.read_log(dir), out, fmt="parquet")``.
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from graphmodel.errors import LogError, Problem, UserError
from graphmodel.eventlog.log import read_meta
from graphmodel.schema import TABLE_NAMES, TABLES

__all__ = ["SparkLog", "locate_parquet", "nanos", "to_pandas", "empty_frame", "SPARK_TYPES"]

SPARK_TYPES = {"id": "string", "str": "string", "enum": "string", "datetime": "long",
               "float": "double", "int": "long", "bool": "boolean"}


def locate_parquet(folder: str | os.PathLike) -> dict[str, tuple[str, Path]]:
    """Per table given: (the name problems use, the path Spark reads); a [`LogError`][graphmodel.errors.LogError]
    if ``events`` is missing, a table is given twice or as CSV, or a table is given without
    the one that names its ids (``streamers`` without ``streams``, ``advertisers`` without
    ``products``, as the embedded reader says). Every other table may be absent."""
    # absolute: Spark's JVM resolves a relative path against the folder it started in,
    # which is not this process's current folder once that has changed
    root = Path(folder).absolute()
    if not root.is_dir():
        raise UserError(f"{folder}: no such folder (an event log is a folder of tables)")
    found: dict[str, tuple[str, Path]] = {}
    problems: list[Problem] = []
    absent = []
    for name in TABLE_NAMES:
        single, parts = root / f"{name}.parquet", root / name
        options = []
        if single.exists():
            options.append((single.name, single))
        if parts.is_dir() and any(p.suffix == ".parquet" for p in parts.iterdir()):
            options.append((name, parts))
        if len(options) > 1:
            problems.append(Problem(single.name, None, None,
                                    f"found {single.name} and the folder {name}/: keep one"))
        elif options:
            found[name] = options[0]
        elif any((root / f"{name}{ext}").exists() for ext in (".csv", ".csv.gz")):
            problems.append(Problem(f"{name}.csv", None, None,
                                    "the Spark engine reads Parquet: convert the log once with "
                                    "graphmodel.write_log(graphmodel.read_log(dir), out, "
                                    "fmt='parquet')"))
        elif name == "events":
            problems.append(Problem(f"{name}.parquet", None, None,
                                    f"missing table file (expected {name}.parquet or a folder "
                                    f"{name}/ of Parquet parts)"))
        else:
            absent.append(name)
    if "events" in found:
        problems.extend(_given_without(absent))
    if problems:
        raise LogError(problems)
    return found


def _given_without(absent: list[str]) -> list[Problem]:
    """The tables given without the one that names their ids (as
    `graphmodel.eventlog.read.complete_tables` reports them)."""
    ext = ".parquet"
    if "streams" in absent and "streamers" not in absent:
        return [Problem(f"streamers{ext}", None, None,
                        "given without a streams table, so no stream names its host: give "
                        f"streams{ext} too, or leave streamers out")]
    if "products" in absent and "advertisers" not in absent:
        return [Problem(f"advertisers{ext}", None, None,
                        "given without a products table, so no product names its merchant: "
                        f"give products{ext} too, or leave advertisers out")]
    return []


def nanos(column, dtype: str):
    """A Spark column of time values as int64 nanoseconds since the epoch (UTC)."""
    from pyspark.sql import functions as F

    if dtype in ("bigint", "int", "long"):
        return column.cast("long")  # TIMESTAMP(NANOS) read as long (nanosAsLong)
    if dtype in ("timestamp", "timestamp_ntz", "date"):
        return F.unix_micros(column.cast("timestamp")) * F.lit(1000)
    if dtype == "string":
        return F.unix_micros(F.to_timestamp(column)) * F.lit(1000)
    raise UserError(f"cannot read a time from a column of type {dtype}")


def _typed(df, name: str):
    """``df`` with exactly the schema columns of table ``name``, in the engine's types."""
    from pyspark.sql import functions as F

    types = dict(df.dtypes)
    cols = []
    for c in TABLES[name].columns:
        target = SPARK_TYPES[c.kind]
        if c.name not in types:
            cols.append(F.lit(None).cast(target).alias(c.name))
        elif c.kind == "datetime":
            cols.append(nanos(F.col(c.name), types[c.name]).alias(c.name))
        else:
            cols.append(F.col(c.name).cast(target).alias(c.name))
    return cols


@dataclass
class SparkLog:
    """The tables of an event-log folder as Spark DataFrames (typed as in the module docstring).

    ``paths`` holds the tables given; ``absent`` the others, of which ``derived`` are
    made from the rest by the rules of `graphmodel.eventlog.derive`
    (`graphmodel.engines.spark.derive`) and the rest are empty. ``files[name]`` is
    the name problems use for every table: ``events.parquet`` for a file, ``events`` for
    a folder of parts, ``streams (derived)`` for a derived table and ``tasks.parquet``
    for an absent one, as the embedded reader names them.
    """

    spark: object
    source: str
    paths: dict[str, Path]
    files: dict[str, str]
    meta: dict = field(default_factory=dict)
    absent: tuple[str, ...] = ()
    derived: tuple[str, ...] = ()
    _cache: dict = field(default_factory=dict, repr=False)
    _persisted: list = field(default_factory=list, repr=False)

    @classmethod
    def open(cls, spark, folder: str | os.PathLike) -> SparkLog:
        from graphmodel.eventlog.coverage import DERIVABLE

        located = locate_parquet(folder)
        absent = tuple(n for n in TABLE_NAMES if n not in located)
        derived = tuple(n for n in absent if n in DERIVABLE)
        files = {n: f for n, (f, _) in located.items()}
        for n in absent:
            files[n] = f"{n} (derived)" if n in derived else f"{n}.parquet"
        return cls(spark, str(folder), {n: p for n, (_, p) in located.items()}, files,
                   read_meta(folder), absent, derived)

    def given(self, name: str) -> bool:
        """The table has a file (or folder of parts)."""
        return name in self.paths

    def _raw(self, name: str):
        return self.spark.read.parquet(str(self.paths[name]))

    def _keep(self, df):
        df = df.persist()
        self._persisted.append(df)
        return df

    def release(self) -> None:
        """Unpersist the derived tables (they are derived again when used)."""
        for df in self._persisted:
            df.unpersist()
        self._persisted.clear()

    def columns(self, name: str) -> set[str]:
        """The schema columns present in the table's file(s) (every one for an absent table)."""
        if not self.given(name):
            return set(TABLES[name].column_names)
        return set(self._raw(name).columns) & set(TABLES[name].column_names)

    def table(self, name: str):
        """Table ``name`` with the schema's columns in the engine's types (a derived table in
        the order the embedded reader derives it)."""
        if name not in self._cache:
            if self.given(name):
                raw = self._raw(name)
                self._cache[name] = raw.select(*_typed(raw, name))
            elif name in self.derived:
                self._cache[name] = self._keep(
                    self.numbered(name).orderBy("_row").drop("_row"))
            else:
                self._cache[name] = empty_frame(self.spark, name)
        return self._cache[name]

    def numbered(self, name: str):
        """Table ``name`` with ``_row``: 1-based, across parts in name order, or in the
        order a derived table is derived."""
        from graphmodel.engines.spark import derive

        key = ("numbered", name)
        if key in self._cache:
            return self._cache[key]
        if self.given(name):
            raw = self._raw(name)
            df = self._numbered(name, raw.select(*_typed(raw, name)))
        elif name not in self.derived:
            df = empty_frame(self.spark, name, "_row long")
        else:
            t = self.numbered
            if name == "streams":
                df = derive.streams(t("events"))
            elif name == "streamers":
                df = derive.streamers(t("streams"))
            elif name == "products":
                df = derive.products(t("events"))
            elif name == "advertisers":
                df = derive.advertisers(t("products"), t("ad_spend"))
            else:
                df = derive.users(t("events"), t("follows"), t("task_completions"),
                                  t("streamers"))
            df = self._keep(df)
        self._cache[key] = df
        return df

    def located(self, name: str):
        """Table ``name`` with ``_row`` (1-based, across parts in name order) and ``_file``."""
        from pyspark.sql import functions as F

        raw = self._raw(name)
        return (self._numbered(name, raw.select(*_typed(raw, name)))
                .withColumn("_file", F.lit(self.files[name])))

    def raw_rows(self, name: str, columns):
        """The raw (unconverted) ``columns`` of table ``name`` with ``_row``."""
        from pyspark.sql import functions as F

        raw = self._raw(name)
        return self._numbered(name, raw.select(*(F.col(f"`{c}`") for c in columns)))

    def _numbered(self, name: str, df):
        """``df`` (a selection of the table's raw rows) with ``_row``: 1-based, across the
        parts of a folder in name order."""
        from pyspark.sql import functions as F

        df = df.select("*", F.col("_metadata.file_name").alias("_part"),
                       F.col("_metadata.row_index").alias("_index"))
        if self.paths[name].is_dir():
            counts = df.groupBy("_part").count().collect()
            offsets, start = [], 0
            for r in sorted(counts, key=lambda r: r["_part"]):
                offsets.append((r["_part"], start))
                start += int(r["count"])
            if offsets:
                off = self.spark.createDataFrame(offsets, "_part string, _offset long")
                df = df.join(F.broadcast(off), "_part")
            else:
                df = df.withColumn("_offset", F.lit(0).cast("long"))
        else:
            df = df.withColumn("_offset", F.lit(0).cast("long"))
        return (df.withColumn("_row", F.col("_offset") + F.col("_index") + 1)
                .drop("_part", "_index", "_offset"))


def empty_frame(spark, name: str, extra: str = ""):
    """An empty Spark DataFrame with the columns of table ``name`` in the engine's types (and
    the ``extra`` DDL columns)."""
    ddl = ", ".join([f"`{c.name}` {SPARK_TYPES[c.kind]}" for c in TABLES[name].columns]
                    + ([extra] if extra else []))
    return spark.createDataFrame([], ddl)


def to_pandas(sdf, ids=(), times=(), ints=(), floats=(), bools=()) -> pd.DataFrame:
    """A (small) Spark result as pandas, in the embedded store's dtypes.

    ``ids`` become ``string[pyarrow]``, ``times`` (int64 nanoseconds)
    ``datetime64[ns]``, ``ints`` int64, ``floats`` float64 (NaN for null),
    ``bools`` bool. A missing time is ``NaT``: it travels as the int64 that ``NaT`` is, so
    that no column of times comes through pandas as float (which rounds nanoseconds).
    """
    from pyspark.sql import functions as F

    if times:
        nat = F.lit(int(np.iinfo(np.int64).min))
        sdf = sdf.select(*[F.coalesce(F.col(f"`{c}`"), nat).alias(c) if c in times
                           else F.col(f"`{c}`") for c in sdf.columns])
    spark = sdf.sparkSession
    previous = spark.conf.get("spark.sql.execution.arrow.pyspark.enabled", "false")
    spark.conf.set("spark.sql.execution.arrow.pyspark.enabled", "true")
    try:
        with warnings.catch_warnings():  # PySpark 3.5 passes pandas 3 a deprecated copy=False
            warnings.filterwarnings("ignore", message="The copy keyword is deprecated")
            warnings.filterwarnings("ignore", message="distutils Version classes")
            df = sdf.toPandas()
    finally:
        spark.conf.set("spark.sql.execution.arrow.pyspark.enabled", previous)
    for c in ids:
        df[c] = df[c].astype("string[pyarrow]")
    for c in times:
        df[c] = pd.to_datetime(df[c].to_numpy("int64"), unit="ns")
    for c in ints:
        df[c] = df[c].to_numpy("int64")
    for c in floats:
        df[c] = pd.to_numeric(df[c]).to_numpy("float64", na_value=np.nan)
    for c in bools:
        df[c] = df[c].astype(bool)
    return df
