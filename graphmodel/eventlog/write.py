"""Write an event log as CSV or Parquet, one file per table ([docs/model.md, section 2][model-2]).

Writing is all or nothing: the files are written into a temporary folder
(beside a new target, inside an existing one) and moved into place only
when every table is written. Output is deterministic: the same log gives
byte-identical files.

Writing touches only the log's own files. Into an existing folder it puts
``<table>.<fmt>`` (or the ``<table>/`` folder of parts) and ``graphmodel.json``,
replacing the same files of an earlier log in the same format, and leaves
everything else alone. A folder holding a log in another format or
compression (``users.csv.gz`` or ``users.parquet`` when writing CSV) is
refused unless ``force``, which removes only those table files: the ten
table names with the known extensions, and ``graphmodel.json``. A folder of
parts is the log's only when it holds nothing but part files
(``part-00000.parquet``, ...); a folder named after a table that holds
anything else is never removed or written into (`check_log_out`).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from graphmodel.errors import UserError
from graphmodel.eventlog.log import META_FILE, EventLog
from graphmodel.eventlog.read import EXTENSIONS as READ_EXTENSIONS
from graphmodel.safefile import new_dir_mode, os_error, output_folder
from graphmodel.schema import TABLE_NAMES, TABLES
from graphmodel.terminal import visible

__all__ = [
    "write_log",
    "write_log_parts",
    "part_name",
    "FORMATS",
    "csv_frame",
    "check_log_out",
    "TABLE_EXTENSIONS",
]

FORMATS = ("csv", "parquet")

#: The extensions a table file can have (what the reader reads, and what writing makes).
TABLE_EXTENSIONS = tuple(dict.fromkeys((".csv", ".csv.gz", ".parquet", *READ_EXTENSIONS)))

_PART = re.compile(r"part-[0-9]{5}\.parquet")


def _iso(s: pd.Series) -> pd.Series:
    """ISO 8601 text for a datetime column: seconds, or microseconds where needed."""
    has_fraction = bool(
        (s.dropna().dt.microsecond != 0).any() or (s.dropna().dt.nanosecond != 0).any()
    )
    fmt = "%Y-%m-%dT%H:%M:%S.%f" if has_fraction else "%Y-%m-%dT%H:%M:%S"
    return s.dt.strftime(fmt)


def csv_frame(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """The frame as it is written to CSV: datetimes as ISO text, booleans as true/false."""
    out = df.copy()
    for c in TABLES[name].columns:
        if c.kind == "datetime":
            out[c.name] = _iso(out[c.name])
        elif c.kind == "bool":
            out[c.name] = out[c.name].map({True: "true", False: "false"}).astype("string")
    return out


def _write_table(name: str, df: pd.DataFrame, folder: Path, fmt: str) -> None:
    if fmt == "csv":
        csv_frame(name, df).to_csv(
            folder / f"{name}.csv", index=False, lineterminator="\n", float_format="%.10g"
        )
    else:
        table = pa.Table.from_pandas(df, preserve_index=False)
        pq.write_table(table, folder / f"{name}.parquet", compression="zstd")


def _lstat(path: Path) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except FileNotFoundError:
        return None


def _log_folder(out: str | os.PathLike) -> tuple[Path, bool]:
    """The folder a log for ``out`` goes into (a symbolic link resolved), and whether it exists."""
    return output_folder(out, "the event log")


def _parts_folder(folder: Path) -> tuple[bool, bool]:
    """Whether ``folder`` holds any Parquet file, and whether it holds nothing but part files."""
    has, only = False, True
    for entry in os.scandir(folder):
        has = has or entry.name.endswith(".parquet")
        if not (_PART.fullmatch(entry.name) and entry.is_file(follow_symlinks=False)):
            only = False
    return has, only


def _entries(fmt: str, parts: Iterable[str], meta: bool) -> list[str]:
    """The entries a log puts in its folder: ``<table>.<fmt>`` or ``<table>`` (parts), and meta."""
    parts = set(parts)
    entries = [name if name in parts else f"{name}.{fmt}" for name in TABLE_NAMES]
    return entries + [META_FILE] if meta else entries


@dataclass
class _Plan:
    folder: Path
    exists: bool
    remove: list[Path] = field(default_factory=list)  # table files of the log being replaced
    replace_dirs: set[str] = field(default_factory=set)  # parts folders replaced whole


def _plan(out: str | os.PathLike, fmt: str, parts: Iterable[str], meta: bool, force: bool) -> _Plan:
    """What writing a log into ``out`` removes and replaces; a [`UserError`][graphmodel.errors.UserError] when the
    folder holds something writing would destroy or mix with (see the module's notes)."""
    folder, exists = _log_folder(out)
    plan = _Plan(folder, exists)
    if not exists:
        return plan
    wanted = set(_entries(fmt, parts, meta))
    blocked: list[str] = []
    other: list[Path] = []  # another format or compression: removed only with force
    try:
        for name in TABLE_NAMES:
            for ext in TABLE_EXTENSIONS:
                entry = name + ext
                st = _lstat(folder / entry)
                if st is None:
                    continue
                if entry in wanted:
                    if not stat.S_ISREG(st.st_mode):
                        blocked.append(f"{entry} is not a regular file")
                elif not (stat.S_ISREG(st.st_mode) or stat.S_ISLNK(st.st_mode)):
                    blocked.append(f"{entry} is not a file")
                elif ext == ".parquet" and fmt == "parquet":
                    plan.remove.append(folder / entry)  # the other Parquet layout: replaced
                else:
                    other.append(folder / entry)
            st = _lstat(folder / name)
            if st is None:
                continue
            if name in wanted:
                if not stat.S_ISDIR(st.st_mode):
                    blocked.append(f"{name} is in the way of the folder of parts {name}/")
                elif not _parts_folder(folder / name)[1]:
                    blocked.append(f"{name}/ holds files other than Parquet parts")
                else:
                    plan.replace_dirs.add(name)
                continue
            if not stat.S_ISDIR(st.st_mode):
                continue  # not a table the reader would see: left alone
            has_parquet, only_parts = _parts_folder(folder / name)
            if not has_parquet:
                continue  # not a table the reader would see: left alone
            if not only_parts:
                blocked.append(f"{name}/ holds Parquet parts and other files")
            elif fmt == "parquet":
                plan.remove.append(folder / name)
            else:
                other.append(folder / name)
        st = _lstat(folder / META_FILE)
        if st is not None and META_FILE in wanted:
            if not stat.S_ISREG(st.st_mode):
                blocked.append(f"{META_FILE} is not a regular file")
        elif st is not None:
            if stat.S_ISREG(st.st_mode) or stat.S_ISLNK(st.st_mode):
                plan.remove.append(folder / META_FILE)  # it describes the log being replaced
            else:
                blocked.append(f"{META_FILE} is not a file")
    except OSError as exc:
        raise os_error(out, exc) from None
    where = visible(os.fspath(out))
    if blocked:
        raise UserError(
            f"{where}: " + "; ".join(blocked) + "; move them away or give another folder"
        )
    if other and not force:
        names = [p.name + ("/" if p.is_dir() else "") for p in other]
        names = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
        raise UserError(
            f"{where}: holds an event log in another format or compression "
            f"({names}); give --force to replace its table files, or another folder"
        )
    plan.remove.extend(other)
    return plan


def check_log_out(
    out: str | os.PathLike,
    fmt: str = "csv",
    parts: Iterable[str] = (),
    force: bool = False,
    meta: bool = True,
) -> Path:
    """Check, before any work, that a log can be written into ``out``; return its folder.

    A [`UserError`][graphmodel.errors.UserError] when ``out`` is not a folder, holds something in the way
    (a folder of parts with other files in it, a table name that is not a file),
    holds a log in another format and ``force`` is not given, or cannot be
    written (a read-only folder, ``/proc``). ``parts`` names the tables written as
    folders of parts; ``meta`` whether ``graphmodel.json`` is written.
    """
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}, got {fmt!r}")
    plan = _plan(out, fmt, parts, meta, force)
    probe_in = plan.folder
    if not plan.exists:
        probe_in = plan.folder.parent
        while not os.path.lexists(probe_in) and probe_in != probe_in.parent:
            probe_in = probe_in.parent
    try:
        os.rmdir(tempfile.mkdtemp(prefix=".graphmodel-probe-", dir=probe_in))
    except OSError as exc:
        raise os_error(out, exc, "cannot write the event log") from None
    return plan.folder


