"""The ``Examples:`` block that ends every command's ``--help``, written once.

A command gives its examples as ``epilog=examples(("what it shows", "graphmodel ..."), ...)``:
each example is a one-line description (shown as a shell comment) and one
command line. Click prints the epilog after the options; each example is a
``\\b`` paragraph, so click keeps its lines as written and never rewraps a
command; a long command is broken before an option, its lines but the last
ending with `` \\``. :func:`parse_examples` reads the commands back from the epilog or
from the printed help (the tests run every one), and :func:`examples_markdown`
renders them as a bash block for the command-line reference page
(docs/hooks/cli_examples.py).

The examples name the files a user has after the README's first steps:

- ``platform/``: the CSV log of ``graphmodel generate --users 2000 --days 3 --out platform/``;
- ``platform-parquet/``: the same platform written with ``--format parquet``;
- ``recordings/*.jsonl``: live-room recordings, ``pseudonym.key`` the pseudonym key;
- ``twitter16/tree/``: a Twitter15/16 folder of repost trees;
- ``network.txt``: a SNAP edge list ``source target [p]``;
- examples without ``--source`` read the server ``NEO4J_URI`` names
  (``eval "$(graphmodel server env)"``) holding ``platform/``.
"""

from __future__ import annotations

import re

import click

__all__ = ["HEADING", "examples", "parse_examples", "examples_markdown"]

#: The line that opens the block, in the help and in the reference page.
HEADING = "Examples:"
#: The longest line of an example; click indents the block by two more.
WIDTH = 78


def examples(*items: tuple[str, str]) -> str:
    """The epilog of a command: ``HEADING``, then one ``\\b`` paragraph per example.

    Parameters
    ----------
    items : tuple of (str, str)
        ``(description, command)`` pairs: what the example shows, in a few
        words, and one command line that runs as written.

    Returns
    -------
    str
        The text to give as ``epilog=`` to ``click.command``.

    Raises
    ------
    ValueError
        No example, a command that does not run ``graphmodel``, a description
        longer than ``WIDTH - 2``, or a line break in a description or command.
    """
    if not items:
        raise ValueError("give at least one example")
    paragraphs = [HEADING]
    for description, command in items:
        if "\n" in description or "\n" in command:
            raise ValueError(f"an example is one line each: {description!r}, {command!r}")
        if len(description) + 2 > WIDTH:
            raise ValueError(f"a description of at most {WIDTH - 2} characters: {description!r}")
        if "graphmodel " not in command.split("#", 1)[0]:
            raise ValueError(f"an example runs graphmodel: {command!r}")
        paragraphs.append("\n".join(["\b", f"# {description}", *_lines(command)]))
    return "\n\n".join(paragraphs)


def _lines(command: str) -> list[str]:
    """``command`` broken before its options into lines of at most ``WIDTH`` characters,
    each but the last ending with `` \\`` and the next indented by four spaces."""
    parts = re.split(r" (?=--)", command)
    lines = [parts[0]]
    for part in parts[1:]:
        if len(lines[-1]) + 1 + len(part) + 2 <= WIDTH:
            lines[-1] += " " + part
        else:
            lines[-1] += " \\"
            lines.append("    " + part)
    return lines


def parse_examples(text: str | None) -> list[str]:
    """The example commands in ``text`` (an epilog or a command's printed ``--help``).

    Everything after the ``Examples:`` line; blank lines, ``\\b`` markers and
    ``#`` descriptions are skipped, every other line is one command, stripped.
    An empty list when there is no ``Examples:`` line.
    """
    if not text:
        return []
    lines = text.splitlines()
    starts = [i for i, line in enumerate(lines) if line.strip() == HEADING]
    if not starts:
        return []
    commands: list[str] = []
    continued = False
    for line in lines[starts[-1] + 1 :]:
        line = line.strip()
        if not line or line == "\b" or line.startswith("#"):
            continued = False
            continue
        more = line.endswith("\\")
        line = line.removesuffix("\\").rstrip()
        if continued:
            commands[-1] += " " + line
        else:
            commands.append(line)
        continued = more
    return commands


def examples_markdown(command: click.Command) -> list[str]:
    """The command's examples as Markdown lines: ``**Examples:**`` and a bash block.

    The descriptions stay as shell comments above their command, as in the help.
    """
    if not command.epilog or HEADING not in command.epilog:
        return []
    body = command.epilog.split(HEADING, 1)[1]
    lines: list[str] = []
    for paragraph in body.split("\n\n"):
        kept = [line.rstrip() for line in paragraph.splitlines() if line.strip() not in ("", "\b")]
        if kept:
            lines += ([""] if lines else []) + kept
    return [f"**{HEADING}**", "", "```bash", *lines, "```", ""]
