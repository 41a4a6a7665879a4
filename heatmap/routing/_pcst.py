"""Prize-collecting Steiner tree solver (private to the solver dispatch).

Objective: minimise ``edge cost of the tree + prizes of the vertices left out`` (Goemans–
Williamson form); the tree holds at least one vertex, the root when given and every required
vertex.

The search is bounded by work, never by the clock, so the same instance gives the same tree on
any machine under any load; the time limit is only a safety cap, and reaching it is reported.

Heuristic (``default``):

1. reduction tests (:mod:`._pcst_reduce`), then chains of vertices of degree 2 without prize
   contracted into single edges (:mod:`._pcst_chains`; the tree is expanded at the end);
2. starts: Goemans–Williamson growth with strong pruning, and greedy growth from the root or
   from the vertices of largest prize;
3. each distinct start improved by key-vertex insertion/elimination on the distance network
   (:mod:`._pcst_dn`); on graphs too large for all-pairs distances, by vertex
   insertion/elimination on the graph (:mod:`._pcst_local`) and the terminal-set search
   (:mod:`._pcst_terminals`);
4. restarts: the key-vertex search on distances scaled pairwise by random factors and on
   prizes raised by random factors (fixed seeds, a few widths in turn), from the best trees in
   turn, each result improved again on the true distances and prizes; raised prizes let a
   group of prize vertices join that pays only together;
5. polish: the LP relaxation of the flow MIP on the union of the best distinct trees
   (:mod:`._pcst_mip`), its support rounded and improved again; repeated while it improves
   and the union stays small (in edges and in prize vertices).

Exact (``exact``): the flow MIP on the reduced instance, started from the heuristic's tree; its
dual bound is a proven lower bound.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.sparse.csgraph import dijkstra

from heatmap.routing._pcst_chains import contract_chains
from heatmap.routing._pcst_dn import DistanceNetwork, key_vertex_search
from heatmap.routing._pcst_gw import goemans_williamson, objective
from heatmap.routing._pcst_local import Solution, grow, local_search, solution
from heatmap.routing._pcst_mip import solve_dcut
from heatmap.routing._pcst_reduce import make_instance, reduce_instance, subinstance
from heatmap.routing._pcst_terminals import terminal_search
from heatmap.routing._types import Core, PcstInstance, Tree

__all__ = ["DEFAULT_PCST_TIME_LIMIT_S", "PcstOutcome", "solve_pcst"]

logger = logging.getLogger(__name__)

#: safety cap on the prize-collecting solver, s (the search itself is bounded by work)
DEFAULT_PCST_TIME_LIMIT_S = 60.0
#: greedy-growth starts (vertices of largest prize) besides Goemans–Williamson
N_STARTS = 12
#: local-search evaluations per start
LOCAL_BUDGET = 800
#: best starts improved by local search
N_IMPROVE = 3
#: add/drop moves of the terminal-set search (graphs without the distance network)
TERMINAL_MOVES = 40
#: graphs up to this many vertices get the key-vertex search on all-pairs distances
DN_MAX_NODES = 2500
#: moves evaluated per key-vertex search
DN_BUDGET = 6000
#: work (moves evaluated, growth events, ...) of the starts and restarts, per vertex: the
#: starts stop at half of it, the restarts at all of it
DN_WORK_PER_VERTEX = 80
#: best distinct starts improved by the key-vertex search
N_IMPROVE_DN = 13
#: restarts of the key-vertex search on randomly perturbed distances (fixed seeds)
N_PERTURB = 80
#: ... but at most this many plus so many per prize vertex (few prizes, little to vary)
N_PERTURB_MIN = 10
PERTURB_PER_PRIZE = 2
#: ... each from one of this many best trees in turn
N_PERTURB_FROM = 4
#: relative half-widths of the distance perturbation, used in turn
PERTURB = (0.1, 0.2, 0.3)
#: relative widths of the (upward) prize perturbation, used in turn
PRIZE_PERTURB = (0.2, 0.4, 0.0)
#: best distinct trees whose union the MIP polish solves
N_ELITE = 8
#: largest polish MIP, in edges of the union of the elite trees
MIP_MAX_EDGES = 800
#: ... and in prize vertices (each LP round separates a cut per prize vertex by max-flow)
MIP_MAX_PRIZE_VERTICES = 80
#: the polish instance grows by this many rings of neighbours around the elite trees
UNION_HOPS = 0
#: ... unless it already has this many vertices
UNION_MAX_VERTICES = 400
#: LP rounds plus branch-and-bound nodes per polish MIP
MIP_MAX_WORK = 400
#: LP rounds plus branch-and-bound nodes of the exact method
EXACT_MAX_WORK = 10**7
#: LP rounds of the cut loop per polish MIP (the rest of its work goes to branching)
MIP_LP_ROUNDS = 30
#: polish rounds
POLISH_ROUNDS = 4
#: GW growth events allowed, per vertex
GW_EVENTS_PER_VERTEX = 3


@dataclass(frozen=True)
class PcstOutcome:
    """Solver outcome in core indices: tree, vertices, bound, proof, work, safety cap hit."""

    tree: Tree
    nodes: list[int]
    lower_bound: float | None
    optimal: bool
    work: int
    capped: bool


class _Pool:
    """Distinct solutions, best first (ties by vertex list), and the work counter."""

    def __init__(self) -> None:
        self.sols: dict[tuple[int, ...], Solution] = {}
        self.work = 0

    def add(self, sol: Solution | None) -> None:
        if sol is not None:
            self.sols.setdefault(tuple(sol.nodes.tolist()), sol)

    def take(self, sol: Solution | None, work: int, deadline: float) -> None:
        """Count ``work``, keep ``sol``; stop the search past the safety ``deadline``."""
        self.work += work
        self.add(sol)
        if time.perf_counter() > deadline:
            raise _CappedError

    def ranked(self) -> list[Solution]:
        return sorted(self.sols.values(), key=lambda s: (s.value, len(s.nodes), s.nodes.tolist()))


def _starts(inst: PcstInstance) -> list[int]:
    if inst.root is not None:
        return [inst.root]
    order = np.lexsort((np.arange(inst.n), -inst.p))
    return [int(x) for x in order[:N_STARTS] if inst.p[x] > 0]


def _union(inst: PcstInstance, sols: list[Solution]) -> tuple[PcstInstance, NDArray[np.int64]]:
    """Return the sub-instance on the elite trees' vertices and the paths to the prizes.

    Besides the vertices of the trees, it holds the shortest path from the best tree to every
    prize vertex the path could pay for (``distance < prize``), so that the MIP can add any set
    of those vertices and reroute between them; the paths are left out when they would make
    the union larger than :data:`MIP_MAX_EDGES` edges.
    """
    keep = np.zeros(inst.n, dtype=bool)
    for s in sols:
        keep[s.nodes] = True
    if inst.root is not None:
        keep[inst.root] = True
    trees = keep.copy()
    best = sols[0].nodes
    d, pred, _ = dijkstra(
        inst.A, directed=False, indices=best, min_only=True, return_predecessors=True
    )
    for k in np.flatnonzero((inst.p > d) & ~keep).tolist():
        x = k
        while x >= 0 and not keep[x]:
            keep[x] = True
            x = int(pred[x])
    if int((keep[inst.u] & keep[inst.v]).sum()) > MIP_MAX_EDGES:
        keep = trees
    for _ in range(UNION_HOPS):
        if keep.sum() >= UNION_MAX_VERTICES:
            break
        keep[np.unique(inst.A[np.flatnonzero(keep)].indices)] = True
    sub = subinstance(inst, keep, np.ones(len(inst.u), dtype=bool))
    return sub, np.flatnonzero(keep)


def _polish(inst: PcstInstance, pool: _Pool, dn: DistanceNetwork | None, deadline: float) -> bool:
    """Solve the union of the elite trees exactly; return True when the best tree improved."""
    elite = pool.ranked()[:N_ELITE]
    best = elite[0]
    sub, back = _union(inst, elite)
    if len(sub.u) > MIP_MAX_EDGES or sub.n <= 1 or (sub.p > 0).sum() > MIP_MAX_PRIZE_VERTICES:
        return False
    left = max(0.1, deadline - time.perf_counter())
    res = solve_dcut(
        sub, max_work=MIP_MAX_WORK, time_limit_s=left, branch=False, max_lp_rounds=MIP_LP_ROUNDS
    )
    logger.debug("pcst polish MIP on %d vertices, %d edges", sub.n, len(sub.u))
    if res is None:
        return False
    logger.debug("pcst polish MIP: %.6g, work %d", res.objective, res.work)
    pool.work += res.work
    if res.hit_time:
        raise _CappedError
    # an integral LP solution is the optimum of the union; else round: the LP's support
    sol = solution(inst, back[res.nodes])
    if sol is None or sol.value >= best.value - 1e-9 * max(1.0, abs(best.value)):
        return False
    sol, ev = _improve(inst, dn, sol)
    pool.work += ev
    pool.add(sol)
    return True


class _CappedError(Exception):
    """The safety time limit was reached."""


def _improve(inst: PcstInstance, dn: DistanceNetwork | None, sol: Solution) -> tuple[Solution, int]:
    """Key-vertex search when the distance network is there, else vertex local search."""
    if dn is None:
        return local_search(inst, sol, LOCAL_BUDGET)
    return key_vertex_search(dn, sol, DN_BUDGET)


def _restarts(
    inst: PcstInstance, dn: DistanceNetwork, pool: _Pool, budget: int, deadline: float
) -> None:
    """Key-vertex search on perturbed distances from the best trees in turn, then on the true."""
    n_restarts = min(N_PERTURB, N_PERTURB_MIN + PERTURB_PER_PRIZE * int((inst.p > 0).sum()))
    for k in range(n_restarts):
        if pool.work >= budget:
            break
        ranked = pool.ranked()
        base = ranked[k % min(N_PERTURB_FROM, len(ranked))]
        pdn = dn.perturbed(k, PERTURB[k % len(PERTURB)], PRIZE_PERTURB[k % len(PRIZE_PERTURB)])
        moved, ev = key_vertex_search(pdn, base, DN_BUDGET, one_pass=True)
        pool.work += ev
        back = solution(inst, moved.nodes)
        if back is None:
            continue
        better, ev = key_vertex_search(dn, back, DN_BUDGET)
        pool.take(better, ev, deadline)


def _heuristic(
    inst: PcstInstance, deadline: float, *, polish: bool = True
) -> tuple[Solution, int, bool]:
    """Run starts, local search, perturbed restarts and polish; return best, work, cap flag."""
    pool = _Pool()
    capped = False
    try:
        tree, nodes, events = goemans_williamson(inst, GW_EVENTS_PER_VERTEX * inst.n + 10)
        pool.work += events
        pool.add(Solution(tree, nodes, objective(inst, tree, nodes)))
        for s in _starts(inst):
            grown, runs = grow(inst, s)
            pool.take(solution(inst, grown), runs, deadline)
        dn = DistanceNetwork(inst) if inst.n <= DN_MAX_NODES else None
        n_improve = N_IMPROVE if dn is None else N_IMPROVE_DN
        starts = pool.ranked()[:n_improve]
        budget = DN_WORK_PER_VERTEX * inst.n
        for k, sol in enumerate(starts):
            if dn is not None and k > 0 and pool.work >= budget // 2:
                break
            better, ev = _improve(inst, dn, sol)
            pool.take(better, ev, deadline)
        logger.debug("pcst starts: best %.6g, work %d", pool.ranked()[0].value, pool.work)
        if dn is None:
            better, moves, hit = terminal_search(inst, pool.ranked()[0], TERMINAL_MOVES, deadline)
            pool.work += moves
            pool.add(better)
            if hit:
                raise _CappedError
        else:
            _restarts(inst, dn, pool, budget, deadline)
            logger.debug("pcst restarts: best %.6g, work %d", pool.ranked()[0].value, pool.work)
        for _ in range(POLISH_ROUNDS if polish else 0):
            if not _polish(inst, pool, dn, deadline):
                break
            logger.debug("pcst polish: best %.6g, work %d", pool.ranked()[0].value, pool.work)
    except _CappedError:
        capped = True
    return pool.ranked()[0], pool.work, capped


def _trivial(p: NDArray[np.float64], root: int | None) -> tuple[float, int]:
    """Best one-vertex tree: the root, or the vertex of largest prize."""
    v = root if root is not None else int(np.argmax(p))
    return float(p.sum() - p[v]), v


def solve_pcst(
    core: Core,
    p: NDArray[np.float64],
    *,
    root: int | None,
    required: NDArray[np.int64],
    method: str,
    time_limit_s: float | None,
    polish: bool = True,
) -> PcstOutcome:
    """Solve on ``core`` with prizes ``p``; ``required`` vertices (and ``root``) must join.

    ``polish`` runs the MIP on the union of the elite trees (step 4 above).
    """
    t0 = time.perf_counter()
    cap = DEFAULT_PCST_TIME_LIMIT_S if time_limit_s is None else time_limit_s
    deadline = t0 + cap
    req = np.zeros(core.n, dtype=bool)
    req[required] = True
    if root is None and len(required):
        root = int(np.min(required))
    if root is not None:
        req[root] = True
    big = 1.0 + float(core.w.sum()) + float(p.sum())
    ps = np.where(req, big, p)
    inst0 = make_instance(core.n, core.u, core.v, core.w, ps, root, req)
    inst, stats = reduce_instance(inst0)
    logger.debug("pcst reductions: %s", stats)
    work = stats["vertices_removed"] + stats["edges_removed"]
    chains = contract_chains(inst)
    if chains is None:
        best, w_h, capped = _heuristic(inst, deadline, polish=polish)
    else:
        logger.debug("pcst chains: %d vertices left of %d", chains.inst.n, inst.n)
        work += inst.n - chains.inst.n
        small, w_h, capped = _heuristic(chains.inst, deadline, polish=polish)
        tree, kept = chains.expand(small.tree, small.nodes)
        best = Solution(tree, kept, objective(inst, tree, kept))
    work += w_h
    lb: float | None = None
    optimal = False
    if method == "exact" and not capped:
        left = max(0.1, deadline - time.perf_counter())
        res = solve_dcut(inst, max_work=EXACT_MAX_WORK, time_limit_s=left, cutoff=None)
        if res is not None:
            work += res.work
            capped = res.hit_time
            if res.objective < best.value:
                sol = solution(inst, res.nodes)
                best = sol if sol is not None and sol.value < best.value else best
            lb = res.lower_bound + float(ps.sum() - inst.p.sum())
            optimal = res.optimal
        elif inst.n <= 1 or (inst.root is None and not (inst.p > 0).any()):
            # the reductions are exact and left nothing to choose: the tree found is optimal
            lb = best.value + float(ps.sum() - inst.p.sum())
            optimal = True
    tree = (inst.orig[best.tree[0]], inst.orig[best.tree[1]])
    nodes = inst.orig[best.nodes].tolist()
    val = objective(inst0, tree, np.asarray(nodes, dtype=np.int64))
    triv, v = _trivial(ps, root)
    if triv < val - 1e-9 * max(1.0, abs(val)):
        empty = np.zeros(0, dtype=np.int64)
        tree, nodes = (empty, empty.copy()), [v]
    if capped:
        logger.warning(
            "prize-collecting solver stopped at its %.1f s safety time limit; the tree may "
            "differ between runs and machines. Raise the time limit for a reproducible result",
            cap,
        )
    return PcstOutcome(tree, nodes, lb, optimal, work, capped)
