"""Random generators for the simulation: one seed, one child generator per mechanism.

Every random draw goes through `rng`, which spawns a child of
``numpy.random.SeedSequence(seed)`` keyed by the mechanism and, inside the
day loop, by the day and the cascade generation. So the draws of one
mechanism do not depend on how many draws another made: switching sharing
off does not reshuffle the social graph, the catalogue or the first day's
watching. Nothing uses global randomness.
"""

from __future__ import annotations

import numpy as np

__all__ = ["MECHANISMS", "rng"]

#: The mechanisms, in a fixed order: the index is part of each child's spawn key.
MECHANISMS = (
    "population",
    "social",
    "catalog",
    "recommender",
    "behaviour",
    "cascades",
    "tasks",
    "ads",
    "activity",
)


def rng(seed: int, mechanism: str, *keys: int) -> np.random.Generator:
    """The generator of ``mechanism`` (and of day/generation ``keys``) for ``seed``.

    Equivalent to the child ``SeedSequence(seed).spawn(...)`` would give at
    spawn key ``(index of mechanism, *keys)``.
    """
    key = (MECHANISMS.index(mechanism), *(int(k) for k in keys))
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=key))
