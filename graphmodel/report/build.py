"""Build the report from result tables: a pure function, no store, no files.

`build_report` takes what the library computes (headline figures,
user table, Lorenz points, cascade table, value by actor, and optionally the
scenario, sensitivity and bootstrap tables) and returns the HTML page, its
Markdown twin and the PNG figures they share. `graphmodel.report.collect`
computes the inputs from a store; `graphmodel.report.write` puts the
files on disk.
"""

from __future__ import annotations

import json
import math
from typing import Any, NamedTuple

import pandas as pd

from graphmodel import numbers
from graphmodel.analysis.value.headline import FIGURES, headline_text
from graphmodel.output import to_jsonable
from graphmodel.params import PARAMETERS
from graphmodel.report import plots
from graphmodel.report.cells import csv_text, figure_number, frame_table, split_columns
from graphmodel.report.document import Document, Figure, Panel, Paragraph, Section, Table
from graphmodel.report.html import render_html
from graphmodel.report.markdown import render_markdown
from graphmodel.report.methods import (
    calibration_section,
    citation_section,
    limitations_section,
    methods_section,
)

__all__ = ["Report", "HEADLINE", "format_figure", "build_document", "build_report"]


class Report(NamedTuple):
    """The rendered report: ``html`` (self-contained), ``markdown``, its ``images``
    (figure name -> PNG bytes, written as ``figures/NAME.png`` beside the Markdown) and
    ``tables`` (file name -> CSV bytes, written as ``tables/ID.csv``; the HTML embeds the
    same bytes as ``data:`` links)."""

    html: str
    markdown: str
    images: dict[str, bytes]
    tables: dict[str, bytes] = {}  # noqa: RUF012 (never mutated)


#: Headline figures (`graphmodel.analysis.value.headline.headline_figures`): label and
#: kind of number (`graphmodel.numbers`).
HEADLINE: dict[str, tuple[str, str]] = FIGURES


def format_figure(kind: str, value: Any) -> str:
    """A figure as shown in text, tables and chart titles alike (`graphmodel.numbers.number`)."""
    return numbers.number(kind, value)


def _range(name: str, low: str, high: str) -> str:
    """A parameter's sensitivity range; a choice parameter is tried at every choice."""
    choices = PARAMETERS[name].choices if name in PARAMETERS else ()
    if choices:
        return " / ".join(choices)

    def one(x: str) -> str:
        try:
            return numbers.plain(float(x))
        except ValueError:
            return x

    return f"{one(low)} .. {one(high)}"


#: A change of at most this many percent is floating-point noise, shown as 0 (as the
#: charts leave it out: `graphmodel.report.plots.scenario_plot`).
NOISE_PCT = 1e-9


def _change(baseline: float, value: float, pct: float, figure: str) -> str:
    """A scenario's change in percent of the baseline; without a percentage (a baseline of 0
    or undefined) "0" if nothing changed, else n/a with the scenario's own value."""
    if not math.isnan(pct):
        return "0" if abs(pct) <= NOISE_PCT else numbers.percent(pct, signed=True)
    if baseline == value:
        return "0"
    return "n/a" if math.isnan(value) else f"n/a (now {figure_number(figure, value)})"


def _swing(v: float, absolute: float = math.nan) -> str:
    """A swing in percent of the baseline; "0" for a figure that does not move at all,
    even where the percentage is undefined (a baseline of 0)."""
    if math.isnan(v):
        return "0" if absolute == 0 else "n/a"
    return "0" if abs(v) <= NOISE_PCT else numbers.percent(v)


# -- sections ---------------------------------------------------------------------------
def _headline_section(headline: dict[str, float], params) -> Section:
    rows, data = [], []
    for name, value in headline.items():
        label, kind = HEADLINE.get(name, (name, "plain"))
        rows.append([label, format_figure(kind, value)])
        data.append({"figure": name, "value": json.dumps(to_jsonable(value))})
    raw = pd.DataFrame({"figure": list(headline), "value": list(headline.values())})
    return Section(
        "Headline figures",
        [
            Paragraph(headline_text(headline, params)),
            Paragraph(
                "{table:headline} gives every headline figure; the section Methods gives "
                "the formulas and the parameters they were computed with."
            ),
            Table(
                ["figure", "value"],
                rows,
                [False, True],
                data,
                id="headline",
                caption="Headline figures of the platform.",
                csv=csv_text(raw),
            ),
        ],
    )


