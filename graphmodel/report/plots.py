"""The report's figures, each drawn from one result table into PNG bytes.

Every function takes the DataFrame a library function returns and gives back
a PNG (``bytes``), drawn with matplotlib's Agg renderer on a
`matplotlib.figure.Figure` of its own: no pyplot, no global state, no
display needed. A table without the rows a plot needs gives a PNG that says
so, never an error. PNGs carry no timestamp or software tag, so the same
tables give the same bytes. Numbers in titles, legends and labels follow
`graphmodel.numbers`, as in the text and tables.
"""

from __future__ import annotations

import io
import math
import textwrap

import numpy as np
import pandas as pd

from graphmodel import numbers
from graphmodel.report.cells import figure_number

__all__ = [
    "lorenz_plot",
    "cascade_ccdf_plot",
    "virality_plot",
    "exploitation_plot",
    "capture_plot",
    "scenario_plot",
    "tornado_plot",
    "bootstrap_plot",
]

#: Colours (colour-blind safe, Okabe and Ito) used across the report.
PRODUCED, RETURNED, DATA, GREY = "#0072B2", "#E69F00", "#009E73", "#999999"
LOW, HIGH = "#56B4E9", "#D55E00"
DPI = 110


def _figure(width: float = 7.0, height: float = 4.2):
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
    return fig


def _png(fig) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None})
    return buf.getvalue()


def _plain_log(axis) -> None:
    """Plain numbers (2, 30, 0.1, 0.7) on a log axis, never ``7e-01``; minor ticks labelled
    when it spans little."""
    from matplotlib.ticker import FuncFormatter, LogFormatter

    class Plain(LogFormatter):
        def _num_to_string(self, x, vmin, vmax):
            return f"{x:g}" if 1e-4 <= abs(x) < 1e6 else numbers.plain(x)

    axis.set_major_formatter(
        FuncFormatter(lambda v, _: f"{v:g}" if 1e-4 <= abs(v) < 1e6 else numbers.plain(v))
    )
    axis.set_minor_formatter(Plain(labelOnlyBase=False, minor_thresholds=(1.2, 0.6)))


def _thousands():
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda v, _: f"{v:,.0f}" if abs(v) >= 10 else f"{v:g}")


def _plain(x) -> str:
    """A parameter's value as the sensitivity table gives it (text) without exponents."""
    try:
        return numbers.plain(float(x))
    except ValueError:
        return str(x)


def _wrap(text: str, width: int = 100) -> str:
    """``text`` with each of its lines wrapped at ``width`` characters (notes that name
    many figures)."""
    return "\n".join(textwrap.fill(line, width) for line in text.split("\n"))


def _empty(title: str, message: str) -> bytes:
    message = _wrap(message, 90)
    fig = _figure(7.0, 2.0 + 0.2 * message.count("\n"))
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.set_title(title)
    ax.text(0.5, 0.5, message, ha="center", va="center", color="#555555", transform=ax.transAxes)
    return _png(fig)


def lorenz_plot(lorenz: pd.DataFrame, gini: dict[str, float] | None = None) -> bytes:
    """Lorenz curves of value produced ``V_u`` and value returned ``v_u`` ([docs/model.md, 5.6][model-5-6]).

    ``lorenz`` is `graphmodel.analysis.value.inequality.lorenz_table`: for users
    sorted by value, ``L(k/n) = (x_1 + ... + x_k) / sum x``. The diagonal is
    perfect equality; the further a curve sags below it, the more unequal the
    measure (the Gini is twice the area between the two). ``gini`` (by
    measure) goes into the legend.
    """
    gini = gini or {}
    fig = _figure(5.6, 5.0)
    ax = fig.add_subplot()
    ax.plot([0, 1], [0, 1], color=GREY, lw=1, ls="--", label="equality")
    drawn = 0
    for measure, colour, label in (
        ("value_produced", PRODUCED, "value produced V"),
        ("value_returned", RETURNED, "value returned v"),
    ):
        part = lorenz[lorenz["measure"] == measure]
        if part.empty or part["value_share"].isna().all():
            continue
        g = gini.get(measure)
        if g is not None and not math.isnan(g):
            label += f" (Gini {numbers.gini(g)})"
        ax.plot(part["population_share"], part["value_share"], color=colour, lw=2, label=label)
        drawn += 1
    if not drawn:
        return _empty("Lorenz curves", "no value produced or returned")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_aspect("equal")
    ax.set_xlabel("share of users, poorest first")
    ax.set_ylabel("share of the value")
    ax.set_title("Lorenz curves of value produced and returned")
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left")
    return _png(fig)


