"""Read and validate an event log folder ([docs/model.md, section 2][model-2]).

A folder holds one file per table of `graphmodel.schema.TABLES`:
``<table>.csv`` (UTF-8 with a header row; ``<table>.csv.gz`` also works) or
``<table>.parquet``, or a folder ``<table>/`` of Parquet parts (read in name
order as one table; rows are numbered across the parts). Only ``events`` is
required: ``users``, ``streams`` and ``streamers`` are derived from the other
tables when absent (`graphmodel.eventlog.derive`) and validated like the
rest; every other absent table is empty. The log's
[`Coverage`][graphmodel.eventlog.coverage.Coverage] says which. A CSV file with
only a header row is an empty table. Columns the schema does not know are ignored.

Reading never raises on bad input: every problem (a missing file, garbage
bytes, a cell of the wrong type, a broken reference) becomes one
`Problem`, and [`read_log`][graphmodel.eventlog.read.read_log] raises them all in
one [`LogError`][graphmodel.errors.LogError]. Row numbers are CSV line numbers
(the header is line 1) or 1-based Parquet rows.

After validation, a ``like`` event without ``count`` gets ``count = 1``.
"""

from __future__ import annotations

import codecs
import csv
import errno
import gzip
import io
import os
import zlib
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from graphmodel.errors import Problem
from graphmodel.eventlog.columns import Converted, from_arrow, from_text
from graphmodel.eventlog.coverage import Coverage
from graphmodel.eventlog.derive import (
    derive_advertisers,
    derive_products,
    derive_streamers,
    derive_streams,
    derive_users,
)
from graphmodel.eventlog.log import DTYPES, EventLog, empty_table, read_meta
from graphmodel.eventlog.validate import (
    PER_CHECK,
    Collector,
    ProblemList,
    TableData,
    check_tables,
    validate_frames,
)
from graphmodel.schema import TABLE_NAMES, TABLES, Table

__all__ = ["read_log", "validate_log", "validate_frames", "EXTENSIONS"]

#: File name endings of a table, by format.
EXTENSIONS = (".csv", ".csv.gz", ".parquet")


def read_log(path: str | os.PathLike) -> EventLog:
    """Read the event log in folder ``path``, validated and in the canonical dtypes.

    Parameters
    ----------
    path : str or path-like
        A folder with one file per table (``users.csv``, ``events.parquet``, ...).

    Returns
    -------
    EventLog
        Every table as a DataFrame with the dtypes of
        `graphmodel.eventlog.log.DTYPES`; ``source`` is the folder.

    Raises
    ------
    LogError
        Listing every problem found (file, line or row, column, message).

    Examples
    --------
    >>> import tempfile
    >>> import graphmodel
    >>> log = graphmodel.generate(graphmodel.GeneratorConfig(users=200, days=1, seed=1))
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     folder = graphmodel.write_log(log, tmp + "/platform")
    ...     again = graphmodel.read_log(folder)
    >>> len(again.users), len(again.events), again.meta["seed"]
    (200, 800, 1)
    >>> with tempfile.TemporaryDirectory() as empty:
    ...     graphmodel.read_log(empty)
    Traceback (most recent call last):
    ...
    graphmodel.errors.LogError: events.csv: missing table file (expected events.csv or events.parquet)
    """
    log, problems = _read(path)
    problems.raise_if_any()
    assert log is not None
    return log


def validate_log(path: str | os.PathLike) -> ProblemList:
    """Every problem of the event log in folder ``path``; empty when it is valid.

    The list's ``total`` counts also the problems beyond each check's cap.
    Nothing is raised for a bad log: this is `read_log` without the error.

    Parameters
    ----------
    path : str or path-like
        A folder with one file per table.

    Returns
    -------
    ProblemList
        A list of `graphmodel.errors.Problem` (file, row, column, message),
        sorted by file and row; ``total`` is how many were found in all.

    Examples
    --------
    >>> import tempfile
    >>> import graphmodel
    >>> log = graphmodel.generate(graphmodel.GeneratorConfig(users=200, days=1, seed=1))
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     folder = graphmodel.write_log(log, tmp + "/platform")
    ...     problems = graphmodel.validate_log(folder)
    ...     missing = graphmodel.validate_log(tmp)
    >>> len(problems)
    0
    >>> missing.total
    1
    >>> print(missing[0])
    events.csv: missing table file (expected events.csv or events.parquet)
    """
    return _read(path)[1]


