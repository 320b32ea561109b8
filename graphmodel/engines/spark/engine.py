"""The Spark engine: the analyses whose cost grows with the log, on a Parquet log folder.

:class:`SparkEngine` answers the store methods those analyses need
(``referrals``, ``referral_paths``, ``value_pairs``, ``cascade_table``) and
the results of ``graphmodel value --by user|platform``, ``graphmodel spread
--by cascade|dataset`` and ``graphmodel validate``, computed by Spark from
the Parquet files. Small results come back as pandas DataFrames with the
same columns, dtypes, order and metadata as the in-memory store's; the
per-user table at full scale is written as Parquet by the executors
(:meth:`SparkEngine.write_value_users`), never collected on the driver.

Examples
--------
>>> from graphmodel.engines.spark import SparkEngine          # doctest: +SKIP
>>> with SparkEngine("platform/", master="local[*]") as engine:
...     engine.value("platform")                      # one row, as pandas
...     engine.write_value_users("users.parquet")    # every user, written by Spark
"""

from __future__ import annotations

import os
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from graphmodel.engines.spark import cascades as sc
from graphmodel.engines.spark import value as sv
from graphmodel.engines.spark.log import SparkLog, to_pandas
from graphmodel.engines.spark.referrals import referral_paths, referrals
from graphmodel.engines.spark.session import DEFAULT_MASTER, spark_session
from graphmodel.output import store_meta, with_meta
from graphmodel.params import Params

__all__ = ["SparkEngine", "SPARK_VALUE_VIEWS", "SPARK_SPREAD_VIEWS"]

SPARK_VALUE_VIEWS = ("user", "platform")
SPARK_SPREAD_VIEWS = ("cascade", "dataset")


def _params(params) -> Params:
    return params if isinstance(params, Params) else Params(params or {})


