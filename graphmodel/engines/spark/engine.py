"""The Spark engine: the engine protocol ([`graphmodel.engines.base.Store`][graphmodel.engines.base.Store]) on a
Parquet log folder, for logs beyond one machine.

`SparkEngine` computes the protocol's aggregates with Spark where the
data lives (``referrals``, ``referral_paths``, ``value_pairs``,
``cascade_table``, ``stats``, one user's events) and the per-user sums the
accounting is linear in; every analysis then runs on it unchanged, through
the same code as on the other engines. Small results come back as pandas
DataFrames with the same columns, dtypes, order and metadata as the
in-memory store's; the per-user table at full scale is written as Parquet by
the executors (`SparkEngine.write_value_users`), never collected on
the driver.

Examples
--------
>>> import graphmodel                                 # doctest: +SKIP
>>> from graphmodel.engines.spark import SparkEngine
>>> with SparkEngine("platform/", master="local[*]") as engine:
...     graphmodel.value(engine, by="platform")       # one row, as pandas
...     engine.write_value_users("users.parquet")    # every user, written by Spark
"""

from __future__ import annotations

import os
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from graphmodel.engines.base import Store
from graphmodel.engines.spark import cascades as sc
from graphmodel.engines.spark import value as sv
from graphmodel.engines.spark.log import SparkLog, to_pandas
from graphmodel.engines.spark.referrals import referral_paths, referrals
from graphmodel.engines.spark.session import DEFAULT_MASTER, spark_session
from graphmodel.eventlog.coverage import Coverage
from graphmodel.model.inference import DEFAULT_WINDOW_S, choose_rule
from graphmodel.output import store_meta
from graphmodel.params import Params

__all__ = ["SparkEngine"]


