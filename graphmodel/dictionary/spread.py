"""The columns of viral spread: ``spread`` (docs/spread.md) and ``check-inference``
(docs/your-data.md, "How good inference is").

The per-cascade metrics are those of `graphmodel.model.cascades`; the other
views are built in `graphmodel.analysis.cascades` and
`graphmodel.analysis.inference_check`.
"""

from __future__ import annotations

from graphmodel.dictionary.core import Column

__all__ = ["SPREAD_COLUMNS"]

_CASCADE = "spread --by cascade"
_EDGES = "spread --edges FILE"
_STREAM = "spread --by stream"
_USER = "spread --by user"
_DATASET = "spread --by dataset"
_CHECK = "check-inference"

_PER_CASCADE = "spread.md#per-cascade"
_PER_STREAM_USER = "spread.md#per-stream-and-per-user"
_INFERENCE = "your-data.md#how-good-inference-is"


def _channel(name: str, label: str) -> Column:
    return Column(
        f"ch_{name}",
        f"The cascade's REFERRED edges whose share went out on {label} (share channel {name}).",
        "count",
        "the five ch_ columns of a cascade sum to size - 1",
        (_CASCADE,),
        _PER_CASCADE,
    )


SPREAD_COLUMNS: tuple[Column, ...] = (
    # -- per cascade ----------------------------------------------------------------------
    Column(
        "root_id",
        "The cascade's root: the user who shared in the stream without having "
        "been referred there; with --edges, the one node without a parent.",
        "id",
        "",
        (_CASCADE, _EDGES),
        "spread.md#what-a-cascade-is",
    ),
    Column(
        "cascade_id",
        "The cascade, by the id the edge list gives it.",
        "id",
        "",
        (_EDGES,),
        "spread.md#bring-your-own-cascades",
    ),
    Column(
        "size",
        "Users in the cascade, the root included (n).",
        "count",
        "n = 1 + the cascade's REFERRED edges",
        (_CASCADE, _EDGES),
        _PER_CASCADE,
    ),
    Column(
        "depth",
        "The longest path from the root to a user, in edges; 0 for a cascade of one user.",
        "count",
        "",
        (_CASCADE, _EDGES),
        _PER_CASCADE,
    ),
    Column(
        "max_breadth",
        "The most users at one depth of the tree, the root's depth 0 included (so at least 1).",
        "count",
        "",
        (_CASCADE, _EDGES),
        _PER_CASCADE,
    ),
    Column(
        "structural_virality",
        "Mean shortest-path distance over all pairs of users of the "
        "undirected tree (Goel et al. 2016): near 2 for a broadcast, larger for a chain of "
        "person-to-person shares; null for n = 1.",
        "edges",
        "2 W / (n (n - 1)), W the Wiener index = sum over edges of s (n - s), s the size "
        "of the subtree below the edge",
        (_CASCADE, _EDGES),
        _PER_CASCADE,
    ),
    Column(
        "leaves",
        "Users with no children in the tree; for n = 1 the root is a leaf.",
        "count",
        "",
        (_CASCADE, _EDGES),
        _PER_CASCADE,
    ),
    Column(
        "t50_s",
        "Seconds from the root's first share in the stream until at least half "
        "of the cascade's users had arrived, each at its referred watch; 0 for n = 1. "
        "With --edges, from delay_s, null without it.",
        "s",
        "the ceil(0.5 n)-th smallest arrival time, the root arriving at 0",
        (_CASCADE, _EDGES),
        _PER_CASCADE,
    ),
    Column(
        "t90_s",
        "Seconds from the root's first share in the stream until at least 90% of "
        "the cascade's users had arrived, each at its referred watch; 0 for n = 1. With "
        "--edges, from delay_s, null without it.",
        "s",
        "the ceil(0.9 n)-th smallest arrival time, the root arriving at 0",
        (_CASCADE, _EDGES),
        _PER_CASCADE,
    ),
    _channel("douyin", "Douyin itself"),
    _channel("wechat", "WeChat"),
    _channel("weibo", "Weibo"),
    _channel("qq", "QQ"),
    _channel("other", "another channel"),
    # -- per stream -----------------------------------------------------------------------
    Column(
        "viewers",
        "Users who watched the stream (at least one watch).",
        "count",
        "",
        (_STREAM, "value --by stream"),
        _PER_STREAM_USER,
    ),
    Column("sharers", "Users who shared in the stream.", "count", "", (_STREAM,), _PER_STREAM_USER),
    Column(
        "cascades",
        "Cascades started in the stream: its sharers who were not referred there.",
        "count",
        "",
        (_STREAM,),
        _PER_STREAM_USER,
    ),
    Column(
        "reach",
        "Users who arrived in the stream through a share: its REFERRED edges.",
        "count",
        "sum over the stream's cascades of (size - 1)",
        (_STREAM,),
        _PER_STREAM_USER,
    ),
    Column(
        "reach_share",
        "The share of the stream's viewers who arrived through a share; null without viewers.",
        "share 0-1",
        "reach / viewers",
        (_STREAM,),
        _PER_STREAM_USER,
    ),
    Column(
        "largest_cascade",
        "Size of the largest cascade started in the stream, or rooted "
        "by the user; 0 when there is none.",
        "count",
        "max of size",
        (_STREAM, _USER),
        _PER_STREAM_USER,
    ),
    Column(
        "max_depth",
        "The greatest depth of the stream's cascades (0 when it has none) or, "
        "with --by dataset, of all cascades (null when there is none).",
        "count",
        "max of depth",
        (_STREAM, _DATASET),
        _PER_STREAM_USER,
    ),
    # -- per user -------------------------------------------------------------------------
    Column("shares", "The user's share events.", "count", "", (_USER,), _PER_STREAM_USER),
    Column(
        "cascades_started",
        "Cascades the user roots: streams where the user shared "
        "without having been referred there.",
        "count",
        "",
        (_USER,),
        _PER_STREAM_USER,
    ),
    Column(
        "reach",
        "Users in the cascades the user roots, the user left out.",
        "count",
        "sum over those cascades of (size - 1)",
        (_USER,),
        _PER_STREAM_USER,
    ),
    Column(
        "downstream",
        "Users referred anywhere below the user, in any stream and at any "
        "position, root or not; so downstream >= reach, and a referred user who shares "
        "again has downstream but no reach.",
        "count",
        "sum over streams of (the user's subtree size - 1)",
        (_USER,),
        _PER_STREAM_USER,
    ),
    # -- per data set ---------------------------------------------------------------------
    Column(
        "cascades",
        "Cascades: in the table summed up (--by dataset), or made by the row's "
        "referrals (check-inference).",
        "count",
        "",
        (_DATASET, _CHECK),
        _PER_STREAM_USER,
    ),
    Column(
        "nodes",
        "Users over all cascades (a user in two cascades counts twice).",
        "count",
        "sum of size",
        (_DATASET,),
        _PER_STREAM_USER,
    ),
    Column(
        "edges",
        "Edges over all cascades.",
        "count",
        "nodes - cascades",
        (_DATASET,),
        _PER_STREAM_USER,
    ),
    Column(
        "min_size",
        "The smallest cascade size; null without cascades.",
        "count",
        "min of size",
        (_DATASET,),
        _PER_STREAM_USER,
    ),
    Column(
        "mean_size",
        "Mean cascade size; null without cascades.",
        "count",
        "mean of size",
        (_DATASET, _CHECK),
        _PER_STREAM_USER,
    ),
    Column(
        "max_size",
        "The largest cascade size; null without cascades.",
        "count",
        "max of size",
        (_DATASET,),
        _PER_STREAM_USER,
    ),
    Column(
        "mean_depth",
        "Mean cascade depth; null without cascades.",
        "count",
        "mean of depth",
        (_DATASET,),
        _PER_STREAM_USER,
    ),
    Column(
        "mean_virality",
        "Mean structural virality over the cascades of two users or more; null if there is none.",
        "edges",
        "mean of structural_virality, n >= 2",
        (_DATASET, _CHECK),
        _PER_STREAM_USER,
    ),
    Column(
        "median_t50_s",
        "Median t50_s over the cascades with known times; null if none.",
        "s",
        "median of t50_s",
        (_DATASET,),
        _PER_STREAM_USER,
    ),
    Column(
        "median_t90_s",
        "Median t90_s over the cascades with known times; null if none.",
        "s",
        "median of t90_s",
        (_DATASET,),
        _PER_STREAM_USER,
    ),
    # -- check-inference ------------------------------------------------------------------
    Column(
        "mode",
        "How the row's REFERRED edges were made: recorded (the log's own "
        "via_share, the truth, first row), or inferred by the social graph (social) or by "
        "time alone (time).",
        "text",
        "",
        (_CHECK,),
        _INFERENCE,
    ),
    Column(
        "window_s",
        "The inference window: only a share at most this long before the "
        "arrival is credited; null for the recorded row.",
        "s",
        "",
        (_CHECK,),
        _INFERENCE,
    ),
    Column("edges", "REFERRED edges the row's rule makes.", "count", "", (_CHECK,), _INFERENCE),
    Column(
        "correct",
        "Inferred edges the recorded ones confirm: the same sharer, user and stream.",
        "count",
        "",
        (_CHECK,),
        _INFERENCE,
    ),
    Column(
        "precision",
        "The share of inferred edges that are correct; null without inferred edges.",
        "share 0-1",
        "correct / edges",
        (_CHECK,),
        _INFERENCE,
    ),
    Column(
        "recall",
        "The share of recorded edges found.",
        "share 0-1",
        "correct / recorded edges",
        (_CHECK,),
        _INFERENCE,
    ),
    Column(
        "f1",
        "The harmonic mean of precision and recall; 0 when both are 0 or nothing was inferred.",
        "share 0-1",
        "2 P R / (P + R)",
        (_CHECK,),
        _INFERENCE,
    ),
    Column(
        "single_share",
        "The share of cascades of one user (a share that brought nobody).",
        "share 0-1",
        "cascades of size 1 / cascades",
        (_CHECK,),
        _INFERENCE,
    ),
    Column(
        "size_ks",
        "Kolmogorov-Smirnov distance between the recorded and the row's "
        "distributions of cascade size: the largest gap between their cumulative shares; "
        "0 for the recorded row.",
        "share 0-1",
        "max over sizes x of |F_recorded(x) - F_row(x)|",
        (_CHECK,),
        _INFERENCE,
    ),
    Column(
        "top10_overlap",
        "How many of the recorded top-10 sharers by reach the row's top "
        "10 holds (the recorded row: how many users with reach it has, at most 10).",
        "count",
        "",
        (_CHECK,),
        _INFERENCE,
    ),
)
