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

import itertools
import logging
import time
import warnings
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
from shapely import LineString

from heatmap import schema
from heatmap.errors import (
    DisconnectedNetworkError,
    InputError,
    LowLinearHeatDensityWarning,
    SchemaError,
    SolverError,
)
from heatmap.routing.graph import NetworkParams
from heatmap.routing.siting import EnergyCentreChoice, choose_energy_centre
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

_NETWORK_DEFAULTS = NetworkParams()

N_CONNECTIONS = schema.N_CONNECTIONS
"""Loads column: connections (dwellings, buildings) behind one terminal, for diversity."""

_TREE = "__tree__"
"""Name of the node standing for the earlier phases' tree when a later phase is solved."""


@dataclass(frozen=True)
class RouteParams:
    """Parameters of the route stage (scenario table ``[route]``)."""

    method: Literal["default", "fast", "exact"] = field(
        default="default",
        metadata={
            "doc": "Steiner solver: 'default' near-optimal heuristic, 'fast' 2-approximation, "
            "'exact' proven optimum within the time limit",
            "source": "issue 5",
        },
    )
    time_limit_s: float | None = field(
        default=60.0,
        metadata={
            "doc": "safety cap on solver time for the whole route, s, split evenly over the "
            "phases; the default solver's search is bounded by work, so it normally finishes "
            "well within this and gives the same tree on any machine (a warning says when the "
            "cap cut a search short). Unset: each solver's own cap",
            "source": "project default: City of London, 2 phases, solves in about 8 s",
        },
    )
    seed: int = field(default=0, metadata={"doc": "solver random seed", "source": ""})
    max_evaluations: int | None = field(
        default=5000,
        metadata={
            "doc": "work bound of the default Steiner solver per phase (moves evaluated); "
            "unset: search every start to convergence (slower on large areas)",
            "source": "project default: the City of London route stage in under 10 s",
        },
    )
    lhd_threshold_mwh_per_m_a: float = field(
        default=3.0,
        metadata={
            "doc": "street sections below this linear heat density are flagged low, MWh/m/a",
            "source": "Killingworth study: sections below 3 MWh/m/yr flagged low LHD",
        },
    )
    prune_low_lhd: bool = field(
        default=False,
        metadata={
            "doc": "drop leaf branches below the LHD threshold, repeatedly, until none is left",
            "source": "issue 5",
        },
    )
    prize_collecting: bool = field(
        default=False,
        metadata={
            "doc": "let the router leave out loads whose value does not pay for their trench",
            "source": "issue 5",
        },
    )
    prize_per_mwh_per_a: float | None = field(
        default=None,
        metadata={
            "doc": "value of connecting 1 MWh/a of demand, in weight units (GBP when the weight "
            "is cost, m when it is length); none = the soft-dig trench cost of 1/threshold "
            "metres, i.e. a load pays for its trench exactly at the LHD threshold",
            "source": "derived from lhd_threshold_mwh_per_m_a and the network trench cost",
        },
    )
    connect_all_anchors: bool = field(
        default=True,
        metadata={
            "doc": "anchor loads (loads column is_anchor) are never pruned or left out",
            "source": "study: anchor loads define the spine",
        },
    )
    max_network_peak_kw: float | None = field(
        default=None,
        metadata={
            "doc": "largest diversified peak one energy centre's spine serves (kW); loads are "
            "connected nearest first until it is reached, the rest reported. Unset: what the "
            "largest catalogue pipe carries at the design temperatures",
            "source": "heatmap.design.sizing.max_capacity_kw (DN600 steel at the sizing limits)",
        },
    )
    phase_thresholds_mwh_per_a: tuple[float, ...] = field(
        default=(),
        metadata={
            "doc": "annual demand thresholds of the build phases, MWh/a, decreasing: phase 1 = "
            "loads at or above the first, phase 2 = loads from the second up to the first, ...; "
            "buildings below the last are not connected, viable clusters join the last phase. "
            "Empty: one phase at [demand] anchor_threshold_mwh_per_a",
            "source": "issue 5 (phasing); study Table 23 builds the spine in 3 nested phases",
        },
    )
    connect_viable_clusters: bool = field(
        default=True,
        metadata={
            "doc": "connect each domestic cluster the screening finds viable, as one load at "
            "its connection point (its connected dwellings and their share of its heat)",
            "source": "study 5.3 / 6.1: the viable housing clusters join the network",
        },
    )
    on_unreachable: Literal["raise", "drop"] = field(
        default="raise",
        metadata={
            "doc": "loads not connected to the energy centre: 'raise' an error naming them, or "
            "'drop' them and list them in Route.unreachable",
            "source": "issue 5: never a silent forest",
        },
    )

    def __post_init__(self) -> None:
        if self.method not in ("default", "fast", "exact"):
            msg = f"method: must be 'default', 'fast' or 'exact', got {self.method!r}"
            raise ValueError(msg)
        if self.time_limit_s is not None and not self.time_limit_s > 0:
            msg = f"time_limit_s: must be > 0 s or unset, got {self.time_limit_s}"
            raise ValueError(msg)
        if not self.lhd_threshold_mwh_per_m_a >= 0:
            msg = f"lhd_threshold_mwh_per_m_a: must be >= 0, got {self.lhd_threshold_mwh_per_m_a}"
            raise ValueError(msg)
        if self.prize_per_mwh_per_a is not None and not self.prize_per_mwh_per_a >= 0:
            msg = f"prize_per_mwh_per_a: must be >= 0 or unset, got {self.prize_per_mwh_per_a}"
            raise ValueError(msg)
        if self.max_evaluations is not None and not self.max_evaluations > 0:
            msg = f"max_evaluations: must be > 0 or unset, got {self.max_evaluations}"
            raise ValueError(msg)
        if self.on_unreachable not in ("raise", "drop"):
            msg = f"on_unreachable: must be 'raise' or 'drop', got {self.on_unreachable!r}"
            raise ValueError(msg)
        thr = self.phase_thresholds_mwh_per_a
        if any(not t > 0 for t in thr) or any(a <= b for a, b in itertools.pairwise(thr)):
            msg = (
                "phase_thresholds_mwh_per_a: give positive thresholds in decreasing order, "
                f"e.g. [500, 100], got {list(thr)}"
            )
            raise ValueError(msg)
        if self.max_network_peak_kw is not None and not self.max_network_peak_kw > 0:
            msg = f"max_network_peak_kw: must be > 0 kW or unset, got {self.max_network_peak_kw}"
            raise ValueError(msg)


