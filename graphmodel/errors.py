"""Errors a user can cause.

The CLI turns every [`UserError`][graphmodel.errors.UserError] into one line on stderr and exit
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

#: How many problems a [`LogError`][graphmodel.errors.LogError] lists before it summarises the rest.
MAX_PROBLEMS = 50


class UserError(Exception):
    """Base class of every error caused by input, options or the environment.

    The command line prints a `UserError` as one line on standard error and
    exits with code 2; catching `UserError` catches every user-facing error
    (`LogError`, `ParameterError`, `ServerError` and the plain ones, such as
    an output file that cannot be written).

    Parameters
    ----------
    message : str
        What went wrong, in one line, for the user.

    Examples
    --------
    >>> import graphmodel
    >>> try:
    ...     graphmodel.Params({"alpha": -1})
    ... except graphmodel.UserError as exc:
    ...     print(type(exc).__name__, "-", exc)
    ParameterError - parameter alpha must be in [0, 100], got -1
    """


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
    """An event log that failed validation; ``problems`` lists every problem found.

    Its message is one line per problem (the first `MAX_PROBLEMS` of them,
    then a count of the rest).

    Parameters
    ----------
    problems : list of Problem
        The problems found: file, row, column and message each.
    total : int, optional
        How many problems there are in all (default: ``len(problems)``); more
        than ``len(problems)`` when the validator stopped listing them.

    Attributes
    ----------
    problems : list of Problem
        The problems, as given.
    total : int
        How many problems there are in all.

    Examples
    --------
    >>> import tempfile
    >>> import graphmodel
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     try:
    ...         graphmodel.read_log(folder)
    ...     except graphmodel.LogError as exc:
    ...         error = exc
    >>> error.total
    1
    >>> print(error.problems[0])
    events.csv: missing table file (expected events.csv or events.parquet)
    """

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
    """An unknown model parameter or a value out of its range.

    Raised by `graphmodel.Params`, by every analysis given ``params``, and by
    `graphmodel.GeneratorConfig` for a generator option out of its range.

    Parameters
    ----------
    message : str
        Which parameter, and what is wrong with its value.

    Examples
    --------
    >>> import graphmodel
    >>> graphmodel.Params({"delta": 2})
    Traceback (most recent call last):
    ...
    graphmodel.errors.ParameterError: parameter delta must be in [0, 1], got 2
    """


class ServerError(UserError):
    """A Neo4j server that cannot be reached, started or logged into.

    Parameters
    ----------
    message : str
        One line naming the server and what failed.

    Examples
    --------
    >>> import graphmodel
    >>> issubclass(graphmodel.ServerError, graphmodel.UserError)
    True
    >>> graphmodel.Neo4jStore.open("bolt://localhost:1")  # doctest: +SKIP
    Traceback (most recent call last):
    ...
    graphmodel.errors.ServerError: ...
    """
