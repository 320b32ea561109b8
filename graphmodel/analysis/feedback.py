"""The recommender feedback loop, measured afterwards ([docs/model.md, section 8][model-8]).

The paper (section 3.2) describes a loop: "the more you interact, the more
precise" the recommendations, and the more the platform shows you. In a log
this shows as a correlation between what a user did before a day and how
much the recommender showed them on that day.

Definitions
-----------
A *day* is a calendar day of ``at``; days are numbered from the first day
with an event. For user ``u`` and day ``d``:

- history ``H_{u,d}``: the number of ``u``'s interaction events (like,
  comment, share, purchase) on days before ``d``;
- exposure ``E_{u,d}``: the number of ``u``'s watch events on day ``d``
  without ``via_share``, i.e. the streams the platform (not a friend) brought
  ``u`` to.

The pooled sample is every (user, day) with ``d`` after the first day and
``E_{u,d} >= 1``. `feedback_correlation` is the rank (Spearman) or
linear (Pearson) correlation of ``H`` and ``E`` over it. Without feedback
the number of streams shown on an active day does not depend on history, so
the correlation is near 0; the generator's loop makes it clearly positive
(``tests/test_generator.py``).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from graphmodel.eventlog.log import EventLog

__all__ = ["history_exposure", "feedback_correlation"]


def history_exposure(log: EventLog) -> pd.DataFrame:
    """The pooled (user, day) sample: ``user_id, day, history, exposures``.

    ``day`` counts from 0, the first day with an event; only days after it
    and with at least one recommended watch are included.
    """
    ev = log["events"]
    cols = ["user_id", "day", "history", "exposures"]
    if not len(ev):
        return pd.DataFrame({c: pd.Series([], dtype="int64") for c in cols}).astype(
            {"user_id": "string"}
        )
    day = ev["at"].to_numpy(dtype="datetime64[ns]").astype("datetime64[D]").astype(np.int64)
    day = day - day.min()
    n_days = int(day.max()) + 1
    codes, uniques = pd.factorize(ev["user_id"])
    typ = ev["type"]
    watch = (typ == "watch").fillna(False).to_numpy(dtype=bool)
    organic = watch & ev["via_share"].isna().to_numpy(dtype=bool)
    interaction = (
        typ.isin(["like", "comment", "share", "purchase"]).fillna(False).to_numpy(dtype=bool)
    )
    # exposures per (user, day)
    key_e, n_e = np.unique(
        codes[organic].astype(np.int64) * n_days + day[organic], return_counts=True
    )
    # cumulative interactions per user over days, as of the end of each (user, day)
    key_i, n_i = np.unique(
        codes[interaction].astype(np.int64) * n_days + day[interaction], return_counts=True
    )
    cum = np.cumsum(n_i)
    user_i = key_i // n_days
    starts = np.r_[True, user_i[1:] != user_i[:-1]] if len(key_i) else np.zeros(0, dtype=bool)
    before_user = np.maximum.accumulate(np.where(starts, cum - n_i, 0)) if len(key_i) else cum
    cum_user = cum - before_user
    # history of (u, d) = interactions of u up to day d - 1: last key below u * D + d
    pos = np.searchsorted(key_i, key_e, side="left") - 1
    valid = pos >= 0
    valid[valid] = user_i[pos[valid]] == key_e[valid] // n_days
    history = np.where(valid, cum_user[np.maximum(pos, 0)], 0)
    d = key_e % n_days
    keep = d > 0
    return pd.DataFrame(
        {
            "user_id": pd.Series(np.asarray(uniques)[key_e[keep] // n_days]).astype("string"),
            "day": d[keep],
            "history": history[keep],
            "exposures": n_e[keep],
        }
    )[cols]


def feedback_correlation(log: EventLog, method: str = "spearman") -> float:
    """Correlation of users' interaction history with their exposure (module docstring).

    Parameters
    ----------
    log : EventLog
        Any valid event log spanning at least two days.
    method : {"spearman", "pearson"}
        Rank correlation (ties get average ranks) or linear correlation.

    Returns
    -------
    float
        The pooled correlation of ``H_{u,d}`` and ``E_{u,d}``; NaN with fewer
        than three (user, day) pairs or when either is constant.
    """
    if method not in ("spearman", "pearson"):
        raise ValueError(f"method must be 'spearman' or 'pearson', got {method!r}")
    sample = history_exposure(log)
    if len(sample) < 3:
        return math.nan
    h = sample["history"].astype(float)
    e = sample["exposures"].astype(float)
    if method == "spearman":
        h, e = h.rank(method="average"), e.rank(method="average")
    h, e = h.to_numpy(), e.to_numpy()
    sh, se = h.std(), e.std()
    if sh == 0 or se == 0:
        return math.nan
    return float(np.mean((h - h.mean()) * (e - e.mean())) / (sh * se))