def _distribution_section(
    lorenz: pd.DataFrame, users: pd.DataFrame, headline: dict[str, float]
) -> Section:
    gini = {
        "value_produced": headline.get("gini_value_produced", math.nan),
        "value_returned": headline.get("gini_value_returned", math.nan),
    }
    lor = Figure(
        "lorenz",
        plots.lorenz_plot(lorenz, gini),
        "Lorenz curves of value produced and returned",
        "Lorenz curves of value produced and returned. Users sorted "
        "by value, poorest first; the curve is the share of all value held by the "
        "poorest x. Diagonal: perfect equality.",
    )
    e = users["exploitation_rate"]
    worked = users["labour_s"] > 0
    unpaid = int((e.isna() & worked).sum())
    exp = Figure(
        "exploitation",
        plots.exploitation_plot(users),
        "Histogram of the per-user exploitation rate",
        "Per-user exploitation rate e_u = (V_u - v_u) / v_u over "
        f"users who got something back, log scale. {numbers.count(unpaid)} users "
        "worked and got nothing (v_u = 0): their rate is null, they are wholly unpaid.",
    )
    return Section(
        "Distribution of value",
        [
            Paragraph(
                "Who produces the value and who gets it back (docs/model.md 5.6): {figure:lorenz} "
                "compares the two distributions, {figure:exploitation} the rate at which "
                "each paid user's value exceeds what they got."
            ),
            lor,
            exp,
        ],
    )


def _capture_section(actors: pd.DataFrame) -> Section:
    fig = Figure(
        "capture",
        plots.capture_plot(actors),
        "Value captured by actor class",
        "Value captured by actor class: cash and data-asset value per actor class; "
        "labels are shares of the whole (GMV + ad spend + data asset).",
    )
    return Section(
        "Value captured by actor class",
        [
            Paragraph(
                "Users get the value returned; streamers their commission on GMV; merchants "
                "the rest of GMV; the platform ad spend + take_rate x GMV - rewards in cash "
                "and alpha x p_data x data units as a data asset (docs/model.md 5.6). "
                "{figure:capture} draws {table:actors}."
            ),
            fig,
            frame_table(
                actors,
                {
                    "actor": "text",
                    "cash": "yuan",
                    "data_asset": "yuan",
                    "total": "yuan",
                    "share": "share",
                },
                id="actors",
                caption="Value captured by actor class (yuan; share of the whole).",
            ),
        ],
    )


def _spread_section(cascades: pd.DataFrame) -> Section:
    ccdf = Figure(
        "cascade_sizes",
        plots.cascade_ccdf_plot(cascades),
        "Cascade-size CCDF, log-log",
        "Cascade-size CCDF: P(size >= n) over all referral cascades; "
        "a size-1 cascade is a share that brought nobody.",
    )
    vir = Figure(
        "virality",
        plots.virality_plot(cascades),
        "Structural virality against cascade size",
        "Structural virality against cascade size: mean distance "
        "between two users of a cascade tree (Goel et al. 2016); size-1 cascades "
        "have none.",
    )
    intro = (
        "Shares that bring others in form cascades: trees of REFERRED edges in one "
        "stream (docs/model.md section 6). {figure:cascade_sizes} gives their sizes, "
        "{figure:virality} their shape"
    )
    blocks: list = [ccdf, vir]
    if len(cascades):
        top = cascades.sort_values(
            ["size", "stream_id", "root_id"], ascending=[False, True, True]
        ).head(5)
        blocks.append(
            frame_table(
                top,
                {
                    "stream_id": "text",
                    "root_id": "text",
                    "size": "count",
                    "depth": "count",
                    "max_breadth": "count",
                    "structural_virality": "ratio",
                    "t50_s": "hours",
                    "t90_s": "hours",
                },
                id="cascades",
                caption="The five largest cascades (times "
                "to half and 90% of the arrivals in seconds).",
            )
        )
        intro += "; {table:cascades} lists the five largest"
    return Section("Viral spread", [Paragraph(intro + "."), *blocks])


