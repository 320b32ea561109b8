"""`graphmodel simulate` and `graphmodel influence` as a user runs them, on the tiny log.

The tiny log's weighted-cascade graph (docs/diffusion.md, tests/test_diffusion.py): u2
reaches u1, u4 and u5 for sure, u1 passes to u3 with probability 1/2, u3 to u6 for sure.
"""

import json

from click.testing import CliRunner

from graphmodel.cli.main import main


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def doc(*args):
    r = run(*args, "--format", "json")
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def test_simulate_reports_spread_interval_and_parameters(tiny_dir):
    d = doc("simulate", "--source", tiny_dir, "--seeds", "u2", "--runs", 2000, "--seed", 5)
    row = d["rows"][0]
    # E = 4 + 2 * 1/2 = 5 with sd 1: se = 1/sqrt(2000) = 0.022
    assert abs(row["spread"] - 5) < 0.09 and row["ci_low"] < row["spread"] < row["ci_high"]
    assert (row["seeds"], row["n_seeds"], row["model"], row["runs"]) == ("u2", 1, "ic", 2000)
    meta = d["meta"]
    assert meta["command"] == "simulate" and meta["seed"] == 5
    assert meta["params"] == {"model": "ic", "seeds": ["u2"], "runs": 2000, "probability": "wc",
                              "p": None, "smoothing": 1.0, "seed": 5}


def test_simulate_is_reproducible_by_seed(tiny_dir):
    base = ("simulate", "--source", tiny_dir, "--seeds", "u1,u6", "--runs", 300, "--model", "lt",
            "--probability", "estimated")
    a, b = doc(*base, "--seed", 1), doc(*base, "--seed", 1)
    c = doc(*base, "--seed", 2, "--threads", 1)
    assert a["rows"][0]["spread"] == b["rows"][0]["spread"]
    assert a["rows"][0]["spread"] != c["rows"][0]["spread"]
    assert a["rows"][0]["seeds"] == "u1,u6" and a["meta"]["params"]["probability"] == "estimated"


def test_constant_probability_one_reaches_everyone_reachable(tiny_dir):
    d = doc("simulate", "--source", tiny_dir, "--seeds", "u1", "--probability", "constant",
            "--p", 1, "--runs", 50)
    # u1 -> u2, u3; u2 -> u4, u5; u3 -> u6: all six users, every run
    assert d["rows"][0]["spread"] == 6 and d["rows"][0]["sd"] == 0
    # u6 influences only its friend u3 (u3 follows u1, so nothing flows u3 -> u1)
    d = doc("simulate", "--source", tiny_dir, "--seeds", "u6", "--probability", "constant",
            "--p", 1, "--runs", 50)
    assert d["rows"][0]["spread"] == 2


def test_an_unknown_seed_is_one_line_and_exit_2(tiny_dir):
    r = run("simulate", "--source", tiny_dir, "--seeds", "u1,nobody")
    assert r.exit_code == 2
    assert r.stderr.splitlines() == ["error: unknown seed user id(s): nobody"]
    assert r.stdout == ""


def test_option_errors_exit_2(tiny_dir):
    src = ("--source", tiny_dir)
    assert run("simulate", *src, "--seeds", "u1", "--probability", "constant").exit_code == 2
    assert run("simulate", *src, "--seeds", "u1", "--p", 0.5).exit_code == 2
    assert run("simulate", *src, "--seeds", "u1", "--p", 1.5,
               "--probability", "constant").exit_code == 2
    r = run("influence", *src, "--k", 7)
    assert r.exit_code == 2 and "k must be between 1 and the number of users (6)" in r.stderr


def test_influence_chooses_the_seeds_and_reports_their_spread(tiny_dir):
    for method in ("imm", "celf"):
        d = doc("influence", "--source", tiny_dir, "--k", 2, "--method", method, "--runs", 200)
        # u2 first (reaches u1, u4, u5 surely); then u3, which reaches u6 for sure: all 6
        assert [r["user_id"] for r in d["rows"]] == ["u2", "u3"], method
        assert all(r["spread"] == 6 for r in d["rows"])
        assert d["meta"]["params"]["method"] == method and d["meta"]["params"]["k"] == 2
    deg = doc("influence", "--source", tiny_dir, "--k", 1, "--method", "degree")
    assert deg["rows"][0]["user_id"] == "u2" and deg["rows"][0]["out_degree"] == 3


def test_influence_as_csv_and_table(tiny_dir):
    r = run("influence", "--source", tiny_dir, "--k", 2, "--format", "csv", "--model", "lt")
    assert r.exit_code == 0
    assert r.stdout.splitlines()[0] == "rank,user_id,out_degree,gain,spread,ci_low,ci_high,seconds"
    t = run("influence", "--source", tiny_dir, "--k", 1)
    assert t.exit_code == 0 and "influence" in t.stdout and "u2" in t.stdout
