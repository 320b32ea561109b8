"""Stores: where the graph lives. :class:`MemoryStore` is the embedded default."""

from graphmodel.engines.base import STATS_COLUMNS, Store
from graphmodel.engines.memory.store import MemoryStore

__all__ = ["Store", "MemoryStore", "STATS_COLUMNS"]
