"""Node and relationship counts (MODEL.md section 3) of a Parquet log, counted by Spark."""

from __future__ import annotations

import pandas as pd

from graphmodel.engines.base import STATS_COLUMNS
from graphmodel.model.social import follow_edges
from graphmodel.schema import EVENT_RELATIONSHIP, NODE_LABELS, RELATIONSHIPS

__all__ = ["spark_stats"]


def spark_stats(engine) -> pd.DataFrame:
    """The rows of :meth:`graphmodel.engines.base.Store.stats` for a Spark engine."""
    rows = [("node", label, engine.frame(table).count())
            for label, (table, _) in NODE_LABELS.items()]
    by_type = {r["type"]: r["count"] for r in
               engine.frame("events").groupBy("type").count().collect()}
    counts = {
        "HOSTED": engine.frame("streams").count(),
        "SELLS": engine.frame("products").count(),
        "FOLLOWS": len(follow_edges(engine.table("follows"))),
        "REFERRED": engine.referral_frame.count(),
        "SPONSORED": engine.frame("ad_spend").count(),
        "COMPLETED": engine.frame("task_completions").count(),
    }
    for event_type, rel in EVENT_RELATIONSHIP.items():
        counts[rel] = int(by_type.get(event_type, 0))
    rows += [("relationship", rel, counts[rel]) for rel in RELATIONSHIPS]
    return pd.DataFrame(rows, columns=STATS_COLUMNS).astype({"count": "int64"})
