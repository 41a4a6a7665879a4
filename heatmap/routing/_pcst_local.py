"""Starts and local search of the prize-collecting heuristic (private to the PCST solver).

- :func:`grow`: greedy growth from a start vertex (prize-collecting shortest-path heuristic):
  add the path to the vertex of largest ``prize - distance`` while it is positive.
- :func:`local_search`: vertex insertion and elimination on the minimum spanning tree of the
  vertex set (Minoux 1990; Uchoa & Werneck 2010), each accepted move followed by strong
  pruning, until a full round improves nothing or the evaluation budget is spent.

Every evaluation counts one unit of work; the budget, not the clock, ends the search.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components, dijkstra, minimum_spanning_tree

from heatmap.routing._pcst_gw import edge_weights, mst_of, objective, strong_prune
from heatmap.routing._types import PcstInstance, Tree

__all__ = ["Solution", "grow", "local_search"]

_TOL = 1e-9


@dataclass(frozen=True)
class Solution:
    """A tree of an instance: its edges, vertices (sorted) and objective."""

    tree: Tree
    nodes: NDArray[np.int64]
    value: float


def solution(inst: PcstInstance, nodes: NDArray[np.int64]) -> Solution | None:
    """Return the strongly pruned MST of ``nodes`` as a solution (None if disconnected)."""
    nodes = np.unique(nodes)
    tree = mst_of(inst, nodes)
    if tree is None:
        return None
    tree, kept = strong_prune(inst, tree, nodes)
    return Solution(tree, kept, objective(inst, tree, kept))


def grow(inst: PcstInstance, start: int) -> tuple[NDArray[np.int64], int]:
    """Return the vertex set grown greedily from ``start`` and the Dijkstra runs used."""
    n = inst.n
    p = inst.p
    dist = np.full(n, np.inf)
    pred = np.full(n, -9999, dtype=np.int32)
    in_tree = np.zeros(n, dtype=bool)
    new = np.array([start], dtype=np.int64)
    nodes: list[int] = []
    runs = 0
    while True:
        in_tree[new] = True
        nodes.extend(new.tolist())
        dist[new] = 0.0
        pred[new] = -9999
        cand = np.flatnonzero((p > 0) & ~in_tree)
        if len(cand) == 0:
            break
        runs += 1
        d, pr, _ = dijkstra(
            inst.A,
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
    return np.asarray(sorted(nodes), dtype=np.int64), runs


def _mst_small(
    k: int, i: NDArray[np.int64], j: NDArray[np.int64], w: NDArray[np.float64]
) -> tuple[NDArray[np.int64], NDArray[np.int64], float] | None:
    """MST of a graph on ``k`` local vertices; None when it is disconnected."""
    if k <= 1:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), 0.0
    if len(i) < k - 1:
        return None
    M = coo_matrix((np.maximum(w, 1e-300), (i, j)), shape=(k, k)).tocsr()
    if connected_components(M, directed=False)[0] != 1:
        return None
    T = minimum_spanning_tree(M).tocoo()
    r, c = T.row.astype(np.int64), T.col.astype(np.int64)
    return r, c, float(T.sum())


class _Search:
    """State of one local search: the current tree and the evaluation counter."""

    def __init__(self, inst: PcstInstance, sol: Solution, budget: int) -> None:
        self.inst = inst
        self.sol = sol
        self.budget = budget
        self.evals = 0
        fixed = inst.required.copy()
        if inst.root is not None:
            fixed[inst.root] = True
        self.fixed = fixed

    def _tree_cost(self) -> float:
        t = self.sol.tree
        return float(edge_weights(self.inst, t[0], t[1]).sum()) if len(t[0]) else 0.0

    def _accept(self, nodes: NDArray[np.int64], tree: Tree) -> bool:
        tree, kept = strong_prune(self.inst, tree, nodes)
        val = objective(self.inst, tree, kept)
        if val < self.sol.value - _TOL * max(1.0, abs(self.sol.value)):
            self.sol = Solution(tree, kept, val)
            return True
        return False

    def insertion_round(self) -> bool:
        """Try every vertex next to the tree; return True if a move was accepted."""
        inst, improved = self.inst, False
        in_s = np.zeros(inst.n, dtype=bool)
        in_s[self.sol.nodes] = True
        A = inst.A
        nb = np.unique(A[self.sol.nodes].indices)
        cand = nb[~in_s[nb]]
        cand = cand[np.lexsort((cand, -inst.p[cand]))]
        for x in cand.tolist():
            if self.evals >= self.budget:
                break
            if in_s[x]:
                continue
            self.evals += 1
            nodes = self.sol.nodes
            pos = np.searchsorted(nodes, x)
            loc = np.full(inst.n, -1, dtype=np.int64)
            newn = np.insert(nodes, pos, x)
            loc[newn] = np.arange(len(newn))
            row = A.indices[A.indptr[x] : A.indptr[x + 1]]
            wr = A.data[A.indptr[x] : A.indptr[x + 1]]
            sel = in_s[row]
            ti, tj = self.sol.tree
            wt = edge_weights(inst, ti, tj) if len(ti) else np.zeros(0)
            i = np.concatenate([loc[ti], np.full(int(sel.sum()), loc[x])])
            j = np.concatenate([loc[tj], loc[row[sel]]])
            res = _mst_small(len(newn), i, j, np.concatenate([wt, wr[sel]]))
            if res is None:
                continue
            r, c, cost = res
            if cost - self._tree_cost() - inst.p[x] >= -_TOL * max(1.0, cost):
                continue
            if self._accept(newn, (newn[r], newn[c])):
                in_s[:] = False
                in_s[self.sol.nodes] = True
                improved = True
        return improved

    def elimination_round(self) -> bool:
        """Try removing each removable tree vertex; return True if a move was accepted."""
        inst, improved = self.inst, False
        ti, tj = self.sol.tree
        deg = np.bincount(np.concatenate([ti, tj]), minlength=inst.n)
        nodes = self.sol.nodes
        cand = nodes[(~self.fixed[nodes]) & ((deg[nodes] >= 3) | (inst.p[nodes] > 0))]
        cand = cand[np.lexsort((cand, inst.p[cand], -deg[cand]))]
        for x in cand.tolist():
            if self.evals >= self.budget:
                break
            if x not in set(self.sol.nodes.tolist()):
                continue
            self.evals += 1
            rest = self.sol.nodes[self.sol.nodes != x]
            tree = mst_of(inst, rest)
            if tree is not None and self._accept(rest, tree):
                improved = True
        return improved


def local_search(inst: PcstInstance, sol: Solution, budget: int) -> tuple[Solution, int]:
    """Improve ``sol`` by vertex insertion/elimination; return it and the evaluations used."""
    s = _Search(inst, sol, budget)
    while s.evals < budget:
        a = s.insertion_round()
        b = s.elimination_round()
        if not (a or b):
            break
    return s.sol, s.evals