def _scenario_section(scenarios: pd.DataFrame, descriptions: dict[str, str] | None) -> Section:
    """Figures as rows, scenarios as columns S1, S2, ... named in a legend table, so the
    table keeps its width whatever the scenarios are called."""
    fig = Figure(
        "scenarios",
        plots.scenario_plot(scenarios),
        "Scenario comparison",
        "Scenario comparison: change of each headline figure under each scenario, "
        "in percent of the baseline.",
    )
    names = list(dict.fromkeys(scenarios["scenario"]))
    figs = list(dict.fromkeys(scenarios["figure"]))
    keys = [f"S{i}" for i in range(1, len(names) + 1)]
    base = scenarios.drop_duplicates("figure").set_index("figure")["baseline"]
    by = {(r.scenario, r.figure): r for r in scenarios.itertuples(index=False)}
    rows, raw = [], []
    for f in figs:
        cells, values = [], []
        for n in names:
            r = by.get((n, f))
            cells.append(
                "n/a"
                if r is None
                else _change(float(r.baseline), float(r.value), float(r.change_pct), f)
            )
            values.append(math.nan if r is None else float(r.change_pct))
        rows.append([f, figure_number(f, base[f])] + cells)
        raw.append([f, float(base[f])] + values)
    legend = Table(
        ["key", "scenario", "levers"],
        [[k, n, (descriptions or {}).get(n, "")] for k, n in zip(keys, names, strict=True)],
        id="scenario-legend",
        caption="The scenarios compared.",
        csv=csv_text(
            pd.DataFrame(
                {
                    "key": keys,
                    "scenario": names,
                    "levers": [(descriptions or {}).get(n, "") for n in names],
                }
            )
        ),
    )
    table = Table(
        ["figure", "baseline"] + keys,
        rows,
        [False, True] + [True] * len(keys),
        id="scenarios",
        caption="Each figure at the baseline and its change under "
        "each scenario of {table:scenario-legend}, in percent of the baseline.",
        csv=csv_text(
            pd.DataFrame(raw, columns=["figure", "baseline"] + [f"{n}_change_pct" for n in names])
        ),
    )
    return Section(
        "Governance scenarios",
        [
            Paragraph(
                "Each scenario recomputes the accounting (or re-runs the generator) under "
                "its levers (docs/model.md section 9); {table:scenario-legend} names them. "
                "{figure:scenarios} and {table:scenarios} give the change of each figure "
                "in percent of its baseline. n/a: the figure is undefined on this "
                "log (a ratio over 0, such as e when nobody got anything back), or its "
                "baseline is 0 or undefined so a change has no percentage; the scenario's "
                "own value then follows in brackets."
            ),
            legend,
            fig,
            table,
        ],
    )


def _sensitivity_section(sens: pd.DataFrame) -> Section:
    figs = list(dict.fromkeys(sens["figure"]))
    fig = Figure(
        "tornado",
        plots.tornado_plot(sens),
        "Tornado charts of parameter sensitivity",
        "Tornado charts: each parameter moved alone to its low and "
        "high value; bars show the change of the figure in percent of its baseline, "
        "largest swing on top.",
    )
    base = sens.drop_duplicates("figure").set_index("figure")["baseline"].abs()
    # A figure whose baseline is 0 or undefined has no percentage swing (NaN): every
    # (parameter, figure) keeps its cell, shown as n/a or, if it does not move, 0.
    pct = 100.0 * sens["swing"] / sens["figure"].map(base).where(lambda b: b != 0)
    cell = {
        (p, f): (float(x), float(a))
        for p, f, x, a in zip(sens["parameter"], sens["figure"], pct, sens["swing"], strict=True)
    }
    params = list(dict.fromkeys(sens["parameter"]))
    largest = pd.Series(
        [
            max(
                (cell[p, f][0] for f in figs if (p, f) in cell and not math.isnan(cell[p, f][0])),
                default=math.nan,
            )
            for p in params
        ],
        index=params,
        dtype="float64",
    )
    order = list(largest.sort_values(ascending=False, kind="mergesort").index)
    ranges = sens.drop_duplicates("parameter").set_index("parameter")
    rows = [
        [p, _range(p, ranges.loc[p, "low"], ranges.loc[p, "high"])]
        + [_swing(*cell.get((p, f), (math.nan, math.nan))) for f in figs]
        for p in order
    ]
    raw = pd.DataFrame(
        [
            [p, ranges.loc[p, "low"], ranges.loc[p, "high"]]
            + [cell.get((p, f), (math.nan, math.nan))[0] for f in figs]
            for p in order
        ],
        columns=["parameter", "low", "high"] + [f"{f}_swing_pct" for f in figs],
    )
    whole = Table(
        ["parameter", "range"] + figs,
        rows,
        [False, False] + [True] * len(figs),
        id="sensitivity",
        caption="Swing of each figure, in percent of its "
        "baseline, as each parameter moves over its range.",
        csv=csv_text(raw),
    )
    parts = split_columns(whole, keep=2, per=5)
    refs = " and ".join("{table:" + t.id + "}" for t in parts)
    return Section(
        "Sensitivity to the parameters",
        [
            Paragraph(
                "One-at-a-time sensitivity: which assumption a figure hangs on. "
                "{figure:tornado} draws the largest swings; " + refs + " give each "
                "parameter's swing |at_high - at_low| in percent of the baseline figure, "
                "largest first; 0 where the figure does not move, n/a where the figure "
                "is undefined on this log or its baseline is 0 (no percentage)."
            ),
            fig,
            *parts,
        ],
    )


