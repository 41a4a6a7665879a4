"""Solver dispatch: check the input, build the integer core, run a solver, wrap the result.

:func:`steiner_tree` runs the Steiner heuristics (:mod:`._heuristic`) or the exact
branch-and-cut (:mod:`._exact`); :func:`prize_collecting_steiner_tree` runs the
prize-collecting solvers (:mod:`._pcst`).
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Hashable, Iterable, Mapping
from typing import Any, Literal

import networkx as nx
import numpy as np
from numpy.typing import NDArray

from heatmap.errors import (
    InputError,
)
from heatmap.routing import _heuristic as heur
from heatmap.routing._exact import solve_exact
from heatmap.routing._graph_core import (
    check_forest,
    component_groups,
    core_from_graph,
    disconnected_error,
    terminal_indices,
    to_edges,
    validate_tree,
)
from heatmap.routing._pcst import solve_pcst
from heatmap.routing._types import Core, PCSTResult, SteinerResult

__all__ = [
    "prize_collecting_steiner_tree",
    "steiner_tree",
]

logger = logging.getLogger(__name__)

#: graphs with at most this many nodes get all-pairs distances and the full local search
APSP_MAX_NODES = 3000
#: on larger graphs, the local search runs on this many vertices nearest to the tree
LOCAL_MAX_NODES = 3000
#: SPH roots of the neighbourhood local search on large graphs
LARGE_GRAPH_ROOTS = 4
#: move evaluations the neighbourhood local search may spend on a large graph (a work bound,
#: so that the result does not depend on machine speed; about 2-3 s on a 2-core machine)
LARGE_GRAPH_MAX_EVALUATIONS = 5000
#: SPH roots tried by the default solver on small graphs (all nodes when fewer)
DEFAULT_ROOTS = 48
#: graphs up to this size get an SPH start from every vertex
ALL_ROOTS_MAX_NODES = 200
#: default time budget of the default solver's local search, s: a safety cap only. The search
#: itself is bounded by work (a fixed number of starts, each improved until no move helps), so
#: the same inputs and seed give the same tree on any machine unless this cap is reached.
DEFAULT_TIME_LIMIT_S = 30.0


def _solve_indices(
    core: Core,
    terms: NDArray[np.int64],
    method: str,
    time_limit_s: float | None,
    seed: int,
    max_evaluations: int | None = None,
) -> tuple[tuple[NDArray[np.int64], NDArray[np.int64]], float | None, bool]:
    """Solve one connected instance; returns (tree, lower bound, optimal)."""
    is_term = np.zeros(core.n, dtype=bool)
    is_term[terms] = True
    empty = np.zeros(0, dtype=np.int64)
    if len(terms) == 1:
        return (empty, empty.copy()), 0.0, True
    if method == "fast":
        return heur.mehlhorn(core.A, terms, is_term), None, False
    if method == "exact":
        return solve_exact(core, terms, time_limit_s=time_limit_s, seed=seed)
    return _default(core, terms, is_term, time_limit_s, seed, max_evaluations), None, False


def _default(
    core: Core,
    terms: NDArray[np.int64],
    is_term: NDArray[np.bool_],
    time_limit_s: float | None,
    seed: int,
    max_evaluations: int | None = None,
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    t0 = time.perf_counter()
    budget = DEFAULT_TIME_LIMIT_S if time_limit_s is None else time_limit_s
    deadline = t0 + budget
    if len(terms) == 2:
        return heur.sph(core.A, terms, is_term, int(terms[0]))
    limit = heur.Limit(deadline, max_evaluations)
    if core.n <= APSP_MAX_NODES:
        ap = heur.make_apsp(core.A)
        tree = heur.local_search_apsp(
            ap,
            terms,
            is_term,
            n_roots=core.n if core.n <= ALL_ROOTS_MAX_NODES else DEFAULT_ROOTS,
            seed=seed,
            deadline=limit,
        )
    else:
        best = heur.mehlhorn(core.A, terms, is_term)
        best_cost = heur.tree_cost(core.A, best)
        start = heur.sph(core.A, terms, is_term, int(terms[0]))
        if heur.tree_cost(core.A, start) < best_cost:
            best = start
        tree = heur.refine_in_neighbourhood(
            core.A,
            terms,
            is_term,
            best,
            max_nodes=LOCAL_MAX_NODES,
            n_roots=LARGE_GRAPH_ROOTS,
            seed=seed,
            deadline=(
                limit := heur.Limit(
                    deadline,
                    LARGE_GRAPH_MAX_EVALUATIONS if max_evaluations is None else max_evaluations,
                )
            ),
        )
    if limit.hit_time:
        logger.warning(
            "Steiner local search stopped at its %.1f s time limit; the tree may differ between "
            "runs and machines. Raise the time limit for a reproducible result",
            budget,
        )
    return tree


def steiner_tree(
    G: nx.Graph,
    terminals: Iterable[Hashable],
    *,
    weight: str = "weight",
    method: Literal["default", "fast", "exact"] = "default",
    time_limit_s: float | None = None,
    seed: int = 0,
    allow_forest: bool = False,
    max_evaluations: int | None = None,
) -> SteinerResult:
    """Minimum-cost tree joining ``terminals`` in ``G``.

    Parameters
    ----------
    G
        Undirected graph (``nx.Graph`` or ``nx.MultiGraph``; for parallel edges the cheapest is
        used). Not modified.
    terminals
        Nodes the tree must span (duplicates ignored).
    weight
        Edge attribute holding the non-negative edge cost (e.g. trench cost in £ or length in m).
    method
        {"default", "fast", "exact"}. ``default``: multi-start shortest-path heuristic plus
        Steiner-vertex insertion/elimination and key-path exchange (near-optimal);
        ``fast``: Mehlhorn's 2-approximation (for very large graphs); ``exact``: branch-and-cut
        with HiGHS, returning a proven lower bound.
    time_limit_s
        Time budget in s for ``default`` (local search, default 30 s) and ``exact`` (default
        60 s); ``fast`` ignores it.
    seed
        Seed for the order of SPH roots.
    allow_forest
        When the terminals lie in several components, return one tree per component
        (``n_trees > 1``) instead of raising :class:`DisconnectedNetworkError`.
    max_evaluations
        Work bound of the default solver's local search: the number of Steiner-vertex moves
        it may evaluate (None: every start improved until no move helps on graphs of up to
        3,000 nodes, 5,000 evaluations on larger ones). A work bound, unlike the time limit,
        gives the same tree on any machine.

    Returns
    -------
    SteinerResult
        The validated tree; for ``exact`` with its lower bound and optimality flag.

    Raises
    ------
    InputError
        Empty terminal set, terminal not in the graph, negative/NaN/missing weights, unknown
        method, directed graph.
    DisconnectedNetworkError
        Terminals in different components and ``allow_forest`` is False.
    SolverError
        The solver returned a tree that does not validate.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph()
    >>> G.add_weighted_edges_from([("a", "x", 1), ("b", "x", 1), ("c", "x", 1), ("a", "b", 3)])
    >>> steiner_tree(G, ["a", "b", "c"]).cost
    3.0

    The optimum uses the Steiner node ``x`` (joining the terminals directly costs 3 + 1 + 1 = 5);
    the exact method proves it:

    >>> res = steiner_tree(G, ["a", "b", "c"], method="exact")
    >>> res.cost, res.lower_bound, res.optimal, sorted(res.nodes)
    (3.0, 3.0, True, ['a', 'b', 'c', 'x'])
    """
    if method not in ("default", "fast", "exact"):
        msg = f"steiner: unknown method {method!r}; use 'default', 'fast' or 'exact'"
        raise InputError(msg)
    if time_limit_s is not None and not time_limit_s > 0:
        msg = f"steiner: time_limit_s must be > 0, got {time_limit_s!r}"
        raise InputError(msg)
    t0 = time.perf_counter()
    core = core_from_graph(G, weight)
    terms = terminal_indices(core, terminals)
    groups = component_groups(core, terms)
    if len(groups) > 1 and not allow_forest:
        raise disconnected_error(core, groups)
    ii: list[NDArray[np.int64]] = []
    jj: list[NDArray[np.int64]] = []
    lb_total: float | None = 0.0
    optimal = True
    for g in groups:
        tree, lb, opt = _solve_indices(core, g, method, time_limit_s, seed, max_evaluations)
        ii.append(tree[0])
        jj.append(tree[1])
        lb_total = None if (lb is None or lb_total is None) else lb_total + lb
        optimal = optimal and opt
    tree_all = (np.concatenate(ii), np.concatenate(jj))
    edges, cost = to_edges(core, tree_all)
    check_forest(core, tree_all, groups)
    nodes = frozenset(core.labels[int(x)] for x in np.concatenate([*ii, *jj, terms]))
    if method != "exact":
        lb_total, optimal = None, False
    elif lb_total is not None and cost <= lb_total + 1e-6 * max(1.0, abs(cost)):
        optimal = True
    seconds = time.perf_counter() - t0
    logger.debug("steiner %s: cost %.6g in %.3f s", method, cost, seconds)
    return SteinerResult(
        edges=edges,
        nodes=nodes,
        cost=cost,
        method=method,
        seconds=seconds,
        lower_bound=lb_total,
        optimal=optimal,
        n_trees=len(groups),
    )


def prize_collecting_steiner_tree(
    G: nx.Graph,
    prizes: Mapping[Any, float],
    *,
    weight: str = "weight",
    root: Hashable | None = None,
    required: Iterable[Hashable] = (),
    method: Literal["default", "exact"] = "default",
    time_limit_s: float | None = None,
    polish: bool = True,
) -> PCSTResult:
    """Tree maximising collected prizes minus edge cost (minimise edge cost + prizes lost).

    Parameters
    ----------
    G
        Undirected graph (``nx.Graph`` or ``nx.MultiGraph``). Not modified.
    prizes
        Non-negative value of connecting each node (e.g. £ of heat margin over the horizon);
        nodes not listed have prize 0.
    weight
        Edge cost attribute, same units as the prizes.
    root
        Node the tree must contain (e.g. the energy centre); None lets the solver pick.
    required
        Further nodes the tree must contain (e.g. anchor loads), whatever their prize; they
        must lie in one component (with the root).
    method
        {"default", "exact"}. ``default``: reductions, Goemans–Williamson and greedy starts,
        vertex insertion/elimination with strong pruning, and an exact MIP (HiGHS) on the
        union of the best trees; bounded by work, so the same input gives the same tree on any
        machine. ``exact``: the same, then the flow MIP on the whole reduced graph, giving a
        proven lower bound (small graphs).
    time_limit_s
        Safety cap in s (default 60 s); the search is bounded by work and normally ends well
        before it. A warning says when the cap cut the search short (``capped`` in the result).
    polish
        Run the default method's exact MIP on the union of the best trees (on by default);
        off keeps reductions, starts, local search and the terminal-set search only, which is
        much faster on street graphs of thousands of edges.

    Returns
    -------
    PCSTResult
        The validated tree and its objective.

    Raises
    ------
    InputError
        Negative/NaN prizes or weights, prize or root node not in the graph, unknown method.

    Examples
    --------
    A street from the energy centre through ``a`` and ``b`` to ``c``: reaching ``c`` costs 50
    for a prize of 20, so the best tree stops at ``b`` (edges 20 + prize lost 20 = 40):

    >>> G = nx.Graph()
    >>> G.add_weighted_edges_from([("ec", "a", 10), ("a", "b", 10), ("b", "c", 50)])
    >>> res = prize_collecting_steiner_tree(G, {"a": 30, "b": 25, "c": 20}, root="ec")
    >>> sorted(res.nodes), res.edge_cost, res.prize_lost, res.objective
    (['a', 'b', 'ec'], 20.0, 20.0, 40.0)
    """
    if method not in ("default", "exact"):
        msg = f"prize_collecting_steiner_tree: unknown method {method!r}; use 'default' or 'exact'"
        raise InputError(msg)
    t0 = time.perf_counter()
    core = core_from_graph(G, weight)
    if core.n == 0:
        msg = "prize_collecting_steiner_tree: the graph has no nodes"
        raise InputError(msg)
    p = np.zeros(core.n)
    for node, val in prizes.items():
        if node not in core.index:
            msg = f"prize_collecting_steiner_tree: prize node {node!r} is not in the graph"
            raise InputError(msg)
        fv = float(val)
        if not math.isfinite(fv) or fv < 0:
            msg = f"prize_collecting_steiner_tree: prize of {node!r} is {fv!r}; must be >= 0"
            raise InputError(msg)
        p[core.index[node]] = fv
    r: int | None = None
    if root is not None:
        if root not in core.index:
            msg = f"prize_collecting_steiner_tree: root {root!r} is not in the graph"
            raise InputError(msg)
        r = core.index[root]
    req = [core.index[x] for x in dict.fromkeys(required) if x in core.index]
    missing = [x for x in dict.fromkeys(required) if x not in core.index]
    if missing:
        msg = f"prize_collecting_steiner_tree: required node {missing[0]!r} is not in the graph"
        raise InputError(msg)
    _check_same_component(core, ([] if r is None else [r]) + req)
    out = solve_pcst(
        core,
        p,
        root=r,
        required=np.asarray(req, dtype=np.int64),
        method=method,
        time_limit_s=time_limit_s,
        polish=polish,
    )
    tree, nodes_idx, lb, opt = out.tree, out.nodes, out.lower_bound, out.optimal
    edges, edge_cost = to_edges(core, tree)
    node_labels = frozenset(core.labels[int(x)] for x in nodes_idx)
    if edges:
        validate_tree(G, edges, node_labels, weight=weight)
    lost = float(p.sum() - p[np.asarray(sorted(nodes_idx), dtype=np.int64)].sum())
    obj = edge_cost + lost
    if obj <= 0.0:
        # prizes and weights are >= 0: nothing can beat a tree of zero cost and zero loss
        lb, opt = 0.0, True
    if lb is not None and obj <= lb + 1e-6 * max(1.0, abs(obj)):
        opt = True
    return PCSTResult(
        edges=edges,
        nodes=node_labels,
        edge_cost=edge_cost,
        prize_lost=lost,
        objective=obj,
        lower_bound=lb,
        optimal=opt,
        seconds=time.perf_counter() - t0,
        method=method,
        work=out.work,
        capped=out.capped,
    )


def _check_same_component(core: Core, must: list[int]) -> None:
    """Raise when the root and the required nodes do not lie in one component."""
    if len(must) <= 1:
        return
    groups = component_groups(core, np.asarray(must, dtype=np.int64))
    if len(groups) > 1:
        raise disconnected_error(core, groups)
