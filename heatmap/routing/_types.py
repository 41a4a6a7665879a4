"""Types shared by the Steiner and prize-collecting solvers: the integer graph core and results.

The bottom module of the solvers: the private helpers import these types from here, never from
the :mod:`heatmap.routing.steiner` facade.
"""

from __future__ import annotations

import math
from collections.abc import Hashable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import coo_matrix, csr_matrix

__all__ = [
    "Core",
    "PCSTResult",
    "PcstInstance",
    "SteinerResult",
    "Tree",
    "csr_from_edges",
]

Tree = tuple[NDArray[np.int64], NDArray[np.int64]]
"""A tree as two arrays of edge end points (node indices of a :class:`Core`)."""


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
    work
        Work the solver did, in evaluations (growth events, local-search moves, MIP nodes):
        the search is bounded by this count, never by the clock.
    capped
        True when the safety time limit cut the search short (the tree may then depend on
        the machine).
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
    work: int = 0
    capped: bool = False


@dataclass
class Core:
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
        """Return the true weights of edges (i, j) (edges sorted by (u, v): binary search)."""
        n = max(self.n, 1)
        keys = self.u * n + self.v
        q = np.minimum(i, j) * n + np.maximum(i, j)
        return self.w[np.searchsorted(keys, q)]

    def weight(self, a: int, b: int) -> float:
        """Return the true weight of edge (a, b)."""
        return float(self.weights(np.array([a]), np.array([b]))[0])


@dataclass
class PcstInstance:
    """A prize-collecting instance on integer vertices ``0..n-1`` (a reduced copy of a core).

    Attributes
    ----------
    u, v, w
        Unique undirected edges ``u < v`` and their true weights.
    p
        Prize of each vertex as the solver sees it (a required vertex gets a prize larger than
        every edge and prize together, so that every good tree holds it).
    root
        Vertex the tree must contain, or None.
    required
        Vertices the tree must contain (the root among them).
    orig
        Vertex of the original core for each vertex of this instance.
    A
        Symmetric CSR adjacency (zero weights replaced by a tiny epsilon).
    """

    u: NDArray[np.int64]
    v: NDArray[np.int64]
    w: NDArray[np.float64]
    p: NDArray[np.float64]
    root: int | None
    required: NDArray[np.bool_]
    orig: NDArray[np.int64]
    A: csr_matrix

    @property
    def n(self) -> int:
        """Number of vertices."""
        return len(self.p)


def csr_from_edges(
    n: int, u: NDArray[np.int64], v: NDArray[np.int64], w: NDArray[np.float64]
) -> csr_matrix:
    """Return the symmetric CSR matrix of undirected edges (zero weights as a tiny epsilon)."""
    pos = w[w > 0]
    eps = 1e-9 * (float(pos.min()) if len(pos) else 1.0)
    wi = np.where(w > 0, w, eps)
    return coo_matrix(
        (np.concatenate([wi, wi]), (np.concatenate([u, v]), np.concatenate([v, u]))), shape=(n, n)
    ).tocsr()
