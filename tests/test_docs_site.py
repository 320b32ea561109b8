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
    raw = ROLE.search(text)
    assert raw is None, text[max(raw.start() - 80, 0) :][:200] if raw else ""
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


# -- the formulas, typeset in a real browser with the network off --------------------------
FORMULA = re.compile(r"\$\$.+?\$\$|\$[^$\n]+\$", re.S)


def formulas(md: str) -> list[str]:
    """The ``$...$`` and ``$$...$$`` formulas of a page's Markdown, code left out."""
    md = re.sub(r"```.*?```", "", md, flags=re.S)
    md = re.sub(r"`[^`\n]*`", "", md)
    return FORMULA.findall(md)


def test_formulas_are_found_in_the_markdown():
    assert formulas("a $x_1$ b `$y$` $$\nz\n$$ c") == ["$x_1$", "$$\nz\n$$"]


MATH_BOXES = """(() => Array.from(document.querySelectorAll('article math')).map(m => {
  const r = m.getBoundingClientRect();
  return [m.getAttribute('display'), r.width, r.height];
}))()"""

# the base and the subscript of the first msub of the page: a subscript sits lower
SUBSCRIPT = """(() => { const s = document.querySelector('article math msub');
  const [b, i] = Array.from(s.children).map(c => c.getBoundingClientRect());
  return [b.bottom, i.bottom, b.left, i.left, b.width]; })()"""


def test_the_model_page_shows_typeset_formulas_offline(site, tmp_path):
    from chromium import Chromium

    expected = formulas((ROOT / "docs" / "model.md").read_text())
    assert len(expected) >= 20
    page = (site / "model" / "index.html").resolve()
    with Chromium(tmp_path / "profile") as browser:
        browser.page("Network.enable")
        browser.page(
            "Network.emulateNetworkConditions",
            offline=True,
            latency=0,
            downloadThroughput=-1,
            uploadThroughput=-1,
        )
        requested = browser.open(page.as_uri())
        boxes = browser.evaluate(MATH_BOXES)
        base_bottom, sub_bottom, base_left, sub_left, base_width = browser.evaluate(SUBSCRIPT)
        text = browser.evaluate("document.querySelector('article').innerText")
        png = browser.screenshot()
    (tmp_path / "model.png").write_bytes(png)
    assert len(boxes) == len(expected)
    assert sum(d == "block" for d, _w, _h in boxes) == sum(f.startswith("$$") for f in expected)
    assert all(w > 0 and h > 0 for _d, w, h in boxes), boxes
    # laid out as mathematics: the subscript is lower than its base and to its right
    assert sub_bottom > base_bottom and sub_left >= base_left + base_width - 0.5
    for raw in ("$", "\\frac", "\\times", "\\mathrm", "\\text", "_{"):
        assert raw not in text, raw
    assert "watch\xa0seconds" in text  # the words of a formula, as text of the math
    # nothing from the network: not the formulas, not a font
    assert all(u.startswith(("file:", "data:")) for u in requested), requested


@pytest.mark.parametrize("name", sorted(p.stem for p in (ROOT / "docs").glob("*.md")))
def test_every_formula_of_a_page_is_typeset(site, name):
    """As many ``math`` elements on the page as formulas in its Markdown, and no ``\\(``."""
    expected = formulas((ROOT / "docs" / f"{name}.md").read_text())
    page = site / ("" if name == "index" else name) / "index.html"
    body = page.read_text()
    article = body[body.index("<article") : body.index("</article>")]
    assert article.count("<math ") == len(expected), name
    assert 'class="arithmatex"' not in article
