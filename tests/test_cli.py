"""The command line as a user runs it: click's CliRunner and a real subprocess."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from tiny_expected import EXPECTED_STATS

from graphmodel import __version__
from graphmodel.cli.main import main

ROOT = Path(__file__).resolve().parents[1]


def run(*args, **kw):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False, **kw)


def all_commands(group=main, prefix=()):
    for name, cmd in group.commands.items():
        yield (*prefix, name)
        if hasattr(cmd, "commands"):
            yield from all_commands(cmd, (*prefix, name))


@pytest.mark.parametrize("command", [(), *all_commands()], ids=lambda c: " ".join(c) or "main")
def test_help_on_everything(command):
    r = run(*command, "--help")
    assert r.exit_code == 0
    assert "Usage:" in r.output and "--help" in r.output


def test_version():
    r = run("--version")
    assert r.exit_code == 0 and __version__ in r.output


def test_stats_json_contract(tiny_dir):
    r = run("stats", "--source", tiny_dir, "--format", "json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert [(x["kind"], x["name"], x["count"]) for x in doc["rows"]] == EXPECTED_STATS
    assert doc["rows"][0] == {"kind": "node", "name": "User", "count": 6}
    meta = doc["meta"]
    assert meta["command"] == "stats" and meta["source"] == str(tiny_dir)
    assert meta["version"] == __version__ and "seed" in meta
    assert meta["params"]["lambda"] == 0.5


@pytest.mark.parametrize("fmt", ["csv", "json", "parquet", "table"])
def test_stats_to_a_file_in_every_format(tiny_dir, tmp_path, fmt):
    out = tmp_path / f"stats.{fmt}"
    r = run("stats", "--source", tiny_dir, "--format", fmt, "--out", out)
    assert r.exit_code == 0, r.output
    if fmt == "csv":
        assert out.read_text().splitlines()[:2] == ["kind,name,count", "node,User,6"]
    elif fmt == "parquet":
        import pandas as pd

        assert pd.read_parquet(out)["count"].sum() == sum(c for *_, c in EXPECTED_STATS)
    elif fmt == "json":
        assert len(json.loads(out.read_text())["rows"]) == len(EXPECTED_STATS)
    else:
        assert "REFERRED" in out.read_text()


def test_a_bad_log_is_exit_2_one_line_per_problem_and_nothing_written(tiny_copy, tmp_path):
    tiny_copy.set_cell("events", 2, "seconds", "-5")
    tiny_copy.set_cell("streams", 3, "ended_at", "not a date")
    out = tmp_path / "stats.json"
    r = run("stats", "--source", tiny_copy.path, "--format", "json", "--out", out)
    assert r.exit_code == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) >= 2 and all(line.startswith("error: ") for line in lines)
    assert any("events.csv line 2, column seconds" in line for line in lines)
    assert any("streams.csv line 3, column ended_at" in line for line in lines)
    assert "Traceback" not in r.output
    assert not out.exists() and list(tmp_path.iterdir()) == [tiny_copy.path]


def test_validate(tiny_dir, tiny_copy):
    ok = run("validate", tiny_dir)
    assert ok.exit_code == 0 and "valid event log" in ok.stdout
    tiny_copy.remove("events.csv")
    bad = run("validate", tiny_copy.path)
    assert bad.exit_code == 2 and "events" in bad.stderr


def test_no_source_is_a_user_error():
    r = run("stats")
    assert r.exit_code == 2 and "--source" in r.stderr


def test_a_missing_folder_is_a_user_error(tmp_path):
    r = run("stats", "--source", tmp_path / "nope")
    assert r.exit_code == 2 and "nope" in r.stderr and "Traceback" not in r.output


def test_unknown_format_is_a_usage_error(tiny_dir):
    assert run("stats", "--source", tiny_dir, "--format", "xml").exit_code == 2


def test_parquet_to_stdout_is_a_user_error(tiny_dir):
    r = run("stats", "--source", tiny_dir, "--format", "parquet")
    assert r.exit_code == 2 and "--out" in r.stderr


def test_an_internal_error_is_exit_1_with_its_traceback(tiny_dir, monkeypatch):
    import graphmodel.analysis.summary as summary

    def broken(store):
        raise RuntimeError("a bug")

    monkeypatch.setattr(summary, "graph_stats", broken)
    r = CliRunner().invoke(main, ["stats", "--source", str(tiny_dir)])
    assert r.exit_code == 1 and isinstance(r.exception, RuntimeError)


def test_python_cli_py_from_a_checkout(tiny_dir):
    p = subprocess.run([sys.executable, "cli.py", "stats", "--source", str(tiny_dir), "--format",
                        "csv"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    assert p.stdout.splitlines()[1] == "node,User,6"


def test_user_error_in_a_subprocess_has_no_traceback(tmp_path):
    (tmp_path / "users.csv").write_bytes(b"\xff\xfe\x00garbage\x00\x81")
    p = subprocess.run([sys.executable, "cli.py", "validate", str(tmp_path)], cwd=ROOT,
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 2
    assert "Traceback" not in p.stderr and "users.csv" in p.stderr


def test_the_drivers_retry_warnings_do_not_reach_stderr():
    """A retried transaction (deadlock, outdated read) is the driver's business."""
    import subprocess
    import sys

    code = ("import logging\n"
            "import graphmodel.cli\n"
            "logging.getLogger('neo4j.session').warning('Transaction failed and will be retried')\n"
            "logging.getLogger('other').warning('still shown')\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.strip() == "still shown"


@pytest.mark.parametrize(
    ("argv", "line"),
    [
        (["value", "--by", "nope", "--source", "x"],
         "error: Invalid value for '--by': 'nope' is not one of 'user', 'stream', 'platform', "
         "'actor'. (see `main value --help`)"),
        (["--bogus"], "error: No such option '--bogus'. (see `main --help`)"),
        (["nosuch"], "error: No such command 'nosuch'. (see `main --help`)"),
        (["server", "bogus"], "error: No such command 'bogus'. (see `main server --help`)"),
    ],
)
def test_usage_errors_are_one_line_exit_2(argv, line):
    r = run(*argv)
    assert r.exit_code == 2 and r.stderr.splitlines() == [line]


def test_error_and_success_lines_show_control_characters_as_escapes(tmp_path, tiny_dir):
    import shutil

    missing = tmp_path / "a\x1b[2Jb"
    r = run("validate", str(missing))
    assert r.exit_code == 2 and "\x1b" not in r.stderr
    assert r.stderr.splitlines() == [f"error: {tmp_path}/a\\x1b[2Jb: no such folder"]
    r = run("value", "--by", "no\x1bpe", "--source", str(tiny_dir))
    assert r.exit_code == 2 and "\x1b" not in r.stderr and "no\\x1bpe" in r.stderr
    good = tmp_path / "ok\rlog"
    shutil.copytree(tiny_dir, good)
    r = run("validate", str(good))
    assert r.exit_code == 0 and r.stdout.startswith(f"{tmp_path}/ok\\rlog: valid event log (")
