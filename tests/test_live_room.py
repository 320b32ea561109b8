"""graphmodel import live-room: hand-made recordings (tests/fixtures/live_room/) with
hand-checked counts, the output log read and valued through the CLI, pseudonyms,
a custom mapping, and every error case (exit 2, one line, nothing written).

room1.jsonl (jwwsjlm/douyinLive output, createTime in ms as strings, room ...001, t0 =
2023-11-14T22:13:20): users 1001 (A), 1002 (B), 1003 (C), 1004 (D), 1005 (E, idStr only).
Offsets in seconds: A entry 0, chat 10, like 5 taps 30, follow 60, share WeChat 70, gift
150 (10 diamonds, no combo), chat 3600; B entry 20, like (no count: 1) 40, share Douyin
friend 120, follow 180, follow again 200, like 2 taps 3000; C entry 90, chat 100, share
without shareType 130; D gift combo 140/141/142 (repeat 1, 2, 3 of one group: 3 gifts of
1 diamond); E chat 170, social action 5 (neither) 210. Unmapped: 2 RoomUserSeq, 1 Control;
one blank line. room2.jsonl (createTime in seconds as numbers, room ...002): A entry 0,
user 1006 (F) chats 5 and 65.

Watches by the estimator (cap 30 min): room1 ends at 3600: A 0..3600 -> 1800 (capped),
B 20..3000 -> 1800 (capped), C 90..130 = 40, D 140..142 = 2, E 170..210 = 40; room2 ends
at 65: A seen once 0 -> room end = 65, F 5..65 = 60. Sum 3807 s, 2 capped, 1 seen once.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from graphmodel.cli.main import main
from graphmodel.importers.live_room import pseudonym
from graphmodel.importers.read_room import time_unit

FIX = Path(__file__).parent / "fixtures" / "live_room"
ROOM1, ROOM2 = FIX / "room1.jsonl", FIX / "room2.jsonl"
R1, R2 = "7300000000000000001", "7300000000000000002"
KEY = {"GRAPHMODEL_PSEUDONYM_KEY": "test-key"}


def run(*args, env=None):
    return CliRunner().invoke(main, [str(a) for a in args], env=env, catch_exceptions=False)


def imported(tmp_path, *extra, files=(ROOM1, ROOM2), env=KEY, name="out"):
    out = tmp_path / name
    r = run("import", "live-room", *files, "--out", out, *extra, env=env)
    assert r.exit_code == 0, r.output
    return out, r


def events(out):
    return pd.read_csv(out / "events.csv", dtype={"stream_id": str, "user_id": str})


def test_counts_by_hand(tmp_path):
    out, r = imported(tmp_path)
    ev = events(out)
    assert ev["type"].value_counts().to_dict() == {"watch": 7, "comment": 6, "like": 3,
                                                   "share": 3}
    assert ev.loc[ev["type"] == "like", "count"].sum() == 8
    assert sorted(ev.loc[ev["type"] == "share", "channel"]) == ["douyin", "other", "wechat"]
    w = ev[ev["type"] == "watch"]
    assert w["seconds"].sum() == 3807
    a = pseudonym(b"test-key", "1001")
    by = {(u, s): sec for u, s, sec in zip(w["user_id"], w["stream_id"], w["seconds"])}
    assert by[(a, R1)] == 1800 and by[(a, R2)] == 65
    assert by[(pseudonym(b"test-key", "1003"), R1)] == 40
    assert by[(pseudonym(b"test-key", "1004"), R1)] == 2
    assert by[(pseudonym(b"test-key", "1005"), R1)] == 40  # the idStr-only user
    assert by[(pseudonym(b"test-key", "1006"), R2)] == 60
    assert ev["via_share"].isna().all()
    follows = pd.read_csv(out / "follows.csv")
    assert len(follows) == 2 and set(follows["followee_id"]) == {f"host:{R1}"}
    streams = pd.read_csv(out / "streams.csv", dtype={"stream_id": str})
    assert streams["stream_id"].tolist() == [R1, R2]
    assert streams["ended_at"].tolist() == ["2023-11-14T23:13:20", "2023-11-14T22:14:25"]
    assert not (out / "users.csv").exists() and not (out / "streamers.csv").exists()
    meta = json.loads((out / "graphmodel.json").read_text())["live_room"]
    assert meta["unknown_kinds"] == {"WebcastControlMessage": 1, "WebcastRoomUserSeqMessage": 2}
    assert meta["gifts"]["messages"] == 4 and meta["gifts"]["gifts"] == 4
    assert meta["gifts"]["diamonds"] == 13
    assert meta["watch"]["cap_s"] == 1800 and meta["watch"]["capped"] == 2
    assert meta["watch"]["seen_once"] == 1 and "bias" in meta["watch"]
    assert meta["messages"]["like_taps"] == 8 and meta["messages"]["follows"] == 3
    assert meta["messages"]["entries"] == 4 and meta["messages"]["social_other"] == 1
    assert meta["time_units"] == {"room1.jsonl": {"common.createTime": "ms"},
                                  "room2.jsonl": {"common.createTime": "s"}}
    assert meta["pseudonymised"] is True
    err = r.stderr
    assert "note: 2 message(s) of unmapped kind WebcastRoomUserSeqMessage skipped" in err
    assert "4 gift(s), 13 diamonds" in err
    # privacy: no raw id, nickname or comment text anywhere in the output
    blob = "".join(p.read_text() for p in out.iterdir())
    for secret in ("1001", "nick1001", "hello there", "bye"):
        assert secret not in blob.replace(R1, "").replace(R2, "")


def test_watch_cap_option(tmp_path):
    out, _ = imported(tmp_path, "--watch-cap", "1h")
    w = events(out).query("type == 'watch'")
    assert w["seconds"].sum() == 3600 + 2980 + 40 + 2 + 40 + 65 + 60


def test_validate_and_value_through_the_cli(tmp_path):
    out, _ = imported(tmp_path)
    r = run("validate", out)
    assert r.exit_code == 0 and "valid event log (6 users, 2 streamers" in r.output
    r = run("value", "--source", out, "--format", "json")
    assert r.exit_code == 0, r.output
    assert "referrals inferred by the social graph" in r.stderr
    assert "note: watch time estimated from live-room recordings (capped at 1800 s" in r.stderr
    data = json.loads(r.stdout)
    assert data["rows"][0]["users"] == 6
    meta = data["meta"]
    assert meta["imported"]["from"] == "live-room"
    assert meta["imported"]["watch"]["seconds"] == 3807
    assert meta["imported"]["gifts"]["diamonds"] == 13
    assert any(n.startswith("watch time estimated") for n in meta["notes"])
    assert meta["log"]["referrals"] == "social"


def test_pseudonyms_stable_and_keyed(tmp_path):
    a, _ = imported(tmp_path, name="a")
    b, _ = imported(tmp_path, name="b")
    c, _ = imported(tmp_path, name="c", env={"GRAPHMODEL_PSEUDONYM_KEY": "other"})
    assert (a / "events.csv").read_bytes() == (b / "events.csv").read_bytes()
    ua, uc = set(events(a)["user_id"]), set(events(c)["user_id"])
    assert len(ua) == len(uc) == 6 and not ua & uc
    keyfile = tmp_path / "key"
    keyfile.write_text("test-key\n")
    d, _ = imported(tmp_path, "--key-file", keyfile, name="d", env={})
    assert set(events(d)["user_id"]) == ua


def test_no_key_refused_keep_ids_and_text(tmp_path):
    r = run("import", "live-room", ROOM1, "--out", tmp_path / "x",
            env={"GRAPHMODEL_PSEUDONYM_KEY": ""})
    assert r.exit_code == 2 and "no pseudonym key" in r.stderr
    assert not (tmp_path / "x").exists()
    out, _ = imported(tmp_path, "--keep-ids", "--keep-text", env={})
    assert set(events(out)["user_id"]) == {"1001", "1002", "1003", "1004", "1005", "1006"}
    texts = pd.read_csv(out / "texts.csv")
    assert sorted(texts["text"]) == ["bye", "first", "hello there", "hi", "only idStr", "second"]
    nick = pd.read_csv(out / "nicknames.csv", dtype=str)
    assert dict(zip(nick["user_id"], nick["nickname"]))["1001"] == "nick1001"


def test_out_not_empty_refused(tmp_path):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x.txt").write_text("keep")
    r = run("import", "live-room", ROOM1, "--out", tmp_path / "full", env=KEY)
    assert r.exit_code == 2 and "not empty" in r.stderr
    assert sorted(p.name for p in (tmp_path / "full").iterdir()) == ["x.txt"]
    (tmp_path / "empty").mkdir()
    imported(tmp_path, name="empty")


TIKTOK = """\
kind = "type"

