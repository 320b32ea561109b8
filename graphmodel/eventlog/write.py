"""Write an event log as CSV or Parquet, one file per table (MODEL.md section 2).

Writing is all or nothing: the files are written into a temporary folder
beside the target and moved into place only when every table is written.
Output is deterministic: the same log gives byte-identical files.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from graphmodel.eventlog.log import META_FILE, EventLog
from graphmodel.schema import TABLE_NAMES, TABLES

__all__ = ["write_log", "write_log_parts", "part_name", "FORMATS", "csv_frame"]

FORMATS = ("csv", "parquet")


def _iso(s: pd.Series) -> pd.Series:
    """ISO 8601 text for a datetime column: seconds, or microseconds where needed."""
    has_fraction = bool((s.dropna().dt.microsecond != 0).any() or (s.dropna().dt.nanosecond != 0).any())
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
        csv_frame(name, df).to_csv(folder / f"{name}.csv", index=False, lineterminator="\n",
                                   float_format="%.10g")
    else:
        table = pa.Table.from_pandas(df, preserve_index=False)
        pq.write_table(table, folder / f"{name}.parquet", compression="zstd")


def write_log(log: EventLog, out_dir: str | os.PathLike, fmt: str = "csv") -> Path:
    """Write every table of ``log`` into ``out_dir`` as ``<table>.csv`` or ``<table>.parquet``.

    Existing table files of either format in ``out_dir`` are replaced, so a
    folder never holds a CSV and a Parquet version of the same table.
    """
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}, got {fmt!r}")
    out = Path(out_dir)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        for name in TABLE_NAMES:
            _write_table(name, log[name], tmp, fmt)
        if log.meta:
            text = json.dumps(log.meta, indent=1, sort_keys=True, default=str) + "\n"
            (tmp / META_FILE).write_text(text, encoding="utf-8")
        if not out.exists():
            os.replace(tmp, out)
            return out
        for name in TABLE_NAMES:
            _remove_stale(out, name)
            os.replace(tmp / f"{name}.{fmt}", out / f"{name}.{fmt}")
        if (tmp / META_FILE).exists():
            os.replace(tmp / META_FILE, out / META_FILE)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return out


def _remove_stale(out: Path, name: str) -> None:
    """Remove table ``name`` from ``out`` in every layout: a file of either format, or parts."""
    for ext in FORMATS:
        stale = out / f"{name}.{ext}"
        if stale.exists():
            stale.unlink()
    if (out / name).is_dir():
        shutil.rmtree(out / name)


def part_name(index: int) -> str:
    """The file name of part ``index`` of a partitioned table: ``part-00000.parquet``, ..."""
    return f"part-{index:05d}.parquet"


def write_log_parts(log: EventLog, parts: Mapping[str, Iterable[pd.DataFrame]],
                    out_dir: str | os.PathLike) -> Path:
    """Write a log whose large tables come in chunks, as Parquet.

    Every table named in ``parts`` is written as a folder ``<table>/`` of
    files ``part-00000.parquet``, ``part-00001.parquet``, ... (one per chunk,
    in order; the reader numbers rows across the parts in that order), each
    chunk written and released before the next is asked for, so only one
    chunk is ever in memory. The other tables come from ``log`` as
    ``<table>.parquet``. All or nothing, as :func:`write_log`; chunks must be
    in the canonical dtypes (:func:`graphmodel.eventlog.log.conform`).
    """
    out = Path(out_dir)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        written = []
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
                written.append(name)
            else:
                _write_table(name, log[name], tmp, "parquet")
                written.append(f"{name}.parquet")
        if log.meta:
            text = json.dumps(log.meta, indent=1, sort_keys=True, default=str) + "\n"
            (tmp / META_FILE).write_text(text, encoding="utf-8")
        if not out.exists():
            os.replace(tmp, out)
            return out
        for name, entry in zip(TABLE_NAMES, written, strict=True):
            _remove_stale(out, name)
            os.replace(tmp / entry, out / entry)
        if (tmp / META_FILE).exists():
            os.replace(tmp / META_FILE, out / META_FILE)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return out
