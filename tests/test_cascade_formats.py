"""`spread --edges` on the published formats of public cascade data sets: Twitter15/16 tree
folders (Ma, Gao and Wong 2017) and DeepHawkes Weibo cascades (Cao et al. 2017).

The fixtures under tests/fixtures/cascades/ are written by hand from the formats'
descriptions, with one line for each rule of graphmodel/analysis/cascade_formats.py; the
metrics below are worked out by hand.
"""

import gzip
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from graphmodel.analysis.cascade_formats import detect_format, read_twitter_trees, read_weibo
from graphmodel.analysis.edgelist import edge_cascades, read_edges
from graphmodel.cli.main import main

FIXTURES = Path(__file__).parent / "fixtures" / "cascades"
TREES = FIXTURES / "tree"
WEIBO = FIXTURES / "weibo.txt"
TWITTER15 = Path("/work/shared/data/twitter15.csv.gz")


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def doc(*args):
    r = run(*args, "--format", "json")
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout), r.stderr


def by_id(rows):
    return {r["cascade_id"]: r for r in rows}


def test_twitter_trees_rules_and_metrics():
    d, err = doc("spread", "--edges", TREES)
    assert d["meta"]["format"] == "twitter-tree"
    # 100.txt: line 4 repeats line 3; line 6 is 4 -> 4; line 7 gives the root 1 a parent;
    # line 8 names 2 a second time; line 9 comes from 9, never connected to the root;
    # line 5: 4 at 0.5 min arrives before its parent 2 at 1.0 min.
    # 300.txt: the root is at 2.0 min, so 6 at 1.5 min rebases to -30 s, clamped to 0;
    # line 5 repeats the ROOT line.
    assert d["meta"]["quirks"] == {
        "duplicate_lines": 2,
        "self_loops": 1,
        "root_parent_lines": 1,
        "second_parents": 1,
        "unreachable": 1,
        "negative_delays_clamped": 1,
        "children_before_parents": 1,
    }
    notes = [line for line in err.splitlines() if line.startswith("note: twitter-tree")]
    assert len(notes) == 8 and "3 cascade(s), 6 edge(s)" in notes[0]
    assert "100.txt line 4" in notes[1] and "300.txt line 2" in notes[6]
    rows = by_id(d["rows"])
    # 100: 1 -> 2 (60 s), 1 -> 3 (150 s), 2 -> 4 (30 s); distances 1,1,2,2,1,3 -> 10 / 6
    c = rows["100"]
    assert (c["root_id"], c["size"], c["depth"], c["max_breadth"], c["leaves"]) == ("1", 4, 2, 2, 2)
    assert c["structural_virality"] == pytest.approx(10 / 6)
    assert (c["t50_s"], c["t90_s"]) == (30, 150)  # times 0, 30, 60, 150
    # 200: the root alone
    c = rows["200"]
    assert (c["root_id"], c["size"], c["depth"], c["structural_virality"]) == ("7", 1, 0, None)
    # 300: 5 -> 6 (0 s), 5 -> 7 (60 s), 7 -> 8 (120 s); distances 1,1,2,2,3,1 -> 10 / 6
    c = rows["300"]
    assert (c["root_id"], c["size"], c["depth"], c["max_breadth"], c["leaves"]) == ("5", 4, 2, 2, 2)
    assert c["structural_virality"] == pytest.approx(10 / 6)
    assert (c["t50_s"], c["t90_s"]) == (0, 120)  # times 0, 0, 60, 120
    assert [r["cascade_id"] for r in d["rows"]] == ["100", "300", "200"]


