"""Corrupted logs on both engines: one table of corruptions, the same problem lines.

Each case corrupts a copy of the tiny log (``tests/fixtures/tiny``) held as
typed frames and writes it as Parquet, one file per table. The embedded
validator (``graphmodel validate DIR``) and the Spark one (``graphmodel
validate --engine spark DIR``) must print exactly the expected lines (Spark
on one log holding every corruption, and alone on the cases the joins of one log
could hide: a missing column, a referral cycle), and
``graphmodel value --engine spark`` must refuse the log with the same lines,
exit code 2 and no output file (shown on a few cases: it runs the same validator). Rows are Parquet rows: ``events.parquet
row 1`` is event ``e01``.
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

import graphmodel
from graphmodel.cli.main import main
from graphmodel.eventlog.columns import MAX_ID_BYTES

TINY_TABLES = None


def _frames(tiny_dir) -> dict[str, pd.DataFrame]:
    global TINY_TABLES
    if TINY_TABLES is None:
        log = graphmodel.read_log(tiny_dir)
        TINY_TABLES = {name: log[name] for name in log}
    return {name: df.copy() for name, df in TINY_TABLES.items()}


def _write(frames: dict[str, pd.DataFrame], folder):
    folder.mkdir(parents=True)
    for name, df in frames.items():
        pq.write_table(pa.Table.from_pandas(df, preserve_index=False), folder / f"{name}.parquet")
    return folder


# --- the corruptions: each changes the frames in place -----------------------------------


def cell(table, row, column, value):
    """Set one cell (``row`` 1-based, as problems name it)."""

    def change(f):
        df = f[table]
        if isinstance(value, str) and not pd.api.types.is_string_dtype(df[column]):
            # a text cell in a typed column: the column becomes text, as a CSV export would
            df[column] = [None if pd.isna(v) else str(v) for v in df[column]]
        df.loc[row - 1, column] = value

    return change


def drop(table, column):
    def change(f):
        f[table] = f[table].drop(columns=[column])

    return change


def add_events(*rows):
    def change(f):
        ev = f["events"]
        new = pd.DataFrame(
            [
                dict(
                    zip(
                        (
                            "event_id",
                            "user_id",
                            "stream_id",
                            "type",
                            "at",
                            "seconds",
                            "channel",
                            "via_share",
                        ),
                        r,
                    )
                )
                for r in rows
            ]
        )
        new["at"] = pd.to_datetime(new["at"])
        f["events"] = pd.concat(
            [ev, new.astype({c: ev[c].dtype for c in new.columns})], ignore_index=True
        )

    return change


def both(*changes):
    def change(f):
        for c in changes:
            c(f)

    return change


E = "events.parquet"
CYCLE = add_events(
    ("e21", "u2", "s2", "watch", "2024-03-02T19:45:00", 60.0, None, "e24"),
    ("e22", "u2", "s2", "share", "2024-03-02T19:45:00", None, "qq", None),
    ("e23", "u3", "s2", "watch", "2024-03-02T19:45:00", 60.0, None, "e22"),
    ("e24", "u3", "s2", "share", "2024-03-02T19:45:00", None, "qq", None),
)
LOOP = "(each user's first watch came through the previous user's share)"
LIMIT = f"the limit is {MAX_ID_BYTES:,} bytes (Neo4j index key size)"

CASES = [
    (
        "unknown user",
        cell("events", 4, "user_id", "u99"),
        [
            f"{E} row 4, column user_id: unknown user_id 'u99' (no such user_id in users)",
            # u2's first watch was row 4: u2's share at row 7 has no watch before it now
            f"{E} row 7, column at: share by 'u2' at 2024-03-01T20:25:00, but that user has no "
            "watch event in stream 's1' at or before it",
        ],
    ),
    (
        "infinite amount",
        cell("events", 9, "amount", float("inf")),
        [f"{E} row 9, column amount: not a finite number: 'inf'"],
    ),
    (
        "huge amount",
        cell("events", 13, "amount", 1e308),
        [f"{E} row 13, column amount: implausibly large number '1e+308' (the limit is 1e+15)"],
    ),
    (
        "NaN seconds is missing",
        cell("events", 1, "seconds", float("nan")),
        [f"{E} row 1, column seconds: missing value: a watch event needs seconds"],
    ),
    (
        "negative seconds",
        cell("events", 5, "seconds", -3.0),
        [f"{E} row 5, column seconds: negative value -3.0 (must be >= 0)"],
    ),
    (
        "text that is not a number",
        cell("events", 4, "seconds", "abc"),
        [f"{E} row 4, column seconds: not a number: 'abc'"],
    ),
    (
        "commission above 1",
        cell("streamers", 1, "commission_rate", 1.5),
        [
            "streamers.parquet row 1, column commission_rate: value 1.5 out of range "
            "(must be between 0 and 1)"
        ],
    ),
    (
        "like count 0",
        cell("events", 2, "count", 0),
        [f"{E} row 2, column count: value 0 (must be >= 1)"],
    ),
    (
        "unknown event type",
        cell("events", 2, "type", "Like"),
        [f"{E} row 2, column type: 'Like' is not one of watch, like, comment, share, purchase"],
    ),
    (
        "blank id",
        cell("events", 6, "event_id", "   "),
        [f"{E} row 6, column event_id: empty id '   '"],
    ),
    (
        "missing required value",
        cell("products", 2, "price", float("nan")),
        ["products.parquet row 2, column price: missing value (required)"],
    ),
    (
        "required column missing",
        drop("tasks", "kind"),
        ["tasks.parquet, column kind: required column missing"],
    ),
    (
        "id too long",
        cell("follows", 2, "followee_id", "x" * 9000),
        [f"follows.parquet row 2, column followee_id: id is 9,000 bytes in UTF-8; {LIMIT}"],
    ),
    (
        "duplicate id",
        cell("events", 5, "event_id", "e01"),
        [f"{E} row 5, column event_id: duplicate event_id 'e01' (first on row 1)"],
    ),
    (
        "friend tie to a streamer",
        cell("follows", 6, "followee_id", "h1"),
        [
            "follows.parquet row 6, column followee_id: a friend tie joins two users, but 'h1' is "
            "a streamer"
        ],
    ),
    (
        "outside the window",
        cell("events", 20, "at", pd.Timestamp("2024-03-02T21:00:00")),
        [
            f"{E} row 20, column at: event at 2024-03-02T21:00:00 is outside its stream 's2' "
            "(2024-03-02T19:00:00 to 2024-03-02T20:30:00)"
        ],
    ),
    (
        "via_share on a like",
        cell("events", 14, "via_share", "e03"),
        [
            f"{E} row 14, column via_share: via_share is only allowed on watch events "
            "(this is a like event)"
        ],
    ),
    (
        "via_share names a watch",
        cell("events", 8, "via_share", "e01"),
        [f"{E} row 8, column via_share: via_share 'e01' is a watch event, not a share"],
    ),
    (
        "referral cycle",
        CYCLE,
        [
            f"{E} row 21, column via_share: referral cycle in stream 's2': u3 -> u2 -> u3 {LOOP}",
            f"{E} row 23, column via_share: referral cycle in stream 's2': u3 -> u2 -> u3 {LOOP}",
        ],
    ),
    (
        "an unknown stream outside the window",
        both(
            cell("events", 3, "stream_id", "s9"),
            cell("events", 3, "at", pd.Timestamp("2030-01-01")),
        ),
        # an event with an unknown stream is not also outside its window; the share's watchers
        # now name a share of another stream
        [
            f"{E} row 3, column stream_id: unknown stream_id 's9' (no such stream_id in streams)",
            f"{E} row 4, column via_share: via_share 'e03' is a share in stream 's9', not in this "
            "event's stream 's1'",
            f"{E} row 5, column via_share: via_share 'e03' is a share in stream 's9', not in this "
            "event's stream 's1'",
        ],
    ),
]
IDS = [c[0] for c in CASES]


@pytest.fixture(scope="module")
def corrupted(tmp_path_factory, tiny_dir_module):
    """Each case's folder, written once for the module."""
    root = tmp_path_factory.mktemp("corrupt")
    folders = {}
    for i, (name, change, _) in enumerate(CASES):
        frames = _frames(tiny_dir_module)
        change(frames)
        folders[name] = _write(frames, root / f"case{i:02d}")
    return folders


