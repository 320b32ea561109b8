"""`simulate` and `influence` on your own network (`--graph FILE`), through the command line.

Hand-checked graphs: the path a -> b -> c -> d and the star 0 -> 1..5. Under p = 1 every
node reachable from the seeds is active in every run; under p = 0 only the seeds; on the
star with p = 1/2 the spread of the centre is 1 + 5 / 2 = 3.5 (sd sqrt(5) / 2).
"""

import json
import re

import pandas as pd
import pytest
from click.testing import CliRunner

from graphmodel.analysis.diffusion.network import network_graph, read_network
from graphmodel.cli.main import main

PATH_CSV = "source,target\na,b\nb,c\nc,d\n"
STAR_SNAP = (
    "# a star\n# FromNodeId\tToNodeId\tp\n0\t1\t0.5\n0 2 0.5\n0\t3\t0.5\n\n0\t4\t0.5\n0\t5\t0.5\n"
)


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def doc(*args):
    r = run(*args, "--format", "json")
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout), r.stderr


@pytest.fixture
def path_csv(tmp_path):
    f = tmp_path / "path.csv"
    f.write_text(PATH_CSV)
    return f


@pytest.fixture
def star(tmp_path):
    f = tmp_path / "star.txt"
    f.write_text(STAR_SNAP)
    return f


def spread(*args):
    d, _ = doc("simulate", *args)
    return d["rows"][0]


@pytest.mark.parametrize("model", ["ic", "lt"])
def test_a_path_under_p_one_and_p_zero(path_csv, model):
    one = ("--probability", "constant", "--p", 1, "--runs", 50, "--model", model)
    assert spread("--graph", path_csv, "--seeds", "a", *one)["spread"] == 4
    assert spread("--graph", path_csv, "--seeds", "c", *one)["spread"] == 2
    assert spread("--graph", path_csv, "--seeds", "b,d", *one)["spread"] == 3
    zero = ("--probability", "constant", "--p", 0, "--runs", 50, "--model", model)
    row = spread("--graph", path_csv, "--seeds", "a,c", *zero)
    assert (row["spread"], row["sd"]) == (2, 0)
    # weighted cascade: every in-degree is 1, so p = 1 on every edge
    assert spread("--graph", path_csv, "--seeds", "a", "--model", model)["spread"] == 4


def test_the_file_probabilities_are_the_default(star):
    d, err = doc("simulate", "--graph", star, "--seeds", "0", "--runs", 20000, "--seed", 3)
    row = d["rows"][0]
    assert row["probability"] == "file" and d["meta"]["graph"]["format"] == "snap"
    assert abs(row["spread"] - 3.5) < 4 * (5**0.5 / 2) / 20000**0.5
    assert row["ci_low"] < 3.5 < row["ci_high"]
    assert d["meta"]["graph"]["nodes"] == 6 and d["meta"]["graph"]["edges"] == 5
    assert err == ""  # nothing dropped, nothing to note
    # a leaf reaches nobody
    assert spread("--graph", star, "--seeds", "3", "--runs", 50)["spread"] == 1


def test_influence_picks_the_centre(star):
    for method in ("imm", "celf", "degree"):
        d, _ = doc("influence", "--graph", star, "--k", 1, "--method", method, "--runs", 200)
        assert d["rows"][0]["user_id"] == "0", method
    d, _ = doc("influence", "--graph", star, "--k", 6, "--probability", "constant", "--p", 1)
    assert d["rows"][0]["user_id"] == "0" and d["rows"][0]["spread"] == 6


def test_undirected_ties_flow_both_ways(tmp_path):
    f = tmp_path / "ties.txt"
    f.write_text("1 2\n2 3\n")
    one = ("--probability", "constant", "--p", 1, "--runs", 20)
    assert spread("--graph", f, "--seeds", "3", *one)["spread"] == 1
    assert spread("--graph", f, "--seeds", "3", "--undirected", *one)["spread"] == 3


def test_self_loops_and_repeats_are_dropped_and_counted(tmp_path):
    f = tmp_path / "g.tsv"
    f.write_text("source\ttarget\tp\na\tb\t1\nb\tb\t1\na\tb\t0.2\nb\tc\t1\nc\tc\t0\n")
    d, err = doc("simulate", "--graph", f, "--seeds", "a", "--runs", 20)
    g = d["meta"]["graph"]
    assert (g["lines"], g["self_loops"], g["duplicate_edges"], g["edges"]) == (5, 2, 1, 2)
    assert d["rows"][0]["spread"] == 3  # a -> b keeps its first line's p = 1
    assert err.splitlines() == [
        "note: graph: 2 self-loop(s) dropped",
        "note: graph: 1 repeated edge(s) dropped (the first line kept)",
    ]
    assert d["meta"]["notes"] == [line[6:] for line in err.splitlines()]


