"""Generate a platform and write it, with a progress bar for people."""

from __future__ import annotations

import os

from graphmodel.eventlog.log import EventLog
from graphmodel.eventlog.write import check_log_out, write_log
from graphmodel.terminal import visible

__all__ = ["generate_to", "progress_bar"]


class progress_bar:
    """A rich progress bar fed by ``callback(step, done, total)`` (a no-op when disabled).

    The description and steps are shown as plain text: never read as rich markup, control
    characters made visible (:func:`graphmodel.terminal.visible`).
    """

    def __init__(self, enabled: bool = True, description: str = "generating"):
        self.enabled = enabled
        self.description = description
        self._progress = None
        self._task = None

    def __enter__(self):
        if self.enabled:
            from rich.console import Console
            from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

            self._progress = Progress(
                TextColumn("{task.description}", markup=False),
                BarColumn(),
                TextColumn("{task.percentage:>3.0f}%"),
                TimeElapsedColumn(),
                console=Console(stderr=True),
                transient=False,
            )
            self._progress.__enter__()
            self._task = self._progress.add_task(visible(self.description), total=1.0)
        return self

    def __call__(self, step: str, done: float, total: float) -> None:
        if self._progress is not None:
            frac = done / total if total else 1.0
            self._progress.update(
                self._task, completed=frac, description=visible(f"{self.description}: {step}")
            )

    def __exit__(self, *exc):
        if self._progress is not None:
            self._progress.__exit__(*exc)


def generate_to(
    config, out: str | os.PathLike, fmt: str = "csv", progress: bool = False, force: bool = False
) -> EventLog:
    """Generate the platform of ``config`` and write its log to ``out`` in ``fmt``.

    ``out`` is checked first (:func:`~graphmodel.eventlog.write.check_log_out`): a
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