def test_weibo_rules_and_metrics():
    d, err = doc("spread", "--edges", WEIBO)
    assert d["meta"]["format"] == "weibo"
    # line 1: 10/13:200 lists 13 again; 10/13/13 is a self-loop; 10/15/16: 15 never
    # retweeted, so 16 hangs from 10; 10/13/17:20 arrives before 13 (30 s); 9 paths
    # against retweet_number 6. line 3: 30/31:-5 clamped; 30/31/30 ends at the root.
    assert d["meta"]["quirks"] == {
        "self_loops": 1,
        "root_retweets": 1,
        "repeated_retweeters": 1,
        "missing_prefix_users": 1,
        "unreachable": 0,
        "negative_times_clamped": 1,
        "children_before_parents": 1,
        "retweet_number_mismatch": 1,
    }
    assert sum(line.startswith("note: weibo") for line in err.splitlines()) == 8
    rows = by_id(d["rows"])
    # 1: 10 -> 11, 13, 16; 11 -> 12, 14; 13 -> 17. Distances from 10: 1,1,1,2,2,2 (9);
    # 11: 2,2,1,1,3 (9); 13: 2,3,3,1 (9); 16: 3,3,3 (9); 12: 2,4 (6); 14: 4 -> 46 / 21
    c = rows["1"]
    assert (c["root_id"], c["size"], c["depth"], c["max_breadth"], c["leaves"]) == (
        "10",
        7,
        2,
        3,
        4,
    )
    assert c["structural_virality"] == pytest.approx(46 / 21)
    assert (c["t50_s"], c["t90_s"]) == (60, 300)  # times 0, 20, 30, 60, 90, 120, 300
    c = rows["2"]
    assert (c["size"], c["depth"], c["structural_virality"]) == (1, 0, None)
    # 3: 30 -> 31 (0 s) -> 32 (50 s): distances 1, 2, 1 -> 4 / 3
    c = rows["3"]
    assert (c["root_id"], c["size"], c["depth"], c["max_breadth"], c["leaves"]) == (
        "30",
        3,
        2,
        1,
        1,
    )
    assert c["structural_virality"] == pytest.approx(4 / 3)
    assert (c["t50_s"], c["t90_s"]) == (0, 50)


def test_dataset_view_and_top_work_on_raw_formats():
    d, _ = doc("spread", "--edges", WEIBO, "--by", "dataset")
    row = d["rows"][0]
    assert (row["cascades"], row["nodes"], row["edges"], row["max_size"]) == (3, 11, 8, 7)
    assert d["meta"]["by"] == "dataset" and d["meta"]["quirks"]["self_loops"] == 1
    d, _ = doc("spread", "--edges", TREES, "--top", 1)
    assert len(d["rows"]) == 1 and d["meta"]["top"] == 1
    assert run("spread", "--edges", TREES, "--by", "user").exit_code == 2


def test_the_readers_return_the_edge_frame_of_read_edges():
    edges = read_weibo(WEIBO)
    assert list(edges.columns) == ["cascade_id", "parent_id", "child_id", "delay_s"]
    assert edge_cascades(edges, validate=True)["size"].sum() == 11
    trees = read_twitter_trees(FIXTURES)  # the folder holding tree/ works too
    assert trees.attrs["quirks"]["duplicate_lines"] == 2


def test_auto_detection(tmp_path):
    assert detect_format(TREES) == "twitter-tree"
    assert detect_format(WEIBO) == "weibo"
    assert detect_format(tmp_path / "e.csv.gz") == "csv"
    other = tmp_path / "notes.txt"
    other.write_text("just text\n")
    r = run("spread", "--edges", other)
    assert r.exit_code == 2 and "--edges-format" in r.stderr
    # forcing the format reads the file as asked
    d, _ = doc("spread", "--edges", WEIBO, "--edges-format", "weibo")
    assert d["meta"]["format"] == "weibo"


def one_error(path, *extra):
    r = run("spread", "--edges", path, *extra)
    assert r.exit_code == 2, r.output
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), r.stderr
    assert r.stdout == "" and "Traceback" not in r.output
    return lines[0]