def _remove(path: Path) -> None:
    """Remove a table file, or a folder of nothing but part files (never anything else)."""
    if stat.S_ISDIR(os.lstat(path).st_mode):
        for entry in os.scandir(path):
            if _PART.fullmatch(entry.name) and entry.is_file(follow_symlinks=False):
                os.unlink(entry.path)
        os.rmdir(path)  # fails, keeping it, if anything else appeared there
    else:
        os.unlink(path)


def _write_folder(
    out: str | os.PathLike,
    fmt: str,
    parts: Iterable[str],
    meta: bool,
    force: bool,
    fill: Callable[[Path], None],
) -> Path:
    """Run ``fill(tmp)`` to write the log's entries into a temporary folder, then move
    them into ``out`` by the plan (`_plan`); all or nothing."""
    parts = tuple(parts)
    plan = _plan(out, fmt, parts, meta, force)
    try:
        if plan.exists:
            tmp = Path(tempfile.mkdtemp(prefix=".graphmodel-write-", dir=plan.folder))
        else:
            plan.folder.parent.mkdir(parents=True, exist_ok=True)
            tmp = Path(tempfile.mkdtemp(prefix=f".{plan.folder.name}.", dir=plan.folder.parent))
            os.chmod(tmp, new_dir_mode())
    except OSError as exc:
        raise os_error(out, exc, "cannot write the event log") from None
    try:
        fill(tmp)
        if not plan.exists:
            os.rename(tmp, plan.folder)
            return Path(out)
        plan = _plan(out, fmt, parts, meta, force)  # again: the folder may have changed
        for path in plan.remove:
            _remove(path)
        for entry in _entries(fmt, parts, meta):
            if entry in plan.replace_dirs:
                os.rename(plan.folder / entry, tmp / f".old-{entry}")
            os.replace(tmp / entry, plan.folder / entry)
    except OSError as exc:
        raise os_error(out, exc, "cannot write the event log") from None
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return Path(out)


