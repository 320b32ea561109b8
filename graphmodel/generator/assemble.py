"""From the simulation's integer arrays to the event log's tables ([docs/model.md, section 2][model-2]).

Ids are text with a prefix and a zero-padded 1-based number, wide enough
for the count (``u000001``, ``st0001``, ``s000001``, ``e0000001``, ``a001``,
``p0001``, ``t01``), so their text order is their numeric order. Events are
numbered in time order. Times are whole seconds, naive UTC.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from graphmodel.eventlog.log import EventLog
from graphmodel.generator.config import CATEGORIES, GeneratorConfig
from graphmodel.generator.population import SEGMENTS
from graphmodel.generator.tasks import TASKS
from graphmodel.schema import CHANNELS, EVENT_TYPES, FOLLOW_KINDS

__all__ = ["assemble", "make_ids", "table_sizes", "id_maker"]

#: table -> (prefix, minimum digits)
ID_FORMATS = {
    "users": ("u", 6),
    "streamers": ("st", 4),
    "streams": ("s", 6),
    "events": ("e", 7),
    "advertisers": ("a", 3),
    "products": ("p", 4),
    "tasks": ("t", 2),
}


def make_ids(table: str, n: int) -> pa.Array:
    """The ids ``prefix + 1..n``, zero-padded to at least the table's width."""
    return _ids(table, np.arange(n, dtype=np.int64), n)


def _width(table: str, n: int) -> int:
    return max(ID_FORMATS[table][1], len(str(n)))


