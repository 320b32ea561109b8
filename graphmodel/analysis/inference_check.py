"""How good inferred referrals are, measured against a log that records them (docs/your-data.md).

The generator knows the true ``via_share`` of every referred watch (so does a
platform export that records it). [`inference_check`][graphmodel.analysis.inference_check.inference_check] strips it, infers
the ``REFERRED`` edges again by each mode and window
([`graphmodel.model.inference.infer_log`][graphmodel.model.inference.infer_log]), and compares:

- the edges: an inferred edge is correct when the true forest has an edge
  from the same sharer to the same user in the same stream.
  ``precision = correct / inferred``, ``recall = correct / true``,
  ``f1 = 2 P R / (P + R)``;
- the headline figures computed from each forest: the relational share of
  value ([docs/model.md, section 5.6][model-5-6]), the cascades (count, mean size, share of
  size-1 cascades, and the Kolmogorov-Smirnov distance between the two
  size distributions: the largest gap between their cumulative shares), the
  mean structural virality (over cascades of two users or more), and the
  top-10 sharers by reach (how many of the true ten the inferred ten hold).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from graphmodel.analysis.cascades import user_spread
from graphmodel.analysis.value.api import value
from graphmodel.engines.memory.store import MemoryStore
from graphmodel.errors import UserError
from graphmodel.model.inference import INFERENCE_MODES, infer_log
from graphmodel.output import store_meta, with_meta
from graphmodel.params import Params

__all__ = ["CHECK_COLUMNS", "DEFAULT_WINDOWS", "inference_check", "size_ks"]

#: Windows checked by default, seconds: 10 min, 30 min, 1 h, 3 h.
DEFAULT_WINDOWS = (600.0, 1800.0, 3600.0, 10800.0)

#: Columns of [`inference_check`][graphmodel.analysis.inference_check.inference_check]: the truth's row first, then one per mode and window.
CHECK_COLUMNS = [
    "mode",
    "window_s",
    "edges",
    "correct",
    "precision",
    "recall",
    "f1",
    "relational_share",
    "cascades",
    "mean_size",
    "single_share",
    "size_ks",
    "mean_virality",
    "top10_overlap",
]

_KEY = ["referrer_id", "user_id", "stream_id"]


def size_ks(a: np.ndarray, b: np.ndarray) -> float:
    """The Kolmogorov-Smirnov distance between two samples of cascade sizes.

    Examples
    --------
    >>> size_ks(np.array([1, 1, 2, 3]), np.array([1, 2, 2, 3]))
    0.25
    """
    if not len(a) or not len(b):
        return float("nan")
    grid = np.union1d(a, b)
    fa = np.searchsorted(np.sort(a), grid, side="right") / len(a)
    fb = np.searchsorted(np.sort(b), grid, side="right") / len(b)
    return float(np.max(np.abs(fa - fb)))


def _figures(store: MemoryStore, params: Params, true_top: list | None, true_sizes):
    cascades = store.cascade_table()
    sizes = cascades["size"].to_numpy(dtype=np.int64)
    virality = cascades["structural_virality"].to_numpy(dtype="float64")
    spread = user_spread(store)
    top = spread.loc[spread["reach"] > 0, "user_id"].head(10).astype(str).tolist()
    platform = value(store, by="platform", params=params)
    return (
        {
            "relational_share": float(platform["relational_share"].iloc[0]),
            "cascades": len(cascades),
            "mean_size": float(sizes.mean()) if len(sizes) else float("nan"),
            "single_share": float((sizes == 1).mean()) if len(sizes) else float("nan"),
            "size_ks": 0.0 if true_sizes is None else size_ks(true_sizes, sizes),
            "mean_virality": float(np.nanmean(virality))
            if np.isfinite(virality).any()
            else float("nan"),
            "top10_overlap": len(top) if true_top is None else len(set(top) & set(true_top)),
        },
        top,
        sizes,
    )


def inference_check(
    store: MemoryStore,
    modes: Sequence[str] = INFERENCE_MODES,
    windows: Sequence[float] = DEFAULT_WINDOWS,
    params=None,
    progress: Callable[[str, float, float], None] | None = None,
) -> pd.DataFrame:
    """Infer the referrals of a log that records them and compare with the truth.

    Parameters
    ----------
    store : MemoryStore
        A log whose watches name their shares (``via_share``), such as a generated one.
    modes : sequence of {"social", "time"}
    windows : sequence of float
        Inference windows, seconds.
    params : Params or mapping, optional
        Model parameters for the relational share.
    progress : callable, optional
        ``progress(step, done, total)``.

    Returns
    -------
    DataFrame
        `CHECK_COLUMNS`: the first row (``mode`` ``recorded``) holds the true figures;
        then one row per mode and window. Its meta records modes, windows and parameters.

    Examples
    --------
    >>> import graphmodel
    >>> log = graphmodel.generate(graphmodel.GeneratorConfig(users=300, days=1, seed=2))
    >>> df = inference_check(graphmodel.MemoryStore(log), windows=[1800])
    >>> df[["mode", "edges", "correct", "precision", "recall"]].round(3)
           mode  edges  correct  precision  recall
    0  recorded     30       30      1.000   1.000
    1    social     42       29      0.690   0.967
    2      time    191       16      0.084   0.533
    """
    p = Params.of(params)
    modes = list(modes)
    windows = [float(w) for w in windows]
    for m in modes:
        if m not in INFERENCE_MODES:
            raise UserError(f"mode must be one of {', '.join(INFERENCE_MODES)}, got {m!r}")
    log = store.log
    truth = store.referrals()
    if truth.empty or log.coverage.referrals != "recorded":
        raise UserError(
            f"{store.source}: no watch names its share (via_share), so there is "
            "no truth to check inferred referrals against (a generated log has it)"
        )
    steps = len(modes) * len(windows) + 1
    say = progress or (lambda step, done, total: None)
    say("the recorded referrals", 0, steps)
    base, true_top, true_sizes = _figures(store, p, None, None)
    rows = [
        {
            "mode": "recorded",
            "window_s": float("nan"),
            "edges": len(truth),
            "correct": len(truth),
            "precision": 1.0,
            "recall": 1.0,
            "f1": 1.0,
            **base,
        }
    ]
    true_keys = truth[_KEY].astype(object)
    done = 1
    for mode in modes:
        for w in windows:
            say(f"{mode}, window {w:g} s", done, steps)
            inferred = MemoryStore(infer_log(log, mode, w))
            edges = inferred.referrals()
            correct = len(true_keys.merge(edges[_KEY].astype(object), on=_KEY))
            precision = correct / len(edges) if len(edges) else float("nan")
            recall = correct / len(truth)
            f1 = 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0
            figures, _, _ = _figures(inferred, p, true_top, true_sizes)
            rows.append(
                {
                    "mode": mode,
                    "window_s": w,
                    "edges": len(edges),
                    "correct": correct,
                    "precision": precision,
                    "recall": recall,
                    "f1": f1,
                    **figures,
                }
            )
            done += 1
    say("done", steps, steps)
    df = pd.DataFrame(rows, columns=CHECK_COLUMNS)
    return with_meta(
        df, store_meta(store, "inference-check", dict(p), modes=modes, windows_s=windows)
    )
