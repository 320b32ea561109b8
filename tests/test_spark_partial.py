"""The Spark engine on partial logs against the in-memory store: the same derived tables, the
same inferred referrals and accounting, the same coverage and the same problems (PySpark in
local mode, no mocks)."""

from __future__ import annotations

import shutil

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import graphmodel
from graphmodel.engines.memory.store import MemoryStore
from graphmodel.errors import LogError, UserError
from graphmodel.eventlog import validate_log

pytest.importorskip("pyspark")

from graphmodel.engines.spark import SparkEngine, spark_session  # noqa: E402
from graphmodel.engines.spark.log import SparkLog  # noqa: E402
from graphmodel.engines.spark.validate import validate as spark_validate  # noqa: E402

DERIVED = ["users", "streams", "streamers", "products", "advertisers"]


@pytest.fixture(scope="session")
def spark():
    """One local SparkSession for the whole run (the settings of tests/test_spark.py)."""
    return spark_session("local[2]", {"spark.sql.shuffle.partitions": "4",
                                      "spark.ui.enabled": "false",
                                      "spark.driver.memory": "1g"})


@pytest.fixture(scope="module")
def logs(tmp_path_factory):
    """A generated 300-user day as Parquet, and partial copies of it: ``social`` (events
    without via_share, and follows) and ``events`` (events alone, via_share kept)."""
    root = tmp_path_factory.mktemp("partial")
    log = graphmodel.generate(graphmodel.GeneratorConfig(users=300, days=1, seed=23))
    full = graphmodel.write_log(log, root / "full", fmt="parquet")
    events = pq.read_table(full / "events.parquet")
    social = root / "social"
    social.mkdir()
    pq.write_table(events.drop(["via_share"]), social / "events.parquet")
    shutil.copy(full / "follows.parquet", social)
    alone = root / "events"
    alone.mkdir()
    shutil.copy(full / "events.parquet", alone)
    return {"full": full, "social": social, "events": alone}


def _same(engine, store, tables=DERIVED):
    for name in tables:
        pd.testing.assert_frame_equal(engine.table(name), store.table(name), obj=name)
    pd.testing.assert_frame_equal(engine.referrals(), store.referrals())
    assert engine.coverage == store.coverage


def test_partial_log_by_the_social_graph(spark, logs):
    """Derived tables, referrals inferred by the social graph (auto), the platform's value
    and the coverage: as the memory store has them; the partial log validates."""
    store = MemoryStore.open(logs["social"])
    with SparkEngine(logs["social"], spark=spark) as engine:
        _same(engine, store)
        assert engine.coverage.referrals == "social" and engine.coverage.inferred > 0
        assert set(engine.referrals()["how"]) == {"social"}
        assert engine.coverage.derived == tuple(DERIVED_ORDER)
        got = graphmodel.value(engine, by="platform")
        want = graphmodel.value(store, by="platform")
        pd.testing.assert_frame_equal(got, want, rtol=1e-9, atol=1e-9)
        assert got.attrs["meta"]["log"] == want.attrs["meta"]["log"]


DERIVED_ORDER = ["users", "streamers", "advertisers", "streams", "products"]


@pytest.mark.parametrize("rule, window_s", [("time", 3600.0), ("social", 600.0)])
def test_inferred_referrals_by_rule_and_window(spark, logs, rule, window_s):
    store = MemoryStore.open(logs["social"], rule, window_s)
    with SparkEngine(logs["social"], spark=spark, trust_validated=True, referrals=rule,
                     window_s=window_s) as engine:
        pd.testing.assert_frame_equal(engine.referrals(), store.referrals())
        assert engine.coverage == store.coverage
        assert engine.coverage.window_s == window_s


def test_events_alone(spark, logs):
    """Only events: every table derived or empty, the recorded referrals kept."""
    store = MemoryStore.open(logs["events"])
    with SparkEngine(logs["events"], spark=spark, trust_validated=True) as engine:
        _same(engine, store, DERIVED + ["follows", "tasks", "ad_spend"])
        assert engine.coverage.referrals == "recorded"
        assert set(engine.referrals()["how"]) == {"recorded"}
        with pytest.raises(UserError, match="the log has no follows"):
            SparkEngine(logs["events"], spark=spark, trust_validated=True,
                        referrals="social").frame("events")
    with pytest.raises(UserError, match="--referrals must be one of"):
        SparkEngine(logs["events"], spark=spark, referrals="guess")


def test_bad_partial_log(spark, logs, tmp_path):
    """Streams given (with an event naming an unknown one) and task completions without
    tasks: the problems of the embedded reader, the first one first."""
    full, bad = logs["full"], tmp_path / "bad"
    bad.mkdir()
    events = pq.read_table(full / "events.parquet")
    streams = events.column("stream_id").to_pylist()
    streams[4] = "nowhere"
    events = events.set_column(events.schema.get_field_index("stream_id"), "stream_id",
                               pa.array(streams, pa.string()))
    pq.write_table(events, bad / "events.parquet")
    for name in ("streams", "task_completions"):
        shutil.copy(full / f"{name}.parquet", bad)
    want = [str(p) for p in validate_log(bad)]
    got = [str(p) for p in spark_validate(SparkLog.open(spark, bad))]
    assert want[0] == "events.parquet row 5, column stream_id: unknown stream_id 'nowhere' " \
                      "(no such stream_id in streams)"
    assert any("but the log has no tasks table: give tasks.parquet" in p for p in want)
    assert got == want


def test_table_given_without_its_ids(spark, logs, tmp_path):
    folder = tmp_path / "hosts"
    folder.mkdir()
    for name in ("events", "streamers"):
        shutil.copy(logs["full"] / f"{name}.parquet", folder)
    want = [str(p) for p in validate_log(folder)]
    with pytest.raises(LogError) as caught:
        SparkLog.open(spark, folder)
    assert [str(p) for p in caught.value.problems] == want[:1]
    assert want[0].startswith("streamers.parquet: given without a streams table")
