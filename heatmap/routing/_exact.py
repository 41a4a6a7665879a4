"""Exact Steiner tree solver: reductions + directed cut formulation with HiGHS (private).

Method
------
1. Reductions: non-terminal vertices of degree 1 are removed and non-terminal vertices of
   degree 2 are contracted into one edge (keeping the cheaper of parallel edges), repeatedly.
2. Bidirected cut formulation rooted at a terminal ``r``: arc variables ``x``;
   in-degree 1 at every other terminal, in-degree 0 at ``r``, in-degree <= 1 at Steiner
   vertices, ``in(v) >= x_vw`` for every arc leaving a Steiner vertex, flow balance
   ``in(v) <= out(v)`` at Steiner vertices (no Steiner leaves), ``x_uv + x_vu <= 1``.
3. Cut loop on the LP relaxation: violated cuts ``x(δ⁻(W)) >= 1`` are found by max-flow /
   min-cut from ``r`` to each terminal (``scipy.sparse.csgraph.maximum_flow`` on capacities
   scaled to integers; both the source-side and the sink-side cut are added, and cut arcs get
   full capacity for the rest of the round so that the next cuts differ — nested cuts), after
   a cheap check of the support graph's reachability. Every 20 rounds and at the end, an
   LP-guided primal heuristic (SPH on weights ``w·(1 − x*)`` plus local search) may improve
   the upper bound. With integer weights the bound is rounded up.
4. The cut pool is then solved as a MIP by HiGHS; integer solutions that are not connected add
   their reachability cuts and the MIP is solved again (a lazy-constraint loop), until the
   solution connects all terminals or the time runs out.

Every model solved is a relaxation of the Steiner problem, so its bound (LP or MIP dual bound)
is a valid lower bound. The heuristic tree serves as fallback upper bound.
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

import highspy
import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import breadth_first_order, maximum_flow

from heatmap.routing import _heuristic as heur

if TYPE_CHECKING:
    from heatmap.routing._types import Core as _Core

DEFAULT_EXACT_TIME_LIMIT_S = 60.0
_SCALE = 1_000_000
_TOL = 1e-6
_GUIDED_BUDGET_S = 1.0
_MAX_VIOLATED_PER_ROUND = 40
_GUIDED_EVERY_ROUNDS = 20

Tree = tuple[NDArray[np.int64], NDArray[np.int64]]


def reduce_graph(
    u: NDArray[np.int64], v: NDArray[np.int64], w: NDArray[np.float64], is_term: NDArray[np.bool_]
) -> dict[int, dict[int, tuple[float, tuple[tuple[int, int], ...]]]]:
    """Degree-1 removal and degree-2 contraction; adjacency with original-edge lists."""
    adj: dict[int, dict[int, tuple[float, tuple[tuple[int, int], ...]]]] = {}
    for a, b, x in zip(u.tolist(), v.tolist(), w.tolist(), strict=True):
        adj.setdefault(a, {})[b] = (x, ((a, b),))
        adj.setdefault(b, {})[a] = (x, ((a, b),))
    stack = [x for x in adj if not is_term[x] and len(adj[x]) <= 2]
    while stack:
        x = stack.pop()
        if x not in adj or is_term[x] or len(adj[x]) > 2:
            continue
        nbs = list(adj[x].items())
        if len(nbs) <= 1:
            for y, _ in nbs:
                del adj[y][x]
                stack.append(y)
            del adj[x]
            continue
        (a, (wa, pa)), (b, (wb, pb)) = nbs
        del adj[a][x]
        del adj[b][x]
        del adj[x]
        new = (wa + wb, pa + pb)
        old = adj[a].get(b)
        if old is None or new[0] < old[0]:
            adj[a][b] = new
            adj[b][a] = new
        stack.extend([a, b])
    return adj


def new_highs() -> highspy.Highs:
    """Return a silent HiGHS instance (its one-time banner goes to stderr, keeping stdout clean)."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        os.dup2(2, 1)
        h = highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    return h


