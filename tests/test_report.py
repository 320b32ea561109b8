"""`graphmodel report`: one self-contained HTML page, its Markdown twin, and what they show.

The report is written for the tiny hand-made log and for a small generated
platform, then read back: no network reference, every image an embedded PNG,
every table's CSV embedded and written beside the Markdown, the headline
numbers the value accounting's own in both files, the same tables in both,
every parameter and the seed, numbered figures and tables; then the page is
opened in headless Chromium (over the DevTools protocol) to check that every
image loaded, that nothing was fetched from the network, that the page is
not blank, that nothing overflows the page at a screen and a print width,
and that every CSV link yields its table's rows.
"""

from __future__ import annotations

import base64
import csv
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
from graphmodel import numbers
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
        self.captions: dict[str, str] = {}
        self.csv: dict[str, tuple[str, str]] = {}  # table id -> (download name, href)
        self.panel_tables: list[str] = []
        self._table = self._row = self._cell = self._caption = None
        self._id = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag == "table" and (a.get("id") or "").startswith("gm-"):
            self.panel_tables.append(a["id"])  # the live panel's, filled by its script
            self._id, self._table = a["id"], []
        elif tag == "table":
            self._id = a.get("id") or f"t{len(self.tables)}"
            self._table = self.tables.setdefault(self._id, [])
        elif tag == "caption":
            self._caption = []
        elif tag == "a" and a.get("download") and self._caption is not None:
            self.csv[self._id] = (a["download"], a["href"])
        elif tag == "tr":
            self._row = [a]
        elif tag in ("td", "th"):
            self._cell = []

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        elif self._caption is not None:
            self._caption.append(data)

    def handle_endtag(self, tag):
        if tag == "caption":
            self.captions[self._id] = "".join(self._caption)
            self._caption = None
        elif tag in ("td", "th") and self._cell is not None:
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
    # the one address is the SVG namespace the live panel draws in: a name, never fetched
    addresses = set(re.findall(r"https?://[^\s\"'<>)]*", html))
    assert addresses <= {"http://www.w3.org/2000/svg"}, addresses
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*//""", html)
    assert "@import" not in html and "url(" not in html
    assert "MODEL.md" not in html  # a file users do not have: the docs page is docs/model.md
    for tag, attrs in page.tags:
        assert tag not in ("link", "iframe", "object", "embed"), tag
        # the live panel's scripts are inline: none loads a file
        assert not (tag == "script" and "src" in attrs), attrs
        for name in ("src", "href"):
            if name in attrs:
                assert attrs[name].startswith(
                    ("data:image/png;base64,", "data:text/csv;charset=utf-8;base64,", "#")
                ), attrs[name][:60]


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
        Path(p).name for p in linked
    )


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
    # the sentences too: same text in both files, by the same rules as the table
    assert f"{numbers.yuan(expected['user_generated_value'])} yuan of value" in md
    assert f"e = (T - sum v) / sum v = {numbers.ratio(expected['exploitation_rate'])}" in md
    below = numbers.share(expected["below_min_wage_share"])
    assert f"{below} of working users earned below the minimum wage" in md
    assert page.headline["below_min_wage_share"][1] == below


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


SECTIONS = [
    "headline-figures",
    "distribution-of-value",
    "value-captured-by-actor-class",
    "viral-spread",
    "governance-scenarios",
    "explore-the-levers",
    "sensitivity-to-the-parameters",
    "uncertainty",
    "at-national-scale",
    "methods",
    "limitations",
    "how-to-cite",
]


def sections(seed) -> list[str]:
    """The sections in order; a generated log (it has a seed) has its calibration."""
    return SECTIONS[:9] + ["calibration"] * (seed is not None) + SECTIONS[9:]


