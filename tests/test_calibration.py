"""Calibration targets and the feedback measure on tiny hand-made logs, computed by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from graphmodel.analysis.calibration import COLUMNS, TARGETS, calibration, measure
from graphmodel.analysis.feedback import feedback_correlation, history_exposure
from graphmodel.eventlog import EventLog, read_log, validate_frames, write_log

D1, D2 = "2024-01-01T{}:00", "2024-01-02T{}:00"
EVENT_COLUMNS = [
    "event_id",
    "user_id",
    "stream_id",
    "type",
    "at",
    "seconds",
    "count",
    "amount",
    "product_id",
    "channel",
    "via_share",
]


def event(
    eid,
    user,
    stream,
    typ,
    at,
    seconds=None,
    count=None,
    amount=None,
    product=None,
    channel=None,
    via=None,
):
    return (eid, user, stream, typ, at, seconds, count, amount, product, channel, via)


def platform(events, ad_spend=None, streamers=None) -> EventLog:
    frames = {
        "users": pd.DataFrame({"user_id": ["u1", "u2", "u3", "u4"]}),
        "streamers": pd.DataFrame(
            streamers
            if streamers is not None
            else {"streamer_id": ["st1", "st2"], "commission_rate": [0.2, 0.3]}
        ),
        "advertisers": pd.DataFrame({"advertiser_id": ["a1"]}),
        "streams": pd.DataFrame(
            {
                "stream_id": ["s1", "s2", "s3"],
                "streamer_id": ["st1", "st2", "st1"],
                "started_at": [D1.format("10:00"), D1.format("14:00"), D2.format("10:00")],
                "ended_at": [D1.format("12:00"), D1.format("16:00"), D2.format("12:00")],
            }
        ),
        "products": pd.DataFrame(
            {"product_id": ["p1", "p2"], "advertiser_id": ["a1", "a1"], "price": [50.0, 100.0]}
        ),
        "events": pd.DataFrame(events, columns=EVENT_COLUMNS),
    }
    if ad_spend is not None:
        frames["ad_spend"] = pd.DataFrame(ad_spend)
    return EventLog.from_frames(frames)


# Day 1, stream s1: u1 watches 30 min, comments, buys p1 (50), shares on wechat; u2 arrives
# through that share, watches 10 min and shares again; u3 arrives through u2's share, watches
# 20 min, comments three times and buys p2 (100). Stream s2: u1 watches 60 min, comments once,
# buys p2 (100) and shares on qq; nobody comes.
# Day 2, stream s3: u4 watches 40 min, comments twice, buys p1 (50); u2 watches 5 min and taps
# like 5 times.
EVENTS = [
    event("e01", "u1", "s1", "watch", D1.format("10:00"), seconds=1800),
    event("e02", "u1", "s1", "comment", D1.format("10:05")),
    event("e03", "u1", "s1", "purchase", D1.format("10:10"), amount=50.0, product="p1"),
    event("e04", "u1", "s1", "share", D1.format("10:15"), channel="wechat"),
    event("e05", "u2", "s1", "watch", D1.format("10:20"), seconds=600, via="e04"),
    event("e06", "u2", "s1", "share", D1.format("10:25"), channel="douyin"),
    event("e07", "u3", "s1", "watch", D1.format("10:30"), seconds=1200, via="e06"),
    event("e08", "u3", "s1", "comment", D1.format("10:31")),
    event("e09", "u3", "s1", "comment", D1.format("10:32")),
    event("e10", "u3", "s1", "comment", D1.format("10:33")),
    event("e11", "u3", "s1", "purchase", D1.format("10:40"), amount=100.0, product="p2"),
    event("e12", "u1", "s2", "watch", D1.format("14:00"), seconds=3600),
    event("e13", "u1", "s2", "comment", D1.format("14:10")),
    event("e14", "u1", "s2", "purchase", D1.format("14:20"), amount=100.0, product="p2"),
    event("e15", "u1", "s2", "share", D1.format("14:30"), channel="qq"),
    event("e16", "u4", "s3", "watch", D2.format("10:00"), seconds=2400),
    event("e17", "u4", "s3", "comment", D2.format("10:01")),
    event("e18", "u4", "s3", "comment", D2.format("10:02")),
    event("e19", "u4", "s3", "purchase", D2.format("10:10"), amount=50.0, product="p1"),
    event("e20", "u2", "s3", "watch", D2.format("10:15"), seconds=300),
    event("e21", "u2", "s3", "like", D2.format("10:16"), count=5),
]
AD_SPEND = {"advertiser_id": ["a1", "a1"], "stream_id": ["s1", "s2"], "spend": [10.0, 5.0]}


@pytest.fixture
def tiny() -> EventLog:
    log = platform(EVENTS, AD_SPEND)
    assert len(validate_frames(log)) == 0
    return log


def row(table: pd.DataFrame, name: str) -> pd.Series:
    return table.set_index("target").loc[name]


def test_table_has_one_row_per_target_and_the_documented_columns(tiny):
    table = calibration(tiny)
    assert list(table.columns) == COLUMNS
    assert list(table["target"]) == [t.name for t in TARGETS]
    assert table["source"].str.len().gt(10).all()


def test_values_computed_by_hand(tiny):
    m = measure(tiny)
    # users with an event: u1..u4, N = 4; period 2024-01-01..02, D = 2
    # GMV = 50 + 100 + 100 + 50 = 300 yuan; 300 / (4 x 2) = 37.5
    assert m["gmv_per_user_day"] == pytest.approx(37.5)
    # four orders: 300 / 4 = 75
    assert m["average_order_value"] == pytest.approx(75.0)
    # watching user-days: (u1, d1) 30 + 60 = 90 min, (u2, d1) 10, (u3, d1) 20, (u4, d2) 40,
    # (u2, d2) 5: 165 / 5 = 33 min
    assert m["watch_minutes_per_watching_user_day"] == pytest.approx(33.0)
    # DAU: day 1 u1, u2, u3 = 3; day 2 u4, u2 = 2; mean 2.5 / N 4 = 0.625
    assert m["daily_active_share"] == pytest.approx(0.625)
    # (0.2 + 0.3) / 2
    assert m["mean_commission_rate"] == pytest.approx(0.25)
    # ad spend 10 + 5 = 15 over 3 + 2 = 5 DAU-days = 3 yuan; 15 / 300 = 0.05 of GMV
    assert m["ad_spend_per_dau_day"] == pytest.approx(3.0)
    assert m["ad_spend_to_gmv"] == pytest.approx(0.05)
    # shares e04, e06, e15: e04 brought u2 who shared (e06); e06 brought u3 who did not
    # share; e15 brought nobody. 2 of 3 drew no further share
    assert m["shares_without_reshare"] == pytest.approx(2 / 3)
    # per stream (comments, GMV): s1 (4, 150), s2 (1, 100), s3 (2, 50)
    # x = ln 4, ln 1, ln 2; mean ln 2; deviations ln 2, -ln 2, 0
    # y = ln 150, ln 100, ln 50; cov = ln 2 (ln 150 - ln 100) / 3 = ln 2 ln 1.5 / 3
    # var = 2 (ln 2)^2 / 3; slope = ln 1.5 / (2 ln 2) = 0.2925
    assert m["gmv_comment_elasticity"] == pytest.approx(math.log(1.5) / (2 * math.log(2)))


def test_verdicts_compare_the_value_with_the_band(tiny):
    verdicts = calibration(tiny).set_index("target")["verdict"].to_dict()
    assert verdicts == {
        "gmv_per_user_day": "off",  # 37.5 > 26.1
        "average_order_value": "ok",  # 75 in 60-120
        "watch_minutes_per_watching_user_day": "off",  # 33 < 47
        "daily_active_share": "ok",  # 0.625 in 0.45-0.65
        "mean_commission_rate": "ok",
        "ad_spend_per_dau_day": "off",  # 3 > 1.49
        "ad_spend_to_gmv": "ok",  # 0.05 <= 0.13
        "shares_without_reshare": "off",  # 0.667 < 0.90
        "gmv_comment_elasticity": "ok",  # 0.29 in 0.14-0.44
    }


def test_target_bands():
    t = {x.name: x for x in TARGETS}
    assert t["gmv_per_user_day"].target_value == pytest.approx(8660 / 365)
    assert (t["gmv_per_user_day"].low, t["gmv_per_user_day"].high) == pytest.approx(
        (0.9 * 8660 / 365, 1.1 * 8660 / 365)
    )
    assert (t["average_order_value"].low, t["average_order_value"].high) == (60, 120)
    assert (
        t["watch_minutes_per_watching_user_day"].low,
        t["watch_minutes_per_watching_user_day"].high,
    ) == (47, 77)
    assert t["ad_spend_to_gmv"].high == 0.13


def test_an_empty_log_measures_nothing():
    table = calibration(EventLog.from_frames({}))
    assert table["value"].isna().all()
    assert (table["verdict"] == "n/a").all()


def test_missing_tables_give_n_a_for_their_targets_only():
    no_ads_no_shares = [e for e in EVENTS if e[3] != "share" and e[10] is None]
    table = calibration(platform(no_ads_no_shares)).set_index("target")
    for name in ("ad_spend_per_dau_day", "ad_spend_to_gmv", "shares_without_reshare"):
        assert table.loc[name, "verdict"] == "n/a" and math.isnan(table.loc[name, "value"])
    assert table.loc["average_order_value", "verdict"] == "ok"


def test_no_purchases_and_too_few_streams():
    watches = [e for e in EVENTS if e[3] == "watch" and e[10] is None]
    table = calibration(
        platform(watches, streamers={"streamer_id": ["st1", "st2"], "commission_rate": [0.2, 0.3]})
    )
    table = table.set_index("target")
    for name in ("gmv_per_user_day", "average_order_value", "gmv_comment_elasticity"):
        assert table.loc[name, "verdict"] == "n/a"
    assert table.loc["watch_minutes_per_watching_user_day", "value"] == pytest.approx(
        (90 + 40 + 5) / 3
    )


def test_a_log_read_from_disk_measures_the_same(tiny, tmp_path):
    back = read_log(write_log(tiny, tmp_path / "log", fmt="csv"))
    pd.testing.assert_frame_equal(calibration(back), calibration(tiny))


# --- feedback ---------------------------------------------------------------

# Day 1 (stream s1): u1 watches and likes, comments, buys (3 interactions); u2 watches and
# likes (1); u3 only watches (0). Day 2 (stream s3): the platform shows u1 three streams,
# u2 two and u3 one; u3 also arrives through u1's share, which is not an exposure.
FEEDBACK_EVENTS = [
    event("f01", "u1", "s1", "watch", D1.format("10:00"), seconds=600),
    event("f02", "u1", "s1", "like", D1.format("10:01"), count=3),
    event("f03", "u1", "s1", "comment", D1.format("10:02")),
    event("f04", "u1", "s1", "purchase", D1.format("10:03"), amount=50.0, product="p1"),
    event("f05", "u2", "s1", "watch", D1.format("10:00"), seconds=600),
    event("f06", "u2", "s1", "like", D1.format("10:05"), count=1),
    event("f07", "u3", "s1", "watch", D1.format("10:00"), seconds=600),
    event("f08", "u1", "s3", "watch", D2.format("10:00"), seconds=60),
    event("f09", "u1", "s3", "watch", D2.format("10:10"), seconds=60),
    event("f10", "u1", "s3", "watch", D2.format("10:20"), seconds=60),
    event("f11", "u1", "s3", "share", D2.format("10:21"), channel="wechat"),
    event("f12", "u2", "s3", "watch", D2.format("10:00"), seconds=60),
    event("f13", "u2", "s3", "watch", D2.format("10:10"), seconds=60),
    event("f14", "u3", "s3", "watch", D2.format("10:30"), seconds=60, via="f11"),
    event("f15", "u3", "s3", "watch", D2.format("10:40"), seconds=60),
]


def test_history_and_exposure_by_hand():
    log = platform(FEEDBACK_EVENTS)
    assert len(validate_frames(log)) == 0
    sample = history_exposure(log).set_index("user_id")
    # day 1 (index 1): history = interactions on day 0; exposures = watches without via_share
    assert sample["day"].tolist() == [1, 1, 1]
    assert sample["history"].to_dict() == {"u1": 3, "u2": 1, "u3": 0}
    assert sample["exposures"].to_dict() == {"u1": 3, "u2": 2, "u3": 1}


def test_feedback_correlation_by_hand():
    log = platform(FEEDBACK_EVENTS)
    # ranks agree exactly: Spearman 1
    assert feedback_correlation(log) == pytest.approx(1.0)
    # Pearson of H = (3, 1, 0) and E = (3, 2, 1): deviations (5/3, -1/3, -4/3) and (1, 0, -1);
    # cov 3, sum of squares 42/9 and 2: r = 3 / sqrt(42/9 x 2) = 0.98198
    assert feedback_correlation(log, "pearson") == pytest.approx(3 / math.sqrt(42 / 9 * 2))


def test_feedback_correlation_needs_two_days():
    one_day = [e for e in FEEDBACK_EVENTS if e[4].startswith("2024-01-01")]
    assert math.isnan(feedback_correlation(platform(one_day)))
    assert math.isnan(feedback_correlation(EventLog.from_frames({})))
    with pytest.raises(ValueError):
        feedback_correlation(platform(FEEDBACK_EVENTS), method="kendall")
