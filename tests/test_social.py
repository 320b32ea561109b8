"""FOLLOWS relationships from the follows table: friend rows go both ways."""

import pandas as pd

from graphmodel.eventlog import EventLog
from graphmodel.model.social import follow_edges


def _follows(rows):
    df = pd.DataFrame(rows, columns=["follower_id", "followee_id", "kind", "since"])
    return EventLog.from_frames({"follows": df}).follows


def test_friend_rows_become_two_relationships_follow_rows_one():
    f = _follows([
        ("u1", "u2", "friend", "2024-01-01"),
        ("u1", "st1", "follow", "2024-01-02"),
        ("u3", "u1", "follow", None),
    ])
    e = follow_edges(f)
    got = set(zip(e["source"], e["target"], e["kind"]))
    assert got == {("u1", "u2", "friend"), ("u2", "u1", "friend"), ("u1", "st1", "follow"),
                   ("u3", "u1", "follow")}


def test_a_friend_pair_recorded_both_ways_is_still_two_relationships():
    f = _follows([("u1", "u2", "friend", "2024-01-03"), ("u2", "u1", "friend", "2024-01-01")])
    e = follow_edges(f)
    assert len(e) == 2
    assert set(e["since"]) == {pd.Timestamp("2024-01-01")}


def test_a_follow_and_a_friendship_between_the_same_people_are_different_relationships():
    f = _follows([("u1", "u2", "friend", None), ("u1", "u2", "follow", None)])
    assert len(follow_edges(f)) == 3


def test_edges_come_sorted_and_the_earliest_since_wins_missing_last():
    f = _follows([
        ("b", "a", "friend", "2024-01-02"),
        ("a", "b", "friend", None),
        ("a", "b", "follow", "2024-01-05"),
        ("b", "a", "friend", "2024-01-01"),
        ("a", "c", "follow", None),
        ("c", "a", "follow", "2024-01-03"),
        ("a", "b", "follow", "2024-01-04"),
        ("a", "c", "follow", "2024-01-06"),
    ])
    e = follow_edges(f)
    got = [(s, t, k, None if pd.isna(w) else str(w.date()))
           for s, t, k, w in e.itertuples(index=False)]
    assert got == [
        ("a", "b", "follow", "2024-01-04"),
        ("a", "b", "friend", "2024-01-01"),
        ("a", "c", "follow", "2024-01-06"),
        ("b", "a", "friend", "2024-01-01"),
        ("c", "a", "follow", "2024-01-03"),
    ]
    assert list(e.index) == list(range(5))