class _Model:
    """The cut model on the reduced graph."""

    def __init__(
        self,
        adj: dict[int, dict[int, tuple[float, tuple[tuple[int, int], ...]]]],
        terms: NDArray[np.int64],
    ) -> None:
        nodes = sorted(adj)
        self.nodes = np.asarray(nodes, dtype=np.int64)
        pos = {x: k for k, x in enumerate(nodes)}
        tail, head, cost, orig = [], [], [], []
        for a in nodes:
            for b, (x, p) in adj[a].items():
                tail.append(pos[a])
                head.append(pos[b])
                cost.append(x)
                orig.append(p)
        self.tail = np.asarray(tail, dtype=np.int64)
        self.head = np.asarray(head, dtype=np.int64)
        self.cost = np.asarray(cost, dtype=np.float64)
        self.orig = orig
        self.n = len(nodes)
        self.m = len(tail)
        self.terms = np.asarray([pos[int(t)] for t in terms], dtype=np.int64)
        deg = np.bincount(self.tail, minlength=self.n)
        self.root = int(self.terms[np.argmax(deg[self.terms])])
        self.is_term = np.zeros(self.n, dtype=bool)
        self.is_term[self.terms] = True
        # CSR with data = arc index + 1, to scatter capacities
        mat = csr_matrix(
            (np.arange(1, self.m + 1, dtype=np.float64), (self.tail, self.head)),
            shape=(self.n, self.n),
        )
        mat.sort_indices()
        self.csr_indptr = mat.indptr.astype(np.int32)
        self.csr_indices = mat.indices.astype(np.int32)
        self.csr_arc = mat.data.astype(np.int64) - 1
        self.csr_pos = np.empty(self.m, dtype=np.int64)
        self.csr_pos[self.csr_arc] = np.arange(self.m)
        self.csr_rows = np.repeat(np.arange(self.n), np.diff(self.csr_indptr))
        self.tail_csr = self.tail[self.csr_arc]
        self.head_csr = self.head[self.csr_arc]
        # CSR position of the reverse arc of the arc stored at each CSR position
        rev_arc = {
            (int(a), int(b)): k for k, (a, b) in enumerate(zip(self.tail, self.head, strict=True))
        }
        self.csr_rev = np.array(
            [
                self.csr_pos[rev_arc[(int(b), int(a))]]
                for a, b in zip(self.tail_csr, self.head_csr, strict=True)
            ],
            dtype=np.int64,
        )
        self.h = new_highs()
        self._last_violated: set[int] = set()
        self._order = self.terms.copy()
        self._build()

    def _build(self) -> None:
        h, m, n = self.h, self.m, self.n
        ub = np.ones(m)
        ub[self.head == self.root] = 0.0
        h.addCols(m, self.cost, np.zeros(m), ub, 0, np.array([]), np.array([]), np.array([]))
        in_arcs: list[list[int]] = [[] for _ in range(n)]
        for a, hd in enumerate(self.head.tolist()):
            in_arcs[hd].append(a)
        rows: list[tuple[float, float, list[int], list[float]]] = []
        for x in range(n):
            if x == self.root:
                continue
            idx = in_arcs[x]
            if self.is_term[x]:
                rows.append((1.0, 1.0, idx, [1.0] * len(idx)))
            else:
                rows.append((0.0, 1.0, idx, [1.0] * len(idx)))
        out_arcs: list[list[int]] = [[] for _ in range(n)]
        for a, tl in enumerate(self.tail.tolist()):
            out_arcs[tl].append(a)
        for x in range(n):
            if x != self.root and not self.is_term[x] and out_arcs[x]:
                # flow balance: a Steiner vertex entered must be left (no Steiner leaves)
                idx = in_arcs[x] + out_arcs[x]
                val = [1.0] * len(in_arcs[x]) + [-1.0] * len(out_arcs[x])
                rows.append((-np.inf, 0.0, idx, val))
        for a in range(m):
            t = int(self.tail[a])
            if t != self.root and not self.is_term[t]:
                idx = [*in_arcs[t], a]
                rows.append((0.0, np.inf, idx, [1.0] * len(in_arcs[t]) + [-1.0]))
        # antiparallel pairs: arcs are listed per node, find reverse by dictionary
        rev = {
            (int(a), int(b)): k for k, (a, b) in enumerate(zip(self.tail, self.head, strict=True))
        }
        for k, (a, b) in enumerate(zip(self.tail.tolist(), self.head.tolist(), strict=True)):
            r = rev[(b, a)]
            if k < r:
                rows.append((-np.inf, 1.0, [k, r], [1.0, 1.0]))
        self._add_rows(rows)
        self.in_arcs = in_arcs

    def _add_rows(self, rows: list[tuple[float, float, list[int], list[float]]]) -> None:
        if not rows:
            return
        lo = np.array([r[0] for r in rows])
        hi = np.array([r[1] for r in rows])
        starts = np.cumsum([0] + [len(r[2]) for r in rows[:-1]]).astype(np.int32)
        idx = np.concatenate([np.asarray(r[2], dtype=np.int32) for r in rows])
        val = np.concatenate([np.asarray(r[3], dtype=np.float64) for r in rows])
        self.h.addRows(len(rows), lo, hi, len(idx), starts, idx, val)

    def _cut_row(self, inside: NDArray[np.bool_]) -> tuple[float, float, list[int], list[float]]:
        """Row x(δ⁻(W)) >= 1 for the sink set W = ``inside``."""
        arcs = np.flatnonzero(~inside[self.tail] & inside[self.head])
        return (1.0, np.inf, arcs.tolist(), [1.0] * len(arcs))

    def reach(self, x: NDArray[np.float64], thresh: float) -> NDArray[np.bool_]:
        """Nodes reachable from the root on arcs with x > thresh."""
        sup = x > thresh
        mat = csr_matrix(
            (np.ones(int(sup.sum())), (self.tail[sup], self.head[sup])), shape=(self.n, self.n)
        )
        order = breadth_first_order(mat, self.root, directed=True, return_predecessors=False)
        out = np.zeros(self.n, dtype=bool)
        out[order] = True
        return out

    def separate(
        self, x: NDArray[np.float64], deadline: float
    ) -> list[tuple[float, float, list[int], list[float]]]:
        """Violated cuts for the LP point ``x`` (empty when none).

        Max-flow from the root to every terminal; each violated cut (source side and sink side)
        is added, and its arcs get full capacity for the following terminals of the round
        (nested cuts), so that one round yields many different cuts.
        """
        rows = []
        seen: set[bytes] = set()
        # terminals violated in the previous round first: they are likely violated again
        last = self._last_violated
        self._order = np.array(
            sorted(self.terms.tolist(), key=lambda t: (t not in last, t)), dtype=np.int64
        )
        self._last_violated = set()
        reach = self.reach(x, _TOL)
        if not reach[self.terms].all():
            rows.append(self._cut_row(~reach))
            seen.add(np.packbits(~reach).tobytes())
        caps = np.floor(np.clip(x, 0, 1) * _SCALE).astype(np.int32)
        data = caps[self.csr_arc]
        cap = csr_matrix((data, self.csr_indices, self.csr_indptr), shape=(self.n, self.n))
        n_violated = 0
        for t in self._order.tolist():
            if t == self.root or time.perf_counter() > deadline:
                continue
            if n_violated >= _MAX_VIOLATED_PER_ROUND:
                break
            res = maximum_flow(cap, self.root, t, method="dinic")
            if res.flow_value >= _SCALE * (1 - 1e-4):
                continue
            n_violated += 1
            self._last_violated.add(t)
            src_side, sink_side = self._cut_sides(cap, res.flow, t)
            for W in (~src_side, sink_side):
                key = np.packbits(W).tobytes()
                if key in seen:
                    continue
                seen.add(key)
                row = self._cut_row(W)
                rows.append(row)
                cap.data[self.csr_pos[np.asarray(row[2], dtype=np.int64)]] = _SCALE
        return rows

    def _cut_sides(
        self, cap: csr_matrix, flow: csr_matrix, t: int
    ) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
        """Residual reachability: nodes reachable from the root, nodes that reach ``t``."""
        if np.array_equal(flow.indptr, self.csr_indptr) and np.array_equal(
            flow.indices, self.csr_indices
        ):
            positive = (cap.data - flow.data) > 0
        else:  # pragma: no cover - scipy kept our (already symmetric) pattern so far
            resid = (cap - flow).tocsr()
            positive = np.asarray(resid[self.tail_csr, self.head_csr]).ravel() > 0
        out = []
        for mask, start in ((positive, self.root), (positive[self.csr_rev], t)):
            counts = np.bincount(self.csr_rows[mask], minlength=self.n)
            indptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.int32)
            g = csr_matrix(
                (np.ones(int(mask.sum()), dtype=np.int8), self.csr_indices[mask], indptr),
                shape=(self.n, self.n),
            )
            side = np.zeros(self.n, dtype=bool)
            side[breadth_first_order(g, start, directed=True, return_predecessors=False)] = True
            out.append(side)
        return out[0], out[1]

    def solve(self) -> tuple[NDArray[np.float64], float, str]:
        self.h.run()
        status = self.h.modelStatusToString(self.h.getModelStatus())
        sol = np.asarray(self.h.getSolution().col_value, dtype=np.float64)
        return sol, float(self.h.getInfo().objective_function_value), status

    def tree_from(self, x: NDArray[np.float64]) -> list[tuple[int, int]]:
        edges: list[tuple[int, int]] = []
        for a in np.flatnonzero(x > 0.5).tolist():
            edges.extend(self.orig[a])
        return edges


