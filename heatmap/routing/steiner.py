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

from heatmap.routing._dispatch import ALL_ROOTS_MAX_NODES as ALL_ROOTS_MAX_NODES
from heatmap.routing._dispatch import APSP_MAX_NODES as APSP_MAX_NODES
from heatmap.routing._dispatch import DEFAULT_ROOTS as DEFAULT_ROOTS
from heatmap.routing._dispatch import DEFAULT_TIME_LIMIT_S as DEFAULT_TIME_LIMIT_S
from heatmap.routing._dispatch import LARGE_GRAPH_MAX_EVALUATIONS as LARGE_GRAPH_MAX_EVALUATIONS
from heatmap.routing._dispatch import LARGE_GRAPH_ROOTS as LARGE_GRAPH_ROOTS
from heatmap.routing._dispatch import LOCAL_MAX_NODES as LOCAL_MAX_NODES
from heatmap.routing._dispatch import prize_collecting_steiner_tree as prize_collecting_steiner_tree
from heatmap.routing._dispatch import steiner_tree as steiner_tree
from heatmap.routing._graph_core import validate_tree as validate_tree
from heatmap.routing._types import PCSTResult as PCSTResult
from heatmap.routing._types import SteinerResult as SteinerResult
from heatmap.routing.steinlib import solve_stp as solve_stp

__all__ = [
    "PCSTResult",
    "SteinerResult",
    "prize_collecting_steiner_tree",
    "solve_stp",
    "steiner_tree",
    "validate_tree",
]