@pytest.mark.parametrize(
    ("lines", "bad", "expected"),
    [
        (["['1', '9', '0.5']->['2', '9', '1.0']"], 1, "first line's parent must be"),
        (["['1', '9', '0.0']->['2', '9', '1.0'"], 2, "not a tree line"),
        (["['1', '9', '0.0']->['2', '9', 'soon']"], 2, "child delay 'soon' is not a number"),
        (["['1', '9', 'x']->['2', '9', '1.0']"], 2, "parent delay 'x' is not a number"),
        (["['', '9', '0.0']->['2', '9', '1.0']"], 2, "the parent's user id is empty"),
        (["['ROOT', 'ROOT', '0.0']->['3', '9', '1.0']"], 2, "a second line from ROOT"),
    ],
)
def test_a_tree_line_that_does_not_parse_is_one_line_exit_2(tmp_path, lines, bad, expected):
    folder = tmp_path / "tree"
    folder.mkdir()
    (folder / "8.txt").write_text("['ROOT', 'ROOT', '0.0']->['1', '8', '0.0']\n")
    first = [] if "first line" in expected else ["['ROOT', 'ROOT', '0.0']->['1', '9', '0.0']"]
    (folder / "9.txt").write_text("\n".join(first + lines) + "\n")
    out = tmp_path / "out.json"
    line = one_error(folder, "--out", out)
    assert f"{folder / '9.txt'}, line {bad}: " in line and expected in line
    assert not out.exists()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1\t10\t0\t1\n", "line 2: 4 tab-separated field(s), expected 5"),
        ("1\t10\tnoon\t1\t10:0\n", "line 2: field publish_time 'noon' is not a number"),
        ("1\t10\t0\tmany\t10:0\n", "line 2: field retweet_number 'many' is not a count"),
        ("1\t10\t0\t2\t10:0 10/11\n", "line 2: field retweets, path 2 '10/11': no ':time'"),
        ("1\t10\t0\t2\t10:0 10/11:x\n", "path 2 '10/11:x': time 'x' is not a number"),
        ("1\t10\t0\t2\t10:0 10//11:5\n", "path 2 '10//11:5': an empty user id"),
        ("1\t10\t0\t2\t10:0 12/11:5\n", "the path starts at '12', not at the root user '10'"),
        ("\t10\t0\t1\t10:0\n", "line 2: field message_id is empty"),
        ("5\t50\t0\t1\t50:0\n", "line 2: field message_id '5' repeats line 1"),
    ],
)
def test_a_weibo_line_that_does_not_parse_is_one_line_exit_2(tmp_path, text, expected):
    f = tmp_path / "cascades.txt"
    f.write_text("5\t50\t0\t1\t50:0\n" + text)
    line = one_error(f, "--edges-format", "weibo")
    assert f"error: {f}, line 2: " in line and expected in line


def test_missing_paths_are_one_line(tmp_path):
    assert "no such file" in one_error(tmp_path / "none.txt", "--edges-format", "weibo")
    empty = tmp_path / "empty"
    empty.mkdir()
    assert "no <id>.txt tree files" in one_error(empty)


def write_trees(edges: pd.DataFrame, folder: Path) -> None:
    """Write an edge list back out in the release's tree format (delays in minutes)."""
    folder.mkdir(parents=True, exist_ok=True)
    for cid, g in edges.groupby("cascade_id", sort=False):
        children = set(g["child_id"])
        root = next(p for p in g["parent_id"] if p not in children)
        minutes = dict(zip(g["child_id"], g["delay_s"] / 60.0, strict=True))
        minutes[root] = 0.0
        lines = [f"['ROOT', 'ROOT', '0.0']->['{root}', '{cid}', '0.0']"]
        lines += [
            f"['{p}', '{cid}', '{minutes[p]!r}']->['{c}', '{cid}', '{minutes[c]!r}']"
            for p, c in zip(g["parent_id"], g["child_id"], strict=True)
        ]
        (folder / f"{cid}.txt").write_text("\n".join(lines) + "\n")


@pytest.mark.skipif(not TWITTER15.exists(), reason="the Twitter15 edge list is not on this machine")
def test_twitter15_trees_read_raw_give_the_metrics_of_the_csv(tmp_path):
    with gzip.open(TWITTER15, "rt") as f:
        edges = pd.read_csv(f, dtype={"cascade_id": str, "parent_id": str, "child_id": str})
    keep = edges["cascade_id"].drop_duplicates().iloc[::100]  # 15 cascades
    part = edges[edges["cascade_id"].isin(keep)].reset_index(drop=True)
    part.to_csv(tmp_path / "part.csv", index=False)
    write_trees(part, tmp_path / "tree")
    raw = read_twitter_trees(tmp_path / "tree")
    assert all(v == 0 for v in raw.attrs["quirks"].values())
    expected = edge_cascades(read_edges(tmp_path / "part.csv"))
    got = edge_cascades(raw)
    pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=1e-12)
    assert np.array_equal(got["size"], expected["size"]) and len(got) == 15


def test_edges_format_without_edges_is_refused(tiny_dir):
    r = run("spread", "--source", tiny_dir, "--edges-format", "weibo")
    assert r.exit_code == 2 and r.stdout == ""
    assert r.stderr.splitlines() == ["error: --edges-format goes with --edges PATH"]