def _read(path: str | os.PathLike) -> tuple[EventLog | None, ProblemList]:
    folder = Path(path)
    out = Collector()
    if not folder.exists():
        out.file(str(path), "no such folder")
        return None, out.result()
    if not folder.is_dir():
        out.file(
            str(path),
            "not a folder (an event log is a folder with one file per table, "
            "e.g. users.csv, events.csv)",
        )
        return None, out.result()
    files, absent = _locate(folder, out)
    tables: dict[str, TableData | None] = {}
    for name in TABLE_NAMES:
        tables[name] = _read_table(TABLES[name], files[name], out) if name in files else None
    ext = _extension(files)
    derived = complete_tables(tables, absent, ext, out)
    check_tables(tables, out)
    problems = out.result()
    if problems.total:
        return None, problems
    frames = {name: tables[name].df for name in TABLE_NAMES}
    _default_like_count(frames["events"])
    coverage = Coverage(absent=tuple(absent), derived=tuple(derived))
    return EventLog(frames, source=str(folder), meta=read_meta(folder),
                    coverage=coverage), problems


def complete_tables(tables: dict[str, TableData | None], absent: list[str], ext: str,
                    out: Collector) -> list[str]:
    """Fill in the absent tables: derived (`DERIVABLE`)
    or empty;
    returns the names of those derived. Nothing is derived from an unreadable table."""
    if "events" in absent or tables.get("events") is None:
        return []
    if "streams" in absent and "streamers" not in absent:
        out.file(f"streamers{ext}", "given without a streams table, so no stream names its "
                                    f"host: give streams{ext} too, or leave streamers out")
        return []
    derived = []

    def put(name: str, df: pd.DataFrame) -> None:
        derived.append(name)
        tables[name] = TableData(name, f"{name} (derived)", df, unit="row")

    if "streams" in absent:
        put("streams", derive_streams(tables["events"].df))
    if "streamers" in absent and tables.get("streams") is not None:
        put("streamers", derive_streamers(tables["streams"].df))
    if "products" in absent and "advertisers" not in absent:
        out.file(f"advertisers{ext}", "given without a products table, so no product names "
                                      f"its merchant: give products{ext} too, or leave "
                                      "advertisers out")
        return derived
    if "products" in absent:
        put("products", derive_products(tables["events"].df))
    if "advertisers" in absent and tables.get("products") is not None:
        spend = tables.get("ad_spend")
        put("advertisers", derive_advertisers(tables["products"].df,
                                              spend.df if spend is not None else None))
    if "users" in absent:
        follows, done = tables.get("follows"), tables.get("task_completions")
        streamers = tables.get("streamers")
        put("users", derive_users(tables["events"].df,
                                  follows.df if follows is not None else None,
                                  done.df if done is not None else None,
                                  streamers.df if streamers is not None else None))
    for name in absent:
        if name not in derived:
            tables[name] = TableData(name, f"{name}{ext}", empty_table(name), unit="row",
                                     given=False)
    return sorted(derived, key=TABLE_NAMES.index)


def _extension(files: dict[str, Path]) -> str:
    parquet = sum(f.name.endswith(".parquet") or f.is_dir() for f in files.values())
    return ".parquet" if parquet > len(files) - parquet else ".csv"


def _default_like_count(events: pd.DataFrame) -> None:
    """A like event without ``count`` counts one tap."""
    fill = (events["type"] == "like").fillna(False) & events["count"].isna()
    if fill.any():
        events.loc[fill, "count"] = 1