def test_report_has_every_section(written):
    _source, _out, seed, html, md, page = read(written)
    assert re.findall(r'<section id="([^"]+)">', html) == sections(seed)
    assert re.findall(r"^\d+\. \[[^]]+\]\(#([^)]+)\)$", md, flags=re.M) == sections(seed)
    assert "567.76 million users" in html and "567.76 million users" in md
    alts = [a["alt"] for t, a in page.tags if t == "img"]
    for word in (
        "Lorenz",
        "Cascade-size",
        "virality",
        "exploitation",
        "captured",
        "Scenario",
        "Tornado",
        "Bootstrap",
    ):
        assert any(word in a for a in alts), word
    legend = page.tables["scenario-legend"]
    assert [r[:2] for r in legend[1:]] == [
        ["S1", "dividend_10pct"],
        ["S2", "data_union_floor"],
        ["S3", "opt_out_30pct"],
        ["S4", "task_cap_3"],
        ["S5", "take_rate_cap_2pct"],
    ]
    scen = page.tables["scenarios"]
    assert scen[0] == ["figure", "baseline", "S1", "S2", "S3", "S4", "S5"]
    assert [r[0] for r in scen[1:]][:3] == [
        "platform_revenue",
        "labour_hours",
        "user_generated_value",
    ]
    parts = [t for k, t in page.tables.items() if k.startswith("sensitivity-")]
    assert len(parts) >= 2
    for part in parts:
        assert {r[0] for r in part[1:]} == set(PARAMETERS)
        assert len(part[0]) <= 2 + 5  # parameter, range and at most five figures


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
        "Array.from(document.images).map(i => [i.complete, i.naturalWidth, i.naturalHeight])"
    )
    first = browser.evaluate(
        "(() => { const r = document.images[0].getBoundingClientRect(); "
        "return [r.left + window.scrollX, r.top + window.scrollY, r.width, r.height]; })()"
    )
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
        f"error: --out {target}: is a file; give a folder for the report"
    ]
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
    assert sorted(p.name for p in out.iterdir()) == [
        "figures",
        "notes.txt",
        "report.html",
        "report.md",
        "tables",
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no temporary folder left


def test_build_report_is_pure_and_sections_come_from_the_tables_given(tiny_dir):
    with open_store(source=tiny_dir) as store:
        sections = collect_sections(store, Params(), scenarios=[], bootstrap_reps=0)
    assert "scenarios" not in sections and "bootstrap" not in sections
    del sections["sensitivity"]
    a, b = build_report(**sections), build_report(**sections)
    assert a == b
    assert sorted(a.images) == ["capture", "cascade_sizes", "exploitation", "lorenz", "virality"]
    for absent in ("governance-scenarios", "sensitivity-to-the-parameters", "uncertainty"):
        assert f'id="{absent}"' not in a.html and f"(#{absent})" not in a.markdown


def test_plots_of_empty_tables_are_still_pictures():
    empty = pd.DataFrame(
        {
            "size": pd.Series([], dtype="int64"),
            "structural_virality": pd.Series([], dtype="float64"),
        }
    )
    sens = pd.DataFrame(
        columns=["parameter", "low", "high", "figure", "baseline", "at_low", "at_high", "swing"]
    )
    for png in (cascade_ccdf_plot(empty), virality_plot(empty), tornado_plot(sens)):
        assert png.startswith(PNG_SIGNATURE) and _pixels(png).size > 0


@pytest.mark.neo4j
def test_report_from_neo4j_has_the_embedded_stores_numbers(tiny_dir, neo4j_env, tmp_path):
    r = run("load", tiny_dir, "--quiet")
    assert r.exit_code == 0, r.output
    r = run("report", "--neo4j", neo4j_env, "--out", tmp_path / "neo", "--bootstrap", 20, "--quiet")
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
        "s.innerText]; })()"
    )
    x, y, w, h, text = box
    assert w > 300 and h > 100
    for expected in (
        "derived",
        "users, streamers, advertisers, streams, products",
        "follows, ad_spend, tasks, task_completions",
        "No ad_spend table: attention value is 0",
        "Streams derived from the events",
    ):
        assert expected in text, expected
    png = browser.screenshot(clip=[x, y, w, min(h, 2000)])
    pixels = _pixels(png)
    assert len(np.unique(pixels.reshape(-1, pixels.shape[-1]), axis=0)) > 10
    (tmp_path / "the-data-section.png").write_bytes(png)  # to look at with --basetemp
    # the limitations say it again, beside the model's own assumptions
    html = (out / "report.html").read_text(encoding="utf-8")
    limits = html.split('<section id="limitations">')[1].split("</section>")[0]
    assert "This log&#x27;s own gaps" in limits
    assert "No ad_spend table: attention value is 0" in limits


