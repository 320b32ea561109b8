"""The built documentation site: the API reference reads as prose, the model's links land.

The site is built once for the module (``mkdocs build --strict``). The API page
(docs/reference/api.md, rendered from the docstrings) must show no raw Sphinx
role, no mention of a specification file users do not have, and every method
the README teaches; every link from it into docs/model.md must land on an
anchor of that page.
"""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ROLE = re.compile(r":(?:py:)?(?:func|data|class|mod|meth|attr|obj|exc|ref|doc):`")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("docs") / "site"
    p = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert p.returncode == 0, p.stderr[-3000:]
    assert "Could not find cross-reference target" not in p.stderr
    return out


def page_text(page: str) -> str:
    """What a reader sees of an HTML page: its text without tags, entities decoded."""
    body = re.sub(r"<(script|style)\b.*?</\1>", "", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", body))


def readme_api() -> set[str]:
    """The anchors of the API page for the Python calls the README shows."""
    readme = (ROOT / "README.md").read_text()
    block = re.search(r"## From Python\n(.*?)\n## ", readme, re.S).group(1)
    names = {f"graphmodel.Store.{m}" for m in re.findall(r"\bstore\.(\w+)\(", block)}
    names |= {f"graphmodel.{c}.{m}" for c, m in re.findall(r"\b(\w+Store)\.(\w+)\(", block)}
    names |= {
        f"graphmodel.{f}" for f in re.findall(r"\bgraphmodel\.(\w+)\(", block) if f != "generator"
    }
    return names


def test_the_readme_calls_are_found():
    # the parser above finds what the README's section shows
    assert {
        "graphmodel.Store.stats",
        "graphmodel.Store.referrals",
        "graphmodel.Store.table",
        "graphmodel.MemoryStore.open",
        "graphmodel.value",
        "graphmodel.write_log",
    } <= readme_api()


def test_the_api_page_reads_well(site):
    page = (site / "reference" / "api" / "index.html").read_text()
    text = page_text(page)
    assert ROLE.search(text) is None, (
        ROLE.search(text) and text[ROLE.search(text).start() - 80 :][:200]
    )
    assert "MODEL.md" not in page
    ids = set(re.findall(r'\bid="(graphmodel\.[\w.]+)"', page))
    wanted = readme_api() | {
        f"graphmodel.Store.{m}" for m in ("query", "stats", "referrals", "table", "close")
    }
    wanted |= {
        "graphmodel.open_store",
        "graphmodel.Neo4jStore.open",
        "graphmodel.generate",
        "graphmodel.GeneratorConfig",
        "graphmodel.LogError",
        "graphmodel.distribution",
    }
    assert wanted - ids == set()
    # the docstrings' cross-references became links, to objects of this page
    internal = re.findall(r'<a class="autorefs autorefs-internal"[^>]*href="#([\w.]+)"', page)
    assert len(internal) >= 20
    assert set(internal) <= ids


def test_links_to_the_model_land_on_its_sections(site):
    api = (site / "reference" / "api" / "index.html").read_text()
    model = (site / "model" / "index.html").read_text()
    anchors = set(re.findall(r'href="\.\./\.\./model/#([\w.-]+)"', api))
    # sections 2 to 10 and the value's subsections are named by the docstrings
    assert {"2-the-event-log", "3-the-graph", "6-viral-spread", "model-5-5"} <= anchors
    for a in anchors:
        assert f'id="{a}"' in model, a
