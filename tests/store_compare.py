"""The two stores agree: every table of the log and the referral forest, compared exactly."""

import pandas as pd

from graphmodel.analysis.social import follow_edges
from graphmodel.schema import TABLE_NAMES


def assert_stores_agree(mem, neo) -> None:
    """``mem`` and ``neo`` hold the same log: tables (follows as FOLLOWS edges) and referrals."""
    for name in TABLE_NAMES:
        a, b = mem.table(name), neo.table(name)
        if name == "follows":  # friend pairs may come back in the other direction
            a, b = follow_edges(a), follow_edges(b)
        key = list(a.columns[:2]) if name != "events" else ["event_id"]
        a = a.sort_values(key, kind="mergesort").reset_index(drop=True)
        b = b.sort_values(key, kind="mergesort").reset_index(drop=True)
        pd.testing.assert_frame_equal(a, b, check_dtype=True, obj=name)
    pd.testing.assert_frame_equal(mem.referrals(), neo.referrals())
