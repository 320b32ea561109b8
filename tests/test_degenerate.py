"""Every analysis on degenerate but valid logs: no shares, no social graph, no tasks, no
ads, no feedback, one user, an events table with only its header, an empty log.

A figure that is undefined on such a log (a ratio over zero) is null (NaN), never a
crash and never a 0 that would be false; the report shows it as "n/a". The
property-based tests run every analysis through the library on tiny generated
platforms under every combination of the generator's switches and check the
invariants of the accounting; the explicit tests reproduce each crash found on
such logs.
"""

from __future__ import annotations

import json
import math
import re
import shlex
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import graphmodel
from graphmodel.analysis.diffusion.api import influence_max, simulate_spread
from graphmodel.analysis.scenario import Scenario, run_scenarios, sensitivity
from graphmodel.analysis.scenario.figures import FIGURES
from graphmodel.analysis.scenario.levers import LEVERS
from graphmodel.analysis.scenario.scale import NATIONAL_USERS, market_scale
from graphmodel.analysis.scenario.uncertainty import platform_bootstrap
from graphmodel.analysis.summary import SPREAD_BY, calibration_table, graph_stats, spread_table
from graphmodel.analysis.value import Accounts
from graphmodel.analysis.value.api import (
    distribution,
    extraction,
    ledger,
    value,
)
from graphmodel.analysis.value.headline import headline_figures, headline_text
from graphmodel.cli.main import main
from graphmodel.eventlog.log import EventLog, empty_table
from graphmodel.model.attribution import MODELS
from graphmodel.output import render
from graphmodel.params import Params, parse_assignments
from graphmodel.report import build_report, collect_sections
from graphmodel.report.build import HEADLINE
from graphmodel.schema import TABLE_NAMES

SWITCHES = ("social", "feedback", "tasks", "shares", "ads")
#: One value per lever, inside its range.
LEVER_VALUES = {
    "dividend": 0.1,
    "data_union": 0.01,
    "opt_out": 0.5,
    "task_cap": 1.0,
    "take_rate_cap": 0.02,
}
assert set(LEVER_VALUES) == set(LEVERS)


def generated(users: int, days: int = 1, seed: int = 0, **switches) -> EventLog:
    return graphmodel.generate(
        graphmodel.GeneratorConfig(users=users, days=days, seed=seed, **switches)
    )


def header_only_events(log: EventLog) -> EventLog:
    """``log`` with an events table that has its columns and no row."""
    return EventLog(
        {**log.tables, "events": empty_table("events")}, source=log.source, meta=log.meta
    )


def empty_log() -> EventLog:
    return EventLog.from_frames({}, source="empty")


