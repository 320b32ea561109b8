"""Partial logs on the embedded engine, as a user runs them: only events.csv (and perhaps
follows.csv), derived tables computed by hand on the tiny log, the notes, the errors."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest
from click.testing import CliRunner

import graphmodel
from graphmodel.cli.main import main

DERIVED = ["users", "streamers", "advertisers", "streams", "products"]
ABSENT = DERIVED + ["follows", "ad_spend", "tasks", "task_completions"]


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def keep(tiny_dir, dest, *tables, strip_via_share=False):
    dest.mkdir()
    for t in tables:
        shutil.copy(tiny_dir / f"{t}.csv", dest / f"{t}.csv")
    if strip_via_share:
        events = pd.read_csv(dest / "events.csv", dtype=str)
        events["via_share"] = ""
        events.to_csv(dest / "events.csv", index=False)
    return dest


@pytest.fixture
def only_events(tiny_dir, tmp_path):
    return keep(tiny_dir, tmp_path / "only_events", "events")


def test_derived_tables_by_hand(only_events):
    log = graphmodel.read_log(only_events)
    assert log.coverage.derived == tuple(DERIVED)
    assert log.coverage.absent == tuple(ABSENT)
    s = log.streams.set_index("stream_id")
    # s1: first event 20:00 (e01); last end 20:55 (the like e14; the latest watch end is
    # e08's 20:30 + 900 s = 20:45). s2: 19:10 (e15) to e15's end, 19:10 + 3600 s.
    assert s.loc["s1", "started_at"] == pd.Timestamp("2024-03-01 20:00")
    assert s.loc["s1", "ended_at"] == pd.Timestamp("2024-03-01 20:55")
    assert s.loc["s2", "started_at"] == pd.Timestamp("2024-03-02 19:10")
    assert s.loc["s2", "ended_at"] == pd.Timestamp("2024-03-02 20:10")
    assert list(s.index) == ["s1", "s2"]  # s3 had no event
    assert s["streamer_id"].tolist() == ["host:s1", "host:s2"]
    assert log.streamers["commission_rate"].tolist() == [0.0, 0.0]
    assert log.users["user_id"].tolist() == ["u1", "u2", "u3", "u4", "u5", "u6"]
    p = log.products.set_index("product_id")
    assert p["price"].to_dict() == {"p1": 100.0, "p2": 50.0, "p3": 20.0}
    assert p["advertiser_id"].tolist() == ["merchant:p1", "merchant:p2", "merchant:p3"]
    assert log.advertisers["advertiser_id"].tolist() == p["advertiser_id"].tolist()
    assert len(log.ad_spend) == len(log.tasks) == len(log.follows) == 0


def test_data_units_use_the_derived_windows(only_events):
    # u1: s1 two likes (1 each) + a share (5) + the watch e01, 1800 s of the derived 3300 s
    # (1 + 4 x 1800/3300); s2 the watch e17, 1800 s of 3600 s (1 + 4 x 0.5) + a comment (3)
    users = graphmodel.value(graphmodel.MemoryStore.open(only_events), by="user")
    u1 = users.set_index("user_id").loc["u1"]
    assert u1["data_units"] == pytest.approx(
        2 + 5 + 1 + 4 * 1800 / 3300 + 1 + 4 * 0.5 + 3, rel=1e-12
    )
    assert u1["value_returned"] == 0.0


@pytest.mark.parametrize(
    "command",
    [
        ["validate"],
        ["stats"],
        ["value", "--by", "platform"],
        ["spread", "--by", "cascade"],
        ["extraction"],
        ["value", "--by", "actor"],
    ],
)
def test_every_command_runs_on_only_events(only_events, command):
    args = command + ([only_events] if command == ["validate"] else ["--source", only_events])
    r = run(*args)
    assert r.exit_code == 0, r.output
    if command == ["validate"]:
        assert "derived: users, streamers, advertisers, streams, products" in r.stdout
        assert "absent, so empty: follows, ad_spend, tasks, task_completions" in r.stdout
    elif command[0] in ("value", "extraction"):
        assert "note: no ad_spend table: attention value is 0" in r.stderr
        assert "note: no task_completions table: value returned is 0" in r.stderr
        assert "note: streams derived from the events" in r.stderr


def test_the_meta_lists_the_coverage_and_notes(only_events):
    r = run("value", "--by", "platform", "--format", "json", "--source", only_events)
    meta = json.loads(r.stdout)["meta"]
    assert meta["log"] == {
        "absent": ABSENT,
        "derived": DERIVED,
        "referrals": "recorded",
    }
    assert len(meta["notes"]) == 5
    assert [n.split(":")[0] for n in meta["notes"]] == [
        "no ad_spend table",
        "no task_completions table",
        "streams derived from the events (each window runs from its first event to the end of its last)",
        "products derived from the purchases",
        "streamers derived (no streamers table)",
    ]


def test_a_complete_log_has_no_coverage_block(tiny_dir):
    r = run("value", "--by", "platform", "--format", "json", "--source", tiny_dir)
    meta = json.loads(r.stdout)["meta"]
    assert "log" not in meta and "notes" not in meta and "note:" not in r.stderr


def test_events_and_follows_without_via_share_infer_by_the_social_graph(tiny_dir, tmp_path):
    folder = keep(tiny_dir, tmp_path / "ef", "events", "follows", strip_via_share=True)
    r = run("spread", "--by", "cascade", "--format", "json", "--source", folder)
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["meta"]["log"]["referrals"] == "social"
    assert out["meta"]["log"]["inferred_referrals"] == 3
    assert (
        "note: referrals inferred by the social graph (window 30 min, 3 arrivals credited)"
        in r.stderr
    )
    sizes = {(c["stream_id"], c["root_id"]): c["size"] for c in out["rows"]}
    assert sizes == {("s1", "u1"): 4, ("s2", "u6"): 1}  # as recorded
    same = run("spread", "--by", "cascade", "--format", "json", "--source", tiny_dir)
    assert [c["size"] for c in json.loads(same.stdout)["rows"]] == [c["size"] for c in out["rows"]]


def test_without_follows_nothing_is_inferred_unless_asked(tiny_dir, tmp_path):
    folder = keep(tiny_dir, tmp_path / "e", "events", strip_via_share=True)
    r = run("value", "--by", "platform", "--format", "json", "--source", folder)
    meta = json.loads(r.stdout)["meta"]
    assert meta["log"]["referrals"] == "none"
    assert json.loads(r.stdout)["rows"][0]["relational_value"] == 0
    assert "--referrals social or time infers them" in r.stderr
    timed = run(
        "value",
        "--by",
        "platform",
        "--format",
        "json",
        "--source",
        folder,
        "--referrals",
        "time",
        "--referral-window",
        "5min",
    )
    assert json.loads(timed.stdout)["meta"]["log"]["inferred_referrals"] == 3
    assert json.loads(timed.stdout)["rows"][0]["relational_value"] > 0


def test_report_says_what_the_log_lacks(only_events, tmp_path):
    r = run("report", "--source", only_events, "--out", tmp_path / "rep", "--bootstrap", "0", "-q")
    assert r.exit_code == 0, r.output
    html = (tmp_path / "rep" / "report.html").read_text()
    assert "The data: what the log lacks" in html and "Streams derived from the events" in html
    assert "note: streams derived" in r.stderr


# --- bad input: exit 2, one line per problem, nothing written ----------------------------


def test_unknown_stream_still_fails_when_streams_is_given(tiny_dir, tmp_path):
    folder = keep(tiny_dir, tmp_path / "es", "events", "streams")
    with open(folder / "events.csv", "a") as f:
        f.write("e99,u1,s9,like,2024-03-01T20:30:00,,,,,,\n")
    out = tmp_path / "v.csv"
    r = run("value", "--source", folder, "--out", out)
    assert r.exit_code == 2
    assert r.stderr.strip().splitlines() == [
        "error: events.csv line 22, column stream_id: unknown stream_id 's9' "
        "(no such stream_id in streams)"
    ]
    assert not out.exists()


def test_streamers_without_streams_is_one_line(tiny_dir, tmp_path):
    folder = keep(tiny_dir, tmp_path / "x", "events", "streamers")
    r = run("validate", folder)
    assert r.exit_code == 2
    assert r.stderr.strip().splitlines() == [
        "error: streamers.csv: given without a streams table, so no stream names its host: "
        "give streams.csv too, or leave streamers out"
    ]


@pytest.mark.parametrize(
    "rule, message",
    [
        (
            "social",
            "--referrals social: the log has no follows, so no social graph to infer by "
            "(--referrals time infers by time alone)",
        ),
    ],
)
def test_impossible_inference_is_one_line(tiny_dir, tmp_path, rule, message):
    folder = keep(tiny_dir, tmp_path / "e", "events", strip_via_share=True)
    out = tmp_path / "s.csv"
    r = run("stats", "--source", folder, "--referrals", rule, "--out", out)
    assert r.exit_code == 2 and r.stderr.strip() == f"error: {message}" and not out.exists()


def test_inference_on_a_log_without_shares(tiny_dir, tmp_path):
    folder = keep(tiny_dir, tmp_path / "e", "events")
    events = pd.read_csv(folder / "events.csv", dtype=str)
    events = events[events["type"] != "share"].assign(via_share="")
    events.to_csv(folder / "events.csv", index=False)
    r = run("spread", "--source", folder, "--referrals", "time")
    assert r.exit_code == 2
    assert r.stderr.strip() == (
        "error: --referrals time: the log has no share events, so there is nothing to infer"
    )
