"""Open the engine a command asks for: where the data lives, the same way for every command.

``--source DIR`` reads an event-log folder into the embedded memory engine
(or, with ``--engine spark``, hands a Parquet log folder to Spark);
``--neo4j URI`` names a Neo4j server holding a loaded log.
"""

from __future__ import annotations

import os

from graphmodel.engines.base import Store
from graphmodel.errors import UserError

__all__ = ["open_store", "ENGINES"]

#: The engines, by the name ``--engine`` takes.
ENGINES = ("memory", "neo4j", "spark")


def open_store(source: str | os.PathLike | None = None, neo4j: str | None = None,
               engine: str | None = None, master: str | None = None,
               conf: dict[str, str] | None = None, trust_validated: bool = False,
               referrals: str | None = None, window_s: float | None = None) -> Store:
    """The engine holding the data: memory, Neo4j or Spark.

    Parameters
    ----------
    source : path, optional
        An event-log folder: read into the memory engine, or given to Spark.
    neo4j : str, optional
        The Bolt URI of a Neo4j server holding a loaded log (default: ``NEO4J_URI``
        from the environment when neither ``source`` nor ``neo4j`` is given).
    engine : {"memory", "neo4j", "spark"}, optional
        Where the analyses run: ``memory`` by default with ``source``, ``neo4j`` with
        a URI.
    master : str, optional
        Spark's master URL (``engine="spark"`` only; default ``local[*]``).
    conf : dict of str to str, optional
        Extra Spark settings (``engine="spark"`` only).
    trust_validated : bool, default False
        Skip Spark's validation of a log validated before (``engine="spark"`` only).
    referrals : {"auto", "recorded", "social", "time"}, optional
        How the ``REFERRED`` edges of a folder's log are made
        (`graphmodel.model.inference.infer_log`; default ``auto``). A Neo4j server
        holds the edges made when the log was loaded (``graphmodel load --referrals``).
    window_s : float, optional
        The inference window in seconds (default 1800, thirty minutes).

    Returns
    -------
    Store
        The open engine; use it in a ``with`` block to close it.

    Raises
    ------
    UserError
        A wrong combination (both a folder and a URI, Spark options without Spark,
        Spark without a folder), in one line.
    LogError
        The folder's log is not valid (memory engine: when it is read).

    Examples
    --------
    >>> import tempfile, graphmodel
    >>> folder = tempfile.mkdtemp()
    >>> _ = graphmodel.write_log(graphmodel.generate(
    ...     graphmodel.GeneratorConfig(users=200, days=1, seed=1)), folder)
    >>> with open_store(folder) as store:
    ...     store.kind, int(store.stats().set_index("name").loc["User", "count"])
    ('memory', 200)
    >>> open_store(folder, master="local[2]")
    Traceback (most recent call last):
    ...
    graphmodel.errors.UserError: --master, --conf and --trust-validated go with --engine spark
    """
    if engine is not None and engine not in ENGINES:
        raise UserError(f"--engine must be one of {', '.join(ENGINES)}, got {engine!r}")
    if engine != "spark" and (master is not None or conf or trust_validated):
        raise UserError("--master, --conf and --trust-validated go with --engine spark")
    if source is None and not neo4j and engine in (None, "neo4j"):
        neo4j = os.environ.get("NEO4J_URI") or None
    if source is not None and neo4j:
        raise UserError("give either --source DIR or --neo4j URI, not both")
    engine = engine or ("neo4j" if neo4j and source is None else "memory")
    if engine == "neo4j" and (referrals is not None or window_s is not None):
        raise UserError("a Neo4j server holds the referrals made when the log was loaded: "
                        "give --referrals and --referral-window to graphmodel load")
    from graphmodel.model.inference import DEFAULT_WINDOW_S

    rule = dict(referrals=referrals or "auto",
                window_s=DEFAULT_WINDOW_S if window_s is None else window_s)
    if engine == "spark":
        if neo4j:
            raise UserError("--engine spark reads a log folder (--source DIR), not --neo4j")
        if source is None:
            raise UserError("--engine spark needs --source DIR (a Parquet event-log folder)")
        from graphmodel.engines.spark.engine import SparkEngine
        from graphmodel.engines.spark.session import DEFAULT_MASTER

        return SparkEngine(source, master=master or DEFAULT_MASTER, conf=conf,
                           trust_validated=trust_validated, **rule)
    if engine == "neo4j":
        if source is not None:
            raise UserError("--engine neo4j reads a server (--neo4j URI), not --source")
        if not neo4j:
            raise UserError("--engine neo4j needs --neo4j URI (or env NEO4J_URI)")
        from graphmodel.engines.neo4j.store import Neo4jStore

        return Neo4jStore.open(neo4j)
    if source is not None:
        from graphmodel.engines.memory.store import MemoryStore

        return MemoryStore.open(source, **rule)
    raise UserError("no data: give --source DIR (an event-log folder) or --neo4j URI")
