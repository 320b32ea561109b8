"""DataFrame rows as Neo4j driver parameters: ``None`` for missing, datetimes as ISO 8601 text.

Datetime columns travel as ISO 8601 text (``2024-03-01T20:12:00.000000``)
and the ``cypher/load`` files turn them into ``LocalDateTime`` with
``localdatetime(row.at)``. Handing the driver Python ``datetime`` objects
instead gives the same values but costs about 0.1 ms of pure-Python
conversion per value on the client, which made it the loader's bottleneck;
parsing the text costs the server a few microseconds
(benchmarks/bench_neo4j_load.py).
"""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd

__all__ = ["ISO_FORMAT", "records", "batches"]

#: How datetime columns are written for the server's ``localdatetime()``.
ISO_FORMAT = "%Y-%m-%dT%H:%M:%S.%f"


def records(df: pd.DataFrame) -> list[dict]:
    """``df`` as a list of dicts the driver can send (datetimes as ISO 8601 text, see above)."""
    out = {}
    for c in df.columns:
        s = df[c]
        if pd.api.types.is_datetime64_any_dtype(s):
            s = s.dt.strftime(ISO_FORMAT)
        obj = s.astype(object)
        out[c] = obj.where(s.notna(), None).tolist()
    cols = list(out)
    return [dict(zip(cols, row, strict=True)) for row in zip(*out.values(), strict=True)]


def batches(df: pd.DataFrame, size: int) -> Iterator[list[dict]]:
    """Rows of ``df`` in lists of at most ``size`` records."""
    for start in range(0, len(df), size):
        yield records(df.iloc[start:start + size])
