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
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from graphmodel.eventlog.log import META_FILE, EventLog
from graphmodel.schema import TABLE_NAMES, TABLES

__all__ = ["write_log", "FORMATS", "csv_frame"]

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
            for ext in FORMATS:
                stale = out / f"{name}.{ext}"
                if stale.exists():
                    stale.unlink()
            os.replace(tmp / f"{name}.{fmt}", out / f"{name}.{fmt}")
        if (tmp / META_FILE).exists():
            os.replace(tmp / META_FILE, out / META_FILE)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return out
