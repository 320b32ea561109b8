"""What the governance panel embeds: the parameter-free per-user sums, and nothing else.

The accounting is linear in per-user sums of pair counts
(`graphmodel.model.accounting`), so the page recomputes every figure of
`graphmodel.analysis.scenario.figures`, the platform row and capture by
actor from these arrays, for any parameters and accounting levers:

==================  ===========================================================
array               per embedded user (one row each, in a shuffled order)
==================  ===========================================================
``watch_s`` ...     the sums over the user's pairs of ``watch_s``, ``taps``,
                    ``likes``, ``comments``, ``shares``, ``purchases``,
                    ``watches``, ``completion``, ``gmv``, ``attention_value``
``ref_*``           the same over the pairs the user arrived at through a
                    referral (the counts base value is made of)
``coins``,          task rewards earned: coins, and coupons redeemed (yuan)
``coupons``
``draw``            the user's uniform draw of the opt-out lever (seeded like
                    ``graphmodel scenario --seed``): opted out iff draw < f
==================  ===========================================================

Credit along referral paths: one row per (ancestor, referred user, hops,
depth) with ``anc`` and ``arr`` (row numbers above; an arrival by a user
missing from the users table gets the row number after the last), ``hops``, ``depth``
and the arrival pairs' counts summed over streams (``p_attention_value``,
``p_gmv``, ``p_likes`` ... ``p_completion``): R_a = lambda x sum w(hops,
depth) x b, for every attribution model. Task completions for the task cap:
``tc_n`` completions per user, then their ``tc_coins`` and ``tc_coupons``
(redeemed coupons, yuan) in the order the cap keeps them (earliest first).
Platform scalars: ``users`` (all users, those without any activity too),
ad spend, unallocated ad spend and the streamers' commission on GMV.

No user, stream or streamer id is embedded; users without any activity,
credit or reward are left out (they are counted in ``users``). Arrays are
stored in the smallest type that holds them exactly (unsigned integers for
counts, float64 otherwise), packed, gzip-compressed and base64-encoded, so
the page gets back the very float64 values the library computes with.
"""

from __future__ import annotations

import base64
import gzip
from collections.abc import Mapping

import numpy as np
import pandas as pd

from graphmodel.analysis.scenario.figures import FIGURES
from graphmodel.analysis.scenario.levers import LEVERS
from graphmodel.analysis.scenario.resimulate import SWITCHES
from graphmodel.analysis.value.headline import FIGURES as HEADLINE
from graphmodel.model.accounting import PLATFORM_COLUMNS, unallocated_ad_spend
from graphmodel.model.attribution import MODELS
from graphmodel.params import PARAMETERS, Params

__all__ = ["USER_ARRAYS", "PATH_ARRAYS", "LIVE_MODELS", "panel_data", "pack", "unpack"]

#: Per-user sums over all pairs.
COUNTS = (
    "watch_s",
    "taps",
    "likes",
    "comments",
    "shares",
    "purchases",
    "watches",
    "completion",
    "gmv",
    "attention_value",
)
#: The counts base value is made of (summed over referred pairs as ``ref_*``, over
#: arrival pairs as ``p_*``).
BASE_COUNTS = (
    "attention_value",
    "gmv",
    "likes",
    "comments",
    "shares",
    "purchases",
    "watches",
    "completion",
)
USER_ARRAYS = (*COUNTS, *(f"ref_{c}" for c in BASE_COUNTS), "coins", "coupons", "draw")
PATH_ARRAYS = ("anc", "arr", "hops", "depth", *(f"p_{c}" for c in BASE_COUNTS))
#: The attribution models the page computes (the others are shown as not live).
LIVE_MODELS = ("decay", "linear", "last", "first")


def _dtype(x: np.ndarray) -> str:
    """The smallest type holding ``x`` exactly: u1, u2, u4 for counts, else f8."""
    if x.size == 0:
        return "u1"
    if np.all(np.isfinite(x)) and np.all(x == np.floor(x)) and x.min() >= 0:
        top = x.max()
        for code, limit in (("u1", 2**8), ("u2", 2**16), ("u4", 2**32)):
            if top < limit and not np.any((x == 0) & np.signbit(x)):
                return code
    return "f8"


