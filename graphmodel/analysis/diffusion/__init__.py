"""Viral spread on the social graph: Independent Cascade and Linear Threshold simulation,
influence maximisation by IMM, CELF and the degree baseline ([docs/model.md, section 6][model-6],
docs/diffusion.md).

One module per concept: ``edges`` (the influence edges and probability rules),
``graph`` (CSR arrays), ``rng`` (counter-based random numbers), ``ic`` and ``lt``
(forward kernels), ``montecarlo`` (expected spread with a 95% interval),
``rrsets`` (reverse-reachable sets), ``imm``, ``celf``, ``degree``, ``api`` (the
DataFrame functions) and ``cli``.
"""

from graphmodel.analysis.diffusion.api import diffusion_edges, influence_max, simulate_spread
from graphmodel.analysis.diffusion.graph import DiffusionGraph, social_graph

__all__ = [
    "simulate_spread", "influence_max", "diffusion_edges",
    "DiffusionGraph", "social_graph",
    "Spread", "expected_spread", "spread_samples",
]

_MONTECARLO = ("Spread", "expected_spread", "spread_samples")


def __getattr__(name: str):
    # numba loads on first use, not on ``import graphmodel``
    if name in _MONTECARLO:
        from graphmodel.analysis.diffusion import montecarlo

        return getattr(montecarlo, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
