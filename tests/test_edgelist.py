"""Bring-your-own cascades: reading and validating edge lists, their metrics, Twitter15."""

from __future__ import annotations

import gzip
import math
import os
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from graphmodel.analysis.cascades import cascade_metrics
from graphmodel.analysis.edgelist import (
    dataset_summary,
    edge_cascades,
    read_edges,
    validate_edges,
)
from graphmodel.engines import MemoryStore
from graphmodel.errors import UserError
from graphmodel.model.cascades import METRIC_COLUMNS, TREE_COLUMNS

TWITTER15 = Path(os.environ.get("GRAPHMODEL_TWITTER15", "/work/shared/data/twitter15.csv.gz"))
HEADER = "cascade_id,parent_id,child_id,delay_s"


def write(tmp_path: Path, *lines: str, name: str = "edges.csv") -> Path:
    f = tmp_path / name
    f.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return f


def error_of(path: Path) -> str:
    with pytest.raises(UserError) as info:
        read_edges(path)
    message = str(info.value)
    assert "\n" not in message
    return message


# --- malformed trees: one line naming file, line and cascade -----------------------------

MALFORMED = {
    "two parents": (
        ["c1,r,a,1", "c2,x,y,1", "c2,x,z,2", "c2,z,y,3"],
        "line 5, cascade c2: node y has two parents: x (line 3) and z (line 5)",
    ),
    "edge listed twice": (
        ["c1,r,a,1", "c1,r,a,2"],
        "line 3, cascade c1: edge r -> a is listed twice (lines 2 and 3)",
    ),
    "cycle": (
        ["c1,r,a,1", "c2,a,b,1", "c2,b,c,1", "c2,c,a,1"],
        "line 3, cascade c2: cycle a -> b -> c -> a",
    ),
    "cycle below a root": (
        ["c1,r,a,1", "c1,b,c,1", "c1,c,b,1"],
        "line 3, cascade c1: cycle b -> c -> b",
    ),
    "several roots": (
        ["c1,r,a,1", "c1,a,b,1", "c1,s,t,1"],
        "line 4, cascade c1: several roots (r, s)",
    ),
    "self-loop": (["c1,r,a,1", "c1,a,a,1"], "line 3, cascade c1: self-loop: a -> a"),
    "negative delay": (["c1,r,a,1", "c1,a,b,-3"], "line 3, cascade c1: delay_s -3 is negative"),
    "non-numeric delay": (
        ["c1,r,a,1", "c1,a,b,soon"],
        "line 3, cascade c1: delay_s 'soon' is not a number",
    ),
    "infinite delay": (["c1,r,a,1", "c1,a,b,inf"], "line 3, cascade c1: delay_s inf is not finite"),
    "empty parent": (["c1,r,a,1", "c1,,b,1"], "line 3, cascade c1: parent_id is empty"),
    "root row naming a child": (
        ["c1,r,a,1", "c1,a,,"],
        "line 3, cascade c1: the root row names a, which has a parent",
    ),
    "root rows disagreeing": (["c1,r,a,1", "c1,q,,"], "cascade c1: several roots (r, q)"),
}


@pytest.mark.parametrize("case", list(MALFORMED))
def test_a_malformed_tree_is_one_line_naming_file_line_and_cascade(tmp_path, case):
    lines, expected = MALFORMED[case]
    f = write(tmp_path, *lines)
    message = error_of(f)
    assert message.startswith(str(f)) and expected in message


def test_the_count_of_further_problems_is_given(tmp_path):
    f = write(tmp_path, "c1,r,r,1", "c2,q,q,1", "c3,p,p,1")
    assert error_of(f).endswith("self-loop: r -> r (and 2 more problem(s))")


def test_missing_columns_name_them(tmp_path):
    f = tmp_path / "e.csv"
    f.write_text("cascade_id,parent,child_id\nc1,r,a\n")
    assert error_of(f) == (
        f"{f}: missing column(s) parent_id; an edge list has columns "
        "cascade_id,parent_id,child_id[,delay_s]"
    )