#: "0000".."9999" as a (10000, 4) byte matrix
_DIGITS4 = np.array(
    [[48 + (i // 10**k) % 10 for k in (3, 2, 1, 0)] for i in range(10_000)], dtype=np.uint8
)


def _id_bytes(table: str, n: int, start: int = 0, stop: int | None = None) -> np.ndarray:
    """The ids of rows ``start..stop-1`` (default all ``n``) of a table of ``n`` rows as a
    ``(stop - start, len(prefix) + width)`` byte matrix."""
    stop = n if stop is None else stop
    prefix = ID_FORMATS[table][0].encode("ascii")
    size = len(prefix) + _width(table, n)
    chars = np.empty((stop - start, size), dtype=np.uint8)
    chars[:, : len(prefix)] = np.frombuffer(prefix, dtype=np.uint8)
    x = np.arange(start + 1, stop + 1, dtype=np.int64)
    end = size
    while end > len(prefix):  # four digits at a time, from the right
        k = min(4, end - len(prefix))
        chars[:, end - k : end] = _DIGITS4[x % 10_000][:, 4 - k :]
        x //= 10_000
        end -= k
    return chars


def _ids(table: str, index: np.ndarray, n: int, chars: np.ndarray | None = None) -> pa.Array:
    """The ids of rows ``index`` (0-based) of a table of ``n`` rows; missing where ``index < 0``.

    Ids have a fixed width, so the Arrow string array is built directly from
    a byte matrix (the table's ids, gathered row-wise) and fixed offsets, with
    no per-row formatting. ``chars`` is the table's `_id_bytes`, if at hand.
    """
    if chars is None:
        chars = _id_bytes(table, n)
    size = chars.shape[1]
    index = np.asarray(index, dtype=np.int64)
    m = len(index)
    missing = index < 0
    rows = np.ascontiguousarray(chars).view(f"V{size}").ravel()
    data = rows[np.where(missing, 0, index)] if n else np.zeros(m, dtype=f"V{size}")
    offsets = np.arange(m + 1, dtype=np.int64) * size
    return _string_array(m, offsets, data, missing)


def _string_array(m: int, offsets: np.ndarray, data: np.ndarray, missing: np.ndarray) -> pa.Array:
    nulls = int(missing.sum())
    validity = pa.py_buffer(np.packbits(~missing, bitorder="little")) if nulls else None
    return pa.Array.from_buffers(
        pa.large_string(),
        m,
        [validity, pa.py_buffer(offsets), pa.py_buffer(data)],
        null_count=nulls,
    )


def _text(values: pa.Array) -> pd.Series:
    return pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array([values.cast(pa.large_string())])))


def _ref(table: str, index: np.ndarray, n: int, chars: np.ndarray | None = None) -> pd.Series:
    """Ids of ``table`` (``n`` rows) for the row numbers ``index``; missing where ``index < 0``."""
    return _text(_ids(table, index, n, chars))


def _names(names, codes: np.ndarray) -> pd.Series:
    """Text labels ``names[codes]``; missing where ``codes < 0``."""
    codes = np.asarray(codes, dtype=np.int64)
    labels = pa.array(list(names), type=pa.large_string())
    return _text(labels.take(pa.array(codes, mask=codes < 0)))


def _times(seconds: np.ndarray) -> pd.Series:
    return pd.Series(
        np.asarray(seconds, dtype=np.int64).astype("datetime64[s]").astype("datetime64[ns]")
    )


def _labels(prefix: str, n: int) -> pd.Series:
    """``prefix + 1..n`` without padding (display names)."""
    numbers = pc.cast(pa.array(np.arange(1, n + 1, dtype=np.int64)), pa.large_string())
    scalar = pa.scalar(prefix, type=pa.large_string())
    return _text(
        pc.binary_join_element_wise(scalar, numbers, pa.scalar("", type=pa.large_string()))
    )


def _cat(parts, name):
    return np.concatenate([getattr(p, name) for p in parts]) if parts else np.zeros(0, np.int64)


def table_sizes(pop, cat) -> dict[str, int]:
    """Rows of every table but the log's own (events, follows, ad spend, completions)."""
    return {
        "users": pop.n,
        "streamers": len(cat.commission),
        "streams": cat.n_streams,
        "advertisers": len(cat.industry),
        "products": len(cat.price),
        "tasks": len(TASKS),
    }


def id_maker(n: dict[str, int]):
    """``ids(table, index=None)``: the id column of rows ``index`` (all rows by default)."""
    chars = {t: _id_bytes(t, k) for t, k in n.items()}

    def ids(table: str, index: np.ndarray | None = None) -> pd.Series:
        index = np.arange(n[table]) if index is None else index
        return _ref(table, index, n[table], chars[table])

    ids.chars = chars
    return ids


def assemble(cfg: GeneratorConfig, pop, cat, social, days, completions, spends) -> EventLog:
    """The [`EventLog`][graphmodel.eventlog.log.EventLog] of a run: every table, canonical dtypes, ``meta`` with the config."""
    n = table_sizes(pop, cat)
    ids = id_maker(n)
    chars = ids.chars

    frames: dict[str, pd.DataFrame] = {}
    frames["users"] = pd.DataFrame(
        {
            "user_id": ids("users"),
            "joined_at": _times(pop.joined_at),
            "segment": _names(SEGMENTS, pop.segment_codes()),
        }
    )
    frames["streamers"] = pd.DataFrame(
        {
            "streamer_id": ids("streamers"),
            "name": _labels("host ", n["streamers"]),
            "commission_rate": np.round(cat.commission, 4),
        }
    )
    frames["advertisers"] = pd.DataFrame(
        {
            "advertiser_id": ids("advertisers"),
            "name": _labels("merchant ", n["advertisers"]),
            "industry": _names(CATEGORIES, cat.industry),
        }
    )
    frames["streams"] = pd.DataFrame(
        {
            "stream_id": ids("streams"),
            "streamer_id": ids("streamers", cat.stream_streamer),
            "started_at": _times(cat.stream_start),
            "ended_at": _times(cat.stream_end),
            "category": _names(CATEGORIES, cat.stream_category),
        }
    )
    frames["products"] = pd.DataFrame(
        {
            "product_id": ids("products"),
            "advertiser_id": ids("advertisers", cat.product_advertiser),
            "price": cat.price,
            "category": _names(CATEGORIES, cat.product_category),
        }
    )
    # follows: the followee is a user or a streamer
    as_user = _ids(
        "users", np.where(social.followee_streamer, -1, social.followee), n["users"], chars["users"]
    )
    as_streamer = _ids(
        "streamers",
        np.where(social.followee_streamer, social.followee, -1),
        n["streamers"],
        chars["streamers"],
    )
    frames["follows"] = pd.DataFrame(
        {
            "follower_id": ids("users", social.follower),
            "followee_id": _text(pc.coalesce(as_user, as_streamer)),
            "kind": _names(
                FOLLOW_KINDS,
                np.where(social.friend, FOLLOW_KINDS.index("friend"), FOLLOW_KINDS.index("follow")),
            ),
            "since": _times(social.since),
        }
    )
    frames["events"] = _events(days, ids)
    frames["ad_spend"] = _ad_spend(spends, ids)
    frames["tasks"], frames["task_completions"] = _tasks(cfg, completions, ids)
    meta = {"seed": cfg.seed, "generator": cfg.to_dict()}
    return EventLog.from_frames(frames, source="generator", meta=meta)


def _events(days, ids, start: int = 0, total: int | None = None) -> pd.DataFrame:
    """The events of ``days``; with ``start`` and ``total``, rows ``start..`` of a log of
    ``total`` events (a chunk: ``via`` never leaves its day, so it stays in the chunk)."""
    sizes = [len(d.type) for d in days]
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
    n = int(sum(sizes))
    typ = _cat(days, "type").astype(np.int64)
    via = (
        np.concatenate(
            [np.where(d.via >= 0, d.via + off, -1) for d, off in zip(days, offsets, strict=True)]
        )
        if days
        else np.zeros(0, np.int64)
    )
    seconds = _cat(days, "seconds").astype(float)
    count = _cat(days, "count")
    chars = _id_bytes("events", n if total is None else total, start, start + n)
    return pd.DataFrame(
        {
            "event_id": _ref("events", np.arange(n), n, chars),
            "user_id": ids("users", _cat(days, "user")),
            "stream_id": ids("streams", _cat(days, "stream")),
            "type": _names(EVENT_TYPES, typ),
            "at": _times(_cat(days, "at")),
            "seconds": np.where(typ == 0, seconds, np.nan),
            "count": pd.arrays.IntegerArray(count.astype(np.int64), typ != 1),
            "amount": _cat(days, "amount").astype(float),
            "product_id": ids("products", _cat(days, "product")),
            "channel": _names(CHANNELS, _cat(days, "channel")),
            "via_share": _ref("events", via, n, chars),
        }
    )


def _ad_spend(spends, ids) -> pd.DataFrame:
    st = _cat(spends, "stream")
    ad = _cat(spends, "advertiser")
    at = _cat(spends, "at")
    order = np.lexsort((ad, st, at))
    return pd.DataFrame(
        {
            "advertiser_id": ids("advertisers", ad[order]),
            "stream_id": ids("streams", st[order]),
            "spend": _cat(spends, "spend").astype(float)[order],
            "impressions": pd.array(
                _cat(spends, "impressions")[order].astype(np.int64), dtype="Int64"
            ),
            "at": _times(at[order]),
        }
    )


def _tasks(cfg: GeneratorConfig, completions, ids) -> tuple[pd.DataFrame, pd.DataFrame]:
    defs = TASKS if cfg.tasks else ()
    tasks = pd.DataFrame(
        {
            "task_id": ids("tasks", np.arange(len(defs))),
            "kind": pd.Series([k for k, *_ in defs], dtype="string[pyarrow]"),
            "threshold": np.array([t for _, t, *_ in defs], dtype=float),
            "reward_coins": pd.array([c for _, _, c, _ in defs], dtype="Int64"),
            "reward_coupon": np.array([c * cfg.coupon_yuan for *_, c in defs], dtype=float),
        }
    )
    done = pd.DataFrame(
        {
            "user_id": ids("users", _cat(completions, "user")),
            "task_id": ids("tasks", _cat(completions, "task")),
            "at": _times(_cat(completions, "at")),
            "coins": pd.array(_cat(completions, "coins").astype(np.int64), dtype="Int64"),
            "coupon": _cat(completions, "coupon").astype(float),
            "coupon_redeemed": pd.array(
                _cat(completions, "redeemed").astype(bool), dtype="boolean"
            ),
        }
    )
    return tasks, done