@dataclass(frozen=True, eq=False)
class Route:
    """A spine route: a tree oriented from the energy centre, with per-edge served loads.

    Attributes
    ----------
    graph
        Tree as an ``nx.DiGraph`` oriented root -> leaves; each edge carries the network edge's
        attributes plus ``served_heat_mwh_per_a``, ``served_peak_kw`` (diversified),
        ``n_downstream``, ``lhd_mwh_per_m_a``, ``low_lhd``, ``phase``, ``trench_cost_gbp``.
    root
        Node of the energy centre.
    loads
        The connected loads, indexed by node (columns as given to :func:`build_route`).
    segments
        The edge table (one row per tree edge, ``u`` -> ``v`` downstream) the totals come from.
    solver
        Solver method used.
    cost
        Total weight of the tree (GBP of trench when the weight is cost).
    lower_bound
        Sum of the solvers' proven lower bounds over the phases (each given the earlier phases'
        tree), or None when a solver gave none.
    seconds
        Solver wall time, summed over phases.
    unreachable
        Terminal ids (node attribute ``terminal_id``, else the node) of the loads that could
        not be reached from the root (dropped).
    pruned
        Terminal ids of the loads left out by low-LHD pruning or by the prize-collecting
        solver.
    lhd_threshold_mwh_per_m_a
        The threshold the ``low_lhd`` flags use.
    crs
        CRS of the network graph.
    """

    graph: nx.DiGraph
    root: Hashable
    loads: pd.DataFrame
    segments: pd.DataFrame
    solver: str
    cost: float
    lower_bound: float | None
    seconds: float
    unreachable: tuple[Hashable, ...]
    pruned: tuple[Hashable, ...]
    lhd_threshold_mwh_per_m_a: float
    crs: Any

    @property
    def terminals(self) -> tuple[Hashable, ...]:
        """The root and the connected load nodes."""
        return (self.root, *self.loads.index)

    @property
    def gap(self) -> float | None:
        """Relative gap (cost - lower bound) / cost, or None without a bound."""
        if self.lower_bound is None:
            return None
        return 0.0 if self.cost <= 0 else max(0.0, (self.cost - self.lower_bound) / self.cost)

    def _length(self, kind: schema.EdgeKind) -> float:
        seg = self.segments
        return float(seg.loc[seg[schema.KIND] == kind, schema.LENGTH_M].sum())

    @property
    def spine_length_m(self) -> float:
        """Trench length of the street edges of the tree, m."""
        return self._length(schema.EdgeKind.STREET)

    @property
    def service_length_m(self) -> float:
        """Length of the service edges (street to building), m."""
        return self._length(schema.EdgeKind.SERVICE)

    @property
    def trench_cost_gbp(self) -> float:
        """Trench (civils) cost of all tree edges, GBP."""
        return float(self.segments[schema.TRENCH_COST_GBP].sum())

    @property
    def connected_heat_mwh_per_a(self) -> float:
        """Annual heat demand of the connected loads, MWh/a."""
        return float(self.loads[schema.HEAT_DEMAND_MWH_PER_A].sum())

    @property
    def n_connections(self) -> int:
        """Connections behind the connected loads."""
        return int(self.loads[N_CONNECTIONS].sum())

    @property
    def route_lhd_mwh_per_m_a(self) -> float:
        """Connected heat over spine trench length (service edges excluded), MWh/m/a."""
        spine = self.spine_length_m
        return self.connected_heat_mwh_per_a / spine if spine > 0 else float("nan")

    @property
    def phases(self) -> pd.DataFrame:
        """Per-phase table, see :func:`phase_summary`."""
        return phase_summary(self)


