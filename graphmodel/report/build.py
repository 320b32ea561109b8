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

from graphmodel.analysis.value.headline import headline_text
from graphmodel.output import to_jsonable
from graphmodel.params import PARAMETERS
from graphmodel.report import plots
from graphmodel.report.document import Document, Figure, Paragraph, Section, Table
from graphmodel.report.html import render_html
from graphmodel.report.markdown import render_markdown

__all__ = ["Report", "HEADLINE", "format_figure", "build_document", "build_report"]


class Report(NamedTuple):
    """The rendered report: ``html`` (self-contained), ``markdown`` and its ``images``
    (figure name -> PNG bytes, written as ``figures/NAME.png`` beside the Markdown)."""

    html: str
    markdown: str
    images: dict[str, bytes]


#: Headline figures (`graphmodel.analysis.value.headline.headline_figures`): label and kind.
HEADLINE: dict[str, tuple[str, str]] = {
    "users": ("users", "count"),
    "working_users": ("users with labour time", "count"),
    "labour_hours": ("labour time (hours)", "hours"),
    "user_generated_value": ("value produced T (yuan)", "yuan"),
    "value_returned": ("value returned sum v (yuan)", "yuan"),
    "returned_share": ("share of T returned", "share"),
    "exploitation_rate": ("exploitation rate e = (T - sum v) / sum v", "ratio"),
    "relational_share": ("share of T through social relations", "share"),
    "gini_value_produced": ("Gini of value produced", "gini"),
    "gini_value_returned": ("Gini of value returned", "gini"),
    "wholly_unpaid_users": ("wholly unpaid users (worked, v = 0)", "count"),
    "below_min_wage_share": ("share of working users below the minimum wage", "share"),
    "implicit_wage_per_hour": ("implicit wage (yuan per hour)", "wage"),
}


def format_figure(kind: str, value: Any) -> str:
    """A headline figure as shown in both files: counts with separators, yuan and hours
    to 2 decimals, shares as percentages to 2 decimals, rates and Ginis to 4 digits."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    if kind == "count":
        return f"{int(value):,}"
    if kind in ("yuan", "hours"):
        return f"{value:,.2f}"
    if kind == "share":
        return f"{100 * value:.2f}%"
    return f"{value:,.4f}"


def _num(v: Any) -> str:
    """A table cell: integers with separators; floats to 2 decimals from 1 up (none from
    10,000 up), to 4 significant digits below 1."""
    v = to_jsonable(v)
    if v is None:
        return "n/a"
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return str(v)
    if isinstance(v, int) or float(v).is_integer() and abs(v) < 1e15:
        return f"{int(v):,}"
    if abs(v) >= 1e4:
        return f"{v:,.0f}"
    return f"{v:,.2f}" if abs(v) >= 1 else f"{v:.4g}"


def _pct(v: float) -> str:
    if v is None or math.isnan(v):
        return "n/a"
    return "0" if v == 0 else f"{v:+.2g}%" if abs(v) < 0.1 else f"{v:+.1f}%"


def _change(baseline: float, value: float, pct: float) -> str:
    """A scenario's change in percent of the baseline; without a percentage (a baseline of 0
    or undefined) "0" if nothing changed, else n/a with the scenario's own value."""
    if not math.isnan(pct):
        return _pct(pct)
    if baseline == value:
        return "0"
    return "n/a" if math.isnan(value) else f"n/a (now {_num(value)})"


def _range(name: str, low: str, high: str) -> str:
    """A parameter's sensitivity range; a choice parameter is tried at every choice."""
    choices = PARAMETERS[name].choices if name in PARAMETERS else ()
    return " / ".join(choices) if choices else f"{low} .. {high}"


def _swing(v: float, absolute: float = math.nan) -> str:
    """A swing in percent of the baseline; "0" for a figure that does not move at all,
    even where the percentage is undefined (a baseline of 0)."""
    if math.isnan(v):
        return "0" if absolute == 0 else "n/a"
    return "0" if v == 0 else f"{v:.2g}%" if v < 0.1 else f"{v:.1f}%"


def _df_table(df: pd.DataFrame, columns: list[str] | None = None) -> Table:
    columns = columns or [str(c) for c in df.columns]
    numeric = [pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c])
               for c in columns]
    rows = [[_num(v) for v in row] for row in df[columns].itertuples(index=False, name=None)]
    return Table(columns, rows, numeric)


