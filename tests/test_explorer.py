"""The governance panel (``graphmodel explore --source``): in headless Chromium, the figures it
shows are the library's to 1e-9 relative, for settings up to the extremes of every lever and
parameter; the tiny log's figures are checked by hand; the address fragment and the downloaded
scenario file carry the setting; nothing is fetched and no user id is embedded.
"""

from __future__ import annotations

import json
import math
import re
import shutil
import time
from fractions import Fraction as F
from pathlib import Path

import numpy as np
import pytest
from chromium import Chromium
from click.testing import CliRunner

import graphmodel
from graphmodel.analysis.scenario.figures import FIGURES
from graphmodel.analysis.scenario.levers import apply_levers
from graphmodel.analysis.scenario.run import Scenario, run_scenarios
from graphmodel.analysis.value.api import value
from graphmodel.analysis.value.capture import capture_table
from graphmodel.analysis.value.inequality import lorenz
from graphmodel.cli.main import main
from graphmodel.engines.open import open_store
from graphmodel.explorer.embed import PATH_ARRAYS, USER_ARRAYS, panel_data, unpack
from graphmodel.params import Params

TINY = Path(__file__).parent / "fixtures" / "tiny"
REL = 1e-9

#: (parameters, levers): defaults, each lever at its extremes, parameters at theirs, combined.
SETTINGS = [
    ({}, {}),
    ({}, {"dividend": 0.0}),
    ({}, {"dividend": 1.0}),
    ({}, {"dividend": 0.1}),
    ({}, {"data_union": 0.0}),
    ({}, {"data_union": 0.01}),
    ({}, {"data_union": 0.5}),
    ({}, {"take_rate_cap": 0.0}),
    ({}, {"take_rate_cap": 0.03}),
    ({}, {"opt_out": 0.3}),
    ({}, {"opt_out": 1.0}),
    # the levers' accounting kept while the dividend and the floor move (in this order)
    ({}, {"opt_out": 0.5, "dividend": 0.1}),
    ({}, {"opt_out": 0.5, "dividend": 0.3, "data_union": 0.02}),
    ({}, {"opt_out": 0.5, "task_cap": 1, "dividend": 0.3}),
    ({}, {"task_cap": 0}),
    ({}, {"task_cap": 2}),
    ({"lambda": 0.0}, {"dividend": 0.2}),
    ({"lambda": 1.0}, {"dividend": 0.2}),
    ({"p_data": 0.0}, {"data_union": 0.02}),
    ({"attribution": "linear", "lambda": 1.0}, {}),
    ({"attribution": "first"}, {"opt_out": 0.5}),
    ({"attribution": "last"}, {}),
    ({"delta": 0.0}, {}),
    ({"delta": 1.0}, {}),
    ({"tau_like": 0.0, "tau_comment": 0.0, "tau_share": 0.0, "min_wage_hour": 0.0}, {}),
    ({"coin_yuan": 0.0}, {"data_union": 0.01}),
    ({"coin_yuan": 1.0, "min_wage_hour": 10000.0}, {"dividend": 1.0}),
    ({"take_rate": 1.0, "alpha": 100.0, "p_data": 1000.0}, {"take_rate_cap": 0.5}),
    (
        {"w_like": 0.0, "w_comment": 10.0, "w_share": 0.0, "w_purchase": 1000.0, "w_watch": 0.5},
        {"data_union": 0.03},
    ),
    (
        {
            "attribution": "linear",
            "lambda": 0.3,
            "p_data": 0.02,
            "alpha": 2.0,
            "tau_like": 1.0,
            "w_watch": 2.0,
            "coin_yuan": 0.0002,
            "min_wage_hour": 10.0,
        },
        {"dividend": 0.2, "data_union": 0.02, "opt_out": 0.5, "task_cap": 3, "take_rate_cap": 0.02},
    ),
]


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def close(a: float, b: float, scale: float | None = None) -> bool:
    if a is None or b is None or (isinstance(a, float) and math.isnan(a)):
        return (a is None or math.isnan(a)) and (b is None or math.isnan(b))
    if isinstance(b, float) and math.isnan(b):
        return False
    scale = max(abs(a), abs(b)) if scale is None else scale
    return abs(a - b) <= REL * scale


