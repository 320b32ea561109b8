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
    columns = (tmp_path / "site" / "reference" / "columns" / "index.html").read_text()
    from graphmodel.dictionary import COLUMNS, VIEWS

    for c in COLUMNS:  # the page is rendered from the data dictionary, an anchor per name
        assert f'id="{c.name}"' in columns, c.name
    assert 'id="command-value-by-user"' in columns and len(VIEWS) > 20
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


def _printed(nb) -> list[str]:
    """What each code cell printed (its stream outputs), cell by cell."""
    return ["".join(o.get("text", "") for o in c.outputs if o.output_type == "stream")
            for c in nb.cells if c.cell_type == "code"]


def _kinds(nb) -> list[list[str]]:
    """The kinds of output each code cell shows (a plot is image/png)."""
    return [[o.output_type + ":" + ",".join(sorted(o.get("data", {})))
             for o in c.outputs if o.output_type != "stream"]
            for c in nb.cells if c.cell_type == "code"]


def test_the_notebook_runs_on_the_embedded_store_and_shows_what_is_stored(tmp_path,
                                                                          monkeypatch):
    """The committed notebook reads on a code host (its outputs, plots included, are
    stored) and what it stores is what it prints when run again
    (``python scripts/run_notebook.py`` refreshes it)."""
    import nbformat

    monkeypatch.delenv("NEO4J_URI", raising=False)
    stored = nbformat.read(ROOT / "examples" / "explore.ipynb", as_version=4)
    nb = run_notebook(tmp_path, {})
    assert _printed(nb) == _printed(stored)
    assert _kinds(nb) == _kinds(stored)
    plots = [k for cell in _kinds(stored) for k in cell if "image/png" in k]
    assert len(plots) == 3
    assert _printed(nb)[0].startswith("memory")
    assert "came back to them (9.1%)" in _printed(nb)[1]
    assert not list(tmp_path.iterdir())  # it writes nothing


def test_what_the_notebook_says_holds():
    """The interpretation in the notebook's prose, checked on its log (3,000 users x 3
    days, seed 7)."""
    import graphmodel
    from graphmodel.analysis.scenario.run import Scenario, scenario_table

    store = graphmodel.MemoryStore(graphmodel.generate(
        graphmodel.GeneratorConfig(users=3000, days=3, seed=7)))
    p = graphmodel.value(store, by="platform").iloc[0]
    # "less than a tenth ... about ten are kept"; "about half are wholly unpaid"
    assert p["value_returned"] / p["user_generated_value"] < 0.1
    assert 9 < p["exploitation_rate"] < 11
    assert 0.45 < p["wholly_unpaid_users"] / p["users"] < 0.55
    assert p["below_min_wage_share"] > 0.99
    # users keep the smallest share of the four; merchants and streamers most
    actors = graphmodel.value(store, by="actor").set_index("actor")["share"]
    assert actors.idxmin() == "users"
    assert actors["merchants"] + actors["streamers"] > 0.5
    # per segment: a little over three yuan per hour produced, about a tenth back,
    # daily users not paid more per hour than casual ones
    users = graphmodel.value(store, by="user").merge(store.table("users"), on="user_id")
    seg = users.groupby("segment")[["labour_s", "value_produced", "value_returned"]].sum()
    per_hour = seg["value_produced"] / (seg["labour_s"] / 3600)
    wage = seg["value_returned"] / (seg["labour_s"] / 3600)
    assert per_hour.between(3, 3.6).all()
    assert (seg["value_returned"] / seg["value_produced"]).between(0.07, 0.13).all()
    assert wage["daily"] <= wage["casual"]
    # returns more concentrated than value produced
    gini = graphmodel.distribution(store).set_index("measure")["gini"]
    assert gini["value_returned"] > gini["value_produced"] + 0.1
    # the dividend: returns more than doubled, e cut by more than half, returns less
    # unequal, labour, value produced and the share below the minimum wage unchanged
    d = scenario_table(store, [Scenario("d", {"dividend": 0.1})]).set_index("figure")
    assert d.loc["value_returned", "change_pct"] > 100
    assert d.loc["exploitation_rate", "change_pct"] < -50
    assert d.loc["gini_value_returned", "change"] < 0
    for figure in ("labour_hours", "user_generated_value", "below_min_wage_share"):
        assert d.loc[figure, "change"] == 0


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
    nb = run_notebook(tmp_path, {})
    assert _printed(nb)[0].startswith("neo4j")
    assert sum("image/png" in k for cell in _kinds(nb) for k in cell) == 3


def test_the_notebook_reads_in_a_browser(tmp_path):
    """The committed notebook as a reader sees it (rendered to HTML as a code host does):
    its three figures drawn, its tables shown, the page no wider than the window and
    nothing fetched from the network."""
    import nbformat
    from chromium import Chromium
    from nbconvert import HTMLExporter

    nb = nbformat.read(ROOT / "examples" / "explore.ipynb", as_version=4)
    html, _ = HTMLExporter(template_name="lab", mathjax_url="",
                           require_js_url="").from_notebook_node(nb)
    page = tmp_path / "explore.html"
    page.write_text(html, encoding="utf-8")
    with Chromium(tmp_path / "profile") as b:
        requested = b.open(page.as_uri())
        assert all(u.startswith(("file:", "data:")) for u in requested), requested
        seen = b.evaluate("""(() => ({
            figures: [...document.images].filter(i => i.complete && i.naturalWidth > 250)
                                         .length,
            tables: document.querySelectorAll("table.dataframe").length,
            headings: [...document.querySelectorAll("h2")].map(h => h.textContent),
            text: document.body.innerText,
            overflow: document.documentElement.scrollWidth
                      - document.documentElement.clientWidth}))()""")
        (tmp_path / "notebook.png").write_bytes(b.screenshot())
    assert seen["figures"] == 3
    assert seen["tables"] == 5
    assert any(h.startswith("6. A policy: a 10 % data dividend") for h in seen["headings"])
    assert "came back to them (9.1%)" in seen["text"]
    assert seen["overflow"] <= 0
