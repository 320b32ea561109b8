"""Bring your own cascades: cascade metrics of an edge list ([docs/model.md, section 6][model-6]).

An edge list is a CSV (UTF-8, header row; ``.csv`` or ``.csv.gz``) or Parquet
file with one row per edge of a propagation tree:

``cascade_id``  the tree (e.g. a source post)
``parent_id``   who passed it on; ids are read as strings and scoped by cascade
``child_id``    who got it from ``parent_id``
``delay_s``     optional: when ``child_id`` arrived, in seconds after the root
                (time zero); non-negative

The root of each cascade is its one node without a parent. A row with an
empty ``child_id`` names its ``parent_id`` as the cascade's root: that is how
a cascade of a root alone (size 1) is written. Each cascade must be one tree:
`validate_edges` rejects a node with two parents (or an edge listed
twice), a self-loop, a cycle, several roots, a missing id, and a
non-numeric, negative or infinite delay, each as a one-line
[`UserError`][graphmodel.errors.UserError] naming the file, the cascade and, where
one applies, the line (CSV: the header is line 1) or row (Parquet, 1-based).

[`edge_cascades`][graphmodel.analysis.edgelist.edge_cascades] gives per cascade the metrics of
`graphmodel.analysis.cascades` (``t50_s``/``t90_s`` null without
delays; no channel mix); `dataset_summary` one summary row.
"""

from __future__ import annotations

import csv
import gzip
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from graphmodel.analysis.cascades import dataset_summary
from graphmodel.errors import UserError
from graphmodel.model.cascades import METRIC_COLUMNS, TREE_COLUMNS, build_trees, forest
from graphmodel.output import make_meta, with_meta

__all__ = ["EDGE_COLUMNS", "read_edges", "validate_edges", "edge_cascades", "dataset_summary"]

#: Required columns of an edge list (``delay_s`` is optional).
EDGE_COLUMNS = ["cascade_id", "parent_id", "child_id"]
_ID_COLUMNS = EDGE_COLUMNS
_SHOWN = 5  # ids listed in a message before "..."


def _kind(path: Path) -> str:
    name = path.name.lower()
    if name.endswith((".csv", ".csv.gz")):
        return "csv"
    if name.endswith((".parquet", ".pq")):
        return "parquet"
    raise UserError(f"{path}: an edge list is a .csv, .csv.gz or .parquet file")


def read_edges(path: str | os.PathLike) -> pd.DataFrame:
    """Read and validate an edge list (CSV, gzip CSV or Parquet).

    Parameters
    ----------
    path : str or PathLike
        The file; ``cascade_id, parent_id, child_id[, delay_s]`` columns
        (others are ignored).

    Returns
    -------
    DataFrame
        ``cascade_id``, ``parent_id``, ``child_id`` as strings (``child_id``
        missing on a root row) and, when the file has it, ``delay_s`` as
        float64 (NaN where empty). ``attrs["source"]`` is the path and
        ``attrs["unit"]``/``attrs["first_line"]`` say how rows map to lines.

    Raises
    ------
    UserError
        The file is missing or unreadable, lacks a column, or is not a set of
        trees (see `validate_edges`); one line naming file, cascade and line.

    Examples
    --------
    >>> edges = read_edges("/work/shared/data/twitter15.csv.gz")   # doctest: +SKIP
    >>> edge_cascades(edges).head()                                  # doctest: +SKIP
    """
    path = Path(path)
    kind = _kind(path)
    if not path.is_file():
        raise UserError(f"{path}: no such file")
    try:
        raw = _read_csv(path) if kind == "csv" else pd.read_parquet(path)
    except (pa.ArrowInvalid, pd.errors.ParserError, UnicodeDecodeError, OSError, ValueError) as exc:
        message = " ".join(str(exc).split())
        raise UserError(f"{path}: cannot read the edge list: {message}") from None
    missing = [c for c in EDGE_COLUMNS if c not in raw.columns]
    if missing:
        raise UserError(
            f"{path}: missing column(s) {', '.join(missing)}; an edge list has "
            "columns cascade_id,parent_id,child_id[,delay_s]"
        )
    unit, first = ("line", 2) if kind == "csv" else ("row", 1)
    df = pd.DataFrame({c: _ids(raw[c], path, c) for c in _ID_COLUMNS})
    if "delay_s" in raw.columns:
        df["delay_s"] = _delays(raw["delay_s"], df, path, unit, first)
    df.attrs.update(source=str(path), unit=unit, first_line=first)
    validate_edges(df, source=str(path), unit=unit, first_line=first)
    df.attrs["validated"] = True
    return df


