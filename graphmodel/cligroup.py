"""The click group class every graphmodel command group uses.

A :class:`~graphmodel.errors.UserError` becomes one ``error:`` line per
problem on stderr and exit code 2; anything else is a bug and keeps its
traceback (exit code 1).
"""

from __future__ import annotations

import click

from graphmodel.errors import UserError

__all__ = ["Group"]


class Group(click.Group):
    """A click group that turns :class:`UserError` into one-line messages and exit code 2."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except UserError as exc:
            for line in str(exc).splitlines() or ["error"]:
                click.echo(f"error: {line}", err=True)
            ctx.exit(2)
