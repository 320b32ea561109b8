"""Engines: where the data lives (memory, Neo4j, Spark) behind one protocol, `Store`.

`MemoryStore` is the embedded default; `graphmodel.engines.open.open_store` opens the
one a source names.
"""

from graphmodel.engines.base import STATS_COLUMNS, Store
from graphmodel.engines.memory.store import MemoryStore

__all__ = ["Store", "MemoryStore", "STATS_COLUMNS"]
