"""The data dictionary: every column a command prints, what it means, its unit and formula.

``graphmodel explain COLUMN`` prints an entry; ``docs/reference/columns.md`` is
rendered from these entries when the documentation is built
(``docs/hooks/columns.py``); ``tests/test_dictionary.py`` runs every command and
fails when one prints a column that has no entry here, or when an entry names a
table that does not print it.

Examples
--------
>>> from graphmodel.dictionary import lookup
>>> [entry.unit for entry in lookup("labour_s")]
['s']
>>> [entry.views for entry in lookup("low")]
[('calibration',), ('sensitivity',)]
"""

from __future__ import annotations

import difflib

from graphmodel.dictionary.core import Column, View
from graphmodel.dictionary.diffusion import DIFFUSION_COLUMNS
from graphmodel.dictionary.scenarios import SCENARIO_COLUMNS
from graphmodel.dictionary.spread import SPREAD_COLUMNS
from graphmodel.dictionary.summary import SUMMARY_COLUMNS
from graphmodel.dictionary.value import VALUE_COLUMNS
from graphmodel.dictionary.views import VIEWS

__all__ = [
    "Column",
    "View",
    "COLUMNS",
    "VIEWS",
    "lookup",
    "close_matches",
    "names",
    "view_entries",
    "problems",
]

#: Every entry; a name with several meanings has one entry per meaning.
COLUMNS: tuple[Column, ...] = (
    *SUMMARY_COLUMNS,
    *SPREAD_COLUMNS,
    *VALUE_COLUMNS,
    *SCENARIO_COLUMNS,
    *DIFFUSION_COLUMNS,
)


def names() -> list[str]:
    """Every column name (and alias), sorted."""
    return sorted({c.name for c in COLUMNS} | {a for c in COLUMNS for a in c.aliases})


def lookup(name: str) -> list[Column]:
    """The entries of ``name`` (a name or an alias; an exact match first, else one that
    differs only in case), in the order of the views that print them; empty if none."""
    for same in (
        lambda c: name in (c.name, *c.aliases),
        lambda c: name.lower() in (c.name.lower(), *(a.lower() for a in c.aliases)),
    ):
        found = [c for c in COLUMNS if same(c)]
        if found:
            order = {v.name: i for i, v in enumerate(VIEWS)}
            return sorted(found, key=lambda c: min(order.get(v, len(order)) for v in c.views))
    return []


def close_matches(name: str, n: int = 3) -> list[str]:
    """Up to ``n`` column names close to ``name`` (`difflib.get_close_matches`)."""
    return difflib.get_close_matches(name.lower(), names(), n=n, cutoff=0.6)


def view_entries(view: View) -> list[Column]:
    """The entries of ``view``'s columns, in its order (a name without an entry for the
    view is left out; `problems` reports it)."""
    out = []
    for name in view.columns:
        out.extend(c for c in COLUMNS if c.name == name and view.name in c.views)
    return out


def problems() -> list[str]:
    """What is inconsistent between the entries and the views, one line each: a view's
    column with no entry (or two) for it, an entry naming an unknown view or one that does
    not print it, an entry without meaning, unit or documentation."""
    out = []
    known = {v.name for v in VIEWS}
    if len(known) != len(VIEWS):
        out.append("two views have the same name")
    for v in VIEWS:
        if len(set(v.columns)) != len(v.columns):
            out.append(f"{v.name}: a column is listed twice")
        for name in v.columns:
            n = sum(1 for c in COLUMNS if c.name == name and v.name in c.views)
            if n != 1:
                out.append(f"{v.name}: column {name} has {n} entries for this view")
    for c in COLUMNS:
        if not (c.meaning and c.unit and c.docs and c.views):
            out.append(f"{c.name}: meaning, unit, docs and views are all needed")
        for view in c.views:
            if view not in known:
                out.append(f"{c.name}: unknown view {view!r}")
            elif c.name not in next(v for v in VIEWS if v.name == view).columns:
                out.append(f"{c.name}: view {view!r} does not print it")
    return out
