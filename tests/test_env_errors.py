"""Errors of the environment (addresses, paths, devices, configuration) are one line, exit 2.

Each case is a command line a user could type; every one must end with exactly one
``error:`` line on stderr, exit code 2 and no traceback, and write nothing.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from graphmodel.cli.main import main

TINY = str(Path(__file__).parent / "fixtures" / "tiny")


def _config(tmp_path: Path, body: str) -> str:
    path = tmp_path / "params.toml"
    path.write_text(body)
    return str(path)


#: (id, argv builder, a phrase the one line must hold)
CASES = [
    ("port-not-a-number", lambda t: ["stats", "--neo4j", "bolt://127.0.0.1:notaport"],
     "not a Neo4j URI"),
    ("http-scheme", lambda t: ["stats", "--neo4j", "http://127.0.0.1:7474"], "not a Neo4j URI"),
    ("bolt-without-host", lambda t: ["stats", "--neo4j", "bolt://"], "no host"),
    ("plaintext-to-another-machine", lambda t: ["stats", "--neo4j", "bolt://10.1.2.3:7687"],
     "unencrypted"),
    ("nobody-listening", lambda t: ["stats", "--neo4j", "bolt://127.0.0.1:9"],
     "cannot reach the server"),
    ("out-under-proc", lambda t: ["stats", "--source", TINY, "--out", "/proc/x.csv"], "/proc/x.csv"),
    ("out-empty", lambda t: ["stats", "--source", TINY, "--out", ""], "an empty path"),
    ("out-a-folder", lambda t: ["stats", "--source", TINY, "--out", str(t)], "work"),
    ("generate-under-proc", lambda t: ["generate", "--users", "5", "--days", "1", "--out", "/proc/gm"],
     "/proc/gm"),
    ("report-under-proc", lambda t: ["report", "--source", TINY, "--out", "/proc/gm-report"],
     "/proc/gm-report"),
    ("config-params-not-a-table", lambda t: ["value", "--source", TINY, "--config",
                                             _config(t, 'params = "x"\n')], "params must be a table"),
    ("config-boolean", lambda t: ["value", "--source", TINY, "--config",
                                  _config(t, "[params]\nalpha = true\n")], "alpha must be a number"),
    ("config-missing", lambda t: ["value", "--source", TINY, "--config", str(t / "none.toml")],
     "none.toml"),
]


@pytest.fixture
def no_neo4j_env(monkeypatch, tmp_path):
    for var in ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "GRAPHMODEL_NEO4J_PLAINTEXT"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("NEO4J_PASSWORD", "not-a-real-one")
    monkeypatch.setenv("GRAPHMODEL_NEO4J_HOME", str(tmp_path / "no-server"))


@pytest.mark.parametrize(("argv", "phrase"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_environment_errors_are_one_line_exit_2(no_neo4j_env, tmp_path, argv, phrase):
    work = tmp_path / "work"
    work.mkdir()
    before = sorted(p.name for p in work.iterdir())
    r = CliRunner().invoke(main, argv(work))
    assert isinstance(r.exception, SystemExit), repr(r.exception)  # not an uncaught error
    assert r.exit_code == 2, (r.exit_code, r.output, repr(r.exception))
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), r.stderr
    assert phrase in lines[0], lines[0]
    assert sorted(p.name for p in work.iterdir() if p.suffix != ".toml") == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder_is_one_line(tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        r = CliRunner().invoke(main, ["stats", "--source", TINY, "--out", str(ro / "x.csv")])
    finally:
        ro.chmod(0o700)
    assert r.exit_code == 2 and len(r.stderr.strip().splitlines()) == 1
    assert list(ro.iterdir()) == []


def test_a_real_process_prints_one_line_and_no_traceback(tmp_path):
    """The same through the console script: what reaches a terminal."""
    env = dict(os.environ, NEO4J_PASSWORD="x", GRAPHMODEL_NEO4J_HOME=str(tmp_path))
    env.pop("NEO4J_URI", None)
    for argv in (["stats", "--neo4j", "bolt://127.0.0.1:notaport"],
                 ["stats", "--source", TINY, "--out", "/proc/x.csv"]):
        p = subprocess.run([sys.executable, "-m", "graphmodel", *argv], capture_output=True,
                           text=True, env=env, timeout=120)
        assert p.returncode == 2 and "Traceback" not in p.stderr, p.stderr
        assert len(p.stderr.strip().splitlines()) == 1 and p.stderr.startswith("error: ")
