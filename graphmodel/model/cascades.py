"""Cascade trees and their metrics ([docs/model.md, section 6][model-6]): the formulas, once, for every engine.

A *cascade* is one tree of ``REFERRED`` edges in one stream, identified by
``(stream_id, root user)``. Every user who shared in a stream without having
been referred there roots one, so a share that brought nobody is a cascade of
size 1. A user who was referred in a stream is never a root there, even if
they shared: their shares extend the cascade they arrived through.

Per cascade (`CASCADE_COLUMNS`):

``size``                 users ``n``, the root included
``depth``                the longest root-to-user path in edges (0 for n = 1)
``max_breadth``          the most users at one depth, the root's depth 0 included
``structural_virality``  mean shortest-path distance over all pairs of the
                         undirected tree (Goel et al. 2016): 2 W / (n (n - 1)) with
                         the Wiener index W = sum over edges of s (n - s), s the size
                         of the subtree below the edge; null for n = 1
``leaves``               users with no children (for n = 1 the root is a leaf)
``t50_s``, ``t90_s``     seconds from time zero (the root's first share in the
                         stream, when the root counts as arrived) to the first time
                         at which at least ceil(0.5 n), ceil(0.9 n) users had
                         arrived, each user at its referred watch (the edge's ``at``);
                         both 0 for n = 1
``ch_<channel>``         the cascade's ``REFERRED`` edges by the channel of the
                         share that brought each user (one column per channel of
                         `graphmodel.schema.CHANNELS`)

Every metric is computed for all cascades at once on integer arrays
(`tree_metrics`): depths and roots by pointer jumping (O(n log depth)),
subtree sizes by one vectorised pass per depth level, the rest by grouped
sums. No step looks at pairs of nodes, so the Wiener index costs O(n).

The same function serves bring-your-own edge lists
(`graphmodel.analysis.edgelist`). The Neo4j store computes the same
table on the server (``cypher/analysis/cascades.cypher``); both stores answer
[`graphmodel.engines.base.Store.cascade_table`][graphmodel.engines.base.Store.cascade_table].

References
----------
S. Goel, A. Anderson, J. Hofman, D. J. Watts, "The Structural Virality of
Online Diffusion", Management Science 62(1), 2016.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
import pandas as pd

from graphmodel.schema import CHANNELS

__all__ = ["CHANNEL_COLUMNS", "METRIC_COLUMNS", "CASCADE_COLUMNS", "TREE_COLUMNS", "Forest",
           "forest", "Trees", "build_trees", "tree_metrics", "empty_cascades",
           "conform_cascades"]

#: Channel-mix columns, one per share channel.
CHANNEL_COLUMNS = [f"ch_{c}" for c in CHANNELS]
#: The per-tree metrics, in order.
METRIC_COLUMNS = ["size", "depth", "max_breadth", "structural_virality", "leaves", "t50_s", "t90_s"]
#: Columns of `cascade_metrics` and `Store.cascade_table`.
CASCADE_COLUMNS = ["stream_id", "root_id", *METRIC_COLUMNS, *CHANNEL_COLUMNS]
#: Columns of `tree_metrics` (and of edge-list cascades).
TREE_COLUMNS = ["cascade_id", "root_id", *METRIC_COLUMNS]
_INT_COLUMNS = ["size", "depth", "max_breadth", "leaves", *CHANNEL_COLUMNS]
_FLOAT_COLUMNS = ["structural_virality", "t50_s", "t90_s"]


# --- the forest on integer arrays -------------------------------------------------------


class Forest(NamedTuple):
    """A forest on nodes ``0 .. N-1``, from its parent array.

    ``parent[v]`` is ``v``'s parent or -1 for a root; ``roots`` lists the
    roots in increasing node order and tree ``i`` is the tree of ``roots[i]``;
    ``tree[v]``, ``depth[v]`` and ``subtree[v]`` (``v`` and its descendants)
    are per node. ``cyclic`` marks nodes that reach no root: they lie on a
    cycle or below one (their ``tree`` is -1). A valid forest has none.
    """

    parent: np.ndarray
    roots: np.ndarray
    tree: np.ndarray
    depth: np.ndarray
    subtree: np.ndarray
    cyclic: np.ndarray


def forest(parent: np.ndarray) -> Forest:
    """Depths, trees and subtree sizes of the forest given by ``parent`` (-1 for a root).

    Depth and root by pointer jumping: each node keeps an ancestor pointer and
    its distance to it, and every round replaces the pointer by the pointer's
    pointer, so ceil(log2(depth)) + 1 rounds of O(N) array work settle every
    node. Subtree sizes: nodes sorted by depth, the deepest level first, each
    level adds its sizes onto its parents (one vectorised step per level).
    Nodes on a cycle never reach a root; after log2(N) + 2 rounds they are
    reported in ``cyclic`` instead of looping.
    """
    parent = np.asarray(parent, dtype=np.int64)
    n = len(parent)
    is_root = parent < 0
    roots = np.flatnonzero(is_root)
    tree_of = np.full(n, -1, dtype=np.int64)
    tree_of[roots] = np.arange(len(roots), dtype=np.int64)

    anc = parent.copy()
    dist = (~is_root).astype(np.int64)
    top = np.where(is_root, np.arange(n, dtype=np.int64), -1)
    active = np.flatnonzero(~is_root)
    for _ in range(int(math.log2(n + 1)) + 3):
        if not active.size:
            break
        a = anc[active]
        a_anc, a_dist, a_top = anc[a], dist[a], top[a]
        dist[active] += a_dist
        anc[active] = a_anc
        done = a_anc < 0
        top[active[done]] = a_top[done]
        active = active[~done]
    cyclic = np.zeros(n, dtype=bool)
    cyclic[active] = True
    dist[cyclic] = -1

    tree = np.where(top >= 0, tree_of[np.maximum(top, 0)], -1)
    subtree = np.ones(n, dtype=np.int64)
    ok = np.flatnonzero(~cyclic)
    if ok.size:
        order = ok[np.argsort(dist[ok], kind="stable")]
        bounds = np.r_[0, np.cumsum(np.bincount(dist[ok]))]
        for d in range(len(bounds) - 2, 0, -1):
            level = order[bounds[d] : bounds[d + 1]]
            np.add.at(subtree, parent[level], subtree[level])
    return Forest(parent, roots, tree, dist, subtree, cyclic)


def _per_tree(f: Forest, times: np.ndarray | None) -> dict[str, np.ndarray]:
    """The metrics of `METRIC_COLUMNS` for every tree of ``f``, as arrays indexed by tree."""
    t_count = len(f.roots)
    tree, depth = f.tree, f.depth
    size = np.bincount(tree, minlength=t_count).astype(np.int64)
    tdepth = np.zeros(t_count, dtype=np.int64)
    np.maximum.at(tdepth, tree, depth)

    levels = int(depth.max()) + 1 if len(depth) else 1
    key = tree * levels + depth  # (tree, depth) pairs
    if t_count * levels <= 4 * len(key) + 4096:
        breadth = np.bincount(key, minlength=t_count * levels).reshape(t_count, levels).max(axis=1)
    else:  # many trees and a deep one: count the pairs by sorting instead
        keys, counts = np.unique(key, return_counts=True)
        breadth = np.zeros(t_count, dtype=np.int64)
        np.maximum.at(breadth, keys // levels, counts)
    breadth = breadth.astype(np.int64)

    nonroot = f.parent >= 0
    children = np.bincount(f.parent[nonroot], minlength=len(tree))
    leaves = np.bincount(tree, weights=children == 0, minlength=t_count).astype(np.int64)

    # Wiener index: sum over the edge above each non-root node v of s(v) (n - s(v)), exact in int64
    s, t = f.subtree[nonroot], tree[nonroot]
    wiener = np.zeros(t_count, dtype=np.int64)
    np.add.at(wiener, t, s * (size[t] - s))
    with np.errstate(invalid="ignore", divide="ignore"):
        virality = np.where(size > 1, 2.0 * wiener / (size * (size - 1)), np.nan)

    t50 = np.full(t_count, np.nan)
    t90 = np.full(t_count, np.nan)
    if times is not None and t_count:
        offset = times - times[f.roots][tree]
        unknown = np.bincount(tree, weights=np.isnan(offset), minlength=t_count) > 0
        order = np.lexsort((offset, tree))  # by tree, then arrival (NaN last)
        start = np.r_[0, np.cumsum(size)[:-1]]
        t50 = offset[order[start + (size + 1) // 2 - 1]]  # the ceil(0.5 n)-th arrival
        t90 = offset[order[start + (9 * size + 9) // 10 - 1]]  # the ceil(0.9 n)-th arrival
        t50[unknown] = np.nan
        t90[unknown] = np.nan
    return {
        "size": size,
        "depth": tdepth,
        "max_breadth": breadth,
        "structural_virality": virality,
        "leaves": leaves,
        "t50_s": t50,
        "t90_s": t90,
    }


# --- tree_metrics: the DataFrame interface ------------------------------------------------


class Trees(NamedTuple):
    table: pd.DataFrame  # TREE_COLUMNS, one row per tree, in root-node order
    edge_tree: np.ndarray  # per edge row: the row of its tree in ``table``
    forest: Forest
    node_group: np.ndarray  # per node: its cascade_id (group) value
    node_id: np.ndarray  # per node: its id


def build_trees(edges: pd.DataFrame, roots: pd.DataFrame | None = None, complete: bool = True) -> Trees:
    """`tree_metrics` with its workings; ``complete=False`` lets nodes without a
    parent that ``roots`` does not list root trees too (at time 0)."""
    has_delay = "delay_s" in edges.columns
    m = len(edges)
    groups = [edges["cascade_id"]] + ([roots["cascade_id"]] if roots is not None else [])
    ids = [edges["parent_id"], edges["child_id"]] + (
        [roots["root_id"]] if roots is not None else []
    )
    g_codes, g_values = pd.factorize(pd.concat(groups, ignore_index=True), sort=False)
    i_codes, i_values = pd.factorize(pd.concat(ids, ignore_index=True), sort=False)
    if (g_codes < 0).any() or (i_codes < 0).any():
        raise ValueError("cascade_id, parent_id, child_id and root_id must not be missing")
    g_codes = np.concatenate([g_codes[:m], g_codes]).astype(np.int64)  # parents, children, roots
    n_ids = max(len(i_values), 1)
    node, uniq = pd.factorize(g_codes * n_ids + i_codes, sort=False)
    n_nodes = len(uniq)
    par_node, child_node = node[:m], node[m : 2 * m]
    if m and np.bincount(child_node, minlength=n_nodes).max() > 1:
        raise ValueError("not a forest: a node has two parents (or an edge is listed twice)")
    parent = np.full(n_nodes, -1, dtype=np.int64)
    parent[child_node] = par_node
    f = forest(parent)
    if f.cyclic.any():
        raise ValueError("not a forest: the edges make a cycle")

    times = None
    if has_delay or (roots is not None and "t0_s" in roots.columns):
        times = np.zeros(n_nodes, dtype=np.float64)
        if has_delay:
            times[child_node] = pd.to_numeric(edges["delay_s"]).to_numpy(
                np.float64, na_value=np.nan
            )
        else:
            times[child_node] = np.nan
        if roots is not None and "t0_s" in roots.columns:
            times[node[2 * m :]] = roots["t0_s"].to_numpy(np.float64, na_value=np.nan)
    if roots is not None:
        declared = np.zeros(n_nodes, dtype=bool)
        declared[node[2 * m :]] = True
        if (f.parent[node[2 * m :]] >= 0).any():
            raise ValueError("a listed root has a parent")
        if complete and not declared[f.roots].all():
            raise ValueError("a tree's root is not among the listed roots")

    metrics = _per_tree(f, times)
    gv, iv = np.asarray(g_values, dtype=object), np.asarray(i_values, dtype=object)
    node_group = gv[uniq // n_ids]
    node_id = iv[uniq % n_ids]
    table = pd.DataFrame(
        {"cascade_id": node_group[f.roots], "root_id": node_id[f.roots], **metrics}
    )
    return Trees(table, f.tree[child_node], f, node_group, node_id)


def tree_metrics(edges: pd.DataFrame, roots: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per-tree cascade metrics ([docs/model.md, section 6][model-6]) of a forest given as an edge list.

    Parameters
    ----------
    edges : DataFrame
        Columns ``cascade_id``, ``parent_id``, ``child_id`` and optionally
        ``delay_s``: the time ``child_id`` arrived, in seconds on the clock of
        its root's time zero (0 unless ``roots`` gives ``t0_s``). Node ids are
        scoped by ``cascade_id``: the same id in two cascades is two nodes.
    roots : DataFrame, optional
        Columns ``cascade_id``, ``root_id`` and optionally ``t0_s`` (the root's
        time zero). Lists every tree, single-node trees included; a
        ``cascade_id`` may then hold several trees (the store path passes one
        stream's whole referral forest). Without it each node that has no
        parent roots a tree, at time 0.

    Returns
    -------
    DataFrame
        `TREE_COLUMNS`, one row per tree (root), in no particular order:
        ``size``, ``depth``, ``max_breadth``, ``structural_virality``,
        ``leaves``, ``t50_s`` and ``t90_s`` as defined in the module
        docstring; the times are null where ``delay_s`` is absent or missing
        for a member of the tree.

    Raises
    ------
    ValueError
        If the edges are not a forest (a node with two parents, a cycle) or
        disagree with ``roots``. `graphmodel.analysis.edgelist.validate_edges`
        names the offending cascade and line instead.

    Notes
    -----
    Structural virality is 2W / (n (n - 1)) with the Wiener index
    W = sum over edges of s (n - s), s the subtree size below the edge
    (removing the edge splits the tree into s and n - s nodes, and the edge
    lies on the path of exactly s (n - s) pairs). Time and memory O(N log D)
    for N nodes and maximum depth D; never all pairs.

    Examples
    --------
    >>> star = pd.DataFrame({"cascade_id": "c", "parent_id": "r", "child_id": ["a", "b", "c"]})
    >>> row = tree_metrics(star).iloc[0]
    >>> int(row["size"]), int(row["depth"]), int(row["leaves"]), float(row["structural_virality"])
    (4, 1, 3, 1.5)
    """
    return build_trees(edges, roots).table