def pack(arrays: Mapping[str, np.ndarray]) -> tuple[dict[str, list], str]:
    """``arrays`` as (layout, base64 of the gzipped bytes): layout[name] = [type, byte
    offset, length]; every array starts at a multiple of 8 bytes (little-endian)."""
    layout, chunks, at = {}, [], 0
    for name, values in arrays.items():
        x = np.asarray(values, dtype="float64")
        code = _dtype(x)
        raw = x.astype("<" + code).tobytes()
        layout[name] = [code, at, int(x.size)]
        pad = (-len(raw)) % 8
        chunks.append(raw + b"\0" * pad)
        at += len(raw) + pad
    blob = gzip.compress(b"".join(chunks), compresslevel=9, mtime=0)
    return layout, base64.b64encode(blob).decode("ascii")


def unpack(layout: Mapping[str, list], blob: str) -> dict[str, np.ndarray]:
    """The float64 arrays `pack` packed (what the page decodes)."""
    raw = gzip.decompress(base64.b64decode(blob))
    return {
        name: np.frombuffer(raw, dtype="<" + code, count=n, offset=at).astype("float64")
        for name, (code, at, n) in layout.items()
    }


def _completions(tc: pd.DataFrame, index: pd.Index) -> tuple[np.ndarray, ...]:
    """Per user (``index`` positions): the number of completions, then every completion's
    coins and redeemed coupon in the order the task cap keeps them (the lever's order:
    by user, then ``at``, ties in log order)."""
    order = tc.sort_values(["user_id", "at"], kind="mergesort")
    pos = index.get_indexer(order["user_id"].to_numpy(object))
    ok = pos >= 0
    order, pos = order.loc[ok], pos[ok]
    redeemed = order["coupon_redeemed"].to_numpy(bool, na_value=False)
    coins = order["coins"].to_numpy("float64", na_value=0.0)
    coupons = np.where(redeemed, order["coupon"].to_numpy("float64", na_value=0.0), 0.0)
    return pos, coins, coupons


def _commission(accounts) -> float:
    """The streamers' commission on GMV, as `graphmodel.analysis.value.capture.capture_table`
    computes it (parameter-free)."""
    pairs, streams, streamers = (
        accounts.pairs,
        accounts.tables["streams"],
        accounts.tables["streamers"],
    )
    host = streams.set_index("stream_id")["streamer_id"]
    rate = streamers.set_index("streamer_id")["commission_rate"].astype("float64")
    gmv = pairs.groupby("stream_id", sort=False)["gmv"].sum()
    commission_rate = rate.reindex(host.reindex(gmv.index).to_numpy()).to_numpy()
    return float((gmv.to_numpy() * commission_rate).sum())


def _meta(params: Params) -> dict:
    out = {}
    for name, p in PARAMETERS.items():
        out[name] = {
            "default": p.default,
            "low": p.low,
            "high": p.high,
            "unit": p.unit,
            "meaning": p.meaning,
            "choices": list(p.choices),
        }
    return out


#: The kind of number (`graphmodel.numbers`) of every figure and platform column the
#: panel shows, so that it reads as the report does (its script ports the same rules).
KINDS: dict[str, str] = {name: kind for name, (_label, kind) in HEADLINE.items()} | {
    "platform_revenue": "yuan",
    "surplus": "yuan",
    "attention_value": "yuan",
    "commerce_value": "yuan",
    "data_value": "yuan",
    "unallocated_ad_spend": "yuan",
    "relational_value": "yuan",
    "data_units": "hours",  # a weighted count: two decimals, as hours are
}


