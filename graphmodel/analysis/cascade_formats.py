"""Public cascade data sets read in their published formats, for ``spread --edges``.

Two formats besides the edge-list CSV/Parquet of `graphmodel.analysis.edgelist`;
each reader returns the same edge frame as `read_edges`
(``cascade_id``, ``parent_id``, ``child_id``, ``delay_s``), so
[`edge_cascades`][graphmodel.analysis.edgelist.edge_cascades] and every ``--by`` view work on it.

**twitter-tree**: the Twitter15/16 propagation trees of Ma, Gao and Wong (2017,
"Detect Rumors in Microblog Posts Using Propagation Structure via Kernel
Learning", ACL 2017; release ``rumdetect2017``). A folder ``tree/`` of
``<source_id>.txt`` files, one cascade per file (``cascade_id`` = the file's
stem), one edge per line, parent then child::

    ['ROOT', 'ROOT', '0.0']->['972651', '80080680482123777', '0.0']
    ['972651', '80080680482123777', '0.0']->['189397006', '80080680482123777', '1.8']

Each side is ``[user id, tweet id, delay in minutes]``. The first line comes
from ``['ROOT', 'ROOT', ...]`` and names the root. A node is a user id within
its cascade; ``delay_s`` is the child's delay in minutes times 60.

**weibo**: the Sina Weibo cascades of DeepHawkes (Cao, Shen, Cen, Ouyang and
Cheng, 2017, "DeepHawkes: Bridging the Gap between Prediction and
Understanding of Information Cascades", CIKM 2017; ``dataset_weibo.txt``).
One cascade per line, five tab-separated fields::

    message_id  root_user_id  publish_time  retweet_number  retweets

``retweets`` is a space-separated list of paths ``uid/uid/.../uid:time``: the
path runs from the root user to the retweeter, ``time`` is seconds after
``publish_time``; the root itself appears as ``root_uid:0``. The parent of a
retweeter is the user before it on its path; ``delay_s`` is ``time``.

**The rules.** Both data sets hold lines that do not make a tree. They are
resolved by these rules, in this order, and every one is counted
(`TWITTER_RULES`, `WEIBO_RULES`; ``meta["quirks"]`` of the result,
one ``note:`` line each when not zero):

twitter-tree
    ``duplicate_lines``: an exact repeat of an earlier line of the file is
    dropped. ``self_loops``: a line from a user to the same user is dropped.
    ``root_parent_lines``: a line whose child is the root is dropped.
    ``second_parents``: a child named by an earlier line keeps the parent of
    its first line; the later line is dropped. ``unreachable``: an edge whose
    parent is never connected to the root (a parent named by no kept line, or a
    cycle) is dropped. Delays are rebased so the root is at 0
    (``delay - root's delay``); ``negative_delays_clamped`` counts the negative
    ones set to 0. ``children_before_parents`` counts kept children that
    arrived before their parent (kept as they are).
weibo
    ``self_loops``: a path whose last two users are the same is dropped.
    ``root_retweets``: a path ending at the root user is dropped.
    ``repeated_retweeters``: a retweeter listed again keeps its first path.
    ``missing_prefix_users``: a retweeter whose previous user on the path
    never retweeted (has no path of their own) is attached to the nearest
    earlier user on the path who did (at worst the root).
    ``unreachable``, ``negative_times_clamped`` and ``children_before_parents``
    as above. ``retweet_number_mismatch`` counts the cascades whose
    ``retweet_number`` differs from the number of paths listed (the root's
    own ``uid:0`` included); nothing is changed.

These are the rules by which ``twitter15.csv.gz`` was made from the release
(its README): read raw, the Twitter15 trees give the same cascades and
metrics as that file.

**Bad input.** A line that does not parse (a twitter-tree line not of the form
above, a delay or time that is not a number, a Weibo line without five
fields, an empty user id, a path not starting at the root user) is a
[`UserError`][graphmodel.errors.UserError] of one line: ``FILE, line N: what is
wrong``, naming the field.
"""

from __future__ import annotations

import math
import os
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from graphmodel.errors import UserError
from graphmodel.model.cascades import forest

__all__ = [
    "FORMATS",
    "TWITTER_RULES",
    "WEIBO_RULES",
    "detect_format",
    "read_cascades",
    "read_twitter_trees",
    "read_weibo",
]

