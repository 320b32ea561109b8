"""The table-to-graph mapping of graphmodel.schema (NODES, EDGES) is the one truth.

Checked here: every column it names exists; the names derived from it keep their
values; every ``cypher/load`` file (keyed and fresh) writes exactly the labels, types,
ends and properties the mapping gives (Cypher cannot take a label or a type as a
parameter, so the files spell them); the bulk import files, the loader's steps, the
in-memory stats and the networkx property graph follow it; and the counts of the tiny
log, computed by hand (tests/fixtures/README.md).
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pandas as pd
import pytest

from graphmodel.cypher import cypher_dir, load_cypher
from graphmodel.engines.memory.store import MemoryStore
from graphmodel.engines.neo4j import bulk, load
from graphmodel.eventlog import read_log
from graphmodel.schema import (
    DERIVATIONS,
    DERIVED_TABLES,
    EDGE,
    EDGES,
    EVENT_RELATIONSHIP,
    NODE,
    NODE_LABELS,
    NODES,
    RELATIONSHIPS,
    TABLES,
    relationship_rows,
)

# --- the mapping itself ------------------------------------------------------------------


def test_node_columns_exist():
    for m in NODES:
        table = TABLES[m.table]
        assert table.column(m.key).unique, m.label
        for p in m.properties:
            if p in m.computed:
                assert p not in table.column_names, (m.label, p)
            else:
                table.column(p)  # KeyError when missing
        assert set(m.computed) <= set(m.properties)
        assert (cypher_dir() / "load" / f"{m.load}.cypher").is_file()


def test_relationship_columns_exist():
    labels = {m.label for m in NODES}
    for m in EDGES:
        assert m.table in TABLES, m.type
        source = m.source
        for label, column in (m.start, m.end):
            assert set(label.split("|")) <= labels, (m.type, label)
            source.column(column)
        for p in (*m.properties, *m.extra):
            source.column(p)
        assert "row" not in source.column_names or not m.row_number
        assert {k for k, _ in m.defaults} <= set(m.properties)
        if m.row_filter is not None:
            column, value = m.row_filter
            assert value in TABLES[m.table].column(column).values, m.type
        if m.derived:
            assert m.derived in DERIVED_TABLES and m.derived in DERIVATIONS
        assert m.load and (m.step or any(n.load == m.load for n in NODES)), m.type


def test_ends_are_the_foreign_keys_of_their_labels():
    """A single-label end whose column is a foreign key points at that label's key."""
    for m in EDGES:
        for label, column in (m.start, m.end):
            ref = m.source.column(column).ref
            if "|" in label or ref is None:
                continue
            node = NODE[label]
            assert ref == (node.table, node.key), (m.type, label, column)


def test_derived_tables_are_what_their_functions_make(tiny_dir):
    log = read_log(tiny_dir)
    for name, (module, function) in DERIVATIONS.items():
        made = getattr(importlib.import_module(module), function)
        (m,) = [e for e in EDGES if e.derived == name]
        assert list(made(log[m.table]).columns) == DERIVED_TABLES[name].column_names
    # the engines make them with the same functions
    for name, function in {**load._DERIVE, **bulk._DERIVE}.items():
        module, attr = DERIVATIONS[name]
        assert function is getattr(importlib.import_module(module), attr)


def test_public_names_derived_from_the_mapping():
    assert NODE_LABELS == {
        "User": ("users", "user_id"),
        "Streamer": ("streamers", "streamer_id"),
        "Advertiser": ("advertisers", "advertiser_id"),
        "Stream": ("streams", "stream_id"),
        "Product": ("products", "product_id"),
        "Task": ("tasks", "task_id"),
    }
    assert RELATIONSHIPS == {
        "HOSTED": ("Streamer", "Stream", ()),
        "SELLS": ("Advertiser", "Product", ()),
        "FOLLOWS": ("User", "User|Streamer", ("kind", "since")),
        "WATCHED": ("User", "Stream", ("event_id", "at", "seconds")),
        "LIKED": ("User", "Stream", ("event_id", "at", "count")),
        "COMMENTED": ("User", "Stream", ("event_id", "at")),
        "SHARED": ("User", "Stream", ("event_id", "at", "channel")),
        "PURCHASED": ("User", "Product", ("event_id", "at", "amount", "stream_id")),
        "REFERRED": ("User", "User", ("stream_id", "share_id", "at", "channel", "how")),
        "SPONSORED": ("Advertiser", "Stream", ("spend", "impressions", "at")),
        "COMPLETED": ("User", "Task", ("at", "coins", "coupon", "coupon_redeemed")),
    }
    assert list(RELATIONSHIPS) == [m.type for m in EDGES]
    assert EVENT_RELATIONSHIP == {
        "watch": "WATCHED",
        "like": "LIKED",
        "comment": "COMMENTED",
        "share": "SHARED",
        "purchase": "PURCHASED",
    }