def cascade_ccdf_plot(cascades: pd.DataFrame) -> bytes:
    """The cascade-size distribution as a CCDF on log-log axes ([docs/model.md, section 6][model-6]).

    ``cascades`` is [`graphmodel.engines.base.Store.cascade_table`][graphmodel.engines.base.Store.cascade_table]. The
    curve is ``P(size >= n)`` over all cascades, a size-1 cascade being a
    share that brought nobody: a straight line on these axes means a
    heavy (power-law-like) tail.
    """
    sizes = cascades["size"].to_numpy("int64") if len(cascades) else np.array([], "int64")
    if sizes.size == 0:
        return _empty("Cascade sizes", "no cascades: nobody shared")
    values, counts = np.unique(sizes, return_counts=True)
    ccdf = counts[::-1].cumsum()[::-1] / sizes.size
    fig = _figure()
    ax = fig.add_subplot()
    ax.plot(values, ccdf, marker="o", ms=4, lw=1.5, color=PRODUCED)
    ax.set_xscale("log")
    ax.set_yscale("log")
    _plain_log(ax.xaxis)
    _plain_log(ax.yaxis)
    ax.set_xlabel("cascade size n (users, root included)")
    ax.set_ylabel("P(size >= n)")
    ax.set_title(
        f"Cascade-size distribution ({numbers.count(sizes.size)} cascades, "
        f"{numbers.share((sizes == 1).mean())} of size 1)"
    )
    ax.grid(alpha=0.3, which="both")
    return _png(fig)


def virality_plot(cascades: pd.DataFrame) -> bytes:
    """Structural virality against cascade size (Goel et al. 2016), log x.

    Structural virality is the mean shortest-path distance over all pairs of
    the undirected cascade tree, ``2 W / (n (n - 1))`` with ``W`` the Wiener
    index; it is null for ``n = 1``, so those cascades are left out. Cascades
    with the same size and virality share one marker, its area proportional
    to the square root of their number. A
    broadcast (one root, many direct children) sits near 2 whatever its size;
    person-to-person chains rise with size.
    """
    sv = cascades.dropna(subset=["structural_virality"]) if len(cascades) else cascades
    if sv is None or len(sv) == 0:
        return _empty("Structural virality", "no cascade has more than one user")
    points = (
        sv.assign(v=sv["structural_virality"].astype("float64").round(9))
        .groupby(["size", "v"], sort=True)
        .size()
        .reset_index(name="n")
    )
    fig = _figure()
    ax = fig.add_subplot()
    ax.scatter(
        points["size"].to_numpy("float64"),
        points["v"].to_numpy("float64"),
        s=12 * np.sqrt(points["n"].to_numpy("float64")),
        alpha=0.6,
        color=PRODUCED,
        edgecolors="none",
    )
    ax.text(
        0.01,
        0.98,
        "marker area ~ sqrt(number of cascades at the point)",
        transform=ax.transAxes,
        va="top",
        fontsize=8,
        color="#555555",
    )
    ax.set_xscale("log")
    _plain_log(ax.xaxis)
    ax.set_xlabel("cascade size n (log)")
    ax.set_ylabel("structural virality")
    ax.set_title(
        f"Structural virality against size ({numbers.count(len(sv))} cascades with n >= 2)"
    )
    ax.grid(alpha=0.3, which="both")
    return _png(fig)


