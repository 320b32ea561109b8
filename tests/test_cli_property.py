"""Property test at the command line: a corrupted log gives exit code 2, one line per
problem on stderr, no traceback, and nothing written (neither --out nor into the log folder)."""

import os

from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from test_validate_property import GARBAGE, SETTINGS, bad_cell, tiny_copy

from graphmodel.cli.main import main


def _check(folder, command):
    before = sorted(os.listdir(folder))
    out = folder.parent / "result.json"
    r = CliRunner().invoke(main, [*command, "--source", str(folder), "--format", "json",
                                  "--out", str(out)])
    assert r.exit_code == 2, (r.exit_code, r.output)
    lines = r.stderr.strip().splitlines()
    assert lines and all(line.startswith("error: ") for line in lines)
    assert "Traceback" not in r.output
    assert not out.exists() and sorted(os.listdir(folder.parent)) == ["log"]
    assert sorted(os.listdir(folder)) == before


@SETTINGS
@given(bad_cell(), st.sampled_from([["stats"], ["calibration"]]))
def test_a_corrupted_cell_at_the_cli(case, command):
    table, line, column, value = case
    with tiny_copy() as log:
        log.set_cell(table, line, column, value)
        _check(log.path, command)


@SETTINGS
@given(st.sampled_from(["users", "events", "streams", "follows"]),
       st.binary(min_size=1, max_size=200) | GARBAGE.map(str.encode))
def test_a_garbage_file_at_the_cli(table, data):
    with tiny_copy() as log:
        log.write_bytes(f"{table}.csv", data)
        _check(log.path, ["stats"])
