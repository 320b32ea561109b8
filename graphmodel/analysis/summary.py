"""Result builders for the summary commands: ``stats`` and ``calibration``.

Each returns a DataFrame with its metadata attached (`graphmodel.output`).
"""

from __future__ import annotations

import pandas as pd

from graphmodel.engines.base import Store
from graphmodel.output import store_meta, with_meta

__all__ = ["graph_stats", "calibration_table", "run_query"]


def graph_stats(store: Store) -> pd.DataFrame:
    """Node counts per label and relationship counts per type ([docs/model.md, section 3][model-3]).

    Parameters
    ----------
    store : Store
        Any engine's store; the counts are made where its data lives.

    Returns
    -------
    DataFrame
        `Store.stats`: columns ``kind`` (``node`` or ``relationship``), ``name``,
        ``count``, with the metadata (command ``stats``, source, seed) in
        ``df.attrs["meta"]``.

    Examples
    --------
    >>> import graphmodel
    >>> log = graphmodel.generate(graphmodel.GeneratorConfig(users=200, days=1, seed=1))
    >>> stats = graphmodel.graph_stats(graphmodel.MemoryStore(log))
    >>> stats.head(3)
       kind        name  count
    0  node        User    200
    1  node    Streamer      2
    2  node  Advertiser      1
    >>> stats.attrs["meta"]["command"], stats.attrs["meta"]["seed"]
    ('stats', 1)
    """
    return with_meta(store.stats(), store_meta(store, "stats"))


def calibration_table(store: Store) -> pd.DataFrame:
    """The calibration targets of [docs/model.md, section 8][model-8] measured on the store's log.

    Parameters
    ----------
    store : Store
        Any engine's store; an engine whose tables live elsewhere (Neo4j,
        Spark) hands them over first.

    Returns
    -------
    DataFrame
        `graphmodel.calibration` of the store's log, one row per target, with
        the metadata (command ``calibration``) in ``df.attrs["meta"]``.

    Examples
    --------
    >>> import graphmodel
    >>> log = graphmodel.generate(graphmodel.GeneratorConfig(users=200, days=1, seed=1))
    >>> table = graphmodel.calibration_table(graphmodel.MemoryStore(log))
    >>> table.loc[:2, ["target", "verdict"]]
                                    target verdict
    0                     gmv_per_user_day     off
    1                  average_order_value      ok
    2  watch_minutes_per_watching_user_day      ok
    >>> table.attrs["meta"]["command"]
    'calibration'
    """
    from graphmodel.analysis.calibration import calibration
    from graphmodel.eventlog.log import EventLog

    log = getattr(store, "log", None)
    if not isinstance(log, EventLog):  # an engine whose tables live elsewhere
        from graphmodel.schema import TABLE_NAMES

        log = EventLog({n: store.table(n) for n in TABLE_NAMES}, source=store.source)
    return with_meta(calibration(log), store_meta(store, "calibration"))


def run_query(store: Store, name_or_file: str, assignments: tuple[str, ...] | list[str] = ()) -> pd.DataFrame:
    """Run a Cypher file (a name under ``cypher/`` or a path) with ``name=value`` parameters.

    Parameters
    ----------
    store : Store
        A store that runs Cypher (`graphmodel.Neo4jStore`).
    name_or_file : str
        A path to a ``.cypher`` file, or a name under ``cypher/`` such as
        ``stats`` or ``browser/data_account``.
    assignments : sequence of str
        Query parameters as ``name=value``; a value that is JSON (``3``,
        ``["a", "b"]``) is passed decoded, any other as text.

    Returns
    -------
    DataFrame
        The query's rows, with the query and its parameters in ``df.attrs["meta"]``.

    Raises
    ------
    UserError
        No such Cypher file, a store that cannot run Cypher, or a query the
        server refuses.
    ParameterError
        An assignment that is not ``name=value``.
    ServerError
        A Neo4j server that fails while answering.

    Examples
    --------
    >>> import graphmodel
    >>> log = graphmodel.generate(graphmodel.GeneratorConfig(users=200, days=1, seed=1))
    >>> graphmodel.run_query(graphmodel.MemoryStore(log), "stats")
    Traceback (most recent call last):
    ...
    graphmodel.errors.UserError: Cypher queries need a Neo4j store (--neo4j URI)
    >>> graphmodel.run_query(graphmodel.MemoryStore(log), "no/such/query")
    Traceback (most recent call last):
    ...
    graphmodel.errors.UserError: no/such/query: no such Cypher file (nor cypher/query.cypher)
    >>> store = graphmodel.Neo4jStore.open("bolt://localhost:7687")  # doctest: +SKIP
    >>> graphmodel.run_query(store, "browser/data_account", ["id=u000001"])  # doctest: +SKIP
    """
    import json
    from pathlib import Path

    from graphmodel.cypher import cypher_file
    from graphmodel.errors import UserError
    from graphmodel.params import parse_assignments

    path = Path(name_or_file)
    if not path.is_file():
        path = cypher_file(name_or_file)
    if not path.is_file():
        raise UserError(f"{name_or_file}: no such Cypher file (nor cypher/{path.name})")
    params = {}
    for k, v in parse_assignments(list(assignments)).items():
        try:
            params[k] = json.loads(v)
        except ValueError:
            params[k] = v
    df = store.query(path.read_text(encoding="utf-8"), **params)
    return with_meta(df, store_meta(store, "query", query=str(path), query_params=params))


SPREAD_BY = ("cascade", "stream", "user", "dataset")


def spread_table(by: str = "cascade", top: int | None = None, store: Store | None = None,
                 edges=None) -> pd.DataFrame:
    """Viral spread ([docs/model.md, section 6][model-6]) of a store's log or of an edge-list file.

    ``by``: ``cascade`` (per-cascade metrics), ``stream``, ``user`` (a store
    only) or ``dataset`` (one summary row). ``top`` keeps the first N rows
    (largest first).
    """
    from graphmodel.analysis import cascades
    from graphmodel.errors import UserError

    if by not in SPREAD_BY:
        raise UserError(f"--by must be one of {', '.join(SPREAD_BY)}, got {by!r}")
    if edges is not None:
        from graphmodel.analysis.edgelist import edge_cascades, read_edges

        if by in ("stream", "user"):
            raise UserError(f"--by {by} needs a platform log (--source or --neo4j), "
                            "not an edge list")
        df = edge_cascades(read_edges(edges))
    elif by == "stream":
        df = cascades.stream_spread(store)
    elif by == "user":
        df = cascades.user_spread(store)
    else:
        df = cascades.cascade_metrics(store)
    if by == "dataset":
        df = cascades.dataset_summary(df)
    if top is not None:
        meta = df.attrs.get("meta", {})
        df = with_meta(df.head(top).reset_index(drop=True), {**meta, "top": top})
    return df
