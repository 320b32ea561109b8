"""The value accounting of MODEL.md sections 4 and 5: per user, per stream, platform.

Per (user, stream) pair, from the parameter-free counts of
:mod:`graphmodel.engines.memory.pairs`:

    b_{u,s}   = attention + take_rate x GMV_{u,s} + alpha x p_data x D_{u,s}
    kept_{u,s} = b_{u,s} x (1 - lambda) if u arrived in s through a referral, else b_{u,s}

Per user:

    V_u = sum_s kept_{u,s} + R_u          (R_u: credit received, attribution.py)
    s_u = V_u - v_u                       (surplus; v_u: value returned, returned.py)
    e_u = s_u / v_u                       (null where v_u = 0: wholly unpaid)
    unpaid share = s_u / V_u              (null where V_u = 0)
    hourly wage  = v_u / (L_u / 3600)     (null where L_u = 0)

Invariant: sum_u V_u = sum_{u,s} b_{u,s} = T, the total user-generated value,
for every attribution model (tested). Platform level: e = (T - sum v) / sum v.
The labour theory of value and the rate of exploitation s/v: Marx,
*Capital* vol. 1, ch. 9; for users' unpaid digital labour Fuchs, *Digital
Labour and Karl Marx* (2014), ch. 11.

Where a user "worked" (``labor_s > 0``) and got nothing back (``v_u = 0``)
the user is counted as wholly unpaid; users with no activity are neither
paid nor unpaid. The share below the minimum wage is taken over users with
labour time, comparing the implicit hourly wage with ``min_wage_hour``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from graphmodel.engines.memory.pairs import unallocated_ad_spend
from graphmodel.model import attribution
from graphmodel.model.labour import data_units, labour_seconds
from graphmodel.model.returned import rewards

__all__ = ["Accounts", "USER_COLUMNS", "STREAM_COLUMNS", "PLATFORM_COLUMNS"]

# Pair counts the accounting is linear in; the data-unit counts come first.
_UNIT_COUNTS = ["likes", "comments", "shares", "purchases", "watches", "completion"]
_COUNTS = [*_UNIT_COUNTS, "watch_s", "taps", "gmv", "attention_value"]
_COLUMNS = [*_COUNTS, *(f"profiled_{c}" for c in _UNIT_COUNTS)]

USER_COLUMNS = ["user_id", "labor_s", "data_units", "kept_value", "relational_value",
                "value_produced", "value_returned", "surplus", "exploitation_rate",
                "unpaid_share", "hourly_wage"]
STREAM_COLUMNS = ["stream_id", "streamer_id", "viewers", "labor_s", "data_units",
                  "attention_value", "commerce_value", "data_value", "user_generated_value",
                  "relational_value", "ad_spend", "unallocated_ad_spend", "gmv"]
PLATFORM_COLUMNS = ["users", "labor_hours", "data_units", "attention_value", "commerce_value",
                    "data_value", "user_generated_value", "value_returned", "surplus",
                    "exploitation_rate", "relational_value", "relational_share",
                    "unallocated_ad_spend", "wholly_unpaid_users", "below_min_wage_share"]


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    out = np.full(np.shape(num), np.nan)
    np.divide(num, den, out=out, where=den != 0)
    return out


@dataclass
class Accounts:
    """The parameter-free components of the accounting, computed once per store.

    ``pairs`` (:data:`~graphmodel.engines.memory.pairs.PAIR_COLUMNS`) and ``paths``
    (:data:`~graphmodel.engines.memory.paths.PATH_COLUMNS`) come from the store,
    which computes them where its data lives; the rest are log tables. Every
    parameterised figure is a cheap function of these, so changing a
    parameter never goes back to the raw log.
    """

    users: pd.Series
    pairs: pd.DataFrame
    paths: pd.DataFrame
    tables: dict[str, pd.DataFrame]
    _cache: dict = field(default_factory=dict, repr=False)

    @classmethod
    def from_store(cls, store) -> Accounts:
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

    # -- the accounting is linear in the pair counts: per-user sums, computed once ------
    @cached_property
    def _count_matrix(self) -> np.ndarray:
        """Pairs x :data:`_COLUMNS`: the counts, then the data-unit counts again, zeroed
        for users who opted out of profiling (their data yields no data value)."""
        p = self.pairs
        counts = p[_COUNTS].to_numpy("float64")
        profiled = (p["profiled"].to_numpy(bool) if "profiled" in p
                    else np.ones(len(p), dtype=bool))
        return np.hstack([counts, counts[:, :len(_UNIT_COUNTS)] * profiled[:, None]])

    @cached_property
    def _user_sums(self) -> tuple[np.ndarray, np.ndarray]:
        """Per user: the count matrix summed over all pairs, and over referred pairs."""
        m = self._count_matrix
        referred = self.pairs["referred"].to_numpy(bool)
        ok = self._pair_user >= 0
        n = len(self.users)
        all_, ref = np.zeros((n, m.shape[1])), np.zeros((n, m.shape[1]))
        for j in range(m.shape[1]):
            all_[:, j] = np.bincount(self._pair_user[ok], weights=m[ok, j], minlength=n)
            sel = ok & referred
            ref[:, j] = np.bincount(self._pair_user[sel], weights=m[sel, j], minlength=n)
        return all_, ref

    @cached_property
    def _path_counts(self) -> np.ndarray:
        """Per path row, the count matrix row of its referred arrival."""
        at = self._path_pair
        out = np.zeros((len(at), self._count_matrix.shape[1]))
        ok = at >= 0
        out[ok] = self._count_matrix[at[ok]]
        return out

    def _weights(self, params) -> dict[str, np.ndarray]:
        """Weight vectors over :data:`_COLUMNS` of labour, data units, data value, base."""
        k = len(_COLUMNS)
        unit_w = np.array([params["w_like"], params["w_comment"], params["w_share"],
                           params["w_purchase"], params["w_watch"], 4.0 * params["w_watch"]])
        labour, units, data, base = (np.zeros(k) for _ in range(4))
        col = {c: i for i, c in enumerate(_COLUMNS)}
        labour[[col["watch_s"], col["taps"], col["comments"], col["shares"]]] = [
            1.0, params["tau_like"], params["tau_comment"], params["tau_share"]]
        units[:len(_UNIT_COUNTS)] = unit_w
        data[len(_COUNTS):] = params["alpha"] * params["p_data"] * unit_w
        commerce = np.zeros(k)
        commerce[col["gmv"]] = params["take_rate"]
        attention = np.zeros(k)
        attention[col["attention_value"]] = 1.0
        base = attention + commerce + data
        return {"labour": labour, "units": units, "data": data, "commerce": commerce,
                "attention": attention, "base": base}

    def user_arrays(self, params) -> dict[str, np.ndarray]:
        """Per user (in :attr:`users` order): ``labor_s``, ``data_units``, ``base_value``,
        ``kept_value``, ``relational_value``, from the per-user sums, O(users + paths)."""
        w = self._weights(params)
        all_, ref = self._user_sums
        base_all, base_ref = all_ @ w["base"], ref @ w["base"]
        weights = attribution.path_weights(self.paths["hops"].to_numpy(),
                                           self.paths["depth"].to_numpy(),
                                           params["attribution"], float(params["delta"]))
        credit = params["lambda"] * weights * (self._path_counts @ w["base"])
        return {
            "labor_s": all_ @ w["labour"],
            "data_units": all_ @ w["units"],
            "base_value": base_all,
            "kept_value": base_all - params["lambda"] * base_ref,
            "relational_value": self._per_user(self._path_ancestor, credit),
        }

    def totals(self, params) -> dict[str, float]:
        """Platform sums of labour, data units and the parts of T."""
        w = self._weights(params)
        col = self._user_sums[0].sum(axis=0)
        return {name: float(col @ w[name]) for name in
                ("labour", "units", "attention", "commerce", "data", "base")}

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
        """Pairs with ``labor_s``, ``data_units``, the three base values, ``base_value``,
        ``kept_value``."""
        return self._memo("pairs", params, lambda: self._pair_values(params)).copy()

    def _pair_values(self, params) -> pd.DataFrame:
        p = self.pairs
        units = data_units(p, params)
        out = p[["user_id", "stream_id", "watch_s", "gmv", "referred"]].copy()
        out["labor_s"] = labour_seconds(p, params)
        out["data_units"] = units
        out["attention_value"] = p["attention_value"].to_numpy("float64")
        out["commerce_value"] = params["take_rate"] * p["gmv"].to_numpy("float64")
        out["data_value"] = params["alpha"] * params["p_data"] * units
        if "profiled" in p:  # users who opted out of profiling yield no data value
            out["data_value"] *= p["profiled"].to_numpy(bool)
        out["base_value"] = (out["attention_value"] + out["commerce_value"]
                             + out["data_value"])
        keep = np.where(p["referred"].to_numpy(bool), 1.0 - params["lambda"], 1.0)
        out["kept_value"] = out["base_value"].to_numpy() * keep
        return out

    def credit(self, params, pair_values: pd.DataFrame | None = None) -> pd.DataFrame:
        """Credit rows (:func:`graphmodel.model.attribution.credit`)."""
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
        """Per-user rewards (:func:`graphmodel.model.returned.rewards`)."""
        return self._memo("rewards", params, lambda: rewards(
            self.tables["task_completions"], self.tables["tasks"], params)).copy()

    # -- per user ---------------------------------------------------------------------
    def user_table(self, params) -> pd.DataFrame:
        """One row per user (every user of the log), columns :data:`USER_COLUMNS`."""
        return self._memo("users", params, lambda: self._user_table(params)).copy()

    def _user_table(self, params) -> pd.DataFrame:
        arrays = self.user_arrays(params)
        kept, labor = arrays["kept_value"], arrays["labor_s"]
        units, relational = arrays["data_units"], arrays["relational_value"]
        coins, coupons = self._user_rewards
        returned = coins * params["coin_yuan"] + coupons
        produced = kept + relational
        surplus = produced - returned
        return pd.DataFrame({
            "user_id": self._user_ids,
            "labor_s": labor,
            "data_units": units,
            "kept_value": kept,
            "relational_value": relational,
            "value_produced": produced,
            "value_returned": returned,
            "surplus": surplus,
            "exploitation_rate": _ratio(surplus, returned),
            "unpaid_share": _ratio(surplus, produced),
            "hourly_wage": _ratio(returned, labor / 3600.0),
        })

    # -- per stream -------------------------------------------------------------------
    def stream_table(self, params) -> pd.DataFrame:
        """One row per stream, columns :data:`STREAM_COLUMNS`."""
        pv = self.pair_values(params)
        cr = self.credit(params, pv)
        streams = self.tables["streams"].sort_values("stream_id", ignore_index=True)
        ids = streams["stream_id"].to_numpy(object)
        g = pv.assign(viewers=self.pairs["watches"].to_numpy() > 0).groupby("stream_id",
                                                                         sort=False)
        cols = ["viewers", "labor_s", "data_units", "attention_value", "commerce_value",
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
            "labor_s": sums["labor_s"].to_numpy("float64"),
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
        """One row of platform totals, columns :data:`PLATFORM_COLUMNS`."""
        t = self.totals(params)
        users = self.user_table(params) if users is None else users
        total = t["base"]
        returned = float(users["value_returned"].sum())
        relational = float(users["relational_value"].sum())
        worked = users["labor_s"].to_numpy() > 0
        unpaid = worked & (users["value_returned"].to_numpy() == 0)
        below = worked & ~(users["hourly_wage"].to_numpy() >= params["min_wage_hour"])
        return pd.DataFrame([{
            "users": len(users),
            "labor_hours": float(users["labor_s"].sum()) / 3600.0,
            "data_units": t["units"],
            "attention_value": t["attention"],
            "commerce_value": t["commerce"],
            "data_value": t["data"],
            "user_generated_value": total,
            "value_returned": returned,
            "surplus": total - returned,
            "exploitation_rate": (total - returned) / returned if returned else np.nan,
            "relational_value": relational,
            "relational_share": relational / total if total else np.nan,
            "unallocated_ad_spend": unallocated_ad_spend(self.tables["ad_spend"], self.pairs),
            "wholly_unpaid_users": int(unpaid.sum()),
            "below_min_wage_share": float(below.sum() / worked.sum()) if worked.any()
            else np.nan,
        }])
