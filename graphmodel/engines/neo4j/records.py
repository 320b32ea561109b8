"""DataFrame rows as Neo4j driver parameters: ``None`` for missing, datetimes as ISO 8601 text.

Two shapes:

* `records` (and `batches`): a list of one dict per row, for
  the keyed ``cypher/load/*.cypher`` files (``UNWIND $rows AS row``);
* `columns`: one list per column, for the ``cypher/load/fresh/*.cypher``
  files (``UNWIND range(0, size($col) - 1) AS i ... $col[i]``). Building a
  dict per row cost the client about 4 microseconds a row (25 s of the
  6.4 million rows of the 100,000-user week); lists of columns cost under
  one, and pack smaller.

Datetime columns travel as ISO 8601 text (``2024-03-01T20:12:00.000000``,
made by NumPy in one vectorised call) for the keyed files, which turn them
into ``LocalDateTime`` with ``localdatetime(...)``; the fresh files take
integer microseconds since 1970-01-01T00:00 (``datetimes="us"``) and add
them to the epoch, ``localdatetime('1970-01-01T00:00:00') +
duration({microseconds: $at[i]})``: exact (a duration of microseconds is
seconds and nanoseconds, no calendar), about 0.3 microseconds of server
time per value against 1.5 for parsing the text, and cheaper to make and
pack on the client. Handing the driver Python ``datetime`` objects instead
gives the same values but costs about 0.1 ms of pure-Python conversion per
value on the client (benchmarks/bench_neo4j_load.py).
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd

__all__ = ["ISO_FORMAT", "column_values", "columns", "records", "batches"]

#: How datetime columns are written for the server's ``localdatetime()``
#: (what `column_values` produces, as ``strftime`` would write it).
ISO_FORMAT = "%Y-%m-%dT%H:%M:%S.%f"


def column_values(s: pd.Series, datetimes: str = "iso") -> list:
    """``s`` as a list of plain Python values: ``None`` for missing, datetimes as ISO 8601
    text (``datetimes="iso"``) or as integer microseconds since 1970-01-01T00:00
    (``datetimes="us"``, see `EPOCH_US`)."""
    if pd.api.types.is_datetime64_any_dtype(s):
        if getattr(s.dt, "tz", None) is not None:
            s = s.dt.tz_localize(None)
        us = s.to_numpy(dtype="datetime64[us]")
        if datetimes == "us":
            obj = pd.Series(us.astype("int64"), index=s.index).astype(object)
        else:
            obj = pd.Series(np.datetime_as_string(us, unit="us"), index=s.index, dtype=object)
    else:
        obj = s.astype(object)
    if s.hasnans:
        obj = obj.where(s.notna(), None)
    return obj.tolist()


def columns(df: pd.DataFrame, datetimes: str = "iso") -> dict[str, list]:
    """``df`` as ``{column: values}`` the driver can send (see `column_values`)."""
    return {c: column_values(df[c], datetimes) for c in df.columns}


def records(df: pd.DataFrame) -> list[dict]:
    """``df`` as a list of dicts the driver can send (datetimes as ISO 8601 text, see above)."""
    out = columns(df)
    cols = list(out)
    return [dict(zip(cols, row, strict=True)) for row in zip(*out.values(), strict=True)]


def batches(df: pd.DataFrame, size: int) -> Iterator[list[dict]]:
    """Rows of ``df`` in lists of at most ``size`` records."""
    for start in range(0, len(df), size):
        yield records(df.iloc[start : start + size])
