"""graphmodel: users' likes, comments, shares and watch time as labour, data and value.

A graph model of a livestream e-commerce platform (MODEL.md). The event log
is read into a store (in memory by default, or Neo4j); analyses are pure
functions of a store that return pandas DataFrames.
"""

from graphmodel.__about__ import __version__
from graphmodel.errors import LogError, ParameterError, UserError
from graphmodel.eventlog import EventLog, write_log
from graphmodel.params import Params

__all__ = ["__version__", "EventLog", "write_log", "Params", "UserError", "LogError",
           "ParameterError"]