def test_missing_file_and_unknown_format(tmp_path):
    assert "no such file" in error_of(tmp_path / "nope.csv")
    (tmp_path / "e.txt").write_text(HEADER + "\n")
    assert ".csv, .csv.gz or .parquet" in error_of(tmp_path / "e.txt")


def test_validate_edges_works_on_frames_built_in_python():
    e = pd.DataFrame({"cascade_id": ["x", "x"], "parent_id": ["r", "a"], "child_id": ["a", "r"]})
    with pytest.raises(UserError, match="<edges> line 2, cascade x: .*cycle"):
        validate_edges(e)
    with pytest.raises(UserError, match="cycle"):
        edge_cascades(e)


# --- reading -----------------------------------------------------------------------------


def test_csv_gz_and_parquet_read_alike_with_ids_as_strings(tmp_path):
    lines = ["007,0012,13,5", "007,0012,14,9", "007,13,15,20", "8,1,2,"]
    csv = write(tmp_path, *lines)
    gz = tmp_path / "edges.csv.gz"
    gz.write_bytes(gzip.compress(csv.read_bytes()))
    a, b = read_edges(csv), read_edges(gz)
    pd.testing.assert_frame_equal(a, b)
    assert a["parent_id"].tolist()[:2] == ["0012", "0012"]  # leading zeros kept: strings
    assert math.isnan(a["delay_s"].iloc[3])
    pq = tmp_path / "edges.parquet"
    pd.DataFrame(
        {
            "cascade_id": [7, 7, 7],
            "parent_id": [12, 12, 13],
            "child_id": [13, 14, 15],
            "delay_s": [5.0, 9.0, 20.0],
        }
    ).to_parquet(pq)
    c = read_edges(pq)
    assert c["parent_id"].tolist() == ["12", "12", "13"]
    m = edge_cascades(c).iloc[0]
    assert (m["cascade_id"], m["root_id"], m["size"], m["depth"]) == ("7", "12", 4, 2)


def test_parquet_float_ids_are_refused_and_rows_are_named_rows(tmp_path):
    pq = tmp_path / "e.parquet"
    pd.DataFrame({"cascade_id": ["c"], "parent_id": [1.0], "child_id": [2.0]}).to_parquet(pq)
    assert "parent_id holds floating-point numbers" in error_of(pq)
    pd.DataFrame(
        {"cascade_id": ["c", "c"], "parent_id": ["r", "b"], "child_id": ["a", "a"]}
    ).to_parquet(pq)
    assert "row 2, cascade c: node a has two parents: r (row 1) and b (row 2)" in error_of(pq)


def test_root_rows_give_single_node_cascades(tmp_path):
    f = tmp_path / "e.csv"
    f.write_text("cascade_id,parent_id,child_id\nc1,r,a\nc2,q,\nc1,r,\n")
    m = edge_cascades(read_edges(f)).set_index("cascade_id")
    assert m.loc["c2", "root_id"] == "q" and m.loc["c2", "size"] == 1
    assert m.loc["c1", "size"] == 2 and m.loc["c2", "leaves"] == 1
    assert m["t50_s"].isna().all()  # no delay_s column: no times


def test_edge_cascades_columns_order_and_meta(tmp_path):
    f = write(tmp_path, "a,r,x,1", "b,r,x,1", "b,r,y,2", "b,x,z,3")
    m = edge_cascades(read_edges(f))
    assert list(m.columns) == TREE_COLUMNS and m["cascade_id"].tolist() == ["b", "a"]
    assert m.attrs["meta"]["command"] == "spread" and m.attrs["meta"]["source"] == str(f)
    d = dataset_summary(m)
    assert d.attrs["meta"]["by"] == "dataset"
    assert d.iloc[0][["cascades", "nodes", "edges", "max_size", "max_depth"]].tolist() == [
        2,
        6,
        4,
        4,
        2,
    ]


