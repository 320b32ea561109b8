"""``graphmodel check-inference``: how good inferred referrals are on a log that records them
(:mod:`graphmodel.analysis.inference_check`, docs/your-data.md)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from graphmodel.cli.examples import examples
from graphmodel.cli.options import Duration, output_options, param_options

__all__ = ["check_inference"]


def _modes(ctx, param, value):
    from graphmodel.model.inference import INFERENCE_MODES

    modes = [m.strip() for m in value.split(",") if m.strip()]
    bad = [m for m in modes if m not in INFERENCE_MODES]
    if bad or not modes:
        raise click.BadParameter(
            f"give modes among {', '.join(INFERENCE_MODES)}, comma-separated (got {value!r})"
        )
    return modes


def _windows(ctx, param, value):
    kind = Duration()
    return [
        kind.convert(w.strip(), param, ctx) for w in value.split(",") if w.strip()
    ] or kind.fail("give at least one window", param, ctx)


@click.command("check-inference", epilog=examples(
    ("how well inference recovers the recorded referrals, windows of 10min and 1h",
     "graphmodel check-inference --source platform/ --windows 10min,1h"),
    ("the social-graph mode only, over a 30-minute window, as JSON",
     "graphmodel check-inference --source platform/ --modes social --windows 30min "
     "--format json --out inference.json"),
))
@click.option(
    "--source",
    required=True,
    type=click.Path(path_type=Path),
    help="A log folder whose watches name their shares (a generated log).",
)
@click.option(
    "--modes",
    default="social,time",
    show_default=True,
    callback=_modes,
    help="Inference modes to check, comma-separated.",
)
@click.option(
    "--windows",
    default="10min,30min,1h,3h",
    show_default=True,
    callback=_windows,
    help="Inference windows to check, comma-separated.",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@output_options
@param_options
def check_inference(source, modes, windows, quiet, params):
    """Strip the recorded referrals of a log, infer them again, compare with the truth.

    One row for the recorded referrals, then one per mode and window: the
    edges' precision and recall, and how far the relational share, the cascade
    sizes, the mean structural virality and the top-10 sharers by reach move.
    """
    from graphmodel.analysis.inference_check import inference_check
    from graphmodel.engines.memory.store import MemoryStore
    from graphmodel.progress import progress_bar

    store = MemoryStore.open(source, referrals="recorded")
    with progress_bar(not quiet and sys.stderr.isatty(), "checking inference") as bar:
        return inference_check(store, modes=modes, windows=windows, params=params, progress=bar)
