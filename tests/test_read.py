"""Reading event logs: the tiny fixture, dtypes, and CSV / Parquet / gzip round trips."""

import gzip

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from graphmodel.errors import LogError, UserError
from graphmodel.eventlog import DTYPES, EventLog, read_log, validate_frames, validate_log, write_log
from graphmodel.schema import TABLE_NAMES, TABLES

TINY_DIR = __import__("pathlib").Path(__file__).parent / "fixtures" / "tiny"

ROWS = {
    "users": 6,
    "streamers": 2,
    "advertisers": 2,
    "streams": 3,
    "products": 3,
    "follows": 8,
    "events": 20,
    "ad_spend": 4,
    "tasks": 2,
    "task_completions": 5,
}


@pytest.fixture
def tiny(tiny_dir) -> EventLog:
    return read_log(tiny_dir)


def test_tiny_fixture_has_the_documented_row_counts(tiny):
    assert {n: len(tiny[n]) for n in TABLE_NAMES} == ROWS
    assert tiny.source.endswith("tiny")


def test_every_column_has_its_canonical_dtype_and_schema_order(tiny):
    for name in TABLE_NAMES:
        df = tiny[name]
        assert list(df.columns) == TABLES[name].column_names
        for c in TABLES[name].columns:
            assert df[c.name].dtype == pd.api.types.pandas_dtype(DTYPES[c.kind]), (name, c.name)


def test_values_are_parsed(tiny):
    ev = tiny.events.set_index("event_id")
    assert ev.loc["e01", "at"] == pd.Timestamp("2024-03-01T20:00:00")
    assert ev.loc["e01", "seconds"] == 1800.0
    assert ev.loc["e02", "count"] == 3
    assert ev.loc["e09", "amount"] == 100.0 and ev.loc["e09", "product_id"] == "p1"
    assert ev.loc["e04", "via_share"] == "e03"
    assert pd.isna(ev.loc["e01", "via_share"]) and pd.isna(ev.loc["e01", "amount"])
    assert tiny.streamers["commission_rate"].tolist() == [0.2, 0.3]
    assert tiny.task_completions["coupon_redeemed"].tolist() == [False, False, True, False, True]


def test_a_like_without_count_counts_one_tap(tiny):
    ev = tiny.events.set_index("event_id")
    assert ev.loc["e14", "count"] == 1
    # other types keep a missing count
    assert pd.isna(ev.loc["e01", "count"])


def test_the_tiny_log_is_valid_in_memory_too(tiny, tiny_dir):
    assert validate_frames(tiny) == []
    assert validate_log(tiny_dir) == []


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_write_then_read_gives_equal_frames(tiny, tmp_path, fmt):
    out = write_log(tiny, tmp_path / "log", fmt=fmt)
    again = read_log(out)
    for name in TABLE_NAMES:
        pd.testing.assert_frame_equal(again[name], tiny[name], check_exact=True)


def test_round_trip_keeps_fractional_seconds_and_empty_tables(tiny, tmp_path):
    frames = dict(tiny.tables)
    ev = frames["events"].copy()
    ev.loc[0, "at"] = pd.Timestamp("2024-03-01T20:00:00.123456")
    frames["events"] = ev
    frames["ad_spend"] = frames["ad_spend"].iloc[0:0]
    log = EventLog(frames)
    for fmt in ("csv", "parquet"):
        again = read_log(write_log(log, tmp_path / fmt, fmt=fmt))
        pd.testing.assert_frame_equal(again.events, ev)
        assert len(again.ad_spend) == 0


def test_gzipped_csv_is_read(tiny_dir, tmp_path, tiny_copy):
    for name in ("events", "users"):
        data = tiny_copy.file(name).read_bytes()
        tiny_copy.remove(f"{name}.csv")
        tiny_copy.write_bytes(f"{name}.csv.gz", gzip.compress(data))
    again = read_log(tiny_copy.path)
    pd.testing.assert_frame_equal(again.events, read_log(tiny_dir).events)


def test_csv_variants_are_accepted(tiny_copy, tiny):
    """A UTF-8 BOM, CRLF line ends, blank lines, extra columns, spaces, other bool spellings."""
    path = tiny_copy.file("users")
    text = path.read_text()
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode() + b"\r\n\r\n")
    ev = tiny_copy.file("events")
    lines = ev.read_text().splitlines()
    lines[0] += ",note"
    lines[1:] = [ln + ",whatever" for ln in lines[1:]]
    lines.insert(5, "")
    ev.write_text("\n".join(lines) + "\n")
    tiny_copy.set_cell("task_completions", 2, "coupon_redeemed", " No ")
    tiny_copy.set_cell("task_completions", 4, "coupon_redeemed", "YES")
    tiny_copy.set_cell("task_completions", 3, "coupon_redeemed", "0")
    tiny_copy.set_cell("products", 2, "price", " 100 ")
    log = read_log(tiny_copy.path)
    pd.testing.assert_frame_equal(log.users, tiny.users)
    pd.testing.assert_frame_equal(log.events, tiny.events)
    assert log.task_completions["coupon_redeemed"].tolist() == [False, False, True, False, True]
    assert log.products["price"].iloc[0] == 100.0


