"""Directed-cut MIP of the prize-collecting Steiner tree, solved by HiGHS with a cut loop (private).

The model, on a (reduced) instance with vertices ``V``, edges ``E`` and prize vertices ``K``:
a virtual root ``r`` has one arc to each possible real root (``z_c``, the prize vertices, or
the given root alone); arcs ``x`` in both directions of every edge; ``y_v`` = vertex in the tree.

- ``sum z = 1``; in-degree ``x(δ⁻(v)) + z_v = y_v``; ``x_a <= y_tail(a)``;
- a vertex without prize is no leaf: ``y_v <= x(δ⁺(v))``;
- without a given root the real root is the lowest-numbered prize vertex of the tree
  (``z_c + y_d <= 1`` for ``d < c``);
- cuts ``x(δ⁻(W)) + z(W) >= y_k`` for ``k ∈ W``, separated by max-flow from ``r`` to each
  ``k`` on the LP solution (both the sink-side and the source-side minimal cut), until none is
  violated; then the MIP with the cuts found, adding the cuts an integer solution violates
  (lazy constraints) until it is connected.

Objective ``w·x + p·(1 - y)``. Every model solved is a relaxation, so its bound is valid. The
work is counted in LP rounds and MIP nodes and bounded by the caller's budget; the time limit
is a safety cap (``hit_time`` says it was reached).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import breadth_first_order, maximum_flow

from heatmap.routing._exact import new_highs
from heatmap.routing._types import PcstInstance, Tree

__all__ = ["MipResult", "solve_dcut"]

logger = logging.getLogger(__name__)

_SCALE = 1_000_000
_TOL = 1e-6
#: symmetry-breaking rows are added while the prize vertices are at most this many
_SYMMETRY_MAX = 300
#: most cuts added per LP round
_MAX_CUTS_PER_ROUND = 200


@dataclass(frozen=True)
class MipResult:
    """Outcome of one solve: the tree (instance indices), objective, bound, status and work."""

    tree: Tree
    nodes: NDArray[np.int64]
    objective: float
    lower_bound: float
    optimal: bool
    work: int
    hit_time: bool


class _Model:
    """The HiGHS model, its column layout and the support-graph arrays for separation."""

    def __init__(self, inst: PcstInstance) -> None:
        self.inst = inst
        n, m = inst.n, len(inst.u)
        prize = np.flatnonzero(inst.p > 0)
        self.roots = (
            np.array([inst.root], dtype=np.int64)
            if inst.root is not None
            else prize.astype(np.int64)
        )
        self.comm = prize[prize != inst.root] if inst.root is not None else prize
        tail = np.empty(2 * m, dtype=np.int64)
        head = np.empty(2 * m, dtype=np.int64)
        tail[0::2], tail[1::2] = inst.u, inst.v
        head[0::2], head[1::2] = inst.v, inst.u
        self.tail, self.head = tail, head
        self.na, self.nr = 2 * m, len(self.roots)
        self.y0, self.z0 = self.na, self.na + n
        self.ncol = self.na + n + self.nr
        self.h = new_highs()
        self._columns()
        self._base_rows()

    def _columns(self) -> None:
        inst, ncol = self.inst, self.ncol
        cost = np.zeros(ncol)
        cost[: self.na] = np.repeat(inst.w, 2)
        cost[self.y0 : self.z0] = -inst.p
        lo = np.zeros(ncol)
        lo[self.y0 : self.z0] = inst.required.astype(float)
        if inst.root is not None:
            lo[self.y0 + inst.root] = 1.0
            lo[self.z0] = 1.0
        self.h.addCols(ncol, cost, lo, np.ones(ncol), 0, np.array([]), np.array([]), np.array([]))

    def add_rows(self, rows: list[tuple[dict[int, float], float, float]]) -> None:
        """Add rows given as ({column: coefficient}, lower, upper)."""
        if not rows:
            return
        starts: list[int] = []
        idx: list[int] = []
        val: list[float] = []
        for coef, _, _ in rows:
            starts.append(len(idx))
            idx.extend(coef)
            val.extend(coef.values())
        self.h.addRows(
            len(rows),
            np.array([r[1] for r in rows]),
            np.array([r[2] for r in rows]),
            len(idx),
            np.asarray(starts, dtype=np.int32),
            np.asarray(idx, dtype=np.int32),
            np.asarray(val, dtype=np.float64),
        )

    def _base_rows(self) -> None:
        inst, n = self.inst, self.inst.n
        rows: list[tuple[dict[int, float], float, float]] = []
        rows.append(({self.z0 + c: 1.0 for c in range(self.nr)}, 1.0, 1.0))
        into: list[dict[int, float]] = [{self.y0 + v: -1.0} for v in range(n)]
        out: list[dict[int, float]] = [{} for _ in range(n)]
        for a in range(self.na):
            into[int(self.head[a])][a] = 1.0
            out[int(self.tail[a])][a] = 1.0
        for c, v in enumerate(self.roots.tolist()):
            into[v][self.z0 + c] = 1.0
        rows.extend((d, 0.0, 0.0) for d in into)
        for a in range(self.na):
            rows.append(({a: 1.0, self.y0 + int(self.tail[a]): -1.0}, -np.inf, 0.0))
        for v in np.flatnonzero(inst.p <= 0).tolist():
            if inst.root is None or v != inst.root:
                rows.append(({**out[v], self.y0 + v: -1.0}, 0.0, np.inf))
        if inst.root is None and 1 < self.nr <= _SYMMETRY_MAX:
            r = self.roots.tolist()
            for ci in range(self.nr):
                for di in range(ci):
                    rows.append(({self.z0 + ci: 1.0, self.y0 + r[di]: 1.0}, -np.inf, 1.0))
        self.add_rows(rows)

    def cut(self, W: NDArray[np.bool_], k: int) -> tuple[dict[int, float], float, float]:
        """Row ``x(δ⁻(W)) + z(W) - y_k >= 0``."""
        arcs = np.flatnonzero(W[self.head] & ~W[self.tail])
        coef = {int(a): 1.0 for a in arcs}
        for c in np.flatnonzero(W[self.roots]).tolist():
            coef[self.z0 + c] = 1.0
        coef[self.y0 + k] = coef.get(self.y0 + k, 0.0) - 1.0
        return coef, 0.0, np.inf

    def support(self, sol: NDArray[np.float64]) -> csr_matrix:
        """Capacities of the support graph (vertex ``n`` is the virtual root), scaled to ints."""
        n = self.inst.n
        cap = np.concatenate([sol[: self.na], sol[self.z0 :]])
        src = np.concatenate([self.tail, np.full(self.nr, n)])
        dst = np.concatenate([self.head, self.roots])
        ci = np.round(np.clip(cap, 0.0, 1.0) * _SCALE).astype(np.int32)
        keep = ci > 0
        return csr_matrix((ci[keep], (src[keep], dst[keep])), shape=(n + 1, n + 1))

    def separate(self, sol: NDArray[np.float64]) -> list[tuple[dict[int, float], float, float]]:
        """Violated cuts of the solution ``sol`` (at most ``_MAX_CUTS_PER_ROUND``)."""
        n = self.inst.n
        C = self.support(sol)
        reach = np.zeros(n + 1, dtype=bool)
        reach[breadth_first_order(C, n, directed=True, return_predecessors=False)] = True
        cuts: list[tuple[dict[int, float], float, float]] = []
        ys = sol[self.y0 : self.z0]
        for k in self.comm[np.argsort(-ys[self.comm], kind="stable")].tolist():
            if ys[k] <= _TOL or len(cuts) >= _MAX_CUTS_PER_ROUND:
                continue
            if not reach[k]:
                cuts.append(self.cut(~reach[:n], k))
                continue
            flow = maximum_flow(C, n, k)
            if flow.flow_value >= ys[k] * _SCALE - _TOL * _SCALE:
                continue
            res = (C - flow.flow).tocsr()
            res.data = np.where(res.data > 0, res.data, 0)
            res.eliminate_zeros()
            src_side = np.zeros(n + 1, dtype=bool)
            src_side[breadth_first_order(res, n, directed=True, return_predecessors=False)] = True
            cuts.append(self.cut(~src_side[:n], k))
            sink_side = np.zeros(n + 1, dtype=bool)
            sink_side[breadth_first_order(res.T.tocsr(), k, directed=True,
                                          return_predecessors=False)] = True  # fmt: skip
            if not np.array_equal(sink_side[:n], ~src_side[:n]):
                cuts.append(self.cut(sink_side[:n], k))
        return cuts


def _integral(sol: NDArray[np.float64]) -> bool:
    """Return True when every variable is within tolerance of 0 or 1."""
    return bool(np.all(np.abs(sol - np.round(sol)) <= 1e-6))


def _result(
    model: _Model, sol: NDArray, bound: float, optimal: bool, work: int, hit: bool
) -> MipResult:
    inst = model.inst
    xa = sol[: model.na] > 0.5
    ei = np.flatnonzero(xa[0::2] | xa[1::2])
    nodes = np.flatnonzero(sol[model.y0 : model.z0] > 0.5).astype(np.int64)
    tree = (inst.u[ei].astype(np.int64), inst.v[ei].astype(np.int64))
    obj = float(inst.w[ei].sum()) + float(inst.p.sum() - inst.p[nodes].sum())
    return MipResult(tree, nodes, obj, bound, optimal, work, hit)


def solve_dcut(
    inst: PcstInstance,
    *,
    max_work: int,
    time_limit_s: float,
    cutoff: float | None = None,
    branch: bool = True,
    max_lp_rounds: int | None = None,
) -> MipResult | None:
    """Solve ``inst`` by the cut loop and the MIP; None when no tree is found within limits.

    Parameters
    ----------
    inst
        The instance.
    max_work
        Budget of LP rounds plus branch-and-bound nodes (the work bound).
    time_limit_s
        Safety cap on the solve, s.
    cutoff
        Objective of a known tree: the MIP then looks only for better trees.
    branch
        Solve the MIP when the LP solution is fractional; else return None then (the caller
        uses :func:`lp_solution` for LP-guided rounding).
    max_lp_rounds
        Most LP rounds of the cut loop before the MIP (default: up to ``max_work``); the MIP
        then adds the cuts its integer solutions violate.
    """
    t0 = time.perf_counter()
    if inst.n == 0 or (inst.root is None and not (inst.p > 0).any()):
        return None
    model = _Model(inst)
    h = model.h
    P = float(inst.p.sum())
    work = 0
    rounds = max_work if max_lp_rounds is None else min(max_work, max_lp_rounds)
    while work < rounds:
        h.setOptionValue("time_limit", max(0.05, time_limit_s - (time.perf_counter() - t0)))
        h.run()
        work += 1
        if h.modelStatusToString(h.getModelStatus()) != "Optimal":
            return None
        sol = np.asarray(h.getSolution().col_value)
        cuts = model.separate(sol)
        if not cuts:
            break
        model.add_rows(cuts)
    lp_bound = float(h.getInfo().objective_function_value) + P
    if _integral(sol) and not model.separate(np.round(sol)):
        return _result(model, np.round(sol), lp_bound, True, work, False)
    logger.debug("dcut: %d LP rounds, %d rows, bound %.6g", work, h.getNumRow(), lp_bound)
    if not branch:
        return MipResult(
            (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)),
            np.flatnonzero(sol[model.y0 : model.z0] > 1e-6).astype(np.int64),
            np.inf,
            lp_bound,
            False,
            work,
            False,
        )
    integ = np.zeros(model.ncol, dtype=np.uint8)
    integ[: model.ncol] = 1
    h.changeColsIntegrality(model.ncol, np.arange(model.ncol, dtype=np.int32), integ)
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("mip_abs_gap", 1e-9)
    if cutoff is not None:
        h.setOptionValue("objective_bound", float(cutoff) - P)
    best: MipResult | None = None
    while work < max_work:
        left = time_limit_s - (time.perf_counter() - t0)
        if left <= 0:
            return best
        h.setOptionValue("time_limit", left)
        h.setOptionValue("mip_max_nodes", max(1, max_work - work))
        h.run()
        info = h.getInfo()
        work += max(1, int(info.mip_node_count))
        status = h.modelStatusToString(h.getModelStatus())
        if info.primal_solution_status != 2:
            return best
        sol = np.asarray(h.getSolution().col_value)
        cuts = model.separate(np.round(sol))
        logger.debug("dcut MIP: %s, %d nodes, %d cuts", status, info.mip_node_count, len(cuts))
        bound = max(lp_bound, float(info.mip_dual_bound) + P)
        if not cuts:
            hit = status == "Time limit reached"
            return _result(model, sol, bound, status == "Optimal", work, hit)
        model.add_rows(cuts)
    return best
