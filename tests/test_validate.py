"""Validation: one case per error class of MODEL.md section 2, on a corrupted copy of the tiny log.

Each case corrupts a copy of ``tests/fixtures/tiny`` and lists every problem
expected, as (file, line, column, message fragment). Line numbers are CSV
lines: the header is line 1, so ``events.csv`` line 2 is event ``e01``.
"""

import gzip

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from graphmodel.errors import MAX_PROBLEMS, LogError, Problem, UserError
from graphmodel.eventlog import read_log, validate_log, write_log


def cell(table, line, column, value):
    return lambda log: log.set_cell(table, line, column, value)


def append(table, *rows):
    return lambda log: log.append(table, *rows)


def remove(name):
    return lambda log: log.remove(name)


def write(name, data):
    return lambda log: log.write_bytes(name, data)


def recode(table, fn):
    return lambda log: log.file(table).write_bytes(fn(log.file(table).read_bytes()))


CASES = [
    # --- missing table or column, missing value
    (
        "missing required table",
        remove("events.csv"),
        [("events.csv", None, None, "missing table file (expected events.csv or events.parquet)")],
    ),
    (
        "key into an absent table",
        remove("tasks.csv"),
        [("task_completions.csv", None, "task_id",
          "5 row(s) name a task_id, first 't1' on line 2, but the log has no tasks table: "
          "give tasks.csv")],
    ),
    (
        "two formats for one table",
        write("tasks.parquet", b"PAR1"),
        [("tasks.csv", None, None, "found tasks.csv and tasks.parquet: keep one file per table")],
    ),
    (
        "missing required column",
        lambda log: log.drop_column("events", "type"),
        [("events.csv", None, "type", "required column missing")],
    ),
    (
        "missing value in a required column",
        cell("products", 2, "price", ""),
        [("products.csv", 2, "price", "missing value (required)")],
    ),
    (
        "duplicate column in the header",
        recode("tasks", lambda b: b.replace(b"kind,", b"kind,kind,", 1)),
        [("tasks.csv", None, "kind", "column appears more than once")],
    ),
    # --- wrong type
    (
        "not a number",
        cell("events", 2, "seconds", "abc"),
        [("events.csv", 2, "seconds", "not a number: 'abc'")],
    ),
    (
        "not a whole number",
        cell("events", 3, "count", "2.5"),
        [("events.csv", 3, "count", "not a whole number: '2.5'")],
    ),
    (
        "not a datetime",
        cell("events", 3, "at", "2024/03/01 20:05"),
        [("events.csv", 3, "at", "not an ISO 8601 datetime: '2024/03/01 20:05'")],
    ),
    (
        "impossible date",
        cell("users", 2, "joined_at", "2023-02-30T10:00:00"),
        [("users.csv", 2, "joined_at", "not an ISO 8601 datetime")],
    ),
    (
        "datetime out of range",
        cell("users", 2, "joined_at", "9999-01-01T00:00:00"),
        [("users.csv", 2, "joined_at", "datetime out of range '9999-01-01T00:00:00'")],
    ),
    (
        "not a bool",
        cell("task_completions", 2, "coupon_redeemed", "maybe"),
        [("task_completions.csv", 2, "coupon_redeemed", "not a boolean")],
    ),
    (
        "enum value not allowed",
        cell("events", 3, "type", "Like"),
        [("events.csv", 3, "type", "'Like' is not one of watch, like, comment, share, purchase")],
    ),
    (
        "channel not allowed",
        cell("events", 4, "channel", "tiktok"),
        [("events.csv", 4, "channel", "'tiktok' is not one of douyin, wechat")],
    ),
    (
        "follow kind not allowed",
        cell("follows", 2, "kind", "fan"),
        [("follows.csv", 2, "kind", "'fan' is not one of follow, friend")],
    ),
    (
        "empty id",
        cell("events", 3, "event_id", "   "),
        [("events.csv", 3, "event_id", "empty id '   '")],
    ),
    (
        "infinite number",
        cell("events", 2, "seconds", "inf"),
        [("events.csv", 2, "seconds", "not a finite number: 'inf'")],
    ),
    (
        "nan as text",
        cell("events", 10, "amount", "NaN"),
        [("events.csv", 10, "amount", "not a finite number: 'NaN'")],
    ),
    (
        "overflowing float",
        cell("events", 2, "seconds", "1e400"),
        [("events.csv", 2, "seconds", "implausibly large number '1e400'")],
    ),
    (
        "huge float",
        cell("ad_spend", 2, "spend", "1e20"),
        [("ad_spend.csv", 2, "spend", "implausibly large number '1e20' (the limit is 1e+15)")],
    ),
    (
        "huge int",
        cell("events", 3, "count", "99999999999999999999999"),
        [("events.csv", 3, "count", "implausibly large number '99999999999999999999999'")],
    ),
    # --- out of range
    (
        "negative seconds",
        cell("events", 2, "seconds", "-3"),
        [("events.csv", 2, "seconds", "negative value -3.0 (must be >= 0)")],
    ),
    (
        "negative amount",
        cell("events", 10, "amount", "-100"),
        [("events.csv", 10, "amount", "negative value -100.0 (must be >= 0)")],
    ),
    (
        "negative spend",
        cell("ad_spend", 3, "spend", "-1.5"),
        [("ad_spend.csv", 3, "spend", "negative value -1.5 (must be >= 0)")],
    ),
    (
        "negative price",
        cell("products", 3, "price", "-50"),
        [("products.csv", 3, "price", "negative value -50.0 (must be >= 0)")],
    ),
    (
        "commission above 1",
        cell("streamers", 2, "commission_rate", "1.5"),
        [
            (
                "streamers.csv",
                2,
                "commission_rate",
                "value 1.5 out of range (must be between 0 and 1)",
            )
        ],
    ),
    (
        "negative commission",
        cell("streamers", 3, "commission_rate", "-0.1"),
        [("streamers.csv", 3, "commission_rate", "value -0.1 out of range")],
    ),
    (
        "like count below 1",
        cell("events", 3, "count", "0"),
        [("events.csv", 3, "count", "value 0 (must be >= 1)")],
    ),
    (
        "negative impressions",
        cell("ad_spend", 2, "impressions", "-1"),
        [("ad_spend.csv", 2, "impressions", "negative value -1 (must be >= 0)")],
    ),
    (
        "negative coins",
        cell("task_completions", 2, "coins", "-3600"),
        [("task_completions.csv", 2, "coins", "negative value -3600 (must be >= 0)")],
    ),
    (
        "negative coupon",
        cell("task_completions", 4, "coupon", "-5"),
        [("task_completions.csv", 4, "coupon", "negative value -5.0 (must be >= 0)")],
    ),
    (
        "negative task reward",
        cell("tasks", 3, "reward_coupon", "-5"),
        [("tasks.csv", 3, "reward_coupon", "negative value -5.0")],
    ),
    # --- streams and time windows
    (
        "stream ends before it starts",
        cell("streams", 4, "ended_at", "2024-03-03T19:00:00"),
        [
            (
                "streams.csv",
                4,
                "ended_at",
                "stream ends before it starts (ended_at 2024-03-03T19:00:00 "
                "is before started_at 2024-03-03T20:00:00)",
            )
        ],
    ),
    (
        "event after its stream",
        cell("events", 15, "at", "2024-03-01T21:55:00"),
        [
            (
                "events.csv",
                15,
                "at",
                "event at 2024-03-01T21:55:00 is outside its stream 's1' "
                "(2024-03-01T20:00:00 to 2024-03-01T21:00:00)",
            )
        ],
    ),
    (
        "event before its stream",
        cell("events", 20, "at", "2024-03-02T18:59:59"),
        [("events.csv", 20, "at", "is outside its stream 's2'")],
    ),
    (
        "watch runs past the end",
        cell("events", 12, "seconds", "1800.5"),
        [
            (
                "events.csv",
                12,
                "seconds",
                "watch runs past the end of stream 's1': "
                "at 2024-03-01T20:30:00 + 1800.5 s is after ended_at",
            )
        ],
    ),
    # --- duplicates
    (
        "duplicate event id",
        cell("events", 3, "event_id", "e01"),
        [("events.csv", 3, "event_id", "duplicate event_id 'e01' (first on line 2)")],
    ),
    (
        "duplicate task id",
        append("tasks", "t1,share,2,0,1.0"),
        [("tasks.csv", 4, "task_id", "duplicate task_id 't1' (first on line 2)")],
    ),
    (
        "duplicate follows row",
        append("follows", "u3,u1,follow,2024-01-01T00:00:00"),
        [
            (
                "follows.csv",
                10,
                None,
                "duplicate follows row: same follower_id, followee_id and kind as line 4",
            )
        ],
    ),
    # --- unknown foreign keys
    (
        "unknown user",
        cell("events", 3, "user_id", "u9"),
        [("events.csv", 3, "user_id", "unknown user_id 'u9' (no such user_id in users)")],
    ),
    (
        "unknown stream",
        cell("ad_spend", 5, "stream_id", "s9"),
        [("ad_spend.csv", 5, "stream_id", "unknown stream_id 's9' (no such stream_id in streams)")],
    ),
    (
        "unknown streamer",
        cell("streams", 4, "streamer_id", "h9"),
        [("streams.csv", 4, "streamer_id", "unknown streamer_id 'h9'")],
    ),
    (
        "unknown merchant",
        cell("products", 2, "advertiser_id", "a9"),
        [("products.csv", 2, "advertiser_id", "unknown advertiser_id 'a9'")],
    ),
    (
        "unknown product",
        cell("events", 10, "product_id", "p9"),
        [
            (
                "events.csv",
                10,
                "product_id",
                "unknown product_id 'p9' (no such product_id in products)",
            )
        ],
    ),
    (
        "unknown task",
        cell("task_completions", 3, "task_id", "t9"),
        [("task_completions.csv", 3, "task_id", "unknown task_id 't9'")],
    ),
    (
        "unknown follower",
        cell("follows", 4, "follower_id", "h1"),
        [("follows.csv", 4, "follower_id", "unknown follower_id 'h1' (no such user_id in users)")],
    ),
    (
        "unknown followee",
        cell("follows", 2, "followee_id", "zz"),
        [
            (
                "follows.csv",
                2,
                "followee_id",
                "unknown followee_id 'zz' (neither a user_id in users "
                "nor a streamer_id in streamers)",
            )
        ],
    ),
    (
        "followee both a user and a streamer",
        append("users", "h2,,"),
        [("follows.csv", 5, "followee_id", "followee_id 'h2' is both a user_id and a streamer_id")],
    ),
    (
        "friend tie with a streamer",
        cell("follows", 7, "followee_id", "h2"),
        [("follows.csv", 7, "followee_id", "a friend tie joins two users, but 'h2' is a streamer")],
    ),
    (
        "following oneself",
        cell("follows", 4, "followee_id", "u3"),
        [("follows.csv", 4, "followee_id", "'u3' follows themselves")],
    ),
    # --- fields by event type
    (
        "watch without seconds",
        cell("events", 2, "seconds", ""),
        [("events.csv", 2, "seconds", "missing value: a watch event needs seconds")],
    ),
    (
        "purchase without amount",
        cell("events", 10, "amount", ""),
        [("events.csv", 10, "amount", "missing value: a purchase event needs amount")],
    ),
    (
        "purchase without product",
        cell("events", 21, "product_id", ""),
        [("events.csv", 21, "product_id", "missing value: a purchase event needs product_id")],
    ),
    (
        "share without channel",
        cell("events", 4, "channel", ""),
        [("events.csv", 4, "channel", "missing value: a share event needs channel")],
    ),
    (
        "via_share on a like",
        cell("events", 3, "via_share", "e03"),
        [
            (
                "events.csv",
                3,
                "via_share",
                "via_share is only allowed on watch events (this is a like event)",
            )
        ],
    ),
    (
        "no seconds column at all",
        lambda log: log.drop_column("events", "seconds"),
        [("events.csv", None, "seconds", "column missing, but watch events need it")],
    ),
    # --- referrals
    (
        "via_share that is not a share",
        cell("events", 6, "via_share", "e02"),
        [("events.csv", 6, "via_share", "via_share 'e02' is a like event, not a share")],
    ),
    (
        "via_share to no event",
        cell("events", 6, "via_share", "e99"),
        [("events.csv", 6, "via_share", "unknown via_share 'e99' (no such event_id in events)")],
    ),
    (
        "via_share of another stream",
        cell("events", 6, "via_share", "e16"),
        [
            (
                "events.csv",
                6,
                "via_share",
                "via_share 'e16' is a share in stream 's2', not in this event's stream 's1'",
            )
        ],
    ),
    (
        "via_share made after the watch",
        cell("events", 4, "at", "2024-03-01T20:13:00"),
        [
            (
                "events.csv",
                5,
                "via_share",
                "via_share 'e03' was shared at 2024-03-01T20:13:00, "
                "after this watch at 2024-03-01T20:12:00",
            )
        ],
    ),
    (
        "self-referral",
        cell("events", 12, "user_id", "u2"),
        [
            (
                "events.csv",
                12,
                "via_share",
                "self-referral: via_share 'e07' is a share by the same user 'u2'",
            )
        ],
    ),
    (
        "sharer never watched",
        cell("events", 13, "user_id", "u6"),
        [
            (
                "events.csv",
                13,
                "at",
                "share by 'u6' at 2024-03-01T20:50:00, but that user has no "
                "watch event in stream 's1' at or before it",
            )
        ],
    ),
    (
        "sharer watched only later",
        cell("events", 8, "at", "2024-03-01T20:11:00"),
        [
            (
                "events.csv",
                8,
                "at",
                "share by 'u2' at 2024-03-01T20:11:00, but that user has no watch",
            )
        ],
    ),
    (
        "referral cycle",
        append(
            "events",
            "e21,u2,s2,watch,2024-03-02T19:45:00,60,,,,,e24",
            "e22,u2,s2,share,2024-03-02T19:45:00,,,,,qq,",
            "e23,u3,s2,watch,2024-03-02T19:45:00,60,,,,,e22",
            "e24,u3,s2,share,2024-03-02T19:45:00,,,,,qq,",
        ),
        [
            ("events.csv", 22, "via_share", "referral cycle in stream 's2': "),
            ("events.csv", 24, "via_share", "referral cycle in stream 's2': "),
        ],
    ),
    # --- garbage files
    (
        "ragged row",
        recode(
            "events",
            lambda b: b.replace(b"e02,u1,s1,like,2024-03-01T20:05:00,,3,,,,", b"e02,u1,s1,like", 1),
        ),
        [("events.csv", 3, None, "4 fields, but the header has 11 columns")],
    ),
    (
        "binary bytes",
        write("users.csv", bytes(range(256)) * 4),
        [("users.csv", None, None, "binary data (NUL bytes), not UTF-8 CSV text")],
    ),
    (
        "latin-1 text",
        recode("users", lambda b: b.replace(b"mid", "m\u00e9d".encode("latin-1"))),
        [
            (
                "users.csv",
                4,
                None,
                "not UTF-8 text: byte 0xe9 cannot be decoded (save the file as UTF-8)",
            )
        ],
    ),
    (
        "UTF-16 text",
        recode("users", lambda b: b.decode().encode("utf-16")),
        [("users.csv", None, None, "UTF-16 text: save the file as UTF-8")],
    ),
    ("empty file", write("tasks.csv", b""), [("tasks.csv", None, None, "empty file (0 bytes)")]),
    (
        "blank first line",
        write("tasks.csv", b"\ntask_id,kind\n"),
        [("tasks.csv", 1, None, "no header row: the first line is empty")],
    ),
    (
        "not a Parquet file",
        lambda log: (log.remove("tasks.csv"), log.write_bytes("tasks.parquet", b"not parquet!")),
        [("tasks.parquet", None, None, "not a readable Parquet file")],
    ),
    (
        "empty Parquet file",
        lambda log: (log.remove("tasks.csv"), log.write_bytes("tasks.parquet", b"")),
        [("tasks.parquet", None, None, "empty file (0 bytes), not a Parquet file")],
    ),
    (
        "not gzip",
        lambda log: (log.remove("tasks.csv"), log.write_bytes("tasks.csv.gz", b"plain")),
        [("tasks.csv.gz", None, None, "not a valid gzip file")],
    ),
    (
        "gzip of binary",
        lambda log: (
            log.remove("tasks.csv"),
            log.write_bytes("tasks.csv.gz", gzip.compress(b"\x00\x01")),
        ),
        [("tasks.csv.gz", None, None, "binary data")],
    ),
]


