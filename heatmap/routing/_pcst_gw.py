"""Prize-collecting building blocks: Goemans–Williamson growth, strong pruning, MST of a vertex set.

All functions work on a :class:`~heatmap.routing._types.PcstInstance` and return trees as two
arrays of edge end points. They are deterministic: ties are broken by the lowest index.

- :func:`goemans_williamson`: the primal-dual growth of Goemans & Williamson (1995) in the
  unrooted form of Hegde, Indyk & Schmidt (2015): every cluster with prize left grows at unit
  rate; an edge joins two clusters when it becomes tight, a cluster stops when its prizes are
  paid. Vectorised over the edges (one pass per event), so about ``2 n`` passes over ``m``.
- :func:`strong_prune`: the exact best subtree of a tree (dynamic programme of net worth,
  Johnson, Minkoff & Phillips 2000), rooted at the root when there is one.
- :func:`mst_of`: the minimum spanning tree of the subgraph induced by a vertex set.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components, minimum_spanning_tree

from heatmap.routing._types import PcstInstance, Tree

__all__ = ["edge_weights", "goemans_williamson", "mst_of", "objective", "strong_prune"]

_EMPTY = np.zeros(0, dtype=np.int64)


def edge_weights(inst: PcstInstance, i: NDArray[np.int64], j: NDArray[np.int64]) -> NDArray:
    """Return the true weights of edges ``(i, j)`` of ``inst`` (binary search on sorted keys)."""
    n = max(inst.n, 1)
    keys = inst.u * n + inst.v
    q = np.minimum(i, j) * n + np.maximum(i, j)
    return inst.w[np.searchsorted(keys, q)]


def objective(inst: PcstInstance, tree: Tree, nodes: NDArray[np.int64]) -> float:
    """Return edge cost of ``tree`` plus the (solver) prizes of the vertices not in ``nodes``."""
    cost = float(edge_weights(inst, tree[0], tree[1]).sum()) if len(tree[0]) else 0.0
    return cost + float(inst.p.sum() - inst.p[nodes].sum())


def strong_prune(inst: PcstInstance, tree: Tree, nodes: NDArray[np.int64]) -> tuple[Tree, NDArray]:
    """Return the best subtree of ``tree`` (spanning ``nodes``) and its vertices.

    The best subtree maximises collected prize minus edge cost; with a root it contains the
    root. Net worth ``nw(x) = p(x) + sum over children c of max(0, nw(c) - w(x, c))``; the best
    unrooted subtree hangs from the vertex of largest net worth.
    """
    i, j = tree
    if len(i) == 0:
        if inst.root is not None:
            top = inst.root
        else:
            top = int(nodes[np.argmax(inst.p[nodes])]) if len(nodes) else int(np.argmax(inst.p))
        return (_EMPTY, _EMPTY.copy()), np.array([top], dtype=np.int64)
    wt = edge_weights(inst, i, j).tolist()
    adj: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for a, b, x in zip(i.tolist(), j.tolist(), wt, strict=True):
        adj[a].append((b, x))
        adj[b].append((a, x))
    top = inst.root if inst.root is not None else min(adj)
    order, parent = [top], {top: -1}
    for x in order:
        for y, _ in adj[x]:
            if y not in parent:
                parent[y] = x
                order.append(y)
    p = inst.p
    nw: dict[int, float] = {}
    for x in reversed(order):
        val = float(p[x])
        for y, c in adj[x]:
            if parent[y] == x:
                val += max(0.0, nw[y] - c)
        nw[x] = val
    best = top if inst.root is not None else max(order, key=lambda x: (nw[x], -x))
    keep, stack, ei, ej = [best], [best], [], []
    while stack:
        x = stack.pop()
        for y, c in adj[x]:
            if parent[y] == x and nw[y] - c > 0:
                keep.append(y)
                stack.append(y)
                ei.append(x)
                ej.append(y)
    return (np.asarray(ei, dtype=np.int64), np.asarray(ej, dtype=np.int64)), np.sort(
        np.asarray(keep, dtype=np.int64)
    )


def mst_of(inst: PcstInstance, nodes: NDArray[np.int64]) -> Tree | None:
    """Return the MST of the subgraph induced by ``nodes`` (sorted), or None if disconnected."""
    if len(nodes) <= 1:
        return _EMPTY, _EMPTY.copy()
    sub = inst.A[nodes][:, nodes]
    if connected_components(sub, directed=False)[0] != 1:
        return None
    T = minimum_spanning_tree(sub).tocoo()
    return nodes[T.row.astype(np.int64)], nodes[T.col.astype(np.int64)]


def _gw_events(inst: PcstInstance, max_events: int) -> tuple[list[int], int]:
    """Run the growth phase; return the indices of the edges that joined clusters and events."""
    n = inst.n
    u, v, w = inst.u, inst.v, inst.w
    cl = np.arange(n, dtype=np.int64)  # cluster of each vertex
    budget = np.concatenate([inst.p, np.zeros(n)])  # prize left per cluster (2n ids)
    active = np.concatenate([inst.p > 0, np.zeros(n, dtype=bool)])
    if inst.root is not None:
        active[inst.root] = False
    load = np.zeros(n)  # dual load on each vertex (sum of y_S over S containing it)
    eidx = np.arange(len(u), dtype=np.int64)
    joined: list[int] = []
    next_id, events = n, 0
    while events < max_events and active.any():
        events += 1
        cu, cv = cl[u[eidx]], cl[v[eidx]]
        live = cu != cv
        if not live.all():
            eidx, cu, cv = eidx[live], cu[live], cv[live]
        rate = active[cu].astype(np.int64) + active[cv]
        slack = w[eidx] - load[u[eidx]] - load[v[eidx]]
        with np.errstate(divide="ignore", invalid="ignore"):
            t_edge = np.where(rate > 0, np.maximum(slack, 0.0) / np.maximum(rate, 1), np.inf)
        act_ids = np.flatnonzero(active)
        t_clus = budget[act_ids]
        ke = int(np.argmin(t_edge)) if len(t_edge) else -1
        kc = int(np.argmin(t_clus))
        de = t_edge[ke] if ke >= 0 else np.inf
        dt = min(de, t_clus[kc])
        grow = active[cl]
        load[grow] += dt
        budget[act_ids] -= dt
        if de <= t_clus[kc]:
            a, b = int(cu[ke]), int(cv[ke])
            joined.append(int(eidx[ke]))
            new = next_id
            next_id += 1
            cl[(cl == a) | (cl == b)] = new
            budget[new] = max(0.0, budget[a]) * active[a] + max(0.0, budget[b]) * active[b]
            has_root = inst.root is not None and cl[inst.root] == new
            active[new] = budget[new] > 0 and not has_root
            active[a] = active[b] = False
        else:
            active[act_ids[kc]] = False
    return joined, events


def goemans_williamson(inst: PcstInstance, max_events: int) -> tuple[Tree, NDArray, int]:
    """Return the GW forest's best strongly pruned tree, its vertices and the events used."""
    joined, events = _gw_events(inst, max_events)
    if not joined:
        top = inst.root if inst.root is not None else int(np.argmax(inst.p))
        return (_EMPTY, _EMPTY.copy()), np.array([top], dtype=np.int64), events
    idx = np.asarray(joined, dtype=np.int64)
    fi, fj = inst.u[idx], inst.v[idx]
    F = coo_matrix((np.ones(len(idx)), (fi, fj)), shape=(inst.n, inst.n))
    _, lab = connected_components(F, directed=False)
    best: tuple[float, Tree, NDArray] | None = None
    for c in np.unique(lab[fi]):
        sel = lab[fi] == c
        if inst.root is not None and lab[inst.root] != c:
            continue
        tree = (fi[sel], fj[sel])
        nodes = np.unique(np.concatenate(tree))
        tree, kept = strong_prune(inst, tree, nodes)
        val = objective(inst, tree, kept)
        if best is None or val < best[0]:
            best = (val, tree, kept)
    if best is None:  # the root stayed alone
        root = int(inst.root) if inst.root is not None else 0
        return (_EMPTY, _EMPTY.copy()), np.array([root], dtype=np.int64), events
    return best[1], best[2], events