# -- numbered figures and tables, the same tables and CSVs in both files ----------------
def markdown_tables(md: str) -> list[tuple[str, list[list[str]]]]:
    """``(caption, rows)`` of every table of the Markdown twin, header row first."""
    out = []
    for caption, body in re.findall(r"^\*(Table \d+\..*)\*\n\n((?:\|.*\|\n)+)", md, flags=re.M):
        rows = [
            [
                c.strip().replace("\\|", "|").replace("\\\\", "\\")
                for c in re.split(r"(?<!\\)\|", line)[1:-1]
            ]
            for line in body.splitlines()
        ]
        out.append((caption, [rows[0]] + rows[2:]))
    return out


def test_figures_and_tables_are_numbered_and_referenced(written):
    *_, html, md, page = read(written)
    assert "{figure:" not in html + md and "{table:" not in html + md
    figs = re.findall(r"<figcaption>Figure (\d+)\. ", html)
    assert figs == [str(i) for i in range(1, len(figs) + 1)] and len(figs) >= 8
    tables = [page.captions[k] for k in page.tables]
    assert [re.match(r"Table (\d+)\. ", c)[1] for c in tables] == [
        str(i) for i in range(1, len(tables) + 1)
    ]
    text = " ".join(re.findall(r"<p>([^<]*)</p>", html))
    for i in range(1, len(figs) + 1):
        assert re.search(rf"\bFigure {i}\b", text), i
    for i in range(1, len(tables) + 1):
        assert re.search(rf"\bTable {i}\b", text), i
    assert re.findall(r"^\*Figure (\d+)\. ", md, flags=re.M) == figs


def test_markdown_has_the_same_tables_and_each_table_its_csv(written):
    _source, out, _seed, _html, md, page = read(written)
    twins = markdown_tables(md)
    assert len(twins) == len(page.tables)
    for (table_id, rows), (caption, md_rows) in zip(page.tables.items(), twins, strict=True):
        assert md_rows == rows, table_id
        name, href = page.csv[table_id]
        assert name == f"{table_id}.csv" and f"(tables/{name})" in caption
        data = base64.b64decode(href.removeprefix("data:text/csv;charset=utf-8;base64,"))
        assert (out / "tables" / name).read_bytes() == data
        lines = list(csv.reader(io.StringIO(data.decode("utf-8"))))
        assert len(lines) - 1 == len(rows) - 1, table_id  # one CSV line per row shown
    assert sorted(p.name for p in (out / "tables").iterdir()) == sorted(
        f"{k}.csv" for k in page.tables
    )
    # the CSV keeps the exact values the page rounds
    head = dict(list(csv.reader(io.StringIO((out / "tables" / "headline.csv").read_text())))[1:])
    for name, (raw, _shown) in page.headline.items():
        assert same(
            float(head[name] or "nan"), float("nan") if raw == "null" else float(json.loads(raw))
        ), name