def _write_meta(log: EventLog, folder: Path) -> None:
    if log.meta:
        text = json.dumps(log.meta, indent=1, sort_keys=True, default=str) + "\n"
        (folder / META_FILE).write_text(text, encoding="utf-8")


def write_log(
    log: EventLog, out_dir: str | os.PathLike, fmt: str = "csv", force: bool = False
) -> Path:
    """Write every table of ``log`` into ``out_dir`` as ``<table>.csv`` or ``<table>.parquet``.

    The same tables of an earlier log in the same format are replaced (for
    Parquet, in either layout: file or folder of parts), and nothing else is
    touched. A log in another format or compression there is a
    `UserError` unless ``force``, which removes its table files
    (`check_log_out`). Writing is all or nothing, and the same log gives
    byte-identical files; ``log.meta``, if any, goes to ``graphmodel.json``.

    Parameters
    ----------
    log : EventLog
        The log to write (from `graphmodel.generate` or `graphmodel.read_log`).
    out_dir : str or path-like
        The folder to write into; made, with its parents, if it does not exist.
    fmt : {"csv", "parquet"}
        CSV (UTF-8, a header row, ISO 8601 datetimes) or Parquet (zstd).
    force : bool
        Replace the table files of a log in another format or compression.

    Returns
    -------
    Path
        ``out_dir``.

    Raises
    ------
    UserError
        ``out_dir`` is not a folder, holds something in the way of the log's
        files, holds a log in another format (without ``force``), or cannot be
        written.
    ValueError
        An unknown ``fmt``.

    Examples
    --------
    >>> import os
    >>> import tempfile
    >>> import graphmodel
    >>> log = graphmodel.generate(graphmodel.GeneratorConfig(users=200, days=1, seed=1))
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     folder = graphmodel.write_log(log, os.path.join(tmp, "platform"))
    ...     names = sorted(os.listdir(folder))
    ...     graphmodel.write_log(log, folder, fmt="parquet")
    Traceback (most recent call last):
    ...
    graphmodel.errors.UserError: ...: holds an event log in another format or compression (...); give --force to replace its table files, or another folder
    >>> names[:4]
    ['ad_spend.csv', 'advertisers.csv', 'events.csv', 'follows.csv']
    >>> "graphmodel.json" in names
    True
    """
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}, got {fmt!r}")

    def fill(tmp: Path) -> None:
        for name in TABLE_NAMES:
            _write_table(name, log[name], tmp, fmt)
        _write_meta(log, tmp)

    return _write_folder(out_dir, fmt, (), bool(log.meta), force, fill)


def part_name(index: int) -> str:
    """The file name of part ``index`` of a partitioned table: ``part-00000.parquet``, ..."""
    return f"part-{index:05d}.parquet"


def write_log_parts(
    log: EventLog,
    parts: Mapping[str, Iterable[pd.DataFrame]],
    out_dir: str | os.PathLike,
    force: bool = False,
) -> Path:
    """Write a log whose large tables come in chunks, as Parquet.

    Every table named in ``parts`` is written as a folder ``<table>/`` of
    files ``part-00000.parquet``, ``part-00001.parquet``, ... (one per chunk,
    in order; the reader numbers rows across the parts in that order), each
    chunk written and released before the next is asked for, so only one
    chunk is ever in memory. The other tables come from ``log`` as
    ``<table>.parquet``. All or nothing, and touching only the log's files, as
    [`write_log`][graphmodel.eventlog.write.write_log]; chunks must be in the canonical dtypes
    (`graphmodel.eventlog.log.conform`).
    """

    def fill(tmp: Path) -> None:
        for name in TABLE_NAMES:
            if name in parts:
                (tmp / name).mkdir()
                k = -1
                for k, chunk in enumerate(parts[name]):
                    table = pa.Table.from_pandas(chunk, preserve_index=False)
                    pq.write_table(table, tmp / name / part_name(k), compression="zstd")
                if k < 0:  # no chunk: one empty part keeps the columns
                    table = pa.Table.from_pandas(log[name], preserve_index=False)
                    pq.write_table(table, tmp / name / part_name(0), compression="zstd")
            else:
                _write_table(name, log[name], tmp, "parquet")
        _write_meta(log, tmp)

    return _write_folder(out_dir, "parquet", tuple(parts), bool(log.meta), force, fill)