def test_parquet_and_the_library(tmp_path):
    f = tmp_path / "g.parquet"
    pd.DataFrame({"source": [10, 20], "target": [20, 30], "p": [1.0, 0.0]}).to_parquet(f)
    assert spread("--graph", f, "--seeds", "10", "--runs", 20)["spread"] == 2
    ids, src, dst, p, info = read_network(f)
    assert list(ids) == ["10", "20", "30"] and list(zip(src, dst, strict=True)) == [(0, 1), (1, 2)]
    g = network_graph(f, "wc")
    assert list(g.prob) == [1.0, 1.0] and g.info["probability"] == "wc"


def one_error(*args):
    r = run(*args)
    assert r.exit_code == 2, r.output
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), r.stderr
    assert r.stdout == "" and "Traceback" not in r.output
    return lines[0]


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("g.txt", "# c\n1 2\nx 3\n", "line 3, column 1 (source): 'x' is not a node id"),
        ("g.txt", "1 2\n2 3.5\n", "line 2, column 2 (target): '3.5' is not a node id"),
        ("g.txt", "1 2 0.5\n2 3 1.5\n", "line 2, column 3 (p): '1.5' is not a probability"),
        ("g.txt", "1 2 0.5\n2 3 maybe\n", "line 2, column 3 (p): 'maybe' is not a probability"),
        ("g.txt", "1 2\n2 3 0.5\n", "line 2: 3 fields where the first edge line has 2"),
        ("g.txt", "1 2 3 4\n", "line 1: 4 field(s)"),
        ("g.txt", "# nothing\n", "no edge lines"),
        ("g.csv", "source,target,p\na,b,0.5\nb,c,-1\n", "line 3, column p: '-1' is not a prob"),
        ("g.csv", "source,target\na,b\n,c\n", "line 3, column source: empty id"),
        ("g.csv", "from,to\na,b\n", "missing column(s) source, target"),
    ],
)
def test_a_bad_graph_file_is_one_line_exit_2(tmp_path, name, text, expected):
    f = tmp_path / name
    f.write_text(text)
    out = tmp_path / "out.json"
    line = one_error("simulate", "--graph", f, "--seeds", "1", "--out", out)
    assert f"error: {f}" in line and expected in line
    assert not out.exists()


def test_option_errors(path_csv, tiny_dir, tmp_path):
    assert "not both" in one_error(
        "simulate", "--graph", path_csv, "--source", tiny_dir, "--seeds", "a"
    )
    assert "estimated" in one_error(
        "simulate", "--graph", path_csv, "--seeds", "a", "--probability", "estimated"
    )
    assert "needs a p column" in one_error(
        "influence", "--graph", path_csv, "--probability", "file"
    )
    assert "--graph FILE" in one_error(
        "simulate", "--source", tiny_dir, "--seeds", "u1", "--probability", "file"
    )
    assert "go with --graph FILE" in one_error(
        "simulate", "--source", tiny_dir, "--seeds", "u1", "--undirected"
    )
    assert "unknown seed" in one_error("simulate", "--graph", path_csv, "--seeds", "z")
    assert "no such file" in one_error("simulate", "--graph", tmp_path / "none.csv", "--seeds", "a")


def test_the_examples_of_your_data_md_run():
    """Every `graphmodel spread --edges`, `simulate --graph` and `influence --graph` line of
    the docs page runs (from the repository's root, as the page says)."""
    import shlex
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    page = (root / "docs" / "your-data.md").read_text()
    blocks = re.findall(r"```bash\n(.*?)```", page, flags=re.S)
    commands = [
        line
        for block in blocks
        for line in block.splitlines()
        if line.startswith("graphmodel ") and ("--edges " in line or "--graph " in line)
    ]
    assert len(commands) == 5
    for line in commands:
        args = [str(root / a) if a.startswith("tests/") else a for a in shlex.split(line)[1:]]
        r = run(*args)
        assert r.exit_code == 0, (line, r.output)


def test_snap_ids_are_integers_of_any_length(tmp_path):
    f = tmp_path / "ids.txt"
    f.write_text("007 8\n8 000\n123456789012345678901234567890 7\n")
    ids, src, dst, _, info = read_network(f)
    assert list(ids) == ["7", "8", "123456789012345678901234567890", "0"]
    assert list(zip(src, dst)) == [(0, 1), (1, 3), (2, 0)] and info["format"] == "snap"