def exploitation_plot(users: pd.DataFrame) -> bytes:
    """Histogram of the per-user exploitation rate ``e_u = (V_u - v_u) / v_u`` ([docs/model.md, 5.6][model-5-6]).

    ``users`` is [`graphmodel.model.accounting.Accounts.user_table`][graphmodel.model.accounting.Accounts.user_table]. The
    rate is null where ``v_u = 0``; users who worked and got nothing are
    *wholly unpaid* and have no place on the axis, so the title counts them.
    Bins are logarithmic over the positive rates; rates <= 0 (paid at least
    what they produced) are counted in the title too.
    """
    e = users["exploitation_rate"].to_numpy("float64")
    worked = users["labour_s"].to_numpy("float64") > 0
    unpaid = int((np.isnan(e) & worked).sum())
    idle = int((np.isnan(e) & ~worked).sum())
    positive = e[e > 0]
    not_positive = int((e <= 0).sum())
    notes = [f"{numbers.count(unpaid)} wholly unpaid (v = 0, e null)"]
    if idle:
        notes.append(f"{numbers.count(idle)} inactive")
    if not_positive:
        notes.append(f"{numbers.count(not_positive)} with e <= 0")
    if positive.size == 0:
        return _empty("Exploitation rate", "no user with a positive rate; " + ", ".join(notes))
    fig = _figure()
    ax = fig.add_subplot()
    lo, hi = positive.min(), positive.max()
    if hi <= lo * 1.0001:
        bins = np.array([lo / 1.5, hi * 1.5])
    else:
        bins = np.logspace(
            math.log10(lo / 1.001), math.log10(hi * 1.001), min(50, max(5, positive.size // 5))
        )
    ax.hist(positive, bins=bins, color=PRODUCED, alpha=0.85)
    ax.set_xscale("log")
    _plain_log(ax.xaxis)
    median = float(np.median(positive))
    ax.axvline(median, color=HIGH, lw=1.5, ls="--", label=f"median {numbers.ratio(median)}")
    ax.legend(loc="upper right")
    ax.set_xlabel("exploitation rate e_u = s_u / v_u (log)")
    ax.set_ylabel("users")
    ax.set_title(
        f"Exploitation rate of {numbers.count(positive.size)} paid users\n" + "; ".join(notes),
        fontsize=10,
    )
    ax.grid(alpha=0.3, which="both", axis="x")
    return _png(fig)


def capture_plot(actors: pd.DataFrame) -> bytes:
    """Value captured by actor class, cash and data asset stacked ([docs/model.md, 5.6][model-5-6]).

    ``actors`` is ``graphmodel.analysis.value.value(store, "actor", ...)``: users get
    the value returned, streamers ``commission_rate x GMV``, merchants the
    rest of GMV, the platform ad spend + ``take_rate x GMV`` - rewards in cash
    and ``alpha x p_data x sum D`` as a data asset. Each bar's label is the
    actor's share of the whole.
    """
    if actors.empty:
        return _empty("Value captured", "no value")
    fig = _figure()
    ax = fig.add_subplot()
    names = actors["actor"].astype(str).tolist()
    cash = actors["cash"].to_numpy("float64")
    data = actors["data_asset"].to_numpy("float64")
    ax.bar(names, cash, color=PRODUCED, label="cash")
    ax.bar(names, data, bottom=np.maximum(cash, 0), color=DATA, label="data asset")
    tops = np.maximum(cash, 0) + data
    for i, (top, share) in enumerate(zip(tops, actors["share"], strict=True)):
        if not math.isnan(share):
            ax.annotate(
                numbers.share(share),
                (i, top),
                ha="center",
                va="bottom",
                xytext=(0, 3),
                textcoords="offset points",
            )
    ax.axhline(0, color="black", lw=0.8)
    high = max(float(tops.max()), 0.0)
    low = min(float(np.minimum(cash, 0).min()), 0.0)
    pad = 0.15 * ((high - low) or 1.0)
    ax.set_ylim(low - (pad if low < 0 else 0), high + pad)
    ax.yaxis.set_major_formatter(_thousands())
    ax.set_ylabel("yuan")
    ax.set_title("Value captured by actor class")
    ax.legend(loc="upper left")
    ax.grid(alpha=0.3, axis="y")
    return _png(fig)


def scenario_plot(scenarios: pd.DataFrame) -> bytes:
    """Governance scenarios against the baseline ([docs/model.md, section 9][model-9]), one panel per figure.

    ``scenarios`` has columns ``scenario, figure, baseline, value, change,
    change_pct`` (``change_pct = 100 x (value - baseline) / |baseline|``);
    each panel shows, for one headline figure, the percentage change every
    scenario makes (red up, blue down). Figures no scenario changes get no
    panel; the footnote names them. A change without a percentage (the
    baseline is 0 or undefined, such as ``e`` when nobody got anything back)
    is never drawn as a bar of 0: it is marked n/a, and a figure with no
    percentage at all is named in the footnote apart from the unchanged ones.
    """
    if scenarios.empty:
        return _empty("Scenarios", "no scenario")
    pct_all = scenarios["change_pct"].to_numpy("float64")
    base_all = scenarios["baseline"].to_numpy("float64")
    value_all = scenarios["value"].to_numpy("float64")
    state = pd.Series(
        np.where(
            np.isfinite(pct_all) & (np.abs(np.nan_to_num(pct_all)) > 1e-9),
            "moved",
            np.where(
                (base_all == value_all)
                | (np.isnan(base_all) & np.isnan(value_all))
                | (np.abs(np.nan_to_num(pct_all, nan=1.0)) <= 1e-9),
                "still",
                "n/a",
            ),
        ),
        index=scenarios.index,
    )
    order = list(dict.fromkeys(scenarios["figure"]))
    kinds = state.groupby(scenarios["figure"].to_numpy(), sort=False).agg(set)
    figures = [f for f in order if "moved" in kinds[f]]
    still = [f for f in order if kinds[f] == {"still"}]
    undefined = [f for f in order if f not in figures and f not in still]
    notes = []
    if still:
        notes.append("unchanged by every scenario: " + ", ".join(still))
    if undefined:
        notes.append(
            "changed, but no percentage (baseline 0 or undefined): " + ", ".join(undefined)
        )
    if not figures:
        return _empty(
            "Scenarios",
            "no scenario changes any figure by a percentage"
            + ("\n" + "\n".join(notes) if notes else ""),
        )
    names = list(dict.fromkeys(scenarios["scenario"]))
    cols = 2 if len(figures) > 1 else 1
    rows = math.ceil(len(figures) / cols)
    fig = _figure(9.0, 0.3 * len(names) * rows + 1.0 * rows + 0.8)
    axes = fig.subplots(rows, cols, squeeze=False)
    y = np.arange(len(names))
    for k, ax in enumerate(axes.flat):
        if k >= len(figures):
            ax.set_axis_off()
            continue
        part = scenarios[scenarios["figure"] == figures[k]].set_index("scenario").reindex(names)
        raw = part["change_pct"].to_numpy("float64")
        pct = np.nan_to_num(raw)
        ax.barh(y, pct, color=[HIGH if p > 0 else LOW for p in pct])
        for i in np.flatnonzero(np.isnan(raw)):
            ax.annotate(
                "n/a",
                (0, y[i]),
                xytext=(3, 0),
                textcoords="offset points",
                va="center",
                fontsize=7,
                color="#555555",
            )
        ax.axvline(0, color="black", lw=0.8)
        ax.set_yticks(y, names)
        ax.invert_yaxis()
        ax.set_title(figures[k], fontsize=10)
        ax.set_xlabel("change against baseline (%)", fontsize=8)
        ax.tick_params(labelsize=8)
        ax.grid(alpha=0.3, axis="x")
    fig.suptitle("Scenarios: change of each headline figure")
    if notes:
        fig.supxlabel(_wrap("\n".join(notes)), fontsize=8, color="#555555")
    return _png(fig)


def tornado_plot(
    sensitivity: pd.DataFrame, figures: list[str] | None = None, top: int = 6
) -> bytes:
    """Tornado charts: one-at-a-time sensitivity of headline figures to each parameter.

    ``sensitivity`` has columns ``parameter, low, high, figure, baseline,
    at_low, at_high, swing``. For each figure (``figures``, default every one
    in the table that some parameter moves), the ``top`` parameters with the
    largest swing ``|at_high - at_low|`` (zero swings left out) are drawn as
    bars from the baseline to the figure's value at the parameter's low
    (blue, upper) and high (red, lower) end, in percent of the baseline,
    largest swing on top. A figure whose baseline is 0 or undefined has no
    percentage: it gets no panel, and the footnote names it.
    """
    if sensitivity.empty:
        return _empty("Sensitivity", "no parameter varied")
    baseline = sensitivity["baseline"].astype("float64")
    defined = np.isfinite(baseline) & (baseline != 0)
    moving = sensitivity[defined & (sensitivity["swing"].fillna(0) > 1e-12 * baseline.abs())]
    unscaled = [
        f
        for f in dict.fromkeys(sensitivity.loc[~defined, "figure"])
        if figures is None or f in figures
    ]
    figures = figures or list(dict.fromkeys(moving["figure"]))
    figures = [f for f in figures if f not in unscaled]
    note = "no percentage (baseline 0 or undefined): " + ", ".join(unscaled) if unscaled else ""
    if not figures:
        return _empty(
            "Sensitivity",
            "no parameter moves any figure by a percentage" + ("\n" + note if note else ""),
        )
    cols = 2 if len(figures) > 1 else 1
    rows = math.ceil(len(figures) / cols)
    fig = _figure(9.5 if cols == 2 else 6.0, rows * (0.32 * top + 1.0) + 0.6)
    axes = fig.subplots(rows, cols, squeeze=False)
    for k, ax in enumerate(axes.flat):
        if k >= len(figures):
            ax.set_axis_off()
            continue
        part = moving[moving["figure"] == figures[k]]
        part = part.sort_values("swing", ascending=False, kind="mergesort").head(top)
        base = part["baseline"].to_numpy("float64")
        scale = np.where(base != 0, np.abs(base), np.nan)
        lo = 100.0 * (part["at_low"].to_numpy("float64") - base) / scale
        hi = 100.0 * (part["at_high"].to_numpy("float64") - base) / scale
        y = np.arange(len(part))
        ax.barh(y - 0.2, np.nan_to_num(lo), height=0.4, color=LOW, label="at low")
        ax.barh(y + 0.2, np.nan_to_num(hi), height=0.4, color=HIGH, label="at high")
        ax.axvline(0, color="black", lw=0.8)
        labels = [
            f"{p} ({_plain(lo_)} .. {_plain(hi_)})"
            for p, lo_, hi_ in zip(part["parameter"], part["low"], part["high"], strict=True)
        ]
        ax.set_yticks(y, labels)
        ax.set_ylim(top - 0.5, -0.5)
        b = figure_number(figures[k], base[0]) if base.size else "n/a"
        ax.set_title(f"{figures[k]} (baseline {b})", fontsize=10)
        ax.set_xlabel("change against baseline (%)", fontsize=8)
        ax.tick_params(labelsize=8)
        ax.grid(alpha=0.3, axis="x")
        if k == 0:
            ax.legend(fontsize=8, loc="lower right")
    fig.suptitle("Sensitivity to each parameter, one at a time")
    if note:
        fig.supxlabel(_wrap(note), fontsize=8, color="#555555")
    return _png(fig)


def bootstrap_plot(intervals: pd.DataFrame) -> bytes:
    """Bootstrap confidence intervals of the headline figures, relative to the estimate.

    ``intervals`` has columns ``figure, estimate, ci_low, ci_high``: the
    percentile interval over resamples of users. Each row is drawn as
    ``100 x (ci - estimate) / |estimate|``, so figures in yuan, hours and
    ratios share one axis: a short bar is a figure the sample pins down. A
    figure without an interval in percent (an undefined estimate or interval,
    or an estimate of 0) is listed with "n/a" beside it, never drawn as a bar
    of 0.
    """
    if intervals.empty:
        return _empty("Bootstrap", "no interval")
    est = intervals["estimate"].to_numpy("float64")
    scale = np.where(est != 0, np.abs(est), np.nan)
    lo = 100.0 * (intervals["ci_low"].to_numpy("float64") - est) / scale
    hi = 100.0 * (intervals["ci_high"].to_numpy("float64") - est) / scale
    y = np.arange(len(intervals))
    fig = _figure(7.0, 0.4 * len(intervals) + 1.4)
    ax = fig.add_subplot()
    ok = np.isfinite(lo) & np.isfinite(hi)
    if not ok.any():
        return _empty(
            "Bootstrap",
            "no figure has an interval in percent of its estimate (undefined, or an estimate of 0)",
        )
    ax.hlines(y[ok], lo[ok], hi[ok], color=PRODUCED, lw=3)
    ax.plot(np.zeros(int(ok.sum())), y[ok], "o", color="black", ms=4)
    for i in np.flatnonzero(~ok):
        ax.annotate(
            "n/a (no interval in percent)",
            (0, y[i]),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
            color="#555555",
        )
    ax.set_yticks(y, intervals["figure"].astype(str).tolist())
    ax.set_ylim(len(intervals) - 0.5, -0.5)
    ax.axvline(0, color=GREY, lw=0.8)
    ax.set_xlabel("interval around the estimate (%)")
    ax.set_title("Bootstrap confidence intervals (resampling users)")
    ax.grid(alpha=0.3, axis="x")
    return _png(fig)
