"""`graphmodel report`: one self-contained HTML page, its Markdown twin, and what they show.

The report is written for the tiny hand-made log and for a small generated
platform, then read back: no network reference, every image an embedded PNG,
the headline numbers the value accounting's own in both files, every
parameter and the seed; then the page is opened in headless Chromium (over
the DevTools protocol) to check that every image loaded, that nothing was
fetched from the network and that the page is not blank.
"""

from __future__ import annotations

import base64
import io
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from chromium import Chromium
from click.testing import CliRunner

import graphmodel
from graphmodel.analysis.value import Accounts
from graphmodel.analysis.value.headline import headline_figures
from graphmodel.cli.main import main
from graphmodel.engines.open import open_store
from graphmodel.params import PARAMETERS, Params
from graphmodel.report import Report, build_report, collect_sections, write_report
from graphmodel.report.build import HEADLINE, format_figure
from graphmodel.report.plots import cascade_ccdf_plot, tornado_plot, virality_plot

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


# -- the two reports, each written once -------------------------------------------------
@pytest.fixture(scope="module")
def generated_log(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("generated") / "log"
    log = graphmodel.generate(graphmodel.GeneratorConfig(users=500, days=2, seed=1))
    graphmodel.write_log(log, out, fmt="parquet")
    return out


@pytest.fixture(scope="module", params=["tiny", "generated"])
def written(request, tmp_path_factory):
    """``(source folder, report folder, expected seed)`` for each platform."""
    if request.param == "tiny":
        source, seed = Path(__file__).parent / "fixtures" / "tiny", None
    else:
        source, seed = request.getfixturevalue("generated_log"), 1
    out = tmp_path_factory.mktemp(f"report-{request.param}") / "report"
    r = run("report", "--source", source, "--out", out, "--bootstrap", 50, "--quiet")
    assert r.exit_code == 0, r.output
    assert r.stdout.strip() == str(out / "report.html")
    return source, out, seed


class Page(HTMLParser):
    """The parts of the report page the tests read."""

    def __init__(self, text: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.headline: dict[str, tuple[str, str]] = {}  # figure -> (data-value, shown)
        self.tables: dict[str, list[list[str]]] = {}
        self._table = self._row = self._cell = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag == "table":
            self._table = self.tables.setdefault(a.get("id") or f"t{len(self.tables)}", [])
        elif tag == "tr":
            self._row = [a]
        elif tag in ("td", "th"):
            self._cell = []

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append("".join(self._cell))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            attrs, cells = self._row[0], self._row[1:]
            self._table.append(cells)
            if "data-figure" in attrs:
                self.headline[attrs["data-figure"]] = (attrs["data-value"], cells[1])
            self._row = None


def read(written):
    source, out, seed = written
    html = (out / "report.html").read_text(encoding="utf-8")
    md = (out / "report.md").read_text(encoding="utf-8")
    return source, out, seed, html, md, Page(html)


def accounting_headline(source: Path) -> dict[str, float]:
    with open_store(source=source) as store:
        return headline_figures(Accounts.from_store(store), Params())


def same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float) and np.isnan(a) and np.isnan(b):
        return True
    return a == b


# -- the HTML page ----------------------------------------------------------------------
def test_html_makes_no_network_reference(written):
    *_, html, _md, page = read(written)
    assert "http://" not in html and "https://" not in html
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*//""", html)
    assert "@import" not in html and "url(" not in html
    for tag, attrs in page.tags:
        assert tag not in ("script", "link", "iframe", "object", "embed"), tag
        for name in ("src", "href"):
            if name in attrs:
                assert attrs[name].startswith(("data:image/png;base64,", "#")), attrs[name][:60]


def test_every_image_is_an_embedded_png_and_the_markdown_has_the_same(written):
    _source, out, _seed, _html, md, page = read(written)
    srcs = [a["src"] for t, a in page.tags if t == "img"]
    assert len(srcs) >= 5
    embedded = []
    for src in srcs:
        png = base64.b64decode(src.removeprefix("data:image/png;base64,"), validate=True)
        assert png.startswith(PNG_SIGNATURE)
        embedded.append(png)
        assert _pixels(png).shape[0] > 50
    linked = re.findall(r"!\[[^\]]*\]\((figures/[^)]+\.png)\)", md)
    assert [(out / p).read_bytes() for p in linked] == embedded
    assert sorted(p.name for p in (out / "figures").iterdir()) == sorted(
        Path(p).name for p in linked)


def test_headline_numbers_are_the_value_accountings(written):
    source, *_rest, page = read(written)
    expected = accounting_headline(source)
    assert set(page.headline) == set(expected)
    for name, value in expected.items():
        raw, shown = page.headline[name]
        assert same(json.loads(raw) if raw != "null" else float("nan"), value), name
        assert shown == format_figure(HEADLINE[name][1], value), name


def test_markdown_twin_has_the_same_headline_numbers(written):
    source, *_rest, md, page = read(written)
    expected = accounting_headline(source)
    rows = dict(re.findall(r"^\| ([^|]+?) \| ([^|]+?) \|$", md, flags=re.M))
    for name, value in expected.items():
        label, kind = HEADLINE[name]
        assert rows[label] == format_figure(kind, value) == page.headline[name][1], name
    # the sentences too: same text in both files
    assert f"{expected['user_generated_value']:,.0f} yuan of value" in md
    assert f"e = (T - sum v) / sum v = {expected['exploitation_rate']:.1f}" in md


def test_every_parameter_and_the_seed_are_reported(written):
    source, _out, seed, _html, md, page = read(written)
    params = {row[0]: row for row in page.tables["parameters"][1:]}
    assert set(params) == set(PARAMETERS)
    assert params["lambda"][1] == "0.5" and params["attribution"][1] == "decay"
    prov = dict(page.tables["provenance"][1:])
    assert prov["source"] == str(source)
    assert prov["seed"] == ("n/a" if seed is None else str(seed))
    for name in PARAMETERS:
        assert f"| {name} |" in md
    if seed is not None:
        assert "generator options" in prov and "users=500" in prov["generator options"]


def test_report_has_every_section(written):
    *_, html, md, page = read(written)
    for section in ("headline-figures", "distribution-of-value", "value-captured-by-actor-class",
                    "viral-spread", "governance-scenarios", "sensitivity-to-the-parameters",
                    "uncertainty", "at-national-scale", "parameters-and-source"):
        assert f'<section id="{section}">' in html
        assert f"](#{section})" in md
    assert "567.76 million users" in html and "567.76 million users" in md
    alts = [a["alt"] for t, a in page.tags if t == "img"]
    for word in ("Lorenz", "Cascade-size", "virality", "exploitation", "captured", "Scenario",
                 "Tornado", "Bootstrap"):
        assert any(word in a for a in alts), word
    scen = page.tables["scenarios"]
    assert [r[0] for r in scen[1:]] == ["baseline", "dividend_10pct", "data_union_floor",
                                       "opt_out_30pct", "task_cap_3", "take_rate_cap_2pct"]
    assert {r[0] for r in page.tables["sensitivity"][1:]} == set(PARAMETERS)


# -- in a real browser ------------------------------------------------------------------
@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """One headless Chromium for the module (it fails, not skips, when not installed)."""
    with Chromium(tmp_path_factory.mktemp("chromium") / "profile") as b:
        yield b


def test_report_renders_in_headless_chromium(written, browser):
    _source, out, *_ = written
    got = browser.open((out / "report.html").resolve().as_uri())
    images = browser.evaluate(
        "Array.from(document.images).map(i => [i.complete, i.naturalWidth, i.naturalHeight])")
    first = browser.evaluate(
        "(() => { const r = document.images[0].getBoundingClientRect(); "
        "return [r.left + window.scrollX, r.top + window.scrollY, r.width, r.height]; })()")
    page_png = browser.screenshot()
    figure_png = browser.screenshot(clip=first)
    assert got and all(u.startswith(("file:", "data:")) for u in got), got
    assert len(images) >= 5
    assert all(ok and w > 0 and h > 0 for ok, w, h in images), images
    for png in (page_png, figure_png):
        pixels = _pixels(png)
        assert len(np.unique(pixels.reshape(-1, pixels.shape[-1]), axis=0)) > 10


def _pixels(png: bytes) -> np.ndarray:
    from PIL import Image

    with Image.open(io.BytesIO(png)) as im:
        im.verify()
    with Image.open(io.BytesIO(png)) as im:
        return np.asarray(im.convert("RGB"))


# -- errors a user can cause, and writing over an older report --------------------------
def test_out_that_is_a_file_is_a_one_line_error_and_nothing_is_written(tiny_dir, tmp_path):
    target = tmp_path / "report.html"
    target.write_text("mine")
    r = run("report", "--source", tiny_dir, "--out", target, "--quiet")
    assert r.exit_code == 2
    assert r.stderr.strip().splitlines() == [
        f"error: --out {target}: is a file; give a folder for the report"]
    r = run("report", "--source", tiny_dir, "--out", target / "sub", "--quiet")
    assert r.exit_code == 2 and "is a file, not a folder" in r.stderr
    assert target.read_text() == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]