@pytest.fixture(scope="module")
def log(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("explorer") / "log"
    graphmodel.write_log(
        graphmodel.generate(graphmodel.GeneratorConfig(users=500, days=2, seed=1)),
        out,
        fmt="parquet",
    )
    return out


@pytest.fixture(scope="module")
def store(log):
    with open_store(source=log) as s:
        yield s


@pytest.fixture(scope="module")
def panel(log, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("panel") / "panel.html"
    r = run("explore", "--source", log, "--out", out, "--no-open")
    assert r.exit_code == 0, r.output
    assert r.stdout.strip() == str(out)
    return out


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    with Chromium(tmp_path_factory.mktemp("chromium") / "profile") as c:
        yield c


def open_page(browser, path: Path, fragment: str = "") -> list[str]:
    browser.open("about:blank")  # so that a new fragment loads the page anew
    urls = browser.open(path.as_uri() + (f"#{fragment}" if fragment else ""))
    assert browser.evaluate("gmPanel.ready")
    return urls


def shown(browser) -> dict:
    """What the page shows: the figure table, capture table, platform table (the exact value
    of each cell, from its data-value), and the Lorenz curves it drew from."""
    return browser.evaluate("""(async () => {
      await new Promise((ok) => setTimeout(ok, 250));  // the address follows once at rest
      const num = (td) => Number(td.getAttribute('data-value'));
      const figures = {};
      for (const tr of document.querySelectorAll('#gm-figures tbody tr')) {
        const td = tr.querySelectorAll('td');
        figures[tr.dataset.figure] = [1, 2, 3, 4].map((i) => String(num(td[i])));
      }
      const capture = {};
      for (const tr of document.querySelectorAll('#gm-capture-table tbody tr')) {
        const td = tr.querySelectorAll('td');
        capture[tr.dataset.actor] = [1, 2, 3, 4, 5].map((i) => String(num(td[i])));
      }
      const platform = {};
      for (const tr of document.querySelectorAll('#gm-platform tbody tr')) {
        platform[tr.dataset.column] = String(num(tr.querySelectorAll('td')[1]));
      }
      const l = gmPanel.shown().lorenz;
      const curves = document.querySelectorAll('#gm-lorenz polyline').length;
      return {figures, capture, platform, lorenz: l, curves, hash: location.hash};
    })()""")


def expected(store, acc, params: dict, levers: dict, seed: int = 0) -> dict:
    """The library's figures for a setting: scenario rows, platform row, capture by actor
    (`value --by actor` without levers; with them, capture_table of the levers' accounting)
    and the Lorenz curves."""
    p = Params(params)
    sc = run_scenarios(store, [Scenario("panel", dict(levers))], p, accounts=acc, seed=seed)
    platform = value(store, by="platform", params=p, accounts=acc).iloc[0].to_dict()
    actor = value(store, by="actor", params=p, accounts=acc).set_index("actor")
    acc2, p2, returned = apply_levers(acc, p, levers, seed=seed)
    cap2 = capture_table(
        acc2.pair_values(p2),
        acc2.tables["streams"],
        acc2.tables["streamers"],
        acc2.tables["ad_spend"],
        float(returned.sum()),
        p2,
    ).set_index("actor")
    users = acc.user_table(p)
    return {
        "scenario": sc.set_index("figure"),
        "platform": platform,
        "actor": actor,
        "capture": cap2,
        "lorenz": {
            "baseline": {
                "value_produced": lorenz(users["value_produced"])[1],
                "value_returned": lorenz(users["value_returned"])[1],
            },
            "value": {
                "value_produced": lorenz(acc2.user_table(p2)["value_produced"])[1],
                "value_returned": lorenz(returned)[1],
            },
        },
    }


def check(got: dict, want: dict) -> list[str]:
    bad = []
    sc = want["scenario"]
    for f in FIGURES:
        b, v, change, pct = (float(x) for x in got["figures"][f])
        row = sc.loc[f]
        scale = max(abs(row["baseline"]), abs(row["value"]))
        for name, x, y, s in (
            ("baseline", b, row["baseline"], None),
            ("value", v, row["value"], None),
            ("change", change, row["change"], scale),
            (
                "change_pct",
                pct,
                row["change_pct"],
                None
                if math.isnan(row["change_pct"])
                else max(abs(row["change_pct"]), 100.0 * scale / max(abs(row["baseline"]), 1e-300)),
            ),
        ):
            if not close(x, float(y), s):
                bad.append(f"{f}.{name}: page {x!r}, library {y!r}")
    for c, y in want["platform"].items():
        if not close(float(got["platform"][c]), float(y)):
            bad.append(f"platform.{c}: page {got['platform'][c]}, library {y!r}")
    whole = float(want["actor"]["total"].abs().sum())
    for a, row in want["actor"].iterrows():
        cash, asset, total, share, scenario_total = (float(x) for x in got["capture"][a])
        for name, x, y, s in (
            ("cash", cash, row["cash"], whole),
            ("data_asset", asset, row["data_asset"], whole),
            ("total", total, row["total"], whole),
            ("share", share, row["share"], 1.0),
            ("scenario_total", scenario_total, want["capture"].loc[a, "total"], whole),
        ):
            if not close(x, float(y), s):
                bad.append(f"capture.{a}.{name}: page {x!r}, library {y!r}")
    for which in ("baseline", "value"):
        for m, curve in want["lorenz"][which].items():
            page = np.array(got["lorenz"][which][m]["share"], dtype="float64")
            if not np.allclose(page, curve, rtol=0, atol=REL, equal_nan=True):
                bad.append(f"lorenz.{which}.{m}")
    return bad


# -- the page in a browser ---------------------------------------------------------------
def test_the_page_is_self_contained_and_holds_no_user_id(panel, store, browser):
    text = panel.read_text(encoding="utf-8")
    assert (
        "<link" not in text
        and "src=" not in text
        and "http://" not in text.replace("http://www.w3.org/2000/svg", "")
    )
    assert "https://" not in text
    # ids nowhere outside the packed numbers (base64 of float and integer arrays only)
    ids = store.table("users")["user_id"].tolist()
    outside = re.sub(r'"blob":"[A-Za-z0-9+/=]*"', "", text)
    assert ids and not any(uid in outside for uid in ids)
    data = json.loads(re.search(r'id="gm-panel-data">(.*?)</script>', text).group(1))
    assert set(data["layout"]) == set(USER_ARRAYS) | set(PATH_ARRAYS) | {
        "tc_n",
        "tc_coins",
        "tc_coupons",
    }
    urls = open_page(browser, panel)
    assert urls == [panel.as_uri()]  # nothing fetched
    assert browser.evaluate("document.querySelectorAll('#gm-figures tbody tr').length") == 9


def test_the_embedded_sums_are_the_librarys(store):
    """What the page decodes: float64 sums equal to the accounting's, users without any
    activity left out and counted."""
    acc = store.accounts()
    data = panel_data(acc)
    arrays = unpack(data["layout"], data["blob"])
    sums = acc.user_sums
    assert data["users"] == len(acc.users)
    assert data["embedded_users"] == len(arrays["watch_s"]) <= len(acc.users)
    for c in ("watch_s", "gmv", "attention_value", "completion", "ref_gmv", "coins"):
        assert sorted(x for x in arrays[c] if x) == sorted(x for x in sums[c] if x)
    assert set(np.unique(arrays["hops"])) <= set(range(1, 100))
    assert arrays["tc_n"].sum() == len(arrays["tc_coins"]) == data["completions"]


@pytest.mark.parametrize("setting", range(len(SETTINGS)))
def test_the_page_shows_the_librarys_figures(panel, store, browser, setting):
    params, levers = SETTINGS[setting]
    if browser.evaluate("typeof gmPanel") != "object":
        open_page(browser, panel)
    browser.evaluate(f"gmPanel.set({json.dumps(params)}, {json.dumps(levers)}) && true")
    got = shown(browser)
    bad = check(got, expected(store, store.accounts(), params, levers))
    assert not bad, "\n".join(bad)
    assert got["curves"] >= 2


def test_the_fragment_holds_the_setting(panel, store, browser):
    frag = "dividend=0.25&opt_out=0.4&lambda=0.2&attribution=first"
    open_page(browser, panel, frag)
    got = shown(browser)
    assert got["hash"] == "#" + frag
    params, levers = {"lambda": 0.2, "attribution": "first"}, {"dividend": 0.25, "opt_out": 0.4}
    assert not check(got, expected(store, store.accounts(), params, levers))
    # moving a slider changes the figures and the address
    browser.evaluate("""(() => { const r = document.getElementById('gm-r-data_union');
      r.value = '0.02'; r.dispatchEvent(new Event('input')); return true; })()""")
    got = shown(browser)
    assert got["hash"] == "#dividend=0.25&data_union=0.02&opt_out=0.4&lambda=0.2&attribution=first"
    levers["data_union"] = 0.02
    assert not check(got, expected(store, store.accounts(), params, levers))
    # a value out of range is ignored, and said
    open_page(browser, panel, "dividend=2&lambda=0.2")
    assert browser.evaluate("gmPanel.state().levers") == {}
    assert "dividend=2" in browser.evaluate("document.getElementById('gm-status').textContent")


def test_the_downloaded_scenario_runs_to_the_same_figures(panel, log, browser, tmp_path):
    setting = "dividend=0.1&data_union=0.015&task_cap=4&take_rate_cap=0.04&p_data=0.02&delta=0.3"
    open_page(browser, panel, setting)
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    browser.call("Browser.setDownloadBehavior", behavior="allow", downloadPath=str(downloads))
    browser.evaluate("document.getElementById('gm-download').click(), true")
    deadline = time.monotonic() + 20
    while not (downloads / "scenario.toml").exists():
        assert time.monotonic() < deadline, "no download"
        time.sleep(0.1)
    toml = downloads / "scenario.toml"
    text = toml.read_text()
    assert "[scenario.panel]" in text and "dividend = 0.1" in text and "p_data = 0.02" in text
    r = run(
        "scenario", "--source", log, "--file", toml, "--config", toml, "--format", "json", "--quiet"
    )
    assert r.exit_code == 0, r.output
    rows = {row["figure"]: row for row in json.loads(r.stdout)["rows"]}
    got = shown(browser)["figures"]
    for f in FIGURES:
        b, v = float(got[f][0]), float(got[f][1])
        want_b = rows[f]["baseline"] if rows[f]["baseline"] is not None else math.nan
        want_v = rows[f]["value"] if rows[f]["value"] is not None else math.nan
        assert close(b, want_b) and close(v, want_v), (f, got[f], rows[f])


def test_value_at_the_command_line_prints_the_platform_row(panel, log, browser):
    open_page(browser, panel, "lambda=0&p_data=0")
    got = shown(browser)
    r = run(
        "value",
        "--source",
        log,
        "--by",
        "platform",
        "-p",
        "lambda=0",
        "-p",
        "p_data=0",
        "--format",
        "json",
    )
    row = json.loads(r.stdout)["rows"][0]
    for c, y in row.items():
        assert close(float(got["platform"][c]), math.nan if y is None else float(y)), c


def test_the_opt_out_draw_follows_the_seed(log, store, browser, tmp_path):
    """A panel written with --seed 3 draws the users who opt out as `scenario --seed 3`
    (and not as seed 0), and says so in the file it gives to download."""
    out = tmp_path / "seed3.html"
    r = run("explore", "--source", log, "--out", out, "--no-open", "--seed", 3, "-p", "lambda=0.4")
    assert r.exit_code == 0, r.output
    open_page(browser, out, "opt_out=0.4")
    got = shown(browser)
    acc = store.accounts()
    assert not check(got, expected(store, acc, {"lambda": 0.4}, {"opt_out": 0.4}, seed=3))
    assert check(got, expected(store, acc, {"lambda": 0.4}, {"opt_out": 0.4}, seed=0))
    assert "--seed 3" in browser.evaluate("gmPanel.toml()")
    assert "lambda = 0.4" in browser.evaluate("gmPanel.toml()")


# -- the tiny log, by hand -----------------------------------------------------------------
def test_the_tiny_log_by_hand(tmp_path, browser):
    """p_data = 0, take_rate_cap = 0: base value is attention only. s1's 400 yuan of ads
    over 5,400 watch seconds (u1 1800, u2 1200, u3 600, u4 900, u5 300 + 600), s2's 150 over
    5,400 (u6 3600, u1 1800); s3's 80 nobody watched. Linear attribution, lambda 0.5: u2 and
    u3 arrived through u1 (depth 1), u4 through u2 then u1 (depth 2), each giving half of its
    value to its path. Rewards: u1 3600 coins + a redeemed 5-yuan coupon, u2 3600 coins (its
    coupon unredeemed), u6 a redeemed coupon; the dividend pays half of V back."""
    out = tmp_path / "tiny.html"
    r = run("explore", "--source", TINY, "--out", out, "--no-open")
    assert r.exit_code == 0, r.output
    open_page(browser, out, "dividend=0.5&take_rate_cap=0&p_data=0&attribution=linear")
    got = shown(browser)
    b = {
        u: F(400, 5400) * s
        for u, s in (("u1", 1800), ("u2", 1200), ("u3", 600), ("u4", 900), ("u5", 900))
    }
    credit_u1 = F(1, 2) * b["u2"] + F(1, 2) * b["u3"] + F(1, 2) * F(1, 2) * b["u4"]
    credit_u2 = F(1, 2) * F(1, 2) * b["u4"]
    V = {
        "u1": b["u1"] + 50 + credit_u1,
        "u2": b["u2"] / 2 + credit_u2,
        "u3": b["u3"] / 2,
        "u4": b["u4"] / 2,
        "u5": b["u5"],
        "u6": F(100),
    }
    v0 = {"u1": F(536, 100), "u2": F(36, 100), "u3": F(0), "u4": F(0), "u5": F(0), "u6": F(5)}
    v = {u: v0[u] + V[u] / 2 for u in V}
    labour = {
        "u1": F(3600 + 2 + 20 + 15),
        "u2": F(1200 + 20 + 15),
        "u3": F(600 + 15),
        "u4": F(900),
        "u5": F(900),
        "u6": F(7235, 2),
    }

    def gini(x):
        x = sorted(x)
        n = len(x)
        return 2 * sum((i + 1) * xi for i, xi in enumerate(x)) / (n * sum(x)) - F(n + 1, n)

    assert sum(V.values()) == 550
    total_v = sum(v.values())
    assert total_v == F(28572, 100)
    want = {
        "platform_revenue": 630 - total_v,  # all ad spend, no commission
        "labour_hours": sum(labour.values()) / 3600,
        "user_generated_value": F(550),
        "value_returned": total_v,
        "exploitation_rate": (550 - total_v) / total_v,
        "relational_share": (credit_u1 + credit_u2) / 550,  # 100 / 550
        "gini_value_produced": gini(V.values()),
        "gini_value_returned": gini(v.values()),
        "below_min_wage_share": F(0),  # every hourly wage is above 24
    }
    for f, x in want.items():
        assert close(float(got["figures"][f][1]), float(x)), (f, got["figures"][f], float(x))
    assert float(got["figures"]["below_min_wage_share"][0]) == 1.0  # baseline: all below
    # capture: users get sum v; streamers 0.2 x 150 + 0.3 x 20; merchants the rest of GMV
    assert float(got["capture"]["streamers"][4]) == pytest.approx(36.0, rel=1e-12)
    assert float(got["capture"]["merchants"][4]) == pytest.approx(134.0, rel=1e-12)
    assert float(got["capture"]["users"][4]) == pytest.approx(285.72, rel=1e-12)
    assert float(got["capture"]["platform"][4]) == pytest.approx(344.28, rel=1e-12)


# -- the command line ------------------------------------------------------------------------
def test_explore_refuses_to_overwrite_what_it_did_not_write(tmp_path, panel):
    other = tmp_path / "notes.html"
    other.write_text("<p>mine</p>")
    r = run("explore", "--source", TINY, "--out", other, "--no-open")
    assert r.exit_code == 2
    assert "not a panel written by graphmodel explore" in r.output
    assert other.read_text() == "<p>mine</p>"
    mine = tmp_path / "panel.html"
    shutil.copy(panel, mine)
    r = run("explore", "--source", TINY, "--out", mine, "--no-open", "-p", "lambda=0.3")
    assert r.exit_code == 0, r.output
    assert '"lambda":0.3' in mine.read_text()


@pytest.mark.parametrize(
    "args, message",
    [
        (["--out", "x.html"], "go with --source"),
        ([], "give FOLDER"),
        (["--source", TINY, "-p", "lambda=2"], "parameter lambda must be in [0, 1]"),
        (["--source", TINY, "--replace"], "--replace goes with FOLDER"),
    ],
)
def test_explore_usage_errors(args, message):
    r = run("explore", *args, "--no-open")
    assert r.exit_code == 2
    assert message in r.output
    assert not Path("x.html").exists() and not Path("panel.html").exists()


def test_the_page_writes_numbers_as_the_report_does(panel, browser):
    """The panel's script formats by the rules of graphmodel.numbers, rule for rule: the
    same text for the same value and kind (bounded shares: 0.9996 is 99.96%, never 100.0%)."""
    from graphmodel import numbers

    values = [0.0, 1.0, 0.9996, 1e-5, -1e-5, 0.5, 0.004999, 33730.5, -1234.5678, 2.675,
              0.125, 1e-9, 1 - 1e-9, 113750.0, 12.5, float("nan"), float("inf")]
    kinds = ["yuan", "hours", "count", "share", "ratio", "gini"]
    open_page(browser, panel)
    got = browser.evaluate(
        "(() => { const v = " + json.dumps([None if v != v else v for v in values]).replace(
            "Infinity", "1e999") + ".map(x => x === null ? NaN : x);"
        "return " + json.dumps(kinds) + ".map(k => v.map(x => gmPanel.format(k, x))); })()"
    )
    want = [[numbers.number(k, v) for v in values] for k in kinds]
    assert got == want
    # a change in percent: signed, bounded at 0
    signed = browser.evaluate("[12.5, -0.00001, 0].map(x => gmPanel.format('percent', x, true))")
    assert signed == [numbers.percent(x, signed=True) for x in (12.5, -0.00001, 0)]
    # what the page shows: a share as a percentage, money to two decimals
    text = browser.evaluate(
        "document.querySelector('#gm-figures tr[data-figure=below_min_wage_share] td:nth-child(2)')"
        ".textContent"
    )
    assert text.endswith("%")