class SparkEngine:
    """A Parquet event-log folder analysed by Spark.

    Parameters
    ----------
    source : path
        The log folder: one ``<table>.parquet`` file or ``<table>/`` folder of
        Parquet parts per table.
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
    """

    kind = "spark"

    def __init__(self, source: str | os.PathLike, master: str = DEFAULT_MASTER,
                 conf: dict[str, str] | None = None, spark=None,
                 trust_validated: bool = False):
        self.master = master
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

    def table(self, name: str):
        """Table ``name`` as a Spark DataFrame (times as int64 nanoseconds).

        The first call validates the log (unless the engine trusts it) and raises
        :class:`~graphmodel.errors.LogError` listing every problem: nothing is
        computed from a log that is not valid.
        """
        self.ensure_valid()
        return self.log.table(name)

    def ensure_valid(self) -> None:
        """Validate the log once (:meth:`validate`) and raise its problems, unless the engine
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
        return self._keep(referrals(self.table("events")))

    @cached_property
    def path_frame(self):
        """Every referred arrival with each ancestor (iterative joins), persisted."""
        return self._keep(referral_paths(self.referral_frame))

    @cached_property
    def pair_frame(self):
        """The per-(user, stream) counts, persisted."""
        return self._keep(sv.pairs(self.table("events"), self.table("streams"),
                                   self.table("ad_spend"), self.referral_frame))

    def referrals(self) -> pd.DataFrame:
        """The edges collected, as :func:`graphmodel.model.referrals.derive_referrals`."""
        from graphmodel.model.referrals import REFERRAL_COLUMNS

        df = to_pandas(self.referral_frame, ids=("referrer_id", "user_id", "stream_id",
                                                 "share_id", "channel"), times=("at",))
        df = df[REFERRAL_COLUMNS].sort_values(["stream_id", "at", "user_id"], kind="mergesort")
        return df.reset_index(drop=True)

    def referral_paths(self) -> pd.DataFrame:
        """The paths collected (:data:`graphmodel.engines.memory.paths.PATH_COLUMNS`)."""
        return sv.path_table(self.path_frame)

    def value_pairs(self) -> pd.DataFrame:
        """The pair table collected (:data:`graphmodel.engines.memory.pairs.PAIR_COLUMNS`)."""
        return sv.pair_table(self.pair_frame)

    def cascade_frame(self):
        """Per-cascade metrics as a Spark DataFrame."""
        return sc.cascade_frame(self.table("events"), self.referral_frame, self.path_frame)

    def cascade_table(self) -> pd.DataFrame:
        """Per-cascade metrics collected, as the in-memory store's ``cascade_table``."""
        return sc.cascade_table(self.table("events"), self.referral_frame, self.path_frame)

    # -- results ---------------------------------------------------------------------
    def user_frame(self, params=None):
        """The per-user table as a Spark DataFrame (:func:`graphmodel.engines.spark.value.user_frame`)."""
        p = _params(params)
        return sv.user_frame(self.table("users"), self.pair_frame, self.path_frame,
                             self.table("task_completions"), p)

    def value(self, by: str = "platform", params=None, top: int | None = None) -> pd.DataFrame:
        """``graphmodel value --by user|platform`` computed by Spark, as pandas with its meta.

        ``top`` keeps the N users producing the most value (ranked by Spark).
        """
        from graphmodel.errors import UserError

        p = _params(params)
        users = self.user_frame(p)
        if by == "user":
            if top is not None:
                from pyspark.sql import functions as F

                ranked = users.orderBy(F.col("value_produced").desc(), "user_id").limit(top)
                df = sv.user_table(ranked)
                df = df.sort_values(["value_produced", "user_id"], ascending=[False, True],
                                    ignore_index=True)
            else:
                df = sv.user_table(users)
        elif by == "platform":
            users = self._keep(users)
            df = sv.platform_table(sv.platform_frame(users, self.pair_frame,
                                                     self.table("ad_spend"), p))
        else:
            raise UserError(f"--engine spark computes value --by "
                            f"{' or '.join(SPARK_VALUE_VIEWS)}, not {by!r}")
        return with_meta(df, self._meta("value", dict(p), by=by, top=top))

    def write_value_users(self, out: str | os.PathLike, params=None) -> Path:
        """Write the per-user table as one Parquet file, rows written by the executors.

        Spark writes the sorted table as parts into a temporary folder beside
        ``out``; the parts are then streamed, row group by row group, into one
        file with the result's metadata (the ``graphmodel`` schema key, as
        :func:`graphmodel.output.write_result` writes it). The driver never
        holds more than one row group.
        """
        p = _params(params)
        meta = self._meta("value", dict(p), by="user", top=None)
        return _write_parts(self.user_frame(p).orderBy("user_id"), out, meta)

    def spread(self, by: str = "cascade", top: int | None = None) -> pd.DataFrame:
        """``graphmodel spread --by cascade|dataset`` computed by Spark, as pandas."""
        from graphmodel.analysis.cascades import dataset_summary
        from graphmodel.errors import UserError

        if by not in SPARK_SPREAD_VIEWS:
            raise UserError(f"--engine spark computes spread --by "
                            f"{' or '.join(SPARK_SPREAD_VIEWS)}, not {by!r}")
        df = with_meta(self.cascade_table(), self._meta("spread", None, by="cascade"))
        if by == "dataset":
            df = dataset_summary(df)
        if top is not None:
            df = with_meta(df.head(top).reset_index(drop=True),
                           {**df.attrs.get("meta", {}), "top": top})
        return df

    def validate(self):
        """Every problem of the log the Spark validator checks (:mod:`graphmodel.engines.spark.validate`)."""
        from graphmodel.engines.spark.validate import validate

        problems = validate(self.log)
        if not problems.total:
            self._valid = True
        return problems

    def _meta(self, command: str, params, **extra) -> dict[str, Any]:
        meta = store_meta(self, command, params, **extra)
        meta["engine"] = {"name": "spark", "master": self.master,
                          "spark": self.spark.version}
        return meta

    def close(self) -> None:
        """Release what the engine persisted (the session stays: it may be shared)."""
        for df in self._persisted:
            df.unpersist()
        self._persisted.clear()

    def __enter__(self) -> SparkEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _write_parts(sdf, out: str | os.PathLike, meta: dict) -> Path:
    """Spark writes ``sdf`` as parts; they are joined into one Parquet file ``out`` with ``meta``."""
    import json
    import shutil
    import tempfile

    import pyarrow.parquet as pq

    from graphmodel.output import to_jsonable

    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", dir=path.parent))
    try:
        parts_dir = tmp / "parts"
        sdf.write.parquet(str(parts_dir))
        parts = sorted(parts_dir.glob("part-*.parquet"))
        target = tmp / "out.parquet"
        md = {b"graphmodel": json.dumps(to_jsonable(meta)).encode()}
        writer = None
        try:
            for part in parts:
                f = pq.ParquetFile(part)
                if writer is None:
                    schema = f.schema_arrow
                    schema = schema.with_metadata({**(schema.metadata or {}), **md})
                    writer = pq.ParquetWriter(target, schema)
                for g in range(f.num_row_groups):
                    writer.write_table(f.read_row_group(g).replace_schema_metadata(
                        writer.schema.metadata))
        finally:
            if writer is not None:
                writer.close()
        os.replace(target, path)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return path
