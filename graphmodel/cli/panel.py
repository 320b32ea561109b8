"""``graphmodel explore --source DIR``: the governance panel, one HTML file, instead of the
Neo4j Browser.

:func:`panel_mode` adds ``--source``, ``--out``, ``--seed``, ``--param`` and
``--config`` to ``graphmodel explore``: with ``--source`` the command writes the
panel (:func:`graphmodel.explorer.write_panel`) and opens it unless
``--no-open``; without it, ``explore`` is what it was.
"""

from __future__ import annotations

import functools
from pathlib import Path

import click

from graphmodel.cli.options import param_options

__all__ = ["panel_mode", "DEFAULT_OUT"]

DEFAULT_OUT = "panel.html"


def panel_mode(f):
    """Decorate ``explore``: with ``--source`` write and open the panel, else run ``f``."""

    @click.option(
        "--source",
        "source",
        type=click.Path(path_type=Path),
        help="Write the governance panel of this event log (one HTML file, "
        "docs/explorer.md) instead of opening the Neo4j Browser.",
    )
    @click.option(
        "--out",
        "out",
        type=click.Path(dir_okay=False),
        default=None,
        help=f"With --source: the panel's file (default {DEFAULT_OUT}); a file "
        "the panel did not write is never overwritten.",
    )
    @click.option(
        "--seed",
        type=click.IntRange(min=0),
        default=None,
        help="With --source: the opt-out lever's seed, as graphmodel scenario --seed (default 0).",
    )
    @param_options
    @functools.wraps(f)
    def wrapper(*args, source, out, seed, params, **kwargs):
        if source is None:
            given = click.get_current_context().params
            if (
                out is not None
                or seed is not None
                or given.get("param_items")
                or given.get("config") is not None
            ):
                raise click.UsageError("--out, --seed, --param and --config go with --source")
            return f(*args, **kwargs)
        if kwargs.get("folder") is not None:
            raise click.UsageError(
                "give FOLDER (the Neo4j Browser) or --source (the panel), not both"
            )
        for name in ("replace", "append"):
            if kwargs.get(name):
                raise click.UsageError(
                    f"--{name} goes with FOLDER (the Neo4j Browser), not with --source"
                )
        path = write_source_panel(
            source,
            out or DEFAULT_OUT,
            params,
            seed or 0,
            kwargs.get("referrals"),
            kwargs.get("window"),
        )
        click.echo(str(path))
        if not kwargs.get("no_open"):
            from graphmodel.cli.explore import _has_display

            if _has_display():
                import webbrowser

                webbrowser.open(path.resolve().as_uri())

    return wrapper


def write_source_panel(source: Path, out, params, seed: int, referrals=None, window=None) -> Path:
    """Read the log in ``source`` into the memory engine and write its panel to ``out``."""
    from graphmodel.engines.open import open_store
    from graphmodel.explorer import check_panel_out, write_panel

    check_panel_out(out)  # before the log is read
    with open_store(source=source, referrals=referrals, window_s=window) as store:
        return write_panel(store, out, params=params, seed=seed, title=str(source))
