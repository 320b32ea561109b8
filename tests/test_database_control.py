"""A database you control: `load` over another log, `--replace`, `--append`, and
`graphmodel server reset|dump|restore`, on real servers.

A load into a database holding another log refuses in one line (exit code 2, nothing
written); the same log loaded again needs no flag; --replace leaves exactly the new
log; --append the union of the two by key. On a throwaway local server: reset empties
the database and keeps the credentials; a dump restored gives back the same graph; bad
input is one line, exit code 2, nothing changed.
"""

from __future__ import annotations

import re
import socket
from pathlib import Path

import neo4j
import pandas as pd
import pytest
from click.testing import CliRunner
from tiny_expected import EXPECTED_STATS

from graphmodel.cli.main import main
from graphmodel.engines import MemoryStore
from graphmodel.engines.neo4j.store import Neo4jStore

pytestmark = pytest.mark.neo4j


def cli(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def one_line_error(r) -> str:
    assert r.exit_code == 2, r.output
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr, r.stderr
    return r.stderr.strip()


def stats(uri: str) -> list[tuple]:
    with Neo4jStore.open(uri) as store:
        return list(store.stats().itertuples(index=False, name=None))


def write(uri: str, cypher: str) -> None:
    from graphmodel.engines.neo4j.connect import connect

    with connect(uri) as driver:
        driver.execute_query(cypher, routing_=neo4j.RoutingControl.WRITE)


def count(uri: str, cypher: str) -> int:
    with Neo4jStore.open(uri) as store:
        return int(store.query(cypher).iloc[0, 0])


@pytest.fixture(scope="module")
def g50(tmp_path_factory) -> Path:
    """A generated 50-user, 2-day log (CSV)."""
    from graphmodel.eventlog import write_log
    from graphmodel.generator import GeneratorConfig, generate

    folder = tmp_path_factory.mktemp("g50") / "log"
    write_log(generate(GeneratorConfig(users=50, days=2, seed=3)), folder)
    return folder


# --- load over a database that holds a log (the session's server) --------------------


def test_another_log_is_refused_in_one_line_and_the_same_log_reloads(tiny_dir, g50, neo4j_env):
    assert cli("load", tiny_dir, "--quiet").exit_code == 0
    err = one_line_error(cli("load", g50, "--quiet"))
    assert re.fullmatch(
        rf"error: the database at {re.escape(neo4j_env)} already holds a log \(6 User, 18 "
        rf"nodes and \d+ relationships in all, loaded from {re.escape(str(tiny_dir))} at "
        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\): give --replace to empty it first, or --append to "
        r"merge the two logs \(nothing was written\)",
        err,
    ), err
    assert stats(neo4j_env) == EXPECTED_STATS
    assert count(neo4j_env, "MATCH (n:GraphmodelLock|GraphmodelLoad) RETURN count(n)") == 0
    # Spark as the writer is refused alike, before any Spark starts
    assert one_line_error(cli("load", g50, "--engine", "spark", "--quiet")) == err
    assert stats(neo4j_env) == EXPECTED_STATS
    # the same folder again, no flag: the idempotent reload
    r = cli("load", tiny_dir, "--quiet")
    assert r.exit_code == 0, r.output
    assert stats(neo4j_env) == EXPECTED_STATS
    # a database written by other means is counted, and refused too
    write(neo4j_env, "MATCH (g:GraphmodelLog) DELETE g")
    err = one_line_error(cli("load", tiny_dir, "--quiet"))
    assert "(6 User, 18 nodes and" in err and "not loaded by graphmodel load" in err


def test_replace_leaves_exactly_the_new_log(tiny_dir, g50, neo4j_env):
    assert cli("load", tiny_dir, "--quiet").exit_code == 0
    r = cli("load", g50, "--replace")  # with its progress bar
    assert r.exit_code == 0, r.output
    mem = MemoryStore.open(g50)
    assert stats(neo4j_env) == list(mem.stats().itertuples(index=False, name=None))
    assert count(neo4j_env, "MATCH (u:User) RETURN count(u)") == 50
    with Neo4jStore.open(neo4j_env) as store:
        assert store.meta == mem.meta and store.coverage == mem.coverage
    # now the database holds g50: it reloads without a flag, tiny is refused
    assert cli("load", g50, "--quiet").exit_code == 0
    one_line_error(cli("load", tiny_dir, "--quiet"))


