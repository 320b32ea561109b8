"""`graphmodel generate` and `graphmodel demo` as a user runs them."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from graphmodel import numbers
from graphmodel.cli.main import main
from graphmodel.schema import TABLE_NAMES

ROOT = Path(__file__).resolve().parents[1]


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_same_seed_same_bytes(tmp_path, fmt):
    for name in ("a", "b", "c"):
        seed = 5 if name != "c" else 6
        r = run("generate", "--users", 300, "--days", 2, "--seed", seed, "--out", tmp_path / name,
                "--format", fmt, "--quiet")
        assert r.exit_code == 0, r.output
    files = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert files == sorted([f"{t}.{fmt}" for t in TABLE_NAMES] + ["graphmodel.json"])
    for f in files:
        assert (tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes(), f
    assert (tmp_path / "a" / f"events.{fmt}").read_bytes() != (tmp_path / "c" / f"events.{fmt}").read_bytes()
    assert run("validate", tmp_path / "a").exit_code == 0


def test_switching_shares_off_leaves_no_referrals(tmp_path):
    assert run("generate", "--users", 300, "--days", 2, "--out", tmp_path, "--no-shares",
               "-q").exit_code == 0
    rows = json.loads(run("stats", "--source", tmp_path, "--format", "json").stdout)["rows"]
    counts = {r["name"]: r["count"] for r in rows}
    assert counts["SHARED"] == 0 and counts["REFERRED"] == 0 and counts["WATCHED"] > 0


def test_the_seed_is_recorded_in_every_result(tmp_path):
    run("generate", "--users", 200, "--days", 1, "--seed", 42, "--out", tmp_path, "-q")
    meta = json.loads(run("stats", "--source", tmp_path, "--format", "json").stdout)["meta"]
    assert meta["seed"] == 42 and meta["generator"]["users"] == 200


def test_generate_shows_progress_and_a_summary(tmp_path):
    p = subprocess.run([sys.executable, "cli.py", "generate", "--users", "200", "--days", "2",
                        "--out", str(tmp_path / "g")], cwd=ROOT, capture_output=True, text=True,
                       timeout=120)
    assert p.returncode == 0, p.stderr
    assert "generating" in p.stderr and "100%" in p.stderr
    assert "200 users" in p.stderr


def test_bad_generator_options_are_usage_errors(tmp_path):
    assert run("generate", "--users", 0, "--out", tmp_path).exit_code == 2
    assert run("generate", "--users", 10).exit_code == 2  # --out is required


def test_demo_runs_every_analysis_and_writes_results(tmp_path):
    r = run("demo", "--out", tmp_path / "demo", "--users", 1000, "--days", 2, "--seed", 3)
    assert r.exit_code == 0, r.output
    assert "calibration" in r.stdout and "REFERRED" in r.stdout and "largest cascades" in r.stdout
    assert (tmp_path / "demo" / "results" / "spread_cascades.json").exists()
    stats = json.loads((tmp_path / "demo" / "results" / "stats.json").read_text())
    assert stats["meta"]["seed"] == 3 and stats["meta"]["command"] == "stats"
    cal = json.loads((tmp_path / "demo" / "results" / "calibration.json").read_text())
    assert len(cal["rows"]) == 9
    # the headline figures come first, and are the value accounting's own
    value = json.loads((tmp_path / "demo" / "results" / "value_platform.json").read_text())
    (plat,) = value["rows"]
    assert value["meta"]["params"]["lambda"] == 0.5
    head = r.stdout.split("\n\n")[1]
    assert head.startswith("Users worked ")
    assert f"{numbers.yuan(plat['user_generated_value'])} yuan of value" in head
    assert f"e = (T - sum v) / sum v = {numbers.ratio(plat['exploitation_rate'])}" in head
    assert f"{plat['wholly_unpaid_users']:,} active users got nothing" in head
    for name in ("value_actor", "distribution", "extraction_platform"):
        assert (tmp_path / "demo" / "results" / f"{name}.json").exists()
    # it ends by writing the report and naming it
    report = tmp_path / "demo" / "report" / "report.html"
    assert report.exists() and (report.parent / "report.md").exists()
    assert f"Report (HTML, with a Markdown twin beside it): {report}" in r.stdout
