"""The value accounting of [docs/model.md, sections 4 and 5][model-4], from the engines' aggregates.

The formulas live in one module each: labour time and data units
(`labour`), the parts of base value
(`base_value`), attribution and credit
(`attribution`), value returned
(`returned`), surplus and rates
(`rates`). This module applies them to the
parameter-free aggregates an engine computes (`aggregates`):

    V_u = sum_s kept_{u,s} + R_u          (R_u: credit received)
    s_u = V_u - v_u,  e_u = s_u / v_u, ...

The accounting is linear in the pair counts, so every per-user figure is a
function of per-user sums of the counts (all pairs, and referred pairs only)
and of the credit along referral paths: `user_accounts` takes those
sums, whichever engine summed them (numpy here, DataFrames on Spark, where
the same function runs on the executors), and `platform_accounts` the
platform totals.

Invariant: sum_u V_u = sum_{u,s} b_{u,s} = T, the total user-generated value,
for every attribution model (tested).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from graphmodel.model import attribution
from graphmodel.model.base_value import PROFILED_COUNTS, base_weights, part_weights
from graphmodel.model.labour import (
    UNIT_COUNTS,
    data_unit_weights,
    data_units,
    labour_seconds,
    labour_weights,
    linear,
)
from graphmodel.model.rates import platform_rates, ratio, user_flags, user_rates
from graphmodel.model.returned import rewards, value_returned

__all__ = ["Accounts", "USER_COLUMNS", "STREAM_COLUMNS", "PLATFORM_COLUMNS", "SUM_COLUMNS",
           "FLAG_COLUMNS", "with_profiled", "user_accounts", "platform_accounts",
           "unallocated_ad_spend"]

#: The pair counts the accounting is linear in, then the data-unit counts of profiled
#: users (`graphmodel.model.base_value.PROFILED_COUNTS`).
SUM_COLUMNS = [*UNIT_COUNTS, "watch_s", "taps", "gmv", "attention_value", *PROFILED_COUNTS]
#: Per-user 0/1 flags that add up to the platform's counts (`graphmodel.model.rates.user_flags`).
FLAG_COLUMNS = ["worked", "wholly_unpaid", "below_min_wage"]

USER_COLUMNS = ["user_id", "labour_s", "data_units", "kept_value", "relational_value",
                "value_produced", "value_returned", "surplus", "exploitation_rate",
                "unpaid_share", "hourly_wage"]
STREAM_COLUMNS = ["stream_id", "streamer_id", "viewers", "labour_s", "data_units",
                  "attention_value", "commerce_value", "data_value", "user_generated_value",
                  "relational_value", "ad_spend", "unallocated_ad_spend", "gmv"]
PLATFORM_COLUMNS = ["users", "labour_hours", "data_units", "attention_value", "commerce_value",
                    "data_value", "user_generated_value", "value_returned", "surplus",
                    "exploitation_rate", "relational_value", "relational_share",
                    "unallocated_ad_spend", "wholly_unpaid_users", "below_min_wage_share"]


def with_profiled(counts: pd.DataFrame) -> pd.DataFrame:
    """The pair counts of `SUM_COLUMNS`: the counts, then the data-unit counts again,
    zeroed where the pair's user opted out of profiling (a ``profiled`` column, when
    present; everyone is profiled otherwise)."""
    out = counts[SUM_COLUMNS[:-len(PROFILED_COUNTS)]].astype("float64")
    profiled = (counts["profiled"].to_numpy(bool) if "profiled" in counts
                else np.ones(len(counts), dtype=bool))
    for c, pc in zip(UNIT_COUNTS, PROFILED_COUNTS, strict=True):
        out[pc] = np.where(profiled, out[c].to_numpy(), 0.0)
    return out


def user_accounts(sums, relational, params: Mapping, flags: bool = False) -> pd.DataFrame:
    """The per-user table (`USER_COLUMNS`) from parameter-free per-user sums.

    ``sums`` has ``user_id``, each of `SUM_COLUMNS` summed over the user's
    pairs, the same prefixed ``ref_`` summed over the pairs the user arrived at
    through a referral, and ``coins`` and ``coupons_redeemed``; ``relational``
    is the credit each user received (`graphmodel.model.attribution.path_credit`,
    summed by ancestor). ``flags`` adds `FLAG_COLUMNS`.
    """
    base = base_weights(params)
    labour = linear(sums, labour_weights(params))
    kept = attribution.kept_value(linear(sums, base), linear(sums, base, prefix="ref_"),
                                  params)
    relational = np.asarray(relational, dtype="float64")
    produced = kept + relational
    returned = value_returned(sums["coins"], sums["coupons_redeemed"], params)
    rates = user_rates(produced, returned, labour)
    out = pd.DataFrame({
        "user_id": sums["user_id"],
        "labour_s": labour,
        "data_units": linear(sums, data_unit_weights(params)),
        "kept_value": kept,
        "relational_value": relational,
        "value_produced": produced,
        "value_returned": returned,
        **rates,
    })
    if flags:
        for name, values in user_flags(labour, returned, rates["hourly_wage"], params).items():
            out[name] = values
    return out


def platform_accounts(totals: Mapping[str, float], users: Mapping[str, float],
                      unallocated: float, params: Mapping) -> pd.DataFrame:
    """The platform row (`PLATFORM_COLUMNS`).

    ``totals``: each of `SUM_COLUMNS` summed over all pairs; ``users``: the
    number of users (``users``) and the sums over the user table of ``labour_s``,
    ``value_returned``, ``relational_value`` and `FLAG_COLUMNS`;
    ``unallocated``: ad spend on streams nobody watched.
    """
    parts = {name: float(linear(totals, w)) for name, w in part_weights(params).items()}
    total = float(linear(totals, base_weights(params)))
    returned = float(users["value_returned"])
    relational = float(users["relational_value"])
    rates = {k: float(v) for k, v in platform_rates(total, returned, relational).items()}
    return pd.DataFrame([{
        "users": int(users["users"]),
        "labour_hours": float(users["labour_s"]) / 3600.0,
        "data_units": float(linear(totals, data_unit_weights(params))),
        "attention_value": parts["attention"],
        "commerce_value": parts["commerce"],
        "data_value": parts["data"],
        "user_generated_value": total,
        "value_returned": returned,
        "surplus": rates["surplus"],
        "exploitation_rate": rates["exploitation_rate"],
        "relational_value": relational,
        "relational_share": rates["relational_share"],
        "unallocated_ad_spend": float(unallocated),
        "wholly_unpaid_users": int(users["wholly_unpaid"]),
        "below_min_wage_share": float(ratio(int(users["below_min_wage"]), int(users["worked"]))),
    }])


@dataclass
class Accounts:
    """The accounting of one engine's aggregates, in memory, for any parameters.

    Every parameterised figure is a cheap function of per-user sums of the
    aggregates, so changing a parameter never goes back to the raw log:
    scenarios and sensitivity runs reuse one `Accounts` for hundreds of
    parameter sets. Results are memoised per parameter set.

    Parameters
    ----------
    users : Series
        Every user id of the log, sorted.
    pairs : DataFrame
        `graphmodel.model.aggregates.PAIR_COLUMNS`, from the engine.
    paths : DataFrame
        `graphmodel.model.aggregates.PATH_COLUMNS`, from the engine.
    tables : dict of DataFrame
        The log tables ``streams``, ``streamers``, ``products``, ``ad_spend``,
        ``task_completions`` and ``tasks``.

    Examples
    --------
    >>> import graphmodel
    >>> from graphmodel.params import Params
    >>> store = graphmodel.MemoryStore(graphmodel.generate(
    ...     graphmodel.GeneratorConfig(users=200, days=1, seed=1)))
    >>> acc = store.accounts()   # or Accounts.from_store(store)
    >>> users = acc.user_table(Params({"lambda": 0.3}))
    >>> total = acc.platform_table(Params({"lambda": 0.3}))["user_generated_value"].iloc[0]
    >>> bool(abs(users["value_produced"].sum() - total) < 1e-9)   # value is conserved
    True
    """

    users: pd.Series
    pairs: pd.DataFrame
    paths: pd.DataFrame
    tables: dict[str, pd.DataFrame]
    _cache: dict = field(default_factory=dict, repr=False)

    @classmethod
    def from_store(cls, store) -> Accounts:
        """The aggregates and small tables of ``store`` (any engine)."""
        tables = {name: store.table(name) for name in
                  ("users", "streams", "streamers", "products", "ad_spend", "task_completions",
                   "tasks")}
        users = tables.pop("users")["user_id"].sort_values(ignore_index=True)
        return cls(users=users, pairs=store.value_pairs(), paths=store.referral_paths(),
                   tables=tables)

    # -- positions, computed once: pair -> user, path -> pair, path -> ancestor ----------
    @cached_property
    def _user_index(self) -> pd.Index:
        return pd.Index(self.users.to_numpy(object))

    @cached_property
    def _pair_user(self) -> np.ndarray:
        return self._user_index.get_indexer(self.pairs["user_id"])

    @cached_property
    def _path_pair(self) -> np.ndarray:
        pairs = pd.MultiIndex.from_arrays([self.pairs["user_id"], self.pairs["stream_id"]])
        return pairs.get_indexer(pd.MultiIndex.from_arrays([self.paths["user_id"],
                                                           self.paths["stream_id"]]))

    @cached_property
    def _path_ancestor(self) -> np.ndarray:
        return self._user_index.get_indexer(self.paths["ancestor_id"])

    # -- the parameter-free sums, computed once ------------------------------------------
    @cached_property
    def _counts(self) -> pd.DataFrame:
        """Per pair, `SUM_COLUMNS`."""
        return with_profiled(self.pairs)

    @cached_property
    def user_sums(self) -> pd.DataFrame:
        """Per user (in `users` order): `SUM_COLUMNS` summed over all pairs and,
        prefixed ``ref_``, over referred pairs; ``coins`` and ``coupons_redeemed``."""
        m = self._counts.to_numpy("float64")
        referred = self.pairs["referred"].to_numpy(bool)
        ok = self._pair_user >= 0
        n = len(self.users)
        cols: dict[str, np.ndarray] = {"user_id": self._user_ids}
        for j, c in enumerate(SUM_COLUMNS):
            cols[c] = np.bincount(self._pair_user[ok], weights=m[ok, j], minlength=n)
        sel = ok & referred
        for j, c in enumerate(SUM_COLUMNS):
            cols[f"ref_{c}"] = np.bincount(self._pair_user[sel], weights=m[sel, j], minlength=n)
        cols["coins"], cols["coupons_redeemed"] = self._user_rewards
        return pd.DataFrame(cols)

    @cached_property
    def _path_counts(self) -> pd.DataFrame:
        """Per path row, ``hops``, ``depth`` and the counts of its referred arrival."""
        at = self._path_pair
        m = np.zeros((len(at), len(SUM_COLUMNS)))
        ok = at >= 0
        m[ok] = self._counts.to_numpy("float64")[at[ok]]
        out = pd.DataFrame(m, columns=SUM_COLUMNS)
        out["hops"] = self.paths["hops"].to_numpy()
        out["depth"] = self.paths["depth"].to_numpy()
        return out

    def relational(self, params) -> np.ndarray:
        """Per user (in `users` order): the credit received, ``R_u``."""
        pc = self._path_counts
        credit = attribution.path_credit(pc["hops"].to_numpy(), pc["depth"].to_numpy(),
                                         linear(pc, base_weights(params)), params)
        return self._per_user(self._path_ancestor, credit)

    def totals(self, params) -> dict[str, float]:
        """Platform sums of labour, data units and the parts of T."""
        col = {c: float(self.user_sums[c].sum()) for c in SUM_COLUMNS}
        out = {"labour": float(linear(col, labour_weights(params))),
               "units": float(linear(col, data_unit_weights(params)))}
        for name, w in part_weights(params).items():
            out[name] = float(linear(col, w))
        out["base"] = float(linear(col, base_weights(params)))
        return out

    def _per_user(self, codes: np.ndarray, weights: np.ndarray) -> np.ndarray:
        ok = codes >= 0
        return np.bincount(codes[ok], weights=weights[ok], minlength=len(self.users))

    def _memo(self, what: str, params, compute):
        """Results per parameter set: the views of one call share one computation."""
        key = (what, tuple(sorted(params.items())))
        if key not in self._cache:
            if len(self._cache) > 32:
                self._cache.clear()
            self._cache[key] = compute()
        return self._cache[key]

    # -- per pair ---------------------------------------------------------------------
    def pair_values(self, params) -> pd.DataFrame:
        """Pairs with ``labour_s``, ``data_units``, the three base values, ``base_value``,
        ``kept_value``."""
        return self._memo("pairs", params, lambda: self._pair_values(params)).copy()

    def _pair_values(self, params) -> pd.DataFrame:
        p = self.pairs
        counts = self._counts
        out = p[["user_id", "stream_id", "watch_s", "gmv", "referred"]].copy()
        out["labour_s"] = labour_seconds(p, params)
        out["data_units"] = data_units(p, params)
        for name, w in part_weights(params).items():
            out[f"{name}_value"] = linear(counts, w)
        out["base_value"] = (out["attention_value"] + out["commerce_value"]
                             + out["data_value"])
        referred_base = np.where(p["referred"].to_numpy(bool), out["base_value"].to_numpy(), 0.0)
        out["kept_value"] = attribution.kept_value(out["base_value"].to_numpy(), referred_base,
                                                   params)
        return out

    def credit(self, params, pair_values: pd.DataFrame | None = None) -> pd.DataFrame:
        """Credit rows (`graphmodel.model.attribution.credit`)."""
        def compute():
            pv = self.pair_values(params) if pair_values is None else pair_values
            base = pv["base_value"].to_numpy("float64")
            at = self._path_pair
            b = np.where(at >= 0, base[np.maximum(at, 0)], 0.0) if len(base) else np.zeros(
                len(at))
            return attribution.credit(self.paths, b, params)

        return self._memo("credit", params, compute).copy()

    @cached_property
    def _user_rewards(self) -> tuple[np.ndarray, np.ndarray]:
        """Per user: coins earned and redeemed coupons (yuan); v_u = coins x coin_yuan +
        coupons."""
        r = rewards(self.tables["task_completions"], self.tables["tasks"], {"coin_yuan": 0.0})
        ids = self.users.to_numpy(object)
        return (r["coins"].reindex(ids, fill_value=0.0).to_numpy("float64"),
                r["coupons_redeemed"].reindex(ids, fill_value=0.0).to_numpy("float64"))

    @cached_property
    def _user_ids(self):
        return self.users.astype("string[pyarrow]").to_numpy()

    def rewards(self, params) -> pd.DataFrame:
        """Per-user rewards (`graphmodel.model.returned.rewards`)."""
        return self._memo("rewards", params, lambda: rewards(
            self.tables["task_completions"], self.tables["tasks"], params)).copy()

    # -- per user ---------------------------------------------------------------------
    def user_table(self, params) -> pd.DataFrame:
        """One row per user (every user of the log), columns `USER_COLUMNS`."""
        return self._memo("users", params, lambda: user_accounts(
            self.user_sums, self.relational(params), params)).copy()

    # -- per stream -------------------------------------------------------------------
    def stream_table(self, params) -> pd.DataFrame:
        """One row per stream, columns `STREAM_COLUMNS`."""
        pv = self.pair_values(params)
        cr = self.credit(params, pv)
        streams = self.tables["streams"].sort_values("stream_id", ignore_index=True)
        ids = streams["stream_id"].to_numpy(object)
        g = pv.assign(viewers=self.pairs["watches"].to_numpy() > 0).groupby("stream_id",
                                                                         sort=False)
        cols = ["viewers", "labour_s", "data_units", "attention_value", "commerce_value",
                "data_value", "base_value", "gmv", "watch_s"]
        sums = g[cols].sum().reindex(ids, fill_value=0)
        spend = (self.tables["ad_spend"].groupby("stream_id")["spend"].sum()
                 .reindex(ids, fill_value=0.0).to_numpy())
        relational = (cr.groupby("stream_id")["credit"].sum().reindex(ids, fill_value=0.0)
                      .to_numpy())
        return pd.DataFrame({
            "stream_id": streams["stream_id"].to_numpy(),
            "streamer_id": streams["streamer_id"].to_numpy(),
            "viewers": sums["viewers"].to_numpy("int64"),
            "labour_s": sums["labour_s"].to_numpy("float64"),
            "data_units": sums["data_units"].to_numpy("float64"),
            "attention_value": sums["attention_value"].to_numpy("float64"),
            "commerce_value": sums["commerce_value"].to_numpy("float64"),
            "data_value": sums["data_value"].to_numpy("float64"),
            "user_generated_value": sums["base_value"].to_numpy("float64"),
            "relational_value": relational,
            "ad_spend": spend,
            "unallocated_ad_spend": np.where(sums["watch_s"].to_numpy("float64") > 0, 0.0,
                                             spend),
            "gmv": sums["gmv"].to_numpy("float64"),
        })

    # -- platform ---------------------------------------------------------------------
    def platform_table(self, params, users: pd.DataFrame | None = None) -> pd.DataFrame:
        """One row of platform totals, columns `PLATFORM_COLUMNS`."""
        users = self.user_table(params) if users is None else users
        flags = user_flags(users["labour_s"], users["value_returned"], users["hourly_wage"],
                           params)
        summary = {"users": len(users), **{c: float(users[c].sum()) for c in
                   ("labour_s", "value_returned", "relational_value")},
                   **{c: int(v.sum()) for c, v in flags.items()}}
        totals = {c: float(self.user_sums[c].sum()) for c in SUM_COLUMNS}
        return platform_accounts(totals, summary,
                                 unallocated_ad_spend(self.tables["ad_spend"], self.pairs), params)


def unallocated_ad_spend(ad_spend: pd.DataFrame, pairs: pd.DataFrame) -> float:
    """Ad spend on streams nobody watched (no watch seconds): reported, not attributed."""
    watched = pairs.loc[pairs["watch_s"] > 0, "stream_id"].unique()
    return float(ad_spend.loc[~ad_spend["stream_id"].isin(watched), "spend"].sum())
