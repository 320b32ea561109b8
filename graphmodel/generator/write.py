"""Generate a platform and write its event log, with a progress bar for people."""

from __future__ import annotations

import os

from graphmodel.eventlog.log import EventLog
from graphmodel.eventlog.write import check_log_out, write_log
from graphmodel.progress import progress_bar

__all__ = ["generate_to"]


def generate_to(
    config, out: str | os.PathLike, fmt: str = "csv", progress: bool = False, force: bool = False
) -> EventLog:
    """Generate the platform of ``config`` and write its log to ``out`` in ``fmt``.

    ``out`` is checked first (`check_log_out`): a
    folder that cannot take the log fails before the simulation runs. ``force``
    replaces a log in another format there (its table files only).
    """
    from graphmodel.generator import generate

    check_log_out(out, fmt, force=force)
    with progress_bar(progress) as bar:
        log = generate(config, progress=bar)
        bar("writing", 1, 1)
    write_log(log, out, fmt=fmt, force=force)
    return log
