"""Steiner tree and prize-collecting Steiner tree solvers for network routing.

The routing stage joins the energy centre, anchor loads and cluster connection points with a
minimum-cost tree over the street graph. This module is the solver core:

- :func:`steiner_tree` with ``method`` in ``{"default", "fast", "exact"}``;
- :func:`prize_collecting_steiner_tree` decides which loads are worth connecting;
- :func:`validate_tree` checks any tree (connected, acyclic, spans the terminals).

Graphs are converted once to a symmetric ``scipy.sparse`` CSR matrix; all shortest-path and
spanning-tree work runs in ``scipy.sparse.csgraph``. For a :class:`networkx.MultiGraph` the
cheapest parallel edge is used and returned edges are node pairs.

Notes
-----
Edge weights must be finite and non-negative. Zero-weight edges are allowed (they arise where a
load attaches exactly at a street node): costs are computed with the true zero, while the graph
core sees them as a tiny positive weight (1e-9 times the smallest positive weight) so that
sparse-matrix routines do not drop them. Negative, NaN, infinite or missing weights raise
:class:`~heatmap.errors.InputError`.
"""

from __future__ import annotations

import itertools
import logging
import math
import time
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import networkx as nx
import numpy as np
from numpy.typing import NDArray
from scipy.sparse import coo_matrix, csr_matrix
from scipy.sparse.csgraph import connected_components

from heatmap.errors import DisconnectedNetworkError, InputError, SolverError

logger = logging.getLogger(__name__)

__all__ = [
    "PCSTResult",
    "SteinerResult",
    "prize_collecting_steiner_tree",
    "solve_stp",
    "steiner_tree",
    "validate_tree",
]

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


@dataclass(frozen=True)
class SteinerResult:
    """A Steiner tree (or, when asked, a forest with one tree per component).

    Attributes
    ----------
    edges
        Tree edges as node pairs of the input graph.
    nodes
        Nodes of the tree (terminals and Steiner nodes).
    cost
        Sum of edge weights (cheapest parallel edge for multigraphs).
    method
        Solver that produced the tree.
    seconds
        Wall-clock solve time, s.
    lower_bound
        Proven lower bound on the optimum (exact method), else None.
    optimal
        True when the tree is proven optimal.
    n_trees
        Number of trees: 1 unless ``allow_forest=True`` and the terminals span several
        components.
    """

    edges: tuple[tuple[Hashable, Hashable], ...]
    nodes: frozenset[Hashable]
    cost: float
    method: str
    seconds: float
    lower_bound: float | None = None
    optimal: bool = False
    n_trees: int = 1

    @property
    def gap(self) -> float | None:
        """Relative gap (cost - lower_bound) / lower_bound, or None without a bound."""
        if self.lower_bound is None:
            return None
        if self.lower_bound <= 0:
            return 0.0 if self.cost <= 0 else math.inf
        return max(0.0, (self.cost - self.lower_bound) / self.lower_bound)


@dataclass(frozen=True)
class PCSTResult:
    """A prize-collecting Steiner tree.

    Attributes
    ----------
    edges
        Tree edges as node pairs of the input graph.
    nodes
        Nodes in the tree (at least one node).
    edge_cost
        Sum of edge weights of the tree.
    prize_lost
        Sum of the prizes of nodes left out.
    objective
        ``edge_cost + prize_lost`` (minimised).
    lower_bound
        Proven lower bound on the objective (exact method), else None.
    optimal
        True when proven optimal.
    seconds
        Wall-clock solve time, s.
    method
        Solver that produced the tree.
    """

    edges: tuple[tuple[Hashable, Hashable], ...]
    nodes: frozenset[Hashable]
    edge_cost: float
    prize_lost: float
    objective: float
    lower_bound: float | None
    optimal: bool
    seconds: float
    method: str


@dataclass
class _Core:
    """Integer-indexed view of a graph: labels, unique undirected edges and a CSR matrix."""

    labels: list[Hashable]
    index: dict[Hashable, int]
    u: NDArray[np.int64]
    v: NDArray[np.int64]
    w: NDArray[np.float64]  # true weights (zeros kept)
    A: csr_matrix  # symmetric, zero weights replaced by a tiny epsilon

    @property
    def n(self) -> int:
        return len(self.labels)

    def weights(self, i: NDArray[np.int64], j: NDArray[np.int64]) -> NDArray[np.float64]:
        """True weights of edges (i, j) (edges are sorted by (u, v), so binary search)."""
        n = max(self.n, 1)
        keys = self.u * n + self.v
        q = np.minimum(i, j) * n + np.maximum(i, j)
        return self.w[np.searchsorted(keys, q)]

    def weight(self, a: int, b: int) -> float:
        """True weight of edge (a, b)."""
        return float(self.weights(np.array([a]), np.array([b]))[0])