def _bootstrap_section(boot: pd.DataFrame) -> Section:
    fig = Figure(
        "bootstrap",
        plots.bootstrap_plot(boot),
        "Bootstrap confidence intervals",
        "Bootstrap confidence intervals: percentile intervals from resampling users, "
        "in percent of the estimate.",
    )
    extra = ""
    if "reps" in boot.columns and len(boot):
        extra = f" ({numbers.count(boot['reps'].iloc[0])} resamples"
        extra += f", seed {boot['seed'].iloc[0]})" if "seed" in boot.columns else ")"

    def by_figure(v, row):
        return figure_number(row["figure"], v)

    return Section(
        "Uncertainty",
        [
            Paragraph(
                "How much the headline figures would move with another sample of users "
                "of the same platform" + extra + ": {figure:bootstrap} and "
                "{table:bootstrap}."
            ),
            fig,
            frame_table(
                boot,
                {
                    "figure": "text",
                    "estimate": by_figure,
                    "ci_low": by_figure,
                    "ci_high": by_figure,
                },
                id="bootstrap",
                caption="Bootstrap estimates and percentile intervals.",
            ),
        ],
    )


def _scale_section(scale: pd.DataFrame, assumption: str) -> Section:
    def by_unit(v, row):
        return numbers.number("yuan" if row["unit"] == "yuan" else "hours", v)

    return Section(
        "At national scale",
        [
            Paragraph(assumption + " {table:scale} gives the figures."),
            frame_table(
                scale,
                {
                    "figure": "text",
                    "log_value": by_unit,
                    "per_user_year": by_unit,
                    "national": by_unit,
                    "unit": "text",
                },
                id="scale",
                caption="Figures of the log, per user a year, and at national scale.",
            ),
        ],
    )


def _data_section(meta: dict[str, Any]) -> Section:
    """What the log lacked, what was derived or inferred, and which figures that affects
    ([`graphmodel.eventlog.coverage.Coverage`][graphmodel.eventlog.coverage.Coverage]; docs/your-data.md)."""
    log = meta["log"]
    rows = [
        ["tables derived", ", ".join(log.get("derived", ())) or "none"],
        [
            "tables absent (empty)",
            ", ".join(t for t in log.get("absent", ()) if t not in log.get("derived", ()))
            or "none",
        ],
        [
            "referrals",
            {
                "recorded": "recorded (via_share)",
                "social": "inferred by the social graph",
                "time": "inferred by time alone",
                "none": "none recorded, none inferred",
            }.get(log.get("referrals"), str(log.get("referrals"))),
        ],
    ]
    if log.get("window_s") is not None:
        rows.append(["inference window (s)", numbers.count(log["window_s"])])
        rows.append(
            ["arrivals credited by inference", numbers.count(log.get("inferred_referrals", 0))]
        )
    body = [
        Paragraph(
            "This log is partial: the figures above rest on what it holds "
            '({table:coverage}). The documentation\'s page "Your own data" says '
            "what each missing table costs; the section Limitations says what it "
            "means for each figure."
        ),
        Table(
            ["", "this log"],
            rows,
            id="coverage",
            caption="What the log holds.",
            csv=csv_text(pd.DataFrame(rows, columns=["item", "this log"])),
        ),
    ]
    body += [Paragraph(note[0].upper() + note[1:] + ".") for note in meta.get("notes", ())]
    return Section("The data: what the log lacks", body)


