"""The Neo4j Browser files in ``cypher/browser/``: named queries on the tiny log, and the style.

Every expected value is computed by hand from ``tests/fixtures/tiny`` (see
``tests/fixtures/README.md``): the cascades of MODEL.md section 6, the data
account of section 7 and the attention value of section 5.3.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from graphmodel.cypher import cypher_dir, load_cypher
from graphmodel.schema import NODE_LABELS, RELATIONSHIPS

pytestmark = pytest.mark.neo4j

BROWSER = cypher_dir() / "browser"
QUERIES = sorted(p.stem for p in BROWSER.glob("*.cypher"))


@pytest.fixture(scope="module")
def driver(neo4j_auth, tiny_log):
    """A driver on a database holding exactly the tiny log."""
    import neo4j

    from graphmodel.engines.neo4j.load import load_log

    uri, user, password = neo4j_auth
    with neo4j.GraphDatabase.driver(uri, auth=(user, password)) as d:
        with d.session() as s:
            s.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS").consume()
        load_log(tiny_log, d)
        yield d


@pytest.fixture(scope="module")
def tiny_log():
    from graphmodel.eventlog import read_log

    return read_log(Path(__file__).parent / "fixtures" / "tiny")


def run(driver, name: str, **params) -> list[dict]:
    """The records of ``cypher/browser/<name>.cypher`` as dicts of driver values."""
    with driver.session() as s:
        return [dict(r) for r in s.run(load_cypher(f"browser/{name}"), **params)]


def edges(path) -> set[tuple[str, str, str]]:
    return {(r.type, r.start_node["id"], r.end_node["id"]) for r in path.relationships}


# -- cascades ---------------------------------------------------------------------------


def test_largest_cascades_table(driver):
    rows = run(driver, "largest_cascades_table", limit=10)
    assert [tuple(r.values()) for r in rows] == [("u1", "s1", 4, 2), ("u6", "s2", 1, 0)]
    assert list(rows[0]) == ["root_id", "stream_id", "size", "depth"]
    assert [r["root_id"] for r in run(driver, "largest_cascades_table", limit=1)] == ["u1"]


def test_largest_cascades_draws_the_tree_and_the_root_share(driver):
    first, second = run(driver, "largest_cascades", limit=5)
    assert (first["root_id"], first["stream_id"]) == ("u1", "s1")
    assert (first["size"], first["depth"]) == (4, 2)
    drawn = set().union(*(edges(p) for p in first["paths"]))
    assert drawn == {
        ("SHARED", "u1", "s1"),
        ("REFERRED", "u1", "u2"),
        ("REFERRED", "u1", "u3"),
        ("REFERRED", "u2", "u4"),
    }
    refs = [r for p in first["paths"] for r in p.relationships if r.type == "REFERRED"]
    assert {r["stream_id"] for r in refs} == {"s1"}
    shares = [r for p in first["paths"] for r in p.relationships if r.type == "SHARED"]
    assert {r["event_id"] for r in shares} == {"e03"}
    members = {n["id"] for p in first["paths"] for n in p.nodes if "User" in n.labels}
    assert members == {"u1", "u2", "u3", "u4"} and len(members) == first["size"]
    # each edge of the tree once (the Browser's summary counts repetitions)
    assert sorted(len(p) for p in first["paths"]) == [1, 1, 1, 1]
    # a share that brought nobody: a cascade of size 1, drawn as its share alone
    assert (second["root_id"], second["size"], second["depth"]) == ("u6", 1, 0)
    assert [edges(p) for p in second["paths"]] == [{("SHARED", "u6", "s2")}]
    # u2 and u3 shared in s1 too, but were referred there: no cascade of their own
    assert len(run(driver, "largest_cascades", limit=1)) == 1


@pytest.mark.parametrize("name", ["largest_cascades", "largest_cascades_table"])
def test_cascades_follow_only_edges_of_their_own_stream(driver, name):
    # An edge u4 -> u5 of another stream must not extend the s1 cascade to depth 3.
    with driver.session() as s, s.begin_transaction() as tx:
        tx.run(
            "MATCH (a:User {id: 'u4'}), (b:User {id: 'u5'}) "
            "CREATE (a)-[:REFERRED {stream_id: 's2', share_id: 'x', channel: 'qq'}]->(b)"
        ).consume()
        rows = [dict(r) for r in tx.run(load_cypher(f"browser/{name}"), limit=10)]
        tx.rollback()
    assert [(r["root_id"], r["stream_id"], r["size"], r["depth"]) for r in rows] == [
        ("u1", "s1", 4, 2),
        ("u6", "s2", 1, 0),
    ]


# -- data account -----------------------------------------------------------------------


def account(rows) -> set[tuple[str, str, str, str]]:
    return {(r["part"], *e) for r in rows for e in edges(r["p"])}


def test_data_account_of_a_referred_buyer(driver):
    rows = run(driver, "data_account", id="u4")
    assert account(rows) == {
        ("event", "WATCHED", "u4", "s1"),
        ("purchase", "PURCHASED", "u4", "p1"),
        ("purchase", "SELLS", "a1", "p1"),
        ("host", "HOSTED", "h1", "s1"),
        ("sponsor", "SPONSORED", "a1", "s1"),
        ("sponsor", "SPONSORED", "a2", "s1"),
        ("referred in", "REFERRED", "u2", "u4"),
    }
    rels = {r.type: r for row in rows for r in row["p"].relationships}
    assert rels["WATCHED"]["event_id"] == "e08" and rels["WATCHED"]["seconds"] == 900.0
    assert rels["PURCHASED"]["event_id"] == "e09" and rels["PURCHASED"]["amount"] == 100.0
    assert (rels["REFERRED"]["stream_id"], rels["REFERRED"]["share_id"]) == ("s1", "e07")
    assert [r["p"].start_node["id"] for r in rows if r["part"] == "user"] == ["u4"]


def test_data_account_of_a_root_with_tasks(driver):
    rows = run(driver, "data_account", id="u1")
    got = account(rows)
    assert {e for e in got if e[0] == "event"} == {
        ("event", t, "u1", s)
        for t, s in [
            ("WATCHED", "s1"),
            ("WATCHED", "s2"),
            ("LIKED", "s1"),
            ("SHARED", "s1"),
            ("COMMENTED", "s2"),
        ]
    }
    assert sum(1 for r in rows if r["part"] == "event") == 6  # two likes in s1 (e02, e14)
    assert {e for e in got if e[0] != "event"} == {
        ("host", "HOSTED", "h1", "s1"),
        ("host", "HOSTED", "h2", "s2"),
        ("sponsor", "SPONSORED", "a1", "s1"),
        ("sponsor", "SPONSORED", "a2", "s1"),
        ("sponsor", "SPONSORED", "a2", "s2"),
        ("referred out", "REFERRED", "u1", "u2"),
        ("referred out", "REFERRED", "u1", "u3"),
        ("task", "COMPLETED", "u1", "t1"),
        ("task", "COMPLETED", "u1", "t2"),
    }
    assert run(driver, "data_account", id="nobody") == []


@pytest.mark.parametrize("user", ["u1", "u4", "u6"])
def test_data_account_table_lists_what_the_graph_draws(driver, user):
    graph = account(run(driver, "data_account", id=user))
    table = run(driver, "data_account_table", id=user)
    listed = {(r["part"], r["type"], r["from_id"], r["to_id"]) for r in table}
    purchases = {("event", t, a, b) for p, t, a, b in graph if t == "PURCHASED"}
    assert listed == {e for e in graph if e[1] != "PURCHASED"} | purchases
    assert [r["part"] for r in table] == sorted(r["part"] for r in table)


def test_data_account_table_details(driver):
    table = run(driver, "data_account_table", id="u6")
    by = {(r["type"], r["to_id"]): r for r in table}
    assert (by[("WATCHED", "s2")]["event_id"], by[("WATCHED", "s2")]["seconds"]) == ("e15", 3600.0)
    assert by[("LIKED", "s2")]["count"] == 5
    assert by[("SHARED", "s2")]["channel"] == "douyin"
    assert (by[("PURCHASED", "p3")]["amount"], by[("PURCHASED", "p3")]["stream_id"]) == (20.0, "s2")
    assert (by[("COMPLETED", "t2")]["coupon"], by[("COMPLETED", "t2")]["coupon_redeemed"]) == (
        5.0,
        True,
    )
    assert (by[("SPONSORED", "s2")]["spend"], by[("SPONSORED", "s2")]["impressions"]) == (
        150.0,
        3000,
    )
    assert by[("SELLS", "p3")]["event_id"] is None
    u4 = {r["type"]: r for r in run(driver, "data_account_table", id="u4")}
    assert (u4["WATCHED"]["via_share"], u4["REFERRED"]["share_id"]) == ("e07", "e07")
    assert (u4["REFERRED"]["channel"], u4["REFERRED"]["stream_id"]) == ("weibo", "s1")


# -- value flow -------------------------------------------------------------------------


def test_value_flow_largest_flows(driver):
    rows = run(driver, "value_flow", limit=6)
    got = [
        (
            r["user_id"],
            r["stream_id"],
            r["advertiser_id"],
            r["watch_seconds"],
            r["stream_seconds"],
            r["spend"],
        )
        for r in rows
    ]
    # s1: 400 yuan (a1 300, a2 100) over 5400 watch seconds; s2: a2 150 over 5400
    assert got == [
        ("u1", "s1", "a1", 1800.0, 5400.0, 300.0),  # 100.00
        ("u6", "s2", "a2", 3600.0, 5400.0, 150.0),  # 100.00
        ("u2", "s1", "a1", 1200.0, 5400.0, 300.0),  # 66.67
        ("u1", "s2", "a2", 1800.0, 5400.0, 150.0),  # 50.00
        ("u4", "s1", "a1", 900.0, 5400.0, 300.0),  # 50.00
        ("u5", "s1", "a1", 900.0, 5400.0, 300.0),  # 50.00, two watches: 300 + 600 s
    ]
    assert [r["value"] for r in rows] == pytest.approx([100.0, 100.0, 200 / 3, 50.0, 50.0, 50.0])
    u5 = rows[-1]
    assert sorted(w["event_id"] for w in u5["watched"]) == ["e10", "e11"]
    assert [sp["spend"] for sp in u5["sponsored"]] == [300.0]
    assert (u5["user"]["id"], u5["stream"]["id"], u5["advertiser"]["id"]) == ("u5", "s1", "a1")


def test_value_flow_adds_up_to_the_attention_value(driver):
    rows = run(driver, "value_flow", limit=1000)
    assert len(rows) == 12  # 5 viewers x 2 advertisers in s1, 2 viewers x 1 in s2
    assert sum(r["value"] for r in rows) == pytest.approx(630.0 - 80.0)  # s3: nobody watched
    per_user: dict[str, float] = {}
    for r in rows:
        per_user[r["user_id"]] = per_user.get(r["user_id"], 0.0) + r["value"]
    assert per_user == pytest.approx(
        {
            "u1": 400 / 3 + 50,
            "u2": 800 / 9,
            "u3": 400 / 9,
            "u4": 200 / 3,
            "u5": 200 / 3,
            "u6": 100.0,
        }
    )


def test_value_flow_table_per_advertiser(driver):
    rows = run(driver, "value_flow_table", limit=10)
    assert [tuple(r.values()) for r in rows] == [
        ("a1", "Brand A", 2, 380.0, 5, 5400.0, 300.0, 80.0),
        ("a2", "Brand B", 2, 250.0, 6, 10800.0, 250.0, 0.0),
    ]
    assert list(rows[0]) == [
        "advertiser_id",
        "name",
        "streams",
        "spend",
        "viewers",
        "watch_seconds",
        "allocated",
        "unallocated",
    ]


# -- the files themselves ---------------------------------------------------------------


def test_the_named_queries_are_there():
    assert set(QUERIES) >= {
        "largest_cascades",
        "largest_cascades_table",
        "data_account",
        "data_account_table",
        "value_flow",
        "value_flow_table",
    }


@pytest.mark.parametrize("name", QUERIES)
def test_header_says_which_params_to_set(name):
    text = load_cypher(f"browser/{name}")
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))
    header = "\n".join(line for line in text.splitlines() if line.startswith("//"))
    used = set(re.findall(r"\$(\w+)", body))
    assert used, f"{name} takes no parameter"
    assert used == set(re.findall(r"^//\s+:param (\w+) => ", header, flags=re.M))


def parse_grass(text: str) -> dict[str, dict[str, str]]:
    """GRASS as Neo4j Browser reads it (``parseGrassCSS`` in neo4j-browser's grassUtils.ts).

    Characters inside quotes are kept, the quotes dropped; a rule is
    ``selector { key: value; ... }``; a declaration with more or fewer than
    one colon is dropped, as the Browser drops it.
    """
    rules: dict[str, str] = {}
    keyword, props = "", ""
    in_string = in_props = in_binding = False
    for c in text:
        if c in "'\"":
            in_string = not in_string
            continue
        if c == "{" and not in_string:
            if in_props:
                in_binding = True
            else:
                in_props = True
            continue
        if c == "}" and not in_string:
            if in_binding:
                in_binding = False
            else:
                in_props = False
                rules[keyword] = props
                keyword, props = "", ""
            continue
        if in_props:
            props += c
        elif not c.isspace():
            keyword += c
    out: dict[str, dict[str, str]] = {}
    for selector, body in rules.items():
        out[selector] = {}
        for decl in body.split(";"):
            parts = decl.split(":")
            if len(parts) == 2:
                out[selector][parts[0].strip()] = parts[1].strip()
    return out


@pytest.fixture(scope="module")
def grass() -> tuple[str, dict[str, dict[str, str]]]:
    text = (BROWSER / "style.grass").read_text(encoding="utf-8")
    return text, parse_grass(text)


def test_grass_styles_every_label_and_relationship_type(grass):
    text, rules = grass
    for label in NODE_LABELS:
        rule = rules[f"node.{label}"]
        assert re.fullmatch(r"#[0-9A-Fa-f]{6}", rule["color"]), label
        assert rule["caption"] and rule["diameter"].endswith("px"), label
    for rel in RELATIONSHIPS:
        assert re.fullmatch(r"#[0-9A-Fa-f]{6}", rules[f"relationship.{rel}"]["color"]), rel
    assert rules["node.User"]["caption"] == "{id}"
    assert rules["node.Streamer"]["caption"] == rules["node.Advertiser"]["caption"] == "{name}"
    assert rules["node.Task"]["caption"] == "{kind}"
    assert rules["relationship.SHARED"]["caption"] == "{channel}"
    assert rules["relationship.REFERRED"]["caption"] == "{channel}"
    assert rules["relationship"]["caption"] == "<type>"
    # every declaration survives the Browser's parser (no comments, one colon each)
    declarations = re.findall(r"^\s+[\w-]+:", text, flags=re.M)
    assert len(declarations) == sum(len(r) for r in rules.values())
    assert "/*" not in text and "//" not in text


def test_grass_captions_name_properties_the_graph_has(driver, grass):
    _, rules = grass
    with driver.session() as s:
        for selector, rule in rules.items():
            kind, _, name = selector.partition(".")
            for prop in re.findall(r"\{(\w+)\}", rule.get("caption", "")):
                pattern = f"(x:{name})" if kind == "node" else f"()-[x:{name}]->()"
                missing = s.run(
                    f"MATCH {pattern} WHERE x[$p] IS NULL RETURN count(x) AS n", p=prop
                ).single()["n"]
                total = s.run(f"MATCH {pattern} RETURN count(x) AS n").single()["n"]
                assert total > 0 and missing == 0, (selector, prop)