def _raise_bad_weight(
    labels: list[Hashable], ends: list[tuple[int, int, Any]], weight: str
) -> None:
    """Raise an InputError naming the first edge whose weight is missing or invalid."""
    for ia, ib, x in ends:
        a, b = labels[ia], labels[ib]
        if x is None:
            msg = f"steiner: edge ({a!r}, {b!r}) has no {weight!r} attribute; set it on every edge"
            raise InputError(msg)
        try:
            xf = float(x)
        except (TypeError, ValueError):
            msg = f"steiner: edge ({a!r}, {b!r}) has non-numeric {weight!r} = {x!r}"
            raise InputError(msg) from None
        if not math.isfinite(xf) or xf < 0:
            msg = (
                f"steiner: edge ({a!r}, {b!r}) has {weight!r} = {xf!r}; weights must be "
                "finite and >= 0 (fix or drop the edge)"
            )
            raise InputError(msg)


def _min_weight(keydict: Mapping[Any, Mapping[str, Any]], weight: str) -> Any:
    """Cheapest parallel edge weight of a multigraph edge (None/invalid passed through)."""
    vals: list[Any] = [d.get(weight) for d in keydict.values()]
    try:
        return min(vals)
    except TypeError:
        return next((x for x in vals if x is None or not isinstance(x, int | float)), None)


def _core_from_graph(G: nx.Graph, weight: str) -> _Core:
    """Convert a networkx (multi)graph to a :class:`_Core`, validating weights."""
    if G.is_directed():
        msg = "steiner: the graph is directed; pass an undirected nx.Graph or nx.MultiGraph"
        raise InputError(msg)
    labels = list(G.nodes)
    index = {x: k for k, x in enumerate(labels)}
    src: list[int] = []
    dst: list[int] = []
    wts: list[Any] = []
    idx = index.__getitem__
    multi = G.is_multigraph()
    # each undirected edge is seen from both ends; C-level extend/map keep this fast
    # the raw adjacency dict (views add per-item overhead); graph views expose it too
    adj: Mapping[Any, Mapping[Any, Any]] = getattr(G, "_adj", G.adj)
    for a, nbrs in adj.items():
        src.extend(itertools.repeat(idx(a), len(nbrs)))
        dst.extend(map(idx, nbrs))
        if multi:
            wts.extend(_min_weight(kd, weight) for kd in nbrs.values())
        else:
            wts.extend(d.get(weight) for d in nbrs.values())
    try:
        w = np.fromiter((np.nan if x is None else x for x in wts), float, len(wts))
    except (TypeError, ValueError):
        w = np.full(len(wts), np.nan)
    if np.any(~np.isfinite(w) | (w < 0)):
        _raise_bad_weight(labels, list(zip(src, dst, wts, strict=True)), weight)
    su = np.asarray(src, dtype=np.int64)
    sv = np.asarray(dst, dtype=np.int64)
    half = su <= sv
    u, v, w = su[half], sv[half], w[half]
    keep = u != v  # self-loops never help a tree
    u, v, w = u[keep], v[keep], w[keep]
    # cheapest parallel edge per node pair
    order = np.lexsort((w, v, u))
    u, v, w = u[order], v[order], w[order]
    first = np.ones(len(u), dtype=bool)
    first[1:] = (u[1:] != u[:-1]) | (v[1:] != v[:-1])
    u, v, w = u[first], v[first], w[first]
    pos = w[w > 0]
    eps = 1e-9 * (float(pos.min()) if len(pos) else 1.0)
    wi = np.where(w > 0, w, eps)
    n = len(labels)
    A = coo_matrix(
        (np.concatenate([wi, wi]), (np.concatenate([u, v]), np.concatenate([v, u]))), shape=(n, n)
    ).tocsr()
    return _Core(labels, index, u, v, w, A)