def _read_csv(path: Path) -> pd.DataFrame:
    """The edge-list columns of a CSV file: ids as strings, ``delay_s`` as a number when it
    parses (else as text, so the bad line can be named)."""
    import pyarrow.csv as pcsv

    opener = gzip.open if path.name.lower().endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8", newline="") as f:
        header = next(csv.reader(f), [])
    wanted = [c for c in (*EDGE_COLUMNS, "delay_s") if c in header]
    if not wanted:
        return pd.DataFrame(columns=header)
    types = {c: pa.string() for c in EDGE_COLUMNS}

    def read(delay_type):
        options = pcsv.ConvertOptions(
            column_types={**types, "delay_s": delay_type}, include_columns=wanted
        )
        return pcsv.read_csv(path, convert_options=options).to_pandas()

    try:
        return read(pa.float64())
    except pa.ArrowInvalid as exc:
        if "delay_s" not in wanted or "conversion error" not in str(exc):
            raise
        return read(pa.string())


def _ids(col: pd.Series, path: Path, name: str) -> pd.Series:
    if pd.api.types.is_float_dtype(col):
        raise UserError(
            f"{path}: column {name} holds floating-point numbers; ids must be "
            "strings or integers (floats lose digits)"
        )
    if pd.api.types.is_bool_dtype(col):
        raise UserError(f"{path}: column {name} holds booleans, not ids")
    s = col.astype("str")
    s = s.where(col.notna() & (s.str.strip() != ""))
    return s


def _delays(col: pd.Series, df: pd.DataFrame, path: Path, unit: str, first: int) -> pd.Series:
    if pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col):
        num = col.astype(np.float64)
        bad = np.zeros(len(col), dtype=bool)
    else:
        text = col.astype("str").str.strip()
        empty = col.isna() | (text == "")
        num = pd.to_numeric(text.where(~empty), errors="coerce").astype(np.float64)
        bad = (num.isna() & ~empty).to_numpy()
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        _raise(
            path,
            unit,
            i + first,
            df["cascade_id"].iloc[i],
            f"delay_s {col.iloc[i]!r} is not a number",
            int(bad.sum()) - 1,
        )
    values = num.to_numpy()
    wrong = (values < 0) | np.isinf(values)
    if wrong.any():
        i = int(np.flatnonzero(wrong)[0])
        what = "negative" if values[i] < 0 else "not finite"
        _raise(
            path,
            unit,
            i + first,
            df["cascade_id"].iloc[i],
            f"delay_s {values[i]:g} is {what}; delays are seconds after the root, >= 0",
            int(wrong.sum()) - 1,
        )
    return num


def _raise(source, unit: str, line: int | None, cascade, message: str, more: int = 0):
    where = f"{source} {unit} {line}" if line is not None else f"{source}"
    if cascade is not None and not (isinstance(cascade, float) and np.isnan(cascade)):
        where += f", cascade {cascade}"
    tail = f" (and {more} more problem(s))" if more > 0 else ""
    raise UserError(f"{where}: {message}{tail}")


def _present(col: pd.Series) -> np.ndarray:
    """Cells that hold a value: not missing and, for text, not blank."""
    ok = col.notna().to_numpy(dtype=bool, copy=True)
    if not pd.api.types.is_numeric_dtype(col):
        ok &= (col.astype("str").str.strip() != "").to_numpy(dtype=bool)
    return ok


def _listing(ids) -> str:
    ids = [str(i) for i in ids]
    shown = ", ".join(ids[:_SHOWN])
    return shown + (", ..." if len(ids) > _SHOWN else "")


