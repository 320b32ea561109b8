"""Cascade metrics computed on the Neo4j server agree with the embedded computation.

The Neo4j store answers :meth:`cascade_table` with ``cypher/analysis/cascades.cypher``
(traversal of REFERRED edges of one stream); the memory store with numpy. Integers
must be equal, floats equal to 1e-9.
"""

from __future__ import annotations

import math

import numpy as np
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
from graphmodel.schema import CHANNELS

pytestmark = pytest.mark.neo4j


def load(folder) -> None:
    r = CliRunner().invoke(main, ["load", str(folder), "--quiet"], catch_exceptions=False)
    assert r.exit_code == 0, r.output


def test_tiny_cascades_on_the_server_by_hand(tiny_dir, neo4j_env):
    load(tiny_dir)
    with Neo4jStore.open(neo4j_env) as neo:
        t = cascade_metrics(neo)
        raw = neo.run_file("analysis/cascades", channels=list(CHANNELS))
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
    # the Wiener index itself comes from the server: W = 10 for (s1, u1)
    assert raw["wiener_index"].tolist() == [10, 0]


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
        raw = neo.run_file("analysis/cascades", channels=list(CHANNELS))
        assert_same(stream_spread(mem), stream_spread(neo))
        assert_same(user_spread(mem), user_spread(neo))
    # the server's Wiener index, recovered from the embedded virality
    n = a["size"].to_numpy()
    w = np.where(n > 1, np.rint(a["structural_virality"].fillna(0) * n * (n - 1) / 2), 0)
    got = raw.set_index(["stream_id", "root_id"])["wiener_index"]
    want = pd.Series(
        w.astype(np.int64),
        index=pd.MultiIndex.from_arrays([a["stream_id"].astype(str), a["root_id"].astype(str)]),
    )
    assert (got.loc[want.index].to_numpy() == want.to_numpy()).all()
    pd.testing.assert_frame_equal(dataset_summary(a), dataset_summary(b))
