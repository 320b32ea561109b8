"""Cascade metrics of the forest on the Neo4j server agree with the embedded computation.

The Neo4j server sends the ``REFERRED`` edges and the share events
(``cypher/analysis/forest.cypher``); the model's one implementation builds the
cascades for both stores. Integers must be equal, floats equal to 1e-9.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from click.testing import CliRunner
from store_compare import assert_same

from graphmodel.analysis.cascades import (
    cascade_metrics,
    dataset_summary,
    stream_spread,
    user_spread,
)
from graphmodel.cli.main import main
from graphmodel.engines import MemoryStore
from graphmodel.engines.neo4j.store import Neo4jStore
from graphmodel.model.cascades import CASCADE_COLUMNS

pytestmark = pytest.mark.neo4j


def load(folder) -> None:
    r = CliRunner().invoke(main, ["load", str(folder), "--quiet"], catch_exceptions=False)
    assert r.exit_code == 0, r.output


def test_tiny_cascades_on_the_server_by_hand(tiny_dir, neo4j_env):
    load(tiny_dir)
    with Neo4jStore.open(neo4j_env) as neo:
        t = cascade_metrics(neo)
        sent = neo.run_file("analysis/forest", _plain_values=False).iloc[0]
    assert list(t.columns) == CASCADE_COLUMNS
    s1, s2 = t.to_dict("records")
    assert (
        s1["stream_id"],
        s1["root_id"],
        s1["size"],
        s1["depth"],
        s1["max_breadth"],
        s1["leaves"],
        s1["t50_s"],
        s1["t90_s"],
    ) == ("s1", "u1", 4, 2, 2, 2, 120.0, 1200.0)
    assert s1["structural_virality"] == pytest.approx(20 / 12, abs=1e-12)
    assert (s1["ch_wechat"], s1["ch_weibo"]) == (2, 1)
    assert (s2["stream_id"], s2["root_id"], s2["size"], s2["depth"]) == ("s2", "u6", 1, 0)
    assert math.isnan(s2["structural_virality"]) and s2["leaves"] == 1
    # what the server sent: the three REFERRED edges of s1, every share event, times in ns
    edges = sorted((e[0], e[1], e[2], e[4]) for e in sent["edges"])
    assert edges == [("s1", "u1", "u2", "wechat"), ("s1", "u1", "u3", "wechat"),
                     ("s1", "u2", "u4", "weibo")]
    at = {e[2]: e[3] for e in sent["edges"]}
    assert at["u2"] == pd.Timestamp("2024-03-01T20:12:00").value  # u2's arrival, e04
    assert {(s[0], s[1]) for s in sent["shares"]} == {("s1", "u1"), ("s1", "u2"), ("s1", "u3"), ("s2", "u6")}


def test_tiny_both_stores_agree(tiny_dir, neo4j_env):
    load(tiny_dir)
    mem = MemoryStore.open(tiny_dir)
    with Neo4jStore.open(neo4j_env) as neo:
        assert_same(cascade_metrics(mem), cascade_metrics(neo))
        assert_same(stream_spread(mem), stream_spread(neo))
        assert_same(user_spread(mem), user_spread(neo))


def test_a_generated_platform_both_stores_agree(neo4j_env, tmp_path):
    from graphmodel.eventlog import write_log
    from graphmodel.generator import GeneratorConfig, generate

    folder = tmp_path / "platform"
    write_log(generate(GeneratorConfig(users=1500, days=2, seed=21)), folder, fmt="parquet")
    load(folder)
    mem = MemoryStore.open(folder)
    with Neo4jStore.open(neo4j_env) as neo:
        a, b = cascade_metrics(mem), cascade_metrics(neo)
        assert len(a) > 100 and a["size"].max() >= 4 and a["depth"].max() >= 2
        assert_same(a, b)
        assert_same(stream_spread(mem), stream_spread(neo))
        assert_same(user_spread(mem), user_spread(neo))
    pd.testing.assert_frame_equal(dataset_summary(a), dataset_summary(b))
