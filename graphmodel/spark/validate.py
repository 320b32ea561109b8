"""Validation of a Parquet event log on Spark: the checks whose cost is in the joins.

The embedded validator (:mod:`graphmodel.eventlog.validate`) holds every
table in memory; at full scale the big tables (``events``, ``follows``,
``task_completions``) outgrow one machine. This module runs, as Spark joins
and group-bys, the checks that relate rows to other rows, with the embedded
validator's messages (one :class:`~graphmodel.errors.Problem` per problem,
naming the file, the 1-based row and the column; rows of a folder of parts
are numbered across the parts in name order):

1. a required column missing from a file; a missing value in a required column;
2. duplicate ids (every ``unique`` column) and duplicate ``follows`` rows;
3. unknown foreign keys (every ``ref`` column); ``followee_id`` a user or a
   streamer but not both, a friend tie between two users, nobody following
   themselves;
4. a stream that ends before it starts; an event outside its stream's
   window, a watch running past the stream's end;
5. ``via_share``: only on watches; it names a share (not another event,
   not nothing) of the same stream, made at or before the watch, by
   somebody else; a sharer watched the stream at or before sharing.

Like the embedded validator, a cell reported once is not reported again by
a later check (an event with an unknown stream is not also "outside its
stream's window"), and each check lists at most
:data:`~graphmodel.eventlog.validate.PER_CHECK` rows but counts them all.
Not checked here: per-cell types and ranges (Parquet columns are typed;
``graphmodel validate`` without ``--engine`` checks them) and referral
cycles (the referral paths stop with an error on one).
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from graphmodel.errors import Problem
from graphmodel.eventlog.columns import show
from graphmodel.eventlog.validate import PER_CHECK, Collector, ProblemList
from graphmodel.schema import TABLE_NAMES, TABLES

__all__ = ["validate"]


def _iso(ns: int) -> str:
    return pd.Timestamp(int(ns)).isoformat()


def _num(x: float) -> str:
    return repr(float(x))


class _Checks:
    def __init__(self, log):
        from pyspark.sql import functions as F

        self.F = F
        self.log = log
        self.out = Collector()
        self.present = {n: log.columns(n) for n in TABLE_NAMES}
        self.rows = {n: log.located(n).persist() for n in TABLE_NAMES}
        self.bad_at = None  # events whose ``at`` was reported (outside the stream's window)

    def report(self, name: str, df, column: str | None, message: Callable) -> None:
        """Each row of ``df`` (rows of table ``name``, with ``_row``) is one problem."""
        df = df.persist()
        total = df.count()
        if total:
            file = self.log.files[name]
            kept = df.orderBy("_row").limit(PER_CHECK).collect()
            for r in kept:
                self.out.add(Problem(file, int(r["_row"]), column, message(r), "row"))
            self.out.total += total - len(kept)
        df.unpersist()

    def has(self, name: str, *columns: str) -> bool:
        return all(c in self.present[name] for c in columns)

    def keys(self, name: str, column: str):
        """The distinct non-null values of a key column."""
        F = self.F
        return self.rows[name].select(F.col(column).alias("_key")).where("_key IS NOT NULL") \
            .distinct()

    # 1 ---------------------------------------------------------------------------
    def required(self) -> None:
        F = self.F
        for name in TABLE_NAMES:
            columns = []
            for c in TABLES[name].columns:
                if not c.required:
                    continue
                if c.name not in self.present[name]:
                    self.out.file(self.log.files[name], "required column missing", c.name)
                else:
                    columns.append(c.name)
            if not columns:
                continue
            # one job per table finds the columns with missing values; only those are listed
            counts = self.rows[name].agg(*(F.sum(F.col(c).isNull().cast("long")).alias(c)
                                           for c in columns)).first()
            for c in columns:
                if counts[c]:
                    self.report(name, self.rows[name].where(F.col(c).isNull()), c,
                                lambda r: "missing value (required)")

    # 2 ---------------------------------------------------------------------------
    def duplicates(self) -> None:
        F = self.F
        for name in TABLE_NAMES:
            for c in TABLES[name].columns:
                if not c.unique or c.name not in self.present[name]:
                    continue
                rows = self.rows[name].where(F.col(c.name).isNotNull())
                first = rows.groupBy(c.name).agg(F.min("_row").alias("_first"))
                dup = rows.join(first, c.name).where(F.col("_row") != F.col("_first"))
                self.report(name, dup, c.name,
                            lambda r, c=c: f"duplicate {c.name} {show(r[c.name])} "
                                           f"(first on row {r['_first']})")
        if self.has("follows", "follower_id", "followee_id", "kind"):
            key = ["follower_id", "followee_id", "kind"]
            rows = self.rows["follows"].where(" AND ".join(f"{k} IS NOT NULL" for k in key)) \
                .where(F.col("follower_id") != F.col("followee_id"))
            first = rows.groupBy(*key).agg(F.min("_row").alias("_first"))
            dup = rows.join(first, key).where(F.col("_row") != F.col("_first"))
            self.report("follows", dup, None,
                        lambda r: "duplicate follows row: same follower_id, followee_id and "
                                  f"kind as row {r['_first']}")

    # 3 ---------------------------------------------------------------------------
    def foreign_keys(self) -> None:
        F = self.F
        for name in TABLE_NAMES:
            for c in TABLES[name].columns:
                if c.ref is None or (name, c.name) == ("events", "via_share"):
                    continue
                if c.name not in self.present[name]:
                    continue
                tt, tc = c.ref
                if tc not in self.present[tt]:
                    continue
                rows = self.rows[name].where(F.col(c.name).isNotNull())
                unknown = rows.join(self.keys(tt, tc).withColumnRenamed("_key", c.name), c.name,
                                    "left_anti")
                self.report(name, unknown, c.name,
                            lambda r, c=c, tt=tt, tc=tc: f"unknown {c.name} {show(r[c.name])} "
                                                         f"(no such {tc} in {tt})")
        if not (self.has("follows", "follower_id", "followee_id", "kind")
                and "user_id" in self.present["users"]
                and "streamer_id" in self.present["streamers"]):
            return
        fee = F.col("followee_id")
        rows = (self.rows["follows"].where(fee.isNotNull())
                .join(self.keys("users", "user_id").withColumn("_u", F.lit(True))
                      .withColumnRenamed("_key", "followee_id"), "followee_id", "left")
                .join(self.keys("streamers", "streamer_id").withColumn("_h", F.lit(True))
                      .withColumnRenamed("_key", "followee_id"), "followee_id", "left")
                .persist())
        u, h = F.col("_u").isNotNull(), F.col("_h").isNotNull()
        self.report("follows", rows.where(~u & ~h), "followee_id",
                    lambda r: f"unknown followee_id {show(r['followee_id'])} (neither a user_id "
                              "in users nor a streamer_id in streamers)")
        self.report("follows", rows.where(u & h), "followee_id",
                    lambda r: f"followee_id {show(r['followee_id'])} is both a user_id and a "
                              "streamer_id: give users and streamers distinct ids")
        self.report("follows", rows.where(~u & h & (F.col("kind") == "friend")), "followee_id",
                    lambda r: f"a friend tie joins two users, but {show(r['followee_id'])} "
                              "is a streamer")
        self.report("follows", rows.where((u | h) & (F.col("follower_id") == fee)),
                    "followee_id", lambda r: f"{show(r['follower_id'])} follows themselves")
        rows.unpersist()

    # 4 ---------------------------------------------------------------------------
    def streams(self):
        """Streams ending before they start are reported; returns the streams with a valid window."""
        F = self.F
        s = self.rows["streams"]
        if not self.has("streams", "stream_id", "started_at", "ended_at"):
            return None
        wrong = s.where(F.col("ended_at") < F.col("started_at"))
        self.report("streams", wrong, "ended_at",
                    lambda r: f"stream ends before it starts (ended_at {_iso(r['ended_at'])} is "
                              f"before started_at {_iso(r['started_at'])})")
        ok = s.where(F.col("stream_id").isNotNull() & (F.col("ended_at") >= F.col("started_at")))
        first = ok.groupBy("stream_id").agg(F.min("_row").alias("_first"))
        return (ok.join(first, "stream_id").where(F.col("_row") == F.col("_first"))
                .select("stream_id", F.col("started_at").alias("_s0"),
                        F.col("ended_at").alias("_s1")))

    def windows(self, windows) -> None:
        F = self.F
        if windows is None or not self.has("events", "stream_id", "at"):
            return
        ev = self.rows["events"].where(F.col("at").isNotNull()).join(windows, "stream_id")
        at = F.col("at")
        outside = (at < F.col("_s0")) | (at > F.col("_s1"))
        self.bad_at = ev.where(outside).select("_row", F.lit(True).alias("_bad_at")).persist()
        self.report("events", ev.where(outside), "at",
                    lambda r: f"event at {_iso(r['at'])} is outside its stream "
                              f"{show(r['stream_id'])} ({_iso(r['_s0'])} to {_iso(r['_s1'])})")
        if not self.has("events", "seconds", "type"):
            return
        remaining = (F.col("_s1") - at) / F.lit(1e9)
        past = (~outside & (F.col("type") == "watch") & F.col("seconds").isNotNull()
                & (F.col("seconds") >= 0) & (F.col("seconds") - remaining > 1e-6))
        self.report("events", ev.where(past), "seconds",
                    lambda r: f"watch runs past the end of stream {show(r['stream_id'])}: at "
                              f"{_iso(r['at'])} + {_num(r['seconds'])} s is after ended_at "
                              f"{_iso(r['_s1'])}")

    # 5 ---------------------------------------------------------------------------
    def referrals(self) -> None:
        F = self.F
        if not self.has("events", "event_id", "user_id", "stream_id", "type", "at"):
            return
        ev = self.rows["events"]
        if self.bad_at is not None:  # a time reported once is not used again
            ev = ev.join(self.bad_at, "_row", "left").withColumn(
                "at", F.when(F.col("_bad_at").isNull(), F.col("at"))).drop("_bad_at")
        if "via_share" in self.present["events"]:
            via = ev.where(F.col("via_share").isNotNull())
            self.report("events", via.where(F.col("type").isNotNull()
                                            & (F.col("type") != "watch")), "via_share",
                        lambda r: "via_share is only allowed on watch events (this is a "
                                  f"{r['type']} event)")
            watches = via.where(F.col("type") == "watch")
            first = ev.where(F.col("event_id").isNotNull()).groupBy("event_id").agg(
                F.min("_row").alias("_r"))
            target = (ev.join(first, "event_id").where(F.col("_row") == F.col("_r"))
                      .select(F.col("event_id").alias("via_share"),
                              F.col("type").alias("_type"), F.col("user_id").alias("_user"),
                              F.col("stream_id").alias("_stream"), F.col("at").alias("_at")))
            w = watches.join(target, "via_share", "left").persist()
            self.report("events", w.where(F.col("_type").isNull()), "via_share",
                        lambda r: f"unknown via_share {show(r['via_share'])} "
                                  "(no such event_id in events)")
            self.report("events", w.where(F.col("_type") != "share"), "via_share",
                        lambda r: f"via_share {show(r['via_share'])} is a {r['_type']} event, "
                                  "not a share")
            share = w.where(F.col("_type") == "share")
            other = F.col("_stream") != F.col("stream_id")
            self.report("events", share.where(other), "via_share",
                        lambda r: f"via_share {show(r['via_share'])} is a share in stream "
                                  f"{show(r['_stream'])}, not in this event's stream "
                                  f"{show(r['stream_id'])}")
            same = share.where(~other)
            late = F.col("at").isNotNull() & F.col("_at").isNotNull() & (F.col("_at") > F.col("at"))
            self.report("events", same.where(late), "via_share",
                        lambda r: f"via_share {show(r['via_share'])} was shared at "
                                  f"{_iso(r['_at'])}, after this watch at {_iso(r['at'])}")
            self.report("events", same.where(~late & (F.col("_user") == F.col("user_id"))),
                        "via_share",
                        lambda r: f"self-referral: via_share {show(r['via_share'])} is a share "
                                  f"by the same user {show(r['user_id'])}")
            w.unpersist()
        known = ev.where(F.col("at").isNotNull())
        for name, col in (("users", "user_id"), ("streams", "stream_id")):
            if col in self.present[name]:
                known = known.join(self.keys(name, col).withColumnRenamed("_key", col), col,
                                   "left_semi")
        watched = (known.where(F.col("type") == "watch").groupBy("user_id", "stream_id")
                   .agg(F.min("at").alias("_first")))
        shares = known.where(F.col("type") == "share").join(watched, ["user_id", "stream_id"],
                                                            "left")
        never = F.col("_first").isNull() | (F.col("_first") > F.col("at"))
        self.report("events", shares.where(never), "at",
                    lambda r: f"share by {show(r['user_id'])} at {_iso(r['at'])}, but that user "
                              f"has no watch event in stream {show(r['stream_id'])} at or "
                              "before it")

    def close(self) -> None:
        for df in [*self.rows.values(), self.bad_at]:
            if df is not None:
                df.unpersist()


def validate(log) -> ProblemList:
    """Every problem the Spark checks find in a :class:`graphmodel.spark.log.SparkLog`.

    Returns
    -------
    ProblemList
        Sorted by file, row and column as the embedded validator sorts them;
        ``total`` counts also the rows beyond each check's cap.
        ``.raise_if_any()`` raises the :class:`~graphmodel.errors.LogError`.
    """
    checks = _Checks(log)
    try:
        checks.required()
        checks.duplicates()
        checks.foreign_keys()
        checks.windows(checks.streams())
        checks.referrals()
    finally:
        checks.close()
    return checks.out.result()
