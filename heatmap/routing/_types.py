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
from scipy.sparse import csr_matrix

__all__ = [
    "Core",
    "PCSTResult",
    "SteinerResult",
    "Tree",
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
