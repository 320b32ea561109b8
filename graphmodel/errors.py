"""Errors a user can cause.

The CLI turns every :class:`UserError` into one line on stderr and exit
code 2; any other exception is a bug and keeps its traceback (exit code 1).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "UserError",
    "Problem",
    "LogError",
    "ParameterError",
    "ServerError",
    "MAX_PROBLEMS",
]

#: How many problems a :class:`LogError` lists before it summarises the rest.
MAX_PROBLEMS = 50


class UserError(Exception):
    """Base class of every error caused by input, options or the environment."""


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in an event log: file, row (line number), column, message.

    ``row`` is the line number in a CSV file (the header is line 1, the first
    data row line 2) or the 1-based row number in a Parquet file; ``None`` for
    problems of a whole file or column.
    """

    file: str
    row: int | None
    column: str | None
    message: str
    unit: str = "line"

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f" {self.unit} {self.row}"
        if self.column is not None:
            where += f", column {self.column}"
        return f"{where}: {self.message}"


class LogError(UserError):
    """An event log that failed validation; ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem], total: int | None = None):
        self.problems = list(problems)
        self.total = len(self.problems) if total is None else total
        super().__init__(self._render())

    def _render(self) -> str:
        shown = self.problems[:MAX_PROBLEMS]
        lines = [str(p) for p in shown]
        more = self.total - len(shown)
        if more > 0:
            lines.append(f"... and {more} more problem(s)")
        return "\n".join(lines)


class ParameterError(UserError):
    """An unknown model parameter or a value out of its range."""


class ServerError(UserError):
    """A Neo4j server that cannot be reached, started or logged into."""