# -- sections ---------------------------------------------------------------------------
def _headline_section(headline: dict[str, float], params) -> Section:
    rows, data = [], []
    for name, value in headline.items():
        label, kind = HEADLINE.get(name, (name, "ratio"))
        rows.append([label, format_figure(kind, value)])
        data.append({"figure": name, "value": json.dumps(to_jsonable(value))})
    return Section("Headline figures", [
        Paragraph(headline_text(headline, params)),
        Table(["figure", "value"], rows, [False, True], data, id="headline"),
        Paragraph("Formulas (docs/model.md sections 4 and 5): labour time L_u = watch seconds + "
                  "tau x likes, comments and shares; value produced V_u = own kept base value "
                  "+ credit received through referrals; T = sum V_u; value returned v_u = coins "
                  "x coin_yuan + redeemed coupons; e = (T - sum v) / sum v."),
    ])


def _parameters_section(params, meta: dict[str, Any]) -> Section:
    rows = []
    for name, p in PARAMETERS.items():
        value = params[name]
        changed = "" if value == p.default else "changed"
        rows.append([name, _num(value), _num(p.default), p.unit, p.meaning, changed])
    prov = [["source", str(meta.get("source"))],
            ["seed", "n/a" if meta.get("seed") is None else str(meta["seed"])],
            ["graphmodel version", str(meta.get("version"))]]
    if meta.get("generator") is not None:
        gen = to_jsonable(meta["generator"])
        text = (", ".join(f"{k}={json.dumps(v)}" for k, v in sorted(gen.items()))
                if isinstance(gen, dict) else json.dumps(gen))
        prov.append(["generator options", text])
    return Section("Parameters and source", [
        Paragraph("Every model parameter is an assumption, not a fact (docs/model.md section 10): "
                  "these are the values this report was computed with."),
        Table(["parameter", "value", "default", "unit", "meaning", ""], rows,
              [False, True, True, False, False, False], id="parameters"),
        Table(["item", "value"], prov, id="provenance"),
    ])


def _distribution_section(lorenz: pd.DataFrame, users: pd.DataFrame,
                          headline: dict[str, float]) -> Section:
    gini = {"value_produced": headline.get("gini_value_produced", math.nan),
            "value_returned": headline.get("gini_value_returned", math.nan)}
    lor = Figure("lorenz", plots.lorenz_plot(lorenz, gini), "Lorenz curves of value produced "
                 "and returned", "Users sorted by value, poorest first; the curve is the share "
                 "of all value held by the poorest x. Diagonal: perfect equality.")
    e = users["exploitation_rate"]
    worked = users["labour_s"] > 0
    unpaid = int((e.isna() & worked).sum())
    exp = Figure("exploitation", plots.exploitation_plot(users), "Histogram of the per-user "
                 "exploitation rate", f"e_u = (V_u - v_u) / v_u over users who got something "
                 f"back, log scale. {unpaid:,} users worked and got nothing (v_u = 0): their "
                 "rate is null, they are wholly unpaid.")
    return Section("Distribution of value", [
        Paragraph("Who produces the value and who gets it back (docs/model.md 5.6)."), lor, exp,
    ])


def _capture_section(actors: pd.DataFrame) -> Section:
    fig = Figure("capture", plots.capture_plot(actors), "Value captured by actor class",
                 "Cash and data-asset value per actor class; labels are shares of the whole "
                 "(GMV + ad spend + data asset).")
    return Section("Value captured by actor class", [
        Paragraph("Users get the value returned; streamers their commission on GMV; merchants "
                  "the rest of GMV; the platform ad spend + take_rate x GMV - rewards in cash "
                  "and alpha x p_data x data units as a data asset (docs/model.md 5.6)."),
        fig, _df_table(actors, ["actor", "cash", "data_asset", "total", "share"]),
    ])


def _spread_section(cascades: pd.DataFrame) -> Section:
    ccdf = Figure("cascade_sizes", plots.cascade_ccdf_plot(cascades), "Cascade-size CCDF, "
                  "log-log", "P(size >= n) over all referral cascades; a size-1 cascade is a "
                  "share that brought nobody.")
    vir = Figure("virality", plots.virality_plot(cascades), "Structural virality against "
                 "cascade size", "Mean distance between two users of a cascade tree "
                 "(Goel et al. 2016) against its size; size-1 cascades have none.")
    blocks: list = [Paragraph("Shares that bring others in form cascades: trees of REFERRED "
                              "edges in one stream (docs/model.md section 6)."), ccdf, vir]
    if len(cascades):
        top = cascades.sort_values(["size", "stream_id", "root_id"],
                                   ascending=[False, True, True]).head(5)
        blocks.append(_df_table(top, ["stream_id", "root_id", "size", "depth", "max_breadth",
                                      "structural_virality", "t50_s", "t90_s"]))
    return Section("Viral spread", blocks)


