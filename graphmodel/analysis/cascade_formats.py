"""Public cascade data sets read in their published formats, for ``spread --edges``.

Two formats besides the edge-list CSV/Parquet of :mod:`graphmodel.analysis.edgelist`;
each reader returns the same edge frame as :func:`~graphmodel.analysis.edgelist.read_edges`
(``cascade_id``, ``parent_id``, ``child_id``, ``delay_s``), so
:func:`~graphmodel.analysis.edgelist.edge_cascades` and every ``--by`` view work on it.

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
(:data:`TWITTER_RULES`, :data:`WEIBO_RULES`; ``meta["quirks"]`` of the result,
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
:class:`~graphmodel.errors.UserError` of one line: ``FILE, line N: what is
wrong``, naming the field.
"""

from __future__ import annotations

import math
import os
import re
from pathlib import Path

import numpy as np
import pandas as pd

from graphmodel.errors import UserError

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

_SIDE = r"\[\s*'([^']*)',\s*'([^']*)',\s*'([^']*)'\s*\]"
_LINE = re.compile(rf"^[ \t]*({_SIDE}\s*->\s*{_SIDE})[ \t\r]*$", re.M)
_ONE = re.compile(rf"[ \t]*{_SIDE}\s*->\s*{_SIDE}[ \t\r]*")


class _Counts:
    """Rule counts with the first place each rule applied."""

    def __init__(self, rules):
        self.n = dict.fromkeys(rules, 0)
        self.first: dict[str, str] = {}

    def add(self, rule: str, where: str, k: int = 1) -> None:
        if k:
            self.n[rule] += k
            self.first.setdefault(rule, where)


