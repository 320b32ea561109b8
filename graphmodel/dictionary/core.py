"""The entries of the data dictionary: what a column printed by a command means.

A `Column` names one column and says what it holds (``meaning``), in
what ``unit``, how it is computed (``formula``, plain text in the notation
of docs/model.md), where the documentation explains it (``docs``: a page of
``docs/`` and the anchor of its section) and which result tables print it
(``views``). A `View` is one such table: a command with the options
that choose its rows (``value --by user``), and its columns in the order the
command prints them.

A name means one thing in most tables (``labour_s`` is labour seconds
wherever it appears). A few names mean different things in different
tables (``value`` is a measured target in ``calibration``, an event's base
value in ``ledger``); such a name has one entry per meaning, each with the
views it belongs to.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Column", "View"]


@dataclass(frozen=True)
class Column:
    """One column of a result, as a command prints it.

    Parameters
    ----------
    name : str
        The column's name, exactly as printed.
    meaning : str
        What a cell holds, in one or two sentences.
    unit : str
        ``s``, ``h``, ``yuan``, ``yuan per hour``, ``data units``, ``count``,
        ``share 0-1``, ``ratio``, ``%``, ``id``, ``text``, ``timestamp``, or
        ``as the figure`` where the unit is that of the row's figure.
    formula : str
        How it is computed, in plain text (empty for ids and labels).
    views : tuple of str
        The names of the views (`View`) that print it.
    docs : str
        Where it is explained: a page under ``docs/`` with the anchor of its
        section, such as ``model.md#4-labour``.
    aliases : tuple of str
        Other names the column is known by (none yet).
    """

    name: str
    meaning: str
    unit: str
    formula: str
    views: tuple[str, ...]
    docs: str = ""
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class View:
    """One result table: a command with the options that choose it, and its columns.

    Parameters
    ----------
    name : str
        As typed after ``graphmodel``, placeholders in capitals:
        ``value --by user``, ``ledger USER_ID``.
    summary : str
        What one row is.
    columns : tuple of str
        The columns, in the order the command prints them.
    """

    name: str
    summary: str
    columns: tuple[str, ...]

    @property
    def command(self) -> str:
        """The command's name (``value`` for ``value --by user``)."""
        return self.name.split()[0]
