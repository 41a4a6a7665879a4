"""Spine routing over the network graph: Steiner trees, phasing, LHD, pruning, energy-centre siting.

The spine joins the energy centre (root) to the loads along the streets at least weight (trench
cost or length, see :class:`heatmap.routing.graph.NetworkParams`). Phases are nested: the phase-1
tree
joins the phase-1 loads, and each later phase extends the tree built so far (solved with the
earlier tree contracted into one zero-cost node), as in the study's Table 23 where "later phases
[are] additional to the previous phase".

Each tree edge, oriented from the root, carries the heat and peak it serves downstream, the
number of connections behind it, and its linear heat density (LHD = served heat / edge length).
The route LHD is the connected heat over the trench length of the spine (STREET edges only;
service edges to buildings are not counted), which is how the study computes its 4.2 MWh/m/yr
for Phase 1 (10,690 MWh / 2,572 m).
"""

from __future__ import annotations

import logging
import time
import warnings
from collections.abc import Hashable
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from heatmap import schema
from heatmap.errors import (
    DisconnectedNetworkError,
    InputError,
    LowLinearHeatDensityWarning,
    SchemaError,
    SolverError,
)
from heatmap.routing import _dispatch as solvers
from heatmap.routing._result import Route as Route
from heatmap.routing._result import phase_summary as phase_summary
from heatmap.routing._result import route_to_gdf as route_to_gdf
from heatmap.routing._types import PCSTResult, SteinerResult
from heatmap.routing.params import NetworkParams
from heatmap.routing.params import RouteParams as RouteParams
from heatmap.routing.siting import EnergyCentreChoice as EnergyCentreChoice
from heatmap.routing.siting import choose_energy_centre as choose_energy_centre
from heatmap.routing.terminals import N_CONNECTIONS as N_CONNECTIONS
from heatmap.routing.terminals import loads_from_terminals as loads_from_terminals
from heatmap.routing.tree import low_lhd_leaf_branches, orient, segment_table

__all__ = [
    "N_CONNECTIONS",
    "EnergyCentreChoice",
    "Route",
    "RouteParams",
    "build_route",
    "choose_energy_centre",
    "loads_from_terminals",
    "phase_summary",
    "route_to_gdf",
]

logger = logging.getLogger(__name__)

_DEFAULT_PARAMS = RouteParams()


_NETWORK_DEFAULTS = NetworkParams()

_TREE = "__tree__"
"""Name of the node standing for the earlier phases' tree when a later phase is solved."""


def _check_loads_index(G: nx.Graph, root: Hashable, loads: pd.DataFrame) -> None:
    """The energy centre and every load are distinct nodes of ``G``."""
    if root not in G:
        msg = f"energy centre node {root!r} is not in the network graph; attach it first"
        raise InputError(msg)
    if len(loads) == 0:
        msg = "no loads to route: the loads table is empty"
        raise InputError(msg)
    for col in (schema.HEAT_DEMAND_MWH_PER_A, schema.PEAK_LOAD_KW):
        if col not in loads.columns:
            msg = f"loads: missing column {col!r}"
            raise SchemaError(msg)
    if not loads.index.is_unique:
        dup = loads.index[loads.index.duplicated()].unique()[:5]
        msg = f"loads: duplicate terminal nodes {list(dup)}; give each load its own node"
        raise InputError(msg)
    missing = [n for n in loads.index if n not in G]
    if missing:
        msg = (
            f"{len(missing)} load(s) are not nodes of the network graph (attach them with "
            f"heatmap.routing.graph.attach_terminals first): {missing[:10]}"
        )
        raise InputError(msg)
    if root in loads.index:
        msg = f"the energy centre node {root!r} is also listed as a load"
        raise InputError(msg)


