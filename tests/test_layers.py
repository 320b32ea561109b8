"""The layers of the package (pyproject.toml, [tool.importlinter]) hold, and a wrong-way
import breaks them: at module level and inside a function (docs/contributing.md)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT = ("import sys; from importlinter.cli import lint_imports; "
        "sys.exit(lint_imports(config_filename='pyproject.toml', no_cache=True))")


def _lint(root: Path) -> subprocess.CompletedProcess:
    """``lint-imports`` on the package under ``root`` (first on the path)."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run([sys.executable, "-c", LINT], cwd=root, env=env,
                          capture_output=True, text=True, timeout=300)


def test_the_layers_hold():
    r = _lint(ROOT)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Contracts: 3 kept, 0 broken." in r.stdout


@pytest.fixture()
def copy(tmp_path):
    """The package and its pyproject.toml, copied to plant imports in."""
    shutil.copytree(ROOT / "graphmodel", tmp_path / "graphmodel",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


@pytest.mark.parametrize("planted, broken", [
    # the model reaching up to an analysis, at module level
    ("model/labour.py", "from graphmodel.analysis.value import api  # planted\n"),
    # an engine reaching up to the command line, inside a function
    ("engines/memory/store.py",
     "def _planted():\n    from graphmodel.cli import options\n    return options\n"),
    # the event log reaching up to an engine
    ("eventlog/read.py", "import graphmodel.engines.open  # planted\n"),
    # the generator (beside the model) importing the model
    ("generator/config.py", "from graphmodel.model import labour  # planted\n"),
    # the value accounting reaching up to the scenarios that use it
    ("analysis/value/capture.py", "from graphmodel.analysis.scenario import levers  # planted\n"),
    # one engine importing another
    ("engines/spark/accounts.py", "from graphmodel.engines.memory import pairs  # planted\n"),
], ids=["model->analysis", "engine->cli in a function", "eventlog->engine",
        "generator->model", "value->scenario", "spark->memory"])
def test_a_wrong_way_import_fails(copy, planted, broken):
    path = copy / "graphmodel" / planted
    path.write_text(path.read_text() + "\n\n" + broken)
    r = _lint(copy)
    assert r.returncode == 1, r.stdout
    contract = ("Engines are independent of each other BROKEN" if "spark" in planted
                else "never the other way BROKEN" if "value" in planted
                else "bottom BROKEN")  # the layers contract's name ends "... at the bottom"
    assert contract in r.stdout
    assert re.search(r"Contracts: [012] kept, [123] broken\.", r.stdout)
