"""Tables of the report: result frames to text cells and CSV, by the rules of graphmodel.numbers.

Every number a table shows is formatted by the rule of its kind
(`graphmodel.numbers`): a column has one kind (``cash`` is yuan,
``share`` a share), or, in a table whose rows are figures (scenarios,
bootstrap), each row the kind of its figure (`FIGURE_KINDS`). The CSV
of a table keeps the exact values, one line per row shown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

from graphmodel import numbers
from graphmodel.analysis.value.headline import FIGURES
from graphmodel.output import to_jsonable
from graphmodel.report.document import Table

__all__ = ["FIGURE_KINDS", "figure_number", "frame_table", "csv_text", "split_columns"]

#: The kind of number of every figure the report names (headline figures and the
#: scenario figures that are not headline ones).
FIGURE_KINDS: dict[str, str] = {name: kind for name, (_label, kind) in FIGURES.items()} | {
    "platform_revenue": "yuan",
    "surplus": "yuan",
}


def figure_number(name: str, value: Any) -> str:
    """``value`` of the figure ``name`` by the rule of its kind (plain if unknown)."""
    return numbers.number(FIGURE_KINDS.get(str(name), "plain"), value)


def csv_text(df: pd.DataFrame) -> str:
    """``df`` as CSV: a header line, exact values (floats as Python writes them), an
    undefined value as an empty field."""
    return df.to_csv(index=False, lineterminator="\n")


def frame_table(
    df: pd.DataFrame, kinds: dict[str, str | Callable[[Any, Any], str]], *, id: str, caption: str
) -> Table:
    """``df`` as a `Table` of its columns ``kinds`` names, in that order.

    A kind is a key of `graphmodel.numbers.KINDS`, ``text`` (shown as is)
    or a function ``(value, row) -> str`` (a row's own kind, such as its figure's).
    """
    columns = list(kinds)
    part = df[columns]
    rows = []
    for _, row in part.iterrows():
        cells = []
        for c in columns:
            kind, v = kinds[c], to_jsonable(row[c])
            if callable(kind):
                cells.append(kind(v, row))
            elif kind == "text":
                cells.append(numbers.NA if v is None else str(v))
            else:
                cells.append(numbers.number(kind, v))
        rows.append(cells)
    numeric = [kinds[c] != "text" for c in columns]
    return Table(columns, rows, numeric, id=id, caption=caption, csv=csv_text(part))


def split_columns(table: Table, keep: int, per: int) -> list[Table]:
    """``table`` as parts that fit a page: each has the first ``keep`` columns and at most
    ``per`` of the others; part ``k`` of ``n`` is ``ID-k`` with "(part k of n)" after its
    caption. Every part offers the whole table's CSV. One part is ``table`` itself."""
    rest = len(table.columns) - keep
    if rest <= per:
        return [table]
    n = -(-rest // per)
    size = -(-rest // n)  # parts of even width
    numeric = table.numeric or [False] * len(table.columns)
    parts = []
    for k in range(n):
        cols = list(range(keep)) + list(
            range(keep + k * size, min(keep + (k + 1) * size, len(table.columns)))
        )
        parts.append(
            Table(
                [table.columns[i] for i in cols],
                [[r[i] for i in cols] for r in table.rows],
                [numeric[i] for i in cols],
                table.row_data,
                id=f"{table.id}-{k + 1}",
                caption=f"{table.caption.rstrip('.')} (part {k + 1} of {n}).",
                csv=table.csv,
            )
        )
    return parts