def _cost(core: _Core, tree: Tree) -> float:
    return float(core.weights(tree[0], tree[1]).sum()) if len(tree[0]) else 0.0


def _round_lb(lb: float, integral: bool) -> float:
    """With integer weights every tree costs an integer, so the bound may be rounded up."""
    return float(np.ceil(lb - 1e-6)) if integral else lb


def _lp_guided(
    core: _Core,
    model: _Model,
    x: NDArray[np.float64],
    terms: NDArray[np.int64],
    is_term: NDArray[np.bool_],
    ap: heur._Apsp | None,
    deadline: float,
) -> tuple[Tree, float]:
    """Primal heuristic: SPH with weights w·(1 − x*) from the LP point, then local search."""
    xe: dict[tuple[int, int], float] = {}
    for a in np.flatnonzero(x > _TOL).tolist():
        for e in model.orig[a]:
            xe[e] = max(xe.get(e, 0.0), float(x[a]))
    xv = np.array([xe.get((int(a), int(b)), 0.0) for a, b in zip(core.u, core.v, strict=True)])
    wi = np.maximum(core.w * (1.0 - np.clip(xv, 0, 1)), 1e-6 * max(1.0, float(core.w.mean())))
    n = core.n
    A2 = csr_matrix(
        (
            np.concatenate([wi, wi]),
            (np.concatenate([core.u, core.v]), np.concatenate([core.v, core.u])),
        ),
        shape=(n, n),
    )
    t0 = heur.sph(A2, terms, is_term, int(terms[0]))
    nodes = np.concatenate([t0[0], t0[1], terms])
    tree = heur.mst_prune(core.A, nodes, is_term)
    if ap is not None:
        budget = min(deadline, time.perf_counter() + _GUIDED_BUDGET_S)
        tree = heur.improve_apsp(ap, terms, is_term, tree, budget)
    cost = _cost(core, tree)
    return tree, cost


