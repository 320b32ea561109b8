"""The Neo4j store on a real server: loader, schema, tables, referrals, stats, query.

The two stores must agree on the same log.
"""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from store_compare import assert_stores_agree
from tiny_expected import EXPECTED_STATS

from graphmodel.cli.main import main
from graphmodel.engines import MemoryStore
from graphmodel.engines.neo4j.store import Neo4jStore
from graphmodel.schema import NODE_LABELS

pytestmark = pytest.mark.neo4j
ROOT = Path(__file__).resolve().parents[1]


def cli(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_load_then_stats_equal_the_memory_store(tiny_dir, neo4j_env):
    r = cli("load", tiny_dir, "--quiet")
    assert r.exit_code == 0, r.output
    r = cli("stats", "--neo4j", neo4j_env, "--format", "json")
    assert r.exit_code == 0, r.output
    neo = json.loads(r.stdout)["rows"]
    mem = json.loads(cli("stats", "--source", tiny_dir, "--format", "json").stdout)["rows"]
    assert neo == mem
    assert [(x["kind"], x["name"], x["count"]) for x in neo] == EXPECTED_STATS


def test_the_real_cli_prints_no_driver_notifications(tiny_dir, neo4j_env):
    """The server would send a notification per query (the loader's deprecated ``id()``,
    labels not created yet), which the driver logs as multi-line records on stderr."""
    for args in (["load", str(tiny_dir), "--quiet"], ["stats", "--neo4j", neo4j_env]):
        proc = subprocess.run(
            [sys.executable, "-m", "graphmodel", *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert proc.returncode == 0, proc.stderr
        assert "notification" not in proc.stderr
        assert len(proc.stderr.splitlines()) <= 1, proc.stderr  # the load's summary line


def test_loading_twice_gives_the_same_graph(tiny_dir, neo4j_env):
    assert cli("load", tiny_dir, "--quiet", "--batch-size", "2").exit_code == 0
    assert cli("load", tiny_dir, "--quiet").exit_code == 0
    with Neo4jStore.open(neo4j_env) as store:
        assert list(store.stats().itertuples(index=False, name=None)) == EXPECTED_STATS


def test_schema_has_a_uniqueness_constraint_per_label(tiny_dir, neo4j_env):
    assert cli("load", tiny_dir, "--quiet").exit_code == 0
    with Neo4jStore.open(neo4j_env) as store:
        c = store.query(
            "SHOW CONSTRAINTS YIELD type, labelsOrTypes, properties "
            "RETURN type, labelsOrTypes[0] AS label, properties[0] AS prop"
        )
    unique = c[c["type"] == "UNIQUENESS"]
    assert set(unique["label"]) == set(NODE_LABELS) | {"GraphmodelLock"}
    assert set(zip(unique["label"], unique["prop"], strict=True)) == (
        {(label, "id") for label in NODE_LABELS} | {("GraphmodelLock", "name")}
    )


def test_tables_and_referrals_come_back_equal(tiny_dir, neo4j_env):
    assert cli("load", tiny_dir, "--quiet").exit_code == 0
    mem = MemoryStore.open(tiny_dir)
    with Neo4jStore.open(neo4j_env) as neo:
        assert_stores_agree(mem, neo)


def test_datetimes_come_back_exactly_missing_ones_too(tiny_copy, neo4j_env):
    """The fresh path sends datetimes as microseconds since 1970: sub-second, pre-1970
    and missing values (the optional datetime columns) come back as they went in."""
    tiny_copy.set_cell("users", 2, "joined_at", "")
    tiny_copy.set_cell("users", 3, "joined_at", "1969-12-31T23:59:59.999999")
    tiny_copy.set_cell("follows", 2, "since", "")
    tiny_copy.set_cell("ad_spend", 2, "at", "")
    tiny_copy.set_cell("events", 2, "at", "2024-03-01T20:00:00.123456")
    assert cli("load", tiny_copy.path, "--quiet").exit_code == 0
    mem = MemoryStore.open(tiny_copy.path)
    with Neo4jStore.open(neo4j_env) as neo:
        assert_stores_agree(mem, neo)
        users = neo.table("users").set_index("user_id")["joined_at"]
    assert pd.isna(users["u1"])
    assert users["u2"] == pd.Timestamp("1969-12-31T23:59:59.999999")


def test_a_bad_log_writes_nothing(tiny_copy, neo4j_env):
    tiny_copy.set_cell("events", 5, "via_share", "e99")
    r = cli("load", tiny_copy.path, "--quiet")
    assert r.exit_code == 2 and "events.csv line 5, column via_share" in r.stderr
    with Neo4jStore.open(neo4j_env) as store:
        assert store.query("MATCH (n) RETURN count(n) AS n")["n"].item() == 0


def test_query_by_name_and_by_file_with_parameters(tiny_dir, neo4j_env, tmp_path):
    assert cli("load", tiny_dir, "--quiet").exit_code == 0
    r = cli(
        "query",
        "stats",
        "--neo4j",
        neo4j_env,
        "--param",
        'labels=["User","Task"]',
        "--param",
        "types=[]",
        "--format",
        "json",
    )
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["rows"] == [
        {"kind": "node", "name": "User", "count": 6},
        {"kind": "node", "name": "Task", "count": 2},
    ]
    assert doc["meta"]["query_params"]["labels"] == ["User", "Task"]
    f = tmp_path / "mine.cypher"
    f.write_text("MATCH (u:User {id: $id})-[:WATCHED]->(s) RETURN s.id AS stream ORDER BY stream")
    r = cli("query", f, "--neo4j", neo4j_env, "-p", "id=u1", "--format", "csv")
    assert r.stdout.splitlines() == ["stream", "s1", "s2"]


def test_a_broken_query_is_a_user_error(neo4j_env, tmp_path):
    f = tmp_path / "bad.cypher"
    f.write_text("MATCH (n RETURN n")
    r = cli("query", f, "--neo4j", neo4j_env)
    assert r.exit_code == 2 and "Cypher query failed" in r.stderr


def test_wrong_password_is_one_line_exit_2(neo4j_env, monkeypatch):
    monkeypatch.setenv("NEO4J_PASSWORD", "wrong-password")
    r = cli("stats", "--neo4j", neo4j_env)
    assert r.exit_code == 2 and "authentication failed" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


@pytest.mark.slow
def test_a_killed_load_run_again_ends_with_exactly_the_right_graph(neo4j_env, tmp_path):
    from graphmodel.eventlog import write_log
    from graphmodel.generator import GeneratorConfig, generate

    folder = tmp_path / "platform"
    write_log(generate(GeneratorConfig(users=400, days=2, seed=3)), folder, fmt="parquet")
    expected = MemoryStore.open(folder).stats()
    env = dict(os.environ)
    proc = subprocess.Popen(
        [sys.executable, "cli.py", "load", str(folder), "--quiet", "--batch-size", "100"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    with Neo4jStore.open(neo4j_env) as store:
        deadline = time.time() + 120
        while time.time() < deadline:
            n = store.query("MATCH ()-[r:WATCHED]->() RETURN count(r) AS n")["n"].item()
            if n > 0:
                break
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        partial = store.stats()
        assert not partial.equals(expected), "the load finished before it was killed"
        # the killed load's lock is still there: a load refuses, naming the dead process
        r = cli("load", folder, "--quiet")
        assert r.exit_code == 2 and len(r.stderr.splitlines()) == 1, r.output
        assert f"held by pid {proc.pid} on host " in r.stderr
        assert "so that load died" in r.stderr and "--break-lock" in r.stderr
        pd.testing.assert_frame_equal(store.stats(), partial)  # nothing written
        r = cli("load", folder, "--quiet", "--break-lock")
        assert r.exit_code == 0, r.output
        pd.testing.assert_frame_equal(store.stats(), expected)
        pd.testing.assert_frame_equal(store.referrals(), MemoryStore.open(folder).referrals())


class Crash(Exception):
    """Stands for the loader dying after its last committed transaction."""


def crash_at(label: str, after: int):
    """A progress callback that raises once ``after`` more rows of step ``label`` are written."""
    seen = {"first": None}

    def progress(step, done, total):
        if step == label:
            seen["first"] = done if seen["first"] is None else seen["first"]
            if done - seen["first"] >= after:
                raise Crash(step)

    return progress


def progress_records(store) -> int:
    return store.query("MATCH (m:GraphmodelLoad) RETURN count(m) AS n")["n"].item()


@pytest.mark.parametrize(
    "label, after", [("users", 2), ("watches", 3), ("likes", 0), ("referrals", 1), ("indexes", 0)]
)
def test_a_fresh_load_cut_off_anywhere_resumes_exactly(
    tiny_dir, neo4j_auth, neo4j_env, label, after
):
    """The fresh-database path, stopped after any committed batch and run again (with
    another batch size and writer count, which the progress records override), ends
    with exactly the graph of one load, and without its progress records."""
    import neo4j

    from graphmodel.engines.neo4j.load import load_log
    from graphmodel.eventlog import read_log

    log = read_log(tiny_dir)
    uri, user, password = neo4j_auth
    with neo4j.GraphDatabase.driver(uri, auth=(user, password)) as d:
        with pytest.raises(Crash):
            load_log(log, d, batch_size=1, progress=crash_at(label, after))
        with Neo4jStore.open(neo4j_env) as store:
            assert progress_records(store) > 0
            # a load that fails in a live process releases its lock
            assert store.query("MATCH (l:GraphmodelLock) RETURN count(l) AS n")["n"].item() == 0
        load_log(log, d, batch_size=3, writers=1)
    with Neo4jStore.open(neo4j_env) as store:
        assert progress_records(store) == 0
        assert list(store.stats().itertuples(index=False, name=None)) == EXPECTED_STATS
        assert_stores_agree(MemoryStore.open(tiny_dir), store)


def move_record_after_first(part: str, to: int, auth):
    """A progress callback that, once the first batch of ``part`` is written, sets that
    part's record to row ``to`` from another session, as another load (or a commit
    whose answer was lost) would."""
    import neo4j

    done = {"moved": False}

    def progress(step, rows, total):
        if not done["moved"]:
            done["moved"] = True
            uri, user, password = auth
            with neo4j.GraphDatabase.driver(uri, auth=(user, password)) as d:
                d.execute_query(
                    "MATCH (m:GraphmodelLoad {part: $part}) SET m.pos = $to", part=part, to=to
                )

    return progress


def test_a_batch_finding_its_record_moved_on_writes_nothing_and_says_why(
    tiny_dir, neo4j_auth, neo4j_env
):
    """Users go one per batch; after the first, the record says row 5: the second batch
    (rows 1 to 2) writes nothing and the load stops with a one-line reason."""
    import neo4j

    from graphmodel.engines.neo4j.load import load_log
    from graphmodel.errors import ServerError
    from graphmodel.eventlog import read_log

    uri, user, password = neo4j_auth
    moved = r"progress record nodes/0 is at row 5, not 1: is another load writing"
    with (
        neo4j.GraphDatabase.driver(uri, auth=(user, password)) as d,
        pytest.raises(ServerError, match=moved),
    ):
        load_log(
            read_log(tiny_dir),
            d,
            batch_size=1,
            writers=1,
            progress=move_record_after_first("nodes/0", 5, neo4j_auth),
        )
    with Neo4jStore.open(neo4j_env) as store:
        assert store.query("MATCH (u:User) RETURN count(u) AS n")["n"].item() == 1


def test_a_batch_already_written_is_skipped_and_a_short_batch_keeps_nothing(
    tiny_dir, neo4j_auth, neo4j_env
):
    """After the first user, the record says row 2, as when the second user's commit
    landed but its answer was lost: the loader goes on without writing that batch again.
    (Here the user was never written, so the first relationship of theirs matches no
    node: that batch writes 0 of its 1 row, and the load stops, keeping none of it.)"""
    import neo4j

    from graphmodel.engines.neo4j.load import load_log
    from graphmodel.errors import ServerError
    from graphmodel.eventlog import read_log

    log = read_log(tiny_dir)
    skipped = log["users"]["user_id"].iloc[1]
    uri, user, password = neo4j_auth
    with (
        neo4j.GraphDatabase.driver(uri, auth=(user, password)) as d,
        pytest.raises(ServerError, match=r": wrote 0 of 1 rows; the database changed"),
    ):
        load_log(
            log,
            d,
            batch_size=1,
            writers=1,
            progress=move_record_after_first("nodes/0", 2, neo4j_auth),
        )
    with Neo4jStore.open(neo4j_env) as store:
        users = store.query("MATCH (u:User) RETURN u.id AS id")["id"].tolist()
        assert len(users) == len(log["users"]) - 1 and skipped not in users
        rels = store.query(
            "MATCH (m:GraphmodelLoad {part: 'relationships/0'}) "
            "OPTIONAL MATCH ()-[r]->() "
            "WHERE NOT type(r) IN ['HOSTED', 'SELLS', 'REFERRED'] "
            "RETURN m.pos AS pos, count(r) AS n"
        )
        # the record counts exactly the rows of that part that were kept
        assert rels["pos"].item() == rels["n"].item()


def test_another_log_over_a_cut_off_fresh_load_takes_the_keyed_path(
    tiny_dir, tiny_copy, neo4j_auth, neo4j_env
):
    """Progress records of another log are not resumed: the keyed path loads over the
    partial graph (the two logs merged, as asked), and removes them (row counts mean
    nothing after it)."""
    import neo4j

    from graphmodel.engines.neo4j.load import load_log
    from graphmodel.eventlog import read_log

    tiny_copy.set_cell("events", 2, "seconds", "7.5")
    uri, user, password = neo4j_auth
    with neo4j.GraphDatabase.driver(uri, auth=(user, password)) as d:
        with pytest.raises(Crash):
            load_log(read_log(tiny_copy.path), d, batch_size=1, progress=crash_at("likes", 0))
        load_log(read_log(tiny_dir), d, existing="append")
    with Neo4jStore.open(neo4j_env) as store:
        assert progress_records(store) == 0
        assert list(store.stats().itertuples(index=False, name=None)) == EXPECTED_STATS


def test_a_server_that_is_down_is_one_line_exit_2(monkeypatch):
    import socket

    with socket.socket() as s:  # a free port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("NEO4J_PASSWORD", "whatever")
    r = cli("stats", "--neo4j", f"bolt://127.0.0.1:{port}")
    assert r.exit_code == 2 and "cannot reach the server" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_a_malformed_uri_is_one_line_exit_2(monkeypatch):
    monkeypatch.setenv("NEO4J_PASSWORD", "whatever")
    r = cli("stats", "--neo4j", "http//nowhere")
    assert r.exit_code == 2 and "http//nowhere" in r.stderr
