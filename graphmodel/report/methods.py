"""The report's closing sections: calibration, methods, limitations, how to cite.

The methods give each formula of [docs/model.md, sections 4][model-4] to 6 and 9 as LaTeX
(`graphmodel.report.formula` renders it) with its parameters' values as
run, then every parameter, and the data source (folder, fingerprint, seed,
generator options). The limitations say what each assumption of the model
means for the figures, then what this log's own gaps mean (the notes a
result carries in its meta: absent tables, inferred referrals, estimated
watch time). The citation comes from `graphmodel.report.citation`, the
source of ``CITATION.cff``.
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

from graphmodel import numbers
from graphmodel.output import to_jsonable
from graphmodel.params import PARAMETERS
from graphmodel.report.cells import csv_text, frame_table
from graphmodel.report.citation import bibtex, citation_text
from graphmodel.report.document import Code, Formula, Paragraph, Section, Table

__all__ = ["calibration_section", "methods_section", "limitations_section", "citation_section"]


def _p(params, *names: str) -> str:
    """``name = value unit`` for each parameter, as run."""
    out = []
    for n in names:
        unit = PARAMETERS[n].unit
        out.append(f"{n} = {numbers.plain(params[n])}" + (f" {unit}" if unit else ""))
    return ", ".join(out)


#: Calibration targets measured in yuan; the others are minutes or ratios.
_YUAN_TARGETS = {"gmv_per_user_day", "average_order_value", "ad_spend_per_dau_day"}


def calibration_section(table: pd.DataFrame) -> Section:
    """The calibration targets of [docs/model.md, section 8][model-8] on this (generated) log: what
    ``graphmodel calibration`` prints, verdicts included."""

    def value(v, row):
        if row["target"] in _YUAN_TARGETS:
            return numbers.yuan(v)
        if str(row["target"]).startswith("watch_minutes"):
            return numbers.hours(v)  # minutes, to the same 2 decimals
        return numbers.ratio(v, 3)

    ok = int((table["verdict"] == "ok").sum())
    return Section(
        "Calibration",
        [
            Paragraph(
                f"The log was generated: {ok} of "
                f"{len(table)} calibration targets (docs/model.md section 8; as graphmodel "
                "calibration prints them) fall within their tolerance ({table:calibration}). A "
                "target marked off means the generated platform departs from the "
                "published figure there, and the figures that rest on it (labour hours "
                "for watch minutes, value for GMV and ad spend) with it; n/a, that the "
                "log is too small to measure it."
            ),
            frame_table(
                table,
                {
                    "target": "text",
                    "value": value,
                    "target_value": value,
                    "tolerance": "text",
                    "verdict": "text",
                },
                id="calibration",
                caption="Calibration targets: measured value, target, tolerance and verdict.",
            ),
        ],
    )


def _formulas(params) -> list[Formula]:
    p = params
    return [
        Formula(
            r"L_u = \sum \mathrm{watch\ seconds} + \tau_{like}\, n^{tap}_{like} "
            r"+ \tau_{comment}\, n_{comment} + \tau_{share}\, n_{share}",
            "Labour time of user u, in seconds (docs/model.md 4); purchases are consumption, "
            "no labour. As run: " + _p(p, "tau_like", "tau_comment", "tau_share") + ".",
        ),
        Formula(
            r"D_{u,s} = w_{like} n_{like} + w_{comment} n_{comment} + w_{share} n_{share} "
            r"+ w_{purchase} n_{purchase} + \sum_{watch} w_{watch} (1 + 4 c), "
            r"\quad c = \min(1, \mathrm{seconds} / \mathrm{duration})",
            "Data units of u in stream s (docs/model.md 5.2). As run: "
            + _p(p, "w_like", "w_comment", "w_share", "w_purchase", "w_watch")
            + ".",
        ),
        Formula(
            r"b_{u,s} = \mathrm{ad}_{u,s} + \mathit{take\_rate} \cdot \mathrm{GMV}_{u,s} "
            r"+ \alpha\, p_{data}\, D_{u,s}",
            "Base value the platform captures from u in s (docs/model.md 5.3): ad spend on s "
            "split over its viewers by watch seconds, the take on u's purchases, the "
            "data value. As run: " + _p(p, "take_rate", "alpha", "p_data") + ".",
        ),
        Formula(
            r"V_u = \sum_s \mathrm{kept}_{u,s} + R_u, \quad "
            r"\mathrm{kept}_{u,s} = (1 - \lambda\, [u \text{ referred in } s])\, b_{u,s},"
            r"\quad \omega_k = \delta^{k-1} / \textstyle\sum_{j=1}^{d} \delta^{j-1}",
            "Value produced (docs/model.md 5.5): a referred user keeps 1 - lambda of its base "
            "value, the rest goes to its d ancestors on the referral path, ancestor k "
            "hops up getting weight omega_k (decay model; last, first and linear give "
            "all to the referrer, all to the root, equal parts). R_u is the credit u "
            "receives; T = sum of V_u = sum of b. As run: "
            + _p(p, "lambda", "attribution", "delta")
            + ".",
        ),
        Formula(
            r"v_u = \mathit{coin\_yuan} \cdot \mathrm{coins}_u + "
            r"\mathrm{redeemed\ coupons}_u",
            "Value returned (docs/model.md 5.4); unredeemed coupons are worth nothing. "
            "As run: " + _p(p, "coin_yuan") + ".",
        ),
        Formula(
            r"e = \frac{T - \sum_u v_u}{\sum_u v_u}, \quad "
            r"e_u = \frac{V_u - v_u}{v_u}, \quad w_u = \frac{v_u}{L_u / 3600}",
            "Exploitation rate of the platform and of a user (null where v_u = 0: "
            "wholly unpaid), implicit hourly wage w_u set beside the reference minimum "
            "(docs/model.md 4 and 5.6). As run: " + _p(p, "min_wage_hour") + ".",
        ),
        Formula(
            r"G = \frac{2 \sum_{i=1}^{n} i\, x_{(i)}}{n \sum_i x_i} - \frac{n + 1}{n}",
            "Gini coefficient of value produced V_u and of value returned v_u over the "
            "n users sorted in increasing order, x_(1) <= ... <= x_(n) (docs/model.md 5.6).",
        ),
        Formula(
            r"\Delta\% = 100 \cdot \frac{x_{scenario} - x_{baseline}}{|x_{baseline}|},"
            r"\quad \mathrm{swing} = |x(\theta_{high}) - x(\theta_{low})|",
            "Scenario change and one-at-a-time sensitivity swing of a figure x "
            "(docs/model.md 9 and 10).",
        ),
    ]


def methods_section(
    params,
    meta: dict[str, Any],
    *,
    scenarios: bool = True,
    sensitivity: bool = True,
    bootstrap: bool = True,
) -> Section:
    """Formulas with their parameters as run, every parameter, and the data source."""
    rows = []
    for name, p in PARAMETERS.items():
        value = params[name]
        changed = "" if value == p.default else "changed"
        rows.append(
            [name, numbers.plain(value), numbers.plain(p.default), p.unit, p.meaning, changed]
        )
    raw = pd.DataFrame(
        [[n, params[n], p.default, p.unit, p.meaning] for n, p in PARAMETERS.items()],
        columns=["parameter", "value", "default", "unit", "meaning"],
    )
    seed = "n/a" if meta.get("seed") is None else str(meta["seed"])
    prov = [
        ["source", str(meta.get("source"))],
        ["fingerprint (sha256 of the log)", str(meta.get("fingerprint") or "n/a")],
        ["seed", seed],
        ["graphmodel version", str(meta.get("version"))],
    ]
    if meta.get("generator") is not None:
        gen = to_jsonable(meta["generator"])
        text = (
            ", ".join(f"{k}={json.dumps(v)}" for k, v in sorted(gen.items()))
            if isinstance(gen, dict)
            else json.dumps(gen)
        )
        prov.append(["generator options", text])
    if meta.get("imported"):
        prov.append(["imported", json.dumps(to_jsonable(meta["imported"]), sort_keys=True)])
    runs = []
    if scenarios or sensitivity or bootstrap:
        if sensitivity:
            runs.append(
                "sensitivity: each numeric parameter from x(1 - s) to x(1 + s), s = "
                + numbers.plain(meta.get("sensitivity_spread", "n/a"))
            )
        if bootstrap:
            runs.append(
                f"bootstrap: {numbers.count(meta.get('bootstrap_reps'))} resamples "
                "of users, percentile intervals"
            )
        if scenarios or bootstrap:
            runs.append(
                f"seed of the random parts (who opts out, the resamples): "
                f"{numbers.plain(meta.get('scenario_seed', 'n/a'))}"
            )
    return Section(
        "Methods",
        [
            Paragraph(
                "Every figure comes from the value accounting of docs/model.md sections 4 and 5 "
                "over the event log, with the formulas below; the parameters are those of "
                "{table:parameters}, the data those of {table:provenance}."
            ),
            *_formulas(params),
            *([Paragraph("Runs: " + "; ".join(runs) + ".")] if runs else []),
            Paragraph(
                "Every model parameter is an assumption, not a fact (docs/model.md section 10): "
                "these are the values this report was computed with."
            ),
            Table(
                ["parameter", "value", "default", "unit", "meaning", ""],
                rows,
                [False, True, True, False, False, False],
                id="parameters",
                caption="Model parameters as run (changed: not the default).",
                csv=csv_text(raw),
            ),
            Table(
                ["item", "value"],
                prov,
                id="provenance",
                caption="The data: source folder, fingerprint, seed and version.",
                csv=csv_text(pd.DataFrame(prov, columns=["item", "value"])),
            ),
        ],
    )


def limitations_section(
    params,
    meta: dict[str, Any],
    *,
    calibrated: bool = False,
    sensitivity: bool = True,
    bootstrap: bool = True,
    scale: bool = True,
) -> Section:
    """What each assumption of the model means for the figures, then this log's gaps;
    the flags say which sections the report has (their limits are said only then)."""
    items = [
        "Labour time is an accounting convention: watch seconds are counted as they are "
        f"logged, but a like tap, a comment and a share count {_p(params, 'tau_like', 'tau_comment', 'tau_share')} "
        "each, which nobody has measured. Labour hours, the implicit wage and the share "
        "below the minimum wage move with these values"
        + (" (see the sensitivity section)." if sensitivity else "."),
        "All of the value the platform takes from users' activity (ad spend, its take on "
        "GMV, the data value) is attributed to users' labour (docs/model.md 5.1). T is "
        "therefore what the platform captures through users, not a measure of what users "
        "alone create: streamers', merchants' and the platform's own work are not "
        "subtracted.",
        f"The data value rests on an assumed price of a data unit ({_p(params, 'p_data', 'alpha')}); "
        "no public per-unit price exists. Where ad spend or purchases are small, the data "
        "value dominates T and e, and both scale with this price.",
        "Ad spend on a stream is split over its viewers by watch seconds only: a viewer's "
        "demographic worth to an advertiser is not modelled.",
        f"Relational value depends on the referral credit ({_p(params, 'lambda', 'attribution', 'delta')}): "
        "the share of T through social relations scales with lambda, and the attribution "
        "model decides who along a referral path gets it.",
        "Value returned counts coins and redeemed coupons only: the enjoyment of a stream, "
        "discounts and other benefits to users are not counted, so e and the unpaid "
        "shares are upper bounds on what users give without return.",
        f"The minimum-wage comparison sets an implicit hourly wage beside a reference "
        f"({_p(params, 'min_wage_hour')}); users are not employees and no legal wage applies.",
    ]
    if bootstrap:
        items.append(
            "The bootstrap intervals cover the sampling of users only, not the "
            "uncertainty of the parameters or of the model itself."
        )
    if scale:
        items.append(
            "National-scale figures extrapolate this log linearly to the market: "
            "they hold only if its users are representative and its days typical "
            "of the year."
        )
    if meta.get("generator") is not None:
        items.append(
            "The log is generated, not observed: the figures describe the "
            "generator's synthetic platform, "
            + (
                "checked against published targets in the calibration section, "
                if calibrated
                else ""
            )
            + "not any real platform."
        )
    notes = [n[0].upper() + n[1:] + "." for n in meta.get("notes", ())]
    blocks: list = [
        Paragraph(
            "What each assumption of the model (docs/model.md; the "
            "documentation's pages The model and Labour, value and its "
            "capture) means for the figures of this report:"
        ),
        Paragraph("\n".join(f"- {t}" for t in items)),
    ]
    if notes:
        blocks += [
            Paragraph("This log's own gaps, as the results record them:"),
            Paragraph("\n".join(f"- {t}" for t in notes)),
        ]
    return Section("Limitations", blocks)


def citation_section() -> Section:
    """How to cite: the software and the paper it builds on, as text and as BibTeX, from
    the record ``CITATION.cff`` is written from."""
    return Section(
        "How to cite",
        [
            Paragraph(
                "If you use these results, please cite the software (CITATION.cff at the "
                "root of the repository holds the same record) and the paper whose model "
                "it formalises:"
            ),
            *[Paragraph(line) for line in citation_text().splitlines()],
            Code(bibtex()),
        ],
    )
