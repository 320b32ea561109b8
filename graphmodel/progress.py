"""A progress bar for people, fed by the long computations' ``progress`` callbacks."""

from __future__ import annotations

from graphmodel.terminal import visible

__all__ = ["progress_bar"]


class progress_bar:
    """A rich progress bar fed by ``callback(step, done, total)`` (a no-op when disabled).

    The description and steps are shown as plain text: never read as rich markup, control
    characters made visible (`graphmodel.terminal.visible`).
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
