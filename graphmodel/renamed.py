"""Result names changed in 0.2.0, and how the old ones stay readable for one release.

0.1.0 spelled labour "labor" in two names (``labor_s``, ``labor_hours``) while the
documentation, the model and the paper's field write "labour"; 0.2.0 uses one spelling.
Until 0.3.0 the old names still work (CHANGELOG.md):

- where a name is given (``sensitivity --figure labor_hours``, ``graphmodel explain
  labor_s``), the old name is read as the new one, with a deprecation note;
- with ``GRAPHMODEL_LEGACY_NAMES=1`` in the environment, results are written (table,
  CSV, JSON, Parquet) with the old column names and figure names, for scripts that
  read them.

>>> current("labor_hours"), current("value_returned")
('labour_hours', 'value_returned')
"""

from __future__ import annotations

import os
import warnings

__all__ = ["RENAMED", "LEGACY_ENV", "current", "deprecation", "legacy_names", "to_legacy"]

#: old name -> new name (0.2.0; the old names are accepted until 0.3.0)
RENAMED = {"labor_s": "labour_s", "labor_hours": "labour_hours"}
#: the environment variable that writes results with the old names
LEGACY_ENV = "GRAPHMODEL_LEGACY_NAMES"
_OLD = {new: old for old, new in RENAMED.items()}


def deprecation(name: str) -> str | None:
    """The one-line note for an old name, or None for a current one."""
    if name not in RENAMED:
        return None
    return (f"{name!r} is now {RENAMED[name]!r} (renamed in 0.2.0; the old name is read "
            "until 0.3.0)")


def current(name: str) -> str:
    """``name``, or the name an old name became (with a `DeprecationWarning`)."""
    note = deprecation(name)
    if note is None:
        return name
    warnings.warn(note, DeprecationWarning, stacklevel=2)
    return RENAMED[name]


def legacy_names() -> bool:
    """Whether results are to be written with the old names (``GRAPHMODEL_LEGACY_NAMES``
    set to anything but empty or ``0``)."""
    return os.environ.get(LEGACY_ENV, "") not in ("", "0")


def to_legacy(df):
    """A copy of the result ``df`` with the 0.1.0 names: its columns, and the values of
    its ``figure`` column (scenario, sensitivity and bootstrap rows). Its ``attrs`` stay."""
    out = df.rename(columns=_OLD)
    if "figure" in out.columns and out["figure"].isin(_OLD).any():
        out["figure"] = out["figure"].replace(_OLD)
    out.attrs = dict(df.attrs)
    return out
