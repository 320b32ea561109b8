"""Property tests: however the tiny log is corrupted, reading it fails cleanly.

A corrupted log must raise :class:`~graphmodel.errors.LogError` (a
``UserError``) and nothing else, and every line of the message must be one
problem starting with a table's file name (or the closing "... and N more").
"""

import re
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import TINY, LogFolder
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphmodel.errors import LogError, UserError
from graphmodel.eventlog import read_log, write_log
from graphmodel.schema import TABLE_NAMES, TABLES

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

TABLE_ALTERNATIVES = "|".join(TABLE_NAMES)
LINE = re.compile(
    rf"^({TABLE_ALTERNATIVES})\.(csv|csv\.gz|parquet)( (line|row) \d+)?(, column \w+)?: \S"
)
MORE = re.compile(r"^\.\.\. and \d+ more problem\(s\)$")

DATA_ROWS = {
    n: len((TINY / f"{n}.csv").read_text(encoding="utf-8").splitlines()) - 1 for n in TABLE_NAMES
}
ALL_CELLS = [(t.name, c) for t in TABLES.values() for c in t.columns if DATA_ROWS[t.name]]


@contextmanager
def tiny_copy():
    with tempfile.TemporaryDirectory() as tmp:
        dst = Path(tmp) / "log"
        shutil.copytree(TINY, dst)
        yield LogFolder(dst)


@pytest.fixture(scope="module")
def tiny_parquet(tmp_path_factory) -> Path:
    return write_log(read_log(TINY), tmp_path_factory.mktemp("pq") / "log", fmt="parquet")


def assert_clean_failure(folder: Path, must_fail: bool = True) -> None:
    """``read_log`` raises a well-formed LogError (or, if allowed, succeeds); nothing else."""
    try:
        read_log(folder)
    except LogError as e:
        assert isinstance(e, UserError)
        assert e.problems and e.total >= len(e.problems)
        lines = str(e).split("\n")
        for line in lines:
            assert LINE.match(line) or MORE.match(line), repr(line)
        for p in e.problems:
            assert "\n" not in str(p) and "\r" not in str(p)
        return
    assert not must_fail, "a corrupted log was accepted"


def invalid_values(column) -> st.SearchStrategy[str]:
    """Text that is never a valid value for ``column`` (``""`` only where it is required)."""
    kind = column.kind
    if kind in ("float", "int"):
        bad = [
            "abc",
            "inf",
            "-inf",
            "nan",
            "NaN",
            "1e400",
            "-1e400",
            "99999999999999999999999",
            "1e16",
            "-1",
            "-0.5",
            "1,5",
            "0x10",
            "3 4",
            "\u0663",
        ]
        if kind == "int":
            bad += ["2.5", "1e-3"]
        values = st.sampled_from(bad) | st.text(alphabet="xyz!?-", min_size=1, max_size=5)
    elif kind == "datetime":
        values = st.sampled_from(
            [
                "yesterday",
                "2024-13-01",
                "2024-02-30T10:00:00",
                "01/03/2024",
                "9999-01-01T00:00:00",
                "1000-01-01",
                "2024-03-01T25:00:00",
                "2024-03-01T20:00:00+25:00",
                "1709323200",
            ]
        )
    elif kind == "bool":
        values = st.sampled_from(["maybe", "2", "-1", "t", "y", "truee", "NULL"])
    elif kind == "enum":
        values = st.text(min_size=1, max_size=8).filter(lambda s: s not in column.values)
    elif kind == "id":
        values = st.sampled_from([" ", "  ", "\t"])
    else:
        return st.nothing()
    if column.required:
        values = values | st.just("")
    return values


@st.composite
def bad_cell(draw):
    table, column = draw(st.sampled_from([tc for tc in ALL_CELLS if tc[1].kind != "str"]))
    line = draw(st.integers(2, DATA_ROWS[table] + 1))
    value = draw(invalid_values(column))
    return table, line, column.name, value


@SETTINGS
@given(bad_cell())
def test_an_invalid_cell_always_fails_cleanly(case):
    table, line, column, value = case
    with tiny_copy() as log:
        log.set_cell(table, line, column, value)
        assert_clean_failure(log.path)


GARBAGE = (
    st.sampled_from(
        [
            "",
            " ",
            "-1",
            "-3.5",
            "inf",
            "nan",
            "1e400",
            "99999999999999999999999",
            "true",
            "2024-13-40",
            "9999-01-01T00:00:00",
            "0",
            "\x00",
            "\u00e9",
            '"',
            "\n",
            "\r",
            ",",
            "u999",
            "s9",
            "e03",
            "\ufeff",
        ]
    )
    | st.text(max_size=12)
    | st.integers().map(str)
    | st.floats().map(repr)
)


