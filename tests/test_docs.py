"""The documentation: the site builds strictly, the tutorial runs, the notebook runs.

`mkdocs build --strict` fails on a broken link, a missing page or a stale
reference (the CLI and API pages are generated from the code); every bash
block of docs/tutorial.md runs, in order, in one folder, as a user would
run it (the Neo4j part on a real local server); the example notebook runs
on the embedded store and on Neo4j.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SKIP = "<!-- tutorial: skip"


def test_the_site_builds_strictly(tmp_path):
    p = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d",
                        str(tmp_path / "site")], cwd=ROOT, capture_output=True, text=True,
                       env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert p.returncode == 0, p.stderr[-3000:]
    page = (tmp_path / "site" / "event-log" / "index.html").read_text()
    from graphmodel.schema import TABLES

    for t in TABLES.values():  # the table is rendered from the schema module
        for c in t.columns:
            assert f"<td>{c.name}</td>" in page or f"<strong>{c.name}</strong>" in page, c.name
    cli = (tmp_path / "site" / "reference" / "cli" / "index.html").read_text()
    for command in ("value", "scenario", "sensitivity", "ledger", "report", "load", "spread"):
        assert f"graphmodel {command}" in cli, command
    # every command's examples follow its options as a code block (docs/hooks/cli_examples.py)
    from test_help_examples import COMMANDS

    block = '<p><strong>Examples:</strong></p>\n<div class="highlight"><pre><span></span><code>'
    assert cli.count(block) == len(COMMANDS)
    assert '<span class="c1"># the ten largest cascades: size, depth' in cli


def tutorial_blocks() -> list[str]:
    """The bash blocks of docs/tutorial.md, in order, without those marked to skip."""
    text = (ROOT / "docs" / "tutorial.md").read_text()
    blocks = []
    for m in re.finditer(r"(<!--[^>]*-->\s*)?```bash\n(.*?)```", text, re.S):
        if m.group(1) and m.group(1).strip().startswith(SKIP):
            continue
        blocks.append(m.group(2))
    return blocks


def test_the_tutorial_has_its_commands():
    blocks = tutorial_blocks()
    assert len(blocks) >= 8
    assert any("graphmodel server start" in b for b in blocks)


@pytest.mark.slow
@pytest.mark.neo4j
def test_every_tutorial_command_runs(tmp_path):
    home = tmp_path / "neo4j-home"
    env = {**os.environ, "GRAPHMODEL_NEO4J_HOME": str(home), "NO_COLOR": "1",
           "COLUMNS": "200"}
    for name in ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD"):
        env.pop(name, None)
    script = "set -euo pipefail\n" + "\n".join(tutorial_blocks())
    try:
        p = subprocess.run(["bash", "-c", script], cwd=tmp_path, env=env, capture_output=True,
                           text=True, timeout=1500)
    finally:
        subprocess.run([sys.executable, "-m", "graphmodel", "server", "stop", "--home",
                        str(home)], capture_output=True)
    assert p.returncode == 0, (p.stdout[-3000:], p.stderr[-3000:])
    out = p.stdout + p.stderr
    # what the page says the validator prints, it prints
    shown = re.search(r"prints\n\n```text\n(.*?)```", (ROOT / "docs" / "tutorial.md").read_text(),
                      re.S).group(1)
    for line in shown.strip().splitlines():
        assert line in out, line
    assert (tmp_path / "demo" / "report" / "report.html").exists()
    assert (tmp_path / "report" / "report.html").exists()
    assert (tmp_path / "scenarios.csv").read_text().startswith("scenario,figure,baseline")
    assert "error: policies.toml: unknown parameter 'scenario'" in out


def run_notebook(tmp_path, env: dict[str, str]) -> dict:
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(ROOT / "examples" / "explore.ipynb", as_version=4)
    old = dict(os.environ)
    os.environ.update(env)
    try:
        NotebookClient(nb, timeout=600, kernel_name="python3",
                       resources={"metadata": {"path": str(tmp_path)}}).execute()
    finally:
        os.environ.clear()
        os.environ.update(old)
    return nb


def test_the_notebook_runs_on_the_embedded_store(tmp_path, monkeypatch):
    monkeypatch.delenv("NEO4J_URI", raising=False)
    figure = tmp_path / "lorenz.png"
    nb = run_notebook(tmp_path, {"GRAPHMODEL_NOTEBOOK_FIGURE": str(figure)})
    text = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code"
                   for o in c.outputs)
    assert text.startswith("memory")
    assert figure.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.neo4j
def test_the_notebook_runs_on_neo4j(tmp_path, neo4j_env):
    from click.testing import CliRunner

    import graphmodel
    from graphmodel.cli.main import main

    folder = tmp_path / "log"
    graphmodel.write_log(graphmodel.generate(graphmodel.GeneratorConfig(users=800, days=2,
                                                                        seed=7)),
                         folder, fmt="parquet")
    r = CliRunner().invoke(main, ["load", str(folder), "-q"])
    assert r.exit_code == 0, r.output
    figure = tmp_path / "lorenz.png"
    nb = run_notebook(tmp_path, {"GRAPHMODEL_NOTEBOOK_FIGURE": str(figure)})
    text = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code"
                   for o in c.outputs)
    assert text.startswith("neo4j")
    assert figure.exists()
