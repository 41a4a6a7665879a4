"""Plan one network: attach its loads to the streets, site the energy centre, solve the route."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import pyproj
from shapely.geometry import Point

from heatmap import schema
from heatmap.demand import estimate as demand
from heatmap.design import sizing
from heatmap.errors import InputError
from heatmap.pipeline import phases as phasing
from heatmap.pipeline.phases import select_phased_loads
from heatmap.pipeline.scenario import Scenario
from heatmap.routing import graph as network
from heatmap.routing import route
from heatmap.routing.crossings import split_report
from heatmap.zones import clusters as cluster

__all__ = [
    "RoutePlan",
    "connected_buildings",
    "loads_within_capacity",
    "plan_route",
]

logger = logging.getLogger(__name__)

N_CONNECTIONS = schema.N_CONNECTIONS


@dataclass(frozen=True)
class RoutePlan:
    """The network graph, the chosen energy centre and the spine route over it."""

    graph: nx.Graph
    energy_centre: route.EnergyCentreChoice
    route: route.Route
    beyond_capacity: tuple[str, ...] = ()
    capacity_kw: float = float("nan")
    selected: gpd.GeoDataFrame | None = None
    """The loads offered to the route (:func:`select_phased_loads`), before the capacity cap."""


def plan_route(
    buildings: gpd.GeoDataFrame,
    streets: gpd.GeoDataFrame | None,
    scenario: Scenario,
    *,
    clusters: pd.DataFrame | None = None,
    graph: nx.Graph | None = None,
    min_load_mwh_per_a: float | None = None,
) -> RoutePlan:
    """Network and route stages: attach the loads, site the energy centre, solve the spine.

    Parameters
    ----------
    buildings
        Buildings with demand (``n_dwellings``, when present, counts connections;
        ``cluster_id`` from the cluster stage for cluster loads).
    streets
        Noded street lines.
    scenario
        ``[network]``, ``[route]`` (phasing, clusters, capacity), ``[demand]`` anchor threshold,
        ``[cluster]`` and ``[area]`` energy centre.
    clusters
        Screened clusters of these buildings; when omitted and ``[route]
        connect_viable_clusters`` is on, the buildings are clustered here with ``[cluster]``
        (the same clusters the cluster stage finds).
    graph
        A street graph already built from ``streets`` (or a part of it) to route over instead
        of building one; its largest connected component is used.
    min_load_mwh_per_a
        Offer buildings down to this annual demand as loads of their own (the last phase);
        default: down to the last phase threshold only.

    Returns
    -------
    plan
        Graph, energy centre, route (phases nested, see :func:`heatmap.routing.route.build_route`)
        and
        the loads offered.
    """
    if graph is None and streets is None:
        msg = "plan_route needs the streets or a street graph"
        raise InputError(msg)
    street_graph = (
        graph if graph is not None else network.build_street_graph(streets, params=scenario.network)
    )
    G = network.keep_largest_component(street_graph)
    _report_split(street_graph, set(G.nodes))
    if clusters is None and scenario.route.connect_viable_clusters:
        clusters = _clusters_for(buildings, streets, scenario)
    selected = select_phased_loads(
        buildings, scenario, clusters=clusters, min_load_mwh_per_a=min_load_mwh_per_a
    )
    points = gpd.GeoDataFrame(
        {"terminal_id": selected.index.astype(str)},
        geometry=selected.geometry.to_numpy(),
        crs=buildings.crs,
    )
    G, nodes = network.attach_terminals(
        G, points, id_column="terminal_id", role="load", params=scenario.network
    )
    loads = route.loads_from_terminals(nodes, selected.set_axis(selected.index.astype(str)))
    if loads.empty:
        msg = (
            f"none of the {len(selected)} selected loads lies within "
            f"{scenario.network.max_service_length_m:.0f} m of a street; raise "
            "[network] max_service_length_m or check the streets layer"
        )
        raise InputError(msg)
    centre = _energy_centre(G, loads, scenario, pyproj.CRS(buildings.crs))
    cap_kw = scenario.route.max_network_peak_kw or sizing.max_capacity_kw(params=scenario.sizing)
    within, beyond = loads_within_capacity(centre.graph, centre.node, loads, capacity_kw=cap_kw)
    spine = route.build_route(
        centre.graph,
        root=centre.node,
        loads=within,
        params=scenario.route,
        network_params=scenario.network,
    )
    return RoutePlan(
        graph=centre.graph,
        energy_centre=centre,
        route=spine,
        beyond_capacity=tuple(str(t) for t in beyond["terminal_id"]),
        capacity_kw=cap_kw,
        selected=selected,
    )


def _clusters_for(
    buildings: gpd.GeoDataFrame, streets: gpd.GeoDataFrame | None, scenario: Scenario
) -> pd.DataFrame | None:
    """Cluster and screen the buildings (for :func:`plan_route` called without clusters)."""
    if schema.USE not in buildings.columns:
        return None
    return cluster.cluster_buildings(buildings, streets=streets, params=scenario.cluster).clusters


def loads_within_capacity(
    G: nx.Graph, root: Any, loads: pd.DataFrame, *, capacity_kw: float
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split loads into those one spine can serve, phase by phase nearest first, and the rest.

    Parameters
    ----------
    G
        Network graph with ``length_m`` on every edge.
    root
        Energy-centre node.
    loads
        Loads indexed by node with ``peak_load_kw``, optional ``phase`` (default 1) and
        ``n_connections`` (default 1).
    capacity_kw
        Largest diversified peak, f(n) × Σ peaks with n the connections served, the spine may
        carry (as the route's root segment computes it).

    Returns
    -------
    within, beyond
        Loads connected (in phase order, nearest along the streets first within a phase, while
        the diversified peak of the whole nested network stays within ``capacity_kw``; always
        at least the first) and loads left for another energy centre or spine. Loads
        unreachable from ``root`` stay in ``within`` so that the route stage reports them.

    Examples
    --------
    Three loads along a street from the energy centre; the two nearest need
    0.81 x (400 + 300) = 567 kW, all three 0.747 x 1,000 = 747 kW:

    >>> G = nx.path_graph(["ec", "a", "b", "c"])
    >>> nx.set_edge_attributes(G, 100.0, "length_m")
    >>> loads = pd.DataFrame({"peak_load_kw": [400.0, 300.0, 300.0],
    ...                       "heat_demand_mwh_per_a": [800.0, 600.0, 600.0]},
    ...                      index=["a", "b", "c"])
    >>> within, beyond = loads_within_capacity(G, "ec", loads, capacity_kw=600.0)
    >>> within.index.tolist(), beyond.index.tolist()
    (['a', 'b'], ['c'])
    """
    dist = nx.single_source_dijkstra_path_length(G, root, weight="length_m")
    phase = (
        loads[schema.PHASE].to_dict()
        if schema.PHASE in loads.columns
        else dict.fromkeys(loads.index, 1)
    )
    order = sorted(loads.index, key=lambda n: (phase[n], dist.get(n, np.inf)))
    peaks = loads.loc[order, schema.PEAK_LOAD_KW].to_numpy(float)
    if N_CONNECTIONS in loads.columns:
        n = np.cumsum(np.maximum(loads.loc[order, N_CONNECTIONS].to_numpy(float), 1.0))
    else:
        n = np.arange(1, len(peaks) + 1)
    diversified = np.cumsum(peaks) * demand.diversity_factor(n)
    keep = max(1, int(np.searchsorted(diversified, capacity_kw, side="right")))
    within, beyond = loads.loc[order[:keep]], loads.loc[order[keep:]]
    if len(beyond):
        logger.warning(
            "%d of %d loads (%.0f MWh/a) are beyond what one spine carries (%.0f kW diversified "
            "peak); connecting the %d nearest. Raise [route] max_network_peak_kw with a larger "
            "pipe catalogue, or plan a second energy centre for the rest",
            len(beyond),
            len(loads),
            float(beyond[schema.HEAT_DEMAND_MWH_PER_A].sum()),
            capacity_kw,
            keep,
        )
    return within, beyond