def _scenario_section(scenarios: pd.DataFrame,
                      descriptions: dict[str, str] | None) -> Section:
    fig = Figure("scenarios", plots.scenario_plot(scenarios), "Scenario comparison",
                 "Change of each headline figure under each scenario, in percent of the "
                 "baseline.")
    names = list(dict.fromkeys(scenarios["scenario"]))
    figs = list(dict.fromkeys(scenarios["figure"]))
    base = scenarios.drop_duplicates("figure").set_index("figure")["baseline"]
    cell = {(r.scenario, r.figure): _change(float(r.baseline), float(r.value),
                                            float(r.change_pct))
            for r in scenarios.itertuples(index=False)}
    rows = [["baseline", ""] + [_num(base[f]) for f in figs]]
    rows += [[n, (descriptions or {}).get(n, "")] + [cell.get((n, f), "n/a") for f in figs]
             for n in names]
    table = Table(["scenario", "levers"] + figs, rows, [False, False] + [True] * len(figs),
                  id="scenarios")
    return Section("Governance scenarios", [
        Paragraph("Each scenario recomputes the accounting (or re-runs the generator) under "
                  "its levers (docs/model.md section 9). First row: the baseline values; then the "
                  "change in percent of the baseline. n/a: the figure is undefined on this "
                  "log (a ratio over 0, such as e when nobody got anything back), or its "
                  "baseline is 0 or undefined so a change has no percentage; the scenario's "
                  "own value then follows in brackets."),
        fig, table,
    ])


def _sensitivity_section(sens: pd.DataFrame) -> Section:
    figs = list(dict.fromkeys(sens["figure"]))
    fig = Figure("tornado", plots.tornado_plot(sens), "Tornado charts of parameter "
                 "sensitivity", "Each parameter moved alone to its low and high value; bars "
                 "show the change of the figure in percent of its baseline, largest swing on "
                 "top.")
    base = sens.drop_duplicates("figure").set_index("figure")["baseline"].abs()
    # A figure whose baseline is 0 or undefined has no percentage swing (NaN): every
    # (parameter, figure) keeps its cell, shown as n/a or, if it does not move, 0.
    pct = 100.0 * sens["swing"] / sens["figure"].map(base).where(lambda b: b != 0)
    cell = {(p, f): (float(x), float(a)) for p, f, x, a in
            zip(sens["parameter"], sens["figure"], pct, sens["swing"], strict=True)}
    params = list(dict.fromkeys(sens["parameter"]))
    largest = pd.Series([max((cell[p, f][0] for f in figs if (p, f) in cell
                              and not math.isnan(cell[p, f][0])), default=math.nan)
                         for p in params], index=params, dtype="float64")
    order = largest.sort_values(ascending=False, kind="mergesort").index
    ranges = sens.drop_duplicates("parameter").set_index("parameter")
    rows = [[p, _range(p, ranges.loc[p, "low"], ranges.loc[p, "high"])]
            + [_swing(*cell.get((p, f), (math.nan, math.nan))) for f in figs]
            for p in order]
    return Section("Sensitivity to the parameters", [
        Paragraph("One-at-a-time sensitivity: which assumption a figure hangs on. The table "
                  "gives each parameter's swing |at_high - at_low| in percent of the "
                  "baseline figure; 0 where the figure does not move, n/a where the figure "
                  "is undefined on this log or its baseline is 0 (no percentage)."),
        fig, Table(["parameter", "range"] + figs, rows, [False, False] + [True] * len(figs),
                   id="sensitivity"),
    ])


def _bootstrap_section(boot: pd.DataFrame) -> Section:
    fig = Figure("bootstrap", plots.bootstrap_plot(boot), "Bootstrap confidence intervals",
                 "Percentile intervals from resampling users, in percent of the estimate.")
    extra = ""
    if "reps" in boot.columns and len(boot):
        extra = f" ({int(boot['reps'].iloc[0]):,} resamples"
        extra += f", seed {boot['seed'].iloc[0]})" if "seed" in boot.columns else ")"
    return Section("Uncertainty", [
        Paragraph("How much the headline figures would move with another sample of users "
                  "of the same platform" + extra + "."),
        fig, _df_table(boot, ["figure", "estimate", "ci_low", "ci_high"]),
    ])