class SparkEngine(Store):
    """A Parquet event-log folder analysed by Spark.

    Parameters
    ----------
    source : path
        The log folder: one ``<table>.parquet`` file or ``<table>/`` folder of
        Parquet parts per table. Only ``events`` is required: the tables the embedded
        reader derives are derived (`graphmodel.engines.spark.derive`), the
        others are empty (`coverage` says which).
    master : str
        Spark master (``local[*]``, ``spark://host:7077``, ``yarn``, ...).
    conf : mapping, optional
        Extra Spark settings.
    spark : SparkSession, optional
        Use this session instead of making one (tests share one).
    trust_validated : bool
        The log is known to be valid (``graphmodel validate`` passed on it):
        skip the validation every analysis otherwise runs first. On a log that
        is not valid the results are undefined (a referral cycle still stops
        the paths with an error).
    referrals : {"auto", "recorded", "social", "time"}
        How the ``REFERRED`` edges are made ([`graphmodel.model.inference.infer_log`][graphmodel.model.inference.infer_log]):
        ``auto`` takes the recorded ``via_share`` when some watch names its share, else
        infers them by the social graph when the log has one. An inferred rule runs the
        model's own [`infer_via_share`][graphmodel.model.inference.infer_via_share] stream by stream on
        the executors (`graphmodel.engines.spark.inference`), after the log is
        validated as given.
    window_s : float
        The inference window, seconds.
    """

    kind = "spark"

    def __init__(self, source: str | os.PathLike, master: str = DEFAULT_MASTER,
                 conf: dict[str, str] | None = None, spark=None,
                 trust_validated: bool = False, referrals: str = "auto",
                 window_s: float = DEFAULT_WINDOW_S):
        choose_rule(referrals, recorded=True, shares=True, follows=True)  # a known rule
        if not (float(window_s) >= 0):
            raise ValueError(f"window_s must be >= 0, got {window_s!r}")
        self.master = master
        self.asked = referrals
        self.window_s = float(window_s)
        self.spark = spark if spark is not None else spark_session(master, conf)
        self.log = SparkLog.open(self.spark, source)
        self._persisted: list = []
        self._valid = bool(trust_validated)

    # -- the store-like surface ----------------------------------------------------------
    @property
    def source(self) -> str:
        return self.log.source

    @property
    def meta(self) -> dict[str, Any]:
        return dict(self.log.meta)

    def frame(self, name: str):
        """Table ``name`` as a Spark DataFrame (times as int64 nanoseconds).

        The first call validates the log (unless the engine trusts it) and raises
        [`LogError`][graphmodel.errors.LogError] listing every problem: nothing is
        computed from a log that is not valid.
        """
        self.ensure_valid()
        if name == "events":
            return self._events
        return self.log.table(name)

    @cached_property
    def _rule(self) -> tuple[str, bool]:
        """The referral rule (`choose_rule`) and whether
        the log has shares, decided on the validated log."""
        from graphmodel.engines.spark.inference import decide

        self.ensure_valid()
        return decide(self.log.table("events"), self.log.table("follows"), self.asked)

    @cached_property
    def _inferred(self):
        """``event_id, via_share`` of the arrivals credited by the inferred rule (persisted),
        or ``None`` for recorded referrals."""
        from graphmodel.engines.spark.inference import inferred_shares

        rule, _ = self._rule
        if rule not in ("social", "time"):
            return None
        return self._keep(inferred_shares(self.log.table("events"), self.log.table("follows"),
                                          rule, self.window_s))

    @cached_property
    def _events(self):
        """The events every analysis reads: as given, or with the inferred ``via_share``."""
        from graphmodel.engines.spark.inference import with_inferred

        if self._inferred is None:
            return self.log.table("events")
        return self._keep(with_inferred(self.log.table("events"), self._inferred))

    @property
    def coverage(self) -> Coverage:
        """The tables the log lacks (absent, derived) and how its referrals were made, as
        the memory store records them ([`Coverage`][graphmodel.eventlog.coverage.Coverage])."""
        rule, shares = self._rule
        absent, derived = tuple(self.log.absent), tuple(self.log.derived)
        if rule == "recorded" or (rule == "none" and not shares):
            return Coverage(absent, derived)
        if rule == "none":
            return Coverage(absent, derived, "none")
        return Coverage(absent, derived, rule, self.window_s, int(self._inferred.count()))

    @property
    def referral_rule(self) -> str:
        """What the ``how`` of every ``REFERRED`` edge says: ``recorded``, ``social`` or
        ``time``."""
        rule, _ = self._rule
        return rule if rule in ("social", "time") else "recorded"

    def ensure_valid(self) -> None:
        """Validate the log once (`validate`) and raise its problems, unless the engine
        was told to trust it."""
        if not self._valid:
            self.validate().raise_if_any()

    def _keep(self, df):
        df = df.persist()
        self._persisted.append(df)
        return df

    @cached_property
    def referral_frame(self):
        """The ``REFERRED`` edges as a (persisted) Spark DataFrame."""
        return self._keep(referrals(self.frame("events"), self.referral_rule))

    @cached_property
    def path_frame(self):
        """Every referred arrival with each ancestor (iterative joins), persisted."""
        return self._keep(referral_paths(self.referral_frame))

    @cached_property
    def pair_frame(self):
        """The per-(user, stream) counts, persisted."""
        return self._keep(sv.pairs(self.frame("events"), self.frame("streams"),
                                   self.frame("ad_spend"), self.referral_frame))

    def referrals(self) -> pd.DataFrame:
        """The edges collected, as [`graphmodel.model.referrals.derive_referrals`][graphmodel.model.referrals.derive_referrals]."""
        from graphmodel.model.referrals import REFERRAL_COLUMNS

        df = to_pandas(self.referral_frame, ids=("referrer_id", "user_id", "stream_id",
                                                 "share_id", "channel", "how"), times=("at",))
        df = df[REFERRAL_COLUMNS].sort_values(["stream_id", "at", "user_id"], kind="mergesort")
        return df.reset_index(drop=True)

    def referral_paths(self) -> pd.DataFrame:
        """The paths collected (`graphmodel.model.aggregates.PATH_COLUMNS`)."""
        return sv.path_table(self.path_frame)

    def value_pairs(self) -> pd.DataFrame:
        """The pair table collected (`graphmodel.model.aggregates.PAIR_COLUMNS`)."""
        return sv.pair_table(self.pair_frame)

    def cascade_frame(self):
        """Per-cascade metrics as a Spark DataFrame."""
        return sc.cascade_frame(self.frame("events"), self.referral_frame, self.path_frame)

    def cascade_table(self) -> pd.DataFrame:
        """Per-cascade metrics collected, as the in-memory store's ``cascade_table``."""
        return sc.cascade_table(self.frame("events"), self.referral_frame, self.path_frame)

    # -- the protocol: log tables and counts -------------------------------------------
    def table(self, name: str) -> pd.DataFrame:
        """Table ``name`` collected as pandas, in the embedded store's dtypes (for the small
        tables; the analyses never ask for ``events`` whole)."""
        from graphmodel.eventlog.log import conform
        from graphmodel.schema import TABLES

        df = _collect(self.frame(name), TABLES[name])
        if name == "events":
            df = df.sort_values("event_id", kind="mergesort", ignore_index=True)
        return conform(TABLES[name], df)

    def user_events(self, user_id: str) -> pd.DataFrame:
        """One user's events, filtered by Spark, in event-id order."""
        from pyspark.sql import functions as F

        from graphmodel.eventlog.log import conform
        from graphmodel.schema import TABLES

        df = _collect(self.frame("events").filter(F.col("user_id") == user_id),
                      TABLES["events"])
        return conform(TABLES["events"], df).sort_values("event_id", ignore_index=True)

    def count_rows(self, name: str) -> int:
        """Rows of a table, counted by Spark (the ``REFERRED`` edges too)."""
        if name == "referrals":
            return self.referral_frame.count()
        if name == "follow_edges":
            return super().count_rows(name)
        return self.frame(name).count()

    def count_values(self, name: str, column: str) -> pd.Series:
        """Rows per value of ``column``, grouped by Spark."""
        rows = self.frame(name).groupBy(column).count().collect()
        return pd.Series({r[column]: r["count"] for r in rows}, dtype="int64")

    def accounts(self):
        """The accounting of this engine's aggregates: the per-user table and the platform row
        summed by Spark (`graphmodel.engines.spark.accounts.SparkAccounts`)."""
        from graphmodel.engines.spark.accounts import SparkAccounts

        return SparkAccounts(self)

    # -- per-user sums and the results Spark writes -------------------------------------
    @cached_property
    def user_sums_frame(self):
        """Per user, the pair counts summed (`graphmodel.engines.spark.value.user_sums`),
        persisted."""
        return self._keep(sv.user_sums(self.frame("users"), self.pair_frame,
                                       self.frame("task_completions")))

    @cached_property
    def path_sums_frame(self):
        """Referred arrivals' counts per (ancestor, hops, depth), persisted."""
        return self._keep(sv.path_sums(self.path_frame, self.pair_frame))

    def user_frame(self, params=None, flags: bool = False):
        """The per-user table as a Spark DataFrame (`graphmodel.engines.spark.value.user_frame`)."""
        return sv.user_frame(self.user_sums_frame, self.path_sums_frame, Params.of(params), flags)

    def platform_row(self, params=None) -> pd.DataFrame:
        """The platform row (`graphmodel.engines.spark.value.platform_table`)."""
        return sv.platform_table(self.user_sums_frame, self.path_sums_frame, self.pair_frame,
                                 self.frame("ad_spend"), Params.of(params))

    def write_value_users(self, out: str | os.PathLike, params=None) -> Path:
        """Write the per-user table as one Parquet file, rows written by the executors.

        Spark writes the sorted table as parts into a temporary folder beside
        ``out``; the parts are then streamed, row group by row group, into one
        file with the result's metadata (the ``graphmodel`` schema key, as
        [`graphmodel.output.write_result`][graphmodel.output.write_result] writes it). The driver never
        holds more than one row group.
        """
        p = Params.of(params)
        meta = self._meta("value", dict(p), by="user", top=None)
        return _write_parts(self.user_frame(p).orderBy("user_id"), out, meta)

    def validate(self):
        """Every problem of the log the Spark validator checks (`graphmodel.engines.spark.validate`)."""
        from graphmodel.engines.spark.validate import validate

        problems = validate(self.log)
        if not problems.total:
            self._valid = True
        return problems

    @property
    def engine_meta(self) -> dict[str, Any]:
        """The engine every result records in its meta: Spark's master and version."""
        return {"name": "spark", "master": self.master, "spark": self.spark.version}

    def _meta(self, command: str, params, **extra) -> dict[str, Any]:
        return store_meta(self, command, params, **extra)

    def close(self) -> None:
        """Release what the engine persisted (the session stays: it may be shared)."""
        for df in self._persisted:
            df.unpersist()
        self._persisted.clear()
        self.log.release()

    def __enter__(self) -> SparkEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _collect(sdf, table) -> pd.DataFrame:
    """A Spark table collected as pandas, by its schema's column kinds."""
    kinds: dict[str, list[str]] = {}
    for c in table.columns:
        kinds.setdefault(c.kind, []).append(c.name)
    return to_pandas(sdf, ids=[*kinds.get("id", ()), *kinds.get("str", ()),
                               *kinds.get("enum", ())],
                     times=kinds.get("datetime", ()), ints=kinds.get("int", ()),
                     floats=kinds.get("float", ()), bools=kinds.get("bool", ()))


