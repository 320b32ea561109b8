"""Forward diffusion (docs/diffusion.md): the probability rules on the tiny log by hand, and IC/LT
Monte Carlo against exact expected spreads on tiny graphs.

Exact values enumerate every live-edge graph (Kempe, Kleinberg & Tardos 2003): for IC each
edge is live with probability p (2^m graphs); for LT each node keeps at most one in-edge,
u -> w with probability b_uw, none with 1 - sum b (the product of (in-degree + 1) choices).

Tolerance: a Monte Carlo mean of R runs has standard error se = sd / sqrt(R); the tests
accept |mean - exact| <= 4 se. A correct kernel misses that with probability 6e-5, while
a wrong one (a biased coin, a lost edge, a threshold off by one weight) moves the mean by
far more than 4 se at the run counts used (se ~ 0.005-0.01 nodes).
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

import graphmodel
from graphmodel.analysis.diffusion import DiffusionGraph, expected_spread, spread_samples
from graphmodel.analysis.diffusion.edges import apply_rule, influence_edges
from graphmodel.analysis.diffusion.graph import social_graph
from graphmodel.analysis.diffusion.montecarlo import Z95, Spread
from graphmodel.analysis.diffusion.rng import keys, next_uniform, sample_key, stream, uniform
from graphmodel.errors import UserError

# --- exact expected spreads -------------------------------------------------


def reach(n, edges, seeds):
    """Nodes reachable from ``seeds`` over ``edges`` (pairs)."""
    out = [[] for _ in range(n)]
    for u, w in edges:
        out[u].append(w)
    seen, stack = set(seeds), list(seeds)
    while stack:
        for w in out[stack.pop()]:
            if w not in seen:
                seen.add(w)
                stack.append(w)
    return len(seen)


def exact_ic(g: DiffusionGraph, seeds) -> float:
    total = 0.0
    pairs = list(zip(g.src.tolist(), g.dst.tolist()))
    for live in itertools.product((False, True), repeat=g.m):
        pr = np.prod([p if on else 1 - p for p, on in zip(g.prob, live)])
        total += pr * reach(g.n, [e for e, on in zip(pairs, live) if on], seeds)
    return total


def exact_lt(g: DiffusionGraph, seeds) -> float:
    """Enumerate each node's kept in-edge (or none) with probability its weight."""
    choices = []
    for w in range(g.n):
        ins = [(int(u), float(b)) for u, t, b in zip(g.src, g.dst, g.weight) if t == w]
        choices.append([(None, 1.0 - sum(b for _, b in ins))] + ins)
    total = 0.0
    for pick in itertools.product(*choices):
        pr = np.prod([b for _, b in pick])
        edges = [(u, w) for w, (u, _) in enumerate(pick) if u is not None]
        total += pr * reach(g.n, edges, seeds)
    return total


def close(spread, exact):
    return abs(spread.mean - exact) <= 4 * spread.se


# Eight edges with a cycle (a -> b -> d -> a), a shortcut b -> c and reconvergence at d;
# d's in-weights sum to 1.4, so LT normalises them.
CYCLE = DiffusionGraph.from_edges(
    list("abcde"),
    [0, 0, 1, 2, 1, 3, 3, 4],
    [1, 2, 3, 3, 2, 0, 4, 1],
    [0.5, 0.3, 0.6, 0.8, 0.4, 0.2, 0.7, 0.25],
)
# A denser 5-node graph: 12 edges.
DENSE = DiffusionGraph.from_edges(
    list("vwxyz"),
    [0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 1, 0],
    [1, 2, 2, 3, 3, 4, 4, 0, 0, 1, 0, 3],
    [0.3, 0.6, 0.5, 0.2, 0.45, 0.35, 0.5, 0.15, 0.4, 0.25, 0.1, 0.3],
)
CASES = [(CYCLE, [0]), (CYCLE, [2, 4]), (DENSE, [0]), (DENSE, [1, 3])]


@pytest.mark.parametrize("graph,seeds", CASES)
def test_ic_monte_carlo_matches_exact_enumeration(graph, seeds):
    exact = exact_ic(graph, seeds)
    s = expected_spread(graph, seeds, "ic", runs=40_000, seed=3)
    assert close(s, exact), (s, exact)
    assert s.se < 0.01


@pytest.mark.parametrize("graph,seeds", CASES)
def test_lt_thresholds_match_exact_live_edge_enumeration(graph, seeds):
    exact = exact_lt(graph, seeds)
    s = expected_spread(graph, seeds, "lt", runs=40_000, seed=4)
    assert close(s, exact), (s, exact)
    assert s.se < 0.01