@SETTINGS
@given(st.sampled_from(ALL_CELLS), st.data(), GARBAGE)
def test_any_value_in_any_cell_never_raises_anything_but_a_log_error(tc, data, value):
    table, column = tc
    line = data.draw(st.integers(2, DATA_ROWS[table] + 1))
    with tiny_copy() as log:
        log.set_cell(table, line, column.name, value)
        assert_clean_failure(log.path, must_fail=False)


NEEDED_BY_EVENT_TYPES = {"seconds", "amount", "product_id", "channel"}


@SETTINGS
@given(st.sampled_from([(t, c) for t, c in ALL_CELLS]))
def test_a_dropped_column_fails_when_it_is_needed(tc):
    table, column = tc
    needed = column.required or (table == "events" and column.name in NEEDED_BY_EVENT_TYPES)
    with tiny_copy() as log:
        log.drop_column(table, column.name)
        assert_clean_failure(log.path, must_fail=needed)


@SETTINGS
@given(st.sampled_from([n for n in TABLE_NAMES if DATA_ROWS[n]]), st.data())
def test_a_duplicated_row_fails_where_rows_have_identity(table, data):
    line = data.draw(st.integers(2, DATA_ROWS[table] + 1))
    has_identity = any(c.unique for c in TABLES[table].columns) or table == "follows"
    with tiny_copy() as log:
        rows = log.rows(table)
        rows.insert(line, rows[line - 1])
        log.write_rows(table, rows)
        assert_clean_failure(log.path, must_fail=has_identity)


@SETTINGS
@given(st.sampled_from(TABLE_NAMES), st.binary(min_size=1, max_size=300))
def test_random_bytes_instead_of_a_csv_file_fail_cleanly(table, data):
    with tiny_copy() as log:
        log.write_bytes(f"{table}.csv", data)
        assert_clean_failure(log.path)


ENCODINGS = [
    ("utf-16", "h\u00e9"),
    ("utf-16-le", "x"),
    ("utf-16-be", "x"),
    ("utf-32", "x"),
    ("latin-1", "caf\u00e9"),
    ("cp1252", "\u20ac5"),
    ("gb18030", "\u4e2d\u6587"),
    ("shift_jis", "\u65e5\u672c"),
]


@SETTINGS
@given(st.sampled_from(TABLE_NAMES), st.sampled_from(ENCODINGS))
def test_text_in_other_encodings_fails_cleanly(table, encoding):
    codec, text = encoding
    with tiny_copy() as log:
        f = log.file(table)
        lines = f.read_text(encoding="utf-8").split("\n")
        lines[0] = lines[0] + ",note"
        lines[1:] = [ln + "," + text if ln else ln for ln in lines[1:]]
        f.write_bytes("\n".join(lines).encode(codec))
        assert_clean_failure(log.path, must_fail=DATA_ROWS[table] > 0 or codec.startswith("utf-"))


@SETTINGS
@given(st.sampled_from(TABLE_NAMES), st.sampled_from(["", ".gz-empty", "parquet-empty"]))
def test_empty_files_fail_cleanly(table, how):
    with tiny_copy() as log:
        if how == "":
            log.write_bytes(f"{table}.csv", b"")
        elif how == ".gz-empty":
            log.remove(f"{table}.csv")
            log.write_bytes(f"{table}.csv.gz", b"")
        else:
            log.remove(f"{table}.csv")
            log.write_bytes(f"{table}.parquet", b"")
        assert_clean_failure(log.path)


@SETTINGS
@given(st.sampled_from(TABLE_NAMES), st.data())
def test_truncated_or_mangled_csv_never_raises_anything_else(table, data):
    with tiny_copy() as log:
        raw = log.file(table).read_bytes()
        cut = data.draw(st.integers(0, len(raw)))
        insert = data.draw(st.binary(max_size=8) | st.sampled_from([b'"', b",", b"\n", b"\r"]))
        log.write_bytes(
            f"{table}.csv", raw[:cut] + insert + raw[cut + data.draw(st.integers(0, 5)) :]
        )
        assert_clean_failure(log.path, must_fail=False)


@SETTINGS
@given(st.sampled_from(TABLE_NAMES), st.data())
def test_broken_parquet_files_fail_cleanly(tiny_parquet, table, data):
    raw = (tiny_parquet / f"{table}.parquet").read_bytes()
    how = data.draw(st.sampled_from(["truncate", "random", "flip"]))
    if how == "truncate":
        broken = raw[: data.draw(st.integers(0, len(raw) - 1))]
    elif how == "random":
        broken = data.draw(st.binary(min_size=1, max_size=400))
    else:
        i = data.draw(st.integers(len(raw) - 8, len(raw) - 1))
        broken = raw[:i] + bytes([raw[i] ^ 0xFF]) + raw[i + 1 :]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "log"
        shutil.copytree(tiny_parquet, folder)
        (folder / f"{table}.parquet").write_bytes(broken)
        assert_clean_failure(folder)
