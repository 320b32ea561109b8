"""Put a built report on disk: ``report.html``, ``report.md``, ``figures/*.png``, ``tables/*.csv``.

Everything is written into a temporary folder first and moved into place
only when complete, so a failure leaves nothing half-written. A new ``out``
is the renamed temporary folder (made beside it, with the user's umask).
Into an existing folder (a symbolic link to one is followed) only the
report's own entries are written, and nothing else there is touched:
``report.html`` and ``report.md`` by the rules of `graphmodel.safefile`
(through a symbolic link, into a FIFO as a stream, never over a folder), and
``figures/`` (``tables/``) replaced whole only when it holds nothing but PNG
(CSV) files; one with anything else in it is refused, never deleted.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from pathlib import Path

from graphmodel.errors import UserError
from graphmodel.report.build import Report
from graphmodel.report.markdown import FIGURE_DIR, TABLE_DIR
from graphmodel.safefile import new_dir_mode, os_error, output_folder, target, write_files
from graphmodel.terminal import visible

__all__ = ["HTML_NAME", "MARKDOWN_NAME", "check_out", "write_report"]

HTML_NAME = "report.html"
MARKDOWN_NAME = "report.md"


def _folder(out: str | os.PathLike) -> tuple[Path, bool]:
    """The folder the report goes into (a symbolic link resolved), and whether it exists."""
    return output_folder(out, "the report", prefix="--out ")


#: The report's folders beside its files, and the only kind of file each holds.
FOLDERS = {FIGURE_DIR: ".png", TABLE_DIR: ".csv"}


def _figures_are_ours(figures: Path, suffix: str = ".png") -> bool:
    """True when ``figures`` is a folder of nothing but ``suffix`` files (an earlier
    report's figures, or tables)."""
    st = os.lstat(figures)
    if not stat.S_ISDIR(st.st_mode):
        return False
    return all(
        e.name.endswith(suffix) and e.is_file(follow_symlinks=False) for e in os.scandir(figures)
    )


def check_out(out: str | os.PathLike) -> Path:
    """``out`` as a folder the report can go into (checked before any work), or a
    [`UserError`][graphmodel.errors.UserError] naming what is in the way or why it cannot be written."""
    folder, exists = _folder(out)
    shown = visible(os.fspath(out))
    probe_in = folder
    try:
        if exists:
            for name in (HTML_NAME, MARKDOWN_NAME):
                target(folder / name)  # refuses a folder or socket in the way
            for name, suffix in FOLDERS.items():
                sub = folder / name
                if os.path.lexists(sub) and not _figures_are_ours(sub, suffix):
                    what = "figures" if name == FIGURE_DIR else "tables"
                    raise UserError(
                        f"--out {shown}: {name}/ holds files other than the "
                        f"report's {what} (or is not a folder); move them away or "
                        "give another folder"
                    )
        else:
            probe_in = folder.parent
            while not os.path.lexists(probe_in) and probe_in != probe_in.parent:
                probe_in = probe_in.parent
            if not probe_in.is_dir():
                raise UserError(f"--out {shown}: {visible(probe_in)} is a file, not a folder")
        os.rmdir(tempfile.mkdtemp(prefix=".graphmodel-probe-", dir=probe_in))
    except OSError as exc:
        raise os_error(out, exc, "cannot write the report") from None
    return Path(out)


def write_report(report: Report, out: str | os.PathLike) -> Path:
    """Write ``report`` into folder ``out``; return the path of the HTML file."""
    check_out(out)
    folder, exists = _folder(out)
    html, markdown = report.html.encode("utf-8"), report.markdown.encode("utf-8")
    try:
        if exists:
            tmp = Path(tempfile.mkdtemp(prefix=".report.tmp-", dir=folder))
        else:
            folder.parent.mkdir(parents=True, exist_ok=True)
            tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.tmp-", dir=folder.parent))
            os.chmod(tmp, new_dir_mode())
    except OSError as exc:
        raise os_error(out, exc, "cannot write the report") from None
    try:
        (tmp / FIGURE_DIR).mkdir()
        for name, png in report.images.items():
            (tmp / FIGURE_DIR / f"{name}.png").write_bytes(png)
        (tmp / TABLE_DIR).mkdir()
        for name, csv in report.tables.items():
            (tmp / TABLE_DIR / name).write_bytes(csv)
        if not exists:
            (tmp / HTML_NAME).write_bytes(html)
            (tmp / MARKDOWN_NAME).write_bytes(markdown)
            os.rename(tmp, folder)
        else:
            for name, suffix in FOLDERS.items():
                old = folder / name
                if os.path.lexists(old):
                    if not _figures_are_ours(old, suffix):
                        raise UserError(
                            f"--out {visible(os.fspath(out))}: {name}/ holds files "
                            "other than the report's; move them away"
                        )
                    os.rename(old, tmp / f".old-{name}")
                os.rename(tmp / name, old)
            write_files([(folder / MARKDOWN_NAME, markdown), (folder / HTML_NAME, html)])
    except OSError as exc:
        raise os_error(out, exc, "cannot write the report") from None
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return Path(out) / HTML_NAME
