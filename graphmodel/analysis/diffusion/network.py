"""Your own network for ``simulate`` and ``influence``: a graph file instead of a platform log.

Formats (``--graph-format``; ``auto`` goes by the file name):

``csv`` / ``tsv`` (``.csv``, ``.tsv``, also gzipped)
    A header row with ``source`` and ``target`` and optionally ``p``; one row per
    directed edge ``source -> target`` (influence flows from ``source`` to
    ``target``). Ids are read as strings, any text.
``parquet`` (``.parquet``, ``.pq``)
    The same columns; integer or string ids.
``snap`` (anything else, e.g. ``.txt``)
    The SNAP edge-list format (Leskovec and Krevl, "SNAP Datasets", 2014): one
    edge per line, ``source target`` or ``source target p`` separated by
    whitespace, node ids non-negative integers, lines starting with ``#`` are
    comments; every edge line has the same number of fields.

``p`` is the edge's Independent Cascade probability, in [0, 1]. With
``undirected`` each line also gives ``target -> source`` (for SNAP graphs of
undirected ties, listed once per pair). Then:

- a self-loop (``source == target``) is dropped and counted (``self_loops``);
- an edge listed again (the same ``source -> target``, whatever its ``p``; with
  ``undirected`` also a pair listed in both directions) keeps its first line and
  is counted (``duplicate_edges``);
- a missing id, a SNAP id that is not a non-negative integer, a ``p`` that is
  not a number in [0, 1], a SNAP line with another number of fields: a
  [`UserError`][graphmodel.errors.UserError] of one line, ``FILE, line N, column C:
  what is wrong`` (Parquet: ``row N``).

Probability rules for a graph file (``probability``): ``file`` (the ``p``
column; the default when the file has one), ``wc`` (weighted cascade,
``1 / in-degree`` of the target; the default otherwise), ``constant`` (``p``
for every edge). ``estimated`` needs a platform log's referrals and is refused.
"""

from __future__ import annotations

import gzip
import os
import re
from pathlib import Path

import numpy as np
import pandas as pd

from graphmodel.analysis.diffusion.graph import DiffusionGraph
from graphmodel.errors import UserError

__all__ = ["GRAPH_FORMATS", "read_network", "network_graph"]

#: Values of ``--graph-format``.
GRAPH_FORMATS = ("auto", "csv", "tsv", "parquet", "snap")

_INT = re.compile(r"\d+")


def graph_format(path: Path) -> str:
    """The format of ``path`` by its name: csv, tsv, parquet, else snap."""
    name = path.name.lower()
    if name.endswith((".csv", ".csv.gz")):
        return "csv"
    if name.endswith((".tsv", ".tsv.gz")):
        return "tsv"
    if name.endswith((".parquet", ".pq")):
        return "parquet"
    return "snap"


def _open(path: Path):
    if path.name.lower().endswith(".gz"):
        return gzip.open(path, "rt", encoding="utf-8", newline="")
    return open(path, encoding="utf-8", newline="")


def _probabilities(values: pd.Series, fail) -> np.ndarray:
    text = values.astype("str").str.strip()
    num = pd.to_numeric(text, errors="coerce").to_numpy(np.float64, na_value=np.nan)
    bad = ~((num >= 0) & (num <= 1))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        fail(i, "p", f"{values.iloc[i]!r} is not a probability in [0, 1]")
    return num