def _solver_module() -> Any:
    from heatmap.routing import steiner

    return steiner


def _check_graph(G: nx.Graph, root: Hashable, loads: pd.DataFrame) -> pd.DataFrame:
    """Validate inputs and return the loads with defaults filled."""
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
    out = loads.copy()
    if N_CONNECTIONS not in out.columns:
        out[N_CONNECTIONS] = 1
    if schema.PHASE not in out.columns:
        out[schema.PHASE] = 1
    if schema.IS_ANCHOR not in out.columns:
        out[schema.IS_ANCHOR] = False
    num = out[[schema.HEAT_DEMAND_MWH_PER_A, schema.PEAK_LOAD_KW, N_CONNECTIONS]]
    bad = ~np.isfinite(num.to_numpy(float)).all(axis=1) | (num.to_numpy(float) < 0).any(axis=1)
    if bad.any():
        msg = f"loads: negative or missing heat/peak/connections at {list(out.index[bad][:10])}"
        raise SchemaError(msg)
    if not pd.api.types.is_integer_dtype(out[schema.PHASE]) or (out[schema.PHASE] < 1).any():
        msg = "loads: column 'phase' must hold whole numbers >= 1"
        raise SchemaError(msg)
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


def _prizes(
    loads: pd.DataFrame, H: nx.Graph, params: RouteParams, net: NetworkParams
) -> dict[Hashable, float]:
    if params.prize_per_mwh_per_a is not None:
        per = params.prize_per_mwh_per_a
    else:
        per_m = net.trench_cost_soft_gbp_per_m if net.weight == "cost" else 1.0
        per = per_m / max(params.lhd_threshold_mwh_per_m_a, 1e-9)
    prize = loads[schema.HEAT_DEMAND_MWH_PER_A].to_numpy(float) * per
    if params.connect_all_anchors:
        big = 1.0 + float(sum(w for _, _, w in H.edges(data="weight")))
        prize = np.where(loads[schema.IS_ANCHOR].to_numpy(bool), big, prize)
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
    steiner = _solver_module()
    if tree_nodes:
        H, back = _contract(G, tree_nodes)
        hub: Hashable = _TREE
    else:
        H, back, hub = G, {}, root
    new = loads[~loads.index.isin(list(tree_nodes))]
    if len(new) == 0:
        return [], 0.0, 0.0, params.method
    if params.prize_collecting:
        res = steiner.prize_collecting_steiner_tree(
            H,
            {hub: 0.0, **_prizes(new, H, params, net)},
            weight="weight",
            root=hub,
            method="exact" if params.method == "exact" else "default",
            time_limit_s=time_limit_s,
        )
    else:
        res = steiner.steiner_tree(
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
    params: RouteParams = RouteParams(),
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
    >>> route.cost  # GBP of trench: 180 m of street + 25 m of services at GBP 249/m
    51045.0
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


def route_to_gdf(route: Route) -> gpd.GeoDataFrame:
    """Return the route's segments, one row per tree edge, geometry oriented root -> leaf.

    Parameters
    ----------
    route
        From :func:`build_route`.

    Returns
    -------
    gdf_segments
        Columns ``segment_id``, ``u``, ``v`` (``v`` downstream), ``length_m``, ``kind``,
        ``cost_class``, ``highway``, ``street_id``, ``trench_cost_gbp``,
        ``served_heat_mwh_per_a``, ``served_peak_kw``, ``n_downstream``, ``lhd_mwh_per_m_a``,
        ``low_lhd``, ``phase``, ``geometry``; CRS of the network.

    Examples
    --------
    The route of :func:`build_route`'s example; the first segments carry both loads, with the
    diversified peak 0.81 x (200 + 150) kW:

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
    >>> seg = route_to_gdf(route)
    >>> print(seg[["u", "v", "kind", "length_m", "served_peak_kw"]].to_string())
          u    v     kind  length_m  served_peak_kw
    0  T:ec    0  service       5.0           283.5
    1     0    3   street      50.0           283.5
    2     3    1   street      50.0           150.0
    3     3  T:a  service      10.0           200.0
    4     1    4   street      80.0           150.0
    5     4  T:b  service      10.0           150.0
    """
    seg = route.segments
    geoms = []
    for u, v in zip(seg["u"], seg["v"], strict=True):
        d = route.graph.edges[u, v]
        g = d.get("geometry")
        if g is None:
            a, b = route.graph.nodes[u], route.graph.nodes[v]
            g = LineString([(a["x"], a["y"]), (b["x"], b["y"])])
        elif d.get("from_node") != u:
            g = g.reverse()
        geoms.append(g)
    cols = [
        "u",
        "v",
        schema.LENGTH_M,
        schema.KIND,
        schema.COST_CLASS,
        schema.HIGHWAY,
        schema.STREET_ID,
        schema.TRENCH_COST_GBP,
        schema.SERVED_HEAT_MWH_PER_A,
        schema.SERVED_PEAK_KW,
        schema.N_DOWNSTREAM,
        schema.LHD_MWH_PER_M_A,
        "low_lhd",
        schema.PHASE,
    ]
    frame = seg[cols].copy()
    for c in ("u", "v"):
        frame[c] = frame[c].astype(str)
    frame[schema.KIND] = frame[schema.KIND].astype(str)
    frame[schema.COST_CLASS] = frame[schema.COST_CLASS].astype(str)
    frame.insert(0, schema.SEGMENT_ID, np.arange(len(frame), dtype=np.int64))
    return gpd.GeoDataFrame(frame, geometry=geoms, crs=route.crs)


def phase_summary(route: Route) -> pd.DataFrame:
    """Per-phase lengths, heat and LHD, as in the study's Table 23.

    Parameters
    ----------
    route
        From :func:`build_route`.

    Returns
    -------
    table
        Index ``phase``; per-phase increments ``spine_length_m``, ``service_length_m``,
        ``trench_cost_gbp``, ``heat_demand_mwh_per_a`` (loads of that phase), ``n_connections``,
        ``lhd_mwh_per_m_a`` (phase heat / phase spine; NaN when the phase adds no spine), and the
        network to the end of each phase: ``cumulative_spine_length_m``,
        ``cumulative_heat_demand_mwh_per_a``, ``cumulative_lhd_mwh_per_m_a``.

    Examples
    --------
    The route of :func:`build_route`'s example: 700 MWh/a over 180 m of spine.

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
    >>> t = phase_summary(route)
    >>> t.loc[1, ["spine_length_m", "service_length_m", "heat_demand_mwh_per_a"]].tolist()
    [180.0, 25.0, 700.0]
    >>> round(float(t.loc[1, "lhd_mwh_per_m_a"]), 2)
    3.89
    """
    seg = route.segments
    street = seg[schema.KIND] == schema.EdgeKind.STREET
    phases = sorted(set(seg[schema.PHASE]).union(route.loads[schema.PHASE]))
    out = pd.DataFrame(index=pd.Index(phases, name=schema.PHASE, dtype=np.int64))
    out["spine_length_m"] = seg[street].groupby(schema.PHASE)[schema.LENGTH_M].sum()
    out["service_length_m"] = seg[~street].groupby(schema.PHASE)[schema.LENGTH_M].sum()
    out[schema.TRENCH_COST_GBP] = seg.groupby(schema.PHASE)[schema.TRENCH_COST_GBP].sum()
    grouped = route.loads.groupby(schema.PHASE)
    out[schema.HEAT_DEMAND_MWH_PER_A] = grouped[schema.HEAT_DEMAND_MWH_PER_A].sum()
    out[N_CONNECTIONS] = grouped[N_CONNECTIONS].sum()
    out = out.fillna(0.0)
    out[N_CONNECTIONS] = out[N_CONNECTIONS].astype(np.int64)
    spine = out["spine_length_m"].to_numpy()
    heat = out[schema.HEAT_DEMAND_MWH_PER_A].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        out[schema.LHD_MWH_PER_M_A] = np.where(spine > 0, heat / spine, np.nan)
        cs, ch = np.cumsum(spine), np.cumsum(heat)
        out["cumulative_spine_length_m"] = cs
        out["cumulative_heat_demand_mwh_per_a"] = ch
        out["cumulative_lhd_mwh_per_m_a"] = np.where(cs > 0, ch / cs, np.nan)
    return out


def loads_from_terminals(
    nodes: Mapping[str, Hashable], buildings: pd.DataFrame, *, phase_column: str | None = None
) -> pd.DataFrame:
    """Build the loads table of :func:`build_route` from attached terminals and a demand table.

    Parameters
    ----------
    nodes
        Terminal id -> node, from :func:`heatmap.routing.graph.attach_terminals`.
    buildings
        Indexed by the same ids, with ``heat_demand_mwh_per_a``, ``peak_load_kw`` and optionally
        ``n_connections``, ``is_anchor`` and the phase column.
    phase_column
        Column holding the phase (default: ``phase`` when present, else all phase 1).

    Returns
    -------
    loads
        Indexed by node.

    Examples
    --------
    >>> b = pd.DataFrame({"heat_demand_mwh_per_a": [400.0, 300.0], "peak_load_kw": [200.0, 150.0]},
    ...                  index=["a", "b"])
    >>> loads = loads_from_terminals({"a": "T:a", "b": "T:b", "ec": "T:ec"}, b)
    >>> print(loads.to_string())  # doctest: +NORMALIZE_WHITESPACE
          heat_demand_mwh_per_a  peak_load_kw  n_connections  is_anchor terminal_id  phase
    node
    T:a                   400.0         200.0              1      False           a      1
    T:b                   300.0         150.0              1      False           b      1
    """
    ids = [i for i in nodes if i in buildings.index]
    sub = buildings.loc[ids]
    out = pd.DataFrame(
        {
            schema.HEAT_DEMAND_MWH_PER_A: sub[schema.HEAT_DEMAND_MWH_PER_A].to_numpy(float),
            schema.PEAK_LOAD_KW: sub[schema.PEAK_LOAD_KW].to_numpy(float),
            N_CONNECTIONS: sub[N_CONNECTIONS].to_numpy(np.int64)
            if N_CONNECTIONS in sub.columns
            else 1,
            schema.IS_ANCHOR: sub[schema.IS_ANCHOR].to_numpy(bool)
            if schema.IS_ANCHOR in sub.columns
            else False,
            schema.TERMINAL_ID: ids,
        },
        index=pd.Index([nodes[i] for i in ids], name="node"),
    )
    col = phase_column or (schema.PHASE if schema.PHASE in sub.columns else None)
    out[schema.PHASE] = sub[col].to_numpy(np.int64) if col else 1
    return out