def test_quoted_values_may_span_lines_and_line_numbers_stay_right(tiny_copy):
    tiny_copy.set_cell("users", 2, "segment", "two\nlines")
    tiny_copy.set_cell("users", 4, "joined_at", "not a date")
    log_problems = validate_log(tiny_copy.path)
    # the user on the 4th record sits on physical line 5 now
    assert [str(p) for p in log_problems] == [
        "users.csv line 5, column joined_at: not an ISO 8601 datetime: 'not a date'"
    ]
    tiny_copy.set_cell("users", 4, "joined_at", "2023-09-12T18:45:00")
    assert read_log(tiny_copy.path).users["segment"].iloc[0] == "two\nlines"


def test_datetimes_with_offsets_become_naive_utc(tiny_copy):
    tiny_copy.set_cell("users", 2, "joined_at", "2023-01-15T18:00:00+08:00")
    tiny_copy.set_cell("users", 3, "joined_at", "2023-06-01T09:30:00Z")
    tiny_copy.set_cell("users", 4, "joined_at", "2023-09-12 18:45:00.250")
    tiny_copy.set_cell("users", 5, "joined_at", "2024-01-05")
    users = read_log(tiny_copy.path).users
    assert users["joined_at"].tolist()[:4] == [
        pd.Timestamp("2023-01-15T10:00:00"),
        pd.Timestamp("2023-06-01T09:30:00"),
        pd.Timestamp("2023-09-12T18:45:00.250"),
        pd.Timestamp("2024-01-05"),
    ]


def _to_parquet(log: EventLog, folder):
    return write_log(log, folder, fmt="parquet")


def test_parquet_numbers_as_ids_become_text_without_dot_zero(tiny, tmp_path):
    folder = _to_parquet(tiny, tmp_path / "log")
    pq.write_table(
        pa.table({"advertiser_id": pa.array([1.0, 2.0]), "name": ["A", "B"]}),
        folder / "advertisers.parquet",
    )
    ad = tiny.ad_spend.copy()
    ad["advertiser_id"] = ["1", "2", "2", "1"]
    pq.write_table(
        pa.Table.from_pandas(ad.assign(advertiser_id=[1, 2, 2, 1]), preserve_index=False),
        folder / "ad_spend.parquet",
    )
    prod = tiny.products.assign(advertiser_id=pd.array([1, 2, 2], dtype="int64"))
    pq.write_table(pa.Table.from_pandas(prod, preserve_index=False), folder / "products.parquet")
    log = read_log(folder)
    assert log.advertisers["advertiser_id"].tolist() == ["1", "2"]
    assert log.ad_spend["advertiser_id"].tolist() == ["1", "2", "2", "1"]
    assert log.advertisers["advertiser_id"].dtype == DTYPES["id"]


def test_parquet_ints_for_floats_and_text_for_numbers_are_accepted(tiny, tmp_path):
    folder = _to_parquet(tiny, tmp_path / "log")
    tasks = pa.table(
        {
            "task_id": ["t1", "t2"],
            "kind": ["watch", "share"],
            "threshold": pa.array([900, 1], pa.int32()),
            "reward_coins": pa.array([3600.0, 0.0]),
            "reward_coupon": ["0", "5.0"],
        }
    )
    pq.write_table(tasks, folder / "tasks.parquet")
    pd.testing.assert_frame_equal(read_log(folder).tasks, tiny.tasks)


def test_parquet_timestamps_with_time_zone_and_other_units(tiny, tmp_path):
    folder = _to_parquet(tiny, tmp_path / "log")
    streams = pa.Table.from_pandas(tiny.streams, preserve_index=False)
    started = streams.column("started_at").cast(pa.timestamp("us")).cast(pa.int64())
    aware = pa.Array.from_pandas(
        tiny.streams["ended_at"].dt.tz_localize("UTC").dt.tz_convert("Asia/Shanghai")
    )
    streams = streams.set_column(2, "started_at", started.cast(pa.timestamp("us")))
    streams = streams.set_column(3, "ended_at", aware)
    pq.write_table(streams, folder / "streams.parquet")
    pd.testing.assert_frame_equal(read_log(folder).streams, tiny.streams)


