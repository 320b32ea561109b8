"""Turn raw columns into the canonical dtypes, marking the cells that do not fit.

A CSV column arrives as text (every cell a string, ``""`` for missing); a
Parquet column arrives as whatever Arrow type the writer chose. Both are
converted here to the dtype of `graphmodel.eventlog.log.DTYPES` for the
column's kind (`graphmodel.schema`). A cell that cannot be converted
becomes missing in the result and is marked *bad*, with a one-line reason, so
that the validator reports it once and later checks skip it.

Accepted input, by kind:

``id``, ``str``, ``enum``
    text; in Parquet also integers (``7`` becomes ``"7"``) and whole floats
    (``7.0`` becomes ``"7"``). The empty string is missing.
``float``
    a decimal number (``3``, ``-0.5``, ``1e3``); ``inf`` and ``nan`` are not
    finite and are rejected; so are numbers beyond +-1e15 (`MAX_ABS`).
    In Parquet, a NaN is missing, as in pandas.
``int``
    a whole number (``3`` or ``3.0``) within +-1e15.
``datetime``
    ISO 8601 (``2024-03-01T20:00:00``, with a space instead of ``T``, with
    fractional seconds, a date alone, or with ``Z`` / ``+08:00``). Times with
    an offset are converted to UTC; times without one are kept as they are.
    Stored as ``datetime64[ns]``, so years 1678 to 2261.
``bool``
    ``true``/``false``, ``1``/``0``, ``yes``/``no`` (any case).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from graphmodel.schema import Column

__all__ = ["MAX_ABS", "MAX_ID_BYTES", "Converted", "from_text", "from_arrow", "show"]

#: Largest magnitude accepted for a number: larger values are rejected as implausible.
MAX_ABS = 1e15

#: Longest id accepted, in bytes of UTF-8. Every id becomes a Neo4j property held in
#: a range index (a uniqueness constraint on node ids, an index on relationship
#: ids), and a Neo4j index key holds at most 8,167 bytes (Operations Manual, "Index
#: key calculations"): Neo4j 5.26 indexes a string of 8,164 bytes of UTF-8 and
#: refuses one of 8,165 (measured on the test server) with "Property value is too
#: large to index", half-way through ``graphmodel load``. The limit keeps a round
#: margin below that.
MAX_ID_BYTES = 8000

_NUMBER_RE = r"(?i)^[+-]?((\d+\.?\d*|\.\d+)(e[+-]?\d+)?|inf|infinity|nan)$"
_NUMBER = re.compile(_NUMBER_RE)
_ISO_RE = (
    r"^\d{4}-\d{2}-\d{2}([T ]\d{2}(:\d{2}(:\d{2}(\.\d{1,9})?)?)?)?"
    r"(Z|[+-]\d{2}(:?\d{2})?)?$"
)
_TRUE = ("true", "1", "yes")
_FALSE = ("false", "0", "no")
_NS_MIN = pd.Timestamp.min.as_unit("ns")
_NS_MAX = pd.Timestamp.max.as_unit("ns")
_RANGE = f"{_NS_MIN:%Y-%m-%d} to {_NS_MAX:%Y-%m-%d}"


@dataclass
class Converted:
    """A converted column: ``series`` in the canonical dtype (missing where bad),
    ``bad`` marks the cells that could not be converted (``None``: none), and
    ``reason(i)`` says why cell ``i`` is bad."""

    series: pd.Series
    bad: np.ndarray | None = None
    reason: Callable[[int], str] | None = None


def show(value: object, limit: int = 40) -> str:
    """A value for a one-line message: quoted, control characters escaped, shortened."""
    text = repr(value) if isinstance(value, str) else str(value)
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return text


def _strings(values: pa.Array | pa.ChunkedArray) -> pd.Series:
    if not (pa.types.is_string(values.type) or pa.types.is_large_string(values.type)):
        values = values.cast(pa.large_string())
    return pd.Series(pd.arrays.ArrowStringArray(values))


def _blank_to_null(text: pa.Array) -> pa.Array:
    """Empty strings become null (missing)."""
    empty = pc.equal(text, "")
    if pc.any(empty).as_py():
        return pc.if_else(empty, pa.scalar(None, text.type), text)
    return text


def _mask(bool_array: pa.Array) -> np.ndarray:
    return np.asarray(bool_array.fill_null(False).to_numpy(zero_copy_only=False), dtype=bool)


def _float_values(array: pa.Array) -> np.ndarray:
    return np.asarray(array.to_numpy(zero_copy_only=False), dtype="float64")


def _reason_number(raw: object, kind: str) -> str:
    text = str(raw).strip()
    if not _NUMBER.match(text):
        what = "a whole number" if kind == "int" else "a number"
        return f"not {what}: {show(raw)}"
    x = float(text)
    if not math.isfinite(x) and text.lstrip("+-")[:1].lower() in ("i", "n"):
        return f"not a finite number: {show(raw)}"
    if not math.isfinite(x) or abs(x) > MAX_ABS:
        return f"implausibly large number {show(raw)} (the limit is {MAX_ABS:g})"
    if kind == "int" and x != int(x):
        return f"not a whole number: {show(raw)}"
    return f"not a number: {show(raw)}"


def _reason_datetime(raw: object) -> str:
    if re.match(_ISO_RE, str(raw).strip()):
        try:
            pd.Timestamp(str(raw).strip())
        except (ValueError, OverflowError):
            return f"not an ISO 8601 datetime: {show(raw)}"
        return f"datetime out of range {show(raw)} (must be within {_RANGE})"
    return f"not an ISO 8601 datetime: {show(raw)}"


def _numbers(text: pa.Array, kind: str) -> Converted:
    """Text to float64 (or Int64): bad where not a number, not finite, too large or not whole.

    A literal ``nan`` is bad too: only an empty cell is missing.
    """
    raw = text
    text = _blank_to_null(pc.utf8_trim_whitespace(text))
    present = _mask(pc.is_valid(text))
    try:
        values = _float_values(pc.cast(text, pa.float64()))
    except pa.ArrowInvalid:
        ok = pc.match_substring_regex(text, _NUMBER_RE)
        text = pc.if_else(ok, text, pa.scalar(None, text.type))
        try:
            values = _float_values(pc.cast(text, pa.float64()))
        except pa.ArrowInvalid:  # not expected after the regex; parse cell by cell
            values = np.array(
                [np.nan if v is None else float(v) for v in text.to_pylist()], dtype="float64"
            )
    bad = present & np.isnan(values)  # not a number, or the text "nan"
    return _finish_numbers(values, bad, kind, lambda i: _reason_number(raw[i].as_py(), kind))


def _finish_numbers(
    values: np.ndarray, bad: np.ndarray | None, kind: str, reason: Callable[[int], str]
) -> Converted:
    """Mark infinite, too large and (for ints) fractional values bad; NaN stays missing."""
    with np.errstate(invalid="ignore"):
        wrong = np.isinf(values) | (np.abs(values) > MAX_ABS)
        if kind == "int":
            wrong |= np.isfinite(values) & (values != np.floor(values))
    bad = wrong if bad is None else bad | wrong
    values = np.where(bad, np.nan, values)
    if kind == "int":
        missing = np.isnan(values)
        ints = np.where(missing, 0, values).astype("int64")
        series = pd.Series(pd.arrays.IntegerArray(ints, missing))
    else:
        series = pd.Series(values, dtype="float64")
    return Converted(series, bad if bad.any() else None, reason)


def _datetimes_from_ns(
    values: np.ndarray, bad: np.ndarray | None, reason: Callable[[int], str]
) -> Converted:
    series = pd.Series(values.astype("datetime64[ns]"))
    if bad is not None and bad.any():
        series[bad] = pd.NaT
        return Converted(series, bad, reason)
    return Converted(series)


def _text_datetimes(text: pa.Array) -> Converted:
    raw = text
    text = _blank_to_null(pc.utf8_trim_whitespace(text))
    present = _mask(pc.is_valid(text))

    def reason(i: int) -> str:
        return _reason_datetime(raw[i].as_py())

    for target in (pa.timestamp("ns"), pa.timestamp("ns", "UTC")):
        try:
            parsed = pc.cast(text, target)
        except pa.ArrowInvalid:
            continue
        if target.tz is not None:
            parsed = parsed.cast(pa.int64()).cast(pa.timestamp("ns"))
        values = parsed.to_numpy(zero_copy_only=False).astype("datetime64[ns]")
        return _datetimes_from_ns(values, None, reason)
    # mixed offsets, or some cells that are not datetimes: pandas' ISO 8601 parser,
    # after a check of the shape (pandas also takes "2024/03/01")
    shaped = pc.match_substring_regex(text, _ISO_RE)
    text = pc.if_else(shaped, text, pa.scalar(None, text.type))
    strings = pd.Series(text.to_numpy(zero_copy_only=False), dtype=object)
    parsed = pd.to_datetime(strings, format="ISO8601", utc=True, errors="coerce")
    parsed = parsed.dt.tz_localize(None)
    in_range = (parsed.notna() & (parsed >= _NS_MIN) & (parsed <= _NS_MAX)).to_numpy(dtype=bool)
    bad = present & ~in_range
    values = parsed.where(in_range).astype("datetime64[ns]").to_numpy()
    return _datetimes_from_ns(values, bad, reason)


def _text_bools(text: pa.Array) -> Converted:
    raw = text
    lowered = _blank_to_null(pc.utf8_lower(pc.utf8_trim_whitespace(text)))
    true = _mask(pc.is_in(lowered, value_set=pa.array(_TRUE)))
    false = _mask(pc.is_in(lowered, value_set=pa.array(_FALSE)))
    present = _mask(pc.is_valid(lowered))
    bad = present & ~true & ~false
    series = pd.Series(pd.arrays.BooleanArray(true, ~(true | false)))

    def reason(i: int) -> str:
        return f"not a boolean (true/false, 1/0, yes/no): {show(raw[i].as_py())}"

    return Converted(series, bad if bad.any() else None, reason)


def from_text(column: Column, text: pa.Array) -> Converted:
    """Convert a text column (a CSV column; ``""`` is missing) to ``column``'s dtype."""
    kind = column.kind
    if kind in ("id", "str", "enum"):
        return Converted(_strings(_blank_to_null(text)))
    if kind in ("float", "int"):
        return _numbers(text, kind)
    if kind == "datetime":
        return _text_datetimes(text)
    if kind == "bool":
        return _text_bools(text)
    raise ValueError(f"unknown column kind {kind!r}")  # a bug in schema.py


