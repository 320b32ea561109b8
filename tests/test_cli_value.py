"""``graphmodel value | extraction | distribution | ledger`` as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from graphmodel.cli.main import main


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def as_json(result) -> dict:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_value_platform_json_records_every_parameter(tiny_dir):
    doc = as_json(run("value", "--source", tiny_dir, "--format", "json"))
    (row,) = doc["rows"]
    assert row["user_generated_value"] == pytest.approx(559.09)
    params = doc["meta"]["params"]
    assert params["lambda"] == 0.5 and params["attribution"] == "decay"
    assert set(params) >= {"tau_like", "w_watch", "p_data", "alpha", "take_rate", "coin_yuan",
                           "delta", "min_wage_hour"}


def test_param_config_and_attribution_precedence(tiny_dir, tmp_path):
    config = tmp_path / "scenario.toml"
    config.write_text('[params]\nlambda = 0.2\np_data = 0.02\nattribution = "linear"\n')
    doc = as_json(run("value", "--source", tiny_dir, "--config", config, "-p", "p_data=0.03",
                      "--attribution", "first", "--format", "json"))
    params = doc["meta"]["params"]
    # --config sets lambda; --param wins over --config; --attribution wins over both
    assert (params["lambda"], params["p_data"], params["attribution"]) == (0.2, 0.03, "first")
    (row,) = doc["rows"]
    assert row["data_value"] == pytest.approx(0.03 * 59)


@pytest.mark.parametrize(("args", "message"), [
    (["-p", "lambda=1.5"], "error: parameter lambda must be in [0, 1], got '1.5'"),
    (["-p", "no_such=1"], "error: unknown parameter 'no_such'"),
    (["-p", "lambda"], "error: --param expects name=value, got 'lambda'"),
    (["-p", "attribution=middle"], "error: parameter attribution must be one of"),
])
def test_bad_parameters_are_one_line_errors(tiny_dir, tmp_path, args, message):
    out = tmp_path / "v.csv"
    r = run("value", "--source", tiny_dir, *args, "--out", out, "--format", "csv")
    assert r.exit_code == 2
    assert r.stderr.startswith(message) and r.stderr.count("\n") == 1
    assert not out.exists()


def test_bad_config_file_names_the_file(tiny_dir, tmp_path):
    config = tmp_path / "bad.toml"
    config.write_text("[params]\ntake_rate = 2\n")
    r = run("value", "--source", tiny_dir, "--config", config)
    assert r.exit_code == 2
    assert r.stderr == f"error: {config}: parameter take_rate must be in [0, 1], got 2\n"
    config.write_text("[params\n")
    r = run("value", "--source", tiny_dir, "--config", config)
    assert r.exit_code == 2 and r.stderr.startswith(f"error: {config}: not valid TOML")


def test_value_by_user_top_and_csv_sidecar(tiny_dir, tmp_path):
    out = tmp_path / "users.csv"
    r = run("value", "--by", "user", "--top", "2", "--source", tiny_dir, "--format", "csv",
            "--out", out)
    assert r.exit_code == 0, r.output
    lines = out.read_text().splitlines()
    assert lines[0].startswith("user_id,labour_s,data_units,kept_value")
    assert [ln.split(",")[0] for ln in lines[1:]] == ["u1", "u6"]  # 263.46 and 101.14 yuan
    meta = json.loads((tmp_path / "users.csv.meta.json").read_text())
    assert meta["by"] == "user" and meta["top"] == 2


def test_extraction_distribution_and_ledger(tiny_dir):
    doc = as_json(run("extraction", "--source", tiny_dir, "--format", "json"))
    assert [r["user_id"] for r in doc["rows"]] == ["u1", "u2", "u6"]
    doc = as_json(run("distribution", "--source", tiny_dir, "--format", "json"))
    assert [r["measure"] for r in doc["rows"]] == ["value_produced", "value_returned"]
    r = run("ledger", "u1", "--source", tiny_dir, "--format", "json")
    doc = as_json(r)
    assert [x["entry"] for x in doc["rows"]].count("event") == 6  # e01, e02, e03, e14, e17, e18
    assert doc["rows"][-1]["entry"] == "total"
    assert doc["rows"][-1]["credit"] == pytest.approx(79.976111, abs=1e-6)
    assert ":param id => 'u1'" in r.stderr and "data_account.cypher" in r.stderr


def test_unknown_ledger_user_is_a_clear_error(tiny_dir):
    r = run("ledger", "u99", "--source", tiny_dir)
    assert r.exit_code == 2
    assert r.stderr == f"error: unknown user id 'u99': no such user in {tiny_dir}\n"


def test_value_as_a_subprocess(tiny_dir, tmp_path):
    out = tmp_path / "actors.parquet"
    p = subprocess.run([sys.executable, "-m", "graphmodel", "value", "--by", "actor",
                        "--source", str(tiny_dir), "--format", "parquet", "--out", str(out)],
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    import pandas as pd
    import pyarrow.parquet as pq

    df = pd.read_parquet(out)
    assert df["actor"].tolist() == ["users", "streamers", "merchants", "platform"]
    meta = json.loads(pq.read_schema(out).metadata[b"graphmodel"])
    assert meta["command"] == "value" and meta["params"]["take_rate"] == 0.05
