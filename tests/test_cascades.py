"""Cascade metrics (MODEL.md section 6): closed forms, networkx on random trees, the tiny log by hand."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graphmodel.analysis.cascades import (
    STREAM_SPREAD_COLUMNS,
    USER_SPREAD_COLUMNS,
    cascade_metrics,
    dataset_summary,
    stream_spread,
    user_spread,
)
from graphmodel.engines import MemoryStore
from graphmodel.model.cascades import CASCADE_COLUMNS, CHANNEL_COLUMNS, forest, tree_metrics


def star(n: int) -> pd.DataFrame:
    return pd.DataFrame(
        {"cascade_id": "star", "parent_id": "hub", "child_id": [f"leaf{i}" for i in range(1, n)]}
    )


def path(n: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "cascade_id": "path",
            "parent_id": [f"v{i}" for i in range(n - 1)],
            "child_id": [f"v{i}" for i in range(1, n)],
        }
    )


def one(df: pd.DataFrame) -> dict:
    rows = tree_metrics(df).to_dict("records")
    assert len(rows) == 1
    return rows[0]


# --- closed forms ------------------------------------------------------------------------


@pytest.mark.parametrize("n", [2, 3, 4, 10, 101])
def test_a_star_of_n_nodes_has_virality_2_n_minus_1_over_n(n):
    r = one(star(n))
    assert r["root_id"] == "hub" and r["size"] == n and r["depth"] == 1
    assert r["max_breadth"] == n - 1 and r["leaves"] == n - 1
    assert r["structural_virality"] == pytest.approx(2 * (n - 1) / n, abs=1e-12)


@pytest.mark.parametrize("n", [2, 3, 5, 50, 5000])
def test_a_path_of_n_nodes_has_virality_n_plus_1_over_3(n):
    r = one(path(n))
    assert r["root_id"] == "v0" and r["size"] == n and r["depth"] == n - 1
    assert r["max_breadth"] == 1 and r["leaves"] == 1
    assert r["structural_virality"] == pytest.approx((n + 1) / 3, abs=1e-9)


def test_a_root_alone_is_size_1_depth_0_one_leaf_and_null_virality():
    empty = pd.DataFrame({"cascade_id": [], "parent_id": [], "child_id": []}, dtype=str)
    roots = pd.DataFrame({"cascade_id": ["c"], "root_id": ["r"], "t0_s": [5.0]})
    r = tree_metrics(empty, roots).to_dict("records")[0]
    assert (r["size"], r["depth"], r["max_breadth"], r["leaves"]) == (1, 0, 1, 1)
    assert math.isnan(r["structural_virality"])
    assert (r["t50_s"], r["t90_s"]) == (0.0, 0.0)  # the root arrives at time zero


def test_times_are_the_ceil_q_n_th_arrival_and_null_without_delays():
    # root at 0; arrivals 10, 10, 40, 50 -> n = 5: ceil(2.5) = 3rd = 10, ceil(4.5) = 5th = 50
    e = pd.DataFrame(
        {
            "cascade_id": "c",
            "parent_id": ["r", "r", "a", "a"],
            "child_id": ["a", "b", "c", "d"],
            "delay_s": [10.0, 40.0, 10.0, 50.0],
        }
    )
    r = one(e)
    assert (r["t50_s"], r["t90_s"]) == (10.0, 50.0)
    r = one(e.drop(columns="delay_s"))
    assert math.isnan(r["t50_s"]) and math.isnan(r["t90_s"])
    r = one(e.assign(delay_s=[10.0, np.nan, 10.0, 50.0]))
    assert math.isnan(r["t50_s"])


def test_ids_are_scoped_by_cascade():
    e = pd.concat(
        [
            star(4).assign(cascade_id="a"),
            path(3).assign(cascade_id="b"),
            star(3).assign(cascade_id="c", parent_id="v0"),
        ],
        ignore_index=True,
    )
    t = tree_metrics(e).set_index("cascade_id")
    assert t.loc[["a", "b", "c"], "size"].tolist() == [4, 3, 3]
    assert t.loc["c", "root_id"] == "v0" and t.loc["b", "root_id"] == "v0"


def test_a_forest_per_cascade_id_gives_a_row_per_root():
    e = pd.DataFrame({"cascade_id": "s", "parent_id": ["r1", "r2"], "child_id": ["a", "b"]})
    roots = pd.DataFrame({"cascade_id": "s", "root_id": ["r1", "r2", "r3"]})
    t = tree_metrics(e, roots).sort_values("root_id")
    assert t["size"].tolist() == [2, 2, 1]


@pytest.mark.parametrize(
    "edges",
    [
        [("a", "b"), ("b", "a")],  # a cycle
        [("r", "a"), ("a", "b"), ("b", "a")],  # a node with two parents
        [("r", "a"), ("x", "a")],  # two parents
    ],
)
def test_tree_metrics_rejects_what_is_not_a_forest(edges):
    e = pd.DataFrame(
        {"cascade_id": "c", "parent_id": [p for p, _ in edges], "child_id": [c for _, c in edges]}
    )
    with pytest.raises(ValueError, match="not a forest"):
        tree_metrics(e)


def test_forest_flags_nodes_on_or_below_a_cycle():
    # 0 root; 1 -> 2 -> 3 -> 1 a cycle; 4 below it
    f = forest(np.array([-1, 3, 1, 2, 2]))
    assert f.cyclic.tolist() == [False, True, True, True, True]


# --- random trees against networkx ------------------------------------------------------


def naive(parents: list[int], delays: list[float]) -> dict:
    """The metrics the slow, obvious way: networkx on the undirected tree, all pairs."""
    n = len(parents) + 1
    g = nx.Graph()
    g.add_node(0)
    g.add_edges_from((p, i + 1) for i, p in enumerate(parents))
    depth = nx.single_source_shortest_path_length(g, 0)
    levels = np.bincount(list(depth.values()))
    children = np.bincount(parents, minlength=n) if parents else np.zeros(1, int)
    times = sorted([0.0, *delays])
    return {
        "size": n,
        "depth": max(depth.values()),
        "max_breadth": int(levels.max()),
        "leaves": int((children == 0).sum()),
        "structural_virality": (2 * nx.wiener_index(g) / (n * (n - 1)) if n > 1 else math.nan),
        "t50_s": times[math.ceil(0.5 * n) - 1],
        "t90_s": times[math.ceil(0.9 * n) - 1],
    }


@st.composite
def random_forests(draw):
    """Several cascades, each a random recursive tree (node i's parent among 0..i-1)."""
    trees = []
    for _ in range(draw(st.integers(1, 5))):
        n = draw(st.integers(1, 40))
        parents = [draw(st.integers(0, i)) for i in range(n - 1)]
        delays = [float(draw(st.integers(0, 1000))) for _ in parents]
        trees.append((parents, delays))
    return trees


@settings(max_examples=150, deadline=None)
@given(random_forests())
def test_random_forests_agree_with_networkx(trees):
    edges, roots = [], []
    for k, (parents, delays) in enumerate(trees):
        roots.append((f"c{k}", "n0"))
        edges += [
            (f"c{k}", f"n{p}", f"n{i + 1}", d) for i, (p, d) in enumerate(zip(parents, delays))
        ]
    e = pd.DataFrame(edges, columns=["cascade_id", "parent_id", "child_id", "delay_s"])
    r = pd.DataFrame(roots, columns=["cascade_id", "root_id"])
    got = tree_metrics(e, r).set_index("cascade_id")
    for k, (parents, delays) in enumerate(trees):
        want = naive(parents, delays)
        row = got.loc[f"c{k}"]
        for key in ("size", "depth", "max_breadth", "leaves", "t50_s", "t90_s"):
            assert row[key] == want[key], key
        if want["size"] == 1:
            assert math.isnan(row["structural_virality"])
        else:
            assert row["structural_virality"] == pytest.approx(
                want["structural_virality"], rel=1e-12
            )


def test_large_random_trees_match_networkx_wiener_index():
    rng = np.random.default_rng(11)
    for n, deep in ((1_200, False), (1_000, True)):
        # a random recursive tree (shallow) and a chain-like one (deep)
        parents = [
            max(0, i - int(rng.integers(0, 3))) if deep else int(rng.integers(0, i + 1))
            for i in range(n - 1)
        ]
        e = pd.DataFrame(
            {
                "cascade_id": "c",
                "parent_id": [f"n{p}" for p in parents],
                "child_id": [f"n{i + 1}" for i in range(n - 1)],
            }
        )
        g = nx.Graph((f"n{p}", f"n{i + 1}") for i, p in enumerate(parents))
        want = 2 * nx.wiener_index(g) / (n * (n - 1))
        assert one(e)["structural_virality"] == pytest.approx(want, rel=1e-12)


# --- the tiny log, by hand (tests/fixtures/README.md) ------------------------------------


@pytest.fixture
def tiny(tiny_dir):
    return MemoryStore.open(tiny_dir)


def test_tiny_cascades_by_hand(tiny):
    t = cascade_metrics(tiny)
    assert list(t.columns) == CASCADE_COLUMNS
    assert list(zip(t["stream_id"], t["root_id"])) == [("s1", "u1"), ("s2", "u6")]
    s1, s2 = t.to_dict("records")
    # s1: u1 shared e03 at 20:10 (time zero); u2 arrived 20:12 and u3 20:15 via e03 (wechat);
    # u2 shared e07, u4 arrived 20:30 via e07 (weibo). Tree u1 -> {u2 -> u4, u3}.
    assert (s1["size"], s1["depth"], s1["max_breadth"], s1["leaves"]) == (4, 2, 2, 2)
    # W: edge u1-u2 splits 2|2 -> 4; u1-u3 1|3 -> 3; u2-u4 1|3 -> 3; W = 10; 2W / (4 * 3)
    assert s1["structural_virality"] == pytest.approx(20 / 12, abs=1e-12)
    # arrivals 0, 120, 300, 1200 s: ceil(2) = 2nd -> 120; ceil(3.6) = 4th -> 1200
    assert (s1["t50_s"], s1["t90_s"]) == (120.0, 1200.0)
    assert {c: s1[c] for c in CHANNEL_COLUMNS} == {
        "ch_douyin": 0,
        "ch_wechat": 2,
        "ch_weibo": 1,
        "ch_qq": 0,
        "ch_other": 0,
    }
    # s2: u6 shared e16 and nobody arrived: a cascade of size 1
    assert (s2["size"], s2["depth"], s2["max_breadth"], s2["leaves"]) == (1, 0, 1, 1)
    assert math.isnan(s2["structural_virality"]) and (s2["t50_s"], s2["t90_s"]) == (0.0, 0.0)
    assert sum(s2[c] for c in CHANNEL_COLUMNS) == 0


def test_a_referred_user_who_shares_roots_nothing(tiny):
    # u3 was referred in s1 (e05) and later shared e12: no cascade (s1, u3), nor (s1, u2)
    roots = set(zip(cascade_metrics(tiny)["stream_id"], cascade_metrics(tiny)["root_id"]))
    assert ("s1", "u3") not in roots and ("s1", "u2") not in roots


def test_tiny_cascade_table_has_canonical_dtypes_and_meta(tiny):
    t = cascade_metrics(tiny)
    assert t.attrs["meta"]["command"] == "spread" and t.attrs["meta"]["by"] == "cascade"
    assert t.attrs["meta"]["source"] == tiny.source
    for c in ("size", "depth", "max_breadth", "leaves", *CHANNEL_COLUMNS):
        assert t[c].dtype == np.int64
    for c in ("structural_virality", "t50_s", "t90_s"):
        assert t[c].dtype == np.float64
    t.loc[0, "size"] = 99  # a copy: the store's cache is unharmed
    assert tiny.cascade_table().loc[0, "size"] == 4


def test_tiny_stream_spread_by_hand(tiny):
    t = stream_spread(tiny)
    assert list(t.columns) == STREAM_SPREAD_COLUMNS
    rows = {r["stream_id"]: r for r in t.to_dict("records")}
    # s1: viewers u1..u5, sharers u1 u2 u3, one cascade, 3 referred users of 5 viewers
    assert {k: rows["s1"][k] for k in STREAM_SPREAD_COLUMNS[1:]} == {
        "viewers": 5,
        "sharers": 3,
        "cascades": 1,
        "reach": 3,
        "reach_share": 0.6,
        "largest_cascade": 4,
        "max_depth": 2,
    }
    assert {
        k: rows["s2"][k] for k in ("viewers", "sharers", "cascades", "reach", "largest_cascade")
    } == {"viewers": 2, "sharers": 1, "cascades": 1, "reach": 0, "largest_cascade": 1}
    assert rows["s3"]["viewers"] == 0 and math.isnan(rows["s3"]["reach_share"])
    assert t["stream_id"].tolist() == ["s1", "s2", "s3"]
    assert t.attrs["meta"]["by"] == "stream"


def test_tiny_user_spread_by_hand(tiny):
    t = user_spread(tiny)
    assert list(t.columns) == USER_SPREAD_COLUMNS
    got = {r[0]: r[1:] for r in t.itertuples(index=False, name=None)}
    # user: shares, cascades_started, reach, largest_cascade, direct_referrals, downstream
    assert got == {
        "u1": (1, 1, 3, 4, 2, 3),  # roots (s1, u1): u2, u3, u4
        "u2": (1, 0, 0, 0, 1, 1),  # referred in s1, brought u4: downstream without reach
        "u3": (1, 0, 0, 0, 0, 0),  # shared e12 after being referred: roots nothing
        "u4": (0, 0, 0, 0, 0, 0),
        "u5": (0, 0, 0, 0, 0, 0),
        "u6": (1, 1, 0, 1, 0, 0),  # a share that brought nobody
    }
    assert t["user_id"].tolist()[:2] == ["u1", "u2"]


def test_tiny_dataset_summary(tiny):
    d = dataset_summary(cascade_metrics(tiny)).iloc[0]
    assert (d["cascades"], d["nodes"], d["edges"], d["min_size"], d["max_size"]) == (2, 5, 3, 1, 4)
    assert d["mean_size"] == 2.5 and d["mean_depth"] == 1.0 and d["max_depth"] == 2
    assert d["mean_virality"] == pytest.approx(20 / 12)  # the size-1 cascade has none
    assert d["median_t50_s"] == 60.0 and d["median_t90_s"] == 600.0


# --- invariants on a generated platform, against a per-cascade networkx version ----------


@pytest.fixture(scope="module")
def generated():
    from graphmodel.generator import GeneratorConfig, generate

    return MemoryStore(generate(GeneratorConfig(users=3000, days=3, seed=5)))


def naive_store_cascades(store) -> dict:
    """Cascades of a store the obvious way: a networkx DiGraph per stream, BFS per root."""
    ev = store.table("events")
    refs = store.referrals()
    out = {}
    for sid, shares in ev[ev["type"] == "share"].groupby("stream_id", observed=True):
        g = store.referral_forest(sid)
        referred = set(refs.loc[refs["stream_id"] == sid, "user_id"])
        for root, t0 in shares.groupby("user_id", observed=True)["at"].min().items():
            if root in referred:
                continue
            members = [root, *nx.descendants(g, root)] if root in g else [root]
            tree = g.subgraph(members)
            n = len(members)
            arrivals = sorted(
                [0.0] + [(g.edges[p, c]["at"] - t0).total_seconds() for p, c in tree.edges]
            )
            depth = nx.single_source_shortest_path_length(tree, root) if n > 1 else {root: 0}
            w = nx.wiener_index(tree.to_undirected()) if n > 1 else 0
            out[(sid, root)] = {
                "size": n,
                "depth": max(depth.values()),
                "max_breadth": int(np.bincount(list(depth.values())).max()),
                "leaves": sum(1 for v in members if tree.out_degree(v) == 0) if n > 1 else 1,
                "structural_virality": 2 * w / (n * (n - 1)) if n > 1 else math.nan,
                "t50_s": arrivals[math.ceil(0.5 * n) - 1],
                "t90_s": arrivals[math.ceil(0.9 * n) - 1],
            }
    return out


def test_generated_cascades_match_the_naive_networkx_version(generated):
    got = cascade_metrics(generated)
    want = naive_store_cascades(generated)
    assert len(got) == len(want) and got["size"].max() > 3
    for row in got.to_dict("records"):
        w = want[(row["stream_id"], row["root_id"])]
        for key, value in w.items():
            if isinstance(value, float) and math.isnan(value):
                assert math.isnan(row[key]), key
            else:
                assert row[key] == pytest.approx(value, abs=1e-9), key


def test_generated_invariants(generated):
    t = cascade_metrics(generated)
    refs = generated.referrals()
    assert (t["size"] - 1).sum() == len(refs)  # every REFERRED edge in exactly one cascade
    assert (t[CHANNEL_COLUMNS].sum(axis=1) == t["size"] - 1).all()
    assert (t["depth"] < t["size"]).all() and (t["max_breadth"] <= t["size"]).all()
    assert (t["leaves"] >= 1).all() and (t["leaves"] <= t["size"]).all()
    assert (t["t50_s"] <= t["t90_s"]).all() and (t["t50_s"] >= 0).all()
    big = t["size"] > 1
    assert (t.loc[big, "structural_virality"] >= 1).all()
    assert t.loc[~big, "structural_virality"].isna().all()
    assert not t.duplicated(["stream_id", "root_id"]).any()
    # ordered largest first
    assert t["size"].is_monotonic_decreasing
    s = stream_spread(generated)
    assert s["reach"].sum() == len(refs) and s["cascades"].sum() == len(t)
    u = user_spread(generated)
    assert u["reach"].sum() == len(refs) and u["cascades_started"].sum() == len(t)
    assert u["direct_referrals"].sum() == len(refs)
    assert (u["downstream"] >= u["reach"]).all()
    assert (u["downstream"] >= u["direct_referrals"]).all()


def test_a_log_without_shares_has_no_cascades(tiny_copy):
    header, *rows = tiny_copy.rows("events")
    tiny_copy.write_rows("events", [header] + [r for r in rows if r[3] != "share" and r[10] == ""])
    store = MemoryStore.open(tiny_copy.path)
    t = cascade_metrics(store)
    assert t.empty and list(t.columns) == CASCADE_COLUMNS
    assert stream_spread(store)["cascades"].sum() == 0
    assert user_spread(store)["reach"].sum() == 0