def test_append_merges_the_two_logs_by_key(tiny_dir, g50, neo4j_env):
    assert cli("load", tiny_dir, "--quiet").exit_code == 0
    r = cli("load", g50, "--quiet", "--append")
    assert r.exit_code == 0, r.output
    a, b = MemoryStore.open(tiny_dir), MemoryStore.open(g50)
    users = set(a.table("users")["user_id"]) | set(b.table("users")["user_id"])
    streams = set(a.table("streams")["stream_id"]) | set(b.table("streams")["stream_id"])
    assert count(neo4j_env, "MATCH (u:User) RETURN count(u)") == len(users)
    assert count(neo4j_env, "MATCH (s:Stream) RETURN count(s)") == len(streams)
    with Neo4jStore.open(neo4j_env) as store:
        assert store.meta == {"merged": [a.meta, b.meta]}
        logs = store.query("MATCH (g:GraphmodelLog) RETURN g.folders AS f")["f"].item()
    assert logs == [str(tiny_dir), str(g50)]
    before = stats(neo4j_env)
    # either log again needs no flag and changes nothing
    for folder in (tiny_dir, g50):
        assert cli("load", folder, "--quiet").exit_code == 0
    assert stats(neo4j_env) == before


def test_bad_flags_and_a_server_that_is_not_running(tiny_dir, monkeypatch):
    assert "--replace or --append" in one_line_error(
        cli("load", tiny_dir, "--replace", "--append", "--neo4j", "bolt://127.0.0.1:1")
    )
    with socket.socket() as s:  # a free port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("NEO4J_PASSWORD", "whatever")
    err = one_line_error(cli("load", tiny_dir, "--quiet", "--neo4j", f"bolt://127.0.0.1:{port}"))
    assert "cannot reach the server" in err


# --- the local server: reset, dump, restore ------------------------------------------


@pytest.fixture(scope="module")
def local(tmp_path_factory):
    """A throwaway local server (dump and restore stop and start it)."""
    from graphmodel.server import LocalServer

    server = LocalServer(tmp_path_factory.mktemp("control") / "home", bolt_port=0, http_port=0)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def local_env(local, monkeypatch):
    """The throwaway server's URI, with NEO4J_* set for `load`, holding the tiny log."""
    from graphmodel.server import read_credentials

    monkeypatch.delenv("GRAPHMODEL_NEO4J_HOME", raising=False)
    creds = read_credentials(local.home)
    uri = local.status().bolt_uri
    monkeypatch.setenv("NEO4J_URI", uri)
    monkeypatch.setenv("NEO4J_USER", creds["user"])
    monkeypatch.setenv("NEO4J_PASSWORD", creds["password"])
    assert cli("server", "reset", "--quiet", "--home", local.home).exit_code == 0
    return uri


def test_reset_empties_the_database_and_keeps_the_credentials(local, local_env, tiny_dir):
    assert cli("load", tiny_dir, "--quiet").exit_code == 0
    creds = (local.home / "credentials.json").read_bytes()
    r = cli("server", "reset", "--quiet", "--home", local.home)
    assert r.exit_code == 0, r.output
    assert re.fullmatch(
        rf"emptied the database at {re.escape(local_env)}: deleted 19 nodes and \d+ "
        r"relationships; credentials, constraints and indexes kept",
        r.stdout.strip(),
    ), r.stdout
    assert (local.home / "credentials.json").read_bytes() == creds
    assert count(local_env, "MATCH (n) RETURN count(n)") == 0
    with Neo4jStore.open(local_env) as store:  # the same password still logs on
        constraints = store.query("SHOW CONSTRAINTS YIELD name RETURN count(*) AS n")
    assert constraints["n"].item() > 0
    # an empty database takes another log without a flag
    assert cli("load", tiny_dir, "--quiet").exit_code == 0
    assert stats(local_env) == EXPECTED_STATS


