"""The event log: read, validate and write CSV/Parquet ([docs/model.md, section 2][model-2])."""

from graphmodel.eventlog.log import DTYPES, EventLog, conform, empty_table
from graphmodel.eventlog.read import read_log, validate_log
from graphmodel.eventlog.validate import ProblemList, validate_frames
from graphmodel.eventlog.write import FORMATS, write_log

__all__ = [
    "EventLog",
    "DTYPES",
    "conform",
    "empty_table",
    "write_log",
    "FORMATS",
    "read_log",
    "validate_log",
    "validate_frames",
    "ProblemList",
]
