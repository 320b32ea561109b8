"""Invariants of the value accounting on generated platforms, for any parameters.

Conservation (MODEL.md 5.5): sum of V_u over users = sum of b over (user, stream) = T,
for every attribution model; each attribution model's defining property; the user,
stream and platform views adding up to the same totals.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import graphmodel
from graphmodel.analysis.value import Accounts
from graphmodel.analysis.value.capture import capture_table
from graphmodel.params import Params


@pytest.fixture(scope="module")
def platforms():
    out = []
    for seed, users in ((3, 600), (11, 400)):
        log = graphmodel.generate(graphmodel.GeneratorConfig(users=users, days=2, seed=seed))
        out.append(Accounts.from_store(graphmodel.MemoryStore(log)))
    assert all(len(a.paths) > 20 and a.paths["depth"].max() >= 2 for a in out)
    return out


params_strategy = st.fixed_dictionaries({
    "attribution": st.sampled_from(["decay", "linear", "last", "first"]),
    "lambda": st.floats(0.0, 1.0),
    "delta": st.floats(0.0, 1.0),
    "alpha": st.floats(0.0, 5.0),
    "p_data": st.floats(0.0, 0.1),
    "take_rate": st.floats(0.0, 0.3),
    "w_watch": st.floats(0.0, 3.0),
    "tau_like": st.floats(0.0, 5.0),
})


@settings(max_examples=40, deadline=None)
@given(values=params_strategy, which=st.integers(0, 1))
def test_value_is_conserved(platforms, values, which):
    acc = platforms[which]
    p = Params(values)
    pv = acc.pair_values(p)
    users = acc.user_table(p)
    total = pv["base_value"].sum()
    assert users["value_produced"].sum() == pytest.approx(total, rel=1e-9, abs=1e-9)
    assert (users["value_produced"] >= -1e-12).all()
    # what the referred gave up is exactly what their ancestors received
    given_up = p["lambda"] * pv.loc[pv["referred"], "base_value"].sum()
    assert users["relational_value"].sum() == pytest.approx(given_up, rel=1e-9, abs=1e-9)
    streams = acc.stream_table(p)
    assert streams["user_generated_value"].sum() == pytest.approx(total, rel=1e-9, abs=1e-9)
    assert streams["labour_s"].sum() == pytest.approx(users["labour_s"].sum(), rel=1e-12)
    plat = acc.platform_table(p, users).iloc[0]
    assert plat["surplus"] == pytest.approx(total - users["value_returned"].sum(), abs=1e-9)
    np.testing.assert_allclose(users["surplus"], users["value_produced"]
                               - users["value_returned"], atol=1e-12)


@settings(max_examples=25, deadline=None)
@given(model=st.sampled_from(["decay", "linear", "last", "first"]),
       delta=st.floats(0.05, 0.95), lam=st.floats(0.1, 1.0))
def test_each_attribution_model_has_its_defining_property(platforms, model, delta, lam):
    acc = platforms[0]
    p = Params({"attribution": model, "delta": delta, "lambda": lam})
    pv = acc.pair_values(p)
    cr = acc.credit(p, pv).merge(acc.paths, on=["user_id", "stream_id", "hops"])
    b = pv.set_index(["user_id", "stream_id"])["base_value"]
    per_arrival = cr.groupby(["user_id", "stream_id"])["credit"].sum()
    np.testing.assert_allclose(per_arrival.to_numpy(),
                               lam * b.reindex(per_arrival.index).to_numpy(), atol=1e-12)
    paid = cr.loc[cr["credit"] > 0]
    if model == "last":
        assert (paid["hops"] == 1).all()
    elif model == "first":
        assert (paid["hops"] == paid["depth"]).all()
    elif model == "linear":
        spread = cr.groupby(["user_id", "stream_id"])["credit"].agg(["min", "max"])
        np.testing.assert_allclose(spread["min"], spread["max"], atol=1e-12)
    else:  # decay: each hop up gets delta times the hop below
        deep = cr.loc[cr["depth"] >= 2].sort_values(["user_id", "stream_id", "hops"])
        ratio = deep.groupby(["user_id", "stream_id"])["credit"].apply(
            lambda c: (c.to_numpy()[1:] / c.to_numpy()[:-1]))
        got = np.concatenate(ratio.to_numpy())
        got = got[np.isfinite(got)]
        np.testing.assert_allclose(got, delta, rtol=1e-9)


def test_capture_accounts_for_every_yuan(platforms):
    acc = platforms[0]
    p = Params()
    pv = acc.pair_values(p)
    returned = acc.rewards(p)["value_returned"].sum()
    t = capture_table(pv, acc.tables["streams"], acc.tables["streamers"],
                      acc.tables["ad_spend"], returned, p).set_index("actor")
    flowed = pv["gmv"].sum() + acc.tables["ad_spend"]["spend"].sum()
    assert t["total"].sum() == pytest.approx(flowed + pv["data_value"].sum(), rel=1e-12)
    assert (t.loc[["users", "streamers", "merchants"], "data_asset"] == 0).all()
