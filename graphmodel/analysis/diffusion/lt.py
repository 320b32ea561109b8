"""Linear Threshold: the forward simulation kernel (Kempe, Kleinberg & Tardos 2003).

Every node ``w`` draws a threshold ``theta_w`` uniform in (0, 1]; ``w``
becomes active once the weights of its active in-neighbours reach it,
``sum_{u active} b_uw >= theta_w``, with ``sum_u b_uw <= 1``
(`graphmodel.analysis.diffusion.edges.lt_weights`). The seeds are active at
the start; the spread is the number of active nodes when nothing changes.

The final active set does not depend on the order in which activations are
processed (the process is monotone), so one pass over the edges out of
newly active nodes, adding each weight once to its target's total, gives
it: O(n + m) per run. ``theta_w = 1 - U`` with ``U`` the next uniform of
run ``r``'s stream (`graphmodel.analysis.diffusion.rng`), drawn when ``w`` is
first touched.

This is the model's own definition; the live-edge form (each node keeps at
most one in-edge) is used by CELF and the RR sets, and the tests check the
two agree with the exact live-edge enumeration.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from graphmodel.analysis.diffusion.rng import next_uniform, sample_key, stream

__all__ = ["lt_runs"]


@njit(cache=True, nogil=True)
def lt_runs(out_ptr, dst, weight, seeds, key, r0, r1, out):
    """Spread (active nodes, seeds included) of LT runs ``r0 .. r1-1`` into ``out[0 .. r1-r0-1]``."""
    n = len(out_ptr) - 1
    active = np.full(n, -1, dtype=np.int64)  # run in which the node is active
    touched = np.full(n, -1, dtype=np.int64)  # run in which acc/theta were set
    acc = np.zeros(n)
    theta = np.zeros(n)
    queue = np.empty(n, dtype=np.int64)
    for r in range(r0, r1):
        s0, s1 = stream(sample_key(key, r))
        tail = 0
        for s in seeds:
            if active[s] != r:
                active[s] = r
                queue[tail] = s
                tail += 1
        head = 0
        while head < tail:
            u = queue[head]
            head += 1
            for e in range(out_ptr[u], out_ptr[u + 1]):
                w = dst[e]
                if active[w] == r:
                    continue
                if touched[w] != r:
                    touched[w] = r
                    acc[w] = 0.0
                    x, s0, s1 = next_uniform(s0, s1)
                    theta[w] = 1.0 - x
                acc[w] += weight[e]
                if acc[w] >= theta[w]:
                    active[w] = r
                    queue[tail] = w
                    tail += 1
        out[r - r0] = tail