def _check_edges(G: nx.Graph) -> None:
    """Every edge has a finite non-negative weight and a positive length."""
    for a, b, d in G.edges(data=True):
        w = d.get("weight")
        length = d.get(schema.LENGTH_M)
        if w is None or not np.isfinite(w) or w < 0:
            msg = f"network edge ({a!r}, {b!r}) has weight {w!r}; weights must be finite and >= 0"
            raise InputError(msg)
        if length is None or not np.isfinite(length) or length <= 0:
            msg = (
                f"network edge ({a!r}, {b!r}) has length_m {length!r}; every edge needs a "
                "positive length (merge zero-length streets before routing)"
            )
            raise InputError(msg)


def _check_graph(G: nx.Graph, root: Hashable, loads: pd.DataFrame) -> pd.DataFrame:
    """Validate inputs and return the loads with defaults filled."""
    _check_loads_index(G, root, loads)
    out = loads.copy()
    for col, default in ((N_CONNECTIONS, 1), (schema.PHASE, 1), (schema.IS_ANCHOR, False)):
        if col not in out.columns:
            out[col] = default
    num = out[[schema.HEAT_DEMAND_MWH_PER_A, schema.PEAK_LOAD_KW, N_CONNECTIONS]]
    bad = ~np.isfinite(num.to_numpy(float)).all(axis=1) | (num.to_numpy(float) < 0).any(axis=1)
    if bad.any():
        msg = f"loads: negative or missing heat/peak/connections at {list(out.index[bad][:10])}"
        raise SchemaError(msg)
    if not pd.api.types.is_integer_dtype(out[schema.PHASE]) or (out[schema.PHASE] < 1).any():
        msg = "loads: column 'phase' must hold whole numbers >= 1"
        raise SchemaError(msg)
    _check_edges(G)
    return out


def _contract(G: nx.Graph, tree_nodes: set[Hashable]) -> tuple[nx.Graph, dict[Any, Any]]:
    """Contract ``tree_nodes`` into one node ``_TREE``; map contracted edges back."""
    H = nx.Graph()
    H.add_nodes_from(n for n in G if n not in tree_nodes)
    H.add_node(_TREE)
    back: dict[Any, Any] = {}
    for a, b, w in G.edges(data="weight"):
        ina, inb = a in tree_nodes, b in tree_nodes
        if ina and inb:
            continue
        if not (ina or inb):
            H.add_edge(a, b, weight=w)
            continue
        outer, inner = (b, a) if ina else (a, b)
        if not H.has_edge(_TREE, outer) or w < H.edges[_TREE, outer]["weight"]:
            H.add_edge(_TREE, outer, weight=w)
            back[outer] = inner
    return H, back


def _prizes(loads: pd.DataFrame, params: RouteParams, net: NetworkParams) -> dict[Hashable, float]:
    if params.prize_per_mwh_per_a is not None:
        per = params.prize_per_mwh_per_a
    else:
        per_m = net.trench_cost_soft_gbp_per_m if net.weight == "cost" else 1.0
        per = per_m / max(params.lhd_threshold_mwh_per_m_a, 1e-9)
    prize = loads[schema.HEAT_DEMAND_MWH_PER_A].to_numpy(float) * per
    return dict(zip(loads.index, prize.tolist(), strict=True))