def _scale_section(scale: pd.DataFrame, assumption: str) -> Section:
    return Section("At national scale", [
        Paragraph(assumption),
        _df_table(scale, ["figure", "log_value", "per_user_year", "national", "unit"]),
    ])


def _data_section(meta: dict[str, Any]) -> Section:
    """What the log lacked, what was derived or inferred, and which figures that affects
    ([`graphmodel.eventlog.coverage.Coverage`][graphmodel.eventlog.coverage.Coverage]; docs/your-data.md)."""
    log = meta["log"]
    rows = [["tables derived", ", ".join(log.get("derived", ())) or "none"],
            ["tables absent (empty)",
             ", ".join(t for t in log.get("absent", ()) if t not in log.get("derived", ()))
             or "none"],
            ["referrals", {"recorded": "recorded (via_share)",
                           "social": "inferred by the social graph",
                           "time": "inferred by time alone",
                           "none": "none recorded, none inferred"}.get(log.get("referrals"),
                                                                       str(log.get("referrals")))]]
    if log.get("window_s") is not None:
        rows.append(["inference window (s)", f"{log['window_s']:,.0f}"])
        rows.append(["arrivals credited by inference", f"{log.get('inferred_referrals', 0):,}"])
    body = [Paragraph("This log is partial: the figures above rest on what it holds. "
                      "The documentation's page \"Your own data\" says what each missing table costs."),
            Table(["", "this log"], rows)]
    body += [Paragraph(note[0].upper() + note[1:] + ".") for note in meta.get("notes", ())]
    return Section("The data: what the log lacks", body)


# -- the document -----------------------------------------------------------------------
def build_document(*, headline: dict[str, float], params, meta: dict[str, Any],
                   users: pd.DataFrame, lorenz: pd.DataFrame, cascades: pd.DataFrame,
                   actors: pd.DataFrame, scenarios: pd.DataFrame | None = None,
                   scenario_descriptions: dict[str, str] | None = None,
                   sensitivity: pd.DataFrame | None = None,
                   bootstrap: pd.DataFrame | None = None,
                   scale: pd.DataFrame | None = None,
                   scale_assumption: str = "") -> Document:
    """The report's sections in order; those whose table is ``None`` are left out."""
    sections = [_headline_section(headline, params)]
    if meta.get("log"):
        sections.append(_data_section(meta))
    sections += [_distribution_section(lorenz, users, headline),
                _capture_section(actors), _spread_section(cascades)]
    if scenarios is not None:
        sections.append(_scenario_section(scenarios, scenario_descriptions))
    if sensitivity is not None:
        sections.append(_sensitivity_section(sensitivity))
    if bootstrap is not None:
        sections.append(_bootstrap_section(bootstrap))
    if scale is not None:
        sections.append(_scale_section(scale, scale_assumption))
    sections.append(_parameters_section(params, meta))
    seed = "" if meta.get("seed") is None else f", seed {meta['seed']}"
    return Document("Users' labour, data and value: report",
                    f"Source {meta.get('source')}{seed}; graphmodel {meta.get('version')}.",
                    sections)


def build_report(**sections: Any) -> Report:
    """The HTML page, the Markdown twin and their figures from the result tables.

    Keyword arguments as `build_document`: ``headline``
    (`graphmodel.analysis.value.headline.headline_figures`), ``params``, ``meta``
    (`graphmodel.output.store_meta`), ``users`` (the user table),
    ``lorenz`` (`graphmodel.analysis.value.inequality.lorenz_table`), ``cascades``
    (``store.cascade_table()``), ``actors`` (value by actor class) and,
    optionally, ``scenarios``, ``scenario_descriptions``, ``sensitivity``,
    ``bootstrap`` and ``scale`` with ``scale_assumption``
    ([`graphmodel.analysis.scenario.scale.scale_to_market`][graphmodel.analysis.scenario.scale.scale_to_market]). Pure: the same tables give the same bytes.
    """
    doc = build_document(**sections)
    images = {f.name: f.png for f in doc.figures()}
    return Report(render_html(doc), render_markdown(doc), images)