def validate_edges(
    edges: pd.DataFrame, source: str = "<edges>", unit: str = "line", first_line: int = 2
) -> None:
    """Check that every cascade of an edge list is one tree; raise on the first problem.

    Checks, in this order, each reporting the earliest line: a missing
    ``cascade_id`` or ``parent_id``; a self-loop; a node named as child twice
    (two parents, or an edge listed twice); a root row whose node has a parent;
    several roots (nodes without a parent, or root rows naming different
    nodes); a cycle (nodes that never reach a root). A negative or
    non-numeric ``delay_s`` is caught by `read_edges`; here a negative
    one is also rejected.

    Parameters
    ----------
    edges : DataFrame
        ``cascade_id``, ``parent_id``, ``child_id`` (missing on root rows),
        optionally ``delay_s``.
    source, unit, first_line
        Name the file in messages, and map row ``i`` (0-based) to ``unit``
        ``first_line + i``.

    Raises
    ------
    UserError
        One line: ``FILE line N, cascade C: what is wrong (and K more problem(s))``.
    """
    missing = [c for c in EDGE_COLUMNS if c not in edges.columns]
    if missing:
        raise UserError(f"{source}: missing column(s) {', '.join(missing)}")
    n = len(edges)
    cid = edges["cascade_id"]
    par = edges["parent_id"]
    chi = edges["child_id"]

    def fail(mask: np.ndarray, message) -> None:
        rows = np.flatnonzero(mask)
        if rows.size:
            i = int(rows[0])
            text = message(i) if callable(message) else message
            _raise(source, unit, i + first_line, cid.iloc[i], text, int(rows.size) - 1)

    fail(~_present(cid), "cascade_id is empty")
    fail(~_present(par), "parent_id is empty")
    if "delay_s" in edges.columns:
        raw = edges["delay_s"]
        d = pd.to_numeric(raw, errors="coerce").to_numpy(np.float64, na_value=np.nan)
        fail(np.isnan(d) & _present(raw), lambda i: f"delay_s {raw.iloc[i]!r} is not a number")
        fail((d < 0) | np.isinf(d), lambda i: f"delay_s {d[i]:g} is negative or not finite")
    is_edge = _present(chi)

    # integer codes: ids (parents, then children) and (cascade, id) node keys
    c_codes, _ = pd.factorize(cid)
    i_codes, i_values = pd.factorize(pd.concat([par, chi], ignore_index=True))
    i_par, i_chi = i_codes[:n], i_codes[n:]
    fail(is_edge & (i_par == i_chi), lambda i: f"self-loop: {par.iloc[i]} -> {chi.iloc[i]}")
    width = max(len(i_values), 1)
    key_par = c_codes.astype(np.int64) * width + i_par
    key_chi = c_codes.astype(np.int64) * width + i_chi

    # two parents / duplicate edges: the second naming of a child
    rows = np.flatnonzero(is_edge)
    dup = pd.Series(key_chi[rows]).duplicated().to_numpy()
    if dup.any():
        first_of = pd.Series(rows, index=key_chi[rows]).groupby(level=0).first()

        def two_parents(i: int) -> str:
            j = int(first_of[key_chi[i]])
            if par.iloc[j] == par.iloc[i]:
                return (
                    f"edge {par.iloc[i]} -> {chi.iloc[i]} is listed twice "
                    f"({unit}s {j + first_line} and {i + first_line})"
                )
            return (
                f"node {chi.iloc[i]} has two parents: {par.iloc[j]} ({unit} "
                f"{j + first_line}) and {par.iloc[i]} ({unit} {i + first_line})"
            )

        mask = np.zeros(n, dtype=bool)
        mask[rows[dup]] = True
        fail(mask, two_parents)

    # nodes: the (cascade, id) keys of parents, then of children
    all_keys = np.concatenate([key_par, key_chi[rows]])
    node, uniq = pd.factorize(all_keys)
    par_node = node[:n]
    parent = np.full(len(uniq), -1, dtype=np.int64)
    parent[node[n:]] = par_node[rows]
    first_pos = np.full(len(uniq), len(all_keys), dtype=np.int64)
    np.minimum.at(first_pos, node, np.arange(len(all_keys)))
    node_row = np.concatenate([np.arange(n), rows])[first_pos]  # the first row naming the node
    node_cascade = uniq // width

    def node_name(x) -> str:
        return str(i_values[int(uniq[x] % width)])

    # root rows must name a node without a parent
    root_rows = np.flatnonzero(~is_edge)
    bad_root = np.zeros(n, dtype=bool)
    bad_root[root_rows] = parent[par_node[root_rows]] >= 0
    fail(bad_root, lambda i: f"the root row names {par.iloc[i]}, which has a parent")

    # several roots: per cascade, the nodes without a parent; report the cascade whose
    # second root is named first
    tops = np.flatnonzero(parent < 0)
    tops = tops[np.lexsort((node_row[tops], node_cascade[tops]))]
    tc = node_cascade[tops]
    starts = np.flatnonzero(np.r_[True, tc[1:] != tc[:-1]]) if len(tc) else np.array([], int)
    sizes = np.diff(np.r_[starts, len(tc)])
    second = starts[sizes > 1] + 1  # the second root of each cascade that has several
    if second.size:
        pick = second[np.argmin(node_row[tops[second]])]
        names = [node_name(x) for x in tops[tc == tc[pick]]]
        line = int(node_row[tops[pick]])
        _raise(
            source,
            unit,
            line + first_line,
            cid.iloc[line],
            f"several roots ({_listing(names)}): a cascade is one tree with one node "
            "that has no parent",
            len(second) - 1,
        )

    # cycles: nodes that never reach a root
    f = forest(parent)
    if f.cyclic.any():
        cyc_nodes = np.flatnonzero(f.cyclic)
        cascades_hit = np.unique(node_cascade[cyc_nodes])
        v = int(cyc_nodes[np.argmin(node_row[cyc_nodes])])
        seen: set[int] = set()
        while v not in seen:  # walk up into the cycle (the error path only)
            seen.add(v)
            v = int(parent[v])
        cycle = [v]
        u = int(parent[v])
        while u != v:
            cycle.append(u)
            u = int(parent[u])
        cycle = cycle[::-1]  # parent -> child order
        k = int(np.argmin([node_row[x] for x in cycle]))
        cycle = cycle[k:] + cycle[:k]  # from the node named first in the file
        names = [node_name(x) for x in cycle]
        line = int(node_row[cycle[0]])
        shown = " -> ".join(names[:8]) + (" -> ..." if len(names) > 8 else "")
        _raise(
            source,
            unit,
            line + first_line,
            cid.iloc[line],
            f"cycle {shown} -> {names[0]}",
            len(cascades_hit) - 1,
        )