# --- the cypher/load files ----------------------------------------------------------------


def _strip(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))


def _balanced(text: str, i: int) -> int:
    """The index just past the bracket closing the one at ``text[i]``."""
    depth = 0
    for j in range(i, len(text)):
        if text[j] in "([{":
            depth += 1
        elif text[j] in ")]}":
            depth -= 1
            if depth == 0:
                return j + 1
    raise ValueError(text[i:])


def _map(text: str) -> dict[str, str]:
    """The top-level ``key: expression`` entries of a Cypher map body (braces excluded)."""
    out, depth, start = {}, 0, 0
    for j, ch in enumerate(text + ","):
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == "," and depth == 0:
            entry = text[start:j].strip()
            if entry:
                key, value = entry.split(":", 1)
                out[key.strip()] = value.strip()
            start = j + 1
    return out


def _element(body: str) -> tuple[str, str, dict[str, str]]:
    """``var:Label {map}`` as (var, label, map)."""
    brace = body.find("{")
    head, props = (body, {}) if brace < 0 else (body[:brace], _map(body[brace + 1 : body.rindex("}")]))
    var, _, label = head.strip().partition(":")
    return var.strip(), label.strip(), props


def _writes(text: str):
    """The node and relationship patterns of the CREATE and MERGE clauses of ``text``."""
    nodes, rels = [], []
    for match in re.finditer(r"\b(?:CREATE|MERGE)\s*\(", text):
        i = match.end() - 1
        j = _balanced(text, i)
        first = _element(text[i + 1 : j - 1])
        if text[j : j + 2] != "-[":
            nodes.append(first)
            continue
        k = _balanced(text, j + 1)
        rel = _element(text[j + 2 : k - 1])
        assert text[k : k + 3] == "->(", text[k : k + 10]
        m = _balanced(text, k + 2)
        end = _element(text[k + 3 : m - 1])
        if end[1]:
            nodes.append(end)
        rels.append((first, rel, end))
    return nodes, rels


def _var_labels(text: str) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for var, label in re.findall(r"\b(\w+):([A-Z]\w*)\b", text):
        out.setdefault(var, set()).add(label)
    for args, var in re.findall(r"coalesce\(([\w, ]+)\) AS (\w+)", text):
        for a in args.split(","):
            out.setdefault(var, set()).update(out.get(a.strip(), set()))
    return out


def _var_columns(text: str) -> dict[str, set[str]]:
    """Which column (``row.x``, ``$x[i]``) or end list (``$src``, ``$dst``) finds a node."""
    out: dict[str, set[str]] = {}
    for var, col in re.findall(r"\((\w+):\w+ \{id: (?:row\.|\$)(\w+)(?:\[i\])?\}\)", text):
        out.setdefault(var, set()).add(col)
    for var, col in re.findall(r"id\((\w+)\) = \$(src|dst)\[i\]", text):
        out.setdefault(var, set()).add(col)
    for args, var in re.findall(r"coalesce\(([\w, ]+)\) AS (\w+)", text):
        for a in args.split(","):
            out.setdefault(var, set()).update(out.get(a.strip(), set()))
    return out


def _set_properties(text: str, var: str) -> dict[str, str]:
    """``var.x = expression`` assignments after a SET."""
    out = {}
    for clause in re.findall(r"\bSET\b(.*?)(?=\n[A-Z]|\Z)", text, flags=re.S):
        for entry in _map(clause.replace(" = ", ": ", clause.count(" = "))).items():
            key, value = entry
            if key.startswith(f"{var}."):
                out[key[len(var) + 1 :]] = value
    return out


def _reads(expression: str, column: str) -> bool:
    return f"row.{column}" in expression or f"${column}[i]" in expression


_LOAD_FILES = sorted({m.load for m in NODES} | {m.load for m in EDGES})


def test_every_load_file_has_a_mapping():
    for folder in ("load", "load/fresh"):
        on_disk = {
            p.stem
            for p in (cypher_dir() / folder).glob("*.cypher")
            if not p.stem.startswith("progress_") and p.stem != "node_ids"
        }
        assert on_disk == set(_LOAD_FILES), folder