@pytest.fixture(scope="module")
def tiny_dir_module():
    from conftest import TINY

    return TINY


def _errors(result) -> list[str]:
    lines = result.stderr.splitlines()
    assert all(line.startswith("error: ") for line in lines), result.stderr
    return [line.removeprefix("error: ") for line in lines]


@pytest.mark.parametrize("name, expected", [(c[0], c[2]) for c in CASES], ids=IDS)
def test_embedded_validator(corrupted, name, expected):
    r = CliRunner().invoke(main, ["validate", str(corrupted[name])])
    assert r.exit_code == 2, r.output
    assert _errors(r) == expected


# --- Spark ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def spark():
    pytest.importorskip("pyspark")
    from graphmodel.engines.spark import spark_session

    # the settings of tests/test_spark.py: one session for the whole run
    return spark_session(
        "local[2]",
        {
            "spark.sql.shuffle.partitions": "4",
            "spark.ui.enabled": "false",
            "spark.driver.memory": "1g",
        },
    )


@pytest.fixture(scope="module")
def all_at_once(tmp_path_factory, tiny_dir_module):
    """One log with every corruption of the table (they touch different cells)."""
    frames = _frames(tiny_dir_module)
    for _, change, _ in CASES:
        change(frames)
    return _write(frames, tmp_path_factory.mktemp("corrupt") / "all")


