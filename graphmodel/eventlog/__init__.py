"""The event log: read, validate and write CSV/Parquet (MODEL.md section 2)."""

from graphmodel.eventlog.log import DTYPES, EventLog, conform, empty_table
from graphmodel.eventlog.write import FORMATS, write_log

__all__ = ["EventLog", "DTYPES", "conform", "empty_table", "write_log", "FORMATS"]
