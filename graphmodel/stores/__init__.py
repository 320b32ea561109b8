"""Stores: where the graph lives. :class:`MemoryStore` is the embedded default."""

from graphmodel.stores.base import STATS_COLUMNS, Store
from graphmodel.stores.memory import MemoryStore

__all__ = ["Store", "MemoryStore", "STATS_COLUMNS"]
