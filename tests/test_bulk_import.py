"""The offline bulk path: ``neo4j-admin database import full`` gives the Bolt loader's graph.

The import replaces the database, so these tests run their own local server
in a temporary home (not the session's shared one), started once for the
module and stopped at its end. Each bulk import stops and restarts it.
"""

from __future__ import annotations

import warnings

import neo4j
import pandas as pd
import pytest
from store_compare import assert_stores_agree
from tiny_expected import EXPECTED_STATS

from graphmodel.engines import MemoryStore
from graphmodel.engines.neo4j.bulk import (
    bulk_import,
    import_arguments,
    run_import,
    write_import_files,
)
from graphmodel.engines.neo4j.load import load_log
from graphmodel.engines.neo4j.store import Neo4jStore
from graphmodel.errors import ServerError
from graphmodel.eventlog import EventLog, read_log
from graphmodel.schema import TABLE_NAMES
from graphmodel.server import LocalServer, read_credentials

#: Quotes, commas, line breaks, an empty string, padding, semicolons, non-ASCII text.
AWKWARD_TEXT = ['say "hi", twice', "", "line one\nline two\r\n", "  padded  ", None, "直播;带货"]

# --- the files, without a server ------------------------------------------------------


def test_files_have_typed_headers_and_the_graphs_row_counts(tiny_dir, tmp_path):
    files = write_import_files(read_log(tiny_dir), tmp_path)
    assert [(k, v) for k, v in files["counts"].items()] == [(n, c) for _, n, c in EXPECTED_STATS]
    assert files["rows"] == sum(c for _, _, c in EXPECTED_STATS)
    assert [label for label, _ in files["nodes"]] == [
        "User",
        "Streamer",
        "Advertiser",
        "Stream",
        "Product",
        "Task",
    ]
    assert [p.name for rel, p in files["relationships"] if rel == "FOLLOWS"] == [
        "FOLLOWS-User.csv",
        "FOLLOWS-Streamer.csv",
    ]
    head = {p.name: p.read_text().splitlines() for _, p in files["nodes"] + files["relationships"]}
    assert head["User.csv"][0] == "id:ID(User),joined_at:localdatetime,segment:string"
    assert head["Stream.csv"][0] == (
        "id:ID(Stream),started_at:localdatetime,ended_at:localdatetime,duration_s:double,"
        "category:string"
    )
    assert head["Stream.csv"][1] == (
        '"s1","2024-03-01T20:00:00.000000","2024-03-01T21:00:00.000000",3600,"beauty"'
    )
    assert head["FOLLOWS-Streamer.csv"][0] == (
        ":START_ID(User),:END_ID(Streamer),kind:string,since:localdatetime"
    )
    assert head["WATCHED.csv"][0] == (
        ":START_ID(User),:END_ID(Stream),event_id:string,at:localdatetime,seconds:double,"
        "via_share:string"
    )
    assert head["WATCHED.csv"][1].endswith(",1800,")  # no via_share: an empty, unquoted field
    assert head["LIKED.csv"][0].endswith(",count:long")
    assert head["LIKED.csv"][2].endswith(",1")  # e14 has no count: the default, 1
    assert head["COMPLETED.csv"][0] == (
        ":START_ID(User),:END_ID(Task),row:long,at:localdatetime,coins:long,coupon:double,"
        "coupon_redeemed:boolean"
    )
    assert head["REFERRED.csv"][0] == (
        ":START_ID(User),:END_ID(User),stream_id:string,share_id:string,at:localdatetime,"
        "channel:string,how:string"
    )
    assert head["REFERRED.csv"][1:] == [
        '"u1","u2","s1","e03","2024-03-01T20:12:00.000000","wechat","recorded"',
        '"u1","u3","s1","e03","2024-03-01T20:15:00.000000","wechat","recorded"',
        '"u2","u4","s1","e07","2024-03-01T20:30:00.000000","weibo","recorded"',
    ]
    assert not files["multiline_fields"]
    args = import_arguments(files, "neo4j")
    assert args[:5] == ["database", "import", "full", "neo4j", "--overwrite-destination=true"]
    assert f"--nodes=User={tmp_path / 'User.csv'}" in args
    assert f"--relationships=FOLLOWS={tmp_path / 'FOLLOWS-Streamer.csv'}" in args
    relative = import_arguments(files, "neo4j", relative=True)
    assert "--nodes=User=User.csv" in relative
    assert "--relationships=FOLLOWS=FOLLOWS-Streamer.csv" in relative