def write(log: EventLog, folder: Path) -> Path:
    graphmodel.write_log(log, folder, fmt="csv")
    return folder


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def undefined(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


# -- the degenerate logs of the explicit tests, as folders --------------------------------
DEGENERATE = {
    "no_shares": lambda: generated(30, shares=False),
    "no_social": lambda: generated(30, social=False),
    "no_tasks": lambda: generated(30, tasks=False),
    "one_user": lambda: generated(1),
    "header_only_events": lambda: header_only_events(generated(30)),
    "empty": empty_log,
}


@pytest.fixture(scope="module")
def folders(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("degenerate")
    return {name: write(make(), root / name) for name, make in DEGENERATE.items()}


def test_the_degenerate_logs_are_what_they_claim(folders):
    """Each log is valid and degenerate in the way its name says."""
    logs = {name: graphmodel.read_log(path) for name, path in folders.items()}
    assert (
        len(logs["no_shares"]["events"])
        and not (logs["no_shares"]["events"]["type"] == "share").any()
    )
    assert len(logs["no_social"]["follows"]) == 0
    assert len(logs["no_tasks"]["tasks"]) == 0 and len(logs["no_tasks"]["task_completions"]) == 0
    assert len(logs["one_user"]["users"]) == 1
    assert len(logs["header_only_events"]["events"]) == 0
    assert len(logs["header_only_events"]["users"]) == 30
    assert all(len(logs["empty"][t]) == 0 for t in TABLE_NAMES)


# -- explicit reproductions ---------------------------------------------------------------
@pytest.mark.parametrize("name", list(DEGENERATE))
def test_report_on_a_degenerate_log(folders, tmp_path, name):
    """`graphmodel report` crashed on every one of these logs (KeyError relational_share,
    value_returned, labour_hours; ZeroDivisionError on the empty log)."""
    out = tmp_path / "report"
    r = run("report", "--source", folders[name], "--out", out, "--bootstrap", 10, "--quiet")
    assert r.exit_code == 0, (r.output, r.exception)
    md = (out / "report.md").read_text(encoding="utf-8")
    html = (out / "report.html").read_text(encoding="utf-8")
    # what a reader sees: the page without its images and without the live panel's code
    # (whose script names NaN); the panel's data is JSON, which has no NaN at all
    data = re.search(r'id="gm-panel-data">(.*?)</script>', html, re.S).group(1)
    json.loads(data, parse_constant=lambda c: pytest.fail(f"{c} in the panel's data"))
    shown = re.sub(r"<script\b.*?</script>", "", html, flags=re.S)
    for text in (md, re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", shown)):
        assert not re.search(r"\b(nan|inf)\b", text, re.IGNORECASE)
    with graphmodel.open_store(source=folders[name]) as store:
        h = headline_figures(Accounts.from_store(store), Params())
    rows = {
        line.split(" | ")[0].lstrip("| "): line.split(" | ")[1].rstrip(" |")
        for line in md.splitlines()
        if line.startswith("| ") and line.count(" | ") == 1
    }
    for figure, value_ in h.items():
        label = HEADLINE[figure][0]
        if undefined(value_):
            assert rows[label] == "n/a", figure
            assert f'data-figure="{figure}" data-value="null"' in html
        else:
            assert rows[label] != "n/a", figure


def test_report_shows_undefined_figures_as_n_a_not_zero(folders, tmp_path):
    """Without tasks nobody gets anything back: e and the Gini of v are n/a in the headline,
    sensitivity and scenario tables, and the scenarios that pay users show their value."""
    out = tmp_path / "report"
    assert (
        run(
            "report", "--source", folders["no_tasks"], "--out", out, "--bootstrap", 10, "-q"
        ).exit_code
        == 0
    )
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "| exploitation rate e = (T - sum v) / sum v | n/a |" in md
    assert "| Gini of value returned | n/a |" in md
    assert "| wholly unpaid users (worked, v = 0) | 0 |" not in md
    assert "Exploitation rate e = (T - sum v) / sum v undefined" in md
    # the sensitivity table comes in parts that fit the page: lambda's row of each
    lines = md.splitlines()
    cells = {}
    for i, line in enumerate(lines):
        if line.startswith("| parameter | range"):
            columns = line.strip("| ").split(" | ")
            lam = next(x for x in lines[i:] if x.startswith("| lambda |"))
            cells.update(zip(columns, lam.strip("| ").split(" | "), strict=True))
    assert cells["exploitation_rate"] == "n/a" and cells["gini_value_returned"] == "n/a"
    assert cells["labour_hours"] == "0"  # lambda does not move labour: a true 0
    # scenarios are columns S1... (S1 the dividend): v goes from 0 to something, so the
    # change has no percentage and the cell gives the new value
    returned = next(x for x in lines if x.startswith("| value_returned | 0.00 |"))
    assert returned.split(" | ")[2].startswith("n/a (now ")
    assert cells["value_returned"] == "0"  # 0 without tasks whatever lambda: it does not move
    assert "| exploitation_rate | n/a | n/a | n/a |" in md  # the bootstrap table
    assert "| gini_value_returned | n/a | n/a | n/a |" in md


class Drawn:
    """What a plot function drew: texts of the figure's footnote, titles, bar segments."""

    def __init__(self, monkeypatch):
        from matplotlib.axes import Axes
        from matplotlib.figure import Figure

        self.notes, self.titles, self.segments = [], [], []
        for cls, name, store in (
            (Figure, "supxlabel", self.notes),
            (Axes, "set_title", self.titles),
        ):
            original = getattr(cls, name)

            def record(obj, text, *a, _original=original, _store=store, **k):
                _store.append(str(text))
                return _original(obj, text, *a, **k)

            monkeypatch.setattr(cls, name, record)
        hlines = Axes.hlines

        def record_hlines(ax, y, xmin, xmax, *a, **k):
            self.segments += list(zip(np.atleast_1d(xmin), np.atleast_1d(xmax), strict=True))
            return hlines(ax, y, xmin, xmax, *a, **k)

        monkeypatch.setattr(Axes, "hlines", record_hlines)


def test_scenario_plot_does_not_call_an_undefined_change_unchanged(monkeypatch):
    from graphmodel.report.plots import scenario_plot

    nan = math.nan
    table = pd.DataFrame(
        {
            "scenario": ["a", "a", "a", "a"],
            "figure": ["platform_revenue", "exploitation_rate", "value_returned", "labour_hours"],
            "baseline": [100.0, nan, 0.0, 5.0],
            "value": [90.0, 9.0, 10.0, 5.0],
            "change": [-10.0, nan, 10.0, 0.0],
            "change_pct": [-10.0, nan, nan, 0.0],
        }
    )
    drawn = Drawn(monkeypatch)
    scenario_plot(table)
    assert drawn.titles == ["platform_revenue"]
    (note,) = drawn.notes
    unchanged, undefined_ = note.replace("\n", " ").split("changed, but no percentage")
    assert "labour_hours" in unchanged and "exploitation_rate" not in unchanged
    assert "exploitation_rate" in undefined_ and "value_returned" in undefined_


def test_tornado_plot_has_no_panel_for_a_figure_without_a_percentage(monkeypatch):
    from graphmodel.report.plots import tornado_plot

    table = pd.DataFrame(
        {
            "parameter": ["coin_yuan", "take_rate"],
            "low": ["0.5", "0.025"],
            "high": ["1.5", "0.075"],
            "figure": ["value_returned", "platform_revenue"],
            "baseline": [0.0, 100.0],
            "at_low": [-1.0, 80.0],
            "at_high": [1.0, 120.0],
            "swing": [2.0, 40.0],
        }
    )
    drawn = Drawn(monkeypatch)
    tornado_plot(table)
    assert [t.split(" (")[0] for t in drawn.titles] == ["platform_revenue"]
    assert any("value_returned" in n for n in drawn.notes)


def test_bootstrap_plot_draws_no_interval_for_an_undefined_figure(monkeypatch):
    from graphmodel.report.plots import bootstrap_plot

    table = pd.DataFrame(
        {
            "figure": ["labour_hours", "exploitation_rate", "value_returned"],
            "estimate": [10.0, math.nan, 0.0],
            "ci_low": [8.0, math.nan, 0.0],
            "ci_high": [12.0, math.nan, 0.0],
        }
    )
    drawn = Drawn(monkeypatch)
    bootstrap_plot(table)
    assert drawn.segments == [(-20.0, 20.0)]  # only labour_hours: no bar of 0 for the others


def test_empty_log_value_bootstrap(folders):
    """`value --bootstrap` on a log whose every table has only its header
    (ZeroDivisionError)."""
    r = run("value", "--source", folders["empty"], "--bootstrap", 10, "-q", "--format", "json")
    assert r.exit_code == 0, r.exception
    rows = {row["figure"]: row for row in json.loads(r.stdout)["rows"]}
    assert rows["labour_hours"]["estimate"] == 0.0  # no user worked: a true 0
    assert rows["exploitation_rate"]["estimate"] is None
    assert rows["labour_hours"]["ci_low"] is None  # no user to resample


def test_empty_log_scale_to_market(folders):
    """`value --scale-to-market` on the empty log (ZeroDivisionError): nothing per user."""
    r = run("value", "--source", folders["empty"], "--scale-to-market", "--format", "json")
    assert r.exit_code == 0, r.exception
    rows = json.loads(r.stdout)["rows"]
    assert [row["log_value"] for row in rows] == [0.0] * 4
    assert all(row["per_user_year"] is None and row["national"] is None for row in rows)


def test_empty_log_spread(folders):
    """`spread --by user|stream` on the empty log (ArrowInvalid); the dataset summary of no
    cascade."""
    src = folders["empty"]
    for by in ("user", "stream"):
        r = run("spread", "--source", src, "--by", by, "--format", "json")
        assert r.exit_code == 0, r.exception
        assert json.loads(r.stdout)["rows"] == []


@pytest.mark.parametrize("name", ["empty", "no_shares"])
def test_dataset_summary_of_no_cascade_is_null_not_zero(folders, name):
    r = run("spread", "--source", folders[name], "--by", "dataset", "--format", "json")
    assert r.exit_code == 0, r.exception
    (row,) = json.loads(r.stdout)["rows"]
    assert row["cascades"] == 0 and row["nodes"] == 0 and row["edges"] == 0
    # no cascade has size 0: the extremes of no cascade are null, not 0
    assert row["min_size"] is None and row["max_size"] is None and row["max_depth"] is None
    assert row["mean_size"] is None and row["mean_depth"] is None


def test_spread_by_user_and_stream_keep_every_row_on_a_log_without_shares(folders):
    with graphmodel.open_store(source=folders["no_shares"]) as store:
        users = spread_table("user", store=store)
        streams = spread_table("stream", store=store)
        assert len(users) == len(store.table("users"))
        assert len(streams) == len(store.table("streams"))
    assert (users[["shares", "cascades_started", "reach", "downstream"]] == 0).all().all()
    assert (streams["cascades"] == 0).all() and (streams["viewers"] > 0).any()


def test_bad_lever_names_the_lever_option(folders):
    for bad in ("dividend", "=0.1"):
        r = run("scenario", "--source", folders["one_user"], "--lever", bad, "-q")
        assert r.exit_code == 2
        assert r.stderr.strip() == f"error: --lever expects NAME=VALUE, got {bad!r}"
        assert "Traceback" not in r.output


def test_ledger_hint_quotes_the_user_id_for_the_shell(tmp_path):
    """The hint's shell command gives `graphmodel query` the id back exactly, whatever it
    holds (blanks, quotes, $(...), a JSON-looking id)."""
    from graphmodel.cli.value import ledger_hint

    for user_id in ("u000001", "a b'c;$(touch x)", "123", "true", " padded ", 'say "hi"'):
        hint = ledger_hint(user_id)
        command = hint.split("`")[1]
        args = shlex.split(command)
        assert args[:4] == ["graphmodel", "query", "browser/data_account_table", "--param"]
        ((name, value_),) = parse_assignments([args[4]]).items()
        try:  # as `graphmodel query` reads a --param value
            got = json.loads(value_)
        except ValueError:
            got = value_
        assert name == "id" and got == user_id


def test_ledger_prints_a_shell_safe_command(tmp_path):
    """The `ledger` hint printed `--param id=USER_ID` unquoted: a shell would run the
    $(...) of an id."""
    weird = "a b'c;$(touch x)"
    folder = write(generated(1), tmp_path / "log")
    for f in folder.glob("*.csv"):
        f.write_text(f.read_text(encoding="utf-8").replace("u000001", weird), encoding="utf-8")
    r = run("ledger", weird, "--source", folder, "--format", "csv")
    assert r.exit_code == 0, (r.output, r.exception)
    assert shlex.quote(f"id={weird}") in r.stderr
    assert "In the Neo4j Browser: :param id => 'a b\\'c;$(touch x)'" in r.stderr


def test_headline_text_says_undefined_never_nan():
    with graphmodel.MemoryStore(empty_log()) as store:
        h = headline_figures(Accounts.from_store(store), Params())
    text = headline_text(h, Params())
    assert not re.search(r"\bnan\b", text, re.IGNORECASE)
    assert "undefined" in text and "nobody worked" in text
    assert math.isnan(h["exploitation_rate"]) and h["labour_hours"] == 0.0


# -- properties over the generator's switches and tiny sizes ------------------------------
tiny_platforms = st.builds(
    lambda users, seed, switches, events: (users, seed, switches, events),
    users=st.integers(1, 5),
    seed=st.integers(0, 3),
    switches=st.fixed_dictionaries({s: st.booleans() for s in SWITCHES}),
    events=st.sampled_from(["all", "header_only"]),
)


def _store(users, seed, switches, events):
    log = generated(users, seed=seed, **switches)
    if events == "header_only":
        log = header_only_events(log)
    return graphmodel.MemoryStore(log)


def _json_ok(df: pd.DataFrame) -> None:
    """The result renders as strict JSON (undefined figures as null)."""
    json.loads(render(df, "json"))


def _check_platform(acc: Accounts, p: Params) -> None:
    """Conservation and the definitions of the platform's ratios, defined or null."""
    users = acc.user_table(p)
    plat = acc.platform_table(p, users).iloc[0]
    total = plat["user_generated_value"]
    returned = users["value_returned"].sum()
    assert users["value_produced"].sum() == pytest.approx(total, rel=1e-9, abs=1e-9)
    assert acc.pair_values(p)["base_value"].sum() == pytest.approx(total, rel=1e-9, abs=1e-9)
    np.testing.assert_allclose(
        users["surplus"], users["value_produced"] - users["value_returned"], atol=1e-12
    )
    if returned > 0:
        assert plat["exploitation_rate"] == pytest.approx((total - returned) / returned)
    else:
        assert math.isnan(plat["exploitation_rate"])
    if total > 0:
        assert plat["relational_share"] == pytest.approx(users["relational_value"].sum() / total)
    else:
        assert math.isnan(plat["relational_share"])
    worked = users["labour_s"] > 0
    assert math.isnan(plat["below_min_wage_share"]) == (not worked.any())
    # per user: a ratio over 0 is null, never 0
    assert users.loc[users["value_returned"] == 0, "exploitation_rate"].isna().all()
    assert users.loc[~worked, "hourly_wage"].isna().all()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(platform=tiny_platforms, model=st.sampled_from(MODELS))
def test_every_analysis_runs_and_keeps_its_invariants(platform, model):
    store = _store(*platform)
    p = Params({"attribution": model})
    acc = Accounts.from_store(store)
    _check_platform(acc, p)
    n_users = len(store.table("users"))

    results = [graph_stats(store), calibration_table(store)]
    results += [spread_table(by, store=store) for by in SPREAD_BY]
    actors = value(store, "actor", p, accounts=acc)
    results += [value(store, by, p, accounts=acc) for by in ("user", "stream", "platform")]
    results.append(actors)
    results += [extraction(store, by, p, accounts=acc) for by in ("user", "platform")]
    results += [
        distribution(store, p, accounts=acc),
        distribution(store, p, lorenz=True, points=5, accounts=acc),
    ]
    boot = platform_bootstrap(store, p, reps=10, accounts=acc)
    scale = market_scale(store, p, accounts=acc)
    results += [boot, scale]
    for df in results:
        _json_ok(df)

    ok = boot.dropna(subset=["ci_low", "ci_high"])
    assert (ok["ci_low"] <= ok["ci_high"] + 1e-12).all()
    np.testing.assert_allclose(scale["national"], scale["per_user_year"] * NATIONAL_USERS)
    whole = actors["total"].sum()
    assert (
        actors["share"].isna().all()
        if whole == 0
        else actors["share"].sum() == (pytest.approx(1.0))
    )

    user_ids = acc.users.tolist()
    if user_ids:
        account = ledger(store, user_ids[0], p, accounts=acc)
        total = account.loc[account["entry"] == "total"].iloc[0]
        row = acc.user_table(p).set_index("user_id").loc[user_ids[0]]
        assert total["value"] == pytest.approx(row["value_produced"], abs=1e-9)
        assert total["returned"] == pytest.approx(row["value_returned"], abs=1e-9)

    scenarios = [Scenario(name, {name: v}) for name, v in LEVER_VALUES.items()]
    sc = run_scenarios(store, scenarios, p, accounts=acc)
    _json_ok(sc)
    assert len(sc) == len(scenarios) * len(FIGURES)
    finite = sc["baseline"].notna() & sc["value"].notna()
    np.testing.assert_allclose(
        sc.loc[finite, "change"], sc.loc[finite, "value"] - sc.loc[finite, "baseline"]
    )
    # a percentage of a baseline of 0 or undefined is undefined, not 0
    assert sc.loc[(sc["baseline"] == 0) | sc["baseline"].isna(), "change_pct"].isna().all()

    sens = sensitivity(acc, p, parameters=["lambda", "take_rate", "attribution"])
    _json_ok(sens)
    assert ((sens["swing"] >= 0) | sens["swing"].isna()).all()

    if n_users:
        seeds = user_ids[:1]
        _json_ok(simulate_spread(store, seeds, runs=5, seed=1))
        for method in ("imm", "celf", "degree"):
            _json_ok(influence_max(store, 1, method=method, runs=5, seed=1))


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(platform=tiny_platforms)
def test_the_report_builds_on_tiny_platforms(platform):
    store = _store(*platform)
    sections = collect_sections(
        store,
        bootstrap_reps=10,
        scenarios=[Scenario("dividend", {"dividend": 0.1}), Scenario("opt_out", {"opt_out": 0.5})],
    )
    report = build_report(**sections)
    assert not re.search(r"\b(nan|inf)\b", report.markdown, re.IGNORECASE)
    assert set(report.images) >= {"lorenz", "capture", "scenarios", "tornado", "bootstrap"}
    assert all(png.startswith(b"\x89PNG") for png in report.images.values())


@settings(max_examples=15, deadline=None)
@given(platform=tiny_platforms, lever=st.sampled_from(sorted(LEVER_VALUES)))
def test_scenario_and_sensitivity_at_the_command_line(tmp_path_factory, platform, lever):
    folder = write(_store(*platform).log, tmp_path_factory.mktemp("log") / "log")
    r = run(
        "scenario",
        "--source",
        folder,
        "--lever",
        f"{lever}={LEVER_VALUES[lever]}",
        "-q",
        "--format",
        "json",
    )
    assert r.exit_code == 0, (r.output, r.exception)
    rows = json.loads(r.stdout)["rows"]
    assert [row["figure"] for row in rows] == list(FIGURES)
    r = run("sensitivity", "--source", folder, "--parameter", "lambda", "-q", "--format", "json")
    assert r.exit_code == 0, (r.output, r.exception)