def _write_parts(sdf, out: str | os.PathLike, meta: dict) -> Path:
    """Spark writes ``sdf`` as parts; they are joined into one Parquet file ``out`` with ``meta``."""
    import json
    import shutil
    import tempfile

    import pyarrow.parquet as pq

    from graphmodel.output import to_jsonable
    from graphmodel.safefile import os_error, place, target

    where = target(out)  # a folder or socket is refused before Spark starts
    path = where.path
    beside = where.kind in ("new", "file")  # renamed into place, else streamed into it
    try:
        if beside:
            path.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", dir=path.parent if beside else None))
    except OSError as exc:
        raise os_error(path, exc, "cannot write") from None
    try:
        parts_dir = tmp / "parts"
        sdf.write.parquet(str(parts_dir))
        parts = sorted(parts_dir.glob("part-*.parquet"))
        joined = tmp / "out.parquet"
        md = {b"graphmodel": json.dumps(to_jsonable(meta)).encode()}
        writer = None
        try:
            for part in parts:
                f = pq.ParquetFile(part)
                if writer is None:
                    schema = f.schema_arrow
                    schema = schema.with_metadata({**(schema.metadata or {}), **md})
                    writer = pq.ParquetWriter(joined, schema)
                for g in range(f.num_row_groups):
                    writer.write_table(f.read_row_group(g).replace_schema_metadata(
                        writer.schema.metadata))
        finally:
            if writer is not None:
                writer.close()
        place(joined, where)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return Path(out)
