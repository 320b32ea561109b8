"""The generator at scale: a large platform written as partitioned Parquet, day by day.

`generate_chunked` runs the same simulation as
[`graphmodel.generator.generate`][graphmodel.generator.simulate.generate] (same seed, same draws, same events,
same ids) but never holds the event table: each simulated day's compact
integer arrays (about 45 bytes an event) are spilled to a scratch file as
soon as the day is done, and once the total count is known (event ids are
numbered in time order, zero-padded to the width of the total) the events
are turned into text ids and written as ``events/part-00000.parquet``, ...,
``chunk_days`` days per part, one part in memory at a time. The other
tables are written whole (``<table>.parquet``); they grow with users, not
with users x days.

Why days and not users: users interact within a day (shares bring friends
into streams), so a day cannot be split by user without changing the
simulation; across days only the recommender's per-user history vector
carries over, so the days are natural chunks. Peak memory is the
simulation's per-user state plus one part's table, instead of the whole
event table as pandas text columns (about 200 bytes an event).

The result is the unchunked log, split: reading the folder back
([`graphmodel.read_log`][graphmodel.eventlog.read.read_log] reads parts) gives the same tables as
``generate`` for the same config (tested), hence the same statistics.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd

from graphmodel.eventlog.log import conform
from graphmodel.eventlog.write import check_log_out, write_log_parts
from graphmodel.generator.assemble import _events, assemble, id_maker, table_sizes
from graphmodel.generator.config import GeneratorConfig
from graphmodel.generator.simulate import DayEvents, Progress, simulate
from graphmodel.safefile import os_error
from graphmodel.schema import TABLES

__all__ = ["generate_chunked", "generate_to_parts"]


def generate_chunked(
    config: GeneratorConfig,
    out: str | os.PathLike,
    chunk_days: int = 1,
    progress: Progress | None = None,
    force: bool = False,
) -> dict[str, int]:
    """Simulate ``config`` and write its log to ``out`` with ``events/`` in parts.

    Parameters
    ----------
    config : GeneratorConfig
        As for [`graphmodel.generator.generate`][graphmodel.generator.simulate.generate].
    out : path
        The log folder to write (Parquet; an earlier Parquet log's tables are
        replaced, nothing else is touched; see `graphmodel.eventlog.write.check_log_out`).
    chunk_days : int
        Days of events per part file.
    progress : callable, optional
        ``progress(step, done, total)``, as for ``generate``.
    force : bool
        Replace a log in another format there (its table files only).

    Returns
    -------
    dict
        Rows written per table.
    """
    if chunk_days < 1:
        raise ValueError("chunk_days must be at least 1")
    # checked before the simulation: a folder that cannot take the log fails at once
    folder = check_log_out(out, "parquet", parts=("events",), force=force)
    try:  # the spilled days go beside the log (inside it when it exists), not to /tmp
        base = folder if folder.is_dir() else folder.parent
        base.mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(prefix=f".{folder.name}.days.", dir=base))
    except OSError as exc:
        raise os_error(out, exc, "cannot write the event log") from None
    run = simulate(config, progress)
    try:
        sizes, completions, spends = [], [], []
        for d, (ev, done, spend) in enumerate(run.days):
            try:
                np.savez(scratch / f"day-{d:05d}.npz", **dataclasses.asdict(ev))
            except OSError as exc:
                raise os_error(out, exc, "cannot write the event log") from None
            sizes.append(len(ev.type))
            completions.append(done)
            spends.append(spend)
            del ev
        run.report("writing", run.total - 1, run.total)
        log = assemble(run.cfg, run.pop, run.cat, run.social, [], completions, spends)
        ids = id_maker(table_sizes(run.pop, run.cat))
        total = int(sum(sizes))
        write_log_parts(
            log, {"events": _event_parts(scratch, sizes, chunk_days, ids, total)}, out, force=force
        )
        run.report("done", run.total, run.total)
        counts = {name: len(log[name]) for name in log}
        counts["events"] = total
        return counts
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _event_parts(
    scratch: Path, sizes: list[int], chunk_days: int, ids, total: int
) -> Iterator[pd.DataFrame]:
    """The events table, ``chunk_days`` spilled days at a time, ids numbered over ``total``."""
    start = 0
    for first in range(0, len(sizes), chunk_days):
        days = []
        for d in range(first, min(first + chunk_days, len(sizes))):
            with np.load(scratch / f"day-{d:05d}.npz") as z:
                days.append(DayEvents(**{k: z[k] for k in z.files}))
        frame = conform(TABLES["events"], _events(days, ids, start=start, total=total))
        start += sum(len(d.type) for d in days)
        yield frame


def generate_to_parts(
    config: GeneratorConfig,
    out: str | os.PathLike,
    chunk_days: int = 1,
    fmt: str = "parquet",
    progress: bool = False,
    force: bool = False,
) -> dict[str, int]:
    """`generate_chunked` with a progress bar for people (``graphmodel generate
    --chunk-days``); parts are Parquet, so ``fmt`` must be ``parquet``."""
    from graphmodel.errors import UserError
    from graphmodel.progress import progress_bar

    if fmt != "parquet":
        raise UserError("--chunk-days writes Parquet parts: add --format parquet")
    with progress_bar(progress) as bar:
        return generate_chunked(config, out, chunk_days, progress=bar, force=force)
