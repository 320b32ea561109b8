"""Writing the panel: one HTML file, never over a file the panel did not write.

``--out`` may name a new file, a panel written earlier (recognised by its
``<meta name="generator" content="graphmodel explore">`` in the first
kilobytes), or a stream (``/dev/stdout``); any other existing file is
refused with one line, so a report or a notebook is never overwritten.
Writing is atomic (`graphmodel.safefile.write_files`).
"""

from __future__ import annotations

import os
from pathlib import Path

from graphmodel.errors import UserError
from graphmodel.explorer.page import GENERATOR
from graphmodel.safefile import os_error, target, write_files
from graphmodel.terminal import visible

__all__ = ["check_panel_out", "write_panel_file"]

_MARK = f'<meta name="generator" content="{GENERATOR}">'.encode()


def check_panel_out(out: str | os.PathLike) -> None:
    """A [`UserError`][graphmodel.errors.UserError] when ``out`` is a file the panel did not write (or a folder)."""
    where = target(out)
    if where.kind not in ("file", "inplace"):
        return
    try:
        with open(where.path, "rb") as f:
            head = f.read(4096)
    except OSError as exc:
        raise os_error(out, exc, "cannot read") from None
    if _MARK not in head:
        raise UserError(
            f"--out {visible(os.fspath(out))}: exists and is not a panel written "
            "by graphmodel explore; refusing to overwrite it (remove it or give "
            "another --out)"
        )


def write_panel_file(page: str, out: str | os.PathLike) -> Path:
    """Write the page ``page`` to ``out`` (checked by `check_panel_out`)."""
    check_panel_out(out)
    write_files([(out, page.encode("utf-8"))])
    return Path(out)
