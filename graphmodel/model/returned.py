"""Value returned to users: task rewards ([docs/model.md, 5.4][model-5-4]).

    v_u = coins_u x coin_yuan + sum of coupons u actually redeemed

Unredeemed coupons are worth nothing. Rewards are per user, not per stream.
``share_invite_rewards`` is the part of ``v_u`` earned by ``share`` and
``invite`` tasks: what the platform paid for the user's social relations
([docs/model.md, 5.6][model-5-6], social-relation extraction).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["value_returned", "rewards"]

SOCIAL_TASKS = ("share", "invite")


def value_returned(coins, coupons_redeemed, params) -> np.ndarray:
    """``v = coins x coin_yuan + redeemed coupons`` (yuan), per row.

    >>> value_returned([1000.0], [2.5], {"coin_yuan": 0.0001}).tolist()
    [2.6]
    """
    return (np.asarray(coins, dtype="float64") * float(params["coin_yuan"])
            + np.asarray(coupons_redeemed, dtype="float64"))


def rewards(completions: pd.DataFrame, tasks: pd.DataFrame, params) -> pd.DataFrame:
    """Per user with any completion: ``coins``, ``coupons_redeemed``, ``value_returned``,
    ``share_invite_rewards`` (yuan)."""
    tc = completions
    redeemed = tc["coupon_redeemed"].to_numpy(bool, na_value=False)
    yuan = value_returned(tc["coins"].to_numpy("float64", na_value=0.0),
                          np.where(redeemed, tc["coupon"].to_numpy("float64", na_value=0.0), 0.0),
                          params)
    kind = tc["task_id"].map(pd.Series(tasks["kind"].to_numpy(object),
                                       index=tasks["task_id"].to_numpy(object)))
    social = kind.isin(SOCIAL_TASKS).to_numpy(bool)
    frame = pd.DataFrame({
        "user_id": tc["user_id"].to_numpy(object),
        "coins": tc["coins"].to_numpy("float64", na_value=0.0),
        "coupons_redeemed": np.where(redeemed, tc["coupon"].to_numpy("float64", na_value=0.0),
                                     0.0),
        "value_returned": yuan,
        "share_invite_rewards": np.where(social, yuan, 0.0),
    })
    return frame.groupby("user_id", sort=True).sum()
