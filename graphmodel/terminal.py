"""Text from the data, made safe to show on a terminal.

Ids, names and paths come from files anyone can write. On a terminal they
must never act as rich markup (``[link=...]``, ``[/]``) or as escape codes
(``ESC [ 31 m``, a carriage return that overwrites the line, a bidi override
that reorders it). `visible` writes every such control character as
a visible escape (``\\x1b``, ``\\r``, ``\\u202e``); `plain` makes a rich
`Text` of it, which rich prints as it is, never as markup.
Machine formats (CSV, JSON, Parquet) keep the data exactly and do not use
these.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["visible", "plain", "markup_escape"]

# C0 controls, DEL, C1 controls, and the Unicode bidi controls (embeddings,
# overrides, isolates, marks) that can make a terminal line read differently
# from the bytes in it.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match) -> str:
    ch = match.group(0)
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: Any) -> str:
    """``text`` with every control character written as a visible escape.

    ``visible("u1\\x1b[31m")`` is ``"u1\\\\x1b[31m"``: the escape code is shown,
    not obeyed. Newlines and tabs become ``\\n`` and ``\\t``.
    """
    return _CONTROL.sub(_escape, str(text))


def markup_escape(text: Any) -> str:
    """`visible` text with rich markup escaped, for places that take markup strings."""
    from rich.markup import escape

    return escape(visible(text))


def plain(text: Any, style: str = ""):
    """A rich `Text` of `visible` ``text``: never read as markup."""
    from rich.text import Text

    return Text(visible(text), style=style)
