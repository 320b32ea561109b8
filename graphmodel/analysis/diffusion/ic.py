"""Independent Cascade: the forward simulation kernel (Kempe, Kleinberg & Tardos 2003).

The seeds are active at step 0. When ``u`` becomes active it gets one chance
to activate each inactive out-neighbour ``w``, succeeding with probability
``p_uw`` independently of everything else; the process stops when a step
activates nobody. The spread of one run is the number of active nodes at
the end, seeds included.

Equivalently (Kempe et al. 2003, section 2): keep each edge ``e`` with
probability ``p_e`` (a *live-edge graph*); the active set is everything
reachable from the seeds. Each edge is tried at most once per run (when its
source activates), so a breadth-first search that draws each edge's coin as
it tries it *is* that reachability: O(n + m) per run, usually far less (only
the edges out of active nodes are touched). The coin is drawn before the
target is looked up: most coins fail, and the draw is cheaper than the
random memory access. Run ``r`` draws from its own stream
(`graphmodel.analysis.diffusion.rng`).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from graphmodel.analysis.diffusion.rng import next_uniform, sample_key, stream

__all__ = ["ic_runs"]


@njit(cache=True, nogil=True)
def ic_runs(out_ptr, dst, prob, seeds, key, r0, r1, out):
    """Spread (active nodes, seeds included) of IC runs ``r0 .. r1-1`` into ``out[0 .. r1-r0-1]``.

    ``seeds`` are distinct node indices; run ``r`` is determined by ``key`` and ``r`` alone.
    """
    n = len(out_ptr) - 1
    mark = np.full(n, -1, dtype=np.int64)  # run that activated the node
    queue = np.empty(n, dtype=np.int64)
    for r in range(r0, r1):
        s0, s1 = stream(sample_key(key, r))
        tail = 0
        for s in seeds:
            if mark[s] != r:
                mark[s] = r
                queue[tail] = s
                tail += 1
        head = 0
        while head < tail:
            u = queue[head]
            head += 1
            for e in range(out_ptr[u], out_ptr[u + 1]):
                x, s0, s1 = next_uniform(s0, s1)
                if x < prob[e]:
                    w = dst[e]
                    if mark[w] != r:
                        mark[w] = r
                        queue[tail] = w
                        tail += 1
        out[r - r0] = tail
