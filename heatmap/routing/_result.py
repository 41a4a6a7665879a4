"""The route stage's result: the oriented spine tree and its segment and phase tables."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
from shapely import LineString

from heatmap import schema
from heatmap.routing.terminals import N_CONNECTIONS

__all__ = [
    "Route",
    "phase_summary",
    "route_to_gdf",
]


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
        ``cost_class``, ``dig_class``, ``dig_premium``, ``n_crossings``,
        ``crossing_cost_gbp``, ``highway``, ``street_id``,
        ``trench_cost_gbp``,
        ``served_heat_mwh_per_a``, ``served_peak_kw``, ``n_downstream``, ``lhd_mwh_per_m_a``,
        ``low_lhd``, ``phase``, ``geometry``; CRS of the network.

    Examples
    --------
    The route of :func:`build_route`'s example; the first segments carry both loads, with the
    diversified peak 0.81 x (200 + 150) kW:

    >>> import geopandas as gpd
    >>> from shapely import LineString, Point
    >>> from heatmap.routing.graph import attach_terminals, build_street_graph
    >>> from heatmap.routing.route import build_route, loads_from_terminals
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
        schema.DIG_CLASS,
        schema.DIG_PREMIUM,
        "n_crossings",
        "crossing_cost_gbp",
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
    >>> from heatmap.routing.route import build_route, loads_from_terminals
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