[fields]
user = "userId"
time = "createTime"
room = "roomId"
host = "hostId"

[messages.chat]
as = "comment"
text = "comment"

[messages.like]
as = "like"
count = "likeCount"

[messages.member]
as = "entry"

[messages.social]
as = "social"
action = "common.displayText.key"
follow = ["*follow*"]
share = ["*share*"]

[channels]
default = "other"
"""


def test_custom_mapping(tmp_path):
    t = 1_700_000_000_000
    lines = [
        {"type": "member", "userId": "77", "createTime": str(t), "roomId": "r1",
         "hostId": "900"},
        {"type": "chat", "userId": "77", "createTime": str(t + 5000), "roomId": "r1",
         "comment": "hey"},
        {"type": "like", "userId": "78", "createTime": t + 6000, "roomId": "r1",
         "likeCount": 4, "totalLikeCount": 4},
        {"type": "social", "userId": "78", "createTime": str(t + 7000), "roomId": "r1",
         "common": {"displayText": {"key": "pm_main_follow_message_viewer_2"}}},
        {"type": "social", "userId": "77", "createTime": str(t + 9000), "roomId": "r1",
         "common": {"displayText": {"key": "pm_mt_guidance_share"}}},
        {"type": "gift", "userId": "77", "createTime": str(t + 9500), "roomId": "r1"},
        {"type": "like", "userId": "78", "createTime": str(t + 20000), "roomId": "r1",
         "likeCount": 1},
    ]
    rec = tmp_path / "tiktok.jsonl"
    rec.write_text("".join(json.dumps(x) + "\n" for x in lines))
    mapping = tmp_path / "tiktok.toml"
    mapping.write_text(TIKTOK)
    out, r = imported(tmp_path, "--mapping", mapping, "--keep-ids", files=(rec,), env={})
    ev = events(out)
    assert ev["type"].value_counts().to_dict() == {"watch": 2, "like": 2, "comment": 1,
                                                   "share": 1}
    assert ev.loc[ev["type"] == "like", "count"].sum() == 5
    assert ev.loc[ev["type"] == "share", "channel"].tolist() == ["other"]
    w = ev[ev["type"] == "watch"].set_index("user_id")["seconds"]
    assert w.to_dict() == {"77": 9.0, "78": 14.0}
    assert pd.read_csv(out / "follows.csv")["followee_id"].tolist() == ["streamer:900"]
    assert pd.read_csv(out / "streams.csv")["streamer_id"].tolist() == ["streamer:900"]
    assert "1 message(s) of unmapped kind gift skipped" in r.stderr
    assert run("validate", out).exit_code == 0


def test_builtin_mapping_ships_as_toml():
    from importlib import resources

    from graphmodel.importers.mapping import builtin_mapping

    assert resources.files("graphmodel.importers").joinpath("douyin.toml").is_file()
    m = builtin_mapping()
    assert m.kinds["WebcastSocialMessage"].social_action("1") == "follow"
    assert m.kinds["WebcastSocialMessage"].social_action("3") == "share"
    assert [m.channel(x) for x in ("1", "2", "3", "4", "5", "112", "9", None)] == [
        "wechat", "wechat", "weibo", "qq", "qq", "douyin", "other", "other"]


def test_time_units():
    assert [time_unit(x)[0] for x in (1.7e9, 1.7e12, 1.7e15, 1.7e18)] == ["s", "ms", "us", "ns"]


def _line(**kw):
    base = {"common": {"roomId": "9", "createTime": "1700000000000"}, "user": {"id": "5"},
            "method": "WebcastChatMessage", "content": "x"}
    for k, v in kw.items():
        if v is None:
            base.pop(k, None)
        else:
            base[k] = v
    return json.dumps(base)


GOOD = _line()
BAD = {
    "truncated": ([GOOD, GOOD[:40]], "bad.jsonl, line 2: the line ends inside a JSON object "
                  "(truncated)"),
    "not json": (["{\"a\": 1,, }"], "bad.jsonl, line 1: not JSON at column 9"),
    "no user": ([GOOD, _line(user=None)], "bad.jsonl, line 2, field user.id/user.idStr: no user id"),
    "no time": ([GOOD, _line(common={"roomId": "9"})],
                "bad.jsonl, line 2, field common.createTime: no time"),
    "mixed units": ([GOOD, GOOD, _line(common={"roomId": "9", "createTime": 1700000100})],
                    "bad.jsonl, line 3, field common.createTime: time 1700000100 reads as s "
                    "but line 1 of this file reads as ms: mixed time units"),
    "bad time": ([_line(common={"roomId": "9", "createTime": "soon"})],
                 "bad.jsonl, line 1, field common.createTime: time 'soon' is not a number"),
    "no room": ([_line(common={"createTime": "1700000000000"})],
                "bad.jsonl, line 1, field common.roomId: no room id"),
    "bad count": ([json.dumps({"common": {"roomId": "9", "createTime": "1700000000000"},
                               "user": {"id": "5"}, "method": "WebcastLikeMessage",
                               "count": "many"})],
                  "bad.jsonl, line 1, field count: like count 'many' is not a whole number"),
    "not an object": (["[1, 2]"], "bad.jsonl, line 1: not a JSON object but list"),
    "two objects on a line": ([GOOD, GOOD + " " + GOOD], "bad.jsonl, line 2: not JSON at column"),
    "two values with a comma": ([GOOD, GOOD + "," + GOOD], "bad.jsonl, line 2: not JSON at column"),
    "only unknown kinds": ([_line(method="WebcastRoomUserSeqMessage")],
                           "no message of a mapped kind"),
}


@pytest.mark.parametrize("case", list(BAD), ids=list(BAD))
def test_bad_input(tmp_path, case, monkeypatch):
    monkeypatch.chdir(tmp_path)
    lines, expected = BAD[case]
    Path("bad.jsonl").write_text("".join(x + "\n" for x in lines))
    r = run("import", "live-room", "bad.jsonl", "--out", "out", env=KEY)
    assert r.exit_code == 2
    err = r.stderr.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: "), r.stderr
    assert expected in err[0], err[0]
    assert not Path("out").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.jsonl"]  # no temporary left


def test_bad_mapping(tmp_path):
    m = tmp_path / "m.toml"
    m.write_text('kind = "type"\n[messages.x]\nas = "tip"\n')
    r = run("import", "live-room", ROOM1, "--out", tmp_path / "o", "--mapping", m, env=KEY)
    assert r.exit_code == 2 and "as = 'tip'" in r.stderr and len(r.stderr.splitlines()) == 1
    assert not (tmp_path / "o").exists()


def test_parquet(tmp_path):
    out, _ = imported(tmp_path, "--format", "parquet")
    assert (out / "events.parquet").exists()
    r = run("validate", out)
    assert r.exit_code == 0 and "19 events" in r.output


def test_standard_library_parser(tmp_path, monkeypatch):
    """Without orjson the same log and the same errors."""
    from graphmodel.importers import read_room

    a, _ = imported(tmp_path, name="a")
    monkeypatch.setattr(read_room, "_loads", json.loads)
    b, _ = imported(tmp_path, name="b")
    assert (a / "events.csv").read_bytes() == (b / "events.csv").read_bytes()
    bad = tmp_path / "bad.jsonl"
    bad.write_text(GOOD + "\n\n" + GOOD[:40] + "\n")
    r = run("import", "live-room", bad, "--out", tmp_path / "c", env=KEY)
    assert r.exit_code == 2
    assert r.stderr.strip().endswith("line 3: the line ends inside a JSON object (truncated)")


def test_the_tutorial_section_runs(tmp_path):
    """The live-room block of docs/tutorial.md, as written, with the figures it states."""
    import os
    import re
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    text = (root / "docs" / "tutorial.md").read_text()
    block = re.search(r"```bash\n(.*?)```", text[text.index("A live room recorded"):],
                      re.S).group(1)
    shim = f'graphmodel() {{ "{sys.executable}" -m graphmodel "$@"; }}\n'
    env = {**os.environ, "PYTHONPATH": str(root)}
    env.pop("GRAPHMODEL_PSEUDONYM_KEY", None)
    p = subprocess.run(["bash", "-c", "set -euo pipefail\n" + shim + block], cwd=tmp_path,
                       env=env, capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    assert "room: valid event log (2 users, 1 streamers" in p.stdout
    ev = events(tmp_path / "room")
    w = ev[ev["type"] == "watch"]["seconds"].tolist()
    assert sorted(w) == [60, 600]
    assert ev.loc[ev["type"] == "like", "count"].tolist() == [7]
    assert ev.loc[ev["type"] == "share", "channel"].tolist() == ["wechat"]


@pytest.mark.parametrize("scale", [1_000_000, 1_000_000_000], ids=["us", "ns"])
def test_fine_time_units_give_a_valid_log(tmp_path, scale):
    t0 = 1_700_000_000 * scale
    offsets = [0, 1.234567891, 7.000000999, 10.5]
    lines = [json.dumps({"common": {"roomId": "9", "createTime": str(t0 + int(o * scale))},
                         "user": {"id": str(5 + i % 2)}, "method": "WebcastChatMessage"})
             for i, o in enumerate(offsets)]
    rec = tmp_path / "fine.jsonl"
    rec.write_text("\n".join(lines) + "\n")
    out, _ = imported(tmp_path, "--keep-ids", files=(rec,), env={})
    meta = json.loads((out / "graphmodel.json").read_text())["live_room"]
    assert meta["time_units"] == {"fine.jsonl": {"common.createTime": "us" if scale == 1_000_000
                                                 else "ns"}}
    r = run("validate", out)
    assert r.exit_code == 0, r.output
    w = events(out).query("type == 'watch'").set_index("user_id")["seconds"]
    assert w["5"] == pytest.approx(7.000000, abs=1e-6) and w["6"] == pytest.approx(9.265433,
                                                                                   abs=1e-6)


def test_overlapping_recordings_count_each_message_once(tmp_path):
    once, _ = imported(tmp_path, files=(ROOM1,), name="once")
    twice, r = imported(tmp_path, files=(ROOM1, ROOM1), name="twice")
    assert (once / "events.csv").read_bytes() == (twice / "events.csv").read_bytes()
    assert "note: 21 message(s) seen before (same room and message id) dropped" in r.stderr
    meta = json.loads((twice / "graphmodel.json").read_text())["live_room"]
    assert meta["messages"]["duplicates"] == 21 and meta["gifts"]["diamonds"] == 13