def _table(path: Path, fmt: str) -> tuple[pd.Series, pd.Series, np.ndarray | None]:
    """Source ids, target ids (strings) and p (or None) of a csv, tsv or parquet file."""
    if fmt == "parquet":
        try:
            raw = pd.read_parquet(path)
        except (OSError, ValueError) as exc:
            raise UserError(f"{path}: cannot read: {' '.join(str(exc).split())}") from None
        unit, first = "row", 1
    else:
        try:
            raw = pd.read_csv(
                path,
                sep="," if fmt == "csv" else "\t",
                dtype=str,
                keep_default_na=False,
                skip_blank_lines=False,
                compression="infer",
            )
        except pd.errors.EmptyDataError:
            raise UserError(
                f"{path}: an empty file; a graph file has a header source,target[,p]"
            ) from None
        except (pd.errors.ParserError, UnicodeDecodeError, OSError) as exc:
            raise UserError(f"{path}: cannot read: {' '.join(str(exc).split())}") from None
        unit, first = "line", 2
    raw.columns = [str(c).strip() for c in raw.columns]
    missing = [c for c in ("source", "target") if c not in raw.columns]
    if missing:
        raise UserError(
            f"{path}: missing column(s) {', '.join(missing)}; a graph file has the header "
            "source,target[,p]"
        )

    def fail(i: int, column: str, message: str):
        raise UserError(f"{path}, {unit} {i + first}, column {column}: {message}")

    ids = []
    for c in ("source", "target"):
        col = raw[c]
        if pd.api.types.is_float_dtype(col) or pd.api.types.is_bool_dtype(col):
            raise UserError(
                f"{path}: column {c} holds {col.dtype} values; ids are strings or integers"
            )
        s = col.astype("str").str.strip()
        empty = (col.isna() | (s == "")).to_numpy()
        if empty.any():
            fail(int(np.flatnonzero(empty)[0]), c, "empty id")
        ids.append(s.reset_index(drop=True))
    p = _probabilities(raw["p"].reset_index(drop=True), fail) if "p" in raw.columns else None
    return ids[0], ids[1], p


def _snap_scan(path: Path):
    """The first problem of a SNAP file, found line by line (the error path)."""
    fields_n = None
    with _open(path) as f:
        for n, line in enumerate(f, start=1):
            text = line.strip()
            if not text or text.startswith("#"):
                continue
            fields = text.split("#", 1)[0].split()
            if len(fields) not in (2, 3):
                raise UserError(
                    f"{path}, line {n}: {len(fields)} field(s); a SNAP edge line is "
                    "'source target' or 'source target p'"
                )
            if fields_n is None:
                fields_n = len(fields)
            elif len(fields) != fields_n:
                raise UserError(
                    f"{path}, line {n}: {len(fields)} fields where the first edge line has "
                    f"{fields_n}"
                )
            for k, name in ((0, "source"), (1, "target")):
                if not _INT.fullmatch(fields[k]):
                    raise UserError(
                        f"{path}, line {n}, column {k + 1} ({name}): {fields[k]!r} is not a "
                        "node id (a non-negative integer)"
                    )
            if len(fields) == 3:
                try:
                    p = float(fields[2])
                except ValueError:
                    p = float("nan")
                if not 0 <= p <= 1:
                    raise UserError(
                        f"{path}, line {n}, column 3 (p): {fields[2]!r} is not a probability "
                        "in [0, 1]"
                    )
    if fields_n is None:
        raise UserError(f"{path}: no edge lines (only comments or blank lines)")


def _snap(path: Path) -> tuple[pd.Series, pd.Series, np.ndarray | None]:
    try:
        raw = pd.read_csv(
            path, sep=r"\s+", comment="#", header=None, dtype=str, compression="infer"
        )
    except pd.errors.EmptyDataError:
        _snap_scan(path)
        raise UserError(f"{path}: no edge lines") from None
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        _snap_scan(path)
        raise UserError(f"{path}: cannot read: {' '.join(str(exc).split())}") from None
    except OSError as exc:
        raise UserError(f"{path}: cannot read: {' '.join(str(exc).split())}") from None
    if raw.shape[1] not in (2, 3) or raw.isna().any().any():
        _snap_scan(path)
    src, dst = raw[0].reset_index(drop=True), raw[1].reset_index(drop=True)
    if not (src.str.fullmatch(r"\d+").all() and dst.str.fullmatch(r"\d+").all()):
        _snap_scan(path)
    p = None
    if raw.shape[1] == 3:
        p = pd.to_numeric(raw[2], errors="coerce").to_numpy(np.float64, na_value=np.nan)
        if not ((p >= 0) & (p <= 1)).all():
            _snap_scan(path)
    # ids as integers written canonically (007 and 7 are one node), of any length
    return _canonical(src), _canonical(dst), p


def _canonical(ids: pd.Series) -> pd.Series:
    out = ids.str.lstrip("0")
    return out.where(out != "", "0")


