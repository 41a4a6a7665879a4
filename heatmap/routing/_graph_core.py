"""Conversion of a networkx graph to the solvers' integer core, and checks of returned trees."""

from __future__ import annotations

import itertools
import math
from collections.abc import Hashable, Iterable, Mapping
from typing import Any

import networkx as nx
import numpy as np
from numpy.typing import NDArray
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from heatmap.errors import (
    DisconnectedNetworkError,
    InputError,
    SolverError,
)
from heatmap.routing._types import Core

__all__ = [
    "check_forest",
    "component_groups",
    "core_from_graph",
    "disconnected_error",
    "predecessor_path",
    "terminal_indices",
    "to_edges",
    "validate_tree",
]


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


def core_from_graph(G: nx.Graph, weight: str) -> Core:
    """Convert a networkx (multi)graph to a :class:`Core`, validating weights."""
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
    return Core(labels, index, u, v, w, A)


def terminal_indices(core: Core, terminals: Iterable[Hashable]) -> NDArray[np.int64]:
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


def component_groups(core: Core, terms: NDArray[np.int64]) -> list[NDArray[np.int64]]:
    """Terminal index arrays grouped by connected component (largest group first)."""
    _, lab = connected_components(core.A, directed=False)
    tl = lab[terms]
    groups = [terms[tl == c] for c in np.unique(tl)]
    groups.sort(key=len, reverse=True)
    return groups


def disconnected_error(core: Core, groups: list[NDArray[np.int64]]) -> DisconnectedNetworkError:
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


def to_edges(
    core: Core, tree: tuple[NDArray[np.int64], NDArray[np.int64]]
) -> tuple[tuple[tuple[Hashable, Hashable], ...], float]:
    i, j = tree
    labels = core.labels
    edges = tuple((labels[int(a)], labels[int(b)]) for a, b in zip(i, j, strict=True))
    cost = float(core.weights(i, j).sum()) if len(i) else 0.0
    return edges, cost


def check_forest(
    core: Core,
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


def predecessor_path(P: NDArray[np.int32], a: int, b: int) -> list[int]:
    """Vertices of the shortest path from ``b`` back to ``a`` in a predecessor matrix ``P``.

    >>> predecessor_path(np.array([[-9999, 0, 1]]), 0, 2)
    [2, 1, 0]
    """
    out = [b]
    x = int(P[a, b])
    while x >= 0:
        out.append(x)
        x = int(P[a, x])
    return out
