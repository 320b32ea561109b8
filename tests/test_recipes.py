"""The developer guide's first recipe, followed (docs/contributing.md, "Adding an attribution
model"): one registered function, and the new model works on memory, Neo4j and Spark, from
Python and from the command line, with nothing else touched.

The rule added here credits the root most: the ancestor ``hops`` up on a path of ``depth``
gets ``2^(hops-1) / (2^depth - 1)`` (the weights of one arrival sum to 1). On the tiny log
the only path of depth 2 is u1 -> u2 -> u4 in s1, so u2 gets 1/3 and u1 2/3 of the credited
part (lambda) of u4's base value there, where ``decay`` gives them 2/3 and 1/3.
"""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

import graphmodel
from graphmodel.cli.main import main
from graphmodel.engines import MemoryStore
from graphmodel.errors import ParameterError
from graphmodel.model import attribution
from graphmodel.params import Params

TOL = {"rtol": 1e-9, "atol": 1e-9}


@pytest.fixture()
def root_heavy():
    """The recipe's one step: a function registered with ``@attribution_model``."""

    @attribution.attribution_model("root_heavy")
    def _root_heavy(hops, depth, params):
        return np.power(2.0, hops - 1.0) / (np.power(2.0, depth) - 1.0)

    yield "root_heavy"
    del attribution.RULES["root_heavy"]
    attribution.MODELS.remove("root_heavy")


def _by_hand(store):
    """Relational value of u1 and u2 under root_heavy, from the pairs' base values."""
    acc = store.accounts()
    b = acc.pair_values(Params()).set_index(["user_id", "stream_id"])["base_value"]
    lam = Params()["lambda"]
    u4 = b[("u4", "s1")]
    return {"u2": lam * u4 / 3.0,
            "u1": lam * (b[("u2", "s1")] + b[("u3", "s1")] + 2.0 * u4 / 3.0)}


def test_the_rule_is_a_choice_everywhere(root_heavy):
    assert "root_heavy" in attribution.MODELS
    assert Params({"attribution": "root_heavy"})["attribution"] == "root_heavy"
    w = attribution.path_weights([1, 2, 1, 2, 3], [1, 2, 2, 3, 3], "root_heavy", Params())
    assert w.tolist() == pytest.approx([1.0, 2 / 3, 1 / 3, 2 / 7, 4 / 7])
    with pytest.raises(ParameterError, match="root_heavy"):
        Params({"attribution": "root-heavy"})


@pytest.mark.parametrize("depth", [1, 2, 3, 7])
def test_the_weights_of_an_arrival_sum_to_one(root_heavy, depth):
    hops = np.arange(1, depth + 1)
    for model in attribution.MODELS:  # every registered rule, the new one included
        for delta in (0.0, 0.3, 1.0):
            w = attribution.path_weights(hops, np.full(depth, depth), model,
                                         Params({"delta": delta}))
            assert w.sum() == pytest.approx(1.0), (model, delta)
            assert (w >= 0).all()


def test_memory_by_hand_and_conserved(tiny_dir, root_heavy):
    store = MemoryStore.open(tiny_dir)
    users = graphmodel.value(store, by="user", params={"attribution": root_heavy})
    rel = users.set_index("user_id")["relational_value"]
    want = _by_hand(store)
    assert rel["u2"] == pytest.approx(want["u2"]) and rel["u1"] == pytest.approx(want["u1"])
    total = graphmodel.value(store, by="platform")["user_generated_value"].iloc[0]
    assert users["value_produced"].sum() == pytest.approx(total, rel=1e-12)
    decay = graphmodel.value(store, by="user").set_index("user_id")["relational_value"]
    assert rel["u2"] != pytest.approx(decay["u2"])  # the new rule changes the figures


def test_the_command_line(tiny_dir, root_heavy):
    import json

    r = CliRunner().invoke(main, ["value", "--by", "user", "--attribution", root_heavy,
                                  "--source", str(tiny_dir), "--format", "json"])
    assert r.exit_code == 0, r.output
    rows = pd.DataFrame(json.loads(r.stdout)["rows"]).set_index("user_id")
    want = _by_hand(MemoryStore.open(tiny_dir))
    assert rows.loc["u2", "relational_value"] == pytest.approx(want["u2"])
    r = CliRunner().invoke(main, ["extraction", "-p", f"attribution={root_heavy}",
                                  "--source", str(tiny_dir)])
    assert r.exit_code == 0, r.output


@pytest.mark.neo4j
def test_neo4j(tiny_dir, neo4j_env, root_heavy):
    from graphmodel.engines.neo4j.store import Neo4jStore

    r = CliRunner().invoke(main, ["load", str(tiny_dir), "--quiet"])
    assert r.exit_code == 0, r.output
    p = {"attribution": root_heavy}
    with Neo4jStore.open(neo4j_env) as neo:
        for by in ("user", "stream", "platform", "actor"):
            pd.testing.assert_frame_equal(graphmodel.value(neo, by=by, params=p),
                                          graphmodel.value(MemoryStore.open(tiny_dir), by=by,
                                                           params=p), **TOL)


@pytest.mark.slow
def test_spark(tiny_dir, tmp_path, root_heavy):
    pytest.importorskip("pyspark")
    from pyspark import cloudpickle

    from graphmodel.engines.spark import SparkEngine, spark_session

    # a rule defined outside the package (here, in a test module) travels to the workers
    # by value, as one defined in a notebook does
    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    folder = graphmodel.write_log(graphmodel.read_log(tiny_dir), tmp_path / "tiny",
                                  fmt="parquet")
    spark = spark_session("local[2]", {"spark.sql.shuffle.partitions": "4",
                                       "spark.ui.enabled": "false"})
    p = {"attribution": root_heavy}
    memory = MemoryStore.open(tiny_dir)
    with SparkEngine(folder, spark=spark) as engine:
        for by in ("user", "platform", "stream"):
            pd.testing.assert_frame_equal(graphmodel.value(engine, by=by, params=p),
                                          graphmodel.value(memory, by=by, params=p), **TOL)