def _solve_phase(
    G: nx.Graph,
    root: Hashable,
    tree_nodes: set[Hashable],
    loads: pd.DataFrame,
    time_limit_s: float | None,
    params: RouteParams,
    net: NetworkParams,
) -> tuple[list[tuple[Hashable, Hashable]], float | None, float, str]:
    """Extend the tree over ``tree_nodes`` (or start at ``root``) to the phase's loads."""
    if tree_nodes:
        H, back = _contract(G, tree_nodes)
        hub: Hashable = _TREE
    else:
        H, back, hub = G, {}, root
    new = loads[~loads.index.isin(list(tree_nodes))]
    if len(new) == 0:
        return [], 0.0, 0.0, params.method
    if params.prize_collecting:
        res: PCSTResult | SteinerResult = solvers.prize_collecting_steiner_tree(
            H,
            {hub: 0.0, **_prizes(new, params, net)},
            weight="weight",
            root=hub,
            required=(
                list(new.index[new[schema.IS_ANCHOR].to_numpy(bool)])
                if params.connect_all_anchors
                else []
            ),
            method="exact" if params.method == "exact" else "default",
            time_limit_s=time_limit_s,
            polish=params.pcst_polish,
        )
    else:
        res = solvers.steiner_tree(
            H,
            [hub, *new.index],
            weight="weight",
            method=params.method,
            time_limit_s=time_limit_s,
            seed=params.seed,
            max_evaluations=params.max_evaluations,
        )
    edges = []
    for a, b in res.edges:
        if a == _TREE and hub == _TREE:
            edges.append((back[b], b))
        elif b == _TREE and hub == _TREE:
            edges.append((back[a], a))
        else:
            edges.append((a, b))
    return edges, res.lower_bound, float(res.seconds), str(res.method)


def _reachable(G: nx.Graph, root: Hashable, loads: pd.DataFrame, params: RouteParams) -> list[Any]:
    comp = nx.node_connected_component(G, root)
    out = [n for n in loads.index if n not in comp]
    if out and params.on_unreachable == "raise":
        names = [G.nodes[n].get("terminal_id", n) for n in out]
        msg = (
            f"{len(out)} load(s) lie in a different part of the street network from the energy "
            f"centre {root!r} and cannot be reached: {names[:20]}. Add the missing street, move "
            "the energy centre, or set [route] on_unreachable = 'drop'"
        )
        raise DisconnectedNetworkError(msg)
    if out:
        logger.warning("dropped %d unreachable load(s): %s", len(out), out[:10])
    return out