@pytest.mark.parametrize("graph,seeds", CASES)
def test_the_exact_values_tell_the_models_apart(graph, seeds):
    # se < 0.01 at 40,000 runs, so the tolerance is < 0.04: a kernel that ran the other
    # model, or stopped at the seeds, would fail the tests above
    ic, lt = exact_ic(graph, seeds), exact_lt(graph, seeds)
    assert abs(ic - lt) > 0.04 and min(ic, lt) > len(seeds) + 0.5


def test_lt_weights_are_normalised_where_they_sum_above_one():
    d_in = CYCLE.dst == 3  # b -> d 0.6, c -> d 0.8: sum 1.4
    assert np.allclose(CYCLE.weight[d_in], [0.6 / 1.4, 0.8 / 1.4])
    b_in = CYCLE.dst == 1  # a -> b 0.5, e -> b 0.25: sum 0.75, unchanged
    assert np.allclose(CYCLE.weight[b_in], [0.5, 0.25])
    sums = np.bincount(CYCLE.dst, weights=CYCLE.weight, minlength=CYCLE.n)
    assert np.all(sums <= 1 + 1e-12)


def test_certain_and_impossible_edges_give_exact_spreads():
    src, dst = [0, 1, 2, 4], [1, 2, 0, 3]
    ones = DiffusionGraph.from_edges(list("abcde"), src, dst, [1.0] * 4)
    zeros = DiffusionGraph.from_edges(list("abcde"), src, dst, [0.0] * 4)
    for model in ("ic", "lt"):
        s = expected_spread(ones, [0], model, runs=200)
        assert (s.mean, s.sd, s.ci_low, s.ci_high) == (3.0, 0.0, 3.0, 3.0)
        assert expected_spread(ones, [4], model, runs=50).mean == 2.0
        assert expected_spread(zeros, [0, 4], model, runs=50).mean == 2.0
        assert expected_spread(ones, [3], model, runs=50).mean == 1.0  # no out-edges


def test_the_interval_is_mean_plus_minus_196_standard_errors():
    x = spread_samples(CYCLE, [0], "ic", runs=500, seed=1)
    s = expected_spread(CYCLE, [0], "ic", runs=500, seed=1)
    se = x.std(ddof=1) / np.sqrt(500)
    assert s.mean == x.mean() and abs(s.ci_high - s.mean - 1.959964 * se) < 1e-6
    assert abs(s.mean - s.ci_low - 1.959964 * se) < 1e-6


# --- reproducibility ---------------------------------------------------------


@pytest.mark.parametrize("model", ["ic", "lt"])
def test_the_same_seed_gives_the_same_runs_on_any_threads(model):
    a = spread_samples(DENSE, [0], model, runs=3000, seed=7, threads=1)
    b = spread_samples(DENSE, [0], model, runs=3000, seed=7, threads=2)
    c = spread_samples(DENSE, [0], model, runs=3000, seed=7, threads=2,
                       progress=lambda *_: None)  # progress cuts the runs into more chunks
    assert np.array_equal(a, b) and np.array_equal(a, c)
    d = spread_samples(DENSE, [0], model, runs=3000, seed=8)
    assert not np.array_equal(a, d)
    # the first runs do not depend on how many runs follow
    assert np.array_equal(spread_samples(DENSE, [0], model, runs=100, seed=7), a[:100])


def test_random_numbers_are_uniform_and_keyed():
    k = keys(0, 2)
    assert k[0] != k[1] and np.array_equal(keys(0, 1), k[:1])
    kr = sample_key(k[0], 3)
    u = np.array([uniform(kr, i) for i in range(20_000)])
    assert u.min() >= 0 and u.max() < 1
    assert abs(u.mean() - 0.5) < 4 * np.sqrt(1 / 12 / 20_000)
    assert abs(np.mean(u < 0.1) - 0.1) < 4 * np.sqrt(0.09 / 20_000)
    assert uniform(sample_key(k[0], 4), 0) != uniform(kr, 0)
    # the sequential stream of the forward kernels
    s0, s1 = stream(kr)
    v = np.empty(20_000)
    for i in range(len(v)):  # (from Python, keep the state unsigned as the kernels do)
        v[i], s0, s1 = next_uniform(np.uint64(s0), np.uint64(s1))
    assert v.min() >= 0 and v.max() < 1
    assert abs(v.mean() - 0.5) < 4 * np.sqrt(1 / 12 / 20_000)
    assert abs(np.corrcoef(v[:-1], v[1:])[0, 1]) < 4 / np.sqrt(20_000)


def test_progress_reaches_the_total():
    calls = []
    spread_samples(CYCLE, [0], "ic", runs=100, progress=lambda s, d, t: calls.append((d, t)))
    assert calls[-1] == (100, 100) and len(calls) > 1