def test_methods_give_formulas_parameters_and_the_source(written):
    source, _out, seed, html, md, page = read(written)
    methods = html.split('<section id="methods">')[1].split("</section>")[0]
    # typeset as MathML (graphmodel.mathml), the LaTeX kept as its annotation
    assert methods.count('<math display="block">') == 14  # 8 formulas on 14 lines
    assert '<annotation encoding="application/x-tex">L_u = ' in methods
    assert "<msub><mi>&#x003C4;</mi>" in methods  # tau with its subscript
    assert "tau_like = 0.5 s, tau_comment = 20 s" in methods
    assert "coin_yuan = 0.0001 yuan" in methods and "min_wage_hour = 24 yuan/h" in methods
    assert r"`L_u = \sum \mathrm{watch\ seconds}" in md
    prov = dict(page.tables["provenance"][1:])
    with open_store(source=source) as store:
        from graphmodel.engines.neo4j.load import fingerprint

        assert prov["fingerprint (sha256 of the log)"] == fingerprint(store.log)
    limits = html.split('<section id="limitations">')[1].split("</section>")[0]
    assert "tau_like = 0.5 s" in limits and "p_data = 0.01 yuan" in limits
    assert ("The log is generated" in limits) == (seed is not None)
    cite = html.split('<section id="how-to-cite">')[1].split("</section>")[0]
    assert "@software{graphmodel," in cite and "version = {" + graphmodel.__version__ in cite
    assert "@software{graphmodel," in md


def test_a_generated_log_has_its_calibration_table(written):
    source, _out, seed, _html, _md, page = read(written)
    if seed is None:
        assert "calibration" not in page.tables
        return
    from graphmodel.analysis.summary import calibration_table

    with open_store(source=source) as store:
        expected = calibration_table(store)
    rows = page.tables["calibration"]
    assert rows[0] == ["target", "value", "target_value", "tolerance", "verdict"]
    assert [r[0] for r in rows[1:]] == list(expected["target"])
    assert [r[4] for r in rows[1:]] == list(expected["verdict"])
    aov = expected.set_index("target").loc["average_order_value", "value"]
    assert dict((r[0], r[1]) for r in rows[1:])["average_order_value"] == numbers.yuan(aov)


# -- the page in a browser: it fits, and every CSV link gives its table's rows ----------
#: Widths the page is laid out at: a desktop screen, and an A4 page at 96 dpi in print.
WIDTHS = [(1280, "screen"), (794, "print")]


def test_report_fits_the_page_and_its_csv_links_work_in_chromium(written, browser):
    _source, out, seed, *_ = written
    browser.open((out / "report.html").resolve().as_uri())
    try:
        for width, media in WIDTHS:
            browser.viewport(width, media=media)
            page, client = browser.evaluate(
                "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
            )
            assert page <= client, (width, media, page, client)
            # no table needs its own scroll bar either: each fits its box
            wide = browser.evaluate(
                "Array.from(document.querySelectorAll('.scroll')).filter("
                "d => d.scrollWidth > d.clientWidth).map(d => d.firstChild.id)"
            )
            assert wide == [], (width, media, wide)
            png = browser.full_page()
            Path(f"/tmp/report-{'tiny' if seed is None else 'generated'}-{width}.png").write_bytes(
                png
            )
        browser.viewport(1280)
        ids = browser.evaluate("Array.from(document.querySelectorAll('section')).map(s => s.id)")
        assert ids == sections(seed)
        # the methods' formulas are drawn as math, each a box of its own
        boxes = browser.evaluate(
            "Array.from(document.querySelectorAll('#methods math')).map(m => {"
            "const r = m.getBoundingClientRect(); return [r.width, r.height]; })"
        )
        assert len(boxes) == 14 and all(w > 20 and h > 10 for w, h in boxes), boxes
        captions = browser.evaluate(
            "Array.from(document.querySelectorAll('figcaption')).map(c => c.textContent)"
        )
        assert [c.split(".")[0] for c in captions] == [
            f"Figure {i}" for i in range(1, len(captions) + 1)
        ]
        got = browser.evaluate("""Promise.all(Array.from(document.querySelectorAll('a[download]'))
            .map(async a => { const t = a.closest('table');
              const text = await (await fetch(a.href)).text();
              return [t.id, text, Array.from(t.tBodies[0].rows).map(r => r.cells[0].textContent),
                      Array.from(t.tBodies[0].rows).map(r => r.dataset.figure || null)]; }))""")
    finally:
        browser.viewport(1280)
    assert len(got) == len(Page((out / "report.html").read_text(encoding="utf-8")).tables)
    for table_id, text, first, figure in got:
        lines = list(csv.reader(io.StringIO(text)))
        assert len(lines) - 1 == len(first), table_id
        keys = [line[0] for line in lines[1:]]
        # the rows' first column (the figure a headline row carries as data-figure)
        assert keys == ([f for f in figure] if table_id == "headline" else first), table_id


