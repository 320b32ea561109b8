"""graphmodel import live-room on the other formats: danmaku XML and DouyinBarrageGrab packs.

Hand-made fixtures (tests/fixtures/live_room/, described in tests/fixtures/README.md),
hand-checked counts, the broken-XML recovery, the no-user-id rule, every error case
through the CLI (exit 2, one line, nothing written), and validate + value on an import.

danmaku_biliLive.xml (renmu123/biliLive-tools, Douyin; room ...003 from <metadata>;
offsets in seconds from 2023-11-16T02:00:00): uid 2001 comments at 10 and 300, gift
3 x price 100 (1 diamond each) at 25; 2002 comments at 20 and 1500; 2003 comments at 40;
uid "undefined" comments at 100 (no user id); 2004 gift 1 x price 1000 (10 diamonds) at
500. Room end 1500 (last message with a user id). Watches: 2001 10..300 = 290; 2002
20..1500 = 1480; 2003 seen once 40 -> 1500 = 1460; 2004 seen once 500 -> 1500 = 1000;
sum 4230. 5 comments written, 1 without a user id; 2 gift messages, 4 gifts, 13 diamonds.

danmaku_lyzenx.xml (LyzenX/DouyinLiveRecorder): 4 comments, every one with the fixed
placeholder uid 1602022773; two with unescaped & and < (repaired), the root never
closed, a fifth element cut off at the end (dropped).

danmaku_biliup.xml (biliup, plain p, time in seconds, no metadata: the room is the
file's name): 3001 at 0 and 90, 3002 at 30 and 60, uid 0 at 45 and 100. Room end 90.
Watches 3001 = 90, 3002 = 30.

barragegrab.jsonl (HaoDong108/DouyinBarrageGrab packs with a saver's `time` in ms,
offsets from 2023-11-18T09:33:20, room ...7400000000000000001, host 9000): 5001 entry 0,
chat 10, share WeChat 30, chat 600; 5002 like 4 taps 15, follow 20, gift combo 40/41
(repeat 1 then 3 of group 77: 3 gifts of 1 diamond); 5003 gifts at 50 and 55 with
GroupId 0 (no combo: 2 gifts of 10 diamonds), share Douyin friend 70; a Type 6 and a
Type 9 (unmapped); the chat at 10 repeated (same MsgId: dropped). Watches 5001 = 600,
5002 = 26, 5003 = 20.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from graphmodel.cli.main import main
from graphmodel.importers.live_room import pseudonym

FIX = Path(__file__).parent / "fixtures" / "live_room"
BILILIVE, LYZENX, BILIUP = (FIX / f"danmaku_{n}.xml" for n in ("biliLive", "lyzenx", "biliup"))
GRAB = FIX / "barragegrab.jsonl"
ROOM3 = "7300000000000000003"
KEY = {"GRAPHMODEL_PSEUDONYM_KEY": "test-key"}


def run(*args, env=None):
    return CliRunner().invoke(main, [str(a) for a in args], env=env, catch_exceptions=False)


def imported(tmp_path, *files, extra=(), env=KEY, name="out"):
    out = tmp_path / name
    r = run("import", "live-room", *files, "--out", out, *extra, env=env)
    assert r.exit_code == 0, r.output
    return out, r


def events(out):
    return pd.read_csv(out / "events.csv", dtype={"stream_id": str, "user_id": str})


def meta_of(out):
    return json.loads((out / "graphmodel.json").read_text())["live_room"]


def watches(ev):
    w = ev[ev["type"] == "watch"]
    return {(u, s): sec for u, s, sec in zip(w["user_id"], w["stream_id"], w["seconds"])}


def test_biliLive_tools_by_hand(tmp_path):
    out, r = imported(tmp_path, BILILIVE, extra=("--keep-ids", "--keep-text"), env={})
    ev = events(out)
    assert ev["type"].value_counts().to_dict() == {"comment": 5, "watch": 4}
    assert watches(ev) == {
        ("2001", ROOM3): 290,
        ("2002", ROOM3): 1480,
        ("2003", ROOM3): 1460,
        ("2004", ROOM3): 1000,
    }
    assert set(ev["user_id"]) == {"2001", "2002", "2003", "2004"}  # nobody for "undefined"
    streams = pd.read_csv(out / "streams.csv", dtype=str)
    assert streams[["stream_id", "started_at", "ended_at"]].values.tolist() == [
        [ROOM3, "2023-11-16T02:00:10", "2023-11-16T02:25:00"]
    ]
    texts = pd.read_csv(out / "texts.csv")
    assert sorted(texts["text"]) == ["A & B <3", "again", "hello", "late", "only once"]
    m = meta_of(out)
    assert m["gifts"]["messages"] == 2 and m["gifts"]["gifts"] == 4
    assert m["gifts"]["diamonds"] == 13
    d = m["danmaku"]
    assert (
        d["comments"],
        d["anonymous_comments"],
        d["gifts"],
        d["repaired"],
        d["cut_off"],
        d["unclosed"],
    ) == (6, 1, 2, 0, 0, 0)
    f = d["files"]["danmaku_biliLive.xml"]
    assert f["platform"] == "douyin" and f["room"] == ROOM3 and f["room_from"] == "metadata"
    assert set(d["missing"]) == {"likes", "shares", "follows", "entries"}
    assert m["time_units"] == {"danmaku_biliLive.xml": {"timestamp": "ms"}}
    assert m["watch"]["seconds"] == 4230
    assert "1 of 6 comment(s) and 0 gift(s) with no user id" in r.stderr
    assert "danmaku XML has comments (and gifts) only" in r.stderr
    assert "biased low" in r.stderr


def test_plain_p_with_zero_uids(tmp_path):
    out, r = imported(tmp_path, BILIUP, extra=("--keep-ids",), env={})
    ev = events(out)
    assert ev["type"].value_counts().to_dict() == {"comment": 4, "watch": 2}
    assert watches(ev) == {("3001", "danmaku_biliup"): 90, ("3002", "danmaku_biliup"): 30}
    m = meta_of(out)
    assert m["time_units"] == {"danmaku_biliup.xml": {"p[4]": "s"}}
    assert m["danmaku"]["files"]["danmaku_biliup.xml"]["room_from"] == "file name"
    assert m["danmaku"]["anonymous_comments"] == 2
    assert "2 of 6 comment(s)" in r.stderr


def test_broken_lyzenx_file_recovered_but_nobody_in_it(tmp_path):
    from graphmodel.importers.read_danmaku import _parse

    elements, meta, other, info = _parse(LYZENX.read_bytes())
    assert [(a["user"], text, line, repaired) for _, a, text, line, repaired in elements] == [
        ("Amy", "hello", 4, False),
        ("Bo & Co", "hi & bye", 5, True),
        ("Cy", "1 < 2", 6, True),
        ("Amy", "ok", 7, False),
    ]
    assert info == {"root_closed": False, "repaired": 2, "cut_off": 1}
    # alone: every comment carries the placeholder uid, so there is nobody to import
    r = run("import", "live-room", LYZENX, "--out", tmp_path / "x", env=KEY)
    assert r.exit_code == 2 and not (tmp_path / "x").exists()
    assert r.stderr.strip() == (
        "error: no message with a user id: 4 comment(s) carry none (uid empty, 0, or a "
        "recorder's placeholder); a comment with no user id is nobody's event: nothing to "
        "import"
    )
    # beside a file with users: the same events as without it, the recovery counted
    a, _ = imported(tmp_path, BILILIVE, name="a")
    b, r = imported(tmp_path, BILILIVE, LYZENX, name="b")
    assert (a / "events.csv").read_bytes() == (b / "events.csv").read_bytes()
    d = meta_of(b)["danmaku"]
    assert (d["comments"], d["anonymous_comments"], d["repaired"], d["cut_off"], d["unclosed"]) == (
        10,
        5,
        2,
        1,
        1,
    )
    assert d["files"]["danmaku_lyzenx.xml"]["placeholder_uid"] == "1602022773"
    assert (
        "broken XML recovered: 1 file(s) with the root left open, 2 element(s) "
        "repaired, 1 cut off at the end of a file and dropped"
    ) in r.stderr


def test_broken_file_with_users_gives_the_same_log(tmp_path):
    """The biliLive-tools fixture with an unescaped & and no closing root (killed)."""
    text = BILILIVE.read_text(encoding="utf-8")
    broken = text.replace(">again<", ">again & again<").replace("</i>\n", "")
    assert broken != text
    (tmp_path / "in").mkdir()
    f = tmp_path / "in" / "danmaku_biliLive.xml"
    f.write_text(broken, encoding="utf-8")
    a, _ = imported(tmp_path, BILILIVE, name="a")
    b, r = imported(tmp_path, f, name="b")
    assert (a / "events.csv").read_bytes() == (b / "events.csv").read_bytes()
    d = meta_of(b)["danmaku"]
    assert (d["repaired"], d["cut_off"], d["unclosed"]) == (1, 0, 1)
    c, _ = imported(tmp_path, f, extra=("--keep-ids", "--keep-text"), env={}, name="c")
    assert "again & again" in set(pd.read_csv(c / "texts.csv")["text"])


def test_a_shared_uid_under_many_nicknames_is_a_placeholder(tmp_path):
    lines = [
        f'<d p="{i},1,25,1,{1700000000000 + i * 1000},0,77,0" user="n{i % 3}">x</d>'
        for i in range(4)
    ]
    f = tmp_path / "fixed.xml"
    f.write_text("<i>\n" + "\n".join(lines) + "\n</i>\n")
    r = run("import", "live-room", f, "--out", tmp_path / "o", env=KEY)
    assert r.exit_code == 2 and "4 comment(s) carry none" in r.stderr
    # two nicknames for one uid: a user who renamed, still one user
    f.write_text("<i>\n" + "\n".join(x.replace("n2", "n0") for x in lines) + "\n</i>\n")
    out, _ = imported(tmp_path, f, extra=("--keep-ids",), env={})
    assert set(events(out)["user_id"]) == {"77"}


def test_other_elements_counted_and_offsets_from_the_metadata(tmp_path):
    f = tmp_path / "bili.xml"
    f.write_text(
        "<i><metadata><video_start_time>1700000000000</video_start_time>"
        "<room_id>5</room_id></metadata>\n"
        '<d p="12.5,1,25,1,0,0,9,0" user="a">x</d>\n'
        '<sc ts="20" price="30000" uid="9">paid</sc>\n'
        '<d p="30,1,25,1,0,0,9,0" user="a">y</d>\n</i>\n'
    )
    out, r = imported(tmp_path, f, extra=("--keep-ids",), env={})
    ev = events(out)
    assert ev.loc[ev["type"] == "comment", "at"].tolist() == [
        "2023-11-14T22:13:32.500000",
        "2023-11-14T22:13:50.000000",
    ]
    assert watches(ev) == {("9", "5"): 17.5}
    assert meta_of(out)["unknown_kinds"] == {"<sc>": 1}
    assert "1 message(s) of unmapped kind <sc> skipped" in r.stderr


def test_barragegrab_by_hand(tmp_path):
    out, r = imported(tmp_path, GRAB, extra=("--mapping", "barragegrab"))
    ev = events(out)
    assert ev["type"].value_counts().to_dict() == {"watch": 3, "comment": 2, "share": 2, "like": 1}
    assert ev.loc[ev["type"] == "like", "count"].tolist() == [4]
    assert ev.loc[ev["type"] == "share", "channel"].tolist() == ["wechat", "douyin"]
    room = "7400000000000000001"
    p = {u: pseudonym(b"test-key", u) for u in ("5001", "5002", "5003", "9000")}
    assert watches(ev) == {(p["5001"], room): 600, (p["5002"], room): 26, (p["5003"], room): 20}
    follows = pd.read_csv(out / "follows.csv")
    host = "streamer:" + p["9000"]
    assert follows[["follower_id", "followee_id"]].values.tolist() == [[p["5002"], host]]
    assert pd.read_csv(out / "streams.csv")["streamer_id"].tolist() == [host]
    m = meta_of(out)
    assert (m["gifts"]["messages"], m["gifts"]["gifts"], m["gifts"]["diamonds"]) == (4, 5, 23)
    assert m["unknown_kinds"] == {"6": 1, "9": 1}
    assert m["messages"]["duplicates"] == 1 and m["messages"]["entries"] == 1
    assert m["mapping"]["name"] == "barragegrab" and m["mapping"]["payload"] == "Data"
    assert m["time_units"] == {"barragegrab.jsonl": {"time": "ms"}}
    assert "danmaku" not in m


def test_validate_and_value_on_imported_logs(tmp_path):
    for name, files, extra, users in (
        ("dm", (BILILIVE, BILIUP), (), 6),
        ("grab", (GRAB,), ("--mapping", "barragegrab"), 3),
    ):
        out, _ = imported(tmp_path, *files, extra=extra, name=name)
        r = run("validate", out)
        assert r.exit_code == 0 and f"valid event log ({users} users" in r.output, r.output
        r = run("value", "--source", out, "--format", "json")
        assert r.exit_code == 0, r.output
        data = json.loads(r.stdout)
        assert data["rows"][0]["users"] == users
        imported_meta = data["meta"]["imported"]
        if name == "dm":
            assert imported_meta["watch"]["seconds"] == 4230 + 120
            assert imported_meta["danmaku"]["anonymous_comments"] == 3
            assert any("imported from danmaku XML" in n for n in data["meta"]["notes"])
            assert "imported from danmaku XML" in r.stderr
        else:
            assert imported_meta["watch"]["seconds"] == 646
            assert "danmaku" not in imported_meta
            assert "imported from danmaku XML" not in r.stderr


def test_input_format_forced(tmp_path):
    r = run(
        "import", "live-room", BILILIVE, "--input-format", "json", "--out", tmp_path / "o", env=KEY
    )
    assert r.exit_code == 2 and "danmaku_biliLive.xml, line 1: not JSON" in r.stderr
    out, _ = imported(tmp_path, BILILIVE, extra=("--input-format", "danmaku-xml"))
    assert len(events(out)) == 9


def _grab_line(**kw):
    line = json.loads(GRAB.read_text(encoding="utf-8").splitlines()[1])
    for k, v in kw.items():
        if v is None:
            line.pop(k)
        else:
            line[k] = v
    return json.dumps(line, ensure_ascii=False)


D = '<d p="1,1,25,1,1700000000000,0,5,0" user="a">x</d>'
BAD = {
    "xml not recoverable": (
        "bad.xml",
        f"<i>\n{D}\n<<garbage>>\n</i>\n",
        (),
        "bad.xml, line 3: not well-formed XML at column 2",
    ),
    "xml empty": (
        "bad.xml",
        '<?xml version="1.0"?>\n',
        (),
        "bad.xml, line 2: no XML element: not a danmaku file",
    ),
    "p not a number": (
        "bad.xml",
        '<i>\n<d p="soon,1,25,1,1700000000000,0,5,0">x</d>\n</i>',
        (),
        "bad.xml, line 2, field p: offset 'soon' is not a number",
    ),
    "p time not a number": (
        "bad.xml",
        '<i>\n<d p="1,1,25,1,later,0,5,0">x</d>\n</i>',
        (),
        "bad.xml, line 2, field p: time 'later' is not a number",
    ),
    "p too short": (
        "bad.xml",
        f'<i>\n{D}\n<d p="1,1,25">x</d>\n</i>',
        (),
        "bad.xml, line 3, field p: p '1,1,25' has 3 fields",
    ),
    "no p": (
        "bad.xml",
        '<i>\n<d user="a">x</d>\n</i>',
        (),
        "bad.xml, line 2, field p: a <d> element with no p attribute",
    ),
    "broken d without p": (
        "bad.xml",
        f'<i>\n{D}\n<d user="a & b">x</d>\n</i>',
        (),
        "bad.xml, line 3, field p: a broken <d> element with no readable p",
    ),
    "no time anywhere": (
        "bad.xml",
        '<i>\n<d p="1,1,25,1,0,0,5,0">x</d>\n</i>',
        (),
        "bad.xml, line 2, field p: no time",
    ),
    "mixed units": (
        "bad.xml",
        f'<i>\n{D}\n<d p="2,1,25,1,1700000002,0,5,0">x</d>\n</i>',
        (),
        "bad.xml, line 3, field p: time 1700000002 reads as s but line 2",
    ),
    "gift count": (
        "bad.xml",
        f'<i>\n{D}\n<gift giftcount="many" uid="5" timestamp="1700000001000"/>\n</i>',
        (),
        "bad.xml, line 3, field giftcount: gift count 'many' is not a positive",
    ),
    "neither format": (
        "bad.txt",
        "hello\n",
        (),
        "bad.txt, line 1: not JSON at column 1",
    ),
    "data not json": (
        "bad.jsonl",
        _grab_line(Data="{not json") + "\n",
        ("--mapping", "barragegrab"),
        "bad.jsonl, line 1, field Data: the string is not JSON at column 2",
    ),
    "data not a string": (
        "bad.jsonl",
        _grab_line(Data=[1]) + "\n",
        ("--mapping", "barragegrab"),
        "bad.jsonl, line 1, field Data: not a JSON string but list",
    ),
    "no time in a pack": (
        "bad.jsonl",
        _grab_line() + "\n" + _grab_line(time=None) + "\n",
        ("--mapping", "barragegrab"),
        "bad.jsonl, line 2, field time: no time (the field is missing)",
    ),
    "packs without their mapping": (
        "bad.jsonl",
        _grab_line() + "\n",
        (),
        "nothing to import (kinds seen: (no kind: a DouyinBarrageGrab pack? --mapping "
        "barragegrab))",
    ),
    "a mapping for xml": (
        "bad.xml",
        f"<i>{D}</i>",
        ("--input-format", "danmaku-xml", "--mapping", "douyin"),
        "--mapping reads JSON lines: it has no use with --input-format danmaku-xml",
    ),
    "no such mapping": (
        "bad.jsonl",
        _grab_line() + "\n",
        ("--mapping", "grab"),
        "--mapping grab: no such file, and no built-in mapping of that name",
    ),
}


@pytest.mark.parametrize("case", list(BAD), ids=list(BAD))
def test_bad_input(tmp_path, case, monkeypatch):
    monkeypatch.chdir(tmp_path)
    name, content, extra, expected = BAD[case]
    Path(name).write_text(content, encoding="utf-8")
    r = run("import", "live-room", name, "--out", "out", *extra, env=KEY)
    assert r.exit_code == 2, r.output
    err = r.stderr.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: "), r.stderr
    assert expected in err[0], err[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]  # no output, no temporary


def test_builtin_mappings_by_name():
    from graphmodel.importers.mapping import BUILTIN, builtin_mapping

    assert BUILTIN == ("douyin", "barragegrab")
    m = builtin_mapping("barragegrab")
    assert m.payload == "Data" and m.kind_path == "Type"
    assert [m.kinds[k].role for k in ("1", "2", "3", "4", "5", "8")] == [
        "comment",
        "like",
        "entry",
        "social",
        "gift",
        "social",
    ]
    assert m.kinds["4"].social_action(4) == "follow" and m.kinds["8"].social_action(8) == "share"
    assert [m.channel(x) for x in (1, 2, 3, 4, 5, 112, 0)] == [
        "wechat",
        "wechat",
        "weibo",
        "qq",
        "qq",
        "douyin",
        "other",
    ]
    assert builtin_mapping().payload is None


@pytest.mark.parametrize("section", ["### DouyinBarrageGrab packs", "### Danmaku XML"])
def test_the_docs_examples_run(tmp_path, section):
    """The bash block of each section of docs/your-data.md, as written."""
    import os
    import re
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    text = (root / "docs" / "your-data.md").read_text()
    block = re.search(r"```bash\n(.*?)```", text[text.index(section) :], re.S).group(1)
    (tmp_path / "tests").symlink_to(root / "tests")
    shim = f'graphmodel() {{ "{sys.executable}" -m graphmodel "$@"; }}\n'
    env = {**os.environ, "PYTHONPATH": str(root), "GRAPHMODEL_PSEUDONYM_KEY": "k"}
    p = subprocess.run(
        ["bash", "-c", "set -euo pipefail\n" + shim + block],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert p.returncode == 0, p.stderr
    assert "valid event log" in p.stdout


def test_many_repairs_across_chunks_keep_lines_and_values(tmp_path):
    """3,000 elements with an unescaped & (about 300 kB: several parser chunks): the same
    log as the escaped file, and an error after them names its exact line."""
    t0 = 1_700_000_000_000
    rows = [
        f'<d p="{i},1,25,1,{t0 + i * 1000},0,{100 + i % 7},0" user="n{i % 7}">a{i} AMP b</d>'
        for i in range(3000)
    ]
    (tmp_path / "good").mkdir()
    (tmp_path / "broken").mkdir()
    good, broken = tmp_path / "good" / "room.xml", tmp_path / "broken" / "room.xml"
    good.write_text("<i>\n" + "\n".join(r.replace("AMP", "&amp;") for r in rows) + "\n</i>\n")
    broken.write_text("<i>\n" + "\n".join(r.replace("AMP", "&") for r in rows) + "\n</i>\n")
    a, _ = imported(tmp_path, good, extra=("--keep-ids", "--keep-text"), env={}, name="a")
    b, _ = imported(tmp_path, broken, extra=("--keep-ids", "--keep-text"), env={}, name="b")
    for f in ("events.csv", "texts.csv", "streams.csv"):
        assert (a / f).read_bytes() == (b / f).read_bytes(), f
    assert meta_of(b)["danmaku"]["repaired"] == 3000
    assert pd.read_csv(b / "texts.csv")["text"].iloc[-1] == "a2999 & b"
    text = broken.read_text().replace("</i>\n", '<d p="x,1,25">bad</d>\n</i>\n')
    broken.write_text(text)
    r = run("import", "live-room", broken, "--out", tmp_path / "c", env=KEY)
    assert r.exit_code == 2 and not (tmp_path / "c").exists()
    assert "room.xml, line 3002, field p: p 'x,1,25' has 3 fields" in r.stderr


def test_a_payload_must_be_a_top_level_key(tmp_path):
    m = tmp_path / "m.toml"
    m.write_text(
        'kind = "Type"\npayload = "Data.Inner"\n[messages.1]\nas = "comment"\n'
        'user = "Data.User.Id"\ntime = "time"\n'
    )
    r = run("import", "live-room", GRAB, "--out", tmp_path / "o", "--mapping", m, env=KEY)
    assert r.exit_code == 2 and len(r.stderr.splitlines()) == 1
    assert "m.toml: payload = 'Data.Inner': give the top-level key" in r.stderr
    assert not (tmp_path / "o").exists()
