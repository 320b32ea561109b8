"""Who captures each yuan: value by actor class ([docs/model.md, 5.6][model-5-6]), cash and data assets apart.

From the log's GMV (purchases), ad spend and rewards:

==========  =============================================  ==================
actor       cash (yuan)                                    data asset (yuan)
==========  =============================================  ==================
users       value returned: coins x coin_yuan + redeemed     0
            coupons (sum v_u)
streamers   commission_rate of the stream's host x GMV       0
merchants   GMV - streamer commission - take_rate x GMV      0
platform    all ad spend + take_rate x GMV - sum v_u         alpha x p_data x sum D
==========  =============================================  ==================

All ad spend is platform cash, including spend on streams nobody watched
(unallocated in the user accounting, still cash to the platform). Rewards
are paid out of the platform's cash. ``share`` is each actor's part of the
total (cash + data asset), the whole being the money that flowed (GMV + ad
spend) plus the data asset created.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["ACTOR_COLUMNS", "capture_table"]

ACTOR_COLUMNS = ["actor", "cash", "data_asset", "total", "share"]


def capture_table(pair_values: pd.DataFrame, streams: pd.DataFrame, streamers: pd.DataFrame,
                  ad_spend: pd.DataFrame, value_returned: float, params) -> pd.DataFrame:
    """Rows users, streamers, merchants, platform; columns `ACTOR_COLUMNS`."""
    host = streams.set_index("stream_id")["streamer_id"]
    rate = streamers.set_index("streamer_id")["commission_rate"].astype("float64")
    gmv_by_stream = pair_values.groupby("stream_id", sort=False)["gmv"].sum()
    commission_rate = rate.reindex(host.reindex(gmv_by_stream.index).to_numpy()).to_numpy()
    gmv = float(gmv_by_stream.sum())
    commission = float((gmv_by_stream.to_numpy() * commission_rate).sum())
    take = params["take_rate"] * gmv
    spend = float(ad_spend["spend"].sum())
    data = float(pair_values["data_value"].sum())
    rows = [
        ("users", value_returned, 0.0),
        ("streamers", commission, 0.0),
        ("merchants", gmv - commission - take, 0.0),
        ("platform", spend + take - value_returned, data),
    ]
    df = pd.DataFrame(rows, columns=["actor", "cash", "data_asset"])
    df["total"] = df["cash"] + df["data_asset"]
    whole = df["total"].sum()
    df["share"] = df["total"] / whole if whole else float("nan")
    return df[ACTOR_COLUMNS]