def _locate(folder: Path, out: Collector) -> tuple[dict[str, Path], list[str]]:
    """The file of each table found, and the tables with no file (``events`` is reported
    when it has none)."""
    files: dict[str, Path] = {}
    missing: list[str] = []
    for name in TABLE_NAMES:
        found = [folder / (name + ext) for ext in EXTENSIONS if os.path.lexists(folder / (name + ext))]
        parts = folder / name  # a folder of Parquet parts (events/part-00000.parquet, ...)
        if parts.is_dir() and any(p.name.endswith(".parquet") for p in parts.iterdir()):
            found.append(parts)
        if len(found) > 1:
            out.file(
                found[0].name,
                "found " + " and ".join(f.name for f in found) + ": keep one file per table",
            )
        elif not found:
            missing.append(name)
        elif found[0].is_symlink() and not found[0].exists():
            out.file(found[0].name, _dangling(found[0]))
        elif not found[0].is_file() and found[0].name != name:
            out.file(found[0].name, "not a file")
        else:
            files[name] = found[0]
    if "events" in missing:
        out.file("events" + _extension(files),
                 "missing table file (expected events.csv or events.parquet)")
    return files, missing


def _dangling(path: Path) -> str:
    """Why a symbolic link cannot be followed: a loop, or a target that does not exist."""
    try:
        os.stat(path)
    except OSError as e:
        if e.errno == errno.ELOOP:
            return "a symbolic link that loops (too many levels of symbolic links)"
        return f"a symbolic link to {os.readlink(path)}, which cannot be read ({e.strerror})"
    return "a symbolic link that cannot be followed"  # pragma: no cover - it resolved after all


def _read_table(spec: Table, path: Path, out: Collector) -> TableData | None:
    if path.is_dir():
        return _read_parquet_parts(spec, path, out)
    if path.name.endswith(".parquet"):
        return _read_parquet(spec, path, out)
    return _read_csv(spec, path, out)


def _table_data(
    spec: Table,
    file: str,
    columns: dict[str, Converted],
    n: int,
    unit: str,
    absent: set[str],
    out: Collector,
    first_row: int = 1,
    lines: np.ndarray | None = None,
) -> TableData:
    """Assemble the typed table and report the cells that could not be converted."""
    frame = {}
    for c in spec.columns:
        if c.name in columns:
            frame[c.name] = columns[c.name].series.reset_index(drop=True)
        else:
            frame[c.name] = pd.Series([None] * n, dtype=DTYPES[c.kind])
    t = TableData(
        spec.name,
        file,
        pd.DataFrame(frame),
        unit=unit,
        lines=lines,
        first_row=first_row,
        absent=set(absent),
    )
    for name, conv in columns.items():
        if conv.bad is not None:
            out.rows(t, conv.bad, name, conv.reason)
    return t


# --- Parquet -----------------------------------------------------------------


def _first_line(e: BaseException) -> str:
    text = str(e).strip().splitlines()
    return text[0] if text else type(e).__name__


def _read_parquet(spec: Table, path: Path, out: Collector) -> TableData | None:
    fname = path.name
    try:
        if path.stat().st_size == 0:
            out.file(fname, "empty file (0 bytes), not a Parquet file")
            return None
        pf = pq.ParquetFile(path)
        names = pf.schema_arrow.names
        dups = sorted({n for n in names if names.count(n) > 1 and n in spec.column_names})
        if dups:
            for d in dups:
                out.file(fname, "column appears more than once", d)
            return None
        include = [c for c in spec.column_names if c in names]
        table = pf.read(columns=include)
    except (pa.ArrowException, OSError) as e:
        out.file(fname, f"not a readable Parquet file ({_first_line(e)})")
        return None
    return _parquet_table(spec, fname, names, include, table, out)