@pytest.mark.parametrize("fresh", [False, True], ids=["keyed", "fresh"])
@pytest.mark.parametrize("name", _LOAD_FILES)
def test_load_file_agrees_with_the_mapping(name, fresh):
    text = _strip(load_cypher(f"load/{'fresh/' if fresh else ''}{name}"))
    nodes, rels = _writes(text)
    labels, columns = _var_labels(text), _var_columns(text)

    node_maps = [m for m in NODES if m.load == name]
    assert sorted(label for _, label, _ in nodes) == sorted(m.label for m in node_maps)
    for var, label, props in nodes:
        m = NODE[label]
        written = props | (_set_properties(text, var) if var else {})
        assert set(written) == {"id", *m.properties}, (name, label)
        assert _reads(written["id"], m.key), (name, label)
        for p in m.properties:
            if p not in m.computed:
                assert _reads(written[p], p), (name, label, p)

    edge_maps = [m for m in EDGES if m.load == name]
    assert sorted(rel[1] for _, rel, _ in rels) == sorted(m.type for m in edge_maps)
    created = {var: label for var, label, _ in nodes if var}
    for start, (rvar, rtype, rprops), end in rels:
        m = EDGE[rtype]
        for (label, column), (var, inline, _), side in (
            (m.start, start, "src"),
            (m.end, end, "dst"),
        ):
            found = {inline} if inline else labels.get(var, set()) | {created.get(var)} - {None}
            assert found == set(label.split("|")), (name, rtype, var, found)
            if m.server_derived:
                continue
            if inline or var in created:  # the node this file writes, by its key
                (node_props,) = [p for v, lb, p in nodes if (v, lb) == (var, inline or created[var])]
                assert _reads(node_props["id"], NODE[inline or created[var]].key), (name, rtype)
            elif fresh and not node_maps:
                assert columns[var] == {side}, (name, rtype, var)
            else:
                assert columns[var] == {column}, (name, rtype, var)
        written = rprops | (_set_properties(text, rvar) if rvar else {})
        assert set(written) == set(m.stored_properties), (name, rtype)
        if not m.server_derived:
            for p in m.stored_properties:
                assert _reads(written[p], p), (name, rtype, p)


def test_stats_file_takes_labels_and_types_as_parameters():
    text = _strip(load_cypher("stats"))
    assert "$labels" in text and "$types" in text
    for name in (*NODE_LABELS, *RELATIONSHIPS):
        assert not re.search(rf"\b{name}\b", text)


# --- the engines follow the mapping ------------------------------------------------------

#: The tiny log counted by hand (tests/fixtures/README.md).
TINY_NODES = {"User": 6, "Streamer": 2, "Advertiser": 2, "Stream": 3, "Product": 3, "Task": 2}
TINY_RELATIONSHIPS = {
    "HOSTED": 3,  # s1 s2 s3
    "SELLS": 3,  # p1 p2 p3
    "FOLLOWS": 11,  # 5 follow rows, 3 friend rows both ways
    "WATCHED": 8,  # e01 e04 e05 e08 e10 e11 e15 e17
    "LIKED": 3,  # e02 e14 e19
    "COMMENTED": 2,  # e06 e18
    "SHARED": 4,  # e03 e07 e12 e16
    "PURCHASED": 3,  # e09 e13 e20
    "REFERRED": 3,  # u1->u2, u1->u3 (via e03), u2->u4 (via e07)
    "SPONSORED": 4,
    "COMPLETED": 5,
}


@pytest.fixture(scope="module")
def tiny_store():
    return MemoryStore(read_log(Path(__file__).parent / "fixtures" / "tiny"))


def test_memory_stats_follow_the_mapping(tiny_store):
    stats = tiny_store.stats()
    nodes = stats[stats["kind"] == "node"]
    rels = stats[stats["kind"] == "relationship"]
    assert list(nodes["name"]) == [m.label for m in NODES]
    assert list(rels["name"]) == [m.type for m in EDGES]
    assert dict(zip(nodes["name"], nodes["count"])) == TINY_NODES
    assert dict(zip(rels["name"], rels["count"])) == TINY_RELATIONSHIPS
    log = tiny_store.log
    derived = {"follow_edges": tiny_store.follows, "referrals": tiny_store.referrals()}
    for m in EDGES:
        assert len(relationship_rows(log, m, derived)) == TINY_RELATIONSHIPS[m.type]
        assert len(relationship_rows(log, m, derived, stored=True)) == TINY_RELATIONSHIPS[m.type]


def test_property_graph_follows_the_mapping(tiny_store):
    g = tiny_store.property_graph()
    labels = pd.Series([d["label"] for _, d in g.nodes(data=True)]).value_counts().to_dict()
    assert labels == TINY_NODES
    for (label, node_id), d in g.nodes(data=True):
        m = NODE[label]
        assert d["id"] == node_id
        assert set(m.properties) <= set(d), label
    types = pd.Series([d["type"] for _, _, d in g.edges(data=True)]).value_counts().to_dict()
    assert types == TINY_RELATIONSHIPS
    for (a, _), (b, _), d in g.edges(data=True):
        m = EDGE[d["type"]]
        assert a in m.start_labels and b in m.end_labels, d["type"]
        assert set(d) == {"type", *m.properties}, d["type"]
    follows_to = {b for (_, _), (b, _), d in g.edges(data=True) if d["type"] == "FOLLOWS"}
    assert follows_to == {"User", "Streamer"}