def build_route(
    G: nx.Graph,
    *,
    root: Hashable,
    loads: pd.DataFrame,
    params: RouteParams = _DEFAULT_PARAMS,
    network_params: NetworkParams = _NETWORK_DEFAULTS,
) -> Route:
    """Route the spine from the energy centre to the loads, phase by phase.

    Parameters
    ----------
    G
        Network graph with the root and the loads attached (:mod:`heatmap.routing.graph`).
    root
        Node of the energy centre.
    loads
        Indexed by terminal node: ``heat_demand_mwh_per_a``, ``peak_load_kw``, optional
        ``n_connections`` (default 1), ``phase`` (int >= 1, default 1), ``is_anchor``
        (default False).
    params
        Solver, LHD threshold, pruning, prize-collecting options.
    network_params
        The network parameters ``G`` was built with (for the default prize).

    Returns
    -------
    route
        The oriented tree and its totals.

    Raises
    ------
    InputError
        On an empty load set, loads or root not in the graph, or edges with negative, missing
        or zero length or weight.
    DisconnectedNetworkError
        If loads cannot be reached from the root and ``params.on_unreachable == "raise"``.
    SolverError
        If a solver returns something that is not a tree through the root.

    Warns
    -----
    LowLinearHeatDensityWarning
        If the route LHD is below ``params.lhd_threshold_mwh_per_m_a``.

    Examples
    --------
    An energy centre at one end of an L of two 100 m streets, and two loads of 400 and
    300 MWh/a beside them:

    >>> import geopandas as gpd
    >>> from shapely import LineString, Point
    >>> from heatmap.routing.graph import attach_terminals, build_street_graph
    >>> streets = gpd.GeoDataFrame(
    ...     {"highway": ["residential"] * 2},
    ...     geometry=[LineString([(0, 0), (100, 0)]), LineString([(100, 0), (100, 100)])],
    ...     crs="EPSG:27700")
    >>> sites = gpd.GeoDataFrame(
    ...     {"building_id": ["ec", "a", "b"], "role": ["plant", "load", "load"],
    ...      "heat_demand_mwh_per_a": [0.0, 400.0, 300.0], "peak_load_kw": [0.0, 200.0, 150.0]},
    ...     geometry=[Point(0, -5), Point(50, 10), Point(110, 80)], crs="EPSG:27700")
    >>> H, nodes = attach_terminals(build_street_graph(streets), sites, id_column="building_id")
    >>> loads = loads_from_terminals({k: nodes[k] for k in "ab"}, sites.set_index("building_id"))
    >>> route = build_route(H, root=nodes["ec"], loads=loads)
    >>> route.cost  # GBP of trench: 180 m of road at GBP 774/m + 25 m of services at 249/m
    145545.0
    >>> sorted(route.loads["terminal_id"]), route.unreachable, route.pruned
    (['a', 'b'], (), ())
    """
    loads = _check_graph(G, root, loads)
    unreachable = _reachable(G, root, loads, params)
    loads = loads.drop(index=unreachable)
    if len(loads) == 0:
        msg = f"none of the loads can be reached from the energy centre {root!r}"
        raise DisconnectedNetworkError(msg)
    tree_edges: list[tuple[Hashable, Hashable]] = []
    edge_phase: dict[frozenset[Hashable], int] = {}
    tree_nodes: set[Hashable] = set()
    bounds: list[float | None] = []
    seconds = 0.0
    method: str = params.method
    t0 = time.perf_counter()
    phases = sorted(loads[schema.PHASE].unique().tolist())
    limit = None if params.time_limit_s is None else params.time_limit_s / len(phases)
    for phase in phases:
        phase_loads = loads[loads[schema.PHASE] == phase]
        edges, bound, secs, method = _solve_phase(
            G, root, tree_nodes, phase_loads, limit, params, network_params
        )
        seconds += secs
        bounds.append(bound)
        for a, b in edges:
            edge_phase.setdefault(frozenset((a, b)), int(phase))
        tree_edges.extend(edges)
        tree_nodes.update(n for e in edges for n in e)
        tree_nodes.add(root)
        logger.info("phase %s: %d edges added", phase, len(edges))
    tree = orient(tree_edges, root)
    connected = loads[loads.index.isin(tree.nodes)]
    pruned = [n for n in loads.index if n not in tree.index]
    if params.prune_low_lhd:
        tree, connected, more = _prune(G, tree, connected, params)
        pruned.extend(more)
    seg = segment_table(G, tree, connected, edge_phase, params.lhd_threshold_mwh_per_m_a)
    _check_leaves(tree, connected, root)
    route = _make_route(
        G,
        root,
        tree,
        seg,
        loads=connected,
        params=params,
        solve=(method, bounds, seconds),
        dropped=(_ids(G, unreachable), _ids(G, pruned)),
    )
    _report_lhd(route)
    logger.info(
        "route: %.0f m spine, %.0f MWh/a, LHD %.2f MWh/m/a, %.2f s",
        route.spine_length_m,
        route.connected_heat_mwh_per_a,
        route.route_lhd_mwh_per_m_a,
        time.perf_counter() - t0,
    )
    return route


def _ids(G: nx.Graph, nodes: list[Hashable]) -> tuple[Hashable, ...]:
    """Terminal ids of ``nodes`` (the node itself where it carries no ``terminal_id``)."""
    return tuple(G.nodes[n].get("terminal_id", n) for n in nodes)


def _check_leaves(tree: Any, connected: pd.DataFrame, root: Hashable) -> None:
    """Every leaf of the tree must be a load (a Steiner tree has no dangling ends)."""
    n_children = np.bincount(tree.parent[1:], minlength=len(tree.nodes))
    dangling = [
        tree.nodes[i]
        for i in np.flatnonzero(n_children == 0).tolist()
        if tree.nodes[i] != root and tree.nodes[i] not in connected.index
    ]
    if dangling:
        msg = (
            f"the solver's tree has {len(dangling)} leaf node(s) that are not loads: {dangling[:5]}"
        )
        raise SolverError(msg)