def test_dump_and_restore_give_back_the_same_graph(local, local_env, tiny_dir, g50, tmp_path):
    assert cli("load", tiny_dir, "--quiet").exit_code == 0
    file = tmp_path / "tiny.dump"
    r = cli("server", "dump", file, "--home", local.home)
    assert r.exit_code == 0, r.output
    assert r.stdout.strip().startswith(f"dumped the database into {file} (")
    assert file.read_bytes()[:4] == b"DZV1"
    assert local.status().bolt_uri == local_env  # started again where it answered
    assert stats(local_env) == EXPECTED_STATS
    # a FILE that exists is never overwritten
    dumped = file.read_bytes()
    assert "exists" in one_line_error(cli("server", "dump", file, "--home", local.home))
    assert file.read_bytes() == dumped
    # another log in the database: restoring over it needs --replace
    assert cli("load", g50, "--quiet", "--replace").exit_code == 0
    g50_stats = stats(local_env)
    err = one_line_error(cli("server", "restore", file, "--home", local.home))
    assert "is not empty (50 User," in err and "--replace" in err
    assert stats(local_env) == g50_stats
    r = cli("server", "restore", file, "--replace", "--home", local.home)
    assert r.exit_code == 0, r.output
    assert r.stdout.strip().startswith(f"restored {file} into the database: 6 User, 18 nodes")
    assert local.status().bolt_uri == local_env
    assert stats(local_env) == EXPECTED_STATS
    with Neo4jStore.open(local_env) as store:  # the log's record came back with it
        assert store.meta == MemoryStore.open(tiny_dir).meta
    assert cli("load", tiny_dir, "--quiet").exit_code == 0  # the same log, no flag
    # a truncated dump passes the header check and fails halfway: the database is put back
    cut = tmp_path / "cut.dump"
    cut.write_bytes(dumped[: len(dumped) // 2])
    r = cli("server", "restore", cut, "--replace", "--home", local.home)
    assert r.exit_code == 2 and "Traceback" not in r.stderr
    errors = [line for line in r.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and r.stderr.strip().splitlines()[-1] == errors[0]  # after progress
    assert errors[0].startswith(f"error: {cut}: neo4j-admin could not load it (") and errors[
        0].endswith("the database is as it was"), errors
    assert local.status().bolt_uri == local_env and stats(local_env) == EXPECTED_STATS
    assert not list((local.home / "data" / "databases").glob(".*before-restore*"))


def test_bad_input_to_the_server_commands_is_one_line(
    local, local_env, tiny_dir, g50, tmp_path
):
    assert cli("load", tiny_dir, "--quiet").exit_code == 0
    before = stats(local_env)
    bad = tmp_path / "not.dump"
    bad.write_text("id,name\n1,x\n")
    err = one_line_error(cli("server", "restore", bad, "--replace", "--home", local.home))
    assert err == f"error: {bad}: not a Neo4j dump (made by `graphmodel server dump FILE`)"
    assert "no such file" in one_line_error(
        cli("server", "restore", tmp_path / "missing.dump", "--home", local.home)
    )
    # --bulk refuses a database holding another log too, before anything is stopped
    err = one_line_error(cli("load", g50, "--bulk", "--quiet", "--home", local.home))
    assert "already holds a log (6 User," in err and "--replace" in err
    assert local.status().bolt_uri == local_env and stats(local_env) == before
    # no server running in a home: reset and dump say so
    nowhere = tmp_path / "nowhere"
    err = one_line_error(cli("server", "reset", "--home", nowhere))
    assert err == f"error: no Neo4j server runs in {nowhere}: start it with `graphmodel server start`"
    assert "no database yet" in one_line_error(
        cli("server", "dump", tmp_path / "x.dump", "--home", nowhere)
    )
    assert not (tmp_path / "x.dump").exists()
    pd.testing.assert_series_equal(pd.Series(stats(local_env)), pd.Series(before))