# --- the graph and the probability rules on the tiny log -------------------------


@pytest.fixture(scope="module")
def tiny_store():
    from pathlib import Path

    return graphmodel.MemoryStore.open(Path(__file__).parent / "fixtures" / "tiny")


def table(store, **kw) -> dict:
    df = graphmodel.diffusion_edges(store, **kw)
    return {(s, t): row for s, t, row in zip(df["source"], df["target"], df.to_dict("records"))}


def test_influence_edges_of_the_tiny_log(tiny_store):
    e = table(tiny_store)
    # follows u3 -> u1 and u5 -> u2 reversed; friends u1-u2, u2-u4, u3-u6 both ways;
    # the three follows of streamers are left out
    assert sorted(e) == [("u1", "u2"), ("u1", "u3"), ("u2", "u1"), ("u2", "u4"), ("u2", "u5"),
                         ("u3", "u6"), ("u4", "u2"), ("u6", "u3")]
    assert {k: v["referrals"] for k, v in e.items() if v["referrals"]} == {
        ("u1", "u2"): 1, ("u1", "u3"): 1, ("u2", "u4"): 1}
    # streams in which the source shared: u1, u2, u3 in s1, u6 in s2, u4 never
    assert {k: v["exposures"] for k, v in e.items()} == {
        ("u1", "u2"): 1, ("u1", "u3"): 1, ("u2", "u1"): 1, ("u2", "u4"): 1, ("u2", "u5"): 1,
        ("u3", "u6"): 1, ("u4", "u2"): 0, ("u6", "u3"): 1}
    meta = graphmodel.diffusion_edges(tiny_store).attrs["meta"]
    assert meta["graph"]["follow_rows_to_streamers"] == 3
    assert meta["graph"]["referrals_off_graph"] == 0


def test_weighted_cascade_is_one_over_in_degree(tiny_store):
    p = {k: v["p"] for k, v in table(tiny_store, probability="wc").items()}
    assert p == {("u1", "u2"): 0.5, ("u1", "u3"): 0.5, ("u2", "u1"): 1.0, ("u2", "u4"): 1.0,
                 ("u2", "u5"): 1.0, ("u3", "u6"): 1.0, ("u4", "u2"): 0.5, ("u6", "u3"): 0.5}


def test_estimated_probabilities_by_hand(tiny_store):
    # pooled rate p0 = 3 referrals / 7 exposures; p = (r + m p0) / (x + m), m = 1;
    # u4 never shared: its edge gets p0
    p0 = 3 / 7
    e = table(tiny_store, probability="estimated")
    want = {("u1", "u2"): 5 / 7, ("u1", "u3"): 5 / 7, ("u2", "u4"): 5 / 7,
            ("u2", "u1"): 3 / 14, ("u2", "u5"): 3 / 14, ("u3", "u6"): 3 / 14,
            ("u6", "u3"): 3 / 14, ("u4", "u2"): p0}
    assert all(abs(e[k]["p"] - v) < 1e-12 for k, v in want.items())
    # LT: u2's in-weights 5/7 + 3/7 = 8/7 > 1 are scaled to 5/8 and 3/8; u3's sum to 13/14
    assert abs(e[("u1", "u2")]["lt_weight"] - 5 / 8) < 1e-12
    assert abs(e[("u4", "u2")]["lt_weight"] - 3 / 8) < 1e-12
    assert abs(e[("u1", "u3")]["lt_weight"] - 5 / 7) < 1e-12
    meta = graphmodel.diffusion_edges(tiny_store, probability="estimated").attrs["meta"]
    assert abs(meta["graph"]["pooled_rate"] - p0) < 1e-12
    raw = table(tiny_store, probability="estimated", smoothing=0)
    assert [raw[k]["p"] for k in [("u1", "u2"), ("u2", "u1"), ("u4", "u2")]] == [1.0, 0.0, p0]


def test_constant_probability_and_its_lt_weights(tiny_store):
    e = table(tiny_store, probability="constant", p=0.9)
    assert {v["p"] for v in e.values()} == {0.9}
    # u2 has two in-edges: 1.8 > 1, so 0.5 each; u1 has one: 0.9
    assert e[("u1", "u2")]["lt_weight"] == 0.5 and e[("u2", "u1")]["lt_weight"] == 0.9


def test_a_second_share_in_the_same_stream_is_not_a_second_exposure(tiny_copy):
    # u1 shares again in s1; u4 (who watched s1 from 20:30) shares there too
    tiny_copy.append("events", "e21,u1,s1,share,2024-03-01T20:20:00,,,,,qq,",
                     "e22,u4,s1,share,2024-03-01T20:35:00,,,,,wechat,")
    store = graphmodel.MemoryStore.open(tiny_copy.path)
    e = table(store, probability="estimated")
    assert e[("u1", "u2")]["exposures"] == 1 and e[("u4", "u2")]["exposures"] == 1
    p0 = 3 / 8  # one more exposure on u4's single edge
    assert abs(e[("u4", "u2")]["p"] - p0 / 2) < 1e-12
    assert abs(e[("u1", "u2")]["p"] - (1 + p0) / 2) < 1e-12


