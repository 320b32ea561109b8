"""The value accounting on Neo4j agrees with the embedded store (floats to 1e-9).

The Neo4j server sends each stream's events (``cypher/value/stream_events.cypher``)
and the ``REFERRED`` edges (``cypher/value/referral_edges.cypher``); the model's
one implementation counts the pairs and walks the paths, for both stores. So
these tests check what the server holds and sends (every event, every edge, the
missing values) as much as the figures.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from store_compare import assert_same

from graphmodel.analysis.value import Accounts, distribution, extraction, ledger, value
from graphmodel.cli.main import main
from graphmodel.engines import MemoryStore
from graphmodel.engines.neo4j.store import Neo4jStore
from graphmodel.eventlog import write_log
from graphmodel.generator import GeneratorConfig, generate
from graphmodel.params import Params

pytestmark = pytest.mark.neo4j


def load(folder) -> None:
    r = CliRunner().invoke(main, ["load", str(folder), "--quiet"], catch_exceptions=False)
    assert r.exit_code == 0, r.output


def assert_all_views_agree(mem, neo, users=()) -> None:
    a, b = Accounts.from_store(mem), Accounts.from_store(neo)
    assert_same(a.pairs, b.pairs)
    assert_same(a.paths, b.paths)
    for model in ("decay", "linear", "last", "first"):
        p = Params({"attribution": model})
        for by in ("user", "stream", "platform", "actor"):
            assert_same(value(mem, by, p, accounts=a), value(neo, by, p, accounts=b))
        assert_same(extraction(mem, "user", p, accounts=a), extraction(neo, "user", p, accounts=b))
    assert_same(distribution(mem, accounts=a), distribution(neo, accounts=b))
    for u in users:
        assert_same(ledger(mem, u, accounts=a), ledger(neo, u, accounts=b))


def test_tiny_value_on_the_server(tiny_dir, neo4j_env):
    load(tiny_dir)
    with Neo4jStore.open(neo4j_env) as neo:
        # the server's own figures, by hand (tests/test_value.py shows the arithmetic)
        pairs = neo.value_pairs().set_index(["user_id", "stream_id"])
        assert pairs.loc[("u4", "s1"), "attention_value"] == pytest.approx(400 * 900 / 5400)
        assert pairs.loc[("u4", "s1"), "gmv"] == 100.0 and pairs.loc[("u4", "s1"), "referred"]
        assert pairs.loc[("u5", "s1"), "watches"] == 2
        assert pairs.loc[("u1", "s1"), "taps"] == 4 and pairs.loc[("u1", "s1"), "likes"] == 2
        paths = neo.referral_paths()
        assert sorted(map(tuple, paths[["user_id", "ancestor_id", "hops", "depth"]]
                          .to_numpy().tolist())) == [
            ("u2", "u1", 1, 1), ("u3", "u1", 1, 1), ("u4", "u1", 2, 2), ("u4", "u2", 1, 2)]
        assert_all_views_agree(MemoryStore.open(tiny_dir), neo,
                               users=["u1", "u2", "u3", "u4", "u5", "u6"])


def test_a_generated_platform_value_agrees(neo4j_env, tmp_path):
    folder = tmp_path / "platform"
    write_log(generate(GeneratorConfig(users=1500, days=2, seed=5)), folder, fmt="parquet")
    load(folder)
    mem = MemoryStore.open(folder)
    top = value(mem, "user", top=3)["user_id"].tolist()
    with Neo4jStore.open(neo4j_env) as neo:
        assert_all_views_agree(mem, neo, users=top)


def test_value_cli_on_neo4j(tiny_dir, neo4j_env):
    load(tiny_dir)
    r = CliRunner().invoke(main, ["value", "--neo4j", neo4j_env, "--format", "csv"])
    assert r.exit_code == 0, r.output
    header, row = r.stdout.splitlines()
    assert float(row.split(",")[header.split(",").index("user_generated_value")]) == (
        pytest.approx(559.09))
    r = CliRunner().invoke(main, ["ledger", "nobody", "--neo4j", neo4j_env])
    assert r.exit_code == 2 and r.stderr.startswith("error: unknown user id 'nobody'")


def test_the_ledger_and_the_browser_subgraph_show_the_same_account(tiny_dir, neo4j_env):
    """What `graphmodel ledger U` itemises is what cypher/browser/data_account.cypher draws:
    the same events, the same users it earned credit through, the same task rewards."""
    load(tiny_dir)
    mem = MemoryStore.open(tiny_dir)
    with Neo4jStore.open(neo4j_env) as neo:
        for user in ("u1", "u2", "u4", "u6"):
            led = ledger(mem, user)
            table = neo.run_file("browser/data_account_table", id=user)
            events = set(table.loc[table["part"] == "event", "event_id"])
            assert events == set(led.loc[led["entry"] == "event", "source"]), user
            # credit comes from the users below: the referral subtree under `user`
            below = set(led.loc[led["entry"] == "credit", "source"])
            direct = set(table.loc[table["part"] == "referred out", "to_id"])
            assert direct <= below, user
            tasks = table.loc[table["part"] == "task", "to_id"].tolist()
            assert sorted(tasks) == sorted(led.loc[led["entry"] == "reward", "source"]), user
