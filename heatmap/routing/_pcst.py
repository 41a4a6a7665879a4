"""Prize-collecting Steiner tree solvers (private helpers of :mod:`heatmap.routing.steiner`).

Objective: minimise ``edge cost of the tree + prizes of the vertices left out`` (Goemans–
Williamson form), the tree holding at least one vertex (and ``root`` when given).

- Heuristic (``default``): greedy growth from several start vertices (add the path to the
  vertex with the largest ``prize - distance`` while positive; Dijkstra runs on CSR limited to
  the largest remaining prize), MST of the induced subgraph, *strong pruning* (exact dynamic
  programme for the best subtree of a tree), then local search: re-route the kept prize
  vertices with the Steiner heuristic, insert an outside prize vertex, or drop one, accepting
  improvements.
- Exact (``exact``): single-commodity-flow MILP solved by HiGHS (for small graphs; used as the
  tests' reference beside brute force).
"""

from __future__ import annotations

import time
from collections import defaultdict
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray
from scipy.sparse.csgraph import dijkstra

from heatmap.routing import _heuristic as heur
from heatmap.routing._exact import new_highs

if TYPE_CHECKING:
    from heatmap.routing._types import Core as _Core

Tree = tuple[NDArray[np.int64], NDArray[np.int64]]
DEFAULT_PCST_TIME_LIMIT_S = 5.0
_N_STARTS = 10


def strong_prune(
    core: _Core, tree: Tree, p: NDArray[np.float64], root: int | None
) -> tuple[Tree, list[int]]:
    """Best subtree of ``tree`` (containing ``root`` when given) by net worth DP."""
    i, j = tree
    nodes = sorted(set(i.tolist()) | set(j.tolist()))
    if not nodes:
        return tree, []
    adj: dict[int, list[int]] = defaultdict(list)
    for a, b in zip(i.tolist(), j.tolist(), strict=True):
        adj[a].append(b)
        adj[b].append(a)
    top = root if root is not None else nodes[0]
    order, parent = [top], {top: -1}
    for x in order:
        for y in adj[x]:
            if y not in parent:
                parent[y] = x
                order.append(y)
    nw: dict[int, float] = {}
    for x in reversed(order):
        val = float(p[x])
        for y in adj[x]:
            if parent.get(y) == x:
                val += max(0.0, nw[y] - core.weight(x, y))
        nw[x] = val
    best = top if root is not None else max(order, key=lambda x: nw[x])
    keep = [best]
    stack = [best]
    ei: list[int] = []
    ej: list[int] = []
    while stack:
        x = stack.pop()
        for y in adj[x]:
            if parent.get(y) == x and nw[y] - core.weight(x, y) > 0:
                keep.append(y)
                stack.append(y)
                ei.append(x)
                ej.append(y)
    return (np.asarray(ei, dtype=np.int64), np.asarray(ej, dtype=np.int64)), keep


def _objective(core: _Core, tree: Tree, nodes: list[int], p: NDArray[np.float64]) -> float:
    cost = float(core.weights(tree[0], tree[1]).sum()) if len(tree[0]) else 0.0
    return float(cost + p.sum() - p[np.asarray(nodes, dtype=np.int64)].sum())


def _grow(core: _Core, p: NDArray[np.float64], start: int) -> NDArray[np.int64]:
    """Greedy growth from ``start``; returns the node set."""
    n = core.n
    dist = np.full(n, np.inf)
    pred = np.full(n, -9999, dtype=np.int32)
    in_tree = np.zeros(n, dtype=bool)
    new = np.array([start], dtype=np.int64)
    nodes: list[int] = []
    while True:
        in_tree[new] = True
        nodes.extend(new.tolist())
        dist[new] = 0.0
        pred[new] = -9999
        cand = np.flatnonzero((p > 0) & ~in_tree)
        if len(cand) == 0:
            break
        d, pr, _ = dijkstra(
            core.A,
            directed=False,
            indices=new,
            min_only=True,
            return_predecessors=True,
            limit=float(p[cand].max()),
        )
        better = d < dist
        dist[better] = d[better]
        pred[better] = pr[better]
        gain = p[cand] - dist[cand]
        k = int(np.argmax(gain))
        if not gain[k] > 0:
            break
        t = int(cand[k])
        path = [t]
        x = int(pred[t])
        while x >= 0 and not in_tree[x]:
            path.append(x)
            x = int(pred[x])
        new = np.asarray(path, dtype=np.int64)
    return np.asarray(nodes, dtype=np.int64)