def test_awkward_values_are_quoted_and_times_cut_to_the_microsecond(tiny_dir, tmp_path):
    log = read_log(tiny_dir)
    users = log["users"].copy()
    users["segment"] = pd.array(AWKWARD_TEXT, dtype=pd.StringDtype("pyarrow"))
    times = [
        "2023-01-15T10:00:00.123456789",
        "1969-12-31T23:59:59.999999999",
        None,
        "2024-02-10T08:15:00",
        "2024-02-10T08:15:00.5",
        "2024-02-20T21:00:00.000001",
    ]
    users["joined_at"] = pd.to_datetime(times, format="ISO8601").astype("datetime64[ns]")
    files = write_import_files(EventLog.from_frames(dict(log.tables, users=users)), tmp_path)
    assert files["multiline_fields"]
    assert import_arguments(files).count("--multiline-fields=true") == 1
    text = (tmp_path / "User.csv").read_bytes().decode("utf-8")
    with warnings.catch_warnings():  # what the driver sends: Python datetimes, microseconds
        warnings.simplefilter("ignore", UserWarning)
        sent = [
            None if pd.isna(t) else t.to_pydatetime().isoformat(timespec="microseconds")
            for t in users["joined_at"]
        ]
    assert text == (
        "id:ID(User),joined_at:localdatetime,segment:string\n"
        f'"u1","{sent[0]}","say ""hi"", twice"\n'
        f'"u2","{sent[1]}",""\n'
        '"u3",,"line one\nline two\r\n"\n'
        f'"u4","{sent[3]}","  padded  "\n'
        f'"u5","{sent[4]}",\n'
        f'"u6","{sent[5]}","直播;带货"\n'
    )
    assert sent[:2] == ["2023-01-15T10:00:00.123456", "1969-12-31T23:59:59.999999"]


# --- on a real server -----------------------------------------------------------------


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A local server of this module's own, on free ports; later starts reuse those ports."""
    home = tmp_path_factory.mktemp("bulk-neo4j")
    LocalServer(home, bolt_port=0, http_port=0).start()
    srv = LocalServer(home)
    try:
        yield srv
    finally:
        srv.stop()


def driver_for(server: LocalServer):
    status = server.status()
    if not status.running:
        server.start()
        status = server.status()
    creds = read_credentials(server.home)
    return neo4j.GraphDatabase.driver(status.bolt_uri, auth=(creds["user"], creds["password"]))


def _canon(props: dict) -> tuple:
    return tuple(sorted((k, type(v).__name__, repr(v)) for k, v in props.items()))


def dump(driver) -> dict:
    """Every node and relationship with its properties and their value types; the schema."""
    nodes, _, _ = driver.execute_query("MATCH (n) RETURN labels(n) AS l, properties(n) AS p")
    rels, _, _ = driver.execute_query(
        "MATCH (a)-[r]->(b) RETURN type(r) AS t, labels(a) AS la, a.id AS a, labels(b) AS lb, "
        "b.id AS b, properties(r) AS p"
    )
    constraints, _, _ = driver.execute_query(
        "SHOW CONSTRAINTS YIELD name, type, entityType, labelsOrTypes, properties"
    )
    indexes, _, _ = driver.execute_query(
        "SHOW INDEXES YIELD name, type, entityType, labelsOrTypes, properties"
    )
    # the log's record keeps where from and when each log was loaded: two loads of one
    # log differ only there
    when = {"loaded_at", "folders"}
    return {
        "nodes": sorted(
            (tuple(r["l"]), _canon({k: v for k, v in r["p"].items() if k not in when}))
            for r in nodes
        ),
        "relationships": sorted(
            (r["t"], tuple(r["la"]), r["a"], tuple(r["lb"]), r["b"], _canon(r["p"])) for r in rels
        ),
        "constraints": sorted(str(sorted(r.data().items())) for r in constraints),
        "indexes": sorted(str(sorted(r.data().items())) for r in indexes),
    }


def bolt_load(server: LocalServer, log: EventLog) -> dict:
    with driver_for(server) as d:
        with d.session() as session:
            session.run(
                "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS"
            ).consume()
        with warnings.catch_warnings():  # nanoseconds the driver cannot send
            warnings.simplefilter("ignore", UserWarning)
            load_log(log, d)
        return dump(d)