# --- the store's cascades, written as an edge list, give the same metrics ----------------


def store_as_edges(store) -> pd.DataFrame:
    """Each cascade of a store as edges (delays from the root's first share) plus a root row."""
    ev = store.table("events")
    first = (
        ev[ev["type"] == "share"]
        .groupby(["stream_id", "user_id"], observed=True)["at"]
        .min()
        .rename("t0")
        .reset_index()
    )
    cascades = cascade_metrics(store)[["stream_id", "root_id"]]
    roots = cascades.merge(
        first, left_on=["stream_id", "root_id"], right_on=["stream_id", "user_id"]
    )
    refs = store.referrals()
    # the root of each referred user: follow referrer links up within the stream
    up = dict(zip(zip(refs["stream_id"], refs["user_id"]), refs["referrer_id"]))
    top = {}
    for s, u in zip(refs["stream_id"], refs["user_id"]):
        v = u
        while (s, v) in up:
            v = up[(s, v)]
        top[(s, u)] = v
    t0 = dict(zip(zip(roots["stream_id"], roots["root_id"]), roots["t0"]))
    rows = [
        (f"{s}/{top[(s, u)]}", p, u, (at - t0[(s, top[(s, u)])]).total_seconds())
        for s, p, u, at in zip(refs["stream_id"], refs["referrer_id"], refs["user_id"], refs["at"])
    ]
    rows += [(f"{s}/{r}", r, None, None) for s, r in zip(roots["stream_id"], roots["root_id"])]
    return pd.DataFrame(rows, columns=["cascade_id", "parent_id", "child_id", "delay_s"])


@pytest.mark.parametrize("which", ["tiny", "generated"])
def test_a_stores_cascades_as_an_edge_list_give_the_same_metrics(which, tiny_dir):
    if which == "tiny":
        store = MemoryStore.open(tiny_dir)
    else:
        from graphmodel.generator import GeneratorConfig, generate

        store = MemoryStore(generate(GeneratorConfig(users=2000, days=2, seed=9)))
    want = cascade_metrics(store)
    want.index = want["stream_id"].astype(str) + "/" + want["root_id"].astype(str)
    got = edge_cascades(store_as_edges(store)).set_index("cascade_id")
    assert sorted(got.index) == sorted(want.index)
    pd.testing.assert_frame_equal(
        got.loc[want.index, METRIC_COLUMNS], want[METRIC_COLUMNS], check_names=False, atol=1e-9
    )


# --- Twitter15 ---------------------------------------------------------------------------


@pytest.mark.skipif(not TWITTER15.exists(), reason=f"{TWITTER15} is not on this machine")
def test_twitter15_agrees_with_the_published_and_documented_statistics():
    start = time.perf_counter()
    edges = read_edges(TWITTER15)
    metrics = edge_cascades(edges)
    elapsed = time.perf_counter() - start
    d = dataset_summary(metrics).iloc[0]
    # published (Ma, Gao and Wong 2017, Table 1): 1,490 source tweets
    assert d["cascades"] == 1490 and metrics["cascade_id"].is_unique
    labels = pd.read_csv(TWITTER15.with_name("twitter15.labels.csv"), dtype=str)
    assert set(labels.iloc[:, 0]) == set(metrics["cascade_id"])
    # documented for this file (data/README.md), not the published table, which counts
    # 223 / 1,768 / 55 posts per tree for an earlier version of the trees
    assert (d["edges"], d["nodes"]) == (597_706, 599_196) and len(edges) == 597_706
    assert (d["max_size"], d["min_size"]) == (2_990, 56)
    assert d["max_depth"] == 12
    assert metrics["structural_virality"].notna().all() and metrics["t90_s"].notna().all()
    assert (metrics["t50_s"] <= metrics["t90_s"]).all()
    # O(n) per cascade: seconds, where all pairs on trees of up to 2,990 nodes take minutes
    assert elapsed < 30, f"{elapsed:.1f} s"
    assert np.isfinite(d["mean_virality"])
