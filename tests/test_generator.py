"""The generator (MODEL.md section 8): validity, determinism, calibration and each mechanism."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from graphmodel.analysis.calibration import calibration
from graphmodel.analysis.feedback import feedback_correlation
from graphmodel.errors import ParameterError
from graphmodel.eventlog import EventLog, empty_table, read_log, validate_frames, write_log
from graphmodel.generator import GeneratorConfig, generate
from graphmodel.model.referrals import derive_referrals, first_arrivals
from graphmodel.schema import CHANNELS, TABLE_NAMES

SMALL = dict(users=3000, days=3, seed=11)
MID = dict(users=10_000, days=7, seed=0)  # the calibrated mid-size run (defaults)
SWITCH = dict(users=5000, days=7, seed=3)


@functools.cache
def run(**kw) -> EventLog:
    return generate(GeneratorConfig(**kw))


def small() -> EventLog:
    return run(**SMALL)


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


# --- configuration -----------------------------------------------------------


def test_sizes_are_derived_from_users():
    cfg = GeneratorConfig(users=20_000)
    assert (cfg.n_streamers, cfg.n_advertisers, cfg.n_products) == (200, 80, 1600)
    cfg = GeneratorConfig(users=20_000, streamers=7, advertisers=3, products=5)
    assert (cfg.n_streamers, cfg.n_advertisers, cfg.n_products) == (7, 3, 5)
    assert GeneratorConfig(users=1).n_streamers == 1


@pytest.mark.parametrize(
    "options",
    [
        {"users": 0},
        {"users": 2.5},
        {"users": "many"},
        {"days": 0},
        {"seed": -1},
        {"daily_active": 1.5},
        {"commission_mean": 0.0},
        {"price_sigma": float("nan")},
        {"social": "yes"},
        {"feedback": 1},
        {"start": "2024-13-01"},
        {"start": "soon"},
        {"precision_base": 0.9, "precision_max": 0.5},
        {"exposures_per_day": 0.5},
    ],
)
def test_bad_options_raise_parameter_error(options):
    with pytest.raises(ParameterError, match="generator option"):
        GeneratorConfig(**options)


def test_config_records_every_option_in_the_log_meta():
    log = small()
    meta = log.meta["generator"]
    assert log.meta["seed"] == SMALL["seed"]
    assert meta["users"] == 3000 and meta["streamers"] == 30 and meta["start"] == "2024-01-01"
    assert set(meta) >= {"social", "feedback", "tasks", "shares", "ads"}


# --- validity --------------------------------------------------------------


def test_output_passes_the_validator():
    assert len(validate_frames(small())) == 0


def test_output_round_trips_through_the_reader(tmp_path):
    log = small()
    for fmt in ("csv", "parquet"):
        back = read_log(write_log(log, tmp_path / fmt, fmt=fmt))
        for name in TABLE_NAMES:
            pd.testing.assert_frame_equal(back[name], log[name], check_dtype=True)


def test_tables_have_canonical_dtypes_and_whole_second_times():
    log = small()
    for name in TABLE_NAMES:
        assert list(log[name].columns) == list(empty_table(name).columns)
        assert log[name].dtypes.equals(empty_table(name).dtypes), name
    for name, col in [
        ("events", "at"),
        ("streams", "started_at"),
        ("streams", "ended_at"),
        ("follows", "since"),
        ("users", "joined_at"),
        ("task_completions", "at"),
        ("ad_spend", "at"),
    ]:
        t = log[name][col]
        assert t.dtype == "datetime64[ns]"
        assert (t.dt.microsecond == 0).all() and (t.dt.nanosecond == 0).all()


ID_PATTERNS = {
    ("users", "user_id"): r"u\d{6}",
    ("streamers", "streamer_id"): r"st\d{4}",
    ("streams", "stream_id"): r"s\d{6}",
    ("events", "event_id"): r"e\d{7}",
    ("advertisers", "advertiser_id"): r"a\d{3}",
    ("products", "product_id"): r"p\d{4}",
    ("tasks", "task_id"): r"t\d{2}",
}


@pytest.mark.parametrize("table,column", list(ID_PATTERNS))
def test_ids_are_unique_and_formatted(table, column):
    ids = small()[table][column]
    assert ids.is_unique
    assert ids.str.fullmatch(ID_PATTERNS[(table, column)]).all()


def test_id_width_grows_with_the_count():
    log = run(users=1_200_000 // 1000, days=1, streamers=1, advertisers=1, products=12_345)
    assert log.products["product_id"].iloc[-1] == "p12345"


def test_foreign_keys_resolve():
    log = small()
    ev, users = log.events, set(log.users.user_id)
    assert set(ev.user_id) <= users
    assert set(ev.stream_id) <= set(log.streams.stream_id)
    assert set(ev.product_id.dropna()) <= set(log.products.product_id)
    assert set(log.streams.streamer_id) <= set(log.streamers.streamer_id)
    assert set(log.products.advertiser_id) <= set(log.advertisers.advertiser_id)
    assert set(log.follows.follower_id) <= users
    assert set(log.follows.followee_id) <= users | set(log.streamers.streamer_id)
    assert set(log.ad_spend.advertiser_id) <= set(log.advertisers.advertiser_id)
    assert set(log.ad_spend.stream_id) <= set(log.streams.stream_id)
    assert set(log.task_completions.user_id) <= users
    assert set(log.task_completions.task_id) <= set(log.tasks.task_id)


def test_events_lie_inside_their_streams():
    log = small()
    ev = log.events.merge(log.streams, on="stream_id")
    assert (ev["at"] >= ev.started_at).all() and (ev["at"] <= ev.ended_at).all()
    w = ev[ev.type == "watch"]
    assert (w.seconds >= 1).all()
    assert (w["at"] + pd.to_timedelta(w.seconds, unit="s") <= w.ended_at).all()
    # streams start and end on the same day, after they start
    s = log.streams
    assert (s.ended_at > s.started_at).all()
    assert (s.started_at.dt.normalize() == s.ended_at.dt.normalize()).all()


def test_fields_belong_to_their_event_types():
    ev = small().events
    typ = ev["type"]
    assert ev.seconds.notna().eq(typ == "watch").all()
    assert ev["count"].notna().eq(typ == "like").all()
    assert (ev["count"].dropna() >= 1).all()
    assert ev.amount.notna().eq(typ == "purchase").all()
    assert ev.product_id.notna().eq(typ == "purchase").all()
    assert ev.channel.notna().eq(typ == "share").all()
    assert set(ev.channel.dropna()) <= set(CHANNELS)
    assert ev.via_share.isna().where(typ != "watch", True).all()


def test_purchases_pay_the_product_price():
    log = small()
    buys = log.events[log.events.type == "purchase"].merge(log.products, on="product_id")
    assert np.allclose(buys.amount, buys.price)


def test_a_share_comes_strictly_after_the_sharers_first_watch():
    ev = small().events
    first = first_arrivals(ev)[["user_id", "stream_id", "at"]].rename(columns={"at": "first"})
    shares = ev[ev.type == "share"].merge(first, on=["user_id", "stream_id"], how="left")
    assert shares["first"].notna().all()
    assert (shares["at"] > shares["first"]).all()


def test_via_share_points_to_an_earlier_share_of_the_same_stream_by_someone_else():
    ev = small().events
    referred = ev[ev.via_share.notna()]
    assert len(referred) > 100
    shares = ev[ev.type == "share"].set_index("event_id")
    target = shares.loc[referred.via_share]
    assert (target.stream_id.to_numpy() == referred.stream_id.to_numpy()).all()
    assert (target["at"].to_numpy() < referred["at"].to_numpy()).all()  # strictly
    assert (target.user_id.to_numpy() != referred.user_id.to_numpy()).all()


def test_every_referred_watch_is_a_first_arrival():
    ev = small().events
    referred = ev[ev.via_share.notna()]
    assert len(derive_referrals(ev)) == len(referred)
    assert not referred.duplicated(["user_id", "stream_id"]).any()


def test_friend_ties_are_written_once_per_pair():
    f = small().follows
    assert not f.duplicated(["follower_id", "followee_id", "kind"]).any()
    assert (f.follower_id != f.followee_id).all()
    friends = f[f.kind == "friend"]
    assert len(friends) > 0
    pairs = set(zip(friends.follower_id, friends.followee_id, strict=True))
    assert not any((b, a) in pairs for a, b in pairs)
    assert friends.followee_id.str.startswith("u").all()
    assert (f.since < pd.Timestamp("2024-01-01")).all()


def test_commissions_prices_and_rewards_are_in_range():
    log = small()
    assert log.streamers.commission_rate.between(0, 1).all()
    assert (log.products.price > 0).all()
    assert (log.ad_spend.spend >= 0).all() and (log.ad_spend.impressions >= 0).all()
    tc = log.task_completions
    assert (
        not tc.assign(day=tc["at"].dt.normalize()).duplicated(["user_id", "task_id", "day"]).any()
    )
    assert not tc.coupon_redeemed[tc.coupon == 0].any()


# --- determinism -------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_same_seed_gives_identical_bytes(tmp_path, fmt):
    cfg = dict(users=1500, days=2, seed=7)
    a = digests(write_log(generate(GeneratorConfig(**cfg)), tmp_path / "a", fmt=fmt))
    b = digests(write_log(generate(GeneratorConfig(**cfg)), tmp_path / "b", fmt=fmt))
    assert a == b
    c = digests(write_log(generate(GeneratorConfig(**{**cfg, "seed": 8})), tmp_path / "c", fmt=fmt))
    assert a[f"events.{fmt}"] != c[f"events.{fmt}"]
    assert a[f"users.{fmt}"] != c[f"users.{fmt}"]


def test_switching_ads_off_leaves_everything_else_unchanged():
    """Each mechanism draws from its own child generator."""
    on, off = run(**SWITCH), run(**SWITCH, ads=False)
    for name in TABLE_NAMES:
        if name != "ad_spend":
            pd.testing.assert_frame_equal(on[name], off[name])


def test_progress_is_reported_up_to_the_total():
    calls = []
    generate(GeneratorConfig(users=200, days=3), progress=lambda *a: calls.append(a))
    done = [d for _, d, _ in calls]
    assert done == sorted(done) and len(calls) == 3 + 3
    assert calls[-1][1] == calls[-1][2]


# --- calibration at defaults -----------------------------------------------


def test_defaults_meet_every_calibration_target():
    table = calibration(run(**MID))
    off = table[table.verdict != "ok"]
    assert off.empty, off.to_string()


def test_defaults_meet_the_targets_at_another_seed_and_size():
    table = calibration(run(users=20_000, days=7, seed=4))
    off = table[table.verdict != "ok"]
    assert off.empty, off.to_string()


# --- mechanisms, measured by switching each off ----------------------------


def per_user(log: EventLog) -> tuple[float, float]:
    ev = log.events
    n = len(log.users)
    return (
        float(ev.loc[ev.type == "watch", "seconds"].sum() / n),
        float((ev.type == "share").sum() / n),
    )


def test_feedback_loop_is_measurable_and_vanishes_when_off():
    on = feedback_correlation(run(**SWITCH))
    off = feedback_correlation(run(**SWITCH, feedback=False))
    assert on > 0.2
    assert abs(off) < 0.05
    assert on - off > 0.15


def test_tasks_lengthen_watching_and_raise_sharing():
    on, off = run(**SWITCH), run(**SWITCH, tasks=False)
    watch_on, share_on = per_user(on)
    watch_off, share_off = per_user(off)
    assert watch_off < 0.95 * watch_on
    assert share_off < 0.8 * share_on
    assert len(off.tasks) == 0 and len(off.task_completions) == 0
    assert len(on.task_completions) > 0
    kinds = on.task_completions.merge(on.tasks, on="task_id").kind
    assert set(kinds) == {"watch", "share", "comment", "like", "invite"}


def test_no_shares_means_no_share_events_and_no_referrals():
    log = run(**SWITCH, shares=False)
    ev = log.events
    assert not (ev.type == "share").any()
    assert ev.via_share.isna().all()
    assert derive_referrals(ev).empty
    assert (ev.type == "watch").sum() > 0


def test_no_ads_means_no_ad_spend():
    log = run(**SWITCH, ads=False)
    assert len(log.ad_spend) == 0
    assert len(run(**SWITCH).ad_spend) > 0


def test_no_social_graph_means_no_follows_and_shares_reach_nobody():
    log = run(**SWITCH, social=False)
    ev = log.events
    assert len(log.follows) == 0
    assert (ev.type == "share").sum() > 0  # people still share ...
    assert ev.via_share.isna().all()  # ... but nobody arrives through a share
    with_social = run(**SWITCH).events
    assert with_social.via_share.notna().sum() > 1000


def test_shares_reach_contacts_of_the_sharer():
    log = run(**SWITCH)
    r = derive_referrals(log.events)
    f = log.follows
    friend = f[f.kind == "friend"]
    ties = set(zip(friend.follower_id, friend.followee_id, strict=True))
    ties |= {(b, a) for a, b in ties}
    ties |= {(b, a) for a, b in zip(f.follower_id, f.followee_id, strict=True)}  # followers
    assert all((u, w) in ties for u, w in zip(r.referrer_id, r.user_id, strict=True))


def test_comments_drive_gmv_across_streams():
    log = run(**SWITCH, comment_elasticity=0.0)
    flat = calibration(log).set_index("target").loc["gmv_comment_elasticity", "value"]
    steep = calibration(run(**SWITCH)).set_index("target").loc["gmv_comment_elasticity", "value"]
    assert steep > flat + 0.05


@pytest.mark.parametrize(
    "options",
    [
        {"users": 1, "days": 1},
        {"users": 2, "days": 2},
        {"users": 300, "days": 2, "stream_probability": 0.0},
        {
            "users": 300,
            "days": 2,
            "social": False,
            "shares": False,
            "tasks": False,
            "ads": False,
            "feedback": False,
        },
        {"users": 500, "days": 2, "streamers": 1, "advertisers": 1, "products": 1},
    ],
)
def test_edge_configurations_stay_valid(options):
    assert len(validate_frames(generate(GeneratorConfig(**options)))) == 0