@pytest.mark.neo4j
def test_tiny_log_gives_exactly_the_graph_the_bolt_loader_writes(server, tiny_dir):
    log = read_log(tiny_dir)
    by_bolt = bolt_load(server, log)
    with driver_for(server) as d:
        bolt_tables = {name: Neo4jStore(d, "bolt").table(name) for name in TABLE_NAMES}

    stats = bulk_import(log, server)
    assert server.status().running
    assert (stats["nodes"], stats["relationships"], stats["rows"]) == (18, 49, 67)
    assert stats["rows_per_second"] > 0 and stats["files_dir"] is None
    assert not any((server.home / "import").iterdir())  # the temporary files are gone

    with driver_for(server) as d:
        assert dump(d) == by_bolt
        neo = Neo4jStore(d, stats["bolt_uri"])
        mem = MemoryStore.open(tiny_dir)
        assert list(neo.stats().itertuples(index=False, name=None)) == EXPECTED_STATS
        pd.testing.assert_frame_equal(neo.stats(), mem.stats())
        for name in TABLE_NAMES:
            pd.testing.assert_frame_equal(neo.table(name), bolt_tables[name], obj=name)
        assert_stores_agree(mem, neo)


def with_awkward_values(log: EventLog) -> EventLog:
    """``log`` with quotes, commas, line breaks, an empty string, padding, semicolons,
    non-ASCII text, microseconds and long binary fractions in it."""
    users = log["users"].copy()
    segment = users["segment"].astype(object)
    segment.iloc[: len(AWKWARD_TEXT)] = AWKWARD_TEXT
    users["segment"] = segment.astype(pd.StringDtype("pyarrow"))
    users.loc[users.index[:3], "joined_at"] = pd.to_datetime(
        ["1969-12-31T23:59:59.999999", "2024-02-20T21:00:00.000001", "2261-12-31T23:59:59.5"],
        format="ISO8601",
    ).astype("datetime64[ns]")
    streamers = log["streamers"].copy()
    streamers.loc[streamers.index[:2], "commission_rate"] = [1 / 3, 0.1 + 0.2]
    streamers["name"] = streamers["name"].astype(object)
    streamers.loc[streamers.index[:2], "name"] = ["Host, One", '"Two"']
    streamers["name"] = streamers["name"].astype(pd.StringDtype("pyarrow"))
    return EventLog.from_frames(dict(log.tables, users=users, streamers=streamers), "awkward")


@pytest.mark.neo4j
@pytest.mark.slow
def test_generated_log_is_the_bolt_graph_and_a_second_import_replaces_it(server, tmp_path):
    from graphmodel.generator import GeneratorConfig, generate

    log = with_awkward_values(generate(GeneratorConfig(users=500, days=2, seed=1)))
    mem = MemoryStore(log)
    expected = mem.stats()
    by_bolt = bolt_load(server, log)

    stats = bulk_import(log, server)
    assert stats["rows"] == int(expected["count"].sum())
    with driver_for(server) as d:
        assert dump(d) == by_bolt
        neo = Neo4jStore(d, stats["bolt_uri"])
        pd.testing.assert_frame_equal(neo.stats(), expected)
        assert_stores_agree(mem, neo)
        seg, _, _ = d.execute_query("MATCH (u:User) WHERE u.segment = '' RETURN count(u) AS n")
        assert seg[0]["n"] == 1  # an empty string stays one, not a missing property

    stats = bulk_import(log, server, files_dir=tmp_path / "files")
    assert stats["files_dir"] == tmp_path / "files" and (tmp_path / "files" / "User.csv").exists()
    with driver_for(server) as d:  # the same graph, not twice as much
        pd.testing.assert_frame_equal(Neo4jStore(d, stats["bolt_uri"]).stats(), expected)
        assert dump(d) == by_bolt


@pytest.mark.neo4j
def test_bulk_refuses_while_a_load_holds_the_lock_and_break_lock_imports(server, tiny_dir):
    """A Bolt load holding the load lock: the import would stop the server under it, so it
    refuses in one line and leaves the server running; ``break_lock`` imports, and the
    imported database has the lock's constraint, as a Bolt load leaves it."""
    from graphmodel.engines.neo4j.load import LoadLocked, load_lock_holder, take_load_lock

    log = read_log(tiny_dir)
    with driver_for(server) as d:
        take_load_lock(d, command="graphmodel load elsewhere")
        pid = server.status().pid
        uri = server.status().bolt_uri
        with pytest.raises(LoadLocked) as err:
            bulk_import(log, server)
        assert "\n" not in str(err.value)
        assert str(err.value).startswith(
            f"{uri}: another load is writing this database (the load lock is held by pid "
        )
        assert "(graphmodel load elsewhere)" in str(err.value)
        assert server.status().pid == pid  # not stopped
        assert load_lock_holder(d) is not None
    stats = bulk_import(log, server, break_lock=True)
    assert stats["rows"] == 67
    with driver_for(server) as d:
        assert load_lock_holder(d) is None
        c, _, _ = d.execute_query(
            "SHOW CONSTRAINTS YIELD labelsOrTypes, properties "
            "WHERE labelsOrTypes = ['GraphmodelLock'] RETURN properties"
        )
        assert [r["properties"] for r in c] == [["name"]]
        take_load_lock(d).release()  # the lock works on the imported database