@pytest.mark.parametrize("corrupt, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_error_class_is_reported_at_its_file_line_and_column(tiny_copy, corrupt, expected):
    corrupt(tiny_copy)
    with pytest.raises(LogError) as e:
        read_log(tiny_copy.path)
    got = e.value.problems
    assert len(got) == len(expected), "\n".join(map(str, got))
    for p, (file, line, column, fragment) in zip(got, expected, strict=True):
        assert (p.file, p.row, p.column) == (file, line, column), str(p)
        assert fragment in p.message, str(p)
        assert "\n" not in str(p)


def test_the_message_format_is_file_line_column_message(tiny_copy):
    tiny_copy.set_cell("events", 14, "seconds", "-3")
    tiny_copy.set_cell("events", 14, "type", "watch")
    with pytest.raises(LogError) as e:
        read_log(tiny_copy.path)
    assert str(e.value) == "events.csv line 14, column seconds: negative value -3.0 (must be >= 0)"


def test_all_problems_are_reported_sorted_by_file_then_line(tiny_copy):
    tiny_copy.set_cell("events", 9, "amount", "-1")
    tiny_copy.set_cell("events", 2, "seconds", "abc")
    tiny_copy.set_cell("streamers", 2, "commission_rate", "2")
    with pytest.raises(LogError) as e:
        read_log(tiny_copy.path)
    assert [(p.file, p.row, p.column) for p in e.value.problems] == [
        ("streamers.csv", 2, "commission_rate"),
        ("events.csv", 2, "seconds"),
        ("events.csv", 9, "amount"),
    ]
    assert e.value.total == 3 and len(str(e.value).splitlines()) == 3


def test_a_bad_cell_is_reported_once(tiny_copy):
    """A stream_id that is unknown is not also reported as outside its window, and so on."""
    tiny_copy.set_cell("events", 3, "stream_id", "s9")
    tiny_copy.set_cell("events", 15, "at", "yesterday")
    problems = validate_log(tiny_copy.path)
    assert [(p.row, p.column) for p in problems] == [(3, "stream_id"), (15, "at")]


def test_the_first_arrival_rule_needs_no_edge_for_a_later_watch(tiny_copy):
    # e11 (u5, line 12) arrives through u2's share after u5 had already watched: valid, no cycle
    assert validate_log(tiny_copy.path) == []


def test_a_share_at_the_same_time_as_the_watch_is_allowed(tiny_copy):
    tiny_copy.set_cell("events", 4, "at", "2024-03-01T20:12:00")  # share e03 at u2's arrival
    assert validate_log(tiny_copy.path) == []


def test_thousands_of_bad_rows_are_capped_with_a_count(tiny_copy):
    n = 3000
    tiny_copy.append(
        "events", *(f"x{i},u1,s1,watch,2024-03-01T20:00:00,abc,,,,," for i in range(n))
    )
    with pytest.raises(LogError) as e:
        read_log(tiny_copy.path)
    err = e.value
    assert err.total == n
    lines = str(err).splitlines()
    assert len(lines) == MAX_PROBLEMS + 1
    assert lines[0] == "events.csv line 22, column seconds: not a number: 'abc'"
    assert lines[-1] == f"... and {n - MAX_PROBLEMS} more problem(s)"


def test_problems_in_parquet_files_name_rows(tiny_dir, tmp_path):
    folder = write_log(read_log(tiny_dir), tmp_path / "log", fmt="parquet")
    events = pq.read_table(folder / "events.parquet").to_pandas()
    events.loc[0, "seconds"] = -3.0
    events.loc[2, "seconds"] = float("inf")
    pq.write_table(pa.Table.from_pandas(events, preserve_index=False), folder / "events.parquet")
    users = pa.table({"user_id": [f"u{i}" for i in range(1, 7)], "joined_at": [True] * 6})
    pq.write_table(users, folder / "users.parquet")
    problems = [str(p) for p in validate_log(folder)]
    assert problems == [
        "users.parquet, column joined_at: column has type bool, expected timestamps or ISO 8601 text",
        "events.parquet row 1, column seconds: negative value -3.0 (must be >= 0)",
        "events.parquet row 3, column seconds: not a finite number: 'inf'",
    ]


def test_parquet_text_cells_are_checked_like_csv(tiny_dir, tmp_path):
    folder = write_log(read_log(tiny_dir), tmp_path / "log", fmt="parquet")
    tasks = pa.table(
        {
            "task_id": ["t1", "t2"],
            "kind": ["watch", "share"],
            "threshold": ["900", "lots"],
            "reward_coins": [3600.5, 0.0],
            "reward_coupon": [0.0, 5.0],
        }
    )
    pq.write_table(tasks, folder / "tasks.parquet")
    assert [str(p) for p in validate_log(folder)] == [
        "tasks.parquet row 1, column reward_coins: not a whole number: '3600.5'",
        "tasks.parquet row 2, column threshold: not a number: 'lots'",
    ]


def test_bad_folder_errors_are_user_errors(tmp_path):
    assert issubclass(LogError, UserError)
    problems = validate_log(tmp_path / "missing")
    assert problems == [Problem(str(tmp_path / "missing"), None, None, "no such folder")]


CYCLE = [
    "e21,u2,s2,watch,2024-03-02T19:45:00,60,,,,,e24",
    "e22,u2,s2,share,2024-03-02T19:45:00,,,,,qq,",
    "e23,u3,s2,watch,2024-03-02T19:45:00,60,,,,,e22",
    "e24,u3,s2,share,2024-03-02T19:45:00,,,,,qq,",
]


@pytest.mark.parametrize("plain_id, cycle", [("e205", False), ("e215", True)])
def test_ties_between_first_watches_are_broken_by_event_id(tiny_copy, plain_id, cycle):
    """u2 also watches at 19:45 without a share; if that watch sorts first, u2 was not referred."""
    tiny_copy.append("events", *CYCLE, f"{plain_id},u2,s2,watch,2024-03-02T19:45:00,60,,,,,")
    problems = validate_log(tiny_copy.path)
    assert bool(problems) == cycle
    assert all("referral cycle in stream 's2': u3 -> u2 -> u3" in p.message for p in problems)


def test_a_longer_cycle_names_every_member_and_spares_the_tail(tiny_copy):
    tiny_copy.append(
        "events",
        "e21,u2,s2,watch,2024-03-02T19:45:00,60,,,,,e26",
        "e22,u2,s2,share,2024-03-02T19:45:00,,,,,qq,",
        "e23,u3,s2,watch,2024-03-02T19:45:00,60,,,,,e22",
        "e24,u3,s2,share,2024-03-02T19:45:00,,,,,qq,",
        "e25,u4,s2,watch,2024-03-02T19:45:00,60,,,,,e24",
        "e26,u4,s2,share,2024-03-02T19:45:00,,,,,qq,",
        "e27,u5,s2,watch,2024-03-02T19:45:00,60,,,,,e26",
    )
    problems = validate_log(tiny_copy.path)
    assert [p.row for p in problems] == [22, 24, 26]
    assert {p.message.split(" (")[0] for p in problems} == {
        "referral cycle in stream 's2': u3 -> u4 -> u2 -> u3"
    }


def test_parquet_timestamps_beyond_the_nanosecond_range_are_reported(tiny_dir, tmp_path):
    folder = write_log(read_log(tiny_dir), tmp_path / "log", fmt="parquet")
    joined = pa.array([32_503_680_000] + [0] * 5, pa.timestamp("s"))  # 3000-01-01, then 1970
    users = pa.table({"user_id": [f"u{i}" for i in range(1, 7)], "joined_at": joined})
    pq.write_table(users, folder / "users.parquet")
    assert [str(p) for p in validate_log(folder)] == [
        "users.parquet row 1, column joined_at: datetime out of range 3000-01-01 00:00:00 "
        "(must be within 1677-09-21 to 2262-04-11)"
    ]


def test_an_id_longer_than_a_neo4j_index_key_is_reported_with_the_limit(tiny_copy):
    from graphmodel.eventlog.columns import MAX_ID_BYTES

    assert MAX_ID_BYTES == 8000
    tiny_copy.set_cell("follows", 2, "followee_id", "x" * 9000)
    tiny_copy.set_cell("follows", 3, "followee_id", "é" * 4001)  # 4,001 characters, 8,002 bytes
    tiny_copy.set_cell("users", 7, "user_id", "ü" * 4000)  # u6 at exactly the limit: an id
    problems = [str(p) for p in validate_log(tiny_copy.path)]
    limit = "the limit is 8,000 bytes (Neo4j index key size)"
    assert problems[:2] == [
        f"follows.csv line 2, column followee_id: id is 9,000 bytes in UTF-8; {limit}",
        f"follows.csv line 3, column followee_id: id is 8,002 bytes in UTF-8; {limit}",
    ]
    # the id at the limit is valid: only u6's own rows now name an unknown user
    assert not any("users.csv" in p for p in problems)
    assert all("'u6'" in p for p in problems[2:]) and len(problems) > 2
