"""Terminal-set local search of the prize-collecting heuristic (private to the PCST solver).

A tree is described by the prize vertices it connects; a move adds one prize vertex outside
the tree or drops one inside, and is evaluated by solving the Steiner tree problem on the new
vertex set (the Steiner local search of :mod:`._heuristic` on all-pairs distances, one start,
bounded by a number of evaluations) followed by strong pruning. The first improving move is
taken. The number of moves evaluated bounds the search, so it ends at the same tree on any
machine.
"""

from __future__ import annotations

import numpy as np

from heatmap.routing import _heuristic as heur
from heatmap.routing._pcst_gw import objective, strong_prune
from heatmap.routing._pcst_local import Solution
from heatmap.routing._types import PcstInstance, Tree

__all__ = ["terminal_search"]

#: graphs up to this many vertices get the all-pairs Steiner local search; larger ones SPH
APSP_MAX_NODES = 3000
#: Steiner moves each evaluation may spend
STEINER_EVALUATIONS = 500


class _Oracle:
    """Steiner trees for vertex sets of one instance (all-pairs distances computed once)."""

    def __init__(self, inst: PcstInstance, deadline: float) -> None:
        self.inst = inst
        self.deadline = deadline
        self.ap = heur.make_apsp(inst.A) if inst.n <= APSP_MAX_NODES else None
        self.hit_time = False

    def tree(self, terms: list[int]) -> Tree:
        t = np.asarray(sorted(set(terms)), dtype=np.int64)
        if len(t) <= 1:
            z = np.zeros(0, dtype=np.int64)
            return z, z.copy()
        is_term = np.zeros(self.inst.n, dtype=bool)
        is_term[t] = True
        if self.ap is None:
            return heur.sph(self.inst.A, t, is_term, int(t[0]))
        limit = heur.Limit(self.deadline, STEINER_EVALUATIONS)
        tree = heur.local_search_apsp(self.ap, t, is_term, n_roots=1, seed=0, deadline=limit)
        self.hit_time = self.hit_time or limit.hit_time
        return tree


def _evaluate(inst: PcstInstance, oracle: _Oracle, terms: list[int]) -> Solution:
    tree = oracle.tree(terms)
    nodes = np.unique(np.concatenate([tree[0], tree[1], np.asarray(terms, dtype=np.int64)]))
    tree, kept = strong_prune(inst, tree, nodes)
    return Solution(tree, kept, objective(inst, tree, kept))


def terminal_search(
    inst: PcstInstance, sol: Solution, max_moves: int, deadline: float
) -> tuple[Solution, int, bool]:
    """Improve ``sol`` by adding/dropping prize vertices; return it, moves used, cap hit."""
    oracle = _Oracle(inst, deadline)
    fixed = inst.required.copy()
    if inst.root is not None:
        fixed[inst.root] = True
    prize = np.flatnonzero(inst.p > 0)
    prize = prize[np.lexsort((prize, -inst.p[prize]))].tolist()
    best, moves, improved = sol, 0, True
    while improved and moves < max_moves and not oracle.hit_time:
        improved = False
        cur = set(best.nodes.tolist())
        base = [x for x in best.nodes.tolist() if inst.p[x] > 0 or fixed[x]]
        cands = [[*base, v] for v in prize if v not in cur]
        cands += [[x for x in base if x != v] for v in base if not fixed[v]]
        for terms in cands:
            if moves >= max_moves or oracle.hit_time or not terms:
                break
            moves += 1
            cand = _evaluate(inst, oracle, terms)
            if cand.value < best.value - 1e-9 * max(1.0, abs(best.value)):
                best, improved = cand, True
                break
    return best, moves, oracle.hit_time