#: Values of ``--edges-format``.
FORMATS = ("auto", "csv", "twitter-tree", "weibo")

#: Counted rules of the twitter-tree reader, in the order they apply.
TWITTER_RULES = (
    "duplicate_lines",
    "self_loops",
    "root_parent_lines",
    "second_parents",
    "unreachable",
    "negative_delays_clamped",
    "children_before_parents",
)

#: Counted rules of the weibo reader.
WEIBO_RULES = (
    "self_loops",
    "root_retweets",
    "repeated_retweeters",
    "missing_prefix_users",
    "unreachable",
    "negative_times_clamped",
    "children_before_parents",
    "retweet_number_mismatch",
)

_RULE_TEXT = {
    "duplicate_lines": "exact duplicate line(s) dropped",
    "self_loops": "self-loop(s) dropped",
    "root_parent_lines": "line(s) giving the root a parent dropped",
    "root_retweets": "path(s) ending at the root user dropped",
    "second_parents": "line(s) naming a child a second time dropped (the first parent kept)",
    "repeated_retweeters": "retweeter(s) listed again dropped (the first path kept)",
    "missing_prefix_users": (
        "retweeter(s) whose previous user never retweeted attached to the nearest "
        "earlier user who did"
    ),
    "unreachable": "edge(s) whose parent never connects to the root dropped",
    "negative_delays_clamped": "negative delay(s) after rebasing on the root set to 0",
    "negative_times_clamped": "negative time(s) set to 0",
    "children_before_parents": "child(ren) arriving before their parent (kept)",
    "retweet_number_mismatch": "cascade(s) whose retweet_number differs from the paths listed",
}


class _Counts:
    """Rule counts with the first place each rule applied."""

    def __init__(self, rules):
        self.n = dict.fromkeys(rules, 0)
        self.first: dict[str, str] = {}

    def add(self, rule: str, where: str, k: int = 1) -> None:
        if k:
            self.n[rule] += k
            self.first.setdefault(rule, where)

    def mask(self, rule: str, mask: np.ndarray, where, rows: np.ndarray | None = None) -> None:
        """Count the rows of ``mask``; ``where(i)`` names row ``i`` (of ``rows`` when given)."""
        hit = np.flatnonzero(mask)
        if hit.size:
            i = int(hit[0]) if rows is None else int(rows[hit[0]])
            self.add(rule, where(i), int(hit.size))


