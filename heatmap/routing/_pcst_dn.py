"""Key-vertex local search on the distance network (private to the prize-collecting solver).

A tree is described by its *key set* ``X``: the prize vertices it holds, its required vertices
and its branching (Steiner) vertices. The value of a key set is the cost of the minimum
spanning tree of ``X`` in the distance network (all-pairs shortest paths) plus the prizes of
the vertices outside ``X``; it bounds from above the objective of the tree obtained by expanding
the MST edges into shortest paths, taking the MST of the vertices met and pruning strongly.

Moves (Uchoa & Werneck 2010, in their prize-collecting form):

- insertion of any vertex ``v`` (a prize vertex or a Steiner vertex): the new MST is the MST
  of the old tree plus the star of ``v``; all candidates are screened at once by a lower
  bound on the change from the bottleneck matrix of the tree (exact when one star edge at
  most can replace a tree edge), which never discards an improving move; the rest are
  evaluated by Kruskal on ``2 |X|`` edges;
- elimination of a non-required vertex of ``X``: the other tree edges stay, and the pieces
  left are rejoined by the MST of their shortest connections.

After the search converges the key set is expanded into a tree of the graph, and the search
starts again from the key set of that tree while it improves. Every evaluated move counts one
unit of work and the budget, not the clock, ends the search.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from scipy.sparse.csgraph import dijkstra

from heatmap.routing._graph_core import predecessor_path
from heatmap.routing._pcst_local import Solution, solution
from heatmap.routing._types import PcstInstance

__all__ = ["DistanceNetwork", "key_vertex_search"]

_TOL = 1e-9
#: key-set size at which a move counts one unit of work (larger sets count proportionally)
KEY_UNIT = 64


class DistanceNetwork:
    """All-pairs distances and predecessors of an instance (computed once, reused)."""

    def __init__(self, inst: PcstInstance) -> None:
        self.inst = inst
        D, P = dijkstra(inst.A, directed=False, return_predecessors=True)
        self.D: NDArray[np.float64] = D
        self.P: NDArray[np.int32] = P
        fixed = inst.required.copy()
        if inst.root is not None:
            fixed[inst.root] = True
        self.fixed = fixed
        #: prizes the search sees (the instance's, or perturbed ones)
        self.p: NDArray[np.float64] = inst.p

    def perturbed(self, seed: int, scale: float, prize_scale: float = 0.0) -> DistanceNetwork:
        """Return a copy whose distances (and prizes) are scaled by factors drawn with ``seed``.

        The distance factors are uniform in ``[1 - scale, 1 + scale]`` and symmetric; the paths
        stay the true shortest paths, so a key set expands into a tree of the instance as usual.
        With ``prize_scale`` the prizes the search sees are raised by factors uniform in
        ``[1, 1 + prize_scale]`` (the instance keeps its own).
        """
        rng = np.random.default_rng(seed)
        n = len(self.D)
        f = np.triu(rng.uniform(1.0 - scale, 1.0 + scale, (n, n)), 1)
        f += f.T
        np.fill_diagonal(f, 1.0)
        f *= self.D
        out = object.__new__(DistanceNetwork)
        out.inst, out.P, out.fixed = self.inst, self.P, self.fixed
        out.D = f
        out.p = self.p
        if prize_scale > 0:
            out.p = self.p * rng.uniform(1.0, 1.0 + prize_scale, n)
        return out

    def path(self, a: int, b: int) -> list[int]:
        """Vertices of the shortest path from ``a`` to ``b``."""
        return predecessor_path(self.P, a, b)


def _prim(M: NDArray[np.float64]) -> tuple[float, NDArray[np.int64], list[int]]:
    """MST of a dense symmetric matrix: cost, parents and joining order.

    The parent of vertex 0 is ``-1``; in the order every parent comes before its children.
    """
    k = len(M)
    par = np.zeros(k, dtype=np.int64)
    par[:1] = -1
    order = [0] if k else []
    if k <= 1:
        return 0.0, par, order
    done = np.zeros(k, dtype=bool)
    done[0] = True
    dist = M[0].copy()
    dist[0] = np.inf
    cost = 0.0
    for _ in range(k - 1):
        j = int(np.argmin(dist))
        cost += float(dist[j])
        order.append(j)
        done[j] = True
        dist[j] = np.inf
        row = M[j]
        upd = (row < dist) & ~done
        dist[upd] = row[upd]
        par[upd] = j
    return cost, par, order


def _prim_small(M: list[list[float]]) -> float:
    """MST cost of a small dense symmetric matrix given as lists (no array overhead)."""
    k = len(M)
    dist = list(M[0])
    left = list(range(1, k))
    cost = 0.0
    while left:
        j = min(left, key=dist.__getitem__)
        cost += dist[j]
        left.remove(j)
        row = M[j]
        for i in left:
            if row[i] < dist[i]:
                dist[i] = row[i]
    return cost


def _find(uf: list[int], a: int) -> int:
    while uf[a] != a:
        uf[a] = uf[uf[a]]
        a = uf[a]
    return a


def _insert_cost(
    tw: list[float], ta: list[int], tb: list[int], star: NDArray[np.float64], k: int
) -> float:
    """MST cost of the tree edges ``(ta, tb, tw)`` (sorted by weight) plus a star to ``k``."""
    order = np.argsort(star, kind="stable")
    sw = star[order].tolist()
    so = order.tolist()
    uf = list(range(k + 1))
    cost, used, i, j, m = 0.0, 0, 0, 0, len(tw)
    while used < k:
        if j >= k or (i < m and tw[i] <= sw[j]):
            a, b, w = ta[i], tb[i], tw[i]
            i += 1
        else:
            a, b, w = k, so[j], sw[j]
            j += 1
        ra, rb = _find(uf, a), _find(uf, b)
        if ra != rb:
            uf[ra] = rb
            cost += w
            used += 1
    return cost


class _State:
    """Key set, its MST in the distance network and the move counter."""

    def __init__(self, dn: DistanceNetwork, p: NDArray[np.float64], X: list[int]) -> None:
        self.dn = dn
        self.p = p
        self.evals = 0
        self.set(X)

    def set(self, X: list[int]) -> None:
        self.X = np.asarray(sorted(set(X)), dtype=np.int64)
        M = self.dn.D[np.ix_(self.X, self.X)]
        self.cost, self.par, self.order = _prim(M)
        k = len(self.X)
        ch = np.arange(1, k)
        pw = M[ch, self.par[1:]] if k > 1 else np.zeros(0)
        o = np.argsort(pw, kind="stable")
        self.tw = pw[o].tolist()
        self.ta = ch[o].tolist()
        self.tb = self.par[1:][o].tolist()
        self.wmax = float(pw.max()) if k > 1 else 0.0
        self.pw = np.concatenate([[0.0], pw])  # weight of the edge to the parent
        # B[a, b]: longest MST edge on the path between a and b
        # (filled in joining order, where the vertices already joined are a leading block)
        order = np.asarray(self.order, dtype=np.int64)
        at = np.empty(k, dtype=np.int64)
        at[order] = np.arange(k)
        Bo = np.zeros((k, k))
        for c, v in enumerate(self.order[1:], start=1):
            row = np.maximum(Bo[at[self.par[v]], :c], self.pw[v])
            Bo[c, :c] = row
            Bo[:c, c] = row
        self.B = Bo[np.ix_(at, at)]
        # depth-first entry/exit times: the subtree of c is tin[c] <= tin <= tout[c]
        kids: list[list[int]] = [[] for _ in range(k)]
        for v in self.order[1:]:
            kids[int(self.par[v])].append(v)
        self.kids = kids
        tin = np.zeros(k, dtype=np.int64)
        tout = np.zeros(k, dtype=np.int64)
        clock, stack = 0, [(self.order[0], False)] if k else []
        while stack:
            v, done = stack.pop()
            if done:
                tout[v] = clock - 1
                continue
            tin[v] = clock
            clock += 1
            stack.append((v, True))
            stack.extend((c, False) for c in reversed(kids[v]))
        self.tin, self.tout = tin, tout
        # the distances between key vertices in depth-first order: a subtree is a block
        self.dfs = np.argsort(tin, kind="stable")
        self.Mt = M[np.ix_(self.dfs, self.dfs)]

    def value(self) -> float:
        return self.cost - float(self.p[self.X].sum())

    def try_insert(self, budget: int) -> bool:
        """First improving insertion, candidates by estimated change; True if one was made.

        A star edge other than the shortest enters the MST only by replacing a longer tree
        edge on the path to an earlier star end, so its saving is bounded through ``B`` (the
        longest tree edge between two key vertices); with at most one edge able to save, the
        bound is the exact change. Otherwise the candidate is evaluated by Kruskal.
        """
        D, X, k = self.dn.D, self.X, len(self.X)
        tol = _TOL * max(1.0, abs(self.cost))
        inx = np.zeros(len(self.p), dtype=bool)
        inx[X] = True
        cand = np.flatnonzero(~inx & np.isfinite(D[X[0]]))
        if len(cand) == 0:
            return False
        R = D[np.ix_(cand, X)]
        # every saving is at most the longest tree edge: a bound without sorting first
        quick = R.min(axis=1) - self.p[cand] + np.minimum(0.0, R - self.wmax).sum(axis=1)
        near = quick < -tol
        cand, R = cand[near], R[near]
        if len(cand) == 0:
            return False
        idx = np.argsort(R, axis=1, kind="stable")
        S = np.take_along_axis(R, idx, axis=1)
        # star edge j (by length) saves at most the longest tree edge on the path from x_j to
        # an earlier star end, at most the running maximum of B(x_1, x_i), i <= j
        run = np.maximum.accumulate(self.B[idx[:, :1], idx[:, 1:]], axis=1)
        extra = np.minimum(0.0, S[:, 1:] - run)
        est = S[:, 0] - self.p[cand] + extra.sum(axis=1)
        exact = (extra < 0).sum(axis=1) <= 1
        ok = est < -tol
        cand, est, exact = cand[ok], est[ok], exact[ok]
        o = np.lexsort((cand, est))
        for v, ex in zip(cand[o].tolist(), exact[o].tolist(), strict=True):
            if self.evals >= budget:
                return False
            self.evals += 1
            if not ex:
                new = _insert_cost(self.tw, self.ta, self.tb, D[v, X], k)
                if not new - self.cost - self.p[v] < -tol:
                    continue
            self.set([*X.tolist(), v])
            return True
        return False

    def _remove_cost(self, pos: int) -> float:
        """MST cost without ``X[pos]``: the other tree edges stay, the pieces are rejoined.

        In depth-first order the subtree of each child of ``X[pos]`` is one block and the rest
        of the tree at most two, so the shortest connections between the pieces are block
        minima of the reordered distance matrix.
        """
        par, kids = self.par, self.kids[pos]
        deg = len(kids) + (1 if par[pos] >= 0 else 0)
        base = self.cost - float(self.pw[kids].sum()) - float(self.pw[pos])
        if deg <= 1:
            return base
        k = len(self.X)
        a, b = int(self.tin[pos]), int(self.tout[pos])
        starts = ([0] if a > 0 else []) + [a] + [int(self.tin[c]) for c in kids]
        if b + 1 < k:
            starts.append(b + 1)
        G = np.minimum.reduceat(np.minimum.reduceat(self.Mt, starts, axis=0), starts, axis=1)
        xi = 1 if a > 0 else 0  # the block of X[pos] itself
        sel = list(range(xi + 1, xi + 1 + len(kids)))
        if a > 0 and b + 1 < k:  # the two blocks of the rest are one piece
            last = len(starts) - 1
            G[0] = np.minimum(G[0], G[last])
            G[:, 0] = np.minimum(G[:, 0], G[:, last])
            sel.insert(0, 0)
        elif a > 0:
            sel.insert(0, 0)
        elif b + 1 < k:
            sel.append(len(starts) - 1)
        if len(sel) == 2:
            return base + float(G[sel[0], sel[1]])
        if len(sel) == 3:  # the two shortest of the three connections
            i, j, m = sel
            g = (float(G[i, j]), float(G[i, m]), float(G[j, m]))
            return base + sum(g) - max(g)
        return base + _prim_small(G[np.ix_(sel, sel)].tolist())

    def try_remove(self, budget: int) -> bool:
        """Best improving elimination; True if one was made.

        Every shortest connection between two pieces left by removing ``x`` is at least as
        long as the longer of their tree edges at ``x`` (cycle property), so the removal saves
        at most the shortest tree edge at ``x`` minus ``p(x)``: candidates are evaluated by
        that bound, largest first, until it cannot beat the best saving found.
        """
        X, k = self.X, len(self.X)
        if k <= 1:
            return False
        best, best_x = _TOL * max(1.0, abs(self.cost)), -1
        ch = np.arange(1, k)
        wmin = np.full(k, np.inf)
        np.minimum.at(wmin, ch, self.pw[1:])
        np.minimum.at(wmin, self.par[1:], self.pw[1:])
        ub = wmin - self.p[X]
        ok = np.flatnonzero(~self.dn.fixed[X] & (ub > best))
        for pos in ok[np.lexsort((ok, -ub[ok]))].tolist():
            if ub[pos] <= best:
                break
            if self.evals >= budget:
                break
            self.evals += 1
            gain = self.cost - self._remove_cost(pos) - self.p[X[pos]]
            if gain > best:
                best, best_x = gain, int(X[pos])
        if best_x < 0:
            return False
        self.set([x for x in X.tolist() if x != best_x])
        return True


def _expand(dn: DistanceNetwork, st: _State) -> Solution | None:
    X = st.X
    nodes = list(X.tolist())
    for c in range(1, len(X)):
        nodes.extend(dn.path(int(X[st.par[c]]), int(X[c])))
    return solution(dn.inst, np.asarray(nodes, dtype=np.int64))


def key_set(dn: DistanceNetwork, sol: Solution) -> list[int]:
    """Key set of a tree: its prize, required and branching vertices."""
    i, j = sol.tree
    deg = np.bincount(np.concatenate([i, j]), minlength=dn.inst.n) if len(i) else None
    nodes = sol.nodes
    keep = (dn.inst.p[nodes] > 0) | dn.fixed[nodes]
    if deg is not None:
        keep |= deg[nodes] >= 3
    X = nodes[keep].tolist()
    return X if X else nodes[:1].tolist()


def key_vertex_search(
    dn: DistanceNetwork, sol: Solution, budget: int, *, one_pass: bool = False
) -> tuple[Solution, int]:
    """Improve ``sol`` by key-vertex insertion/elimination; return it and the work done.

    ``budget`` bounds the moves evaluated; the work returned is the moves evaluated weighted by
    ``max(1, |X| / KEY_UNIT)`` for the starting key set ``X``, as a move costs about ``|X|``.

    With ``one_pass`` (a perturbed distance network) the tree the search ends at is returned
    whether better or not; else the returned tree is never worse than ``sol``.
    """
    prizes = dn.p
    best, used = sol, 0
    X = key_set(dn, sol)
    unit = max(1, len(X) // KEY_UNIT)
    while used < budget:
        st = _State(dn, prizes, X)
        st.evals = used
        while st.evals < budget:
            if not (st.try_remove(budget) or st.try_insert(budget)):
                break
        used = max(st.evals, used + 1)
        cand = _expand(dn, st)
        if cand is None:
            break
        if one_pass:
            return cand, used * unit
        if not cand.value < best.value - _TOL * max(1.0, abs(best.value)):
            break
        best = cand
        X = key_set(dn, best)
    return best, used * unit