def _terminal_indices(core: _Core, terminals: Iterable[Hashable]) -> NDArray[np.int64]:
    terms = list(dict.fromkeys(terminals))
    if not terms:
        msg = "steiner: the terminal set is empty; give at least one terminal node"
        raise InputError(msg)
    missing = [t for t in terms if t not in core.index]
    if missing:
        shown = ", ".join(repr(t) for t in missing[:10])
        more = f" (and {len(missing) - 10} more)" if len(missing) > 10 else ""
        msg = f"steiner: {len(missing)} terminal(s) are not nodes of the graph: {shown}{more}"
        raise InputError(msg)
    return np.asarray([core.index[t] for t in terms], dtype=np.int64)


def _component_groups(core: _Core, terms: NDArray[np.int64]) -> list[NDArray[np.int64]]:
    """Terminal index arrays grouped by connected component (largest group first)."""
    _, lab = connected_components(core.A, directed=False)
    tl = lab[terms]
    groups = [terms[tl == c] for c in np.unique(tl)]
    groups.sort(key=len, reverse=True)
    return groups


def _disconnected_error(core: _Core, groups: list[NDArray[np.int64]]) -> DisconnectedNetworkError:
    parts = []
    for k, g in enumerate(groups[:5]):
        names = ", ".join(repr(core.labels[int(x)]) for x in g[:5])
        more = f", ... ({len(g)} in all)" if len(g) > 5 else ""
        parts.append(f"component {k + 1}: {names}{more}")
    extra = f"; and {len(groups) - 5} more components" if len(groups) > 5 else ""
    msg = (
        f"steiner: the terminals lie in {len(groups)} different components of the graph "
        f"({'; '.join(parts)}{extra}); connect the network, drop the unreachable terminals, or "
        "pass allow_forest=True for one tree per component"
    )
    return DisconnectedNetworkError(msg)


def _solve_indices(
    core: _Core,
    terms: NDArray[np.int64],
    method: str,
    time_limit_s: float | None,
    seed: int,
    max_evaluations: int | None = None,
) -> tuple[tuple[NDArray[np.int64], NDArray[np.int64]], float | None, bool]:
    """Solve one connected instance; returns (tree, lower bound, optimal)."""
    from heatmap.routing import _heuristic as heur

    is_term = np.zeros(core.n, dtype=bool)
    is_term[terms] = True
    empty = np.zeros(0, dtype=np.int64)
    if len(terms) == 1:
        return (empty, empty.copy()), 0.0, True
    if method == "fast":
        return heur.mehlhorn(core.A, terms, is_term), None, False
    if method == "exact":
        from heatmap.routing._exact import solve_exact

        return solve_exact(core, terms, time_limit_s=time_limit_s, seed=seed)
    return _default(core, terms, is_term, time_limit_s, seed, max_evaluations), None, False