def _number(text: str, where: str, what: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise UserError(f"{where}: {what} {text!r} is not a number")
    return value


def _tree(cid, root, items, counts: _Counts, where, parent_time: dict | None = None):
    """The rules shared by both readers, on one cascade.

    ``items``: ``(place, parent, child, time)`` in file order, after the
    format's own rules; ``time`` already relative to the root. Returns the
    kept ``(parent, child, delay_s)`` rows in file order.
    """
    kept: dict = {}
    for place, p, c, t in items:
        if c in kept:
            counts.add(
                "second_parents" if "second_parents" in counts.n else "repeated_retweeters",
                where(place),
            )
            continue
        kept[c] = (p, t, place)
    # reachability from the root: a parent that is neither the root nor a kept child,
    # or a cycle, cuts its subtree off
    status = {root: True}
    for c in kept:
        path = []
        v = c
        while v not in status:
            status[v] = None  # on the current walk
            path.append(v)
            nxt = kept.get(v)
            if nxt is None:
                status[v] = False
                path.pop()
                break
            v = nxt[0]
        ok = status.get(v) is True
        for u in path:
            status[u] = ok
    rows = []
    delay = {root: 0.0}
    negative = (
        "negative_delays_clamped"
        if "negative_delays_clamped" in counts.n
        else ("negative_times_clamped")
    )
    for c, (p, t, place) in kept.items():
        if status.get(c) is not True:
            counts.add("unreachable", where(place))
            continue
        if t < 0:
            counts.add(negative, where(place))
            t = 0.0
        delay[c] = t
        rows.append((p, c, t, place))
    out = []
    for p, c, t, place in rows:
        if t < delay[p]:
            counts.add("children_before_parents", where(place))
        out.append((cid, p, c, t))
    return out


def _frame(rows, singles, source: str, counts: _Counts, fmt: str, cascades: int) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=["cascade_id", "parent_id", "child_id", "delay_s"])
    if singles:  # a cascade of its root alone: a root row (no child)
        roots = pd.DataFrame(
            {
                "cascade_id": [c for c, _ in singles],
                "parent_id": [r for _, r in singles],
                "child_id": [None] * len(singles),
                "delay_s": [np.nan] * len(singles),
            }
        )
        df = pd.concat([df, roots], ignore_index=True)
    for c in ("cascade_id", "parent_id", "child_id"):
        df[c] = df[c].astype(object)
    df["delay_s"] = df["delay_s"].astype(np.float64)
    notes = [
        f"{fmt}: {cascades:,} cascade(s), {int((df['child_id'].notna()).sum()):,} edge(s) "
        f"read from {source}"
    ]
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
    counts = _Counts(TWITTER_RULES)
    rows: list = []
    singles: list = []
    for path in files:
        cid = path.stem
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise UserError(f"{path}: cannot read: {' '.join(str(exc).split())}") from None
        found = _LINE.findall(text)
        lines = text.splitlines()
        numbers = [i + 1 for i, line in enumerate(lines) if line.strip()]
        if len(found) != len(numbers):
            for i in numbers:
                if not _ONE.fullmatch(lines[i - 1]):
                    raise UserError(
                        f"{path}, line {i}: not a tree line "
                        "['uid', 'tweet_id', 'delay']->['uid', 'tweet_id', 'delay']: "
                        f"{lines[i - 1].strip()[:80]!r}"
                    )
        if not found:
            raise UserError(f"{path}: an empty tree file (no ['ROOT', 'ROOT', ...] line)")

        def where(i, path=path):
            return f"{path.name} line {i}"

        first = found[0]
        if first[1] != "ROOT":
            raise UserError(
                f"{path}, line {numbers[0]}: the first line's parent must be "
                f"['ROOT', 'ROOT', '0.0'], not user {first[1]!r}"
            )
        root = first[4]
        if not root:
            raise UserError(f"{path}, line {numbers[0]}: the root's user id is empty")
        root_m = _number(first[6], f"{path}, line {numbers[0]}", "child delay")
        seen = {first[0]}
        items = []
        for k in range(1, len(found)):
            line, pu, _, pd_, cu, _, cd = found[k]
            n = numbers[k]
            if pu == "ROOT":
                raise UserError(
                    f"{path}, line {n}: a second line from ROOT; only the first line names the root"
                )
            if not pu or not cu:
                side = "parent" if not pu else "child"
                raise UserError(f"{path}, line {n}: the {side}'s user id is empty")
            t = _number(cd, f"{path}, line {n}", "child delay")
            _number(pd_, f"{path}, line {n}", "parent delay")
            if line in seen:
                counts.add("duplicate_lines", where(n))
                continue
            seen.add(line)
            if pu == cu:
                counts.add("self_loops", where(n))
                continue
            if cu == root:
                counts.add("root_parent_lines", where(n))
                continue
            items.append((n, pu, cu, (t - root_m) * 60.0))
        out = _tree(cid, root, items, counts, where)
        if out:
            rows.extend(out)
        else:
            singles.append((cid, root))
    return _frame(rows, singles, str(folder), counts, "twitter-tree", len(files))


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
    rows: list = []
    singles: list = []
    cascades = 0
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
                cascades += 1
                paths = retweets.split()
                if len(paths) != int(number):
                    counts.add("retweet_number_mismatch", f"line {n}")
                parsed = []
                for j, entry in enumerate(paths, start=1):
                    users, sep, t = entry.rpartition(":")
                    what = f"{at}: field retweets, path {j} {entry[:60]!r}"
                    if not sep:
                        raise UserError(f"{what}: no ':time'")
                    try:
                        time = float(t)
                    except ValueError:
                        time = math.nan
                    if not math.isfinite(time):
                        raise UserError(f"{what}: time {t!r} is not a number")
                    chain = users.split("/")
                    if any(not u for u in chain):
                        raise UserError(f"{what}: an empty user id")
                    if chain[0] != root:
                        raise UserError(
                            f"{what}: the path starts at {chain[0]!r}, not at the root user "
                            f"{root!r}"
                        )
                    parsed.append((j, chain, time))
                rows_n = _weibo_cascade(mid, root, parsed, counts, n)
                if rows_n:
                    rows.extend(rows_n)
                else:
                    singles.append((mid, root))
        except UnicodeDecodeError as exc:
            raise UserError(f"{path}: not UTF-8 text ({exc.reason})") from None
    if not cascades:
        raise UserError(f"{path}: no cascade lines (weibo format)")
    return _frame(rows, singles, str(path), counts, "weibo", cascades)


def _weibo_cascade(mid, root, parsed, counts: _Counts, n: int):
    def where(j):
        return f"line {n} path {j}"

    retweeters = {chain[-1] for _, chain, _ in parsed if len(chain) > 1}
    retweeters.add(root)
    items = []
    for j, chain, t in parsed:
        if len(chain) == 1:
            continue  # the root's own entry
        child, parent = chain[-1], chain[-2]
        if parent == child:
            counts.add("self_loops", where(j))
            continue
        if child == root:
            counts.add("root_retweets", where(j))
            continue
        if parent not in retweeters:
            k = len(chain) - 2
            while chain[k] not in retweeters or chain[k] == child:
                k -= 1
            parent = chain[k]
            counts.add("missing_prefix_users", where(j))
        items.append((j, parent, child, t))
    return _tree(mid, root, items, counts, where)


def detect_format(path: str | os.PathLike) -> str:
    """The format of ``--edges PATH`` under ``--edges-format auto``.

    A folder is ``twitter-tree`` (``*.txt`` trees, or a ``tree/`` folder of them);
    ``.csv``, ``.csv.gz``, ``.parquet``, ``.pq`` are ``csv``; a ``.txt`` file whose first
    non-empty line has five tab-separated fields is ``weibo``. Anything else is
    a :class:`UserError` asking for ``--edges-format``.
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
    """The edge frame of ``path`` in format ``fmt`` (:data:`FORMATS`; ``auto`` detects it)."""
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
