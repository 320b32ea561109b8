"""The value accounting (MODEL.md sections 4 and 5) on the tiny hand-made platform.

Every expected figure is worked out below from the fixture (tests/fixtures/README.md),
with the default parameters of MODEL.md section 10: tau_like 0.5, tau_comment 20,
tau_share 15 s; w_like 1, w_comment 3, w_share 5, w_purchase 4, w_watch 1; p_data 0.01;
alpha 1; take_rate 0.05; coin_yuan 0.0001; lambda 0.5; decay attribution, delta 0.5;
min_wage_hour 24.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from graphmodel.analysis.value import Accounts, distribution, extraction, ledger, value
from graphmodel.engines import MemoryStore
from graphmodel.model.accounting import USER_COLUMNS

# --- the arithmetic -----------------------------------------------------------------
# Streams: s1 lasts 3600 s, ad spend 300 + 100 = 400 over 1800+1200+600+900+300+600 = 5400
# watch seconds; s2 lasts 5400 s, spend 150 over 3600 + 1800 = 5400 s; s3: 80, unwatched.
# Base value b = attention + 0.05 x GMV + 0.01 x data units, per (user, stream):
B = {
    # u1 in s1: watch 1800 s (completion 0.5), 2 like events, 1 share
    ("u1", "s1"): 400 * 1800 / 5400 + 0.01 * ((1 + 4 * 0.5) + 2 * 1 + 5),
    # u1 in s2: watch 1800 of 5400 s, 1 comment
    ("u1", "s2"): 150 * 1800 / 5400 + 0.01 * ((1 + 4 * 1800 / 5400) + 3),
    # u2 in s1 (referred by u1): watch 1200 s, comment, share, purchase 50
    ("u2", "s1"): 400 * 1200 / 5400 + 0.05 * 50 + 0.01 * ((1 + 4 * 1200 / 3600) + 3 + 5 + 4),
    # u3 in s1 (referred by u1): watch 600 s, share
    ("u3", "s1"): 400 * 600 / 5400 + 0.01 * ((1 + 4 * 600 / 3600) + 5),
    # u4 in s1 (referred by u2, two hops below u1): watch 900 s, purchase 100
    ("u4", "s1"): 400 * 900 / 5400 + 0.05 * 100 + 0.01 * ((1 + 4 * 900 / 3600) + 4),
    # u5 in s1: two watches, 300 s and 600 s (organic arrival: not referred)
    ("u5", "s1"): 400 * 900 / 5400 + 0.01 * ((1 + 4 * 300 / 3600) + (1 + 4 * 600 / 3600)),
    # u6 in s2: watch 3600 of 5400 s, share, like, purchase 20
    ("u6", "s2"): 150 * 3600 / 5400 + 0.05 * 20 + 0.01 * ((1 + 4 * 3600 / 5400) + 5 + 1 + 4),
}
T = sum(B.values())  # 559.09 = 550 attention + 8.5 commerce + 0.59 data
# Referred arrivals keep half; the other half goes up the path. u4's path has two
# ancestors, u2 (1 hop) and u1 (2 hops): decay weights 1 / 1.5 and 0.5 / 1.5.
HALF = {w: 0.5 * B[(w, "s1")] for w in ("u2", "u3", "u4")}
R = {"u1": HALF["u2"] + HALF["u3"] + HALF["u4"] / 3, "u2": HALF["u4"] * 2 / 3}
KEPT = {
    "u1": B[("u1", "s1")] + B[("u1", "s2")],
    "u2": HALF["u2"], "u3": HALF["u3"], "u4": HALF["u4"],
    "u5": B[("u5", "s1")], "u6": B[("u6", "s2")],
}
# Value returned: coins x 0.0001 + redeemed coupons (u2's coupon was not redeemed).
V_RET = {"u1": 3600 * 0.0001 + 5.0, "u2": 3600 * 0.0001, "u6": 5.0}
LABOUR = {  # watch seconds + 0.5 x taps + 20 x comments + 15 x shares
    "u1": 1800 + 1800 + 0.5 * (3 + 1) + 20 * 1 + 15 * 1,  # 3637
    "u2": 1200 + 20 + 15,  # 1235
    "u3": 600 + 15,  # 615
    "u4": 900.0,
    "u5": 300 + 600.0,
    "u6": 3600 + 0.5 * 5 + 15,  # 3617.5
}
DATA_UNITS = {"u1": 10 + 3 + (1 + 4 / 3), "u2": 3 + 5 + 4 + (1 + 4 / 3), "u3": 5 + 1 + 4 / 6,
              "u4": 4 + 2.0, "u5": 3.0, "u6": 5 + 1 + 4 + (1 + 8 / 3)}


@pytest.fixture
def store(tiny_dir):
    return MemoryStore.open(tiny_dir)


def test_per_user_figures_by_hand(store):
    t = value(store, by="user").set_index("user_id")
    assert list(t.reset_index().columns) == USER_COLUMNS
    assert t.index.tolist() == ["u1", "u2", "u3", "u4", "u5", "u6"]
    for u in t.index:
        row = t.loc[u]
        produced = KEPT[u] + R.get(u, 0.0)
        returned = V_RET.get(u, 0.0)
        assert row["labour_s"] == pytest.approx(LABOUR[u], abs=1e-9), u
        assert row["data_units"] == pytest.approx(DATA_UNITS[u], abs=1e-9), u
        assert row["kept_value"] == pytest.approx(KEPT[u], abs=1e-9), u
        assert row["relational_value"] == pytest.approx(R.get(u, 0.0), abs=1e-9), u
        assert row["value_produced"] == pytest.approx(produced, abs=1e-9), u
        assert row["value_returned"] == pytest.approx(returned, abs=1e-12), u
        assert row["surplus"] == pytest.approx(produced - returned, abs=1e-9), u
        assert row["unpaid_share"] == pytest.approx((produced - returned) / produced), u
        assert row["hourly_wage"] == pytest.approx(returned / (LABOUR[u] / 3600)), u
        if returned:
            assert row["exploitation_rate"] == pytest.approx((produced - returned) / returned)
        else:
            assert math.isnan(row["exploitation_rate"]), u
    # the figures in words: u1 produced 263.46 yuan of value and got 5.36 back
    assert t.loc["u1", "value_produced"] == pytest.approx(263.462778, abs=1e-6)
    assert t.loc["u1", "exploitation_rate"] == pytest.approx(48.153503, abs=1e-6)


def test_platform_totals_by_hand(store):
    p = value(store, by="platform").iloc[0]
    returned = sum(V_RET.values())  # 10.72
    relational = 0.5 * (B[("u2", "s1")] + B[("u3", "s1")] + B[("u4", "s1")])  # 103.885
    assert p["users"] == 6
    assert p["labour_hours"] == pytest.approx(sum(LABOUR.values()) / 3600)
    assert p["attention_value"] == pytest.approx(550.0)  # 400 + 150; s3's 80 unallocated
    assert p["commerce_value"] == pytest.approx(0.05 * 170)
    assert p["data_value"] == pytest.approx(0.01 * 59)
    assert p["user_generated_value"] == pytest.approx(T) == pytest.approx(559.09)
    assert p["value_returned"] == pytest.approx(returned)
    assert p["surplus"] == pytest.approx(T - returned)
    assert p["exploitation_rate"] == pytest.approx((T - returned) / returned)  # 51.15
    assert p["relational_value"] == pytest.approx(relational) == pytest.approx(103.885)
    assert p["relational_share"] == pytest.approx(relational / T)
    assert p["unallocated_ad_spend"] == 80.0
    assert p["wholly_unpaid_users"] == 3  # u3, u4, u5 worked and got nothing
    assert p["below_min_wage_share"] == 1.0  # the best paid, u1, earns 5.31 yuan an hour


def test_per_stream_figures_by_hand(store):
    t = value(store, by="stream").set_index("stream_id")
    assert t.loc["s1", "user_generated_value"] == pytest.approx(
        sum(b for (u, s), b in B.items() if s == "s1"))
    assert t.loc["s1", "relational_value"] == pytest.approx(103.885)
    assert t.loc["s1", "viewers"] == 5 and t.loc["s2", "viewers"] == 2
    assert t.loc["s3", "viewers"] == 0 and t.loc["s3", "unallocated_ad_spend"] == 80.0
    assert t.loc["s1", "gmv"] == 150.0 and t.loc["s2", "gmv"] == 20.0
    assert t["user_generated_value"].sum() == pytest.approx(T)


@pytest.mark.parametrize(("model", "r_u1", "r_u2"), [
    # u4's 35.86 goes all to u2 (last), all to u1 (first), half each (linear)
    ("last", HALF["u2"] + HALF["u3"], HALF["u4"]),
    ("first", HALF["u2"] + HALF["u3"] + HALF["u4"], 0.0),
    ("linear", HALF["u2"] + HALF["u3"] + HALF["u4"] / 2, HALF["u4"] / 2),
    ("decay", R["u1"], R["u2"]),
])
def test_attribution_models_by_hand(store, model, r_u1, r_u2):
    t = value(store, by="user", params={"attribution": model}).set_index("user_id")
    assert t.loc["u1", "relational_value"] == pytest.approx(r_u1, abs=1e-9)
    assert t.loc["u2", "relational_value"] == pytest.approx(r_u2, abs=1e-9)
    assert t["value_produced"].sum() == pytest.approx(T, abs=1e-9)


def test_parameters_change_the_figures_as_the_formulas_say(store):
    # lambda = 0: nobody's value moves; V_u is the user's own base value
    t = value(store, by="user", params={"lambda": 0.0}).set_index("user_id")
    assert t["relational_value"].sum() == 0.0
    assert t.loc["u4", "value_produced"] == pytest.approx(B[("u4", "s1")])
    # decay with delta = 0 is "last"; with delta = 1 it is "linear"
    for delta, same in ((0.0, "last"), (1.0, "linear")):
        a = value(store, by="user", params={"delta": delta})
        b = value(store, by="user", params={"attribution": same})
        np.testing.assert_allclose(a["relational_value"], b["relational_value"], atol=1e-12)
    # doubling p_data doubles the data value; tau_comment moves u1's labour by 20 s per comment
    p = value(store, by="platform", params={"p_data": 0.02}).iloc[0]
    assert p["data_value"] == pytest.approx(2 * 0.59)
    t = value(store, by="user", params={"tau_comment": 40}).set_index("user_id")
    assert t.loc["u1", "labour_s"] == pytest.approx(LABOUR["u1"] + 20)


def test_capture_by_actor_by_hand(store):
    t = value(store, by="actor").set_index("actor")
    # GMV 170: s1's 150 hosted by h1 (commission 0.2), s2's 20 by h2 (0.3)
    assert t.loc["streamers", "cash"] == pytest.approx(150 * 0.2 + 20 * 0.3)  # 36
    assert t.loc["merchants", "cash"] == pytest.approx(170 - 36 - 0.05 * 170)  # 125.5
    assert t.loc["users", "cash"] == pytest.approx(10.72)
    # all 630 of ad spend (s3's unwatched 80 included) + take 8.5 - rewards 10.72
    assert t.loc["platform", "cash"] == pytest.approx(630 + 8.5 - 10.72)
    assert t.loc["platform", "data_asset"] == pytest.approx(0.59)
    assert t["share"].sum() == pytest.approx(1.0)
    # every yuan that flowed (GMV + ad spend) plus the data asset is someone's
    assert t["total"].sum() == pytest.approx(170 + 630 + 0.59)


def test_extraction_by_hand(store):
    t = extraction(store).set_index("user_id")
    assert t.index.tolist() == ["u1", "u2", "u6"]  # most relational value first
    # u1: 79.98 yuan of relational value against one 5-yuan share-task coupon
    assert t.loc["u1", "share_invite_rewards"] == 5.0
    assert t.loc["u1", "relational_per_reward"] == pytest.approx(R["u1"] / 5.0)
    assert t.loc["u1", "direct_referrals"] == 2 and t.loc["u1", "credited_arrivals"] == 3
    assert t.loc["u2", "share_invite_rewards"] == 0.0  # its coupon was never redeemed
    assert math.isnan(t.loc["u2", "relational_per_reward"])
    assert t.loc["u6", "unpaid_relational"] == -5.0  # paid 5 yuan, brought nobody
    p = extraction(store, by="platform").iloc[0]
    assert p["relational_share"] == pytest.approx(103.885 / T)
    assert p["share_invite_rewards"] == 10.0  # u1's and u6's redeemed coupons
    assert p["users_with_relational_value"] == 2


def test_distribution_by_hand(store):
    t = distribution(store).set_index("measure")
    # value returned: 0, 0, 0, 0.36, 5, 5.36 (sorted), total 10.72
    x = [0, 0, 0, 0.36, 5.0, 5.36]
    g = 2 * sum((i + 1) * v for i, v in enumerate(x)) / (6 * 10.72) - 7 / 6
    assert t.loc["value_returned", "gini"] == pytest.approx(g)
    assert t.loc["value_returned", "top10_share"] == pytest.approx(5.36 / 10.72)  # 1 of 6
    assert t.loc["value_returned", "zero_share"] == pytest.approx(0.5)
    assert t.loc["value_produced", "total"] == pytest.approx(T)
    lz = distribution(store, lorenz=True, points=7)
    r = lz.loc[lz["measure"] == "value_returned", "value_share"].to_numpy()
    np.testing.assert_allclose(r, np.cumsum([0] + x) / 10.72)


def test_ledger_itemises_the_user_row(store):
    acc = Accounts.from_store(store)
    users = value(store, by="user", accounts=acc).set_index("user_id")
    for u in users.index:
        led = ledger(store, u, accounts=acc)
        total = led.loc[led["entry"] == "total"].iloc[0]
        assert total["labour_s"] == pytest.approx(users.loc[u, "labour_s"])
        assert total["data_units"] == pytest.approx(users.loc[u, "data_units"])
        assert total["kept_value"] == pytest.approx(users.loc[u, "kept_value"])
        assert total["credit"] == pytest.approx(users.loc[u, "relational_value"])
        assert total["returned"] == pytest.approx(users.loc[u, "value_returned"])
    led = ledger(store, "u4").set_index("source")
    # u4's purchase of p1 fed merchant a1; its watch fed s1's sponsors a1 and a2
    assert led.loc["e09", "fed"] == "a1" and led.loc["e08", "fed"] == "a1,a2"
    assert led.loc["e09", "commerce_value"] == pytest.approx(5.0)
    assert led.loc["e08", "to_referrers"] == pytest.approx(0.5 * (400 * 900 / 5400 + 0.02))
    led = ledger(store, "u1")
    credit = led.loc[led["entry"] == "credit"].set_index("source")["credit"]
    assert credit.to_dict() == pytest.approx({"u2": HALF["u2"], "u3": HALF["u3"],
                                              "u4": HALF["u4"] / 3})


def test_results_record_their_parameters(store):
    df = value(store, by="platform", params={"lambda": 0.25})
    meta = df.attrs["meta"]
    assert meta["command"] == "value" and meta["params"]["lambda"] == 0.25
    assert meta["params"]["attribution"] == "decay"