def _read_parquet_parts(spec: Table, folder: Path, out: Collector) -> TableData | None:
    """A table given as a folder of Parquet parts, read in name order as one table.

    Problems name the folder (``events``) and number rows across the parts,
    1-based, in name order (as the Spark engine does).
    """
    fname = folder.name
    parts = sorted(p for p in folder.iterdir() if p.name.endswith(".parquet"))
    tables, names = [], None
    for part in parts:
        where = f"{fname}/{part.name}"
        try:
            pf = pq.ParquetFile(part)
            these = pf.schema_arrow.names
            if names is None:
                names = these
            elif sorted(set(these) & set(spec.column_names)) != sorted(
                    set(names) & set(spec.column_names)):
                out.file(where, "the parts of a table must have the same columns")
                return None
            tables.append(pf.read(columns=[c for c in spec.column_names if c in these]))
        except (pa.ArrowException, OSError) as e:
            out.file(where, f"not a readable Parquet file ({_first_line(e)})")
            return None
    include = [c for c in spec.column_names if c in names]
    try:
        table = pa.concat_tables(tables, promote_options="permissive")
    except pa.ArrowException as e:
        out.file(fname, f"the parts do not fit together ({_first_line(e)})")
        return None
    return _parquet_table(spec, fname, names, include, table, out)


def _parquet_table(spec: Table, fname: str, names: list[str], include: list[str],
                   table: pa.Table, out: Collector) -> TableData:
    absent = _missing_columns(spec, fname, names, out)
    columns: dict[str, Converted] = {}
    for name in include:
        c = spec.column(name)
        try:
            conv = from_arrow(c, table.column(name))
        except pa.ArrowException as e:
            conv = f"cannot convert the column ({_first_line(e)})"
        if isinstance(conv, str):
            out.file(fname, conv, name)
            absent.add(name)
            continue
        columns[name] = conv
    return _table_data(spec, fname, columns, table.num_rows, "row", absent, out)


def _missing_columns(spec: Table, fname: str, names: list[str], out: Collector) -> set[str]:
    absent = {c for c in spec.column_names if c not in names}
    for c in spec.required:
        if c in absent:
            out.file(fname, "required column missing", c)
    return absent


# --- CSV ---------------------------------------------------------------------


def _sniff(data: bytes) -> str | None:
    """Why these bytes are not UTF-8 CSV text at all, or ``None``."""
    if not data:
        return "empty file (0 bytes): a CSV file needs at least a header row"
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "UTF-32 text: save the file as UTF-8"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "UTF-16 text: save the file as UTF-8"
    if b"\x00" in data:
        return "binary data (NUL bytes), not UTF-8 CSV text"
    if data.startswith(b"PAR1"):
        return "a Parquet file named .csv"
    return None


def _utf8_error(data: bytes) -> int | None:
    """Offset of the first byte that is not valid UTF-8, or ``None``."""
    if data.isascii():
        return None
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    step = 1 << 24
    for offset in range(0, len(data), step):
        pending = len(decoder.getstate()[0])
        try:
            decoder.decode(view[offset : offset + step], final=offset + step >= len(data))
        except UnicodeDecodeError as e:
            return offset - pending + e.start
    return None


def _read_csv(spec: Table, path: Path, out: Collector) -> TableData | None:
    fname = path.name
    try:
        data = path.read_bytes()
    except OSError as e:
        out.file(fname, f"cannot read the file ({e.strerror or e})")
        return None
    if fname.endswith(".gz"):
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as e:
            out.file(fname, f"not a valid gzip file ({_first_line(e)})")
            return None
    reason = _sniff(data)
    if reason:
        out.file(fname, reason)
        return None
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    bad = _utf8_error(data)
    if bad is not None:
        line = data.count(b"\n", 0, bad) + 1
        out.add(
            Problem(
                fname,
                line,
                None,
                f"not UTF-8 text: byte 0x{data[bad]:02x} cannot be "
                "decoded (save the file as UTF-8)",
            )
        )
        return None
    if data.endswith((b"\n\n", b"\n\r\n")):  # trailing blank lines are harmless
        data = data.rstrip(b"\r\n") + b"\n"
    ends = [i for i in (data.find(b"\n"), data.find(b"\r")) if i >= 0]
    end = min(ends) if ends else len(data)
    header = next(csv.reader([data[:end].decode("utf-8")]), [])
    names = [h.strip() for h in header]
    if not any(names):
        out.add(Problem(fname, 1, None, "no header row: the first line is empty"))
        return None
    dups = sorted({n for n in names if names.count(n) > 1 and n in spec.column_names})
    if dups:
        for d in dups:
            out.file(fname, "column appears more than once in the header", d)
        return None
    include = [c for c in spec.column_names if c in names]
    absent = _missing_columns(spec, fname, names, out)
    fast = _csv_fast(data, names, include)
    if fast is not None:
        text, n = fast
        lines = None
    else:
        slow = _csv_slow(data, names, include, fname, out)
        if slow is None:
            return None
        text, lines = slow
        n = len(lines)
    columns: dict[str, Converted] = {}
    for name in include:
        columns[name] = from_text(spec.column(name), text[name])
    return _table_data(spec, fname, columns, n, "line", absent, out, first_row=2, lines=lines)


