"""``graphmodel explain [COLUMN]``: what a column of a result means (:mod:`graphmodel.dictionary`)."""

from __future__ import annotations

import click

from graphmodel.cli.examples import examples
from graphmodel.cli.options import output_options

__all__ = ["explain"]


@click.command(epilog=examples(
    ("what a column means, its unit and formula", "graphmodel explain unpaid_share"),
    ("every column, one row each, as CSV", "graphmodel explain --format csv --out columns.csv"),
))
@click.argument("column", required=False)
@output_options
def explain(column):
    """What COLUMN means: its unit, formula, documentation and the commands that print it.

    Without COLUMN, every column, command by command. With --format csv, json or
    parquet, one row per column (and per meaning, for the few names that mean
    different things in different commands).
    """
    import pandas as pd

    from graphmodel.dictionary import VIEWS, close_matches, lookup, view_entries
    from graphmodel.dictionary.text import entry_rows, entry_text, listing_text
    from graphmodel.errors import UserError
    from graphmodel.output import make_meta, with_meta

    if column is None:
        entries = []  # every entry belongs to a view (tests/test_dictionary.py)
        for view in VIEWS:
            entries += [e for e in view_entries(view) if e not in entries]
    else:
        from graphmodel.renamed import deprecation

        if deprecation(column):
            click.echo(f"note: {deprecation(column)}", err=True)
        entries = lookup(column)
        if not entries:
            near = close_matches(column)
            hint = f"; did you mean {', '.join(near)}?" if near else ""
            raise UserError(
                f"unknown column {column!r}{hint} (`graphmodel explain` lists every column)"
            )
    ctx = click.get_current_context()
    fmt, out = ctx.params.get("fmt"), ctx.params.get("out")
    if fmt == "table":
        text = listing_text() if column is None else entry_text(entries)
        if out is None:
            click.echo(text, nl=False)
        else:
            from graphmodel.safefile import target, write_files

            write_files([(target(out), text.encode("utf-8"))])
        return None
    rows = entry_rows(entries)
    df = pd.DataFrame(rows, columns=["column", "meaning", "unit", "formula", "docs", "commands"])
    return with_meta(df, make_meta("explain", "graphmodel.dictionary", params={}, column=column))
