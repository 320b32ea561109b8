"""The data dictionary as plain text and as rows, for ``graphmodel explain``."""

from __future__ import annotations

import re
import textwrap

from graphmodel.dictionary import VIEWS, Column, view_entries

__all__ = ["commands_of", "entry_rows", "entry_text", "listing_text"]

_WIDTH = 88
_LABEL = 12


def commands_of(entry: Column) -> str:
    """The views that print ``entry``, in the order of `VIEWS`, comma-separated."""
    return ", ".join(v.name for v in VIEWS if v.name in entry.views)


def entry_rows(entries: list[Column]) -> list[dict[str, str]]:
    """One row per entry, the columns of the ``explain`` view."""
    return [
        {
            "column": e.name,
            "meaning": e.meaning,
            "unit": e.unit,
            "formula": e.formula,
            "docs": f"docs/{e.docs}",
            "commands": commands_of(e),
        }
        for e in entries
    ]


def _field(label: str, text: str) -> list[str]:
    return textwrap.wrap(
        text,
        _WIDTH,
        initial_indent=f"  {label + ':':<{_LABEL}}",
        subsequent_indent=" " * (_LABEL + 2),
        break_on_hyphens=False,
    )


def entry_text(entries: list[Column]) -> str:
    """The entries of one name: meaning, unit, formula, documentation, commands."""
    out = []
    for e in entries:
        head = e.name if len(entries) == 1 else f"{e.name}  (in {commands_of(e)})"
        out.append(head)
        out += _field("meaning", e.meaning)
        out += _field("unit", e.unit)
        if e.formula:
            out += _field("formula", e.formula)
        out += _field("docs", f"docs/{e.docs}, docs/reference/columns.md#{e.name}")
        out += _field("printed by", commands_of(e))
        out.append("")
    return "\n".join(out)


def _first_sentence(text: str) -> str:
    """``text`` up to the end of its first sentence (not at "et al. 2016")."""
    m = re.search(r"(?<!\bal)\.\s+(?=[A-Z])", text)
    return text if m is None else text[: m.start() + 1]


def listing_text() -> str:
    """Every column, table by table: name, unit and the first sentence of its meaning."""
    out = []
    for view in VIEWS:
        out += textwrap.wrap(
            f"graphmodel {view.name}: {view.summary}",
            _WIDTH + 12,
            subsequent_indent="  ",
            break_on_hyphens=False,
        )
        entries = view_entries(view)
        width = max(len(e.name) for e in entries) + 2
        unit = max(len(e.unit) for e in entries) + 2
        for e in entries:
            lead = f"  {e.name:<{width}}{e.unit:<{unit}}"
            out += textwrap.wrap(
                _first_sentence(e.meaning),
                _WIDTH + 12,
                initial_indent=lead,
                subsequent_indent=" " * len(lead),
                break_on_hyphens=False,
            )
        out.append("")
    out.append("graphmodel explain COLUMN prints one column's meaning, unit, formula and docs.")
    return "\n".join(out) + "\n"