def panel_data(accounts, params=None, seed: int = 0, title: str = "") -> dict:
    """Everything the panel needs, as a JSON-ready dict (the module docstring lists it).

    Parameters
    ----------
    accounts : Accounts
        The store's accounting (``store.accounts()``).
    params : Params or dict, optional
        The setting the page opens at ([docs/model.md, section 10][model-10]; defaults otherwise).
    seed : int
        The opt-out lever's seed, as ``graphmodel scenario --seed``.
    title : str
        What the page calls the log (its folder's name, say).
    """
    p = Params.of(params)
    users = accounts.users
    sums = accounts.user_sums
    index = pd.Index(users.to_numpy(object))
    draw = np.random.default_rng(seed).random(len(users))  # the opt-out lever's draw

    # credit along referral paths: (ancestor, arrival, hops, depth) with the arrival's counts
    pairs, paths = accounts.pairs, accounts.paths
    at = pd.MultiIndex.from_arrays([pairs["user_id"], pairs["stream_id"]]).get_indexer(
        pd.MultiIndex.from_arrays([paths["user_id"], paths["stream_id"]])
    )
    anc = index.get_indexer(paths["ancestor_id"].to_numpy(object))
    arr = index.get_indexer(paths["user_id"].to_numpy(object))
    # an arrival by someone missing from the users table still credits its path (and never
    # opts out): it gets the row number after the last user's
    ok = (at >= 0) & (anc >= 0)
    groups = pd.DataFrame(
        {
            "anc": anc[ok],
            "arr": arr[ok],
            "hops": paths["hops"].to_numpy()[ok],
            "depth": paths["depth"].to_numpy()[ok],
        }
    )
    for c in BASE_COUNTS:
        groups[f"p_{c}"] = pairs[c].to_numpy("float64")[at[ok]]
    groups = groups.groupby(["anc", "arr", "hops", "depth"], sort=True).sum().reset_index()

    pos, tc_coins, tc_coupons = _completions(accounts.tables["task_completions"], index)
    tc_n = np.bincount(pos, minlength=len(users))

    # keep users with any activity, credit or reward, in a shuffled order
    cols = {c: sums[c].to_numpy("float64") for c in COUNTS}
    cols.update({f"ref_{c}": sums[f"ref_{c}"].to_numpy("float64") for c in BASE_COUNTS})
    cols["coins"] = sums["coins"].to_numpy("float64")
    cols["coupons"] = sums["coupons_redeemed"].to_numpy("float64")
    active = np.zeros(len(users), dtype=bool)
    for x in cols.values():
        active |= x != 0
    active[groups["anc"].to_numpy()] = True
    arrivals = groups["arr"].to_numpy()
    active[arrivals[arrivals >= 0]] = True
    active |= tc_n > 0
    keep = np.flatnonzero(active)
    keep = keep[np.random.default_rng(0).permutation(keep.size)]
    row = np.full(len(users), -1)
    row[keep] = np.arange(keep.size)
    cols = {c: x[keep] for c, x in cols.items()}
    cols["draw"] = draw[keep]

    groups["anc"] = row[groups["anc"].to_numpy()]
    groups["arr"] = np.where(arrivals >= 0, row[arrivals], keep.size)
    path_cols = {c: groups[c].to_numpy("float64") for c in PATH_ARRAYS}

    # completions in embedded row order, each user's in the cap's order
    rows_of = row[pos]
    order = np.argsort(rows_of, kind="stable")
    tc_cols = {"tc_n": tc_n[keep], "tc_coins": tc_coins[order], "tc_coupons": tc_coupons[order]}

    layout, blob = pack({**cols, **path_cols, **tc_cols})
    ad_spend = accounts.tables["ad_spend"]
    max_tasks = int(tc_n.max()) if tc_n.size else 0
    return {
        "format": 1,
        "title": title,
        "users": int(len(users)),
        "embedded_users": int(keep.size),
        "paths": int(len(groups)),
        "completions": int(len(tc_coins)),
        "max_tasks": max_tasks,
        "spend": float(ad_spend["spend"].sum()),
        "unallocated": unallocated_ad_spend(ad_spend, pairs),
        "commission": _commission(accounts),
        "seed": int(seed),
        "params": {k: (v if isinstance(v, str) else float(v)) for k, v in p.items()},
        "parameters": _meta(p),
        "models": list(MODELS),
        "live_models": [m for m in MODELS if m in LIVE_MODELS],
        "levers": {
            n: {"low": lv.low, "high": lv.high, "meaning": lv.meaning} for n, lv in LEVERS.items()
        },
        "switches": list(SWITCHES),
        "figures": list(FIGURES),
        "platform_columns": list(PLATFORM_COLUMNS),
        "kinds": KINDS,
        "layout": layout,
        "blob": blob,
    }
