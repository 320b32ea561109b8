"""Put a built report on disk: ``report.html``, ``report.md`` and ``figures/*.png``.

Everything is written into a temporary folder beside ``out`` first and
moved into place only when complete, so a failure leaves nothing
half-written. A new ``out`` is the renamed temporary folder; into an existing
folder the three entries are moved one by one (other files there are left
alone, an older ``figures/`` is replaced whole).
"""

from __future__ import annotations

import os
import secrets
import shutil
from pathlib import Path

from graphmodel.errors import UserError
from graphmodel.report.build import Report
from graphmodel.report.markdown import FIGURE_DIR

__all__ = ["HTML_NAME", "MARKDOWN_NAME", "check_out", "write_report"]

HTML_NAME = "report.html"
MARKDOWN_NAME = "report.md"


def check_out(out: str | os.PathLike) -> Path:
    """``out`` as a folder the report can go into, or a :class:`UserError`."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise UserError(f"--out {out}: is a file; give a folder for the report")
    for parent in out.parents:
        if parent.exists():
            if not parent.is_dir():
                raise UserError(f"--out {out}: {parent} is a file, not a folder")
            if not os.access(parent, os.W_OK):
                raise UserError(f"--out {out}: cannot write in {parent}")
            break
    return out


def write_report(report: Report, out: str | os.PathLike) -> Path:
    """Write ``report`` into folder ``out``; return the path of the HTML file."""
    out = check_out(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.parent / f".{out.name}.tmp-{secrets.token_hex(6)}"
    tmp.mkdir()
    try:
        (tmp / HTML_NAME).write_text(report.html, encoding="utf-8")
        (tmp / MARKDOWN_NAME).write_text(report.markdown, encoding="utf-8")
        (tmp / FIGURE_DIR).mkdir()
        for name, png in report.images.items():
            (tmp / FIGURE_DIR / f"{name}.png").write_bytes(png)
        if not out.exists():
            os.rename(tmp, out)
        else:
            _move_into(tmp, out)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)
    return out / HTML_NAME


def _move_into(tmp: Path, out: Path) -> None:
    old = out / FIGURE_DIR
    for path, want_dir in ((old, True), (out / HTML_NAME, False), (out / MARKDOWN_NAME, False)):
        if path.exists() and path.is_dir() != want_dir:
            raise UserError(f"--out {out}: {path} is in the way; move it first")
    if old.exists():
        os.rename(old, tmp / ".old-figures")
    os.rename(tmp / FIGURE_DIR, out / FIGURE_DIR)
    os.replace(tmp / MARKDOWN_NAME, out / MARKDOWN_NAME)
    os.replace(tmp / HTML_NAME, out / HTML_NAME)