def _wrong_type(column: Column, arrow_type: pa.DataType) -> str:
    expected = {
        "id": "text ids (or whole numbers)",
        "str": "text",
        "enum": "text, one of " + ", ".join(column.values),
        "float": "numbers",
        "int": "whole numbers",
        "datetime": "timestamps or ISO 8601 text",
        "bool": "booleans",
    }[column.kind]
    return f"column has type {arrow_type}, expected {expected}"


def from_arrow(column: Column, values: pa.Array | pa.ChunkedArray) -> Converted | str:
    """Convert an Arrow column (from Parquet) to ``column``'s dtype.

    Returns a message instead when the column's type cannot hold the kind
    at all (e.g. booleans for a datetime column): a problem of the whole column.
    """
    t = values.type
    if pa.types.is_dictionary(t):
        values = values.cast(t.value_type)
        t = values.type
    if pa.types.is_large_string(t) or pa.types.is_string(t):
        return from_text(column, values)
    if pa.types.is_null(t):
        return from_text(column, pa.nulls(len(values), pa.large_string()))
    kind = column.kind
    numeric = pa.types.is_integer(t) or pa.types.is_floating(t) or pa.types.is_decimal(t)
    if kind == "id" and numeric:
        return _arrow_numeric_ids(values)
    if kind == "str" and (numeric or pa.types.is_boolean(t) or pa.types.is_temporal(t)):
        return Converted(_strings(values.cast(pa.large_string())))
    if kind in ("float", "int") and numeric:
        floats = _float_values(values.cast(pa.float64(), safe=False))

        def reason(i: int) -> str:
            return _reason_number(str(values[i].as_py()), kind)

        return _finish_numbers(floats, None, kind, reason)
    if kind == "datetime" and (pa.types.is_timestamp(t) or pa.types.is_date(t)):
        return _arrow_datetimes(values)
    if kind == "bool" and pa.types.is_boolean(t):
        return Converted(
            pd.Series(
                values.to_pandas(types_mapper={pa.bool_(): pd.BooleanDtype()}.get), dtype="boolean"
            )
        )
    if kind == "bool" and pa.types.is_integer(t):
        ints = values.cast(pa.int64())
        true = _mask(pc.equal(ints, 1))
        false = _mask(pc.equal(ints, 0))
        present = _mask(pc.is_valid(ints))
        bad = present & ~true & ~false

        def reason(i: int) -> str:
            return f"not a boolean (true/false, 1/0, yes/no): {values[i].as_py()}"

        return Converted(
            pd.Series(pd.arrays.BooleanArray(true, ~(true | false))),
            bad if bad.any() else None,
            reason,
        )
    return _wrong_type(column, t)


