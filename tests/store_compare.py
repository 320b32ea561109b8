"""The two stores agree: every table of the log and the referral forest, compared exactly."""

import numpy as np
import pandas as pd

from graphmodel.model.social import follow_edges
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


def assert_same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    """Integers and ids exactly, floats to 1e-9 (NaN where the other is NaN)."""
    assert list(a.columns) == list(b.columns) and len(a) == len(b)
    for c in a.columns:
        if pd.api.types.is_float_dtype(a[c]):
            x, y = a[c].to_numpy(), b[c].to_numpy()
            assert (np.isnan(x) == np.isnan(y)).all(), c
            ok = ~np.isnan(x)
            np.testing.assert_allclose(x[ok], y[ok], rtol=0, atol=1e-9, err_msg=c)
        else:
            assert a[c].astype(str).tolist() == b[c].astype(str).tolist(), c
            assert a[c].dtype == b[c].dtype, c