def _default(
    core: _Core,
    terms: NDArray[np.int64],
    is_term: NDArray[np.bool_],
    time_limit_s: float | None,
    seed: int,
    max_evaluations: int | None = None,
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    from heatmap.routing import _heuristic as heur

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


def _to_edges(
    core: _Core, tree: tuple[NDArray[np.int64], NDArray[np.int64]]
) -> tuple[tuple[tuple[Hashable, Hashable], ...], float]:
    i, j = tree
    labels = core.labels
    edges = tuple((labels[int(a)], labels[int(b)]) for a, b in zip(i, j, strict=True))
    cost = float(core.weights(i, j).sum()) if len(i) else 0.0
    return edges, cost


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
    core = _core_from_graph(G, weight)
    terms = _terminal_indices(core, terminals)
    groups = _component_groups(core, terms)
    if len(groups) > 1 and not allow_forest:
        raise _disconnected_error(core, groups)
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
    edges, cost = _to_edges(core, tree_all)
    _check_forest(core, tree_all, groups)
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


def _check_forest(
    core: _Core,
    tree: tuple[NDArray[np.int64], NDArray[np.int64]],
    groups: list[NDArray[np.int64]],
) -> None:
    """Vectorised validation: edges of the graph, no repeats, acyclic, each group in one tree.

    Raises :class:`SolverError` like :func:`validate_tree`, which does the same checks on the
    networkx graph for callers holding labelled edges.
    """
    i, j = tree
    n = max(core.n, 1)
    keys = core.u * n + core.v
    q = np.minimum(i, j) * n + np.maximum(i, j)
    pos = np.searchsorted(keys, q)
    if len(q) and (np.any(pos >= len(keys)) or np.any(keys[np.minimum(pos, len(keys) - 1)] != q)):
        msg = "steiner: the solver returned an edge that is not in the graph"
        raise SolverError(msg)
    if len(np.unique(q)) != len(q):
        msg = "steiner: the solver returned a repeated edge"
        raise SolverError(msg)
    nodes = np.unique(np.concatenate([i, j, *groups]))
    loc = np.searchsorted(nodes, np.concatenate([i, j]))
    k = len(nodes)
    m = len(i)
    adj = coo_matrix((np.ones(m), (loc[:m], loc[m:])), shape=(k, k))
    n_comp, lab = connected_components(adj, directed=False)
    if m != k - n_comp:
        msg = "steiner: the solver returned edges that contain a cycle"
        raise SolverError(msg)
    if n_comp != len(groups):
        msg = f"steiner: the solver returned {n_comp} trees for {len(groups)} terminal group(s)"
        raise SolverError(msg)
    for g in groups:
        if len(np.unique(lab[np.searchsorted(nodes, g)])) != 1:
            msg = "steiner: the solver returned a tree that does not join all terminals"
            raise SolverError(msg)


def _edge_weight(G: nx.Graph, a: Hashable, b: Hashable, weight: str) -> float:
    data: Any = G.get_edge_data(a, b)
    if data is None:
        msg = f"validate_tree: ({a!r}, {b!r}) is not an edge of the graph"
        raise SolverError(msg)
    if G.is_multigraph():
        return float(min(d.get(weight, math.nan) for d in data.values()))
    return float(data.get(weight, math.nan))


def validate_tree(
    G: nx.Graph,
    edges: Iterable[tuple[Hashable, Hashable]],
    terminals: Iterable[Hashable],
    *,
    weight: str = "weight",
) -> float:
    """Check that ``edges`` form a tree of ``G`` spanning ``terminals``; return its cost.

    Parameters
    ----------
    G
        The graph the tree should lie in.
    edges
        Node pairs; each must be an edge of ``G``.
    terminals
        Nodes the tree must contain (a single terminal with no edges is a valid tree).
    weight
        Edge cost attribute (cheapest parallel edge for multigraphs).

    Returns
    -------
    float
        Sum of edge weights.

    Raises
    ------
    SolverError
        An edge is not in ``G``, the edges contain a cycle or a repeated edge, the tree is
        disconnected, or it misses a terminal.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_weighted_edges_from([("a", "x", 1), ("b", "x", 1), ("c", "x", 1), ("a", "b", 3)])
    >>> validate_tree(G, [("a", "x"), ("x", "b"), ("x", "c")], ["a", "b", "c"])
    3.0
    >>> validate_tree(G, [("a", "b")], ["a", "b", "c"])
    Traceback (most recent call last):
    ...
    heatmap.errors.SolverError: validate_tree: the tree is disconnected (2 pieces)
    """
    edge_list = list(edges)
    terms = list(dict.fromkeys(terminals))
    T = nx.Graph()
    T.add_nodes_from(terms)
    cost = 0.0
    for a, b in edge_list:
        cost += _edge_weight(G, a, b, weight)
        if T.has_edge(a, b):
            msg = f"validate_tree: edge ({a!r}, {b!r}) appears twice"
            raise SolverError(msg)
        T.add_edge(a, b)
    if T.number_of_nodes() == 0:
        msg = "validate_tree: no terminals and no edges"
        raise SolverError(msg)
    if not nx.is_connected(T):
        msg = (
            f"validate_tree: the tree is disconnected ({nx.number_connected_components(T)} pieces)"
        )
        raise SolverError(msg)
    if T.number_of_edges() != T.number_of_nodes() - 1:
        msg = "validate_tree: the edges contain a cycle"
        raise SolverError(msg)
    return cost


def prize_collecting_steiner_tree(
    G: nx.Graph,
    prizes: Mapping[Any, float],
    *,
    weight: str = "weight",
    root: Hashable | None = None,
    method: Literal["default", "exact"] = "default",
    time_limit_s: float | None = None,
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
    method
        {"default", "exact"}. ``default``: multi-start greedy growth with strong pruning and
        local improvement; ``exact``: MILP with HiGHS (small graphs).
    time_limit_s
        Time budget in s.

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
    from heatmap.routing._pcst import solve_pcst

    if method not in ("default", "exact"):
        msg = f"prize_collecting_steiner_tree: unknown method {method!r}; use 'default' or 'exact'"
        raise InputError(msg)
    t0 = time.perf_counter()
    core = _core_from_graph(G, weight)
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
    tree, nodes_idx, lb, opt = solve_pcst(core, p, root=r, method=method, time_limit_s=time_limit_s)
    edges, edge_cost = _to_edges(core, tree)
    node_labels = frozenset(core.labels[int(x)] for x in nodes_idx)
    if edges:
        validate_tree(G, edges, node_labels, weight=weight)
    lost = float(p.sum() - p[np.asarray(sorted(nodes_idx), dtype=np.int64)].sum())
    obj = edge_cost + lost
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
    )


def solve_stp(
    path: str | Path,
    *,
    method: Literal["default", "fast", "exact", "networkx"] | str = "default",
    time_limit_s: float | None = None,
) -> dict[str, Any]:
    """Solve a SteinLib ``.stp`` file; the record printed by ``heatmap steiner --json``.

    Parameters
    ----------
    path
        The ``.stp`` file (plain or prize-collecting with ``TP`` lines).
    method
        {"default", "fast", "exact", "networkx"}; ``networkx`` runs
        ``networkx.algorithms.approximation.steiner_tree(method="mehlhorn")``. Prize-collecting
        instances accept ``default`` and ``exact`` (``fast`` maps to ``default``).
    time_limit_s
        Time limit in s.

    Returns
    -------
    dict
        ``{"instance", "cost", "seconds", "method", "lower_bound", "optimal"}``; for
        prize-collecting instances ``cost`` is edge cost + prizes left out.

    Examples
    --------
    A star of three terminals around a Steiner node (optimum 3) written as a SteinLib file:

    >>> import pathlib, tempfile
    >>> stp = ["33D32945 STP File, STP Format Version 1.0",
    ...        "SECTION Graph", "Nodes 4", "Edges 5",
    ...        "E 1 4 1", "E 2 4 1", "E 3 4 1", "E 1 2 3", "E 2 3 3", "END",
    ...        "SECTION Terminals", "Terminals 3", "T 1", "T 2", "T 3", "END", "EOF"]
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = pathlib.Path(tmp) / "star.stp"
    ...     _ = path.write_text("\\n".join(stp))
    ...     rec = solve_stp(path, method="exact")
    >>> rec["instance"], rec["cost"], rec["lower_bound"], rec["optimal"]
    ('star', 3.0, 3.0, True)
    """
    from heatmap.routing.steinlib import read_stp

    inst = read_stp(path)
    if inst.prize_collecting:
        pc_method: Literal["default", "exact"] = "exact" if method == "exact" else "default"
        if method == "networkx":
            msg = f"{path}: networkx has no prize-collecting solver; use default or exact"
            raise InputError(msg)
        pres = prize_collecting_steiner_tree(
            inst.graph, inst.prizes, root=inst.root, method=pc_method, time_limit_s=time_limit_s
        )
        return {
            "instance": inst.name,
            "cost": pres.objective,
            "seconds": pres.seconds,
            "method": f"pcst-{pc_method}",
            "lower_bound": pres.lower_bound,
            "optimal": pres.optimal,
        }
    if method == "networkx":
        from networkx.algorithms.approximation import steiner_tree as nx_steiner

        t0 = time.perf_counter()
        T = nx_steiner(nx.Graph(inst.graph), list(inst.terminals), method="mehlhorn")
        seconds = time.perf_counter() - t0
        cost = validate_tree(inst.graph, list(T.edges), inst.terminals)
        return {
            "instance": inst.name,
            "cost": cost,
            "seconds": seconds,
            "method": "networkx-mehlhorn",
            "lower_bound": None,
            "optimal": False,
        }
    if method not in ("default", "fast", "exact"):
        msg = f"steiner: unknown method {method!r}; use default, fast, exact or networkx"
        raise InputError(msg)
    res = steiner_tree(inst.graph, inst.terminals, method=method, time_limit_s=time_limit_s)  # type: ignore[arg-type]
    return {
        "instance": inst.name,
        "cost": res.cost,
        "seconds": res.seconds,
        "method": res.method,
        "lower_bound": res.lower_bound,
        "optimal": res.optimal,
    }