def test_unknown_columns_are_ignored(tiny, tmp_path):
    folder = _to_parquet(tiny, tmp_path / "log")
    users = pa.Table.from_pandas(tiny.users, preserve_index=False).append_column(
        "extra", pa.array([[1]] * 6)
    )
    pq.write_table(users, folder / "users.parquet")
    pd.testing.assert_frame_equal(read_log(folder).users, tiny.users)


def test_bad_paths_are_one_line_user_errors(tmp_path):
    with pytest.raises(UserError) as e:
        read_log(tmp_path / "nope")
    assert str(e.value) == f"{tmp_path / 'nope'}: no such folder"
    f = tmp_path / "file.csv"
    f.write_text("x\n")
    with pytest.raises(LogError) as e:
        read_log(f)
    assert "\n" not in str(e.value) and "not a folder" in str(e.value)


def test_an_empty_folder_lacks_the_one_required_table(tmp_path):
    with pytest.raises(LogError) as e:
        read_log(tmp_path)
    assert str(e.value).splitlines() == [
        "events.csv: missing table file (expected events.csv or events.parquet)"
    ]


def test_validate_frames_reports_rows_of_an_in_memory_log(tiny):
    frames = dict(tiny.tables)
    ev = frames["events"].copy()
    ev.loc[0, "seconds"] = -3.0
    ev.loc[1, "seconds"] = np.inf
    frames["events"] = ev
    problems = validate_frames(EventLog(frames))
    assert [str(p) for p in problems] == [
        "events row 1, column seconds: negative value -3.0 (must be >= 0)",
        "events row 2, column seconds: not a finite number: inf",
    ]


def test_validate_frames_reports_missing_columns_and_wrong_dtypes(tiny):
    frames = dict(tiny.tables)
    frames["streams"] = frames["streams"].drop(columns=["started_at"])
    frames["tasks"] = frames["tasks"].assign(reward_coins=["lots", "none"])
    problems = [str(p) for p in validate_frames(EventLog(frames))]
    assert problems == [
        "streams, column started_at: required column missing",
        "tasks, column reward_coins: column has dtype str, expected Int64",
    ]


def test_parquet_categorical_and_chunked_columns_are_read(tiny, tmp_path):
    folder = _to_parquet(tiny, tmp_path / "log")
    events = pa.Table.from_pandas(tiny.events.astype({"type": "category"}), preserve_index=False)
    pq.write_table(events, folder / "events.parquet", row_group_size=3)
    pd.testing.assert_frame_equal(read_log(folder).events, tiny.events)


def test_an_unclosed_quote_is_reported_on_the_line_it_opens(tmp_path):
    """A stray quote swallows every line after it: the problem is where it opened, not where
    the parser gave up thousands of lines later."""
    folder = tmp_path / "log"
    write_log(read_log(TINY_DIR), folder)
    events = folder / "events.csv"
    lines = events.read_text().splitlines()
    body = lines[1].split(",")
    filler = [",".join([f"x{i}", *body[1:]]) for i in range(3000)]
    lines[2] = lines[2] + ',"'  # swallows the lines below until the csv module's field limit
    events.write_text("\n".join(lines[:3] + filler + lines[3:]) + "\n")
    problems = [str(p) for p in validate_log(folder)]
    assert len(problems) == 1
    prefix = ("events.csv line 3: malformed CSV (field larger than field limit (131072)); "
              "a quoted value opened on line 3 runs to line ")
    assert problems[0].startswith(prefix) and problems[0].endswith(": is a closing quote missing?")
    assert int(problems[0][len(prefix):].split(":")[0]) > 2000


def test_a_record_spanning_lines_with_the_wrong_width_says_where_the_quote_opened(tiny_copy):
    rows = tiny_copy.file("events").read_text().splitlines()
    rows[3] = rows[3] + ',"oops'  # closed by the quote added four lines below
    rows[7] = rows[7] + '"'
    tiny_copy.file("events").write_text("\n".join(rows) + "\n")
    problems = [str(p) for p in validate_log(tiny_copy.path)]
    assert problems[0] == (
        "events.csv line 4: 12 fields, but the header has 11 columns; "
        "a quoted value opened on line 4 runs to line 8: is a closing quote missing?"
    )


def test_symbolic_links_that_cannot_be_followed_are_named_as_such(tiny_copy):
    import os

    tiny_copy.remove("tasks.csv")
    os.symlink("tasks.csv", tiny_copy.file("tasks"))  # a loop
    tiny_copy.remove("ad_spend.csv")
    os.symlink("gone.csv", tiny_copy.file("ad_spend"))  # dangling
    assert [str(p) for p in validate_log(tiny_copy.path)] == [
        "ad_spend.csv: a symbolic link to gone.csv, which cannot be read (No such file or directory)",
        "tasks.csv: a symbolic link that loops (too many levels of symbolic links)",
    ]
