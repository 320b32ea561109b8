"""Tables derived from the others when a log does not have them ([docs/model.md, section 2][model-2]).

- ``streams``: one per ``stream_id`` the events name. Its window runs from its
  first event to the end of its last: ``started_at`` = the earliest ``at``,
  ``ended_at`` = the latest ``at``, or ``at + seconds`` for a watch (a stream
  was live while anybody watched it; ending it at the last event's start
  would cut every last viewer's watch short). Its host is unknown: each
  derived stream gets its own derived host ``host:<stream_id>``, so no two
  streams are linked by a host they may not share.
- ``streamers``: one per ``streamer_id`` of the streams, ``commission_rate`` 0
  (unknown; the results say so).
- ``products``: one per ``product_id`` the purchases name, its merchant unknown
  (a derived advertiser ``merchant:<product_id>`` each) and its ``price`` the
  median amount paid for it (the model uses the amounts, not the price).
- ``advertisers``: one per ``advertiser_id`` the products and ``ad_spend`` name.
- ``users``: every id that acts as a user: the events' ``user_id``,
  the ``follows`` rows' ``follower_id``, their ``followee_id`` when it is no
  streamer, and the ``task_completions``' ``user_id``; in that order of first
  appearance.

The functions take the typed tables (cells that did not convert are missing)
and never fail: the derived tables are then validated with the rest.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from graphmodel.eventlog.log import conform, empty_table
from graphmodel.schema import TABLES

__all__ = [
    "derive_streams",
    "derive_streamers",
    "derive_users",
    "derive_products",
    "derive_advertisers",
    "HOST_PREFIX",
    "MERCHANT_PREFIX",
]

#: The id of a derived stream's unknown host is this prefix and the stream's id.
HOST_PREFIX = "host:"
#: The id of a derived product's unknown merchant is this prefix and the product's id.
MERCHANT_PREFIX = "merchant:"


def derive_streams(events: pd.DataFrame) -> pd.DataFrame:
    """``streams`` from the events: window from the first event to the end of the last.

    Examples
    --------
    >>> import pandas as pd
    >>> events = pd.DataFrame({"stream_id": ["s", "s"], "type": ["watch", "like"],
    ...     "at": pd.to_datetime(["2024-01-01 20:00", "2024-01-01 20:30"]),
    ...     "seconds": [3600.0, None]})
    >>> derive_streams(events)[["stream_id", "streamer_id", "started_at", "ended_at"]]
      stream_id streamer_id          started_at            ended_at
    0         s      host:s 2024-01-01 20:00:00 2024-01-01 21:00:00
    """
    e = events[["stream_id", "type", "at", "seconds"]]
    e = e[e["stream_id"].notna().to_numpy(dtype=bool) & e["at"].notna().to_numpy(dtype=bool)]
    if e.empty:
        return empty_table("streams")
    at = e["at"].to_numpy(dtype="datetime64[ns]")
    secs = pd.to_numeric(e["seconds"]).to_numpy(dtype="float64", na_value=np.nan)
    watch = (e["type"] == "watch").to_numpy(dtype=bool, na_value=False) & np.isfinite(secs)
    end = at.copy()
    end[watch] = at[watch] + (np.maximum(secs[watch], 0) * 1e9).astype("timedelta64[ns]")
    g = pd.DataFrame({"stream_id": e["stream_id"].to_numpy(dtype=object), "at": at, "end": end})
    w = g.groupby("stream_id", sort=False).agg(started_at=("at", "min"), ended_at=("end", "max"))
    w = w.reset_index()
    w["streamer_id"] = HOST_PREFIX + w["stream_id"].astype(str)
    return conform(TABLES["streams"], w)


def derive_streamers(streams: pd.DataFrame) -> pd.DataFrame:
    """``streamers`` from the streams' hosts, ``commission_rate`` 0 (unknown)."""
    ids = pd.unique(streams["streamer_id"].dropna().to_numpy(dtype=object))
    return conform(
        TABLES["streamers"],
        pd.DataFrame({"streamer_id": ids, "commission_rate": np.zeros(len(ids))}),
    )


def derive_users(
    events: pd.DataFrame,
    follows: pd.DataFrame | None = None,
    task_completions: pd.DataFrame | None = None,
    streamers: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """``users``: every id acting as a user, in order of first appearance.

    Examples
    --------
    >>> import pandas as pd
    >>> events = pd.DataFrame({"user_id": ["b", "a", "b"]})
    >>> follows = pd.DataFrame({"follower_id": ["c"], "followee_id": ["a"]})
    >>> derive_users(events, follows)["user_id"].tolist()
    ['b', 'a', 'c']
    """
    parts = [events["user_id"]]
    if follows is not None and len(follows):
        hosts = set() if streamers is None else set(streamers["streamer_id"].dropna())
        parts.append(follows["follower_id"])
        followee = follows["followee_id"]
        parts.append(followee[~followee.isin(hosts)])
    if task_completions is not None and len(task_completions):
        parts.append(task_completions["user_id"])
    return conform(TABLES["users"], pd.DataFrame({"user_id": _in_order(parts)}))


def derive_products(events: pd.DataFrame) -> pd.DataFrame:
    """``products`` named by the purchases: merchant unknown, price the median amount paid.

    Examples
    --------
    >>> import pandas as pd
    >>> events = pd.DataFrame({"type": ["purchase", "purchase", "like"],
    ...     "product_id": ["p", "p", None], "amount": [10.0, 30.0, None]})
    >>> derive_products(events)[["product_id", "advertiser_id", "price"]]
      product_id advertiser_id  price
    0          p    merchant:p   20.0
    """
    buy = events.loc[
        (events["type"] == "purchase").to_numpy(dtype=bool, na_value=False)
        & events["product_id"].notna().to_numpy(dtype=bool),
        ["product_id", "amount"],
    ]
    if buy.empty:
        return empty_table("products")
    amount = pd.to_numeric(buy["amount"]).astype("float64")
    p = (
        pd.DataFrame({"product_id": buy["product_id"].to_numpy(dtype=object), "amount": amount})
        .groupby("product_id", sort=False)["amount"]
        .median()
        .fillna(0.0)
        .reset_index()
    )
    p = p.rename(columns={"amount": "price"})
    p["advertiser_id"] = MERCHANT_PREFIX + p["product_id"].astype(str)
    return conform(TABLES["products"], p)


def derive_advertisers(
    products: pd.DataFrame, ad_spend: pd.DataFrame | None = None
) -> pd.DataFrame:
    """``advertisers`` named by the products and the ad spend (names unknown)."""
    parts = [products["advertiser_id"]]
    if ad_spend is not None and len(ad_spend):
        parts.append(ad_spend["advertiser_id"])
    return conform(TABLES["advertisers"], pd.DataFrame({"advertiser_id": _in_order(parts)}))


def _in_order(parts: list[pd.Series]) -> np.ndarray:
    """The distinct ids of ``parts``, in order of first appearance."""
    both = pd.concat([p.astype(object) for p in parts], ignore_index=True).dropna()
    return pd.unique(both.to_numpy(dtype=object))