def _arrow_numeric_ids(values: pa.Array) -> Converted:
    """Whole numbers as ids: ``7`` and ``7.0`` become ``"7"``; fractions are bad."""
    if pa.types.is_integer(values.type):
        return Converted(_strings(values.cast(pa.large_string())))
    floats = _float_values(values.cast(pa.float64(), safe=False))
    with np.errstate(invalid="ignore"):
        whole = np.isfinite(floats) & (floats == np.floor(floats)) & (np.abs(floats) <= MAX_ABS)
    present = ~np.isnan(floats)
    bad = present & ~whole
    ints = pa.array(np.where(whole, floats, 0).astype("int64"), mask=~whole)
    series = _strings(ints.cast(pa.large_string()))

    def reason(i: int) -> str:
        return f"not an id (ids are text or whole numbers): {values[i].as_py()}"

    return Converted(series, bad if bad.any() else None, reason)


def _arrow_datetimes(values: pa.Array) -> Converted:
    t = values.type
    if pa.types.is_date(t):
        values = values.cast(pa.timestamp("s"))
        t = values.type
    if t.tz is not None:  # aware: to UTC, then naive
        values = values.cast(pa.int64()).cast(pa.timestamp(t.unit))
    try:
        ns = values.cast(pa.timestamp("ns"))
        return _datetimes_from_ns(ns.to_numpy(zero_copy_only=False), None, lambda i: "")
    except pa.ArrowInvalid:
        pass
    # out of the datetime64[ns] range: mark those cells (compared in the column's own unit)
    raw = pd.Series(values.to_numpy(zero_copy_only=False))
    ok = (raw.notna() & (raw >= _NS_MIN) & (raw <= _NS_MAX)).to_numpy(dtype=bool)
    bad = raw.notna().to_numpy(dtype=bool) & ~ok
    safe = raw.where(ok).astype("datetime64[ns]").to_numpy()

    def reason(i: int) -> str:
        return f"datetime out of range {raw.iloc[i]} (must be within {_RANGE})"

    return _datetimes_from_ns(safe, bad, reason)
