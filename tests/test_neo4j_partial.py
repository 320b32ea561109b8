"""A partial log (events and follows, no via_share) loaded into Neo4j: the server holds the
referrals inferred at load time and the log's coverage, and results computed on it carry
the same figures, meta and notes as on the folder."""

import json

import pandas as pd
import pytest
from click.testing import CliRunner
from partial_log import write_partial
from store_compare import assert_same

import graphmodel
from graphmodel.cli.main import main
from graphmodel.engines import MemoryStore
from graphmodel.engines.neo4j.store import Neo4jStore

pytestmark = pytest.mark.neo4j


def cli(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def partial(tmp_path):
    return write_partial(tmp_path / "partial")


def records(store) -> int:
    return store.query("MATCH (g:GraphmodelLog) RETURN count(g) AS n")["n"].item()


def assert_same_as_memory(mem: MemoryStore, neo: Neo4jStore, how: str) -> None:
    assert neo.coverage == mem.coverage
    assert neo.coverage.referrals == how and neo.coverage.inferred > 0
    assert neo.meta == mem.meta and neo.meta["seed"] == 11
    refs = neo.referrals()
    pd.testing.assert_frame_equal(refs, mem.referrals())
    assert len(refs) == neo.coverage.inferred and (refs["how"] == how).all()
    pd.testing.assert_frame_equal(neo.stats(), mem.stats())  # the record is not counted
    a = graphmodel.value(mem, by="platform")
    b = graphmodel.value(neo, by="platform")
    assert_same(a, b)
    ma, mb = a.attrs["meta"], b.attrs["meta"]
    assert mb["log"] == ma["log"] and mb["log"]["referrals"] == how
    assert mb["notes"] == ma["notes"] and any("referrals inferred" in n for n in mb["notes"])
    assert (mb["seed"], mb["generator"]) == (ma["seed"], ma["generator"])


def test_a_partial_log_loads_with_social_referrals_as_the_memory_store_reads_it(partial, neo4j_env):
    r = cli("load", partial, "--quiet")
    assert r.exit_code == 0, r.output
    mem = MemoryStore.open(partial)
    with Neo4jStore.open(neo4j_env) as neo:
        assert_same_as_memory(mem, neo, "social")
        assert records(neo) == 1
        before = neo.referrals()
        # loaded again (the keyed path): the same graph, the same single record
        r = cli("load", partial, "--quiet", "--batch-size", "7")
        assert r.exit_code == 0, r.output
        assert records(neo) == 1
        pd.testing.assert_frame_equal(neo.referrals(), before)
        assert_same_as_memory(mem, neo, "social")


def test_the_time_rule_from_the_command_line_and_the_results_notes(partial, neo4j_env):
    r = cli("load", partial, "--quiet", "--referrals", "time", "--referral-window", "10min")
    assert r.exit_code == 0, r.output
    mem = MemoryStore.open(partial, referrals="time", window_s=600)
    assert mem.coverage.window_s == 600
    with Neo4jStore.open(neo4j_env) as neo:
        assert_same_as_memory(mem, neo, "time")
    on_server = cli("value", "--by", "platform", "--neo4j", neo4j_env, "--format", "json")
    on_folder = cli(
        "value",
        "--by",
        "platform",
        "--source",
        partial,
        "--referrals",
        "time",
        "--referral-window",
        "10min",
        "--format",
        "json",
    )
    assert on_server.exit_code == 0 and on_folder.exit_code == 0, on_server.output
    a, b = json.loads(on_folder.stdout), json.loads(on_server.stdout)
    assert b["meta"]["log"] == a["meta"]["log"] and b["meta"]["notes"] == a["meta"]["notes"]
    assert "window 10 min" in on_server.stderr and on_server.stderr == on_folder.stderr
    # the server holds the rule made at load time: analyses on it take no rule
    r = cli("value", "--neo4j", neo4j_env, "--referrals", "social")
    assert r.exit_code == 2 and "graphmodel load" in r.stderr


def test_another_rule_over_a_loaded_inferred_log_is_refused(partial, neo4j_env):
    assert cli("load", partial, "--quiet").exit_code == 0
    with Neo4jStore.open(neo4j_env) as neo:
        stats = neo.stats()
        r = cli("load", partial, "--quiet", "--referrals", "time")
        assert r.exit_code == 2 and len(r.stderr.strip().splitlines()) == 1, r.output
        assert "--referrals social" in r.stderr and "--referrals time" in r.stderr
        assert "nothing was written" in r.stderr
        pd.testing.assert_frame_equal(neo.stats(), stats)
        assert neo.coverage == MemoryStore.open(partial).coverage
        assert neo.query("MATCH (l:GraphmodelLock) RETURN count(l) AS n")["n"].item() == 0


def test_social_referrals_without_follows_exit_2_and_write_nothing(tmp_path, neo4j_env):
    folder = write_partial(tmp_path / "nofollows", follows=False)
    r = cli("load", folder, "--quiet", "--referrals", "social")
    assert r.exit_code == 2, r.output
    assert len(r.stderr.strip().splitlines()) == 1 and "no follows" in r.stderr
    with Neo4jStore.open(neo4j_env) as neo:
        assert neo.query("MATCH (n) RETURN count(n) AS n")["n"].item() == 0


def test_a_complete_log_records_nothing_partial_and_its_edges_say_recorded(tiny_dir, neo4j_env):
    assert cli("load", tiny_dir, "--quiet").exit_code == 0
    mem = MemoryStore.open(tiny_dir)
    with Neo4jStore.open(neo4j_env) as neo:
        assert neo.coverage == mem.coverage and neo.coverage.complete
        assert neo.meta == mem.meta
        assert (neo.referrals()["how"] == "recorded").all()
        meta = graphmodel.value(neo, by="platform").attrs["meta"]
        assert "log" not in meta and "notes" not in meta


def test_the_spark_loader_takes_the_rule_and_records_the_coverage(tmp_path, neo4j_env, tiny_dir):
    """``load --engine spark --replace --referrals time`` over another log: the database is
    emptied, Spark infers the edges as the memory store does, writes them with how, and the
    server records the log's coverage."""
    import subprocess
    import sys

    from click.testing import CliRunner

    from graphmodel.cli.main import main

    assert CliRunner().invoke(main, ["load", str(tiny_dir), "--quiet"]).exit_code == 0
    folder = write_partial(tmp_path / "partial", fmt="parquet")
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "graphmodel",
            "load",
            str(folder),
            "--engine",
            "spark",
            "--master",
            "local[2]",
            "--referrals",
            "time",
            "--referral-window",
            "10min",
            "--replace",
            "--quiet",
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert r.returncode == 0, r.stderr[-2000:]
    mem = MemoryStore.open(folder, referrals="time", window_s=600)
    with Neo4jStore.open(neo4j_env) as neo:
        assert neo.coverage == mem.coverage and neo.meta == mem.meta
        users = neo.query("MATCH (u:User) RETURN u.id AS id")["id"]
        assert sorted(users) == sorted(mem.table("users")["user_id"])  # tiny's are gone
        got = neo.query(
            "MATCH (a:User)-[r:REFERRED]->(b:User) RETURN a.id AS referrer_id, "
            "b.id AS user_id, r.stream_id AS stream_id, r.share_id AS share_id, r.how AS how"
        )
    want = mem.referrals()[["referrer_id", "user_id", "stream_id", "share_id", "how"]]
    key = ["stream_id", "user_id"]
    got = got.sort_values(key).reset_index(drop=True).astype(str)
    assert got.equals(want.sort_values(key).reset_index(drop=True).astype(str))