class _Steiner:
    """Steiner subsolver for a fixed terminal set (APSP local search on small graphs)."""

    def __init__(self, core: _Core) -> None:
        self.core = core
        self.ap = heur.make_apsp(core.A) if core.n <= 3000 else None

    def tree(self, terms: list[int], deadline: float) -> Tree:
        t = np.asarray(sorted(set(terms)), dtype=np.int64)
        is_term = np.zeros(self.core.n, dtype=bool)
        is_term[t] = True
        if len(t) <= 1:
            z = np.zeros(0, dtype=np.int64)
            return z, z.copy()
        if self.ap is not None:
            return heur.local_search_apsp(self.ap, t, is_term, n_roots=2, seed=0, deadline=deadline)
        return heur.sph(self.core.A, t, is_term, int(t[0]))


def _evaluate(
    core: _Core,
    st: _Steiner,
    terms: list[int],
    p: NDArray[np.float64],
    root: int | None,
    deadline: float,
) -> tuple[float, Tree, list[int]]:
    tree = st.tree(terms, deadline)
    if len(tree[0]) == 0:
        nodes = [terms[0]] if terms else [root if root is not None else int(np.argmax(p))]
        if root is not None:
            nodes = [root]
        return _objective(core, tree, nodes, p), tree, nodes
    tree, nodes = strong_prune(core, tree, p, root)
    return _objective(core, tree, nodes, p), tree, nodes


def heuristic(
    core: _Core, p: NDArray[np.float64], root: int | None, time_limit_s: float | None
) -> tuple[Tree, list[int]]:
    """Multi-start greedy growth + strong pruning + insert/drop local search."""
    t0 = time.perf_counter()
    deadline = t0 + (DEFAULT_PCST_TIME_LIMIT_S if time_limit_s is None else time_limit_s)
    if root is not None:
        starts = [root]
    else:
        order = np.argsort(-p, kind="stable")
        starts = [int(x) for x in order[:_N_STARTS]]
    best: tuple[float, Tree, list[int]] | None = None
    for s in starts:
        nodes = _grow(core, p, s)
        tree = heur.mst_prune(core.A, nodes, (p > 0) | (np.arange(core.n) == s))
        if len(tree[0]):
            tree, kept = strong_prune(core, tree, p, root)
        else:
            kept = [s]
        cand = (_objective(core, tree, kept, p), tree, kept)
        if best is None or cand[0] < best[0] - 1e-12:
            best = cand
        if time.perf_counter() > deadline:
            break
    if best is None:  # pragma: no cover - starts is never empty
        msg = "prize-collecting heuristic found no start vertex"
        raise RuntimeError(msg)
    st = _Steiner(core)
    prize_nodes = np.flatnonzero(p > 0).tolist()
    improved = True
    while improved and time.perf_counter() < deadline:
        improved = False
        cur = set(best[2])
        base = [x for x in best[2] if p[x] > 0 or x == root]
        moves: list[list[int]] = [base]
        moves += [[*base, v] for v in prize_nodes if v not in cur]
        moves += [[x for x in base if x != v] for v in base if v != root]
        for terms in moves:
            if not terms:
                continue
            if root is not None and root not in terms:
                terms = [root, *terms]
            cand = _evaluate(core, st, terms, p, root, deadline)
            if cand[0] < best[0] - 1e-9:
                best = cand
                improved = True
                break
            if time.perf_counter() > deadline:
                break
    return best[1], best[2]


