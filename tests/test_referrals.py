"""REFERRED edges by the first-arrival rule (MODEL.md section 3), on hand-made events."""

import pandas as pd

from graphmodel.eventlog import EventLog
from graphmodel.model.referrals import REFERRAL_COLUMNS, derive_referrals, first_arrivals


def _events(rows):
    cols = ["event_id", "user_id", "stream_id", "type", "at", "seconds", "channel", "via_share"]
    df = pd.DataFrame(rows, columns=cols)
    return EventLog.from_frames({"events": df}).events


T = "2024-03-01T20:{:02d}:00"

EVENTS = _events([
    # u1 watches organically, shares on wechat at :05
    ("e1", "u1", "s1", "watch", T.format(1), 600, None, None),
    ("e2", "u1", "s1", "share", T.format(5), None, "wechat", None),
    # u2 arrives through u1's share (first arrival): edge u1 -> u2
    ("e3", "u2", "s1", "watch", T.format(6), 300, None, "e2"),
    ("e4", "u2", "s1", "share", T.format(8), None, "qq", None),
    # u3 arrives through u2's share: edge u2 -> u3
    ("e5", "u3", "s1", "watch", T.format(9), 60, None, "e4"),
    # u4 first arrives organically, later through u1's share: no edge
    ("e6", "u4", "s1", "watch", T.format(2), 60, None, None),
    ("e7", "u4", "s1", "watch", T.format(7), 60, None, "e2"),
    # u5 arrives through u1's share but in stream s2 it has no share: no cross-stream edges
    ("e8", "u5", "s1", "watch", T.format(10), 30, None, "e2"),
    ("e9", "u5", "s2", "watch", T.format(10), 30, None, None),
])


def test_first_arrival_is_the_earliest_watch_per_user_and_stream():
    first = first_arrivals(EVENTS)
    assert sorted(first["event_id"]) == ["e1", "e3", "e5", "e6", "e8", "e9"]


def test_edges_follow_the_first_arrival_rule():
    r = derive_referrals(EVENTS)
    assert list(r.columns) == REFERRAL_COLUMNS
    got = list(zip(r["referrer_id"], r["user_id"], r["stream_id"], r["share_id"], r["channel"]))
    assert got == [
        ("u1", "u2", "s1", "e2", "wechat"),
        ("u2", "u3", "s1", "e4", "qq"),
        ("u1", "u5", "s1", "e2", "wechat"),
    ]
    # the edge's time is the referred user's arrival
    assert r["at"].tolist() == [pd.Timestamp(T.format(m)) for m in (6, 9, 10)]


def test_ties_in_time_are_broken_by_event_id():
    ev = _events([
        ("e1", "u1", "s1", "watch", T.format(1), 60, None, None),
        ("e2", "u1", "s1", "share", T.format(2), None, "weibo", None),
        ("e4", "u2", "s1", "watch", T.format(3), 60, None, None),
        ("e3", "u2", "s1", "watch", T.format(3), 60, None, "e2"),
    ])
    r = derive_referrals(ev)
    assert r["user_id"].tolist() == ["u2"] and r["share_id"].tolist() == ["e2"]


def test_no_shares_no_edges():
    ev = _events([("e1", "u1", "s1", "watch", T.format(1), 60, None, None)])
    assert derive_referrals(ev).empty