def test_chart_titles_and_labels_use_the_numbers_of_the_tables(monkeypatch):
    """A baseline of 33,730.5 yuan is "33,730.50" in a tornado title (never 3.373e+04),
    a share of 0.9996 "99.96%", and the capture chart labels a share as its table does."""
    from matplotlib.axes import Axes

    from graphmodel.report.cells import frame_table
    from graphmodel.report.plots import capture_plot

    texts: list[str] = []
    for name in ("set_title", "annotate"):
        original = getattr(Axes, name)

        def record(ax, text, *a, _original=original, **k):
            texts.append(str(text))
            return _original(ax, text, *a, **k)

        monkeypatch.setattr(Axes, name, record)
    sens = pd.DataFrame(
        {
            "parameter": ["take_rate", "min_wage_hour"],
            "low": ["0.025", "12"],
            "high": ["0.075", "36"],
            "figure": ["user_generated_value", "below_min_wage_share"],
            "baseline": [33730.5, 0.9996],
            "at_low": [30000.0, 0.9],
            "at_high": [36000.0, 1.0],
            "swing": [6000.0, 0.1],
        }
    )
    tornado_plot(sens)
    assert "user_generated_value (baseline 33,730.50)" in texts
    assert "below_min_wage_share (baseline 99.96%)" in texts
    actors = pd.DataFrame(
        {
            "actor": ["users", "platform"],
            "cash": [3576.19, 113750.0],
            "data_asset": [0.0, 2021.36],
            "total": [3576.19, 115771.36],
            "share": [0.007585, 0.992415],
        }
    )
    texts.clear()
    capture_plot(actors)
    table = frame_table(
        actors, {"actor": "text", "cash": "yuan", "share": "share"}, id="actors", caption=""
    )
    assert table.rows == [["users", "3,576.19", "0.8%"], ["platform", "113,750.00", "99.2%"]]
    assert [t for t in texts if t.endswith("%")] == ["0.8%", "99.2%"]


def test_the_reports_live_panel_gives_the_librarys_numbers(written, browser):
    """The governance explorer inside the report: a 10% dividend and a 0.3 lambda moved in
    the page give what graphmodel scenario gives for them (1e-9 relative), and a link to a
    section of the report (#methods) leaves the setting as it was."""
    from graphmodel.analysis.scenario.run import Scenario, run_scenarios

    source, out, *_ = written
    browser.open("about:blank")
    browser.open((out / "report.html").resolve().as_uri())
    assert browser.evaluate("gmPanel.ready")
    browser.evaluate("gmPanel.set({lambda: 0.3}, {dividend: 0.1}) && true")
    shown = browser.evaluate(
        "Object.fromEntries(Array.from(document.querySelectorAll('#gm-figures tbody tr'))"
        ".map(tr => [tr.dataset.figure, tr.querySelectorAll('td')[2].getAttribute('data-value')]))"
    )
    with open_store(source=source) as store:
        want = run_scenarios(
            store, [Scenario("panel", {"dividend": 0.1})], Params({"lambda": 0.3})
        ).set_index("figure")["value"]
    assert set(shown) == set(want.index)
    for figure, value in want.items():
        got = float(shown[figure])
        if np.isnan(value):
            assert np.isnan(got), figure
        else:
            assert got == pytest.approx(value, rel=1e-9, abs=1e-12), figure
    browser.evaluate("location.hash = '#methods', true")
    state = browser.evaluate(
        "new Promise(ok => setTimeout(() => ok(gmPanel.state()), 300))"
    )
    assert state["levers"] == {"dividend": 0.1} and state["params"]["lambda"] == 0.3