def test_likes_count_default(tiny_store):
    """e14's missing count is 1 in the rows the loaders write."""
    stored = relationship_rows(tiny_store.log, EDGE["LIKED"], stored=True)
    assert stored.set_index("event_id")["count"].to_dict() == {"e02": 3, "e14": 1, "e19": 5}


def test_load_steps_follow_the_mapping(tiny_store):
    steps = load.load_steps(tiny_store.log)
    node_steps, rel_steps = steps[: len(NODES)], steps[len(NODES) :]
    assert [(s, f) for s, f, _ in node_steps] == [(m.table, f"load/{m.load}") for m in NODES]
    sent = [m for m in EDGES if not m.server_derived and m.load not in {n.load for n in NODES}]
    assert [(s, f) for s, f, _ in rel_steps] == [(m.step, f"load/{m.load}") for m in sent]
    for (_, _, df), m in zip(rel_steps, sent):
        assert list(df.columns) == list(m.columns)
        assert len(df) == TINY_RELATIONSHIPS[m.type]
    for (_, _, df), m in zip(node_steps, NODES):
        assert len(df) == TINY_NODES[m.label]
        assert {m.key, *m.properties} <= set(df.columns)


def test_bulk_files_follow_the_mapping(tiny_store, tmp_path):
    files = bulk.write_import_files(tiny_store.log, tmp_path)
    assert [label for label, _ in files["nodes"]] == [m.label for m in NODES]
    for label, path in files["nodes"]:
        header = path.read_text().splitlines()[0].split(",")
        assert header[0] == f"id:ID({label})"
        assert [h.split(":")[0] for h in header[1:]] == list(NODE[label].properties)
    seen = []
    for rel, path in files["relationships"]:
        m = EDGE[rel]
        header = path.read_text().splitlines()[0].split(",")
        assert header[0] == f":START_ID({m.start[0]})"
        assert header[1].removeprefix(":END_ID(").removesuffix(")") in m.end_labels
        assert [h.split(":")[0] for h in header[2:]] == list(m.stored_properties)
        seen.append(rel)
    assert list(dict.fromkeys(seen)) == [m.type for m in EDGES]
    assert {k: files["counts"][k] for k in TINY_NODES} == TINY_NODES
    assert {k: files["counts"][k] for k in TINY_RELATIONSHIPS} == TINY_RELATIONSHIPS


def test_docstring_table_lists_the_mapping():
    import graphmodel.schema as schema

    lines = {line.split()[0]: line for line in schema.__doc__.splitlines() if line.strip()}
    for m in NODES:
        assert lines[m.label].split()[1:3] == [m.table, m.key], m.label
    for m in EDGES:
        assert lines[m.type].split()[1].rstrip(",") == m.table, m.type


# --- the schema files and the fresh path's guard ------------------------------------------


def test_one_constraint_per_label_and_indexes_on_mapped_properties():
    from graphmodel.cypher import cypher_dir
    from graphmodel.engines.neo4j.load import _schema_files

    folder = cypher_dir() / "schema"
    assert sorted(p.stem for p in (folder / "constraints").glob("*.cypher")) == sorted(
        m.label for m in NODES)
    for m in NODES:
        assert f"(n:{m.label}) REQUIRE n.id IS UNIQUE" in load_cypher(
            f"schema/constraints/{m.label}")
    edges = {m.type: m for m in EDGES}
    for p in (folder / "indexes").glob("*.cypher"):
        rel, prop = p.stem.split(".")
        assert rel in edges, p.name
        assert f"()-[r:{rel}]-() ON (r.{prop})" in p.read_text(), p.name
    files = _schema_files(None, True, None)
    assert files[0] == "schema/constraints/User" and files[-1] == "schema/await"
    assert _schema_files("indexes", False, ("WATCHED",)) == [
        "schema/indexes/WATCHED.event_id", "schema/indexes/WATCHED.via_share"]
    assert _schema_files("constraints", False, None) == [
        f"schema/constraints/{m.label}" for m in NODES]


def test_every_fresh_write_starts_with_the_progress_guard():
    from graphmodel.cypher import cypher_dir

    guard = load_cypher("load/fresh/progress_step")
    writes = [p for p in (cypher_dir() / "load" / "fresh").glob("*.cypher")
              if not p.stem.startswith("progress_") and p.stem not in ("node_ids", "referred")]
    assert len(writes) == 14
    for p in writes:
        assert p.read_text().startswith(guard), p.name
