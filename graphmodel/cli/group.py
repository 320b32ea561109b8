"""The click group class every graphmodel command group uses.

A :class:`~graphmodel.errors.UserError` becomes one ``error:`` line per
problem on stderr and exit code 2; so does a usage error (an unknown option,
a bad option value), with a pointer to the command's ``--help`` instead of
click's usage block. Anything else is a bug and keeps its traceback (exit
code 1). Error lines echo paths and values from the data: their control
characters are shown as escapes, never obeyed by the terminal.
"""

from __future__ import annotations

import click

from graphmodel.errors import UserError
from graphmodel.terminal import visible

__all__ = ["Group", "OneLineUsageError"]


class OneLineUsageError(click.UsageError):
    """A usage error shown as one ``error:`` line that points to ``--help``."""

    def show(self, file=None) -> None:
        where = self.ctx.command_path if self.ctx is not None else "graphmodel"
        message = " ".join(self.format_message().split())
        click.echo(visible(f"error: {message} (see `{where} --help`)"), err=True)


def _one_line(exc: click.UsageError) -> OneLineUsageError:
    if isinstance(exc, OneLineUsageError):
        return exc
    return OneLineUsageError(exc.format_message(), ctx=exc.ctx)


class Group(click.Group):
    """A click group that turns :class:`UserError` and usage errors into one-line messages
    and exit code 2."""

    def make_context(self, info_name, args, parent=None, **extra):
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except click.UsageError as exc:
            raise _one_line(exc) from None

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            raise _one_line(exc) from None
        except UserError as exc:
            for line in str(exc).splitlines() or ["error"]:
                click.echo(visible(f"error: {line}"), err=True)
            ctx.exit(2)
