"""The personal data account of one user ([docs/model.md, section 7][model-7]).

One row per entry, columns `LEDGER_COLUMNS`:

``event``   every event the user produced: its labour seconds and data units,
            the value it made (attention: the stream's ad spend x the watch's
            seconds / all watch seconds on the stream; commerce: take_rate x
            amount; data: alpha x p_data x its data units), the part the user
            keeps and the part credited up its referral path (lambda x value,
            when the user arrived in that stream through a referral), and whom
            it fed: the advertisers sponsoring the stream (a watch), the
            merchant selling the product (a purchase).
``credit``  every credit the user earned through others: the arrival of
            ``source`` in ``stream_id`` ``hops`` steps below ([docs/model.md, 5.5][model-5-5]).
``reward``  every task completion: coins x coin_yuan + the coupon if redeemed.
``total``   the sums, equal to the user's row of ``graphmodel value --by user``.

The events' values add up to the user's base value per stream, so the
ledger is the user's row of the accounting, itemised.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from graphmodel.errors import UserError
from graphmodel.model.labour import completion

__all__ = ["LEDGER_COLUMNS", "ledger_table"]

LEDGER_COLUMNS = ["entry", "source", "stream_id", "type", "at", "labour_s", "data_units",
                  "attention_value", "commerce_value", "data_value", "value", "kept_value",
                  "to_referrers", "credit", "returned", "fed"]


def _event_rows(events: pd.DataFrame, accounts, params) -> pd.DataFrame:
    streams = accounts.tables["streams"].set_index("stream_id")
    duration = (streams["ended_at"] - streams["started_at"]).dt.total_seconds()
    watch_total = accounts.pairs.groupby("stream_id")["watch_s"].sum()
    ad = accounts.tables["ad_spend"]
    spend = ad.groupby("stream_id")["spend"].sum()
    sponsors = ad.groupby("stream_id")["advertiser_id"].agg(
        lambda s: ",".join(sorted(set(s))))
    merchants = accounts.tables["products"].set_index("product_id")["advertiser_id"]

    sid = events["stream_id"].to_numpy(object)
    kind = events["type"].to_numpy(object)
    watch = kind == "watch"
    secs = np.where(watch, events["seconds"].to_numpy("float64", na_value=0.0), 0.0)
    taps = events["count"].to_numpy("float64", na_value=1.0)
    amount = np.where(kind == "purchase", events["amount"].to_numpy("float64", na_value=0.0),
                      0.0)
    total_watch = watch_total.reindex(sid).to_numpy("float64", na_value=0.0)
    attention = np.divide(spend.reindex(sid).to_numpy("float64", na_value=0.0) * secs,
                          total_watch, out=np.zeros(len(sid)), where=total_watch > 0)
    labour = np.select([watch, kind == "like", kind == "comment", kind == "share"],
                       [secs, params["tau_like"] * taps,
                        np.full(len(sid), params["tau_comment"]),
                        np.full(len(sid), params["tau_share"])], 0.0)
    units = np.select(
        [watch, kind == "like", kind == "comment", kind == "share", kind == "purchase"],
        [params["w_watch"] * (1.0 + 4.0 * completion(secs, duration.reindex(sid).to_numpy())),
         np.full(len(sid), params["w_like"]), np.full(len(sid), params["w_comment"]),
         np.full(len(sid), params["w_share"]), np.full(len(sid), params["w_purchase"])], 0.0)
    commerce = params["take_rate"] * amount
    data = params["alpha"] * params["p_data"] * units
    value = attention + commerce + data
    pairs = accounts.pairs
    referred_streams = set(pairs.loc[(pairs["user_id"] == events["user_id"].iloc[0])
                                     & pairs["referred"], "stream_id"]) if len(events) else set()
    referred = np.array([s in referred_streams for s in sid], dtype=bool)
    to_referrers = np.where(referred, params["lambda"] * value, 0.0)
    fed = np.where(watch, sponsors.reindex(sid).fillna("").to_numpy(object),
                   np.where(kind == "purchase",
                            merchants.reindex(events["product_id"].to_numpy(object))
                            .fillna("").to_numpy(object), ""))
    return pd.DataFrame({
        "entry": "event", "source": events["event_id"].to_numpy(object), "stream_id": sid,
        "type": kind, "at": events["at"].to_numpy(), "labour_s": labour, "data_units": units,
        "attention_value": attention, "commerce_value": commerce, "data_value": data,
        "value": value, "kept_value": value - to_referrers, "to_referrers": to_referrers,
        "credit": 0.0, "returned": 0.0, "fed": fed,
    })


def ledger_table(store, accounts, user_id: str, params) -> pd.DataFrame:
    """The account of ``user_id`` (a [`UserError`][graphmodel.errors.UserError] if the log has no such user)."""
    if not accounts.users.eq(user_id).any():
        raise UserError(f"unknown user id {user_id!r}: no such user in {store.source}")
    events = _event_rows(store.user_events(user_id), accounts, params)
    cr = accounts.credit(params)
    cr = cr.loc[cr["ancestor_id"] == user_id]
    credit = pd.DataFrame({
        "entry": "credit", "source": cr["user_id"].to_numpy(object),
        "stream_id": cr["stream_id"].to_numpy(object),
        "type": [f"referral, {h} hop{'s' if h > 1 else ''} up" for h in cr["hops"]],
        "credit": cr["credit"].to_numpy("float64"),
    })
    tc = accounts.tables["task_completions"]
    tc = tc.loc[tc["user_id"] == user_id]
    kinds = accounts.tables["tasks"].set_index("task_id")["kind"]
    redeemed = tc["coupon_redeemed"].to_numpy(bool, na_value=False)
    rewards = pd.DataFrame({
        "entry": "reward", "source": tc["task_id"].to_numpy(object),
        "type": [f"{k} task" for k in kinds.reindex(tc["task_id"].to_numpy(object))],
        "at": tc["at"].to_numpy(),
        "returned": tc["coins"].to_numpy("float64") * params["coin_yuan"]
        + np.where(redeemed, tc["coupon"].to_numpy("float64"), 0.0),
    })
    rows = pd.concat([events, credit, rewards], ignore_index=True)
    money = ["labour_s", "data_units", "attention_value", "commerce_value", "data_value",
             "value", "kept_value", "to_referrers", "credit", "returned"]
    rows[money] = rows[money].astype("float64").fillna(0.0)
    total = {"entry": "total", "source": user_id, **rows[money].sum().to_dict()}
    out = pd.concat([rows, pd.DataFrame([total])], ignore_index=True)
    for col in ("source", "stream_id", "type", "fed"):
        out[col] = out[col].astype("string[pyarrow]")
    out["at"] = pd.to_datetime(out["at"])
    return out[LEDGER_COLUMNS]