@pytest.mark.neo4j
def test_import_refuses_a_running_server_and_another_database(server, tiny_dir, tmp_path):
    files = write_import_files(read_log(tiny_dir), tmp_path / "files")
    driver_for(server).close()  # it runs
    with pytest.raises(ServerError, match="stop it first"):
        run_import(files, server)
    with pytest.raises(ServerError, match="one user database, 'neo4j'"):
        run_import(files, tmp_path / "home", database="other")


@pytest.mark.neo4j
def test_a_failed_import_is_one_line_naming_the_cause(tiny_dir, tmp_path):
    """On a home of its own that never ran a server: the tool alone, no start or stop."""
    files = write_import_files(read_log(tiny_dir), tmp_path / "files")
    watched = next(p for rel, p in files["relationships"] if rel == "WATCHED")
    with open(watched, "a", encoding="utf-8") as f:
        f.write('"nobody","s1","e99","2024-03-01T20:00:00.000000",1,\n')
    with pytest.raises(ServerError) as err:
        run_import(files, tmp_path / "home")
    message = str(err.value)
    assert "\n" not in message
    assert message.startswith(
        "neo4j-admin database import failed (exit code 70): nobody (User)-[WATCHED]->s1 (Stream) "
        "referring to missing node nobody (WATCHED.csv line 9); "
    )
    assert str(tmp_path / "home" / "logs" / "import.log") in message


@pytest.mark.neo4j
def test_empty_tables_give_header_only_files_that_import(tmp_path):
    users = pd.DataFrame({"user_id": ["u1", "u2"], "segment": ["a", None]})
    files = write_import_files(EventLog.from_frames({"users": users}), tmp_path / "files")
    assert (tmp_path / "files" / "WATCHED.csv").read_text().count("\n") == 1
    assert files["rows"] == 2
    imported = run_import(files, tmp_path / "home")
    assert (imported["nodes"], imported["relationships"], imported["properties"]) == (2, 0, 3)


def test_the_cli_bulk_path_then_stats_as_a_user_runs_them(server, tiny_dir, monkeypatch):
    from click.testing import CliRunner
    from tiny_expected import EXPECTED_STATS

    from graphmodel.cli.main import main

    for var in ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("GRAPHMODEL_NEO4J_HOME", str(server.home))
    r = CliRunner().invoke(main, ["load", str(tiny_dir), "--bulk", "--quiet"])
    assert r.exit_code == 0, r.output
    uri = server.status().bolt_uri
    r = CliRunner().invoke(main, ["stats", "--neo4j", uri, "--format", "csv"])
    assert r.exit_code == 0, r.output
    rows = [tuple(line.split(",")) for line in r.stdout.splitlines()[1:]]
    assert rows == [(k, n, str(c)) for k, n, c in EXPECTED_STATS]


def test_a_partial_log_with_inferred_referrals_imports_the_bolt_graph(
    server, tmp_path, monkeypatch
):
    """``load --bulk --referrals time``: the REFERRED edges say how, and the log's record
    (coverage, graphmodel.json) is the one a Bolt load writes."""
    from click.testing import CliRunner
    from partial_log import write_partial

    from graphmodel.cli.main import main
    from graphmodel.model.inference import infer_log

    folder = write_partial(tmp_path / "partial")
    by_bolt = bolt_load(server, infer_log(read_log(folder), "time", 600))
    for var in ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("GRAPHMODEL_NEO4J_HOME", str(server.home))
    r = CliRunner().invoke(
        main,
        [
            "load",
            str(folder),
            "--bulk",
            "--quiet",
            "--referrals",
            "time",
            "--referral-window",
            "10min",
        ],
    )
    assert r.exit_code == 0, r.output
    mem = MemoryStore.open(folder, referrals="time", window_s=600)
    with driver_for(server) as d:
        assert dump(d) == by_bolt
        neo = Neo4jStore(d, server.status().bolt_uri)
        assert neo.coverage == mem.coverage and neo.meta == mem.meta
        pd.testing.assert_frame_equal(neo.referrals(), mem.referrals())
        assert (neo.referrals()["how"] == "time").all() and len(neo.referrals()) > 0
        pd.testing.assert_frame_equal(neo.stats(), mem.stats())


def test_load_without_a_uri_or_bulk_is_a_user_error(tiny_dir, monkeypatch):
    from click.testing import CliRunner

    from graphmodel.cli.main import main

    monkeypatch.delenv("NEO4J_URI", raising=False)
    r = CliRunner().invoke(main, ["load", str(tiny_dir)])
    assert r.exit_code == 2 and "--neo4j" in r.stderr
