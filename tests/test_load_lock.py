"""The load lock and driver failures during a load, on real servers and real processes.

Two ``graphmodel load`` processes at once: exactly one loads, the other refuses in
one line (exit code 2) and writes nothing, on the fresh path and on the keyed path.
A lock taken by hand makes a load refuse; ``--break-lock`` clears one left behind.
A server killed under a load gives one line, exit code 2, no traceback.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import neo4j
import pandas as pd
import pytest
from click.testing import CliRunner
from tiny_expected import EXPECTED_STATS

from graphmodel.cli.main import main
from graphmodel.engines import MemoryStore
from graphmodel.engines.neo4j.failures import describe, server_error, translated
from graphmodel.engines.neo4j.load import (
    LOCK_NAME,
    LoadLocked,
    break_load_lock,
    load_lock_holder,
    take_load_lock,
)
from graphmodel.engines.neo4j.store import Neo4jStore
from graphmodel.errors import ServerError

ROOT = Path(__file__).resolve().parents[1]
HOLDER = re.compile(
    r"the load lock is held by pid (\d+) on host (\S+), since "
    r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)"
)


def cli(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def graphmodel(*args, env=None) -> subprocess.Popen:
    """``graphmodel ARGS`` as a real process (a user's shell would run it so)."""
    return subprocess.Popen(
        [sys.executable, "-m", "graphmodel", *map(str, args)],
        cwd=ROOT,
        env=env or dict(os.environ),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(proc: subprocess.Popen, timeout: float = 600) -> tuple[int, str]:
    _, err = proc.communicate(timeout=timeout)
    return proc.returncode, err


def count(driver, cypher: str) -> int:
    return driver.execute_query(cypher).records[0][0]


def stats_rows(store) -> list[tuple]:
    return list(store.stats().itertuples(index=False, name=None))


@pytest.fixture
def driver(neo4j_auth, neo4j_env):
    uri, user, password = neo4j_auth
    with neo4j.GraphDatabase.driver(uri, auth=(user, password)) as d:
        yield d
        d.execute_query("MATCH (l:GraphmodelLock) DELETE l")


@pytest.fixture(scope="module")
def mid_log(tmp_path_factory) -> Path:
    """The hostile tester's log: 2,000 users, 3 days, seed 7 (Parquet, quicker to read)."""
    from graphmodel.eventlog import write_log
    from graphmodel.generator import GeneratorConfig, generate

    folder = tmp_path_factory.mktemp("mid") / "g"
    write_log(generate(GeneratorConfig(users=2000, days=3, seed=7)), folder, fmt="parquet")
    return folder


# --- failures as lines, without a server ---------------------------------------------


def test_driver_failures_read_as_one_line_naming_the_server():
    from neo4j.exceptions import IncompleteCommit, ServiceUnavailable, SessionExpired

    broke = IncompleteCommit("Failed to read from defunct connection\nIPv4Address(('x', 1))")
    assert describe(broke) == (
        "the connection broke while a transaction was committing (the server stopped?) "
        "(IncompleteCommit: Failed to read from defunct connection IPv4Address(('x', 1)))"
    )
    err = server_error("bolt://h:1", SessionExpired("gone"), "a query", "try again")
    assert str(err) == (
        "bolt://h:1: a query failed: the server stopped answering (SessionExpired: gone); try again"
    )
    down = r"^bolt://h:1: x failed: the server stopped answering \(ServiceUnavailable: down\)$"
    with pytest.raises(ServerError, match=down), translated("bolt://h:1", "x"):
        raise ServiceUnavailable("down")
    with pytest.raises(ValueError), translated("bolt://h:1", "x"):  # a bug stays a bug
        raise ValueError("not the driver's")


# --- the lock, deterministic ---------------------------------------------------------


@pytest.mark.neo4j
def test_a_held_lock_makes_a_fresh_load_refuse_and_write_nothing(tiny_dir, driver, neo4j_env):
    lock = take_load_lock(driver, command="by hand")
    holder = load_lock_holder(driver)
    assert (holder.pid, holder.command) == (os.getpid(), "by hand")
    with pytest.raises(LoadLocked):
        take_load_lock(driver)

    code, err = finish(graphmodel("load", tiny_dir, "--quiet"))
    assert code == 2, err
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert err.startswith(f"error: {neo4j_env}: another load is writing this database")
    m = HOLDER.search(err)
    assert m and int(m.group(1)) == os.getpid() and m.group(3) == holder.started_at
    assert f"`graphmodel load {tiny_dir} --break-lock`" in err
    assert "MATCH (l:GraphmodelLock {name: 'load'}) DELETE l" in err
    # nothing written: no node but the lock, no progress record
    assert count(driver, "MATCH (n) WHERE NOT n:GraphmodelLock RETURN count(n)") == 0
    # reads still work while the lock is held
    r = cli("stats", "--neo4j", neo4j_env, "--format", "csv")
    assert r.exit_code == 0 and "node,User,0" in r.stdout

    assert lock.release()
    assert load_lock_holder(driver) is None
    assert cli("load", tiny_dir, "--quiet").exit_code == 0
    with Neo4jStore.open(neo4j_env) as store:
        assert stats_rows(store) == EXPECTED_STATS
    assert count(driver, "MATCH (n:GraphmodelLock|GraphmodelLoad) RETURN count(n)") == 0


@pytest.mark.neo4j
def test_a_held_lock_makes_a_keyed_load_refuse_and_analyses_still_run(tiny_dir, driver, neo4j_env):
    assert cli("load", tiny_dir, "--quiet").exit_code == 0
    lock = take_load_lock(driver)
    r = cli("load", tiny_dir, "--quiet")
    assert r.exit_code == 2 and len(r.stderr.splitlines()) == 1
    assert "another load is writing this database" in r.stderr
    with Neo4jStore.open(neo4j_env) as store:
        assert stats_rows(store) == EXPECTED_STATS
    mem = cli("spread", "--source", tiny_dir, "--format", "csv")
    neo = cli("spread", "--neo4j", neo4j_env, "--format", "csv")
    assert neo.exit_code == 0 and neo.stdout == mem.stdout
    assert lock.release()


@pytest.mark.neo4j
def test_a_lock_left_by_a_dead_load_is_named_and_break_lock_clears_it(
    tiny_dir, driver, neo4j_auth, neo4j_env
):
    """A process takes the lock and is SIGKILLed: the lock stays, the next load refuses
    saying that process is gone, and ``--break-lock`` removes it and loads."""
    uri, user, password = neo4j_auth
    code = (
        "import neo4j, sys, time\n"
        "from graphmodel.engines.neo4j.load import take_load_lock\n"
        f"d = neo4j.GraphDatabase.driver({uri!r}, auth=({user!r}, {password!r}))\n"
        "take_load_lock(d, command='graphmodel load doomed')\n"
        "print('locked', flush=True)\n"
        "time.sleep(600)\n"
    )
    doomed = subprocess.Popen(
        [sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    assert doomed.stdout.readline().strip() == "locked"
    doomed.send_signal(signal.SIGKILL)
    doomed.wait(timeout=30)

    r = cli("load", tiny_dir, "--quiet")
    assert r.exit_code == 2 and len(r.stderr.splitlines()) == 1
    assert f"held by pid {doomed.pid} on host " in r.stderr
    assert "(graphmodel load doomed)" in r.stderr
    assert f"no process {doomed.pid} runs on this host now, so that load died" in r.stderr
    assert count(driver, "MATCH (n) WHERE NOT n:GraphmodelLock RETURN count(n)") == 0

    r = cli("load", tiny_dir, "--quiet", "--break-lock")
    assert r.exit_code == 0, r.output
    assert f"removed the load lock of pid {doomed.pid} on host " in r.stderr
    with Neo4jStore.open(neo4j_env) as store:
        assert stats_rows(store) == EXPECTED_STATS
    assert load_lock_holder(driver) is None
    assert break_load_lock(driver) is None  # nothing left to break


@pytest.mark.neo4j
def test_a_load_the_server_refuses_releases_its_lock_and_says_how_to_resume(
    tiny_dir, driver, neo4j_env
):
    """A constraint of the user's own that the log breaks (two streams of one category):
    the server's refusal mid-load becomes one line naming the cause, the lock is released
    (the server still answers), and the message says how to go on."""
    driver.execute_query(
        "CREATE CONSTRAINT test_stream_category IF NOT EXISTS "
        "FOR (s:Stream) REQUIRE s.category IS UNIQUE"
    )
    try:
        code, err = finish(graphmodel("load", tiny_dir, "--quiet"))
    finally:
        driver.execute_query("DROP CONSTRAINT test_stream_category IF EXISTS")
    assert code == 2, err
    assert "Traceback" not in err and len(err.splitlines()) == 1, err
    assert err.startswith(
        f"error: {neo4j_env}: the load was interrupted: the server refused "
        "a query (ConstraintError Neo.ClientError.Schema."
        "ConstraintValidationFailed: "
    )
    assert "`Stream`" in err and "category" in err
    assert err.rstrip().endswith(
        f"run `graphmodel load {tiny_dir}` again to resume it (after removing the cause)"
    )
    assert load_lock_holder(driver) is None
    # and so it resumes
    assert cli("load", tiny_dir, "--quiet").exit_code == 0
    with Neo4jStore.open(neo4j_env) as store:
        assert stats_rows(store) == EXPECTED_STATS


# --- two real processes at once ------------------------------------------------------


def _race(folder: Path, uri: str) -> tuple[list[int], list[int], list[str]]:
    """Two ``graphmodel load FOLDER`` processes started together: pids, exit codes, stderr."""
    procs = [graphmodel("load", folder, "--quiet", "--neo4j", uri) for _ in range(2)]
    done = [finish(p) for p in procs]
    return [p.pid for p in procs], [c for c, _ in done], [e for _, e in done]


@pytest.mark.slow
@pytest.mark.neo4j
def test_two_loads_at_once_one_loads_the_other_refuses(mid_log, driver, neo4j_env):
    """The hostile tester's race, fresh database then keyed path: exactly one process exits
    0, the other exits 2 with one line naming the holder, and the graph is one load's."""
    expected = MemoryStore.open(mid_log).stats()
    for path in ("fresh", "keyed"):
        pids, codes, errs = _race(mid_log, neo4j_env)
        assert sorted(codes) == [0, 2], (path, errs)
        loser = errs[codes.index(2)]
        assert len(loser.splitlines()) == 1 and "Traceback" not in loser, (path, loser)
        assert loser.startswith(f"error: {neo4j_env}: another load is writing this database")
        m = HOLDER.search(loser)
        assert m and int(m.group(1)) == pids[codes.index(0)], (path, loser)
        assert f"(graphmodel load {mid_log})" in loser
        with Neo4jStore.open(neo4j_env) as store:
            pd.testing.assert_frame_equal(store.stats(), expected)
        assert count(driver, "MATCH (n:GraphmodelLock|GraphmodelLoad) RETURN count(n)") == 0


# --- a server killed under a load ----------------------------------------------------


@pytest.mark.slow
@pytest.mark.neo4j
def test_a_server_killed_mid_load_is_one_line_and_break_lock_resumes(mid_log, tmp_path):
    """A throwaway local server is SIGKILLed while ``graphmodel load`` writes: the load
    exits 2 with one line (no traceback) saying it was interrupted and how to resume; a
    query on the dead server is one line too. Restarted, the server still holds the lock:
    a load refuses, ``--break-lock`` clears it and ends with exactly one load's graph."""
    from graphmodel.server import LocalServer

    expected = MemoryStore.open(mid_log).stats()
    server = LocalServer(tmp_path / "home", bolt_port=0, http_port=0)
    info = server.start()
    try:
        env = dict(
            os.environ, NEO4J_URI=info.bolt_uri, NEO4J_USER=info.user, NEO4J_PASSWORD=info.password
        )
        with neo4j.GraphDatabase.driver(info.bolt_uri, auth=info.auth) as d:
            store = Neo4jStore(d, info.bolt_uri)
            proc = graphmodel("load", mid_log, "--quiet", "--batch-size", "500", env=env)
            deadline = time.time() + 300
            while time.time() < deadline and proc.poll() is None:
                n = count(d, "MATCH ()-[r:FOLLOWS]->() RETURN count(r)")
                if n > 0:
                    break
                time.sleep(0.1)
            assert proc.poll() is None, proc.communicate()
            os.kill(info.pid, signal.SIGKILL)
            code, err = finish(proc, timeout=300)
            assert code == 2, err
            assert "Traceback" not in err and len(err.splitlines()) == 1, err
            assert err.startswith(f"error: {info.bolt_uri}: the load was interrupted: ")
            assert "the load's lock is left in the database" in err
            assert f"run `graphmodel load {mid_log} --break-lock` to clear the lock" in err
            with pytest.raises(
                ServerError,
                match=rf"^{re.escape(info.bolt_uri)}: a query "
                r"failed: the server stopped answering",
            ):
                store.stats()
        server.stop()
        info = server.start()
        env["NEO4J_URI"] = info.bolt_uri
        code, err = finish(graphmodel("load", mid_log, "--quiet", env=env))
        assert code == 2 and len(err.splitlines()) == 1, err
        assert f"graphmodel load {mid_log} --break-lock" in err
        assert f"held by pid {proc.pid} on host " in err and "so that load died" in err
        code, err = finish(graphmodel("load", mid_log, "--quiet", "--break-lock", env=env))
        assert code == 0, err
        with neo4j.GraphDatabase.driver(info.bolt_uri, auth=info.auth) as d:
            pd.testing.assert_frame_equal(Neo4jStore(d, info.bolt_uri).stats(), expected)
            assert count(d, "MATCH (n:GraphmodelLock|GraphmodelLoad) RETURN count(n)") == 0
    finally:
        server.stop()


def test_lock_name_is_the_documented_one():
    assert LOCK_NAME == "load"
    doc = (ROOT / "docs" / "neo4j-server.md").read_text(encoding="utf-8")
    assert "MATCH (l:GraphmodelLock {name: 'load'}) DELETE l" in doc
    assert "--break-lock" in doc
