"""The Spark engine against the in-memory store: the same forest, cascades and accounting,
and the same join errors from the validator (PySpark in local mode, no mocks)."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest
from click.testing import CliRunner

import graphmodel
from graphmodel.analysis.value.api import value as value_of
from graphmodel.engines.memory.store import MemoryStore
from graphmodel.eventlog import EventLog, validate_log
from graphmodel.model.attribution import MODELS

pytest.importorskip("pyspark")

from graphmodel.engines.spark import SparkEngine, spark_session  # noqa: E402
from graphmodel.engines.spark.log import SparkLog  # noqa: E402
from graphmodel.engines.spark.validate import validate as spark_validate  # noqa: E402

TOL = {"rtol": 1e-9, "atol": 1e-9}


@pytest.fixture(scope="session")
def spark():
    """One local SparkSession for the whole run: 2 cores, 4 shuffle partitions, no UI."""
    return spark_session("local[2]", {"spark.sql.shuffle.partitions": "4",
                                      "spark.ui.enabled": "false",
                                      "spark.driver.memory": "1g"})


def _parquet_copy(src, dst):
    graphmodel.write_log(graphmodel.read_log(src), dst, fmt="parquet")
    return dst


@pytest.fixture(scope="module")
def tiny_parquet(tmp_path_factory):
    from conftest import TINY

    return _parquet_copy(TINY, tmp_path_factory.mktemp("spark") / "tiny")


@pytest.fixture(scope="module")
def tiny_pair(spark, tiny_parquet):
    """(Spark engine, memory store) on the tiny platform as Parquet."""
    with SparkEngine(tiny_parquet, spark=spark) as engine:
        yield engine, MemoryStore.open(tiny_parquet)


@pytest.fixture(scope="module")
def generated_pair(spark, tmp_path_factory):
    """(Spark engine, memory store) on a generated 1,000-user, 2-day platform."""
    log = graphmodel.generate(graphmodel.GeneratorConfig(users=1000, days=2, seed=11))
    folder = graphmodel.write_log(log, tmp_path_factory.mktemp("spark") / "gen", fmt="parquet")
    with SparkEngine(folder, spark=spark) as engine:
        yield engine, MemoryStore.open(folder)


# --- the tiny platform, by hand and against the memory store ------------------------------


def test_tiny_referral_forest(tiny_pair):
    engine, store = tiny_pair
    refs = engine.referrals()
    pd.testing.assert_frame_equal(refs, store.referrals())
    assert list(zip(refs["referrer_id"], refs["user_id"])) == [("u1", "u2"), ("u1", "u3"),
                                                                ("u2", "u4")]
    pd.testing.assert_frame_equal(engine.referral_paths(), store.referral_paths())


def test_tiny_cascades(tiny_pair):
    engine, store = tiny_pair
    got = engine.cascade_table()
    pd.testing.assert_frame_equal(got, store.cascade_table(), **TOL)
    s1 = got.iloc[0]
    # s1: u1 -> u2, u3; u2 -> u4. W = 3*1 + 1*3 + 1*3 = 9 (subtrees u2: 2, u3: 1, u4: 1)
    assert (s1["root_id"], s1["size"], s1["depth"], s1["max_breadth"], s1["leaves"]) == (
        "u1", 4, 2, 2, 2)
    assert s1["structural_virality"] == pytest.approx(2 * 10 / (4 * 3))
    assert (s1["t50_s"], s1["t90_s"]) == (120.0, 1200.0)  # u2 at 20:12, u4 at 20:30; t0 20:10


def test_tiny_pairs(tiny_pair):
    engine, store = tiny_pair
    pd.testing.assert_frame_equal(engine.value_pairs(), store.value_pairs(), **TOL)


@pytest.mark.parametrize("model", MODELS)
def test_tiny_users(tiny_pair, model):
    engine, store = tiny_pair
    params = {"attribution": model, "delta": 0.3}
    pd.testing.assert_frame_equal(value_of(engine, by="user", params=params),
                                  value_of(store, by="user", params=params), **TOL)


def test_tiny_platform(tiny_pair):
    engine, store = tiny_pair
    got = value_of(engine, by="platform")
    pd.testing.assert_frame_equal(got, value_of(store, by="platform"), **TOL)
    assert got["user_generated_value"].iloc[0] == pytest.approx(559.09)
    assert got.attrs["meta"]["engine"]["name"] == "spark"


def test_tiny_users_written_by_spark(tiny_pair, tmp_path):
    import pyarrow.parquet as pq

    engine, store = tiny_pair
    out = engine.write_value_users(tmp_path / "users.parquet")
    table = pq.read_table(out)
    meta = json.loads(table.schema.metadata[b"graphmodel"])
    assert meta["by"] == "user" and meta["engine"]["name"] == "spark"
    got = table.to_pandas()
    want = value_of(store, by="user")
    pd.testing.assert_frame_equal(got, want, check_dtype=False, **TOL)


def test_users_written_by_spark_keep_what_is_at_the_path(tiny_pair, tmp_path):
    """The executors' Parquet goes where --out names by the rules of graphmodel.safefile:
    a folder is refused (left as it was), a link is written through (the link stays), a
    file of ours is replaced keeping its mode, and no temporary folder is left."""
    import pyarrow.parquet as pq

    from graphmodel.errors import UserError

    engine, _ = tiny_pair
    folder = tmp_path / "results"
    folder.mkdir()
    (folder / "keep.txt").write_text("mine")
    with pytest.raises(UserError, match="is a folder"):
        engine.write_value_users(folder)
    assert [p.name for p in folder.iterdir()] == ["keep.txt"]
    real = tmp_path / "real.parquet"
    real.write_bytes(b"old")
    real.chmod(0o600)
    link = tmp_path / "link.parquet"
    link.symlink_to(real)
    engine.write_value_users(link)
    assert link.is_symlink() and pq.read_table(real).num_rows == 6
    assert real.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.parquet", "real.parquet",
                                                           "results"]


def test_a_relative_folder_is_read_from_the_current_folder(tiny_parquet, spark, monkeypatch):
    """The session's JVM started elsewhere: a relative folder is still this process's."""
    monkeypatch.chdir(tiny_parquet.parent)
    with SparkEngine(tiny_parquet.name, spark=spark) as engine:
        assert engine.frame("users").count() == 6


def test_cli_engine_spark(tiny_parquet, spark):
    from graphmodel.cli.main import main

    runner = CliRunner()
    # the first run validates the log; the others trust it (each validation costs ~10 s)
    for trust, args in ([], ["value", "--by", "platform"]), \
            (["--trust-validated"], ["value", "--by", "user", "--top", "2"]), \
            (["--trust-validated"], ["spread", "--by", "cascade"]), \
            (["--trust-validated"], ["spread", "--by", "user"]), \
            (["--trust-validated"], ["value", "--by", "actor"]), \
            (["--trust-validated"], ["ledger", "u2"]):
        spark_out = runner.invoke(main, [*args, "--source", str(tiny_parquet), "--format",
                                         "json", "--engine", "spark", "--master", "local[2]",
                                         *trust])
        memory_out = runner.invoke(main, [*args, "--source", str(tiny_parquet), "--format",
                                          "json"])
        assert spark_out.exit_code == 0, spark_out.output
        got, want = json.loads(spark_out.stdout)["rows"], json.loads(memory_out.stdout)["rows"]
        pd.testing.assert_frame_equal(pd.DataFrame(got), pd.DataFrame(want), **TOL)


def test_cli_engine_errors(tiny_parquet, tiny_dir):
    from graphmodel.cli.main import main

    runner = CliRunner()
    r = runner.invoke(main, ["value", "--source", str(tiny_parquet), "--master", "local[2]"])
    assert (r.exit_code, r.stderr) == (
        2, "error: --master, --conf and --trust-validated go with --engine spark\n")
    r = runner.invoke(main, ["stats", "--engine", "spark", "--neo4j", "bolt://localhost:7687"])
    assert (r.exit_code, r.stderr) == (
        2, "error: --engine spark reads a log folder (--source DIR), not --neo4j\n")
    r = runner.invoke(main, ["query", "stats", "--engine", "spark", "--source",
                             str(tiny_parquet), "--trust-validated"])
    assert (r.exit_code, r.stderr) == (2, "error: Cypher queries need a Neo4j store "
                                          "(--neo4j URI)\n")
    r = runner.invoke(main, ["value", "--engine", "spark", "--source", str(tiny_dir)])
    assert r.exit_code == 2 and "the Spark engine reads Parquet" in r.output
    r = runner.invoke(main, ["value", "--engine", "spark", "--conf", "nokey",
                             "--source", str(tiny_parquet)])
    assert r.exit_code == 2 and "expected KEY=VALUE" in r.output
    r = runner.invoke(main, ["value", "--engine", "spark", "--master", "bogus://x",
                             "--source", str(tiny_parquet)])
    assert (r.exit_code, r.stderr) == (2, "error: --master 'bogus://x': not a Spark master "
                                          "(local[*], local[N], spark://HOST:PORT, yarn, "
                                          "k8s://HOST:PORT or mesos://HOST:PORT)\n")
    r = runner.invoke(main, ["value", "--trust-validated", "--source", str(tiny_parquet)])
    assert (r.exit_code, r.stderr) == (
        2, "error: --master, --conf and --trust-validated go with --engine spark\n")
    r = runner.invoke(main, ["validate", "--engine", "spark", "--trust-validated",
                             str(tiny_parquet)])
    assert r.exit_code == 2 and "does not go with graphmodel validate" in r.stderr


def test_a_trusted_log_with_a_referral_cycle_stops_in_a_few_levels(spark, tiny_dir, tmp_path):
    """--trust-validated skips the validator; a cycle still ends the paths in one line."""
    import time

    from graphmodel.errors import LogError

    def cycle(f):
        rows = pd.DataFrame({
            "event_id": ["e21", "e22", "e23", "e24"], "user_id": ["u2", "u2", "u3", "u3"],
            "stream_id": ["s2"] * 4, "type": ["watch", "share", "watch", "share"],
            "at": [pd.Timestamp("2024-03-02T19:45:00")] * 4,
            "seconds": [60.0, None, 60.0, None], "channel": [None, "qq", None, "qq"],
            "via_share": ["e24", None, "e22", None]})
        ev = f["events"]
        f["events"] = pd.concat([ev, rows.astype({c: ev[c].dtype for c in rows})],
                                ignore_index=True)

    folder = _corrupt(tiny_dir, tmp_path / "cycle", cycle)
    start = time.monotonic()
    with (SparkEngine(folder, spark=spark, trust_validated=True) as engine,
          pytest.raises(LogError, match="referral cycle")):
        value_of(engine, by="platform")
    assert time.monotonic() - start < 120  # was 10,000 levels
    with SparkEngine(folder, spark=spark) as engine, pytest.raises(LogError) as e:
        value_of(engine, by="platform")
    assert [str(p) for p in e.value.problems] == [
        f"events.parquet row {r}, column via_share: referral cycle in stream 's2': "
        "u3 -> u2 -> u3 (each user's first watch came through the previous user's share)"
        for r in (21, 23)]


# --- the validator: the same join errors as the embedded one ------------------------------


def _corrupt(tiny_dir, folder, change):
    base = graphmodel.read_log(tiny_dir)
    frames = {k: base[k].copy() for k in base}
    change(frames)
    shutil.rmtree(folder, ignore_errors=True)
    return graphmodel.write_log(EventLog(frames), folder, fmt="parquet")


def _keys_and_references(f):
    f["events"].loc[3, "user_id"] = "u99"  # unknown user
    f["events"].loc[5, "stream_id"] = "s9"  # unknown stream
    f["events"].loc[4, "event_id"] = "e01"  # duplicate id
    f["users"].loc[2, "user_id"] = "u1"  # duplicate id (and u3's rows become unknown)
    f["follows"].loc[2, "followee_id"] = "zz"  # neither a user nor a streamer
    f["task_completions"].loc[0, "task_id"] = "t9"


def _via_share(f):
    ev = f["events"]
    ev.loc[3, "via_share"] = "e01"  # a watch, not a share
    ev.loc[4, "via_share"] = "e16"  # a share in another stream
    ev.loc[7, "via_share"] = "e12"  # shared after the watch
    ev.loc[10, "via_share"] = "e99"  # no such event
    ev.loc[16, "via_share"] = "e03"  # a like with via_share


def _windows(f):
    ev = f["events"]
    ev.loc[0, "at"] = pd.Timestamp("2024-03-01T19:00:00")  # before s1: u1's share loses its watch
    ev.loc[14, "seconds"] = 99999.0  # runs past the end of s2
    ev.loc[15, "at"] = pd.Timestamp("2024-03-02T19:05:00")  # u6 shares before watching


@pytest.mark.parametrize("change", [_keys_and_references, _via_share, _windows],
                         ids=["keys", "via_share", "windows"])
def test_validator_join_errors(spark, tiny_dir, tmp_path, change):
    folder = _corrupt(tiny_dir, tmp_path / "log", change)
    want = [str(p) for p in validate_log(folder)]
    got = [str(p) for p in spark_validate(SparkLog.open(spark, folder))]
    assert want and got == want


def test_validator_valid_log_and_cli(spark, tiny_parquet, tiny_dir, tmp_path):
    from graphmodel.cli.main import main

    runner = CliRunner()
    r = runner.invoke(main, ["validate", "--engine", "spark", str(tiny_parquet)])
    assert r.exit_code == 0 and "valid event log (6 users" in r.output
    folder = _corrupt(tiny_dir, tmp_path / "bad", _via_share)
    r = runner.invoke(main, ["validate", "--engine", "spark", str(folder)])
    assert r.exit_code == 2
    assert ("error: events.parquet row 4, column via_share: via_share 'e01' is a watch event, "
            "not a share") in r.output


# --- a generated platform ---------------------------------------------------------------


@pytest.mark.slow
def test_generated_forest_and_cascades(generated_pair):
    engine, store = generated_pair
    pd.testing.assert_frame_equal(engine.referrals(), store.referrals())
    cascades = engine.cascade_table()
    assert len(cascades) > 50 and cascades["depth"].max() >= 2
    pd.testing.assert_frame_equal(cascades, store.cascade_table(), **TOL)


@pytest.mark.slow
def test_generated_accounting(generated_pair):
    engine, store = generated_pair
    for by in ("user", "platform"):
        pd.testing.assert_frame_equal(value_of(engine, by=by), value_of(store, by=by), **TOL)


@pytest.mark.slow
def test_generated_valid(spark, generated_pair):
    engine, _ = generated_pair
    assert not engine.validate().total


def test_parts_folder(spark, tiny_dir, tmp_path):
    """Events as a folder of parts: the same forest, and rows numbered across the parts."""
    from graphmodel.eventlog.write import write_log_parts

    log = graphmodel.read_log(tiny_dir)
    ev = log["events"].copy()
    ev.loc[15, "user_id"] = "u99"  # row 16: in the second part
    frames = {**{k: log[k] for k in log}, "events": ev}
    chunks = [ev.iloc[:10].reset_index(drop=True), ev.iloc[10:].reset_index(drop=True)]
    bad = write_log_parts(EventLog(frames), {"events": chunks}, tmp_path / "bad")
    want = [str(p) for p in validate_log(bad)]
    assert "events row 16, column user_id: unknown user_id 'u99' (no such user_id in users)" \
        in want
    assert [str(p) for p in spark_validate(SparkLog.open(spark, bad))] == want
    good = write_log_parts(log, {"events": [log["events"].iloc[:7], log["events"].iloc[7:]]},
                           tmp_path / "good")
    with SparkEngine(good, spark=spark) as engine:
        pd.testing.assert_frame_equal(engine.cascade_table(),
                                      MemoryStore.open(good).cascade_table(), **TOL)


@pytest.mark.neo4j
def test_neo4j_connector_writes_users_and_referrals(neo4j_env, tiny_parquet):
    """``graphmodel load --engine spark``: Spark writes the users and the REFERRED edges with
    the Neo4j Connector for Apache Spark (resolved from Maven Central), in a fresh process
    (the package loads with the JVM)."""
    import subprocess
    import sys

    import neo4j

    r = subprocess.run([sys.executable, "-m", "graphmodel", "load", str(tiny_parquet),
                        "--engine", "spark", "--master", "local[2]"],
                       capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stderr.strip().splitlines()[-1] == (
        f"wrote {tiny_parquet} into {neo4j_env} with Spark: 6 User, 3 REFERRED "
        "(read back: 6 User, 3 REFERRED)")
    import os

    auth = (os.environ["NEO4J_USER"], os.environ["NEO4J_PASSWORD"])
    with neo4j.GraphDatabase.driver(neo4j_env, auth=auth) as driver:
        records = driver.execute_query(
            "MATCH (a:User)-[r:REFERRED]->(b:User) "
            "RETURN a.id AS a, b.id AS b, r.stream_id AS s, r.channel AS c ORDER BY b").records
    assert [tuple(x.values()) for x in records] == [("u1", "u2", "s1", "wechat"),
                                                    ("u1", "u3", "s1", "wechat"),
                                                    ("u2", "u4", "s1", "weibo")]