def test_writing_into_an_existing_folder_replaces_the_report_only(tmp_path):
    out = tmp_path / "out"
    (out / "figures").mkdir(parents=True)
    (out / "figures" / "stale.png").write_bytes(b"old")
    (out / "notes.txt").write_text("keep me")
    (out / "report.md").write_text("old")
    png = cascade_ccdf_plot(pd.DataFrame({"size": [1, 1, 2]}))
    path = write_report(Report("<p>new</p>", "new", {"sizes": png}), out)
    assert path == out / "report.html" and path.read_text() == "<p>new</p>"
    assert (out / "notes.txt").read_text() == "keep me"
    assert (out / "report.md").read_text() == "new"
    assert [p.name for p in (out / "figures").iterdir()] == ["sizes.png"]
    assert (out / "figures" / "sizes.png").read_bytes() == png
    assert sorted(p.name for p in out.iterdir()) == ["figures", "notes.txt", "report.html",
                                                     "report.md"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no temporary folder left


def test_build_report_is_pure_and_sections_come_from_the_tables_given(tiny_dir):
    with open_store(source=tiny_dir) as store:
        sections = collect_sections(store, Params(), scenarios=[], bootstrap_reps=0)
    assert "scenarios" not in sections and "bootstrap" not in sections
    del sections["sensitivity"]
    a, b = build_report(**sections), build_report(**sections)
    assert a == b
    assert sorted(a.images) == ["capture", "cascade_sizes", "exploitation", "lorenz",
                                "virality"]
    for absent in ("governance-scenarios", "sensitivity-to-the-parameters", "uncertainty"):
        assert absent not in a.html and absent not in a.markdown


def test_plots_of_empty_tables_are_still_pictures():
    empty = pd.DataFrame({"size": pd.Series([], dtype="int64"),
                          "structural_virality": pd.Series([], dtype="float64")})
    sens = pd.DataFrame(columns=["parameter", "low", "high", "figure", "baseline", "at_low",
                                 "at_high", "swing"])
    for png in (cascade_ccdf_plot(empty), virality_plot(empty), tornado_plot(sens)):
        assert png.startswith(PNG_SIGNATURE) and _pixels(png).size > 0


@pytest.mark.neo4j
def test_report_from_neo4j_has_the_embedded_stores_numbers(tiny_dir, neo4j_env, tmp_path):
    r = run("load", tiny_dir, "--quiet")
    assert r.exit_code == 0, r.output
    r = run("report", "--neo4j", neo4j_env, "--out", tmp_path / "neo", "--bootstrap", 20,
            "--quiet")
    assert r.exit_code == 0, r.output
    neo = Page((tmp_path / "neo" / "report.html").read_text(encoding="utf-8"))
    expected = accounting_headline(tiny_dir)
    for name, value in expected.items():
        raw, shown = neo.headline[name]
        assert json.loads(raw) == pytest.approx(value, rel=1e-9), name
        assert shown == format_figure(HEADLINE[name][1], value), name
    assert dict(neo.tables["provenance"][1:])["source"] == neo4j_env


def test_a_partial_log_report_shows_what_the_log_lacks_in_chromium(tmp_path, browser):
    """Only events.csv: the section on the data sits right after the headline, with the
    derived and absent tables and one paragraph per note, and renders as a real section."""
    folder = tmp_path / "only-events"
    folder.mkdir()
    shutil.copy(Path(__file__).parent / "fixtures" / "tiny" / "events.csv", folder)
    out = tmp_path / "report"
    r = run("report", "--source", folder, "--out", out, "--bootstrap", 0, "--quiet")
    assert r.exit_code == 0, r.output
    browser.open((out / "report.html").resolve().as_uri())
    titles = browser.evaluate("Array.from(document.querySelectorAll('h2')).map(h => h.textContent)")
    assert titles.index("The data: what the log lacks") == 1, titles
    box = browser.evaluate(
        "(() => { const h = Array.from(document.querySelectorAll('h2')).find("
        "x => x.textContent.startsWith('The data')); const s = h.parentElement; "
        "const r = s.getBoundingClientRect(); "
        "return [r.left + window.scrollX, r.top + window.scrollY, r.width, r.height, "
        "s.innerText]; })()")
    x, y, w, h, text = box
    assert w > 300 and h > 100
    for expected in ("derived", "users, streamers, advertisers, streams, products",
                     "follows, ad_spend, tasks, task_completions",
                     "No ad_spend table: attention value is 0",
                     "Streams derived from the events"):
        assert expected in text, expected
    png = browser.screenshot(clip=[x, y, w, min(h, 2000)])
    pixels = _pixels(png)
    assert len(np.unique(pixels.reshape(-1, pixels.shape[-1]), axis=0)) > 10
    (tmp_path / "the-data-section.png").write_bytes(png)  # to look at with --basetemp
