"""The accounting on Spark: the per-user table and the platform row summed by Spark.

`SparkAccounts` is the model's [`Accounts`][graphmodel.model.accounting.Accounts]
whose per-user table and platform row come from Spark's per-user sums, the
parameters applied by the model's functions on the executors
(`graphmodel.engines.spark.value`). Every other view (per stream, by actor,
extraction, ledger, scenarios) uses the pair and path aggregates, collected
from Spark the first time a view needs them.
"""

from __future__ import annotations

from functools import cached_property

import pandas as pd

from graphmodel.engines.spark import value as sv
from graphmodel.model.accounting import Accounts

__all__ = ["SparkAccounts"]

_TABLES = ("streams", "streamers", "products", "ad_spend", "task_completions", "tasks")


class SparkAccounts(Accounts):
    """[`Accounts`][graphmodel.model.accounting.Accounts] of a `SparkEngine`."""

    def __init__(self, engine):
        self._engine = engine
        self._cache = {}

    @cached_property
    def users(self) -> pd.Series:  # type: ignore[override]
        return self._engine.table("users")["user_id"].sort_values(ignore_index=True)

    @cached_property
    def pairs(self) -> pd.DataFrame:  # type: ignore[override]
        return self._engine.value_pairs()

    @cached_property
    def paths(self) -> pd.DataFrame:  # type: ignore[override]
        return self._engine.referral_paths()

    @cached_property
    def tables(self) -> dict[str, pd.DataFrame]:  # type: ignore[override]
        return {name: self._engine.table(name) for name in _TABLES}

    def user_table(self, params) -> pd.DataFrame:
        """The per-user table, computed on the executors and collected in user order."""
        return self._memo("users", params,
                          lambda: sv.user_table(self._engine.user_frame(params))).copy()

    def platform_table(self, params, users: pd.DataFrame | None = None) -> pd.DataFrame:
        """The platform row from Spark's sums (``users`` is ignored: Spark sums its own)."""
        return self._memo("platform", params,
                          lambda: self._engine.platform_row(params)).copy()
