"""Forward simulation and influence maximisation on a platform's social graph ([docs/model.md, section 6][model-6]).

Three functions of a store, each returning a DataFrame with its metadata in
``df.attrs["meta"]`` (every parameter and the seed):

- [`diffusion_edges`][graphmodel.analysis.diffusion.api.diffusion_edges]: the influence edges with their log counts, IC
  probability and LT weight under a probability rule;
- [`simulate_spread`][graphmodel.analysis.diffusion.api.simulate_spread]: the expected spread of a seed set under IC or LT,
  by Monte Carlo, with a 95% confidence interval;
- [`influence_max`][graphmodel.analysis.diffusion.api.influence_max]: ``k`` seeds by IMM, CELF or the degree baseline, with
  their spread evaluated by an independent Monte Carlo run.

The default probability rule is ``wc`` (weighted cascade): it needs no
parameter and is the standard benchmark setting of the influence-maximisation
literature, so results compare across logs and papers. ``estimated`` reads
the probabilities from the log's referrals (see ``docs/diffusion.md`` for
what its "activation" means).
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from graphmodel.analysis.diffusion.graph import DiffusionGraph, social_graph
from graphmodel.analysis.diffusion.parallel import Progress
from graphmodel.errors import UserError
from graphmodel.output import make_meta, store_meta, with_meta

# The numba-compiled modules (montecarlo, rrsets, imm, celf, rng) are imported inside the
# functions: ``import graphmodel`` and every other command stay free of numba's start-up.

__all__ = ["METHODS", "SIMULATE_COLUMNS", "INFLUENCE_COLUMNS", "diffusion_edges",
           "simulate_spread", "influence_max"]

#: Influence-maximisation methods.
METHODS = ("imm", "celf", "degree")

#: Columns of [`simulate_spread`][graphmodel.analysis.diffusion.api.simulate_spread] (one row).
SIMULATE_COLUMNS = ["seeds", "n_seeds", "model", "probability", "runs", "spread", "sd",
                    "ci_low", "ci_high", "seconds"]

#: Columns of [`influence_max`][graphmodel.analysis.diffusion.api.influence_max] (one row per seed, in the order chosen).
INFLUENCE_COLUMNS = ["rank", "user_id", "out_degree", "gain", "spread", "ci_low", "ci_high",
                     "seconds"]


def _meta(store, command: str, params: dict, seed: int | None, graph: DiffusionGraph,
          **extra) -> dict:
    if store is None:  # a graph file (graphmodel.analysis.diffusion.network)
        info = {k: v for k, v in graph.info.items() if k != "notes"}
        notes = graph.info.get("notes")
        if notes:
            extra["notes"] = list(notes)
        return make_meta(command, str(info.get("source")), params, seed=seed, graph=info,
                         **extra)
    meta = store_meta(store, command, params, graph=graph.info, **extra)
    if meta.get("seed") is not None:
        meta["log_seed"] = meta["seed"]
    meta["seed"] = seed
    return meta


def _warm(graph: DiffusionGraph, model: str, method: str | None = None) -> None:
    """Load (or compile) the kernels a call will use, on no work, so that ``seconds`` times
    the algorithm and not the JIT."""
    from graphmodel.analysis.diffusion.montecarlo import expected_spread

    one = np.zeros(1, dtype=np.int64)
    expected_spread(graph, one[:0], model=model, runs=1, threads=1)
    if method == "imm":
        from graphmodel.analysis.diffusion.imm import node_selection
        from graphmodel.analysis.diffusion.rrsets import rr_sets

        node_selection(rr_sets(graph, model, 0, 0, 1, threads=1), graph.n, 1)
    elif method == "celf":
        from graphmodel.analysis.diffusion.celf import marginal_gains

        marginal_gains(graph, [0], [0], model=model, runs=1, threads=1)


def diffusion_edges(store, probability: str = "wc", p: float | None = None,
                    smoothing: float = 1.0) -> pd.DataFrame:
    """The influence edges ``source -> target`` (user ids) with their probabilities.

    Parameters
    ----------
    store : Store
        The platform (its ``users``, ``follows``, ``events`` and referrals).
    probability : {"wc", "estimated", "constant"}
        The edge probability rule: weighted cascade (1 / in-degree of the
        target), estimated from the log's referrals, or the constant ``p``.
    p : float, optional
        The probability of every edge, for ``constant`` only.
    smoothing : float
        Pseudo-exposures added to each edge, for ``estimated``.

    Returns
    -------
    DataFrame
        Columns: ``source``, ``target``, ``referrals`` (``REFERRED`` edges source -> target),
        ``exposures`` (streams in which the source shared), ``in_degree`` (of the target),
        ``p`` (IC probability by ``probability``), ``lt_weight`` (LT weight). See
        `graphmodel.analysis.diffusion.edges` for the rules.

    Raises
    ------
    UserError
        An unknown rule, ``p`` without ``constant`` (or out of [0, 1]), a
        negative ``smoothing``, or ``estimated`` on a log without shares to
        estimate from.

    Examples
    --------
    >>> import graphmodel
    >>> log = graphmodel.generate(graphmodel.GeneratorConfig(users=200, days=1, seed=1))
    >>> store = graphmodel.MemoryStore(log)
    >>> edges = graphmodel.diffusion_edges(store)
    >>> edges.head(2)
        source   target  referrals  exposures  in_degree         p  lt_weight
    0  u000001  u000023          0          0         14  0.071429   0.071429
    1  u000001  u000029          0          0          7  0.142857   0.142857
    >>> graphmodel.diffusion_edges(store, probability="x")
    Traceback (most recent call last):
    ...
    graphmodel.errors.UserError: unknown probability rule 'x'; choose one of estimated, wc, constant
    """
    from graphmodel.analysis.diffusion.edges import apply_rule, influence_edges, lt_weights

    users, edges, info = influence_edges(store)
    prob, rule_info = apply_rule(edges, probability, p=p, smoothing=smoothing)
    ids = users.to_numpy(dtype=object)
    df = pd.DataFrame({
        "source": ids[edges["source"].to_numpy()],
        "target": ids[edges["target"].to_numpy()],
        "referrals": edges["referrals"], "exposures": edges["exposures"],
        "in_degree": edges["in_degree"], "p": prob,
        "lt_weight": lt_weights(edges["target"].to_numpy(), prob, len(users)),
    })
    params = {"probability": probability, "p": p, "smoothing": smoothing}
    meta = store_meta(store, "diffusion-edges", params, graph={**info, **rule_info})
    return with_meta(df, meta)


def simulate_spread(store, seeds, model: str = "ic", runs: int = 1000, probability: str = "wc",
                    p: float | None = None, smoothing: float = 1.0, seed: int = 0,
                    threads: int | None = None, progress: Progress | None = None,
                    graph: DiffusionGraph | None = None) -> pd.DataFrame:
    """Expected spread of ``seeds`` under ``model`` by Monte Carlo, with a 95% interval.

    Parameters
    ----------
    store : Store
        The platform (its ``users``, ``follows``, ``events`` and referrals).
    seeds : iterable of str, or str
        User ids of the seed set (duplicates ignored), or one comma-separated string.
    model : {"ic", "lt"}
        Independent Cascade or Linear Threshold (Kempe, Kleinberg & Tardos 2003).
    runs : int
        Monte Carlo runs.
    probability : {"wc", "estimated", "constant"}
        The edge probability rule (`graphmodel.analysis.diffusion.edges`); ``p`` for
        ``constant``, ``smoothing`` (pseudo-exposures) for ``estimated``.
    p : float, optional
        The probability of every edge, for ``constant`` only.
    smoothing : float
        Pseudo-exposures added to each edge, for ``estimated``.
    seed : int
        Random seed: the same seed gives the same result on any number of threads.
    threads : int, optional
        Threads (default: the CPUs).
    progress : callable, optional
        ``progress(step, done, total)``.
    graph : DiffusionGraph, optional
        Your own network (`graphmodel.analysis.diffusion.network.network_graph`)
        instead of the store's social graph; ``store`` is then None and ``probability``
        names the rule the graph was built with.

    Returns
    -------
    DataFrame
        One row, `SIMULATE_COLUMNS`: ``spread`` is the mean number of active
        users (seeds included), ``sd`` the standard deviation over runs, ``ci_low`` /
        ``ci_high`` = spread -+ 1.96 sd / sqrt(runs), ``seconds`` the simulation time.

    Raises
    ------
    UserError
        Unknown seed user ids (all named), a bad model, rule or option.

    Examples
    --------
    >>> import graphmodel
    >>> log = graphmodel.generate(graphmodel.GeneratorConfig(users=200, days=1, seed=1))
    >>> store = graphmodel.MemoryStore(log)
    >>> result = graphmodel.simulate_spread(store, "u000095,u000165", runs=200, seed=0)
    >>> result[["seeds", "n_seeds", "model", "probability", "runs"]]
                 seeds  n_seeds model probability  runs
    0  u000095,u000165        2    ic          wc   200
    >>> row = result.iloc[0]
    >>> bool(row["ci_low"] <= row["spread"] <= row["ci_high"]), bool(row["spread"] >= 2)
    (True, True)
    >>> lt = graphmodel.simulate_spread(store, ["u000095"], model="lt", runs=200)
    >>> lt.attrs["meta"]["params"]["model"]
    'lt'
    >>> graphmodel.simulate_spread(store, "nobody")
    Traceback (most recent call last):
    ...
    graphmodel.errors.UserError: unknown seed user id(s): nobody
    """
    from graphmodel.analysis.diffusion.montecarlo import check_model, expected_spread

    check_model(model)
    if isinstance(seeds, str):
        seeds = [s.strip() for s in seeds.split(",")]
    if graph is None:
        graph = social_graph(store, probability, p=p, smoothing=smoothing)
    idx = graph.index(s for s in seeds if s)
    _warm(graph, model)
    t = time.perf_counter()
    s = expected_spread(graph, idx, model=model, runs=runs, seed=seed, threads=threads,
                        progress=progress)
    seconds = time.perf_counter() - t
    ids = [str(graph.ids[i]) for i in idx]
    df = pd.DataFrame([{
        "seeds": ",".join(ids), "n_seeds": len(ids), "model": model, "probability": probability,
        "runs": runs, "spread": s.mean, "sd": s.sd, "ci_low": s.ci_low, "ci_high": s.ci_high,
        "seconds": seconds,
    }], columns=SIMULATE_COLUMNS)
    params = {"model": model, "seeds": ids, "runs": runs, "probability": probability, "p": p,
              "smoothing": smoothing, "seed": seed}
    return with_meta(df, _meta(store, "simulate", params, seed, graph))


def influence_max(store, k: int, method: str = "imm", model: str = "ic", epsilon: float = 0.5,
                  ell: float = 1.0, runs: int = 1000, probability: str = "wc",
                  p: float | None = None, smoothing: float = 1.0, seed: int = 0,
                  threads: int | None = None, progress: Progress | None = None,
                  graph: DiffusionGraph | None = None) -> pd.DataFrame:
    """``k`` seed users that maximise the expected spread, and that spread with a 95% interval.

    Parameters
    ----------
    store : Store
    k : int
        Number of seeds, 1 <= k <= users.
    method : {"imm", "celf", "degree"}
        IMM (Tang, Shi & Xiao 2015; ``epsilon``, ``ell``), CELF lazy greedy
        (Leskovec et al. 2007) on ``runs`` common live-edge samples, or the top-``k``
        out-degree baseline.
    epsilon, ell : float
        IMM's approximation error and failure-probability exponent.
    model, runs, probability, p, smoothing, seed, threads, progress, graph
        As in `simulate_spread`; ``runs`` is also CELF's number of samples.

    Returns
    -------
    DataFrame
        One row per seed in the order chosen, `INFLUENCE_COLUMNS`: ``gain`` is the
        method's own estimate of the seed's marginal gain (IMM: ``n`` x the RR sets it
        newly covers / theta; CELF: on its samples; degree: none), ``spread`` /
        ``ci_low`` / ``ci_high`` the whole set's expected spread by an independent Monte
        Carlo run of ``runs`` runs (the same on every row; ``simulate`` with these seeds
        and this ``seed`` gives the same figures), ``seconds`` the time the selection took.

    Raises
    ------
    UserError
        An unknown method, model, probability rule or option, or ``k`` out of range.

    Examples
    --------
    >>> import graphmodel
    >>> log = graphmodel.generate(graphmodel.GeneratorConfig(users=200, days=1, seed=1))
    >>> store = graphmodel.MemoryStore(log)
    >>> seeds = graphmodel.influence_max(store, 3, runs=200, seed=0)
    >>> seeds[["rank", "user_id", "out_degree"]]
       rank  user_id  out_degree
    0     1  u000177          46
    1     2  u000131          45
    2     3  u000184          41
    >>> baseline = graphmodel.influence_max(store, 3, method="degree", runs=200)
    >>> baseline["user_id"].tolist()[:2], bool(baseline["gain"].isna().all())
    (['u000177', 'u000131'], True)
    >>> graphmodel.influence_max(store, 2, method="x")
    Traceback (most recent call last):
    ...
    graphmodel.errors.UserError: unknown method 'x'; choose one of imm, celf, degree
    """
    from graphmodel.analysis.diffusion.celf import celf
    from graphmodel.analysis.diffusion.degree import top_degree
    from graphmodel.analysis.diffusion.imm import imm
    from graphmodel.analysis.diffusion.montecarlo import check_model, expected_spread
    from graphmodel.analysis.diffusion.rng import keys

    check_model(model)
    if method not in METHODS:
        raise UserError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    if graph is None:
        graph = social_graph(store, probability, p=p, smoothing=smoothing)
    k_eval, k_select, k_final = (int(x) for x in keys(seed, 3))
    extra: dict = {}
    _warm(graph, model, method)
    t = time.perf_counter()
    if method == "imm":
        res = imm(graph, k, model=model, epsilon=epsilon, ell=ell, keys=(k_select, k_final),
                  threads=threads, progress=progress)
        chosen, gains = res.seeds, res.gains
        extra["imm"] = {**res.trace, "lower_bound": res.lower_bound}
    elif method == "celf":
        res = celf(graph, k, model=model, runs=runs, key=k_select, threads=threads,
                   progress=progress)
        chosen, gains = res.seeds, res.gains
        extra["celf"] = {"evaluations": res.evaluations}
    else:
        chosen = top_degree(graph, k)
        gains = np.full(k, np.nan)
    seconds = time.perf_counter() - t
    s = expected_spread(graph, chosen, model=model, runs=runs, key=k_eval, threads=threads,
                        progress=progress)
    df = pd.DataFrame({
        "rank": np.arange(1, len(chosen) + 1),
        "user_id": [str(graph.ids[i]) for i in chosen],
        "out_degree": graph.out_degree()[chosen],
        "gain": np.asarray(gains, dtype=np.float64),
        "spread": s.mean, "ci_low": s.ci_low, "ci_high": s.ci_high, "seconds": seconds,
    }, columns=INFLUENCE_COLUMNS)
    params = {"k": k, "method": method, "model": model, "runs": runs, "probability": probability,
              "p": p, "smoothing": smoothing, "seed": seed}
    if method == "imm":
        params.update(epsilon=epsilon, ell=ell)
    meta = _meta(store, "influence", params, seed, graph, spread=s.mean, sd=s.sd,
                 ci_low=s.ci_low, ci_high=s.ci_high, select_seconds=seconds, **extra)
    return with_meta(df, meta)
