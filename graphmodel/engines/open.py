"""Open the store a command asks for: ``--source DIR`` or ``--neo4j URI``."""

from __future__ import annotations

import os

from graphmodel.engines.base import Store
from graphmodel.errors import UserError

__all__ = ["open_store"]


def open_store(source: str | os.PathLike | None = None, neo4j: str | None = None) -> Store:
    """The in-memory store of the log in ``source``, or the Neo4j store at ``neo4j``.

    With neither, ``NEO4J_URI`` from the environment names the Neo4j store.
    """
    if source is None and not neo4j:
        neo4j = os.environ.get("NEO4J_URI") or None
    if source is not None and neo4j:
        raise UserError("give either --source DIR or --neo4j URI, not both")
    if source is not None:
        from graphmodel.engines.memory.store import MemoryStore

        return MemoryStore.open(source)
    if neo4j:
        from graphmodel.engines.neo4j.store import Neo4jStore

        return Neo4jStore.open(neo4j)
    raise UserError("no data: give --source DIR (an event-log folder) or --neo4j URI")
