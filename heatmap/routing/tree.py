"""Tree bookkeeping for the route stage: orientation, downstream sums, LHD and branch pruning.

Private helpers of :mod:`heatmap.routing.route`. A tree is held as arrays over its nodes in
breadth-first
order from the root: ``parent[i]`` (``-1`` at the root) and ``depth[i]``; the edge into node ``i``
is the edge ``(nodes[parent[i]], nodes[i])``.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from heatmap import schema
from heatmap.demand.estimate import diversity_factor
from heatmap.errors import SolverError


@dataclass(frozen=True)
class OrientedTree:
    """A tree as breadth-first arrays from its root."""

    nodes: list[Hashable]
    parent: np.ndarray
    depth: np.ndarray

    @property
    def index(self) -> dict[Hashable, int]:
        """Node -> position."""
        return {n: i for i, n in enumerate(self.nodes)}


def orient(edges: Iterable[tuple[Hashable, Hashable]], root: Hashable) -> OrientedTree:
    """Orient an undirected edge set from ``root``; raise SolverError unless it is a tree."""
    T = nx.Graph()
    T.add_node(root)
    T.add_edges_from(edges)
    if T.number_of_edges() != T.number_of_nodes() - 1 or not nx.is_connected(T):
        msg = (
            f"the solver returned {T.number_of_edges()} edges over {T.number_of_nodes()} nodes "
            "that do not form one tree through the energy centre"
        )
        raise SolverError(msg)
    nodes: list[Hashable] = [root]
    pos = {root: 0}
    parent = [-1]
    depth = [0]
    for a, b in nx.bfs_edges(T, root):
        pos[b] = len(nodes)
        nodes.append(b)
        parent.append(pos[a])
        depth.append(depth[pos[a]] + 1)
    return OrientedTree(nodes, np.asarray(parent, dtype=np.int64), np.asarray(depth, np.int64))


def downstream_sums(tree: OrientedTree, own: np.ndarray) -> np.ndarray:
    """Sum ``own`` (nodes x k) over each node's subtree, level by level (vectorised)."""
    acc = np.array(own, dtype=float, copy=True)
    for level in range(int(tree.depth.max(initial=0)), 0, -1):
        sel = np.flatnonzero(tree.depth == level)
        np.add.at(acc, tree.parent[sel], acc[sel])
    return acc


def _segment_diversity(n: np.ndarray) -> np.ndarray:
    """Return the diversity factor of ``n`` connections (0 where n is 0)."""
    n = np.asarray(n, dtype=float)
    return np.where(n > 0, diversity_factor(np.maximum(n, 1.0)), 0.0)


