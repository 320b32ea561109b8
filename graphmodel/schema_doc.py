"""The event-log schema as a Markdown table, rendered from `graphmodel.schema`.

The documentation's table of tables and columns is this function's output
(``docs/hooks/schema.py`` puts it into ``docs/event-log.md`` at build time),
so the page cannot drift from the schema the validator enforces.
"""

from __future__ import annotations

from graphmodel.schema import TABLES, Column

__all__ = ["schema_markdown"]

_KIND = {"id": "id", "str": "text", "datetime": "datetime", "bool": "bool"}


def _kind(c: Column) -> str:
    if c.kind == "enum":
        return ", ".join(f"`{v}`" for v in c.values)
    if c.kind in ("float", "int"):
        word = "number" if c.kind == "float" else "whole number"
        if c.min_value is not None and c.max_value is not None:
            return f"{word}, {c.min_value:g} to {c.max_value:g}"
        if c.min_value is not None:
            return f"{word} >= {c.min_value:g}"
        return word
    return _KIND[c.kind]


def _meaning(c: Column) -> str:
    bits = []
    if c.unique:
        bits.append("unique")
    if c.ref is not None:
        bits.append(f"a `{c.ref[0]}.{c.ref[1]}`")
    if c.doc:
        bits.append(c.doc)
    return "; ".join(bits)


def schema_markdown() -> str:
    """One row per column, required columns in bold, tables in the schema's order."""
    lines = ["| table | column | kind | meaning |", "| --- | --- | --- | --- |"]
    for t in TABLES.values():
        for i, c in enumerate(t.columns):
            name = f"**{c.name}**" if c.required else c.name
            lines.append(f"| {t.name if i == 0 else ''} | {name} | {_kind(c)} | {_meaning(c)} |")
    return "\n".join(lines)