def connected_buildings(
    buildings: gpd.GeoDataFrame,
    spine: route.Route,
    *,
    cluster_loads: pd.DataFrame | None = None,
) -> gpd.GeoDataFrame:
    """The loads the route connects, one row each, with their phase.

    Parameters
    ----------
    buildings
        Buildings with demand.
    spine
        The route.
    cluster_loads
        Cluster loads offered to the route (rows whose ``load_kind`` is ``cluster`` in
        :attr:`RoutePlan.selected`); needed when the route connects clusters.

    Returns
    -------
    connected
        Building rows (all building columns, ``load_kind`` building) and cluster rows
        (``name``, ``use``, heat, peak, ``n_dwellings`` = ``n_connections`` = connected
        dwellings, ``load_kind`` cluster), in the route's load order, with ``phase``.
    """
    ids = spine.loads["terminal_id"].astype(str).to_numpy()
    phase = spine.loads[schema.PHASE].to_numpy(np.int64)
    cl = cluster_loads if cluster_loads is not None else pd.DataFrame()
    is_cluster = np.isin(ids, cl.index.astype(str)) & ~np.isin(ids, buildings.index.astype(str))
    if not is_cluster.any():
        out = buildings.loc[ids].copy()
        out[schema.PHASE] = phase
        out[phasing.LOAD_KIND] = "building"
        return out
    parts = [
        buildings.loc[list(ids[~is_cluster])].assign(**{phasing.LOAD_KIND: "building"}),
        cl.loc[list(ids[is_cluster])].assign(**{phasing.LOAD_KIND: "cluster"}),
    ]
    out = gpd.GeoDataFrame(pd.concat(parts), geometry="geometry", crs=buildings.crs).loc[ids]
    out[schema.PHASE] = phase
    return out


