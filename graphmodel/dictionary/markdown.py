"""The data dictionary as a Markdown page: ``docs/reference/columns.md``.

``docs/hooks/columns.py`` replaces the page's ``<!-- columns -->`` marker by
`columns_markdown` when the documentation is built, so the page cannot
drift from the entries. Each column has the anchor of its name
(``reference/columns.md#labour_s``); each table the anchor ``command-`` and its
slug (``#command-value-by-user``).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from graphmodel.dictionary import COLUMNS, VIEWS, Column, View, lookup, view_entries

__all__ = ["slugify", "sections", "columns_markdown"]

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")


def slugify(text: str) -> str:
    """The anchor Python-Markdown's ``toc`` extension gives a heading (its default
    ``slugify``, on the heading's text without code marks).

    >>> slugify("Capture by actor class (`value --by actor`)")
    'capture-by-actor-class-value-by-actor'
    >>> slugify("4. Labour")
    '4-labour'
    """
    text = unicodedata.normalize("NFKD", text.replace("`", "")).encode("ascii", "ignore")
    text = re.sub(r"[^\w\s-]", "", text.decode("ascii")).strip().lower()
    return re.sub(r"[-\s]+", "-", text)


def sections(docs_dir: str | Path) -> dict[str, str]:
    """Every heading of the Markdown pages under ``docs_dir``, as ``{"page.md#anchor":
    "Page title: heading"}`` (the page alone, ``"page.md"``, maps to its title). Headings
    inside fenced code blocks are not headings."""
    root = Path(docs_dir)
    out: dict[str, str] = {}
    for path in sorted(root.rglob("*.md")):
        page = path.relative_to(root).as_posix()
        title, fenced, seen = page, False, set()
        for line in path.read_text(encoding="utf-8").splitlines():
            if _FENCE.match(line):
                fenced = not fenced
                continue
            m = None if fenced else _HEADING.match(line)
            if m is None:
                continue
            text = m.group(2).replace("`", "")
            if len(m.group(1)) == 1 and page not in out:
                title = text
                out[page] = title
            slug = slugify(m.group(2))
            if slug in seen:  # toc makes a repeated anchor unique: slug_1, slug_2...
                i = 1
                while f"{slug}_{i}" in seen:
                    i += 1
                slug = f"{slug}_{i}"
            seen.add(slug)
            out.setdefault(f"{page}#{slug}", f"{title}: {text}")
    return out


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _view_anchor(view: View) -> str:
    return "command-" + slugify(view.name)


def _views_line(entry: Column) -> str:
    views = [v for v in VIEWS if v.name in entry.views]
    return ", ".join(f"[`{v.name}`](#{_view_anchor(v)})" for v in views)


def _docs_link(entry: Column, titles: dict[str, str]) -> str:
    return f"[{titles.get(entry.docs, entry.docs)}](../{entry.docs})"


def _entry_lines(entry: Column, titles: dict[str, str]) -> list[str]:
    lines = [f"- **unit**: {entry.unit}"]
    if entry.formula:
        lines.append(f"- **formula**: `{entry.formula}`")
    lines.append(f"- **explained in**: {_docs_link(entry, titles)}")
    lines.append(f"- **printed by**: {_views_line(entry)}")
    if entry.aliases:
        lines.append("- **also called**: " + ", ".join(f"`{a}`" for a in entry.aliases))
    return lines


def columns_markdown(titles: dict[str, str] | None = None) -> str:
    """The page's generated part: one table per command, then every column A to Z.

    ``titles`` maps the entries' documentation targets (``"model.md#4-labour"``) to
    the text of their links (`sections`); a target without a title is shown as
    it is.
    """
    titles = titles or {}
    out = ["## By command", ""]
    for view in VIEWS:
        out += [
            f"### `graphmodel {view.name}` {{#{_view_anchor(view)}}}",
            "",
            view.summary,
            "",
            "| column | unit | meaning |",
            "| --- | --- | --- |",
        ]
        for entry in view_entries(view):
            out.append(
                f"| [`{entry.name}`](#{entry.name}) | {_cell(entry.unit)} | "
                f"{_cell(entry.meaning)} |"
            )
        out.append("")
    out += ["## Every column, A to Z", ""]
    for name in sorted({c.name for c in COLUMNS}):
        entries = lookup(name)
        out += [f"### `{name}` {{#{name}}}", ""]
        if len(entries) == 1:
            out += [entries[0].meaning, "", *_entry_lines(entries[0], titles), ""]
            continue
        out += [f"`{name}` means a different thing in each of these tables.", ""]
        for entry in entries:
            views = ", ".join(f"`{v}`" for v in entry.views)
            out += [f"**In {views}**: {entry.meaning}", "", *_entry_lines(entry, titles), ""]
    return "\n".join(out).rstrip() + "\n"
