"""DataFrame rows as Neo4j driver parameters: ``None`` for missing, Python datetimes."""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd

__all__ = ["records", "batches"]


def records(df: pd.DataFrame) -> list[dict]:
    """``df`` as a list of dicts the driver can send (naive datetimes become LocalDateTime)."""
    out = {}
    for c in df.columns:
        s = df[c]
        if pd.api.types.is_datetime64_any_dtype(s):
            values = [None if pd.isna(v) else v.to_pydatetime() for v in s]
        else:
            obj = s.astype(object)
            values = obj.where(s.notna(), None).tolist()
        out[c] = values
    cols = list(out)
    return [dict(zip(cols, row, strict=True)) for row in zip(*out.values(), strict=True)]


def batches(df: pd.DataFrame, size: int) -> Iterator[list[dict]]:
    """Rows of ``df`` in lists of at most ``size`` records."""
    for start in range(0, len(df), size):
        yield records(df.iloc[start:start + size])
