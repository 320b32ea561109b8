"""Running a compiled kernel over ranges of samples on a few threads.

The kernels are compiled with ``nogil=True``, so plain Python threads run
them in parallel. Work ``0 .. total-1`` (runs, RR sets, candidates) is cut
into consecutive chunks; each chunk's result comes back in chunk order.
Because every sample draws its random numbers from its own index
(`graphmodel.analysis.diffusion.rng`), the results do not depend on the number of
threads or chunks.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

__all__ = ["default_threads", "run_chunks", "Progress"]

#: ``progress(step, done, total)``, as `graphmodel.progress.progress_bar` takes it.
Progress = Callable[[str, float, float], None]


def default_threads() -> int:
    """Numba's thread count: env ``NUMBA_NUM_THREADS``, by default the number of CPUs."""
    from numba import config

    return max(1, int(config.NUMBA_NUM_THREADS))


def run_chunks(work: Callable[[int, int], Any], total: int, threads: int | None = None,
               chunks: int | None = None, progress: Progress | None = None,
               step: str = "") -> list[Any]:
    """``[work(i0, i1) for each chunk]`` of ``0 .. total-1``, in order, on ``threads`` threads.

    ``chunks`` defaults to enough for a smooth progress bar (about 4 per thread,
    at least 1 item each); ``progress(step, items done, total)`` is called as
    chunks finish.
    """
    threads = threads or default_threads()
    if total <= 0:
        if progress:
            progress(step, 0, 0)
        return []
    chunks = min(total, chunks or max(4 * threads, 16 if progress else 1))
    bounds = [total * i // chunks for i in range(chunks + 1)]
    parts = list(zip(bounds[:-1], bounds[1:], strict=True))
    if threads == 1 or len(parts) == 1:
        results = []
        for i0, i1 in parts:
            results.append(work(i0, i1))
            if progress:
                progress(step, i1, total)
        return results
    done = 0
    with ThreadPoolExecutor(max_workers=threads) as pool:
        futures = [pool.submit(work, i0, i1) for i0, i1 in parts]
        results = []
        for (i0, i1), fut in zip(parts, futures, strict=True):
            results.append(fut.result())
            done += i1 - i0
            if progress:
                progress(step, done, total)
    return results