def test_rule_errors():
    edges = pd.DataFrame({"source": [0], "target": [1], "referrals": [0], "exposures": [0],
                          "in_degree": [1]})
    with pytest.raises(UserError, match="no shares"):
        apply_rule(edges, "estimated")
    with pytest.raises(UserError, match="needs --p"):
        apply_rule(edges, "constant")
    with pytest.raises(UserError, match="--probability constant"):
        apply_rule(edges, "wc", p=0.1)
    with pytest.raises(UserError, match="unknown probability rule"):
        apply_rule(edges, "uniform")
    with pytest.raises(UserError, match=r"\[0, 1\]"):
        apply_rule(edges, "constant", p=1.5)


def test_simulate_spread_on_the_tiny_log_by_hand(tiny_store):
    # wc: u2 -> u1, u4, u5 with probability 1; u1 -> u3 and u1 -> u2 with 1/2; u3 -> u6 with 1.
    # From u2: u1, u4, u5 surely, u3 with 1/2 and then u6: 4 + 2 * 1/2 = 5, sd 1
    df = graphmodel.simulate_spread(tiny_store, ["u2"], runs=4000, seed=1)
    row = df.iloc[0]
    assert abs(row["spread"] - 5.0) <= 4 * 1.0 / np.sqrt(4000) and abs(row["sd"] - 1) < 0.05
    assert row["ci_low"] < row["spread"] < row["ci_high"]
    assert list(df.columns) == graphmodel.analysis.diffusion.api.SIMULATE_COLUMNS
    meta = df.attrs["meta"]
    assert meta["seed"] == 1 and meta["params"]["seeds"] == ["u2"] and meta["params"]["runs"] == 4000
    with pytest.raises(UserError, match="unknown seed user id.*nobody.*ghost"):
        graphmodel.simulate_spread(tiny_store, ["u1", "nobody", "ghost"])
    with pytest.raises(UserError, match="unknown seed"):
        graphmodel.simulate_spread(tiny_store, ["h1"])  # a streamer is not a node


def test_the_graph_of_a_generated_log_matches_its_follows():
    log = graphmodel.generate(graphmodel.GeneratorConfig(users=300, days=1, seed=2))
    store = graphmodel.MemoryStore(log)
    users, edges, _ = influence_edges(store)
    g = social_graph(store)
    f = log["follows"]
    users_set = set(log["users"]["user_id"])
    pairs = {(b, a) for a, b in zip(f["follower_id"], f["followee_id"]) if b in users_set}
    pairs |= {(a, b) for a, b, k in zip(f["follower_id"], f["followee_id"], f["kind"])
              if k == "friend"}
    got = set(zip(users[edges["source"]].tolist(), users[edges["target"]].tolist()))
    assert got == pairs and g.m == len(pairs)
    # weighted cascade: every node with in-edges has in-probabilities summing to 1
    has_in = np.bincount(g.dst, minlength=g.n) > 0
    assert np.allclose(np.bincount(g.dst, weights=g.prob, minlength=g.n)[has_in], 1.0)


def test_the_interval_never_leaves_the_possible_spreads():
    """A skewed spread over few runs: the normal interval would reach below the seed count
    (the seeds are always active) and above the number of users."""
    s = Spread.of(np.array([1] * 9 + [50]), low=1, high=50)
    assert s.mean == 5.9 and s.mean - Z95 * s.se < 1  # the unclipped lower end
    assert s.ci_low == 1.0 and s.ci_high == pytest.approx(5.9 + Z95 * s.se)
    assert Spread.of(np.array([50] * 9 + [1]), low=1, high=50).ci_high == 50.0
    # a seed that rarely reaches a hub of 40 leaves: spread 1, or 42 with probability 0.1
    leaves = [f"l{i}" for i in range(40)]
    graph = DiffusionGraph.from_edges(["seed", "hub", *leaves], [0] + [1] * 40,
                                      list(range(1, 42)), [0.1] + [1.0] * 40)
    clipped = 0
    for seed in range(20):
        s = expected_spread(graph, [0, 0], "ic", runs=10, seed=seed)
        assert 1.0 <= s.ci_low <= s.mean <= s.ci_high <= 42.0
        clipped += s.mean - Z95 * s.se < 1
    assert clipped > 0  # the case the clipping is for did occur
