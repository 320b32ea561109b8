"""The columns of the headline-figure tables: ``scenario``, ``sensitivity``,
``value --bootstrap N`` and ``value --scale-to-market``.

The figures are those of `graphmodel.analysis.scenario.figures` (docs/scenarios.md,
"The figures compared"); the tables are built in `graphmodel.analysis.scenario`.
"""

from __future__ import annotations

from graphmodel.dictionary.core import Column

__all__ = ["SCENARIO_COLUMNS"]

_BOOTSTRAP = "value --bootstrap N"
_SCALE = "value --scale-to-market"
_SENSITIVITY = "sensitivity"

SCENARIO_COLUMNS: tuple[Column, ...] = (
    Column(
        "figure",
        "The headline figure the row is about: labour_hours, "
        "user_generated_value, value_returned, exploitation_rate, relational_share and "
        "below_min_wage_share as in value --by platform; surplus; platform_revenue; "
        "gini_value_produced and gini_value_returned. Which figures a table has depends "
        "on the command.",
        "text",
        "platform_revenue = all ad spend + take_rate x GMV + data value - sum v_u; "
        "gini_value_produced = Gini of V_u over users; gini_value_returned = Gini of v_u",
        (_BOOTSTRAP, _SCALE, "scenario", _SENSITIVITY),
        "scenarios.md#the-figures-compared",
    ),
    # -- bootstrap ------------------------------------------------------------------------
    Column(
        "estimate",
        "The figure on the whole log (the point estimate); null where it is undefined.",
        "as the figure",
        "",
        (_BOOTSTRAP,),
        "scenarios.md#uncertainty-graphmodel-value-by-platform-bootstrap-n",
    ),
    Column(
        "ci_low",
        "Lower end of the 95% percentile bootstrap interval, over the resamples "
        "where the figure is defined (null if none).",
        "as the figure",
        "2.5% quantile of the figure over N resamples of users with replacement",
        (_BOOTSTRAP,),
        "scenarios.md#uncertainty-graphmodel-value-by-platform-bootstrap-n",
    ),
    Column(
        "ci_high",
        "Upper end of the 95% percentile bootstrap interval, over the resamples "
        "where the figure is defined (null if none).",
        "as the figure",
        "97.5% quantile of the figure over N resamples of users with replacement",
        (_BOOTSTRAP,),
        "scenarios.md#uncertainty-graphmodel-value-by-platform-bootstrap-n",
    ),
    Column(
        "reps",
        "Resamples of users drawn (--bootstrap N).",
        "count",
        "",
        (_BOOTSTRAP,),
        "scenarios.md#uncertainty-graphmodel-value-by-platform-bootstrap-n",
    ),
    Column(
        "seed",
        "Seed of the resampling (--seed): the same seed gives the same intervals.",
        "integer",
        "",
        (_BOOTSTRAP,),
        "scenarios.md#uncertainty-graphmodel-value-by-platform-bootstrap-n",
    ),
    # -- national scale -------------------------------------------------------------------
    Column(
        "log_value",
        "The figure on the log as it is, in the row's unit.",
        "as the figure",
        "",
        (_SCALE,),
        "scenarios.md#national-scale-graphmodel-value-by-platform-scale-to-market",
    ),
    Column(
        "per_user_year",
        "The figure per user and year of the log; null for a log without users.",
        "as the figure",
        "log_value / users / days x 365, days the whole days the log's streams span",
        (_SCALE,),
        "scenarios.md#national-scale-graphmodel-value-by-platform-scale-to-market",
    ),
    Column(
        "national",
        "The figure extrapolated to China's 567.76 million live-commerce users "
        "(4.9168 trillion yuan market / 8,660 yuan per user, 2023), assuming the log's "
        "users representative and its days typical; null for a log without users.",
        "as the figure",
        "per_user_year x 567.76 million",
        (_SCALE,),
        "scenarios.md#national-scale-graphmodel-value-by-platform-scale-to-market",
    ),
    Column(
        "unit",
        "The unit of the row's figure: hours or yuan.",
        "text",
        "",
        (_SCALE,),
        "scenarios.md#national-scale-graphmodel-value-by-platform-scale-to-market",
    ),
    # -- scenarios ------------------------------------------------------------------------
    Column(
        "scenario",
        "The scenario's name: --name, the levers given (dividend=0.1), or the "
        "NAME of a [scenario.NAME] table of --file.",
        "text",
        "",
        ("scenario",),
        "scenarios.md#scenarios-graphmodel-scenario",
    ),
    Column(
        "baseline",
        "The figure on the log at the given parameters, with no lever "
        "(scenario) or no parameter moved (sensitivity).",
        "as the figure",
        "",
        ("scenario", _SENSITIVITY),
        "scenarios.md#the-figures-compared",
    ),
    Column(
        "value",
        "The figure under the scenario.",
        "as the figure",
        "",
        ("scenario",),
        "scenarios.md#scenarios-graphmodel-scenario",
    ),
    Column(
        "change",
        "How much the scenario moves the figure.",
        "as the figure",
        "value - baseline",
        ("scenario",),
        "scenarios.md#scenarios-graphmodel-scenario",
    ),
    Column(
        "change_pct",
        "The change as a percentage of the baseline; null when the baseline is 0 or null.",
        "%",
        "100 x change / |baseline|",
        ("scenario",),
        "scenarios.md#scenarios-graphmodel-scenario",
    ),
    # -- sensitivity ----------------------------------------------------------------------
    Column(
        "parameter",
        "The model parameter moved, alone (docs/model.md section 10).",
        "text",
        "",
        (_SENSITIVITY,),
        "model.md#10-parameters-and-defaults",
    ),
    Column(
        "low",
        "The parameter's low setting: x (1 - spread), clipped to its range; for "
        "attribution, the model giving the smallest figure.",
        "as the parameter",
        "max(lowest allowed, x (1 - spread))",
        (_SENSITIVITY,),
        "scenarios.md#sensitivity-graphmodel-sensitivity",
    ),
    Column(
        "high",
        "The parameter's high setting: x (1 + spread), clipped to its range; for "
        "attribution, the model giving the largest figure.",
        "as the parameter",
        "min(highest allowed, x (1 + spread))",
        (_SENSITIVITY,),
        "scenarios.md#sensitivity-graphmodel-sensitivity",
    ),
    Column(
        "at_low",
        "The figure with the parameter at its low setting.",
        "as the figure",
        "",
        (_SENSITIVITY,),
        "scenarios.md#sensitivity-graphmodel-sensitivity",
    ),
    Column(
        "at_high",
        "The figure with the parameter at its high setting.",
        "as the figure",
        "",
        (_SENSITIVITY,),
        "scenarios.md#sensitivity-graphmodel-sensitivity",
    ),
    Column(
        "swing",
        "How far the figure moves between the two settings; rows are sorted by it "
        "within each figure, largest first (tornado order); null when either end is "
        "undefined.",
        "as the figure",
        "|at_high - at_low|",
        (_SENSITIVITY,),
        "scenarios.md#sensitivity-graphmodel-sensitivity",
    ),
)
