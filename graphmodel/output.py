"""The one writer: every result as a table, CSV, JSON or Parquet, with its metadata.

A result is a DataFrame whose ``attrs["meta"]`` records the command, the
source, every model parameter, the seed and the version (see
`make_meta`). Formats:

``table``    a readable table for people (rich), the metadata as a caption
``csv``      the rows; with ``--out FILE`` the metadata goes to ``FILE.meta.json``
``json``     ``{"meta": {...}, "rows": [...]}``, the machine contract
``parquet``  the rows, with the metadata as JSON in the schema's ``graphmodel`` key
             (needs ``--out``)

Files are written by `graphmodel.safefile`: to a temporary name and moved
into place, so a failed write leaves nothing half-written; through symbolic
links; into FIFOs and devices as streams; never over a folder or socket. In
the ``table`` format, text from the data is shown, never obeyed: no rich
markup, no escape codes (`graphmodel.terminal`).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import os
import sys
from pathlib import Path
from typing import IO, Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from graphmodel.__about__ import __version__
from graphmodel.errors import UserError
from graphmodel.params import Params

__all__ = [
    "FORMATS",
    "make_meta",
    "store_meta",
    "with_meta",
    "render",
    "write_result",
    "to_jsonable",
]

FORMATS = ("table", "csv", "json", "parquet")


def make_meta(
    command: str, source: str, params: dict | None = None, seed: Any = None, **extra: Any
) -> dict[str, Any]:
    """The metadata block of a result: command, source, parameters, seed, version."""
    meta = {
        "command": command,
        "source": source,
        "params": dict(params if params is not None else Params()),
        "seed": seed,
        "version": __version__,
    }
    meta.update(extra)
    return meta


def store_meta(store, command: str, params: dict | None = None, **extra: Any) -> dict[str, Any]:
    """`make_meta` for a result computed on ``store``: its source, the seed and
    generator options recorded with its log (``graphmodel.json``), if any, and, for a
    partial log or inferred referrals, ``log`` (its coverage) and ``notes`` (one line per
    figure of ``command`` it affects, [`graphmodel.eventlog.coverage.Coverage.notes`][graphmodel.eventlog.coverage.Coverage.notes])."""
    recorded = store.meta
    coverage = getattr(store, "coverage", None)
    if coverage is not None and coverage.as_meta() is not None:
        extra.setdefault("log", coverage.as_meta())
        notes = coverage.notes(command)
        if notes:
            extra.setdefault("notes", notes)
    engine = getattr(store, "engine_meta", None)
    if engine:
        extra.setdefault("engine", engine)
    if recorded.get("generator") is not None:
        extra.setdefault("generator", recorded["generator"])
    imported = recorded.get("live_room")
    if isinstance(imported, dict) and isinstance(imported.get("watch"), dict):
        # a log imported from live-room recordings: its watches are estimates
        watch = imported["watch"]
        danmaku = imported.get("danmaku")
        extra.setdefault("imported", {"from": "live-room", "watch": watch,
                                      "gifts": imported.get("gifts"),
                                      **({"danmaku": danmaku} if danmaku else {})})
        from graphmodel.eventlog.coverage import VALUE_COMMANDS

        if command in VALUE_COMMANDS:
            extra["notes"] = [*extra.get("notes", []),
                              "watch time estimated from live-room recordings (capped at "
                              f"{watch.get('cap_s', 0):g} s; docs/your-data.md): labour "
                              "hours, completion and data units rest on the estimate"]
            if isinstance(danmaku, dict):
                extra["notes"].append(
                    "imported from danmaku XML (comments and gifts only): watches run from "
                    "a viewer's first comment to their last, biased low; no likes, shares, "
                    "follows or entries were recorded, so their value and any spread are "
                    "zero here, not measured")
    return make_meta(command, store.source, params, seed=recorded.get("seed"), **extra)


def with_meta(df: pd.DataFrame, meta: dict[str, Any]) -> pd.DataFrame:
    """Attach ``meta`` to ``df`` (as ``df.attrs["meta"]``) and return it."""
    df.attrs["meta"] = meta
    return df


def to_jsonable(value: Any) -> Any:
    """A value as plain JSON: NaN/NA -> null, timestamps -> ISO 8601, numpy -> Python."""
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if not math.isfinite(float(value)) else float(value)
    if isinstance(value, (np.bool_,)):
        return bool(value)
    if isinstance(value, (pd.Timestamp, dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, (pd.Timedelta, dt.timedelta)):
        return pd.Timedelta(value).total_seconds()
    if isinstance(value, Path):
        return str(value)
    return value


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    cols = [str(c) for c in df.columns]
    return [
        {c: to_jsonable(v) for c, v in zip(cols, row, strict=True)}
        for row in df.itertuples(index=False, name=None)
    ]


def _json_text(df: pd.DataFrame, meta: dict[str, Any]) -> str:
    doc = {"meta": to_jsonable(meta), "rows": _records(df)}
    return json.dumps(doc, ensure_ascii=False, indent=1, allow_nan=False) + "\n"


def _fmt_cell(v: Any) -> str:
    v = to_jsonable(v)
    if v is None:
        return ""
    if isinstance(v, float):
        if v != 0 and (abs(v) >= 1e9 or abs(v) < 1e-4):
            return f"{v:.4g}"
        return f"{v:,.4f}".rstrip("0").rstrip(".") if not float(v).is_integer() else f"{v:,.0f}"
    if isinstance(v, int) and not isinstance(v, bool):
        return f"{v:,}"
    return str(v)


def _table_text(
    df: pd.DataFrame, meta: dict[str, Any], width: int | None = None, color: bool = False
) -> str:
    """The rich table of a result. Every cell, header, title and caption is a plain
    `Text` with control characters made visible
    (`graphmodel.terminal`): text from the data is never read as markup or escape codes."""
    from rich.console import Console
    from rich.table import Table

    from graphmodel.terminal import plain, visible

    title = meta.get("command") or None
    caption_bits = [f"source: {meta.get('source')}"] if meta.get("source") else []
    if meta.get("seed") is not None:
        caption_bits.append(f"seed: {meta['seed']}")
    caption_bits.append(f"graphmodel {meta.get('version', __version__)}")
    table = Table(title=plain(title) if title else None, caption=plain(" | ".join(caption_bits)))
    headers = [visible(c) for c in df.columns]
    for c, header in zip(df.columns, headers, strict=True):
        numeric = pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c])
        table.add_column(plain(header), justify="right" if numeric else "left")
    cells = [[visible(_fmt_cell(v)) for v in row] for row in df.itertuples(index=False, name=None)]
    for row in cells:
        table.add_row(*(plain(cell) for cell in row))
    natural = sum(max([len(h)] + [len(r[i]) for r in cells]) + 3 for i, h in enumerate(headers)) + 1
    buf = io.StringIO()
    console = Console(
        file=buf,
        width=width or max(100, natural),
        force_terminal=color,
        no_color=not color,
        highlight=False,
    )
    console.print(table)
    return buf.getvalue()


def render(
    df: pd.DataFrame,
    fmt: str = "table",
    meta: dict[str, Any] | None = None,
    width: int | None = None,
    color: bool = False,
) -> str:
    """The text of a result in ``fmt`` (``table``, ``csv`` or ``json``)."""
    meta = meta if meta is not None else df.attrs.get("meta", {})
    if fmt == "json":
        return _json_text(df, meta)
    if fmt == "csv":
        return df.to_csv(index=False, lineterminator="\n")
    if fmt == "table":
        return _table_text(df, meta, width=width, color=color)
    raise UserError(f"format {fmt!r} cannot be printed; choose one of table, csv, json")


def _parquet_bytes(df: pd.DataFrame, meta: dict[str, Any]) -> bytes:
    table = pa.Table.from_pandas(df, preserve_index=False)
    md = dict(table.schema.metadata or {})
    md[b"graphmodel"] = json.dumps(to_jsonable(meta)).encode()
    sink = pa.BufferOutputStream()
    pq.write_table(table.replace_schema_metadata(md), sink)
    return sink.getvalue().to_pybytes()


def write_result(
    df: pd.DataFrame,
    fmt: str = "table",
    out: str | os.PathLike | None = None,
    meta: dict[str, Any] | None = None,
    stream: IO[str] | None = None,
) -> None:
    """Write a result to ``out`` (a file) or ``stream`` (default stdout) in ``fmt``.

    ``out`` is written by the rules of `graphmodel.safefile`: a new path or
    a regular file atomically (with the user's umask), through a symbolic link
    to its target, into a FIFO or device (``/dev/stdout``) as a stream; a folder
    or socket is refused with a `UserError`. The ``.meta.json`` sidecar of
    ``csv`` and ``table`` goes beside a file only, by the same rules.

    Parameters
    ----------
    df : DataFrame
        A result, such as any analysis returns.
    fmt : {"table", "csv", "json", "parquet"}
        A table for people, the rows as CSV, ``{"meta": ..., "rows": [...]}``
        as JSON, or Parquet with the metadata in the schema (needs ``out``).
    out : str or path-like, optional
        The file to write; default: write to ``stream``.
    meta : dict, optional
        The metadata to write; default ``df.attrs["meta"]``.
    stream : file-like, optional
        Where to write text when ``out`` is not given; default standard output.

    Returns
    -------
    None

    Raises
    ------
    UserError
        An unknown ``fmt``, ``parquet`` without ``out``, or an ``out`` that
        cannot be written (a folder, a socket, a read-only place).

    Examples
    --------
    >>> import io
    >>> import json
    >>> import os
    >>> import tempfile
    >>> import graphmodel
    >>> log = graphmodel.generate(graphmodel.GeneratorConfig(users=200, days=1, seed=1))
    >>> stats = graphmodel.graph_stats(graphmodel.MemoryStore(log)).head(2)
    >>> graphmodel.write_result(stats, "csv")
    kind,name,count
    node,User,200
    node,Streamer,2
    >>> buffer = io.StringIO()
    >>> graphmodel.write_result(stats, "json", stream=buffer)
    >>> doc = json.loads(buffer.getvalue())
    >>> doc["meta"]["command"], doc["rows"][0]
    ('stats', {'kind': 'node', 'name': 'User', 'count': 200})
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     graphmodel.write_result(stats, "csv", out=os.path.join(tmp, "stats.csv"))
    ...     sorted(os.listdir(tmp))
    ['stats.csv', 'stats.csv.meta.json']
    >>> graphmodel.write_result(stats, "parquet")
    Traceback (most recent call last):
    ...
    graphmodel.errors.UserError: --format parquet needs --out FILE
    """
    from graphmodel.renamed import legacy_names, to_legacy
    from graphmodel.safefile import target, write_files

    if fmt not in FORMATS:
        raise UserError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    meta = meta if meta is not None else df.attrs.get("meta", {})
    if legacy_names():  # the 0.1.0 names, for one release (graphmodel.renamed)
        df = to_legacy(df)
    if out is None:
        if fmt == "parquet":
            raise UserError("--format parquet needs --out FILE")
        stream = stream or sys.stdout
        color = fmt == "table" and stream.isatty()
        stream.write(render(df, fmt, meta, color=color))
        return
    where = target(out)
    data = _parquet_bytes(df, meta) if fmt == "parquet" else render(df, fmt, meta).encode()
    items: list = [(where, data)]
    if fmt in ("csv", "table") and where.regular:
        path = Path(out)
        sidecar = path.with_name(path.name + ".meta.json")
        body = json.dumps(to_jsonable(meta), ensure_ascii=False, indent=1) + "\n"
        items.append((sidecar, body.encode("utf-8")))
    write_files(items)
