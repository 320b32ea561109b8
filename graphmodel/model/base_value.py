"""The three parts of user-generated value ([docs/model.md, 5.2 and 5.3][model-5-2]), per (user, stream) pair.

    b_{u,s} = attention_{u,s} + take_rate x GMV_{u,s} + alpha x p_data x D'_{u,s}

``attention`` is the pair's part of the stream's ad spend (a parameter-free
count of `graphmodel.model.aggregates`), ``GMV`` the pair's purchases,
``D'`` the pair's data units counted only for users who are profiled (a user
who opted out of profiling, a governance lever, still produces data units but
yields no data value). Each part is a linear form in the counts, given here by
its coefficients, so the same coefficients value one pair, a user's sums or
the platform's totals on every engine.

The price of attention, the commission and the data value as the platform's
three sources of revenue from users' activity: Zuboff, *The Age of
Surveillance Capitalism* (2019); Srnicek, *Platform Capitalism* (2017).
"""

from __future__ import annotations

from collections.abc import Mapping

from graphmodel.model.labour import UNIT_COUNTS, data_unit_weights

__all__ = ["PARTS", "PROFILED_COUNTS", "part_weights", "base_weights"]

#: The parts of base value, in the order of the platform table.
PARTS = ("attention", "commerce", "data")
#: The data-unit counts of profiled users only (``profiled_<count>``).
PROFILED_COUNTS = tuple(f"profiled_{c}" for c in UNIT_COUNTS)


def part_weights(params: Mapping) -> dict[str, dict[str, float]]:
    """The coefficients of each part of base value over the counts.

    >>> from graphmodel.params import Params
    >>> part_weights(Params())["commerce"]
    {'gmv': 0.05}
    """
    price = float(params["alpha"]) * float(params["p_data"])
    return {
        "attention": {"attention_value": 1.0},
        "commerce": {"gmv": float(params["take_rate"])},
        "data": {f"profiled_{c}": price * w for c, w in data_unit_weights(params).items()},
    }


def base_weights(params: Mapping) -> dict[str, float]:
    """The coefficients of ``b`` (the three parts together) over the counts."""
    out: dict[str, float] = {}
    for weights in part_weights(params).values():
        out.update(weights)
    return out