# -- the document -----------------------------------------------------------------------
def _panel_section(panel: str) -> Section:
    """The governance explorer (`graphmodel.explorer`): every lever and parameter live."""
    return Section(
        "Explore the levers",
        [
            Paragraph(
                "Move a lever or a parameter: every headline figure, the capture by actor "
                "and the Lorenz curves are recomputed in this page from the per-user sums "
                "of the accounting, exactly as graphmodel scenario and graphmodel value "
                "compute them, beside the baseline. The setting is kept in the page's "
                "address, to send as a link; \"download this scenario\" gives the TOML file "
                "graphmodel scenario --file runs (docs/explorer.md)."
            ),
            Panel(
                panel,
                "The live panel is in report.html (or write it alone with graphmodel "
                "explore --source DIR).",
            ),
        ],
    )


def build_document(
    *,
    headline: dict[str, float],
    params,
    meta: dict[str, Any],
    users: pd.DataFrame,
    lorenz: pd.DataFrame,
    cascades: pd.DataFrame,
    actors: pd.DataFrame,
    scenarios: pd.DataFrame | None = None,
    scenario_descriptions: dict[str, str] | None = None,
    sensitivity: pd.DataFrame | None = None,
    bootstrap: pd.DataFrame | None = None,
    scale: pd.DataFrame | None = None,
    scale_assumption: str = "",
    calibration: pd.DataFrame | None = None,
    panel: str | None = None,
) -> Document:
    """The report's sections in order, numbered; those whose table is ``None`` are left out.

    The results first, then how they were made: calibration (a generated log), methods
    (formulas, parameters, source), limitations, and how to cite."""
    sections = [_headline_section(headline, params)]
    if meta.get("log"):
        sections.append(_data_section(meta))
    sections += [
        _distribution_section(lorenz, users, headline),
        _capture_section(actors),
        _spread_section(cascades),
    ]
    if scenarios is not None:
        sections.append(_scenario_section(scenarios, scenario_descriptions))
    if panel is not None:
        sections.append(_panel_section(panel))
    if sensitivity is not None:
        sections.append(_sensitivity_section(sensitivity))
    if bootstrap is not None:
        sections.append(_bootstrap_section(bootstrap))
    if scale is not None:
        sections.append(_scale_section(scale, scale_assumption))
    if calibration is not None:
        sections.append(calibration_section(calibration))
    sections += [
        methods_section(
            params,
            meta,
            scenarios=scenarios is not None,
            sensitivity=sensitivity is not None,
            bootstrap=bootstrap is not None,
        ),
        limitations_section(
            params,
            meta,
            calibrated=calibration is not None,
            sensitivity=sensitivity is not None,
            bootstrap=bootstrap is not None,
            scale=scale is not None,
        ),
        citation_section(),
    ]
    seed = "" if meta.get("seed") is None else f", seed {meta['seed']}"
    return Document(
        "Users' labour, data and value: report",
        f"Source {meta.get('source')}{seed}; graphmodel {meta.get('version')}.",
        sections,
    ).numbered()


def build_report(**sections: Any) -> Report:
    """The HTML page, the Markdown twin and their figures from the result tables.

    Keyword arguments as `build_document`: ``headline``
    (`graphmodel.analysis.value.headline.headline_figures`), ``params``, ``meta``
    (`graphmodel.output.store_meta`), ``users`` (the user table),
    ``lorenz`` (`graphmodel.analysis.value.inequality.lorenz_table`), ``cascades``
    (``store.cascade_table()``), ``actors`` (value by actor class) and,
    optionally, ``scenarios``, ``scenario_descriptions``, ``sensitivity``,
    ``bootstrap`` and ``scale`` with ``scale_assumption``
    ([`graphmodel.analysis.scenario.scale.scale_to_market`][graphmodel.analysis.scenario.scale.scale_to_market]) and ``calibration``
    ([`graphmodel.analysis.summary.calibration_table`][graphmodel.analysis.summary.calibration_table], for a generated log) and ``panel`` (the
    governance explorer, `graphmodel.explorer.explorer_fragment`). Pure: the same tables
    give the same bytes.
    """
    doc = build_document(**sections)
    images = {f.name: f.png for f in doc.figures()}
    tables = {f"{t.id}.csv": t.csv.encode("utf-8") for t in doc.tables() if t.csv is not None}
    return Report(render_html(doc), render_markdown(doc), images, tables)
