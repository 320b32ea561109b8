"""The event log in memory: one typed pandas DataFrame per table ([docs/model.md, section 2][model-2]).

Canonical dtypes, derived from `graphmodel.schema`:

=========  ===================================
kind       pandas dtype
=========  ===================================
id, str,   ``string[pyarrow]`` (missing: ``<NA>``)
enum
datetime   ``datetime64[ns]`` (naive UTC)
float      ``float64`` (missing: ``NaN``)
int        ``Int64`` (nullable)
bool       ``boolean`` (nullable)
=========  ===================================
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

import pandas as pd

from graphmodel.eventlog.coverage import Coverage
from graphmodel.schema import TABLE_NAMES, TABLES, Table

__all__ = ["EventLog", "DTYPES", "META_FILE", "empty_table", "conform", "read_meta"]

#: A log folder may hold this JSON file: how the log was made (the generator's
#: seed and options). It is not part of the data; results copy it into their meta.
META_FILE = "graphmodel.json"

DTYPES = {
    "id": pd.StringDtype("pyarrow"),
    "str": pd.StringDtype("pyarrow"),
    "enum": pd.StringDtype("pyarrow"),
    "datetime": "datetime64[ns]",
    "float": "float64",
    "int": "Int64",
    "bool": "boolean",
}


def read_meta(folder) -> dict:
    """The contents of ``folder/graphmodel.json``, or ``{}`` if absent or unreadable."""
    import json
    from pathlib import Path

    path = Path(folder) / META_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def empty_table(name: str) -> pd.DataFrame:
    """An empty DataFrame with every column of table ``name`` in its canonical dtype."""
    t = TABLES[name]
    return pd.DataFrame({c.name: pd.Series([], dtype=DTYPES[c.kind]) for c in t.columns})


def conform(t: Table, df: pd.DataFrame) -> pd.DataFrame:
    """Return ``df`` with exactly the schema's columns, in order, in canonical dtypes.

    Optional columns that are absent are added empty. The input must already
    hold valid values (this is not validation; see `graphmodel.eventlog.validate`).
    """
    out = {}
    n = len(df)
    for c in t.columns:
        dtype = DTYPES[c.kind]
        if c.name in df.columns:
            s = df[c.name]
            if c.kind == "datetime":
                s = pd.to_datetime(s)
                if getattr(s.dt, "tz", None) is not None:
                    s = s.dt.tz_convert("UTC").dt.tz_localize(None)
            out[c.name] = s.astype(dtype).reset_index(drop=True)
        else:
            out[c.name] = pd.Series([pd.NA] * n if c.kind not in ("float", "datetime") else [None] * n,
                                    dtype=dtype)
    return pd.DataFrame(out)


@dataclass
class EventLog(Mapping):
    """A platform's event log: ``log["events"]`` or ``log.events`` is a DataFrame.

    ``source`` says where it came from (a folder, or ``generator``); it is
    recorded in every result's metadata. The log is a read-only mapping from
    table name to DataFrame, iterated in the order of the schema
    ([docs/model.md, section 2][model-2]). Logs come from `graphmodel.read_log` (a folder, validated),
    `graphmodel.generate` (the simulator) or `EventLog.from_frames`.

    Parameters
    ----------
    tables : dict of str to DataFrame
        Every table of the schema, by name, in the canonical dtypes.
    source : str, optional
        Where the log came from: a folder, or ``generator``.
    meta : dict, optional
        How the log was made (the generator's seed and options), as read from
        its folder's ``graphmodel.json``.
    coverage : Coverage, optional
        Which tables were absent or derived and how the referrals were made
        (`graphmodel.eventlog.coverage.Coverage`; default: a complete log).

    Raises
    ------
    ValueError
        When a table of the schema is missing from ``tables``.

    Examples
    --------
    >>> import graphmodel
    >>> log = graphmodel.generate(graphmodel.GeneratorConfig(users=200, days=1, seed=1))
    >>> list(log)
    ['users', 'streamers', 'advertisers', 'streams', 'products', 'follows', 'events',
     'ad_spend', 'tasks', 'task_completions']
    >>> len(log.users), log.source, log.meta["seed"]
    (200, 'generator', 1)
    >>> log["events"].columns[:4].tolist()
    ['event_id', 'user_id', 'stream_id', 'type']
    """

    tables: dict[str, pd.DataFrame]
    source: str = ""
    meta: dict = field(default_factory=dict)
    coverage: Coverage = field(default_factory=Coverage)

    def __post_init__(self) -> None:
        missing = [n for n in TABLE_NAMES if n not in self.tables]
        if missing:
            raise ValueError(f"EventLog lacks tables: {missing}")

    @classmethod
    def from_frames(cls, frames: Mapping[str, pd.DataFrame], source: str = "",
                    meta: dict | None = None) -> EventLog:
        """Build a log from frames holding valid values, conforming their dtypes.

        Parameters
        ----------
        frames : mapping of str to DataFrame
            Tables by name; a table that is absent is made empty, a column
            that is absent is added empty. Values are not validated (see
            `graphmodel.validate_frames`).
        source : str, optional
            Where the frames came from.
        meta : dict, optional
            How the log was made.

        Returns
        -------
        EventLog
            Every table, with exactly the schema's columns in the canonical dtypes.

        Examples
        --------
        >>> import pandas as pd
        >>> from graphmodel import EventLog
        >>> users = pd.DataFrame({"user_id": ["u1", "u2"]})
        >>> log = EventLog.from_frames({"users": users}, source="example")
        >>> len(log.users), len(log.events)
        (2, 0)
        >>> str(log.users["user_id"].dtype)
        'string'
        """
        tables = {n: conform(TABLES[n], frames[n]) if n in frames else empty_table(n)
                  for n in TABLE_NAMES}
        return cls(tables, source=source, meta=dict(meta or {}))

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name]

    def __getattr__(self, name: str) -> pd.DataFrame:
        tables = self.__dict__.get("tables")
        if tables is not None and name in tables:
            return tables[name]
        raise AttributeError(name)

    def __iter__(self) -> Iterator[str]:
        return iter(TABLE_NAMES)

    def __len__(self) -> int:
        return len(TABLE_NAMES)

    def replace(self, **changes) -> EventLog:
        """A copy with some tables (by name) or the ``coverage`` replaced."""
        coverage = changes.pop("coverage", self.coverage)
        return EventLog({**self.tables, **changes}, source=self.source, meta=dict(self.meta),
                        coverage=coverage)

    def __repr__(self) -> str:
        sizes = ", ".join(f"{n}={len(self.tables[n])}" for n in TABLE_NAMES)
        return f"EventLog({self.source!r}: {sizes})"