def _number(text: str, where: str, what: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise UserError(f"{where}: {what} {text!r} is not a number")
    return value


def _arrow(values) -> pa.Array:
    return values if isinstance(values, pa.Array) else pa.array(values, type=pa.string())


def _codes(*arrays) -> tuple[np.ndarray, int]:
    """Integer codes of the strings of ``arrays`` (one numbering for all), and how many."""
    enc = pc.dictionary_encode(pa.concat_arrays([_arrow(a) for a in arrays]))
    return enc.indices.to_numpy(zero_copy_only=False).astype(np.int64), len(enc.dictionary)


def _resolve(casc, roots, par, chi, t, counts: _Counts, where, again: str, negative: str):
    """The rules both formats share, on all cascades at once.

    ``casc`` (cascade index per row, rows in file order), ``roots`` (root user per
    cascade), ``par``/``chi`` (user ids), ``t`` (seconds after the root). A child named
    again keeps its first row (rule ``again``); a row whose parent never connects to its
    cascade's root is dropped (``unreachable``); negative times become 0 (``negative``);
    children earlier than their parent are counted. Returns the kept rows and their times.
    """
    n, k = len(chi), len(roots)
    codes, width = _codes(par, chi, roots)
    w = np.int64(max(width, 1))
    casc = np.asarray(casc, dtype=np.int64)
    pk = casc * w + codes[:n]
    ck = casc * w + codes[n : 2 * n]
    rk = np.arange(k, dtype=np.int64) * w + codes[2 * n :]
    second = pd.Index(ck).duplicated()
    counts.mask(again, second, where)
    rows = np.flatnonzero(~second)
    m = len(rows)
    node, _ = pd.factorize(np.concatenate([rk, pk[rows], ck[rows]]))
    rnode, kp, kc = node[:k], node[k : k + m], node[k + m :]
    parent = np.full(int(node.max()) + 1 if len(node) else 0, -1, dtype=np.int64)
    parent[kc] = kp
    f = forest(parent)
    top = np.where(f.tree >= 0, f.roots[np.maximum(f.tree, 0)], -1)
    ok = top[kc] == rnode[casc[rows]]
    counts.mask("unreachable", ~ok, where, rows)
    rows, kp, kc = rows[ok], kp[ok], kc[ok]
    tk = np.asarray(t, dtype=np.float64)[rows]
    neg = tk < 0
    counts.mask(negative, neg, where, rows)
    tk = np.where(neg, 0.0, tk)
    arrival = np.zeros(len(parent))
    arrival[kc] = tk
    counts.mask("children_before_parents", tk < arrival[kp], where, rows)
    return rows, tk


def _frame(cids, roots, casc, par, chi, t, source: str, counts: _Counts, fmt: str):
    """The edge frame of the kept rows, with a root row for each cascade of its root alone."""
    cids = _arrow(list(cids))
    roots = _arrow(roots)
    alone = pa.array(np.setdiff1d(np.arange(len(cids)), casc))
    casc = pa.array(np.asarray(casc, dtype=np.int64))
    none = pa.nulls(len(alone), type=pa.string())
    table = pa.table(
        {
            "cascade_id": pa.concat_arrays([cids.take(casc), cids.take(alone)]),
            "parent_id": pa.concat_arrays([_arrow(par), roots.take(alone)]),
            "child_id": pa.concat_arrays([_arrow(chi), none]),
            "delay_s": np.concatenate([t, np.full(len(alone), np.nan)]),
        }
    )
    df = table.to_pandas()
    notes = [f"{fmt}: {len(cids):,} cascade(s), {len(chi):,} edge(s) read from {source}"]
    for rule, k in counts.n.items():
        if k:
            notes.append(f"{fmt}: {k:,} {_RULE_TEXT[rule]} (first: {counts.first[rule]})")
    df.attrs.update(
        source=source,
        unit="line",
        first_line=1,
        validated=True,
        format=fmt,
        quirks=dict(counts.n),
        notes=notes,
    )
    return df


def _tree_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        raise UserError(f"{folder}: no such folder (twitter-tree: a folder of <id>.txt trees)")
    if (folder / "tree").is_dir():  # the release's folder: tree/, label.txt, ...
        return _tree_files(folder / "tree")
    files = sorted(p for p in folder.iterdir() if p.suffix == ".txt" and p.is_file())
    if not files:
        raise UserError(f"{folder}: no <id>.txt tree files (twitter-tree format)")
    return files


_SEPARATORS = {0: "[", 2: ",", 4: ",", 6: "]->[", 8: ",", 10: ",", 12: "]"}


def _tree_table(files: list[Path]):
    """Every non-blank line of the tree files, split into its fields (arrow arrays), with
    its file index and line number; the first line that is not a tree line is a UserError."""
    lines: list[str] = []
    sizes = []
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise UserError(f"{path}: cannot read: {' '.join(str(exc).split())}") from None
        got = text.splitlines()
        lines.extend(got)
        sizes.append(len(got))
    sizes = np.asarray(sizes, dtype=np.int64)
    starts = np.r_[0, np.cumsum(sizes)[:-1]].astype(np.int64)
    file = np.repeat(np.arange(len(files), dtype=np.int64), sizes)
    line = np.arange(len(lines), dtype=np.int64) - np.repeat(starts, sizes) + 1
    text = pc.utf8_trim_whitespace(pa.array(lines, type=pa.string()))
    filled = pc.greater(pc.utf8_length(text), 0).to_numpy(zero_copy_only=False)
    if not filled.all():
        text, file, line = text.filter(pa.array(filled)), file[filled], line[filled]
    empty = np.flatnonzero(np.bincount(file, minlength=len(files)) == 0)
    if empty.size:
        raise UserError(f"{files[empty[0]]}: an empty tree file (no ['ROOT', 'ROOT', ...] line)")
    parts = pc.split_pattern(text, "'")
    ok = pc.equal(pc.list_value_length(parts), 13).to_numpy(zero_copy_only=False)
    if ok.all():
        for i, sep in _SEPARATORS.items():
            piece = pc.utf8_trim_whitespace(pc.list_element(parts, i))
            ok &= pc.equal(piece, sep).to_numpy(zero_copy_only=False)
    if not ok.all():
        i = int(np.flatnonzero(~ok)[0])
        raise UserError(
            f"{files[file[i]]}, line {line[i]}: not a tree line "
            "['uid', 'tweet_id', 'delay']->['uid', 'tweet_id', 'delay']: "
            f"{text[i].as_py()[:80]!r}"
        )
    fields = [pc.list_element(parts, i) for i in (1, 5, 7, 11)]
    return text, fields, file, line


def _arrow_floats(values: pa.Array, where, what: str) -> np.ndarray:
    try:
        out = pc.cast(values, pa.float64()).to_numpy(zero_copy_only=False)
    except pa.ArrowInvalid:
        out = pd.to_numeric(pd.Series(values.to_pylist(), dtype=object), errors="coerce")
        out = out.to_numpy(np.float64, na_value=np.nan)
    bad = ~np.isfinite(out)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise UserError(f"{where(i)}: {what} {values[i].as_py()!r} is not a number")
    return out


def _eq(a, b) -> np.ndarray:
    return pc.equal(a, b).to_numpy(zero_copy_only=False)


def read_twitter_trees(folder: str | os.PathLike) -> pd.DataFrame:
    """Read a Twitter15/16 ``tree/`` folder (Ma, Gao and Wong 2017) as an edge frame.

    Parameters
    ----------
    folder : str or PathLike
        The ``tree/`` folder of ``<source_id>.txt`` files (or its parent holding ``tree/``).

    Returns
    -------
    DataFrame
        ``cascade_id`` (the file stem), ``parent_id``, ``child_id`` (user ids),
        ``delay_s`` (seconds after the root), after the rules of the module
        docstring; ``attrs["quirks"]`` counts each rule, ``attrs["notes"]`` says so.

    Raises
    ------
    UserError
        ``FILE, line N: ...`` for a line that does not parse.
    """
    folder = Path(folder)
    files = _tree_files(folder)
    text, (pu, pdl, cu, cdl), file, line = _tree_table(files)
    n = len(text)
    starts = np.searchsorted(file, np.arange(len(files)))

    def at(i: int) -> str:
        return f"{files[file[i]]}, line {line[i]}"

    def where(i: int) -> str:
        return f"{files[file[i]].name} line {line[i]}"

    is_first = np.zeros(n, dtype=bool)
    is_first[starts] = True
    root_line = _eq(pu, "ROOT")
    wrong = np.flatnonzero(is_first & ~root_line)
    if wrong.size:
        i = int(wrong[0])
        raise UserError(
            f"{at(i)}: the first line's parent must be ['ROOT', 'ROOT', '0.0'], "
            f"not user {pu[i].as_py()!r}"
        )
    counts = _Counts(TWITTER_RULES)
    codes = pc.dictionary_encode(text).indices.to_numpy(zero_copy_only=False).astype(np.int64)
    dup = pd.Index(file * np.int64(max(n, 1)) + codes).duplicated() & ~is_first
    counts.mask("duplicate_lines", dup, where)
    again = np.flatnonzero(root_line & ~is_first & ~dup)
    if again.size:
        raise UserError(
            f"{at(int(again[0]))}: a second line from ROOT; only the first line names the root"
        )
    for side, ids in (("parent", pu), ("child", cu)):
        blank = np.flatnonzero(_eq(ids, ""))
        if blank.size:
            i = int(blank[0])
            who = "root" if is_first[i] else side
            raise UserError(f"{at(i)}: the {who}'s user id is empty")
    child_m = _arrow_floats(cdl, at, "child delay")
    _arrow_floats(pdl, at, "parent delay")
    roots = cu.take(pa.array(starts))
    root_m = child_m[starts]

    live = ~is_first & ~dup
    loop = live & _eq(pu, cu)
    counts.mask("self_loops", loop, where)
    live &= ~loop
    to_root = live & _eq(cu, roots.take(pa.array(file)))
    counts.mask("root_parent_lines", to_root, where)
    live &= ~to_root
    rows = np.flatnonzero(live)
    take = pa.array(rows)
    t = (child_m[rows] - root_m[file[rows]]) * 60.0
    kept, t = _resolve(
        file[rows],
        roots,
        pu.take(take),
        cu.take(take),
        t,
        counts,
        lambda i: where(int(rows[i])),
        "second_parents",
        "negative_delays_clamped",
    )
    rows = rows[kept]
    take = pa.array(rows)
    return _frame(
        [p.stem for p in files],
        roots,
        file[rows],
        pu.take(take),
        cu.take(take),
        t,
        str(folder),
        counts,
        "twitter-tree",
    )


def read_weibo(path: str | os.PathLike) -> pd.DataFrame:
    """Read a DeepHawkes Weibo cascade file (Cao et al. 2017) as an edge frame.

    Parameters
    ----------
    path : str or PathLike
        ``dataset_weibo.txt``: one cascade per line, ``message_id<TAB>root_user_id<TAB>
        publish_time<TAB>retweet_number<TAB>retweets``.

    Returns
    -------
    DataFrame
        ``cascade_id`` (``message_id``), ``parent_id``, ``child_id`` (user ids),
        ``delay_s`` (the path's time), after the rules of the module docstring;
        ``attrs["quirks"]`` counts each rule, ``attrs["notes"]`` says so.

    Raises
    ------
    UserError
        ``FILE, line N: ...`` for a line that does not parse, naming the field.
    """
    path = Path(path)
    if not path.is_file():
        raise UserError(f"{path}: no such file")
    counts = _Counts(WEIBO_RULES)
    cids: list = []
    roots: list = []
    casc: list = []
    places: list = []
    par: list = []
    chi: list = []
    times: list = []
    seen_ids: dict = {}
    try:
        f = open(path, encoding="utf-8")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise UserError(f"{path}: cannot read: {' '.join(str(exc).split())}") from None
    with f:
        try:
            for n, line in enumerate(f, start=1):
                line = line.rstrip("\r\n")
                if not line.strip():
                    continue
                at = f"{path}, line {n}"
                fields = line.split("\t")
                if len(fields) != 5:
                    raise UserError(
                        f"{at}: {len(fields)} tab-separated field(s), expected 5: message_id, "
                        "root_user_id, publish_time, retweet_number, retweets"
                    )
                mid, root, publish, number, retweets = (x.strip() for x in fields)
                if not mid:
                    raise UserError(f"{at}: field message_id is empty")
                if mid in seen_ids:
                    raise UserError(f"{at}: field message_id {mid!r} repeats line {seen_ids[mid]}")
                seen_ids[mid] = n
                if not root:
                    raise UserError(f"{at}: field root_user_id is empty")
                _number(publish, at, "field publish_time")
                if not re.fullmatch(r"\d+", number):
                    raise UserError(f"{at}: field retweet_number {number!r} is not a count")
                paths = retweets.split()
                if len(paths) != int(number):
                    counts.add("retweet_number_mismatch", f"line {n}")
                parsed = []
                for j, entry in enumerate(paths, start=1):
                    users, sep, t = entry.rpartition(":")
                    chain = users.split("/")
                    try:
                        time = float(t)
                    except ValueError:
                        time = math.nan
                    if not sep or not math.isfinite(time) or "" in chain or chain[0] != root:
                        what = f"{at}: field retweets, path {j} {entry[:60]!r}"
                        if not sep:
                            raise UserError(f"{what}: no ':time'")
                        if not math.isfinite(time):
                            raise UserError(f"{what}: time {t!r} is not a number")
                        if "" in chain:
                            raise UserError(f"{what}: an empty user id")
                        raise UserError(
                            f"{what}: the path starts at {chain[0]!r}, not at the root user "
                            f"{root!r}"
                        )
                    parsed.append((j, chain, time))
                k = len(cids)
                cids.append(mid)
                roots.append(root)
                for j, p, c, t in _weibo_paths(root, parsed, counts, n):
                    casc.append(k)
                    places.append((n, j))
                    par.append(p)
                    chi.append(c)
                    times.append(t)
        except UnicodeDecodeError as exc:
            raise UserError(f"{path}: not UTF-8 text ({exc.reason})") from None
    if not cids:
        raise UserError(f"{path}: no cascade lines (weibo format)")

    def where(i: int) -> str:
        return f"line {places[i][0]} path {places[i][1]}"

    casc_a = np.asarray(casc, dtype=np.int64)
    par_a = np.asarray(par, dtype=object)
    chi_a = np.asarray(chi, dtype=object)
    roots_a = np.asarray(roots, dtype=object)
    rows, t = _resolve(
        casc_a,
        roots_a,
        par_a,
        chi_a,
        np.asarray(times, dtype=np.float64),
        counts,
        where,
        "repeated_retweeters",
        "negative_times_clamped",
    )
    return _frame(
        cids, roots_a, casc_a[rows], par_a[rows], chi_a[rows], t, str(path), counts, "weibo"
    )


def _weibo_paths(root, parsed, counts: _Counts, n: int):
    """The retweet edges of one cascade after the Weibo rules of its own: self-loops and
    paths back to the root dropped, a missing prefix user skipped over."""
    retweeters = {chain[-1] for _, chain, _ in parsed if len(chain) > 1}
    retweeters.add(root)
    for j, chain, t in parsed:
        if len(chain) == 1:
            continue  # the root's own entry
        child, parent = chain[-1], chain[-2]
        if parent == child:
            counts.add("self_loops", f"line {n} path {j}")
            continue
        if child == root:
            counts.add("root_retweets", f"line {n} path {j}")
            continue
        if parent not in retweeters:
            k = len(chain) - 2
            while chain[k] not in retweeters or chain[k] == child:
                k -= 1
            parent = chain[k]
            counts.add("missing_prefix_users", f"line {n} path {j}")
        yield j, parent, child, t


def detect_format(path: str | os.PathLike) -> str:
    """The format of ``--edges PATH`` under ``--edges-format auto``.

    A folder is ``twitter-tree`` (``*.txt`` trees, or a ``tree/`` folder of them);
    ``.csv``, ``.csv.gz``, ``.parquet``, ``.pq`` are ``csv``; a ``.txt`` file whose first
    non-empty line has five tab-separated fields is ``weibo``. Anything else is
    a [`UserError`][graphmodel.errors.UserError] asking for ``--edges-format``.
    """
    path = Path(path)
    if path.is_dir():
        return "twitter-tree"
    name = path.name.lower()
    if name.endswith((".csv", ".csv.gz", ".parquet", ".pq")):
        return "csv"
    if name.endswith(".txt") and path.is_file():
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.strip():
                    if line.rstrip("\r\n").count("\t") == 4:
                        return "weibo"
                    break
    if not path.exists():
        raise UserError(f"{path}: no such file or folder")
    raise UserError(
        f"{path}: cannot tell the format; give --edges-format csv, twitter-tree or weibo"
    )


def read_cascades(path: str | os.PathLike, fmt: str = "auto") -> pd.DataFrame:
    """The edge frame of ``path`` in format ``fmt`` (`FORMATS`; ``auto`` detects it)."""
    from graphmodel.analysis.edgelist import read_edges

    if fmt not in FORMATS:
        raise UserError(f"unknown edges format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt == "auto":
        fmt = detect_format(path)
    if fmt == "csv":
        df = read_edges(path)
        df.attrs["format"] = "csv"
        return df
    if fmt == "twitter-tree":
        return read_twitter_trees(path)
    return read_weibo(path)


def spread_of_edges(path, fmt: str = "auto", by: str = "cascade", top: int | None = None):
    """``spread --edges PATH --edges-format FMT``: per-cascade metrics (``by="cascade"``) or
    one summary row (``by="dataset"``); for the raw formats the meta holds ``format``,
    ``quirks`` (the rule counts) and ``notes``."""
    from graphmodel.analysis.cascades import dataset_summary
    from graphmodel.analysis.edgelist import edge_cascades
    from graphmodel.analysis.summary import spread_table
    from graphmodel.output import with_meta

    if fmt not in FORMATS:
        raise UserError(f"unknown edges format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt == "auto":
        fmt = detect_format(path)
    if fmt == "csv":  # the edge-list path, exactly as before
        return spread_table(by, top, edges=path)
    if by in ("stream", "user"):
        raise UserError(f"--by {by} needs a platform log (--source or --neo4j), not an edge list")
    edges = read_cascades(path, fmt)
    df = edge_cascades(edges)
    meta = dict(df.attrs.get("meta", {}))
    meta["format"] = edges.attrs.get("format", "csv")
    if "quirks" in edges.attrs:
        meta["quirks"] = edges.attrs["quirks"]
        meta["notes"] = list(edges.attrs["notes"])
    df = with_meta(df, meta)
    if by == "dataset":
        df = dataset_summary(df)
    if top is not None:
        meta = df.attrs.get("meta", {})
        df = with_meta(df.head(top).reset_index(drop=True), {**meta, "top": top})
    return df