def _upper_bound(
    core: _Core, terms: NDArray[np.int64], is_term: NDArray[np.bool_], seed: int, limit: float
) -> tuple[Tree, heur._Apsp | None]:
    """Heuristic tree for the upper bound (short budget) and the all-pairs table, if small."""
    t0 = time.perf_counter()
    if core.n <= 3000:
        ap = heur.make_apsp(core.A)
        tree = heur.local_search_apsp(
            ap, terms, is_term, n_roots=5, seed=seed, deadline=t0 + min(5.0, 0.1 * limit)
        )
        return tree, ap
    return heur.sph(core.A, terms, is_term, int(terms[0])), None


@dataclass
class _Search:
    """The branch-and-cut state: best tree, its cost, the lower bound and the last LP."""

    core: _Core
    terms: NDArray[np.int64]
    is_term: NDArray[np.bool_]
    ap: heur._Apsp | None
    model: _Model
    deadline: float
    integral: bool
    tree: Tree
    ub: float
    lb: float = 0.0

    def closed(self) -> bool:
        return self.lb >= self.ub - _TOL

    def guided(self, x: NDArray[np.float64]) -> None:
        """Try an LP-guided tree; keep it when better."""
        t2, c2 = _lp_guided(self.core, self.model, x, self.terms, self.is_term, self.ap,
                            self.deadline)  # fmt: skip
        if c2 < self.ub - _TOL:
            self.tree, self.ub = t2, c2

    def lp_loop(self) -> NDArray[np.float64]:
        """Cut loop on the LP relaxation; return the last LP solution."""
        x = np.zeros(self.model.m)
        rounds = 0
        while time.perf_counter() < self.deadline:
            self.model.h.setOptionValue("time_limit", max(0.1, self.deadline - time.perf_counter()))
            x, obj, status = self.model.solve()
            if status != "Optimal":
                break
            self.lb = max(self.lb, _round_lb(obj, self.integral))
            if self.closed():
                break
            cuts = self.model.separate(x, self.deadline)
            rounds += 1
            if not cuts:
                break
            if rounds % _GUIDED_EVERY_ROUNDS == 0:
                self.guided(x)
            self.model._add_rows(cuts)
        return x

    def mip_loop(self) -> tuple[Tree, float | None, bool]:
        """MIP with lazy connectivity cuts; return (tree, lower bound, optimal)."""
        model = self.model
        model.h.changeColsIntegrality(
            model.m, np.arange(model.m, dtype=np.int32), np.ones(model.m, dtype=np.uint8)
        )
        model.h.setOptionValue("mip_rel_gap", 0.0)
        while time.perf_counter() < self.deadline:
            model.h.setOptionValue("time_limit", max(0.1, self.deadline - time.perf_counter()))
            x, obj, status = model.solve()
            bound = float(model.h.getInfo().mip_dual_bound)
            if np.isfinite(bound):
                self.lb = max(self.lb, _round_lb(bound, self.integral))
            if status != "Optimal":
                break
            reach = model.reach(x, 0.5)
            if not reach[model.terms].all():
                model._add_rows([model._cut_row(~reach)])
                continue
            edges = model.tree_from(x)
            nodes = np.asarray(
                sorted({a for e in edges for a in e} | set(self.terms.tolist())), dtype=np.int64
            )
            tree = heur.mst_prune(self.core.A, nodes, self.is_term)
            cost = _cost(self.core, tree)
            self.lb = max(self.lb, _round_lb(obj, self.integral))
            if cost <= self.ub + _TOL:
                return tree, min(self.lb, cost), cost <= self.lb + _TOL
            break
        return self.tree, self.lb, self.closed()


def solve_exact(
    core: _Core, terms: NDArray[np.int64], *, time_limit_s: float | None, seed: int
) -> tuple[Tree, float | None, bool]:
    """Branch-and-cut on one connected instance; returns (tree, lower bound, optimal)."""
    limit = DEFAULT_EXACT_TIME_LIMIT_S if time_limit_s is None else time_limit_s
    deadline = time.perf_counter() + limit
    is_term = np.zeros(core.n, dtype=bool)
    is_term[terms] = True
    ub_tree, ap = _upper_bound(core, terms, is_term, seed, limit)
    search = _Search(
        core=core,
        terms=terms,
        is_term=is_term,
        ap=ap,
        model=_Model(reduce_graph(core.u, core.v, core.w, is_term), terms),
        deadline=deadline,
        integral=bool(np.all(core.w == np.round(core.w))),
        tree=ub_tree,
        ub=_cost(core, ub_tree),
    )
    x = search.lp_loop()
    if search.closed():
        return search.tree, search.ub, True
    if time.perf_counter() < deadline:
        search.guided(x)
        if search.closed():
            return search.tree, search.ub, True
    return search.mip_loop()
