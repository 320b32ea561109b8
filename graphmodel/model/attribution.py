"""Attribution of a referred user's value to the referral path ([docs/model.md, 5.5][model-5-5]).

If ``w`` arrived in stream ``s`` through a referral, ``w`` keeps
``(1 - lambda) x b_{w,s}`` and ``lambda x b_{w,s}`` goes to ``w``'s ancestors
on its referral path in ``s``; the ancestor ``k`` hops up, on a path of
``d`` ancestors, gets the weight

=========  ====================================================
``last``   1 if k = 1 (the direct referrer), else 0
``first``  1 if k = d (the cascade's root), else 0
``linear`` 1 / d
``decay``  delta^(k-1) / sum_{j=1..d} delta^(j-1)   (default)
=========  ====================================================

so the weights of one arrival always sum to 1 and credit conserves value.

Each rule is one function of (``hops``, ``depth``, ``params``) registered with
`attribution_model`; `MODELS` (and so the choices of the
``attribution`` parameter, the CLI's ``--attribution`` and every engine)
follow the registry. Adding a rule is one decorated function here, plus its
tests (docs/contributing.md).
These are the position-based multi-touch attribution rules of marketing
analytics (last touch, first touch, linear, time decay), applied along the
referral chain as in referral-reward schemes (Shao et al., "Data-driven
multi-touch attribution models", KDD 2011).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd

__all__ = ["MODELS", "attribution_model", "path_weights", "kept_value", "path_credit",
           "credit"]

Rule = Callable[[np.ndarray, np.ndarray, Mapping], np.ndarray]

#: The attribution rules by name, in the order they were registered (the default first).
RULES: dict[str, Rule] = {}


def attribution_model(name: str) -> Callable[[Rule], Rule]:
    """Register ``rule(hops, depth, params) -> weights`` as attribution model ``name``.

    ``hops`` and ``depth`` are float arrays (the ancestor ``hops`` up, on a path of
    ``depth`` ancestors); the weights of one arrival must sum to 1 over
    ``hops = 1..depth`` (tested for every registered rule).
    """
    def register(rule: Rule) -> Rule:
        RULES[name] = rule
        MODELS[:] = list(RULES)
        return rule

    return register


#: Names of the registered rules (a live view of `RULES`).
MODELS: list[str] = []


@attribution_model("decay")
def _decay(hops, depth, params):
    delta = float(params["delta"])
    if delta == 1.0:
        return 1.0 / depth
    norm = (1.0 - delta ** depth) / (1.0 - delta)  # sum_{j=0}^{d-1} delta^j
    return np.power(delta, hops - 1.0) / norm


@attribution_model("linear")
def _linear(hops, depth, params):
    return 1.0 / depth


@attribution_model("last")
def _last(hops, depth, params):
    return (hops == 1).astype("float64")


@attribution_model("first")
def _first(hops, depth, params):
    return (hops == depth).astype("float64")


def path_weights(hops, depth, model: str, params: Mapping | float) -> np.ndarray:
    """The weight of the ancestor ``hops`` up on a path of ``depth`` ancestors.

    ``params``: the model parameters (or, for ``decay``, just ``delta``).

    >>> path_weights([1, 2], [2, 2], "decay", 0.5).round(4).tolist()
    [0.6667, 0.3333]
    """
    if model not in RULES:
        raise ValueError(f"unknown attribution model {model!r} (known: {', '.join(MODELS)})")
    if not isinstance(params, Mapping):
        params = {"delta": float(params)}
    hops = np.asarray(hops, dtype="float64")
    depth = np.asarray(depth, dtype="float64")
    return np.broadcast_to(RULES[model](hops, depth, params), hops.shape).astype("float64")


def kept_value(base, referred_base, params: Mapping) -> np.ndarray:
    """What users keep of the value they produced: ``sum_s b_{u,s} - lambda x (the part
    of it from streams where u arrived through a referral)``."""
    return (np.asarray(base, dtype="float64")
            - float(params["lambda"]) * np.asarray(referred_base, dtype="float64"))


def path_credit(hops, depth, arrival_base, params: Mapping,
                rule: Rule | None = None) -> np.ndarray:
    """``lambda x w(hops, depth) x b``: what the ancestor ``hops`` up receives of a referred
    arrival's base value ``b`` (or of a sum of such arrivals with the same hops and depth).

    ``rule``: the attribution rule itself, when the caller resolved ``params["attribution"]``
    elsewhere (an engine that ships the rule to its workers with the computation).
    """
    if rule is None:
        w = path_weights(hops, depth, params["attribution"], params)
    else:
        hops = np.asarray(hops, dtype="float64")
        w = np.broadcast_to(rule(hops, np.asarray(depth, dtype="float64"), params),
                            hops.shape).astype("float64")
    return float(params["lambda"]) * w * np.asarray(arrival_base, dtype="float64")


def credit(paths: pd.DataFrame, base: np.ndarray, params) -> pd.DataFrame:
    """Credit rows: ``ancestor_id`` receives ``credit`` from ``user_id`` in ``stream_id``.

    ``paths`` as `graphmodel.model.aggregates.PATH_COLUMNS`; ``base`` holds, for
    each path row, ``b_{w,s}`` of its referred arrival.
    """
    out = paths[["ancestor_id", "user_id", "stream_id", "hops"]].copy()
    out["credit"] = path_credit(paths["hops"].to_numpy(), paths["depth"].to_numpy(), base,
                                params)
    return out