def read_network(path: str | os.PathLike, fmt: str = "auto", undirected: bool = False):
    """Read and validate a graph file.

    Parameters
    ----------
    path : str or PathLike
    fmt : {"auto", "csv", "tsv", "parquet", "snap"}
    undirected : bool
        Each line also gives the reverse edge.

    Returns
    -------
    ids : ndarray of str
        Node ids in order of first appearance (node ``i`` is ``ids[i]``).
    src, dst : ndarray of int64
        The edges as node indices, self-loops and repeats removed, in file order.
    p : ndarray of float64, or None
        The file's probabilities (None without a ``p`` column).
    info : dict
        ``source``, ``format``, ``undirected``, ``lines`` (edge lines read),
        ``self_loops``, ``duplicate_edges``, ``nodes``, ``edges``.

    Raises
    ------
    UserError
        One line naming the file, line (row) and column of the first problem.
    """
    path = Path(path)
    if fmt not in GRAPH_FORMATS:
        raise UserError(f"unknown graph format {fmt!r}; choose one of {', '.join(GRAPH_FORMATS)}")
    if not path.is_file():
        raise UserError(f"{path}: no such file")
    kind = graph_format(path) if fmt == "auto" else fmt
    src, dst, p = _snap(path) if kind == "snap" else _table(path, kind)
    lines = len(src)
    codes, ids = pd.factorize(pd.concat([src, dst], ignore_index=True))
    s, t = codes[:lines].astype(np.int64), codes[lines:].astype(np.int64)
    if undirected:
        s, t = np.concatenate([s, t]), np.concatenate([t, s])
        if p is not None:
            p = np.concatenate([p, p])
    loop = s == t
    n = max(len(ids), 1)
    key = pd.Index(s * n + t)
    dup = key.duplicated() & ~loop
    keep = ~loop & ~dup
    info = {
        "source": str(path),
        "format": kind,
        "undirected": undirected,
        "lines": lines,
        "self_loops": int(loop[:lines].sum()),
        "duplicate_edges": int(dup.sum()),
        "nodes": len(ids),
        "edges": int(keep.sum()),
    }
    return (
        np.asarray(ids, dtype=object).astype(str),
        s[keep],
        t[keep],
        None if p is None else p[keep],
        info,
    )


def network_graph(
    path: str | os.PathLike,
    probability: str | None = None,
    p: float | None = None,
    fmt: str = "auto",
    undirected: bool = False,
) -> DiffusionGraph:
    """A graph file as a `DiffusionGraph` under a probability rule.

    ``probability``: ``file`` (the ``p`` column), ``wc`` or ``constant`` (with ``p``);
    None picks ``file`` when the file has a ``p`` column, else ``wc``. ``info`` holds
    what `read_network` counted, the rule (``probability``) and ``notes``.
    """
    ids, src, dst, prob, info = read_network(path, fmt, undirected)
    if probability is None:
        probability = "file" if prob is not None else "wc"
    if probability == "estimated":
        raise UserError(
            "--probability estimated reads referrals from a platform log; with --graph FILE "
            "use file (its p column), wc or constant"
        )
    if probability not in ("file", "wc", "constant"):
        raise UserError(f"unknown probability rule {probability!r}; choose file, wc or constant")
    if probability != "constant" and p is not None:
        raise UserError(
            f"--p is the constant probability: it needs --probability constant, not {probability}"
        )
    if probability == "file":
        if prob is None:
            raise UserError(f"{path}: --probability file needs a p column (or a third SNAP column)")
        q = prob
    elif probability == "wc":
        indeg = np.bincount(dst, minlength=len(ids))
        q = 1.0 / indeg[dst] if len(dst) else np.zeros(0)
    else:
        if p is None:
            raise UserError("--probability constant needs --p FLOAT (in [0, 1])")
        q = np.full(len(src), float(p))
    if not len(ids):
        raise UserError(f"{path}: the graph has no nodes")
    notes = []
    if info["self_loops"]:
        notes.append(f"graph: {info['self_loops']:,} self-loop(s) dropped")
    if info["duplicate_edges"]:
        notes.append(
            f"graph: {info['duplicate_edges']:,} repeated edge(s) dropped (the first line kept)"
        )
    if prob is not None and probability != "file":
        notes.append(f"graph: the file's p column is not used (--probability {probability})")
    info = {**info, "probability": probability, "notes": notes}
    return DiffusionGraph.from_edges(ids, src, dst, q, info=info)