def _make_route(
    G: nx.Graph,
    root: Hashable,
    tree: Any,
    seg: pd.DataFrame,
    *,
    loads: pd.DataFrame,
    params: RouteParams,
    solve: tuple[str, list[float | None], float],
    dropped: tuple[tuple[Hashable, ...], tuple[Hashable, ...]],
) -> Route:
    D = nx.DiGraph(crs=G.graph.get("crs"), root=root)
    for n in tree.nodes:
        D.add_node(n, **G.nodes[n])
    cols = [c for c in seg.columns if c not in ("u", "v")]
    values = seg[cols].to_dict("records")
    for (u, v), extra in zip(zip(seg["u"], seg["v"], strict=True), values, strict=True):
        D.add_edge(u, v, **{**G.edges[u, v], **extra})
    method, bounds, seconds = solve
    lower = None if any(b is None for b in bounds) else float(sum(b or 0.0 for b in bounds))
    return Route(
        graph=D,
        root=root,
        loads=loads,
        segments=seg,
        solver=method,
        cost=float(seg["weight"].sum()),
        lower_bound=lower,
        seconds=seconds,
        unreachable=dropped[0],
        pruned=dropped[1],
        lhd_threshold_mwh_per_m_a=params.lhd_threshold_mwh_per_m_a,
        crs=G.graph.get("crs"),
    )


def _prune(
    G: nx.Graph, tree: Any, connected: pd.DataFrame, params: RouteParams
) -> tuple[Any, pd.DataFrame, list[Hashable]]:
    """Remove low-LHD leaf branches until none is left; return the tree, loads, pruned loads."""
    pruned: list[Hashable] = []
    while True:
        idx = tree.index
        heat = np.zeros(len(tree.nodes))
        protected = np.zeros(len(tree.nodes), dtype=bool)
        pos = np.array([idx[n] for n in connected.index], dtype=np.int64)
        heat[pos] = connected[schema.HEAT_DEMAND_MWH_PER_A].to_numpy(float)
        if params.connect_all_anchors:
            protected[pos] = connected[schema.IS_ANCHOR].to_numpy(bool)
        street = np.zeros(len(tree.nodes))
        for i in range(1, len(tree.nodes)):
            d = G.edges[tree.nodes[tree.parent[i]], tree.nodes[i]]
            if d[schema.KIND] == schema.EdgeKind.STREET:
                street[i] = d[schema.LENGTH_M]
        drop = low_lhd_leaf_branches(
            tree, heat, street, params.lhd_threshold_mwh_per_m_a, protected
        )
        if not drop:
            return tree, connected, pruned
        gone = {tree.nodes[i] for i in drop}
        lost = [n for n in connected.index if n in gone]
        pruned.extend(lost)
        connected = connected.drop(index=lost)
        logger.info("pruned %d low-LHD leaf branch node(s), %d load(s)", len(gone), len(lost))
        keep = [
            (tree.nodes[tree.parent[i]], tree.nodes[i])
            for i in range(1, len(tree.nodes))
            if tree.nodes[i] not in gone
        ]
        tree = orient(keep, tree.nodes[0])


def _report_lhd(route: Route) -> None:
    seg = route.segments
    n_low = int(seg["low_lhd"].sum())
    if n_low:
        logger.info(
            "%d street section(s), %.0f m, below %.1f MWh/m/a",
            n_low,
            float(seg.loc[seg["low_lhd"], schema.LENGTH_M].sum()),
            route.lhd_threshold_mwh_per_m_a,
        )
    lhd = route.route_lhd_mwh_per_m_a
    if np.isfinite(lhd) and lhd < route.lhd_threshold_mwh_per_m_a:
        msg = (
            f"route linear heat density {lhd:.2f} MWh/m/a is below the threshold "
            f"{route.lhd_threshold_mwh_per_m_a:g} MWh/m/a"
        )
        warnings.warn(msg, LowLinearHeatDensityWarning, stacklevel=3)