def _csv_fast(
    data: bytes, names: list[str], include: list[str]
) -> tuple[dict[str, pa.ChunkedArray], int] | None:
    """Parse with Arrow; ``None`` when line numbers need the careful parser.

    That is when a row has the wrong number of fields, when there are blank
    lines, or when a quoted value spans lines (then rows and lines differ).
    """
    if b"\n\n" in data or b"\n\r\n" in data:
        return None
    unique = []
    for i, n in enumerate(names):
        unique.append(n if n and n not in unique else f"\x00{i}")

    read = pacsv.ReadOptions(column_names=unique, skip_rows=1, use_threads=True)
    parse = pacsv.ParseOptions(newlines_in_values=True, invalid_row_handler=lambda row: "error")
    convert = pacsv.ConvertOptions(
        column_types={c: pa.string() for c in include},
        include_columns=include,
        strings_can_be_null=False,
        quoted_strings_can_be_null=False,
        check_utf8=True,
    )
    try:
        table = pacsv.read_csv(
            pa.BufferReader(data), read_options=read, parse_options=parse, convert_options=convert
        )
    except pa.ArrowException:
        return None
    n = table.num_rows
    if data.count(b"\n") + (not data.endswith(b"\n")) != n + 1:
        return None  # values with line breaks, or "\r" line ends: count lines carefully
    return {c: table.column(c) for c in include}, n


def _open_quote(start: int, end: int) -> str:
    """The hint for a record that runs over several lines: most often a quote never closed."""
    return f"; a quoted value opened on line {start} runs to line {end}: is a closing quote missing?"


def _csv_slow(
    data: bytes, names: list[str], include: list[str], fname: str, out: Collector
) -> tuple[dict[str, pa.Array], np.ndarray] | None:
    """Parse with `csv`, line by line: exact line numbers, ragged rows reported."""
    text = data.decode("utf-8")
    reader = csv.reader(io.StringIO(text, newline=""))
    width = len(names)
    index = [names.index(c) for c in include]
    cols: list[list[str]] = [[] for _ in include]
    lines: list[int] = []
    ragged = 0
    previous = 0
    try:
        for k, record in enumerate(reader):
            start, previous = previous + 1, reader.line_num
            if k == 0 or not record:
                continue  # the header; a blank line
            if len(record) != width:
                ragged += 1
                if ragged <= PER_CHECK:
                    message = f"{len(record)} fields, but the header has {width} columns"
                    if previous > start:
                        message += _open_quote(start, previous)
                    out.add(Problem(fname, start, None, message))
                else:
                    out.total += 1
                continue
            lines.append(start)
            for col, j in zip(cols, index, strict=True):
                col.append(record[j])
    except csv.Error as e:
        start = previous + 1  # the line where the record that failed began
        message = f"malformed CSV ({_first_line(e)})"
        if reader.line_num > start:
            message += _open_quote(start, reader.line_num)
        out.add(Problem(fname, start, None, message))
        return None
    arrays = {c: pa.array(col, pa.string()) for c, col in zip(include, cols, strict=True)}
    return arrays, np.asarray(lines, dtype=np.int64)