def test_the_corruptions_do_not_interact(all_at_once):
    """The log with every corruption has exactly the union of the cases' problems (so one
    Spark run below checks them all)."""
    r = CliRunner().invoke(main, ["validate", str(all_at_once)])
    assert r.exit_code == 2
    got = _errors(r)
    assert sorted(got) == sorted(line for c in CASES for line in c[2])


def test_spark_validator_all_cases_in_one_log(spark, all_at_once):
    memory = CliRunner().invoke(main, ["validate", str(all_at_once)])
    r = CliRunner().invoke(
        main, ["validate", "--engine", "spark", "--master", "local[2]", str(all_at_once)]
    )
    assert r.exit_code == 2, r.output
    assert _errors(r) == _errors(memory) and len(_errors(r)) == sum(len(c[2]) for c in CASES)


#: Cases run alone on Spark too (about 10 s each on 2 cores, so not all of them: the
#: one-log test above holds every case): a file-level problem, which stops the
#: row checks of its table, and a cycle, found by the last step of the validator.
ALONE = ("required column missing", "referral cycle")


@pytest.mark.parametrize(
    "name, expected", [(c[0], c[2]) for c in CASES if c[0] in ALONE],
    ids=[c[0] for c in CASES if c[0] in ALONE],
)
def test_spark_validator(spark, corrupted, name, expected):
    """A case alone on Spark gives exactly its own lines."""
    r = CliRunner().invoke(
        main, ["validate", "--engine", "spark", "--master", "local[2]", str(corrupted[name])]
    )
    assert r.exit_code == 2, r.output
    assert _errors(r) == expected


#: ``value`` runs the validator above before anything: these cases show the refusal (the
#: hostile tester's numbers from an unknown user and inf figures; a cycle on a trusted
#: log is tests/test_spark.py's)
REFUSED = ("unknown user", "infinite amount")


@pytest.mark.parametrize(
    "name, expected", [(c[0], c[2]) for c in CASES if c[0] in REFUSED],
    ids=[c[0] for c in CASES if c[0] in REFUSED],
)
def test_spark_value_refuses(spark, corrupted, tmp_path, name, expected):
    out = tmp_path / "value.json"
    r = CliRunner().invoke(
        main,
        [
            "value",
            "--engine",
            "spark",
            "--master",
            "local[2]",
            "--source",
            str(corrupted[name]),
            "--by",
            "platform",
            "--format",
            "json",
            "--out",
            str(out),
        ],
    )
    assert r.exit_code == 2, r.output
    assert _errors(r) == expected
    assert not out.exists() and list(tmp_path.iterdir()) == []
