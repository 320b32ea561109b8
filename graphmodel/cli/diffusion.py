"""``graphmodel simulate`` and ``graphmodel influence``: thin click commands over
:mod:`graphmodel.analysis.diffusion.api` (MODEL.md section 6, docs/diffusion.md)."""

from __future__ import annotations

import functools
import sys

import click

from graphmodel.cli.options import output_options, source_options

__all__ = ["simulate", "influence"]


def _diffusion_options(f):
    """The model, the probability rule and its options, runs, seed, threads, quiet."""

    @click.option("--model", type=click.Choice(["ic", "lt"]), default="ic", show_default=True,
                  help="Independent Cascade or Linear Threshold.")
    @click.option("--probability", type=click.Choice(["wc", "estimated", "constant"]),
                  default="wc", show_default=True,
                  help="Edge probabilities: weighted cascade 1/in-degree, estimated from the "
                       "log's referrals over exposures, or a constant --p.")
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


@click.command()
@click.option("--seeds", required=True, metavar="ID,ID,...",
              help="The seed users, comma-separated user ids.")
@source_options
@output_options
@_diffusion_options
def simulate(seeds, model, probability, p, smoothing, runs, seed, threads, progress, store):
    """Expected spread of a seed set under IC or LT, by Monte Carlo with a 95% interval."""
    from graphmodel.analysis.diffusion.api import simulate_spread

    return simulate_spread(store, seeds, model=model, runs=runs, probability=probability, p=p,
                           smoothing=smoothing, seed=seed, threads=threads, progress=progress)


@click.command()
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
@source_options
@output_options
@_diffusion_options
def influence(k, method, epsilon, ell, model, probability, p, smoothing, runs, seed, threads,
              progress, store):
    """Choose K seed users that maximise the expected spread (whom to give share tasks).

    Prints the seeds in the order chosen with the set's expected spread (95%
    interval, by an independent Monte Carlo run) and the selection time.
    """
    from graphmodel.analysis.diffusion.api import influence_max

    return influence_max(store, k, method=method, model=model, epsilon=epsilon, ell=ell,
                         runs=runs, probability=probability, p=p, smoothing=smoothing, seed=seed,
                         threads=threads, progress=progress)