def exact_milp(
    core: _Core, p: NDArray[np.float64], root: int | None, time_limit_s: float | None
) -> tuple[Tree, list[int], float | None, bool]:
    """Single-commodity-flow MILP (HiGHS); returns (tree, nodes, lower bound, optimal)."""
    n, m = core.n, len(core.u)
    # columns: x_e (m), y_v (n), z_v (n), f_arc (2m), g_v (n)
    nx_, ny, nz, nf, ng = 0, m, m + n, m + 2 * n, 3 * m + 2 * n
    ncol = 3 * m + 3 * n
    cost = np.zeros(ncol)
    cost[nx_:ny] = core.w
    cost[ny:nz] = -p
    lo = np.zeros(ncol)
    hi = np.ones(ncol)
    hi[nf:ng] = max(n - 1, 1)
    hi[ng:] = n
    if root is not None:
        lo[nz + root] = 1.0
    h = new_highs()
    h.setOptionValue("mip_rel_gap", 0.0)
    if time_limit_s is not None:
        h.setOptionValue("time_limit", float(time_limit_s))
    h.addCols(ncol, cost, lo, hi, 0, np.array([]), np.array([]), np.array([]))
    integ = np.zeros(ncol, dtype=np.uint8)
    integ[: m + 2 * n] = 1
    h.changeColsIntegrality(ncol, np.arange(ncol, dtype=np.int32), integ)
    rows: list[tuple[float, float, list[int], list[float]]] = []
    rows.append((1.0, 1.0, list(range(nz, nz + n)), [1.0] * n))
    rows.append((-1.0, -1.0, [*range(m), *range(ny, ny + n)], [1.0] * m + [-1.0] * n))
    for v in range(n):
        rows.append((-np.inf, 0.0, [nz + v, ny + v], [1.0, -1.0]))
        rows.append((-np.inf, 0.0, [ng + v, nz + v], [1.0, -float(n)]))
    inflow: list[list[tuple[int, float]]] = [[] for _ in range(n)]
    for e, (a, b) in enumerate(zip(core.u.tolist(), core.v.tolist(), strict=True)):
        fab, fba = nf + 2 * e, nf + 2 * e + 1
        inflow[b] += [(fab, 1.0), (fba, -1.0)]
        inflow[a] += [(fba, 1.0), (fab, -1.0)]
        rows.append((-np.inf, 0.0, [fab, e], [1.0, -float(max(n - 1, 1))]))
        rows.append((-np.inf, 0.0, [fba, e], [1.0, -float(max(n - 1, 1))]))
        rows.append((-np.inf, 0.0, [e, ny + a], [1.0, -1.0]))
        rows.append((-np.inf, 0.0, [e, ny + b], [1.0, -1.0]))
    for v in range(n):
        idx = [ng + v, ny + v] + [c for c, _ in inflow[v]]
        val = [1.0, -1.0] + [s for _, s in inflow[v]]
        rows.append((0.0, 0.0, idx, val))
    lo_r = np.array([r[0] for r in rows])
    hi_r = np.array([r[1] for r in rows])
    starts = np.cumsum([0] + [len(r[2]) for r in rows[:-1]]).astype(np.int32)
    all_idx = np.concatenate([np.asarray(r[2], dtype=np.int32) for r in rows])
    all_val = np.concatenate([np.asarray(r[3], dtype=np.float64) for r in rows])
    h.addRows(len(rows), lo_r, hi_r, len(all_idx), starts, all_idx, all_val)
    h.run()
    status = h.modelStatusToString(h.getModelStatus())
    sol = np.asarray(h.getSolution().col_value)
    bound = float(h.getInfo().mip_dual_bound) + float(p.sum())
    xe = sol[:m] > 0.5
    yv = np.flatnonzero(sol[ny:nz] > 0.5).tolist()
    tree = (core.u[xe].astype(np.int64), core.v[xe].astype(np.int64))
    return tree, yv, (bound if np.isfinite(bound) else None), status == "Optimal"


def solve_pcst(
    core: _Core,
    p: NDArray[np.float64],
    *,
    root: int | None,
    method: str,
    time_limit_s: float | None,
) -> tuple[Tree, list[int], float | None, bool]:
    """Dispatch to the heuristic or the exact MILP; returns (tree, nodes, lb, optimal)."""
    if method == "exact":
        return exact_milp(core, p, root, time_limit_s)
    tree, nodes = heuristic(core, p, root, time_limit_s)
    return tree, nodes, None, False
