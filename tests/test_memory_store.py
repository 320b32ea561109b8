"""The in-memory store on the tiny hand-made log (tests/fixtures/tiny, counted by hand)."""

import pandas as pd
import pytest
from tiny_expected import EXPECTED_STATS

from graphmodel.engines import MemoryStore


@pytest.fixture
def store(tiny_dir):
    return MemoryStore.open(tiny_dir)


def test_stats_counts_every_label_and_relationship(store):
    df = store.stats()
    assert list(df.columns) == ["kind", "name", "count"]
    assert list(df.itertuples(index=False, name=None)) == EXPECTED_STATS


def test_referrals_by_the_first_arrival_rule(store):
    r = store.referrals()
    assert list(zip(r["referrer_id"], r["user_id"], r["share_id"], r["channel"])) == [
        ("u1", "u2", "e03", "wechat"), ("u1", "u3", "e03", "wechat"), ("u2", "u4", "e07", "weibo"),
    ]
    assert r["at"].tolist() == [pd.Timestamp(f"2024-03-01T20:{m}:00") for m in (12, 15, 30)]


def test_social_graph_view(store):
    g = store.social_graph()
    assert g.number_of_nodes() == 8  # 6 users + 2 streamers
    assert g.number_of_edges() == 11
    assert g.has_edge("u4", "u2") and g["u4"]["u2"]["kind"] == "friend"
    assert g.nodes["h1"]["label"] == "Streamer"


def test_referral_forest_view(store):
    f = store.referral_forest("s1")
    assert sorted(f.edges) == [("u1", "u2"), ("u1", "u3"), ("u2", "u4")]
    assert store.referral_forest("s2").number_of_edges() == 0


def test_property_graph_matches_stats(store):
    g = store.property_graph()
    labels = pd.Series([d["label"] for _, d in g.nodes(data=True)]).value_counts()
    types = pd.Series([d["type"] for *_, d in g.edges(data=True)]).value_counts()
    for kind, name, count in EXPECTED_STATS:
        assert (labels if kind == "node" else types).get(name, 0) == count, name
    s1 = g.nodes[("Stream", "s1")]
    assert s1["duration_s"] == 3600.0


def test_personal_subgraph_holds_only_that_users_relationships(store):
    g = store.property_graph(["u4"])
    types = sorted(d["type"] for *_, d in g.edges(data=True))
    # u4: follows h2, friend of u2 (both ways), watched s1, bought p1, referred by u2
    assert types == ["FOLLOWS", "FOLLOWS", "FOLLOWS", "PURCHASED", "REFERRED", "WATCHED"]
    assert g.nodes[("Product", "p1")]["price"] == 100.0