# --- the store path ---------------------------------------------------------------------


def empty_cascades(id_dtype) -> pd.DataFrame:
    df = pd.DataFrame({c: pd.Series([], dtype=id_dtype) for c in ("stream_id", "root_id")})
    for c in _INT_COLUMNS:
        df[c] = pd.Series([], dtype=np.int64)
    for c in _FLOAT_COLUMNS:
        df[c] = pd.Series([], dtype=np.float64)
    return df[CASCADE_COLUMNS]


def conform_cascades(df: pd.DataFrame, id_dtype=None) -> pd.DataFrame:
    """A per-cascade table in canonical form: `CASCADE_COLUMNS`, dtypes, order.

    Integers as int64, metrics that may be null as float64 (NaN for null);
    rows largest first (size, then depth, descending), ties by ``stream_id``
    and ``root_id``. Both stores pass their result through here.
    """
    id_dtype = id_dtype or pd.StringDtype("pyarrow")
    if df.empty:
        return empty_cascades(id_dtype)
    out = pd.DataFrame(
        {"stream_id": df["stream_id"].astype(id_dtype), "root_id": df["root_id"].astype(id_dtype)}
    )
    for c in _INT_COLUMNS:
        out[c] = df[c].astype(np.int64) if c in df.columns else np.int64(0)
    for c in _FLOAT_COLUMNS:
        out[c] = pd.to_numeric(df[c]).astype(np.float64)
    out = out.sort_values(
        ["size", "depth", "stream_id", "root_id"],
        ascending=[False, False, True, True],
        kind="mergesort",
    )
    return out[CASCADE_COLUMNS].reset_index(drop=True)