def _energy_centre(
    G: nx.Graph,
    loads: pd.DataFrame,
    scenario: Scenario,
    crs: pyproj.CRS,
) -> route.EnergyCentreChoice:
    area = scenario.area
    if area.energy_centre is not None:
        lon, lat = area.energy_centre
        to_proj = pyproj.Transformer.from_crs("EPSG:4326", crs, always_xy=True)
        x, y = to_proj.transform(lon, lat)
        site = gpd.GeoDataFrame({"site_id": ["scenario"]}, geometry=[Point(x, y)], crs=crs)
        return route.choose_energy_centre(
            G, loads=loads, candidates=site, network_params=scenario.network
        )
    candidates = None
    if area.energy_centre_candidates_path:
        candidates = gpd.read_file(area.energy_centre_candidates_path).to_crs(crs)
        if "site_id" not in candidates.columns:
            candidates["site_id"] = [f"site/{i}" for i in range(len(candidates))]
    return route.choose_energy_centre(
        G, loads=loads, candidates=candidates, network_params=scenario.network
    )


def _report_split(G: nx.Graph, kept: set[object]) -> None:
    """Warn when a railway or river cuts part of the street network off the routed part.

    Parts cut off with no barrier between (the edge of the extract or of the area searched)
    are logged, not warned about.
    """
    parts = [p for p in split_report(G, kept) if p.street_length_m >= SPLIT_REPORT_MIN_M]
    cut = [p for p in parts if p.barriers]
    if cut:
        logger.warning(
            "the street network is split: %s; no street crosses there, so buildings beyond "
            "cannot join this network (map a bridge, or plan that side on its own)",
            "; ".join(
                f"{p.street_length_m / 1000:.1f} km of streets beyond {', '.join(p.barriers[:3])}"
                for p in cut[:5]
            ),
        )
    if len(parts) > len(cut):
        logger.info(
            "%d part(s) of the street network (%.1f km) join the routed part by no street",
            len(parts) - len(cut),
            sum(p.street_length_m for p in parts if not p.barriers) / 1000,
        )


SPLIT_REPORT_MIN_M = 500.0
"""Parts of the street network shorter than this (courtyard paths, fragments cut by the
extract's edge) are not reported when cut off, m."""
