"""Reduction tests for the prize-collecting Steiner tree problem (private to the PCST solver).

Each test removes vertices or edges that some optimal tree avoids, so the reduced instance has
the same optimum (the trivial one-vertex trees are kept aside by the caller):

- vertices outside the root's component (rooted instances);
- a leaf that is neither required nor worth its edge (``p(v) <= w(v, u)``): a tree using it
  is no worse without it;
- an edge ``(u, v)`` longer than another ``u``-``v`` path (least-cost test): a tree using it
  is no worse with the path instead (all-pairs distances, on graphs of up to
  :data:`SP_TEST_MAX_NODES` vertices).

References: Duin & Volgenant (1987), Uchoa (2006), Rehfeldt & Koch (2019).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from scipy.sparse.csgraph import connected_components, dijkstra

from heatmap.routing._types import PcstInstance, csr_from_edges

__all__ = ["SP_TEST_MAX_NODES", "make_instance", "reduce_instance", "subinstance"]

#: graphs up to this many vertices get the all-pairs least-cost test
SP_TEST_MAX_NODES = 2500


def make_instance(
    n: int,
    u: NDArray[np.int64],
    v: NDArray[np.int64],
    w: NDArray[np.float64],
    p: NDArray[np.float64],
    root: int | None,
    required: NDArray[np.bool_],
) -> PcstInstance:
    """Return an instance on all ``n`` vertices (edges ``u < v``, sorted, unique)."""
    return PcstInstance(
        u=u,
        v=v,
        w=w,
        p=p,
        root=root,
        required=required,
        orig=np.arange(n, dtype=np.int64),
        A=csr_from_edges(n, u, v, w),
    )


def subinstance(inst: PcstInstance, keep_v: NDArray[np.bool_], keep_e: NDArray) -> PcstInstance:
    """Return the instance on the kept vertices and edges (renumbered, order kept)."""
    new = np.cumsum(keep_v) - 1
    ke = keep_e & keep_v[inst.u] & keep_v[inst.v]
    u, v, w = new[inst.u[ke]], new[inst.v[ke]], inst.w[ke]
    n = int(keep_v.sum())
    return PcstInstance(
        u=u,
        v=v,
        w=w,
        p=inst.p[keep_v],
        root=None if inst.root is None else int(new[inst.root]),
        required=inst.required[keep_v],
        orig=inst.orig[keep_v],
        A=csr_from_edges(n, u, v, w),
    )


def _leaf_test(inst: PcstInstance) -> tuple[NDArray[np.bool_], NDArray[np.bool_], int]:
    """Drop unprofitable leaves repeatedly; return kept vertices, kept edges, removals."""
    n = inst.n
    deg = np.bincount(np.concatenate([inst.u, inst.v]), minlength=n)
    alive_e = np.ones(len(inst.u), dtype=bool)
    alive_v = np.ones(n, dtype=bool)
    inc: list[list[int]] = [[] for _ in range(n)]
    for e, (a, b) in enumerate(zip(inst.u.tolist(), inst.v.tolist(), strict=True)):
        inc[a].append(e)
        inc[b].append(e)
    fixed = inst.required.copy()
    if inst.root is not None:
        fixed[inst.root] = True
    stack = [x for x in range(n) if deg[x] == 1 and not fixed[x]]
    removed = 0
    while stack:
        x = stack.pop()
        if not alive_v[x] or deg[x] != 1 or fixed[x]:
            continue
        e = next(k for k in inc[x] if alive_e[k])
        if inst.p[x] > inst.w[e]:
            continue
        y = int(inst.u[e]) if int(inst.v[e]) == x else int(inst.v[e])
        alive_e[e] = False
        alive_v[x] = False
        deg[x] = 0
        deg[y] -= 1
        removed += 1
        if deg[y] == 1 and not fixed[y]:
            stack.append(y)
    return alive_v, alive_e, removed


def _least_cost_test(inst: PcstInstance) -> NDArray[np.bool_]:
    """Return the edges kept by the least-cost test (all kept on large graphs)."""
    keep = np.ones(len(inst.u), dtype=bool)
    if inst.n > SP_TEST_MAX_NODES or len(inst.u) == 0:
        return keep
    D = dijkstra(inst.A, directed=False)
    tol = 1e-9 * max(1.0, float(inst.w.max()))
    keep = D[inst.u, inst.v] >= inst.w - tol
    return np.asarray(keep, dtype=bool)


def reduce_instance(inst: PcstInstance) -> tuple[PcstInstance, dict[str, int]]:
    """Apply the reduction tests; return the reduced instance and what was removed.

    The least-cost test runs once (removing leaves does not change the distances between the
    other vertices), then the leaf test until no leaf goes.
    """
    stats = {"vertices_removed": 0, "edges_removed": 0}
    if inst.root is not None:
        _, lab = connected_components(inst.A, directed=False)
        comp = lab == lab[inst.root]
        if not comp.all():
            stats["vertices_removed"] += int((~comp).sum())
            inst = subinstance(inst, comp, np.ones(len(inst.u), dtype=bool))
    keep_e = _least_cost_test(inst)
    ne = int((~keep_e).sum())
    if ne:
        inst = subinstance(inst, np.ones(inst.n, dtype=bool), keep_e)
    keep_v, keep_e2, nv = _leaf_test(inst)
    if nv:
        inst = subinstance(inst, keep_v, keep_e2)
    stats["edges_removed"] += ne + nv
    stats["vertices_removed"] += nv
    return inst, stats
