"""``graphmodel simulate`` and ``graphmodel influence``: thin click commands over
:mod:`graphmodel.analysis.diffusion.api` (MODEL.md section 6, docs/diffusion.md)."""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import click

from graphmodel.cli.examples import examples
from graphmodel.cli.options import output_options, source_options

__all__ = ["simulate", "influence"]


def _diffusion_options(f):
    """The model, the probability rule and its options, runs, seed, threads, quiet."""

    @click.option("--model", type=click.Choice(["ic", "lt"]), default="ic", show_default=True,
                  help="Independent Cascade or Linear Threshold.")
    @click.option("--probability", type=click.Choice(["wc", "estimated", "constant", "file"]),
                  default=None,
                  help="Edge probabilities: weighted cascade 1/in-degree (the default), "
                       "estimated from the log's referrals over exposures, a constant --p, "
                       "or the p column of --graph FILE (its default when it has one).")
    @click.option("--p", "p", type=click.FloatRange(0.0, 1.0),
                  help="The probability of every edge (with --probability constant).")
    @click.option("--smoothing", type=click.FloatRange(min=0.0), default=1.0, show_default=True,
                  help="Pseudo-exposures of the prior for --probability estimated "
                       "(0: the raw ratio).")
    @click.option("--runs", type=click.IntRange(min=1), default=1000, show_default=True,
                  help="Monte Carlo runs (for CELF also its live-edge samples).")
    @click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True,
                  help="Random seed: the same seed gives the same result.")
    @click.option("--threads", type=click.IntRange(min=1),
                  help="Threads (default: the CPUs); results do not depend on it.")
    @click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
    @functools.wraps(f)
    def wrapper(*args, quiet, **kwargs):
        from graphmodel.progress import progress_bar

        with progress_bar(not quiet and sys.stderr.isatty(), f.__name__) as bar:
            return f(*args, progress=bar, **kwargs)

    return wrapper


def _graph_options(f):
    """``--graph FILE``, ``--graph-format`` and ``--undirected``: your own network instead of
    a platform log (:mod:`graphmodel.analysis.diffusion.network`)."""
    f = click.option("--undirected", is_flag=True,
                     help="With --graph: each line is a tie both ways (source -> target and "
                          "target -> source).")(f)
    f = click.option("--graph-format", "graph_format",
                     type=click.Choice(["auto", "csv", "tsv", "parquet", "snap"]),
                     default="auto", show_default=True,
                     help="The format of --graph: auto (.csv, .tsv, .parquet by name, "
                          "anything else a SNAP whitespace list), csv, tsv, parquet, snap.")(f)
    return click.option("--graph", "graph", type=click.Path(dir_okay=False, path_type=Path),
                        help="Your own network: an edge list source,target[,p] (CSV, TSV, "
                             "Parquet) or a SNAP list 'source target [p]' with # comments, "
                             "instead of --source/--neo4j (docs/your-data.md).")(f)


def _network(graph, graph_format, undirected, probability, p, store):
    """The graph file's DiffusionGraph (or None for a log) and the probability rule."""
    from graphmodel.errors import UserError

    if graph is None:
        if undirected or graph_format != "auto":
            raise UserError("--undirected and --graph-format go with --graph FILE")
        if probability == "file":
            raise UserError("--probability file reads the p column of --graph FILE")
        return None, probability or "wc"
    if store is not None:
        raise UserError("give --graph FILE, or --source DIR / --neo4j URI, not both")
    from graphmodel.analysis.diffusion.network import network_graph

    g = network_graph(graph, probability, p=p, fmt=graph_format, undirected=undirected)
    return g, g.info["probability"]


@click.command(epilog=examples(
    ("the expected spread of two seed users under Independent Cascade, 1,000 runs",
     "graphmodel simulate --source platform/ --seeds u000581,u000334 --runs 1000"),
    ("Linear Threshold on your own network, with the probabilities of its p column",
     "graphmodel simulate --graph network.txt --seeds 0 --model lt"),
))
@click.option("--seeds", required=True, metavar="ID,ID,...",
              help="The seed users, comma-separated user ids.")
@_graph_options
@source_options(unless="graph")
@output_options
@_diffusion_options
def simulate(seeds, model, probability, p, smoothing, runs, seed, threads, progress, store,
             graph, graph_format, undirected):
    """Expected spread of a seed set under IC or LT, by Monte Carlo with a 95% interval.

    On the platform log's social graph, or on any network with --graph FILE.
    """
    from graphmodel.analysis.diffusion.api import simulate_spread

    net, probability = _network(graph, graph_format, undirected, probability, p, store)
    return simulate_spread(store, seeds, model=model, runs=runs, probability=probability, p=p,
                           smoothing=smoothing, seed=seed, threads=threads, progress=progress,
                           graph=net)


@click.command(epilog=examples(
    ("the ten users a platform would give share tasks to (IMM)",
     "graphmodel influence --source platform/ --k 10"),
    ("lazy greedy (CELF) on your own network, 500 runs",
     "graphmodel influence --graph network.txt --k 2 --method celf --runs 500"),
))
@click.option("--k", "k", type=click.IntRange(min=1), default=10, show_default=True,
              help="Number of seed users to choose.")
@click.option("--method", type=click.Choice(["imm", "celf", "degree"]), default="imm",
              show_default=True,
              help="IMM (reverse-reachable sets), CELF (lazy greedy) or top out-degree.")
@click.option("--epsilon", type=click.FloatRange(0.0, 1.0, min_open=True, max_open=True),
              default=0.5, show_default=True,
              help="IMM: approximation 1 - 1/e - epsilon.")
@click.option("--ell", type=click.FloatRange(min=0.0, min_open=True), default=1.0,
              show_default=True, help="IMM: success probability 1 - n^-ell.")
@_graph_options
@source_options(unless="graph")
@output_options
@_diffusion_options
def influence(k, method, epsilon, ell, model, probability, p, smoothing, runs, seed, threads,
              progress, store, graph, graph_format, undirected):
    """Choose K seed users that maximise the expected spread (whom to give share tasks).

    Prints the seeds in the order chosen with the set's expected spread (95%
    interval, by an independent Monte Carlo run) and the selection time. On the
    platform log's social graph, or on any network with --graph FILE.
    """
    from graphmodel.analysis.diffusion.api import influence_max

    net, probability = _network(graph, graph_format, undirected, probability, p, store)
    return influence_max(store, k, method=method, model=model, epsilon=epsilon, ell=ell,
                         runs=runs, probability=probability, p=p, smoothing=smoothing, seed=seed,
                         threads=threads, progress=progress, graph=net)
