"""`graphmodel spread` as a user runs it, on the tiny log (values by hand, docs/spread.md)."""

import json

from click.testing import CliRunner

from graphmodel.cli.main import main


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def rows(*args):
    r = run(*args, "--format", "json")
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def test_by_cascade(tiny_dir):
    doc = rows("spread", "--source", tiny_dir)
    first = doc["rows"][0]
    # (s1, u1): u1 -> u2, u3 (e03 wechat); u2 -> u4 (e07 weibo); W = 2*2 + 1*3 + 1*3 = 10
    assert (first["stream_id"], first["root_id"], first["size"], first["depth"]) == ("s1", "u1", 4, 2)
    assert abs(first["structural_virality"] - 20 / 12) < 1e-12
    assert (first["t50_s"], first["t90_s"], first["ch_wechat"], first["ch_weibo"]) == (120, 1200, 2, 1)
    assert doc["rows"][1]["size"] == 1 and doc["rows"][1]["structural_virality"] is None
    assert doc["meta"]["command"] == "spread" and doc["meta"]["by"] == "cascade"


def test_by_stream_user_dataset_and_top(tiny_dir):
    streams = rows("spread", "--source", tiny_dir, "--by", "stream")["rows"]
    assert [(s["stream_id"], s["reach"]) for s in streams] == [("s1", 3), ("s2", 0), ("s3", 0)]
    users = rows("spread", "--source", tiny_dir, "--by", "user", "--top", 1)
    assert len(users["rows"]) == 1 and users["rows"][0]["user_id"] == "u1"
    assert users["meta"]["top"] == 1
    summary = rows("spread", "--source", tiny_dir, "--by", "dataset")["rows"]
    assert summary == [{**summary[0], "cascades": 2, "nodes": 5, "max_size": 4}]


def test_edges_file(tmp_path):
    f = tmp_path / "edges.csv"
    f.write_text("cascade_id,parent_id,child_id,delay_s\nc1,a,b,10\nc1,a,c,20\nc1,c,d,30\n")
    doc = rows("spread", "--edges", f)
    assert doc["rows"][0]["size"] == 4 and doc["rows"][0]["t90_s"] == 30
    assert run("spread", "--edges", f, "--by", "user").exit_code == 2


def test_a_malformed_tree_is_one_line_exit_2(tmp_path):
    f = tmp_path / "edges.csv"
    f.write_text("cascade_id,parent_id,child_id\nc1,a,b\nc1,b,a\n")
    r = run("spread", "--edges", f)
    assert r.exit_code == 2 and "c1" in r.stderr and "Traceback" not in r.output


def test_edges_and_a_source_together_is_a_user_error(tiny_dir, tmp_path):
    f = tmp_path / "edges.csv"
    f.write_text("cascade_id,parent_id,child_id\nc1,a,b\n")
    assert run("spread", "--edges", f, "--source", tiny_dir).exit_code == 2