def segment_table(
    G: nx.Graph,
    tree: OrientedTree,
    loads: pd.DataFrame,
    edge_phase: dict[frozenset[Hashable], int],
    lhd_threshold: float,
) -> pd.DataFrame:
    """One row per tree edge (parent -> child) with the served-load columns.

    ``loads`` is indexed by node with heat, peak and connection columns; loads at nodes outside
    the tree are ignored.
    """
    idx = tree.index
    own = np.zeros((len(tree.nodes), 3))
    in_tree = loads.index[loads.index.isin(list(idx))]
    rows = np.array([idx[n] for n in in_tree], dtype=np.int64)
    if len(rows):
        sub = loads.loc[in_tree]
        own[rows, 0] = sub[schema.HEAT_DEMAND_MWH_PER_A].to_numpy(float)
        own[rows, 1] = sub[schema.PEAK_LOAD_KW].to_numpy(float)
        own[rows, 2] = sub[schema.N_CONNECTIONS].to_numpy(float)
    acc = downstream_sums(tree, own)
    child = np.arange(1, len(tree.nodes))
    us = [tree.nodes[p] for p in tree.parent[child]]
    vs = [tree.nodes[c] for c in child]
    data = [G.edges[u, v] for u, v in zip(us, vs, strict=True)]
    length = np.array([d[schema.LENGTH_M] for d in data], dtype=float)
    kind = [schema.EdgeKind(d[schema.KIND]) for d in data]
    heat = acc[child, 0]
    n_down = acc[child, 2]
    with np.errstate(divide="ignore", invalid="ignore"):
        lhd = np.where(length > 0, heat / length, np.nan)
    is_street = np.array([k == schema.EdgeKind.STREET for k in kind], dtype=bool)
    table = pd.DataFrame(
        {
            "u": us,
            "v": vs,
            schema.LENGTH_M: length,
            schema.KIND: kind,
            schema.COST_CLASS: [schema.DigClass(d[schema.COST_CLASS]) for d in data],
            schema.DIG_CLASS: [_trench_class(d) for d in data],
            schema.DIG_PREMIUM: [_dig_premium(d) for d in data],
            "n_crossings": [int(d.get("n_crossings", 0)) for d in data],
            "crossing_cost_gbp": [float(d.get("crossing_cost_gbp", 0.0)) for d in data],
            schema.HIGHWAY: [d.get(schema.HIGHWAY, "") for d in data],
            schema.STREET_ID: [d.get(schema.STREET_ID, "") for d in data],
            schema.TRENCH_COST_GBP_PER_M: [float(d[schema.TRENCH_COST_GBP_PER_M]) for d in data],
            "weight": [float(d["weight"]) for d in data],
            schema.SERVED_HEAT_MWH_PER_A: heat,
            schema.SERVED_PEAK_KW: _segment_diversity(n_down) * acc[child, 1],
            schema.N_DOWNSTREAM: np.rint(n_down).astype(np.int64),
            schema.LHD_MWH_PER_M_A: lhd,
            "low_lhd": is_street & (lhd < lhd_threshold),
            schema.PHASE: [edge_phase[frozenset((u, v))] for u, v in zip(us, vs, strict=True)],
            "depth": tree.depth[child],
        }
    )
    table[schema.TRENCH_COST_GBP] = (
        table[schema.LENGTH_M] * table[schema.TRENCH_COST_GBP_PER_M] + table["crossing_cost_gbp"]
    )
    return table


def low_lhd_leaf_branches(
    tree: OrientedTree,
    own_heat: np.ndarray,
    street_length: np.ndarray,
    threshold: float,
    protected: np.ndarray,
) -> list[int]:
    """Return the nodes of the leaf branches whose linear heat density is below ``threshold``.

    A leaf branch runs from a leaf up to (not including) the first node that has another child,
    carries a load of its own, or is the root. Its LHD is the heat of its leaf over the street
    length of its edges (service edges not counted, as for the route LHD). Branches whose leaf
    is ``protected`` (anchor loads) are kept. ``own_heat``, ``street_length`` (of the edge into
    each node) and ``protected`` are per node in tree order.
    """
    n = len(tree.nodes)
    n_children = np.bincount(tree.parent[1:], minlength=n)
    leaves = np.flatnonzero(n_children == 0)
    out: list[int] = []
    for leaf in leaves.tolist():
        if leaf == 0 or protected[leaf]:
            continue
        branch = [leaf]
        node = leaf
        while True:
            p = int(tree.parent[node])
            if p == 0 or n_children[p] != 1 or own_heat[p] > 0:
                break
            branch.append(p)
            node = p
        length = float(street_length[branch].sum())
        if length > 0 and own_heat[leaf] / length < threshold:
            out.extend(branch)
    return out


def _trench_class(d: dict[str, Any]) -> str:
    """An edge's trench class; edges built without one take it from their soft/hard basis."""
    if schema.DIG_CLASS in d:
        return str(d[schema.DIG_CLASS])
    if d.get(schema.KIND) == schema.EdgeKind.SERVICE:
        return str(schema.TrenchClass.SERVICE)
    hard = d.get(schema.COST_CLASS) == schema.DigClass.HARD
    return str(schema.TrenchClass.ROAD if hard else schema.TrenchClass.SOFT)


def _dig_premium(d: dict[str, Any]) -> float:
    """An edge's share of the hard-over-soft rate (1 hard, 0 soft when not given)."""
    if schema.DIG_PREMIUM in d:
        return float(d[schema.DIG_PREMIUM])
    return 1.0 if d.get(schema.COST_CLASS) == schema.DigClass.HARD else 0.0
