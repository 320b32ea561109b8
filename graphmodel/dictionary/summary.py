"""The columns of ``stats``, ``calibration`` and ``explain``
(`graphmodel.analysis.summary`, `graphmodel.analysis.calibration`)."""

from __future__ import annotations

from graphmodel.dictionary.core import Column

__all__ = ["SUMMARY_COLUMNS"]

_CALIBRATION = "generator.md#calibration"
_COLUMNS = "reference/columns.md"

SUMMARY_COLUMNS: tuple[Column, ...] = (
    # -- stats ----------------------------------------------------------------------------
    Column(
        "kind",
        "Whether the row counts nodes (node) or relationships (relationship).",
        "text",
        "",
        ("stats",),
        "graph.md#graphmodel-stats",
    ),
    Column(
        "name",
        "The node label (User, Streamer, ...) or relationship type (WATCHED, "
        "REFERRED, ...) counted.",
        "text",
        "",
        ("stats",),
        "graph.md#graphmodel-stats",
    ),
    Column(
        "count",
        "Nodes with the label, or relationships of the type; REFERRED is counted "
        "from the derived referral edges.",
        "count",
        "",
        ("stats",),
        "graph.md#graphmodel-stats",
    ),
    # -- calibration ----------------------------------------------------------------------
    Column(
        "target",
        "The calibration target: a published figure of real livestream "
        "platforms the generator's defaults are tuned to (gmv_per_user_day, "
        "average_order_value, daily_active_share, ...).",
        "text",
        "",
        ("calibration",),
        _CALIBRATION,
    ),
    Column(
        "value",
        "The target measured on the log, in the target's unit (yuan, minutes, a "
        "share or an elasticity); null (verdict n/a) when the log cannot measure it (no "
        "purchases, no shares, too few streams...).",
        "as the target",
        "per target, e.g. gmv_per_user_day = sum of purchase amounts / (active users x "
        "days); every definition: graphmodel.analysis.calibration",
        ("calibration",),
        _CALIBRATION,
    ),
    Column(
        "target_value",
        "The published figure the target aims at.",
        "as the target",
        "",
        ("calibration",),
        _CALIBRATION,
    ),
    Column(
        "low",
        "Lower end of the band accepted as calibrated.",
        "as the target",
        "",
        ("calibration",),
        _CALIBRATION,
    ),
    Column(
        "high",
        "Upper end of the band accepted as calibrated.",
        "as the target",
        "",
        ("calibration",),
        _CALIBRATION,
    ),
    Column(
        "tolerance",
        "The accepted band, as text (+-10%, band 60-120, <= 0.13, ...).",
        "text",
        "",
        ("calibration",),
        _CALIBRATION,
    ),
    Column(
        "verdict",
        "ok when the measured value lies in the band, off when it does not, "
        "n/a when the log cannot measure the target.",
        "text",
        "ok if low <= value <= high",
        ("calibration",),
        _CALIBRATION,
    ),
    Column(
        "source",
        "Where the target comes from: the publication and its figure.",
        "text",
        "",
        ("calibration",),
        _CALIBRATION,
    ),
    # -- explain --------------------------------------------------------------------------
    Column("column", "A column's name, as commands print it.", "text", "", ("explain",), _COLUMNS),
    Column("meaning", "What the column's cells hold.", "text", "", ("explain",), _COLUMNS),
    Column("unit", "The column's unit.", "text", "", ("explain",), _COLUMNS),
    Column(
        "formula",
        "How the column is computed, in the notation of the model.",
        "text",
        "",
        ("explain",),
        _COLUMNS,
    ),
    Column(
        "docs",
        "The page and section of the documentation that explains the column.",
        "text",
        "",
        ("explain",),
        _COLUMNS,
    ),
    Column(
        "commands",
        "The commands (with the options that choose the table) that print the column.",
        "text",
        "",
        ("explain",),
        _COLUMNS,
    ),
)
