"""The referral forest: derived ``REFERRED`` edges ([docs/model.md, section 3][model-3]).

User ``w``'s *first arrival* in stream ``s`` is ``w``'s earliest watch event
in ``s`` (ties broken by ``event_id``). If that watch has a ``via_share``
pointing to a share by ``u``, the edge ``(u)-[:REFERRED]->(w)`` exists, with
the stream, the share's event id, the arrival time and the share's channel.
Only a first arrival makes an edge, so every edge runs from an earlier
arrival to a later one and the edges of one stream form a forest (each user
has at most one referrer per stream).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["REFERRAL_COLUMNS", "first_arrivals", "derive_referrals"]

#: Columns of the referral table, one row per ``REFERRED`` edge.
REFERRAL_COLUMNS = ["referrer_id", "user_id", "stream_id", "share_id", "at", "channel", "how"]


def first_arrivals(events: pd.DataFrame) -> pd.DataFrame:
    """Each user's first watch event per stream: ``user_id, stream_id, event_id, at, via_share``.

    Vectorised: watches are ordered by (user, stream, time) with integer keys;
    the rare groups whose earliest time is shared by several watches are
    settled by the smallest ``event_id``. O(n log n).
    """
    cols = ["user_id", "stream_id", "event_id", "at", "via_share"]
    w = events.loc[events["type"] == "watch", cols]
    if w.empty:
        return w.reset_index(drop=True)
    users, _ = pd.factorize(w["user_id"])
    streams, _ = pd.factorize(w["stream_id"])
    key = users.astype(np.int64) * (int(streams.max()) + 1) + streams
    at = w["at"].to_numpy().astype("datetime64[ns]").view(np.int64)
    order = np.lexsort((at, key))
    k, t = key[order], at[order]
    start = np.r_[True, k[1:] != k[:-1]]
    group = np.cumsum(start) - 1
    pick = order[start]
    tie_next = np.r_[(k[1:] == k[:-1]) & (t[1:] == t[:-1]), False]
    tied = np.flatnonzero(tie_next[start])  # groups whose first time is shared
    if len(tied):
        first_time = t[start]
        mask = np.isin(group, tied) & (t == first_time[group])
        sub = w.iloc[order[mask]].assign(_group=group[mask], _pos=order[mask])
        best = sub.sort_values(["_group", "event_id"], kind="mergesort").drop_duplicates("_group")
        pick[best["_group"].to_numpy()] = best["_pos"].to_numpy()
    return w.iloc[np.sort(pick)].reset_index(drop=True)


def derive_referrals(events: pd.DataFrame, how: str = "recorded") -> pd.DataFrame:
    """``REFERRED`` edges by the first-arrival rule, sorted by stream, time and user.

    Parameters
    ----------
    events : DataFrame
        The ``events`` table of a valid event log.
    how : str
        How the ``via_share`` links were made, in column ``how``: ``recorded``, or the
        inference mode (``social``, ``time``) of `graphmodel.model.inference`.

    Returns
    -------
    DataFrame
        Columns `REFERRAL_COLUMNS`: ``referrer_id`` (the sharer ``u``),
        ``user_id`` (the referred user ``w``), ``stream_id``, ``share_id``
        (the share's ``event_id``), ``at`` (``w``'s arrival), ``channel``
        (the share's channel) and ``how``.

    Examples
    --------
    >>> import pandas as pd
    >>> events = pd.DataFrame({
    ...     "event_id": ["e1", "e2", "e3", "e4"], "user_id": ["a", "a", "b", "b"],
    ...     "stream_id": ["s"] * 4, "type": ["watch", "share", "watch", "watch"],
    ...     "at": pd.to_datetime(["2024-01-01 20:00", "2024-01-01 20:01",
    ...                           "2024-01-01 20:05", "2024-01-01 20:09"]),
    ...     "via_share": [None, None, "e2", "e2"], "channel": [None, "wechat", None, None]})
    >>> derive_referrals(events)[["referrer_id", "user_id", "share_id", "channel"]]
      referrer_id user_id share_id channel
    0           a       b       e2  wechat
    """
    first = first_arrivals(events)
    referred = first.loc[first["via_share"].notna(), ["user_id", "stream_id", "at", "via_share"]]
    shares = events.loc[events["type"] == "share", ["event_id", "user_id", "channel"]].rename(
        columns={"event_id": "via_share", "user_id": "referrer_id"}
    )
    edges = referred.merge(shares, on="via_share", how="inner").rename(columns={"via_share": "share_id"})
    edges = edges.assign(how=pd.array([how] * len(edges), dtype="string[pyarrow]"))
    edges = edges[REFERRAL_COLUMNS].sort_values(["stream_id", "at", "user_id"], kind="mergesort")
    return edges.reset_index(drop=True)