def edge_cascades(edges: pd.DataFrame, validate: bool | None = None) -> pd.DataFrame:
    """Per-cascade metrics ([docs/model.md, section 6][model-6]) of an edge list.

    Parameters
    ----------
    edges : DataFrame
        As returned by `read_edges` (or built in Python: ``cascade_id``,
        ``parent_id``, ``child_id`` and optionally ``delay_s``, seconds after
        the root).
    validate : bool, optional
        Check the trees first (`validate_edges`); by default unless
        `read_edges` already did (``attrs["validated"]``).

    Returns
    -------
    DataFrame
        `graphmodel.model.cascades.TREE_COLUMNS`: ``cascade_id``,
        ``root_id``, ``size``, ``depth``, ``max_breadth``,
        ``structural_virality``, ``leaves``, ``t50_s``, ``t90_s`` (null when
        ``delay_s`` is absent, or empty for a member), largest first, ties by
        ``cascade_id``. The metadata names the command (``spread``), the
        source file and ``by = "cascade"``.
    """
    source = edges.attrs.get("source", "<edges>")
    if validate is None:
        validate = not edges.attrs.get("validated", False)
    if validate:
        validate_edges(
            edges,
            source=source,
            unit=edges.attrs.get("unit", "line"),
            first_line=edges.attrs.get("first_line", 2),
        )
    is_edge = _present(edges["child_id"])
    cols = [c for c in ("cascade_id", "parent_id", "child_id", "delay_s") if c in edges.columns]
    root_rows = edges.loc[~is_edge, ["cascade_id", "parent_id"]].drop_duplicates()
    roots = root_rows.rename(columns={"parent_id": "root_id"}) if len(root_rows) else None
    table = build_trees(edges.loc[is_edge, cols], roots, complete=False).table
    table = table.sort_values(
        ["size", "depth", "cascade_id"], ascending=[False, False, True], kind="mergesort"
    ).reset_index(drop=True)
    for c in ("cascade_id", "root_id"):
        table[c] = table[c].astype("str")
    for c in METRIC_COLUMNS:
        table[c] = table[c].astype(
            np.float64 if c in ("structural_virality", "t50_s", "t90_s") else np.int64
        )
    meta = make_meta("spread", str(source), by="cascade")
    return with_meta(table[TREE_COLUMNS], meta)
