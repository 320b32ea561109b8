"""Governance scenarios, sensitivity, bootstrap and national scale (MODEL.md 9, 10).

Hand-computed on the tiny fixture (tests/test_value.py shows its base values):
T = 559.09 yuan (attention 550 + commerce 0.05 x 170 + data 0.01 x 59), value
returned 10.72, data units per user u1 15.333, u2 14.333, u3 6.667, u4 6, u5 3,
u6 13.667; platform revenue = ad spend 630 + 8.5 + 0.59 - 10.72 = 628.37.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

import graphmodel
from graphmodel.analysis.scenario import (
    bootstrap,
    figures,
    load_scenarios,
    run_scenarios,
    scale_to_market,
    scenario_from_items,
    sensitivity,
)
from graphmodel.analysis.scenario.scale import NATIONAL_USERS, log_days
from graphmodel.analysis.value import Accounts
from graphmodel.analysis.value.inequality import gini
from graphmodel.cli.main import main
from graphmodel.engines import MemoryStore
from graphmodel.params import Params


@pytest.fixture
def tiny(tiny_dir):
    store = MemoryStore.open(tiny_dir)
    return store, Accounts.from_store(store)


def one(store, acc, **levers):
    df = run_scenarios(store, [scenario_from_items("s", levers)], Params(), accounts=acc)
    return df.set_index("figure")


def test_baseline_figures_by_hand(tiny):
    _, acc = tiny
    f = figures(acc, Params())
    assert f["platform_revenue"] == pytest.approx(630 + 8.5 + 0.59 - 10.72)
    assert f["user_generated_value"] == pytest.approx(559.09)
    assert f["exploitation_rate"] == pytest.approx((559.09 - 10.72) / 10.72)
    assert f["below_min_wage_share"] == 1.0


def test_dividend_by_hand(tiny):
    t = one(*tiny, dividend=0.1)
    assert t.loc["value_returned", "value"] == pytest.approx(10.72 + 0.1 * 559.09)
    assert t.loc["platform_revenue", "change"] == pytest.approx(-0.1 * 559.09)
    assert t.loc["user_generated_value", "change"] == 0.0  # T is what users made, unchanged
    e = (559.09 - 66.629) / 66.629
    assert t.loc["exploitation_rate", "value"] == pytest.approx(e)
    assert t.loc["exploitation_rate", "change_pct"] == pytest.approx(
        100 * (e - 548.37 / 10.72) / (548.37 / 10.72))


def test_data_union_floor_by_hand(tiny):
    # v' = max(v, 0.5 x D): u1 max(5.36, 7.667), u2 max(0.36, 7.167), u3 3.333, u4 3,
    # u5 1.5, u6 max(5, 6.833)
    t = one(*tiny, data_union=0.5)
    expected = 0.5 * (15 + 1 / 3 + 14 + 1 / 3 + 6 + 2 / 3 + 6 + 3 + 13 + 2 / 3)
    assert t.loc["value_returned", "value"] == pytest.approx(expected) == pytest.approx(29.5)


def test_take_rate_cap_opt_out_and_task_cap_by_hand(tiny):
    t = one(*tiny, take_rate_cap=0.02)
    assert t.loc["user_generated_value", "value"] == pytest.approx(559.09 - 0.03 * 170)
    t = one(*tiny, take_rate_cap=0.5)  # a cap above the rate changes nothing
    assert (t["change"] == 0).all()
    t = one(*tiny, opt_out=1.0)  # nobody profiled: no data value
    assert t.loc["user_generated_value", "value"] == pytest.approx(559.09 - 0.59)
    # one rewarded task per user, the earliest: u1's coupon (20:10, 5 yuan) before its
    # coins (20:15); u2's unredeemed coupon (20:25) before its coins (20:27); u6's coupon
    t = one(*tiny, task_cap=1)
    assert t.loc["value_returned", "value"] == pytest.approx(5.0 + 0.0 + 5.0)


def test_opt_out_is_seeded_and_proportional():
    log = graphmodel.generate(graphmodel.GeneratorConfig(users=800, days=2, seed=2))
    store = MemoryStore(log)
    acc = Accounts.from_store(store)
    sc = [scenario_from_items("half", {"opt_out": 0.5})]
    a = run_scenarios(store, sc, Params(), accounts=acc, seed=7)
    b = run_scenarios(store, sc, Params(), accounts=acc, seed=7)
    pd.testing.assert_frame_equal(a, b)
    data = acc.pair_values(Params())["data_value"].sum()
    lost = -a.set_index("figure").loc["user_generated_value", "change"]
    assert 0.3 * data < lost < 0.7 * data


def test_resimulation_with_tasks_off_is_the_generator_without_tasks(tmp_path):
    config = graphmodel.GeneratorConfig(users=600, days=2, seed=9)
    folder = tmp_path / "log"
    graphmodel.write_log(graphmodel.generate(config), folder, fmt="parquet")
    store = MemoryStore.open(folder)
    t = run_scenarios(store, [scenario_from_items("no tasks", {"tasks": "off"},
                                                  resimulate=True)], Params())
    t = t.set_index("figure")
    from dataclasses import replace

    direct = figures(Accounts.from_store(MemoryStore(graphmodel.generate(
        replace(config, tasks=False)))), Params())
    for f, v in direct.items():
        assert t.loc[f, "value"] == pytest.approx(v, nan_ok=True), f
    assert t.loc["labour_hours", "change"] < 0  # without tasks users watch less
    assert t.loc["value_returned", "value"] == 0.0


def test_scenario_cli_errors(tiny_dir, tmp_path):
    run = CliRunner().invoke
    r = run(main, ["scenario", "-l", "tasks=off", "--source", str(tiny_dir), "-q"])
    assert r.exit_code == 2 and "need re-simulation (--resimulate)" in r.stderr
    r = run(main, ["scenario", "-l", "tasks=off", "--resimulate", "--source", str(tiny_dir),
                   "-q"])
    assert r.exit_code == 2
    assert r.stderr.startswith("error: re-simulation needs a log made by `graphmodel generate`")
    r = run(main, ["scenario", "-l", "dividend=2", "--source", str(tiny_dir), "-q"])
    assert r.stderr == "error: lever dividend must be in [0, 1], got '2'\n"
    r = run(main, ["scenario", "--source", str(tiny_dir), "-q"])
    assert r.stderr == "error: give --lever NAME=VALUE or --file FILE\n"


def test_scenarios_from_a_toml_file(tiny_dir, tmp_path):
    f = tmp_path / "policies.toml"
    f.write_text('[scenario.share_10]\ndividend = 0.1\n\n'
                 '[scenario.floor]\ndata_union = 0.5\ntake_rate_cap = 0.02\n')
    assert [s.name for s in load_scenarios(f)] == ["share_10", "floor"]
    r = CliRunner().invoke(main, ["scenario", "--file", str(f), "--source", str(tiny_dir),
                                  "-q", "--format", "json"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert {row["scenario"] for row in doc["rows"]} == {"share_10", "floor"}
    assert doc["meta"]["scenarios"]["floor"] == "data_union=0.5, take_rate_cap=0.02"
    f.write_text('[scenario.bad]\nwage = 3\n')
    r = CliRunner().invoke(main, ["scenario", "--file", str(f), "--source", str(tiny_dir)])
    assert r.exit_code == 2 and r.stderr.startswith(f"error: {f}: scenario bad: unknown lever")


def test_sensitivity_by_hand_and_in_tornado_order(tiny):
    _, acc = tiny
    t = sensitivity(acc, Params())
    rel = t.loc[t["figure"] == "relational_share"].set_index("parameter")
    referred_b = 2 * 103.885  # sum of b over referred arrivals
    assert rel.loc["lambda", "at_low"] == pytest.approx(0.25 * referred_b / 559.09)
    assert rel.loc["lambda", "at_high"] == pytest.approx(0.75 * referred_b / 559.09)
    assert rel.index[0] == "lambda"  # the parameter relational share hangs on most
    ret = t.loc[t["figure"] == "value_returned"].set_index("parameter")
    assert ret.loc["coin_yuan", "at_low"] == pytest.approx(10.72 - 0.5 * 0.72)
    for _, g in t.groupby("figure", sort=False):
        swings = g["swing"].to_numpy()
        assert (np.diff(swings) <= 1e-15).all()
    att = t.loc[(t["figure"] == "gini_value_produced") & (t["parameter"] == "attribution")]
    assert set(att[["low", "high"]].iloc[0]) <= {"decay", "linear", "last", "first"}


def test_sensitivity_cli_has_a_progress_bar_and_filters(tiny_dir):
    r = CliRunner().invoke(main, ["sensitivity", "--source", str(tiny_dir), "--figure",
                                  "labour_hours", "--parameter", "tau_comment", "--format",
                                  "csv"])
    assert r.exit_code == 0, r.output
    assert "sensitivity" in r.stderr  # the progress bar
    rows = r.stdout.splitlines()
    assert len(rows) == 2 and rows[1].startswith("tau_comment,10,30,labour_hours,")
    r = CliRunner().invoke(main, ["sensitivity", "--source", str(tiny_dir), "--figure", "x"])
    assert r.exit_code == 2 and r.stderr.startswith("error: unknown figure 'x'")


def test_bootstrap_is_seeded_and_exact_on_identical_users():
    users = pd.DataFrame({"value_produced": [2.0] * 50, "value_returned": [0.5] * 50,
                          "relational_value": [0.2] * 50, "labour_s": [3600.0] * 50})
    t = bootstrap(users, reps=200, seed=1).set_index("figure")
    assert t.loc["exploitation_rate", "estimate"] == pytest.approx(3.0)
    assert (t["ci_low"] - t["ci_high"]).abs().max() < 1e-9  # nothing to resample
    rng = np.random.default_rng(0)
    users = pd.DataFrame({"value_produced": rng.exponential(5, 400),
                          "value_returned": rng.exponential(0.5, 400),
                          "relational_value": rng.exponential(0.1, 400),
                          "labour_s": rng.exponential(3000, 400)})
    a, b = bootstrap(users, reps=300, seed=3), bootstrap(users, reps=300, seed=3)
    pd.testing.assert_frame_equal(a, b)
    a = a.set_index("figure")
    assert (a["ci_low"] < a["estimate"]).all() and (a["estimate"] < a["ci_high"]).all()
    assert a.loc["gini_value_produced", "estimate"] == pytest.approx(
        gini(users["value_produced"]))


def test_value_bootstrap_and_market_scale_cli(tiny_dir):
    r = CliRunner().invoke(main, ["value", "--source", str(tiny_dir), "--bootstrap", "100",
                                  "-q", "--format", "json"])
    doc = json.loads(r.stdout)
    assert doc["meta"]["bootstrap"] == 100 and len(doc["rows"]) == 7
    r = CliRunner().invoke(main, ["value", "--source", str(tiny_dir), "--scale-to-market",
                                  "--format", "json"])
    assert r.exit_code == 0, r.output
    assert "567.76 million users" in r.stderr
    doc = json.loads(r.stdout)
    rows = {x["figure"]: x for x in doc["rows"]}
    # 6 users over 3 days (s1 opens 1 March 20:00, s3 closes 3 March 20:30)
    assert doc["meta"]["log_days"] == 3
    assert rows["user_generated_value"]["national"] == pytest.approx(
        559.09 / 6 / 3 * 365 * 4.9168e12 / 8660)
    assert "representative" in doc["meta"]["assumption"]
    r = CliRunner().invoke(main, ["value", "--by", "user", "--source", str(tiny_dir),
                                  "--scale-to-market"])
    assert r.exit_code == 2


def test_scale_to_market_by_hand(tiny):
    _, acc = tiny
    assert log_days(acc.tables["streams"]) == 3
    t = scale_to_market({"labour_hours": 30.0, "user_generated_value": 600.0,
                         "value_returned": 60.0}, users=10, days=5).set_index("figure")
    assert t.loc["labour_hours", "per_user_year"] == pytest.approx(30 / 10 / 5 * 365)
    assert t.loc["surplus", "national"] == pytest.approx(540 / 10 / 5 * 365 * NATIONAL_USERS)
