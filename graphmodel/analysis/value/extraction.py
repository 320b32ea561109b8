"""Extraction of social-relation value ([docs/model.md, 5.5 and 5.6][model-5-5]; paper section 3.3).

Per user ``u``: the relational value ``R_u`` (credit received from the
arrivals ``u``'s shares brought, directly or down the chain) set against
what the platform paid ``u`` for its social relations, the rewards of
``share`` and ``invite`` tasks:

    relational_per_reward = R_u / share_invite_rewards_u        (null where no reward)
    unpaid_relational     = R_u - share_invite_rewards_u

Platform level: the share of ``T`` that flowed through social relations,
``sum R_u / T``, and the same ratio of relational value to social-task rewards.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["EXTRACTION_COLUMNS", "EXTRACTION_PLATFORM_COLUMNS", "extraction_table",
           "extraction_platform"]

EXTRACTION_COLUMNS = ["user_id", "relational_value", "share_invite_rewards",
                      "unpaid_relational", "relational_per_reward", "direct_referrals",
                      "credited_arrivals", "value_produced", "relational_share_of_produced"]
EXTRACTION_PLATFORM_COLUMNS = ["user_generated_value", "relational_value", "relational_share",
                               "share_invite_rewards", "relational_per_reward",
                               "users_with_relational_value", "top10_relational_share"]


def _ratio(a, b):
    out = np.full(np.shape(a), np.nan)
    np.divide(a, b, out=out, where=np.asarray(b) != 0)
    return out


def extraction_table(users: pd.DataFrame, credit: pd.DataFrame,
                     rewards: pd.DataFrame) -> pd.DataFrame:
    """Every user with relational value or social-task rewards, most relational value first."""
    ids = users["user_id"].to_numpy(object)
    social = rewards["share_invite_rewards"].reindex(ids, fill_value=0.0).to_numpy()
    direct = (credit.loc[credit["hops"] == 1].groupby("ancestor_id").size()
              .reindex(ids, fill_value=0).to_numpy("int64"))
    arrivals = credit.groupby("ancestor_id").size().reindex(ids, fill_value=0).to_numpy("int64")
    rel = users["relational_value"].to_numpy("float64")
    produced = users["value_produced"].to_numpy("float64")
    df = pd.DataFrame({
        "user_id": users["user_id"].to_numpy(),
        "relational_value": rel,
        "share_invite_rewards": social,
        "unpaid_relational": rel - social,
        "relational_per_reward": _ratio(rel, social),
        "direct_referrals": direct,
        "credited_arrivals": arrivals,
        "value_produced": produced,
        "relational_share_of_produced": _ratio(rel, produced),
    })
    df = df.loc[(rel > 0) | (social > 0)]
    return df.sort_values(["relational_value", "user_id"], ascending=[False, True],
                          ignore_index=True)


def extraction_platform(users: pd.DataFrame, rewards: pd.DataFrame,
                        total_value: float) -> pd.DataFrame:
    """One row of platform-level social-relation extraction."""
    rel = users["relational_value"].to_numpy("float64")
    social = float(rewards["share_invite_rewards"].sum())
    positive = np.sort(rel[rel > 0])[::-1]
    k = max(1, int(np.ceil(0.1 * positive.size))) if positive.size else 0
    return pd.DataFrame([{
        "user_generated_value": total_value,
        "relational_value": float(rel.sum()),
        "relational_share": float(rel.sum()) / total_value if total_value else np.nan,
        "share_invite_rewards": social,
        "relational_per_reward": float(rel.sum()) / social if social else np.nan,
        "users_with_relational_value": int(positive.size),
        "top10_relational_share": float(positive[:k].sum() / positive.sum())
        if positive.size else np.nan,
    }], columns=EXTRACTION_PLATFORM_COLUMNS)
