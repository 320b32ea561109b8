"""The columns of diffusion on the social graph: ``simulate`` and ``influence``
(docs/diffusion.md; `graphmodel.analysis.diffusion.api`)."""

from __future__ import annotations

from graphmodel.dictionary.core import Column

__all__ = ["DIFFUSION_COLUMNS"]

_INTERVAL = "diffusion.md#expected-spread-with-a-confidence-interval"
_INFLUENCE = "diffusion.md#influence-maximisation"

DIFFUSION_COLUMNS: tuple[Column, ...] = (
    Column(
        "seeds",
        "The seed users, comma-separated, as found in the graph.",
        "id",
        "",
        ("simulate",),
        _INTERVAL,
    ),
    Column("n_seeds", "Number of seed users.", "count", "", ("simulate",), _INTERVAL),
    Column(
        "model",
        "The diffusion model: ic (Independent Cascade) or lt (Linear Threshold).",
        "text",
        "",
        ("simulate",),
        "diffusion.md#the-models",
    ),
    Column(
        "probability",
        "The rule that gives each influence edge its probability: wc (1 / "
        "in-degree), estimated (referrals over exposures, shrunk to the pooled rate), "
        "constant (--p) or file (the p column of --graph FILE).",
        "text",
        "wc: p_uw = 1 / d_in(w); estimated: p_uw = (r_uw + m p0) / (x_u + m), clipped to [0, 1]",
        ("simulate",),
        "diffusion.md#edge-probabilities",
    ),
    Column("runs", "Monte Carlo runs (--runs).", "count", "", ("simulate",), _INTERVAL),
    Column(
        "spread",
        "Expected spread: the mean number of active users at the end of a run, "
        "seeds included. In influence, the whole seed set's, by a Monte Carlo run "
        "independent of the selection (the same on every row).",
        "count",
        "mean of X_1 .. X_R, the active users of each of R runs",
        ("simulate", "influence"),
        _INTERVAL,
    ),
    Column(
        "sd",
        "Standard deviation of the spread over the runs.",
        "count",
        "sqrt(sum (X_r - spread)^2 / (R - 1))",
        ("simulate",),
        _INTERVAL,
    ),
    Column(
        "ci_low",
        "Lower end of the 95% interval of the expected spread (normal approximation).",
        "count",
        "spread - 1.96 sd / sqrt(R)",
        ("simulate", "influence"),
        _INTERVAL,
    ),
    Column(
        "ci_high",
        "Upper end of the 95% interval of the expected spread (normal approximation).",
        "count",
        "spread + 1.96 sd / sqrt(R)",
        ("simulate", "influence"),
        _INTERVAL,
    ),
    Column("seconds", "Time the Monte Carlo simulation took.", "s", "", ("simulate",), _INTERVAL),
    Column(
        "rank",
        "The order in which the method chose the seed, 1 first.",
        "count",
        "",
        ("influence",),
        _INFLUENCE,
    ),
    Column(
        "out_degree",
        "The seed's out-edges in the influence graph: the users it can "
        "influence (followers and friends; with --graph FILE, its out-edges).",
        "count",
        "",
        ("influence",),
        _INFLUENCE,
    ),
    Column(
        "gain",
        "The method's own estimate of the seed's marginal gain in expected spread "
        "(IMM: n x the RR sets it newly covers / theta; CELF: on its live-edge samples); "
        "null for degree.",
        "count",
        "",
        ("influence",),
        _INFLUENCE,
    ),
    Column(
        "seconds",
        "Time the seed selection took (the kernels loaded before timing); the same on every row.",
        "s",
        "",
        ("influence",),
        _INFLUENCE,
    ),
)
