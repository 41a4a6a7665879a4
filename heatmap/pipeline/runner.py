"""Run the whole pipeline, stage by stage: ``run(scenario) -> Results``.

This is the one module that imports every stage. Each step is a plain call into its stage
module; the glue here only chooses inputs (which loads to connect, where the energy centre is)
and hands each stage's result to the next. Progress is shown with tqdm and logged.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import pyproj
from shapely.geometry import Point
from tqdm.auto import tqdm

from heatmap import plant as dispatch
from heatmap import schema
from heatmap._json import json_number
from heatmap._version import __version__
from heatmap.demand import estimate as demand
from heatmap.design import costing, sizing
from heatmap.economics import appraisal as economics
from heatmap.errors import InputError
from heatmap.ingest import osm as ingest
from heatmap.ingest import weather
from heatmap.pipeline import phases as phasing
from heatmap.pipeline.phases import select_loads, select_phased_loads
from heatmap.pipeline.plant import (
    DEFAULT_START_YEAR,
    SWEEP_HP_SHARES_OF_PEAK,
    SWEEP_STORE_VOLUMES_M3,
    capex,
    connections_table,
    economics_inputs,
    network_profile_kw,
    phase_dispatch,
    phase_years,
    plant_dispatch,
    plant_sweep,
)
from heatmap.pipeline.scenario import AreaParams, Scenario
from heatmap.plant import DispatchResult, SweepResult
from heatmap.routing import graph as network
from heatmap.routing import route
from heatmap.zones import clusters as cluster
from heatmap.zones import density

__all__ = [
    "DEFAULT_START_YEAR",
    "SWEEP_HP_SHARES_OF_PEAK",
    "SWEEP_STORE_VOLUMES_M3",
    "Results",
    "RoutePlan",
    "capex",
    "cluster_area",
    "connected_buildings",
    "connections_table",
    "economics_inputs",
    "estimate_area_demand",
    "load_area",
    "load_weather",
    "loads_within_capacity",
    "map_density",
    "network_profile_kw",
    "phase_dispatch",
    "phase_years",
    "plan_route",
    "plant_dispatch",
    "plant_sweep",
    "prepare_area",
    "run",
    "select_loads",
    "select_phased_loads",
    "summary_of",
]

logger = logging.getLogger(__name__)

T = TypeVar("T")

N_CONNECTIONS = schema.N_CONNECTIONS
N_DWELLINGS = schema.N_DWELLINGS


@dataclass(frozen=True)
class Results:
    """Everything one run produced, stage by stage.

    Attributes
    ----------
    scenario
        The scenario that was run.
    area
        Ingested buildings and streets.
    buildings
        Buildings with demand (:func:`heatmap.demand.estimate.estimate_demand`) and ``cluster_id``.
    weather
        Hourly temperatures used for profiles and dispatch.
    density
        Heat-density raster.
    opportunity_areas
        Opportunity areas by the density and LHD rules, ranked.
    anchor_loads
        Buildings above the anchor threshold.
    clusters
        Building clusters with their screening.
    existing_networks
        Existing heat networks, or an empty frame.
    graph
        Street graph with the terminals attached.
    energy_centre
        The chosen site and the alternatives considered.
    route
        The spine route.
    sizing
        Pipe sizes, hydraulics and losses.
    cost
        CAPEX bill of quantities.
    dispatch
        Hourly plant dispatch.
    plant_sweep
        Heat pump x store sizing sweep around the scenario's plant (:func:`plant_sweep`).
    economics
        Cashflows, NPV/IRR/LCOH, carbon and grant tests.
    summary
        The headline numbers written to ``summary.json``.
    timings_s
        Wall time of each stage.
    loads_beyond_capacity
        Building ids of anchor loads left for another spine or energy centre because one spine
        could not carry them (:func:`loads_within_capacity`).
    network_capacity_kw
        The diversified-peak limit that was applied.
    phases
        One row per build phase (``phases.csv``, :func:`heatmap.pipeline.phases.phase_table`):
        start year, spine, heat, LHD, losses, plant added, energy and CAPEX; None for results
        built without it.
    phase_dispatch
        The plant dispatched on the network as built up to each phase (the last is
        ``dispatch``).
    cluster_loads
        The viable clusters offered to the route as loads (:func:`select_phased_loads`).
    """

    scenario: Scenario
    area: ingest.StudyArea
    buildings: gpd.GeoDataFrame
    weather: weather.Weather
    density: density.DensityRaster
    opportunity_areas: gpd.GeoDataFrame
    anchor_loads: gpd.GeoDataFrame
    clusters: gpd.GeoDataFrame
    existing_networks: gpd.GeoDataFrame
    graph: nx.Graph
    energy_centre: route.EnergyCentreChoice
    route: route.Route
    sizing: sizing.SizingResult
    cost: costing.CostBreakdown
    dispatch: dispatch.DispatchResult
    plant_sweep: SweepResult
    economics: economics.EconomicsResult
    summary: dict[str, Any]
    timings_s: dict[str, float]
    loads_beyond_capacity: tuple[str, ...] = ()
    network_capacity_kw: float = float("nan")
    phases: pd.DataFrame | None = None
    phase_dispatch: tuple[DispatchResult, ...] = ()
    cluster_loads: gpd.GeoDataFrame | None = None

    @property
    def crs(self) -> pyproj.CRS:
        """The projected CRS every layer is in."""
        return self.area.crs

    @property
    def pipes(self) -> gpd.GeoDataFrame:
        """Route segments with sizes, losses and costs (the ``pipes`` layer)."""
        return self.sizing.pipes

    def terminals(self) -> gpd.GeoDataFrame:
        """The energy centre and the connected loads as points (the ``terminals`` layer)."""
        loads = self.route.loads
        rows = [
            {
                "terminal_id": "energy_centre",
                "role": "plant",
                schema.HEAT_DEMAND_MWH_PER_A: 0.0,
                schema.PEAK_LOAD_KW: 0.0,
                schema.PHASE: 1,
                "geometry": self.energy_centre.point,
            }
        ]
        for node, row in loads.iterrows():
            data = self.graph.nodes[node]
            rows.append(
                {
                    "terminal_id": str(row.get("terminal_id", node)),
                    "role": "load",
                    schema.HEAT_DEMAND_MWH_PER_A: float(row[schema.HEAT_DEMAND_MWH_PER_A]),
                    schema.PEAK_LOAD_KW: float(row[schema.PEAK_LOAD_KW]),
                    schema.PHASE: int(row[schema.PHASE]),
                    "geometry": Point(data["x"], data["y"]),
                }
            )
        return gpd.GeoDataFrame(rows, geometry="geometry", crs=self.crs)


# --- stage helpers ---------------------------------------------------------------------------
class _Stages:
    """Times each stage, logs it and advances one progress bar."""

    def __init__(self, names: list[str], *, progress: bool) -> None:
        self.timings: dict[str, float] = {}
        self._bar = tqdm(total=len(names), desc="heatmap", unit="stage", disable=not progress)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        self._bar.set_postfix_str(name)
        logger.info("stage %s ...", name)
        start = time.perf_counter()
        yield
        self.timings[name] = time.perf_counter() - start
        logger.info("stage %s done in %.2f s", name, self.timings[name])
        self._bar.update(1)

    def close(self) -> None:
        self._bar.close()


def _timed(stages: _Stages, name: str, func: Callable[[], T]) -> T:
    with stages.stage(name):
        return func()


def load_area(area: AreaParams) -> ingest.StudyArea:
    """Read the study area named by the scenario's ``[area]`` table.

    Parameters
    ----------
    area
        Inputs: an OSM file, vector layers, a place or bbox (online), else the bundled example.

    Returns
    -------
    area
        Buildings and streets in a projected CRS.
    """
    if area.osm_path:
        return ingest.read_osm(area.osm_path, crs=area.crs, bbox=area.bbox)
    if area.buildings_path or area.streets_path:
        if not (area.buildings_path and area.streets_path):
            msg = "[area] buildings_path and streets_path go together; give both"
            raise InputError(msg)
        return ingest.read_vector(area.buildings_path, area.streets_path, crs=area.crs)
    if area.place:
        return ingest.from_place(area.place, crs=area.crs)
    if area.bbox:
        return ingest.from_bbox(area.bbox, crs=area.crs)
    return ingest.read_osm(ingest.default_example_path(), crs=area.crs)


def load_weather(area: AreaParams, params: demand.DemandParams) -> weather.Weather:
    """Return the EPW weather of the scenario, else a synthetic typical year for its region."""
    if area.weather_path:
        return weather.read_epw(area.weather_path)
    return weather.synthetic_weather(params.region)


def prepare_area(
    osm_path: str | Path | None = None, *, scenario: Scenario | None = None
) -> tuple[gpd.GeoDataFrame, nx.Graph, pyproj.CRS]:
    """Ingest an area, estimate demand and build its street graph (for ``heatmap nearby``).

    Parameters
    ----------
    osm_path
        OpenStreetMap extract; the scenario's inputs (else the bundled example) when omitted.
    scenario
        Parameters (defaults when omitted).

    Returns
    -------
    buildings, G, crs
        Buildings with demand, the street graph and their projected CRS.
    """
    scenario = scenario or Scenario()
    area_params = scenario.area
    if osm_path is not None:
        area_params = dataclasses.replace(area_params, osm_path=str(osm_path))
    area = load_area(area_params)
    buildings = demand.estimate_demand(area.buildings, params=scenario.demand)
    G = network.build_street_graph(area.streets, params=scenario.network)
    return buildings, G, area.crs


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


def estimate_area_demand(area: ingest.StudyArea, scenario: Scenario) -> gpd.GeoDataFrame:
    """Demand stage: estimate every building's demand, joining the scenario's demand layer.

    Parameters
    ----------
    area
        Ingested study area.
    scenario
        Parameters; ``[area] demand_layer_path`` names the known-demand layer, if any.

    Returns
    -------
    buildings
        :func:`heatmap.demand.estimate.estimate_demand` output.
    """
    layer = (
        demand.read_demand_layer(scenario.area.demand_layer_path)
        if scenario.area.demand_layer_path
        else None
    )
    return demand.estimate_demand(area.buildings, params=scenario.demand, demand_layer=layer)


def map_density(
    buildings: gpd.GeoDataFrame, streets: gpd.GeoDataFrame | None, params: density.DensityParams
) -> tuple[density.DensityRaster, gpd.GeoDataFrame]:
    """Density stage: the heat-density raster and the ranked opportunity areas.

    Parameters
    ----------
    buildings
        Buildings with demand.
    streets
        Streets, used to estimate each opportunity area's linear heat density.
    params
        Cell size, smoothing and opportunity-area rules.

    Returns
    -------
    raster, opportunity_areas
        The (optionally smoothed) raster and the areas found on the unsmoothed one.
    """
    raster = density.heat_density_raster(
        buildings, cell_size_m=params.cell_size_m, smoothing_radius_m=params.smoothing_radius_m
    )
    unsmoothed = (
        raster
        if params.smoothing_radius_m == 0
        else density.heat_density_raster(buildings, cell_size_m=params.cell_size_m)
    )
    areas = density.opportunity_areas(buildings, unsmoothed, params=params, streets=streets)
    return raster, areas


def cluster_area(
    buildings: gpd.GeoDataFrame, streets: gpd.GeoDataFrame | None, params: cluster.ClusterParams
) -> tuple[gpd.GeoDataFrame, cluster.ClusterResult]:
    """Cluster stage: clusters, and a copy of the buildings with ``cluster_id``/``n_dwellings``.

    Parameters
    ----------
    buildings
        Buildings with demand.
    streets
        Streets (barrier roads and crossings, cluster connection points).
    params
        Clustering and screening parameters.

    Returns
    -------
    buildings, clustered
        Buildings with the two new columns, and the clusters.
    """
    clustered = cluster.cluster_buildings(buildings, streets=streets, params=params)
    out = buildings.copy()
    out[schema.CLUSTER_ID] = clustered.labels.reindex(out.index).fillna("")
    out[N_DWELLINGS] = clustered.dwellings.reindex(out.index).fillna(0).astype(np.int64)
    return out, clustered


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
    streets: gpd.GeoDataFrame,
    scenario: Scenario,
    *,
    clusters: pd.DataFrame | None = None,
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

    Returns
    -------
    plan
        Graph, energy centre, route (phases nested, see :func:`heatmap.routing.route.build_route`)
        and
        the loads offered.
    """
    G = network.keep_largest_component(network.build_street_graph(streets, params=scenario.network))
    if clusters is None and scenario.route.connect_viable_clusters:
        clusters = _clusters_for(buildings, streets, scenario)
    selected = select_phased_loads(buildings, scenario, clusters=clusters)
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
    buildings: gpd.GeoDataFrame, streets: gpd.GeoDataFrame, scenario: Scenario
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


def run(scenario: Scenario | None = None, *, progress: bool = True) -> Results:
    """Run every stage of the pipeline on the scenario's study area.

    Parameters
    ----------
    scenario
        What to run; the bundled offline example when omitted.
    progress
        Show a progress bar on stderr.

    Returns
    -------
    results
        Every stage's result and the summary.

    Examples
    --------
    >>> from heatmap.pipeline import runner as pipeline
    >>> res = pipeline.run(progress=False)  # doctest: +SKIP
    >>> res.summary["route_lhd_mwh_per_m_a"] > 0  # doctest: +SKIP
    True
    """
    scenario = scenario or Scenario()
    names = ["ingest", "demand", "density", "cluster", "route", "sizing"]
    names += ["dispatch", "costing", "economics"]
    stages = _Stages(names, progress=progress)
    try:
        area = _timed(stages, "ingest", lambda: load_area(scenario.area))
        with stages.stage("demand"):
            wx = load_weather(scenario.area, scenario.demand)
            buildings = estimate_area_demand(area, scenario)
            anchors = demand.anchor_loads(
                buildings, threshold_mwh_per_a=scenario.demand.anchor_threshold_mwh_per_a
            )
            existing = (
                _nearby_networks(
                    ingest.read_existing_networks(
                        scenario.area.existing_networks_path, crs=area.crs
                    ),
                    area,
                )
                if scenario.area.existing_networks_path
                else _empty_points(area.crs)
            )
        raster, areas = _timed(
            stages, "density", lambda: map_density(buildings, area.streets, scenario.density)
        )
        buildings, clustered = _timed(
            stages, "cluster", lambda: cluster_area(buildings, area.streets, scenario.cluster)
        )
        plan = _timed(
            stages,
            "route",
            lambda: plan_route(buildings, area.streets, scenario, clusters=clustered.clusters),
        )
        sized = _timed(
            stages,
            "sizing",
            lambda: sizing.size_pipes(route.route_to_gdf(plan.route), params=scenario.sizing),
        )
        cl_loads = _cluster_rows(plan.selected)
        connected = connected_buildings(buildings, plan.route, cluster_loads=cl_loads)
        with stages.stage("dispatch"):
            plants = phase_dispatch(connected, sized, wx, scenario.dispatch)
            plant = plants[-1].result
            sweep = plant_sweep(connected, sized, wx, scenario.dispatch)
        cost = _timed(
            stages, "costing", lambda: capex(sized, plant, connected, scenario, phases=plants)
        )
        econ_inputs = economics_inputs(connected, plant, cost, scenario, phases=plants)
        econ = _timed(
            stages,
            "economics",
            lambda: economics.evaluate(econ_inputs, params=scenario.economics),
        )
        phases = phasing.phase_table(
            route.phase_summary(plan.route), connected, plants, cost, econ_inputs.phases
        )
    finally:
        stages.close()
    results = Results(
        scenario=scenario,
        area=area,
        buildings=buildings,
        weather=wx,
        density=raster,
        opportunity_areas=areas,
        anchor_loads=anchors,
        clusters=clustered.clusters,
        existing_networks=existing,
        graph=plan.graph,
        energy_centre=plan.energy_centre,
        route=plan.route,
        sizing=sized,
        cost=cost,
        dispatch=plant,
        plant_sweep=sweep,
        economics=econ,
        summary={},
        timings_s=dict(stages.timings),
        loads_beyond_capacity=plan.beyond_capacity,
        network_capacity_kw=plan.capacity_kw,
        phases=phases,
        phase_dispatch=tuple(p.result for p in plants),
        cluster_loads=cl_loads,
    )
    return dataclasses.replace(results, summary=summary_of(results))


def _cluster_rows(selected: gpd.GeoDataFrame | None) -> gpd.GeoDataFrame | None:
    """The cluster loads among the loads offered to the route."""
    if selected is None or phasing.LOAD_KIND not in selected.columns:
        return None
    return selected[selected[phasing.LOAD_KIND] == "cluster"]


EXISTING_NETWORK_SEARCH_M = 2000.0
"""Existing heat networks this far outside the study area are still shown (m)."""


def _nearby_networks(networks: gpd.GeoDataFrame, area: ingest.StudyArea) -> gpd.GeoDataFrame:
    """Keep the existing networks within EXISTING_NETWORK_SEARCH_M of the study area."""
    keep = networks.intersects(area.boundary.buffer(EXISTING_NETWORK_SEARCH_M))
    logger.info("%d of %d existing heat networks lie near the study area", keep.sum(), len(keep))
    return networks[keep]


def _empty_points(crs: pyproj.CRS) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"name": pd.Series(dtype=str)}, geometry=gpd.GeoSeries([], crs=crs), crs=crs
    )


def summary_of(results: Results) -> dict[str, Any]:
    """Return the headline numbers of a run (the keys of ``summary.json``).

    Parameters
    ----------
    results
        A finished run.

    Returns
    -------
    summary
        Numbers with units in their names, plus ``scenario``, ``inputs``, ``crs`` and
        ``version``; NaN becomes None.
    """
    b = results.buildings
    spine = results.route
    econ = results.economics.summary()
    d = results.dispatch
    segments = results.sizing.pipes
    street = segments[schema.KIND] == schema.EdgeKind.STREET
    chosen = results.plant_sweep.chosen
    summary: dict[str, Any] = {
        "n_buildings": len(b),
        "total_heat_demand_mwh_per_a": float(b[schema.HEAT_DEMAND_MWH_PER_A].fillna(0).sum()),
        "connected_heat_demand_mwh_per_a": spine.connected_heat_mwh_per_a,
        "n_connections": spine.n_connections,
        "n_connected_buildings": len(spine.loads),
        "spine_length_m": float(segments.loc[street, schema.LENGTH_M].sum()),
        "service_length_m": float(segments.loc[~street, schema.LENGTH_M].sum()),
        "route_lhd_mwh_per_m_a": json_number(spine.route_lhd_mwh_per_m_a),
        "peak_demand_kw": float(d.peak_load_kw),
        "network_losses_pct": json_number(results.sizing.loss_share_pct),
        "network_losses_mwh_per_a": json_number(results.sizing.annual_heat_loss_mwh_per_a),
        "pump_head_kpa": json_number(results.sizing.pump_head_kpa),
        "capex_gbp": float(results.cost.total_capex_gbp),
        "hp_capacity_kw": float(d.hp_capacity_kw),
        "store_volume_m3": float(d.store_volume_m3),
        "hp_modules": d.hp_modules,
        "summer_hp_share_pct": json_number(d.summer_hp_share_pct),
        "boiler_capacity_kw": float(d.boiler_capacity_kw),
        "low_carbon_share_pct": json_number(d.low_carbon_share_pct),
        "sweep_hp_capacity_kw": (None if chosen is None else json_number(chosen["hp_capacity_kw"])),
        "sweep_store_volume_m3": (
            None if chosen is None else json_number(chosen["store_volume_m3"])
        ),
        "spf": json_number(d.spf),
        "unmet_heat_mwh_per_a": json_number(d.unmet_mwh),
        "npv_gbp": json_number(econ.get("npv_gbp")),
        "irr_pct": json_number(econ.get("irr_pct")),
        "social_irr_pct": json_number(econ.get("social_irr_pct")),
        "lcoh_gbp_per_mwh": json_number(econ.get("lcoh_gbp_per_mwh")),
        "lcoh_with_carbon_gbp_per_mwh": json_number(econ.get("lcoh_with_carbon_gbp_per_mwh")),
        "co2_savings_t_per_a": json_number(econ.get("co2_savings_t_per_a")),
        "co2_savings_t_year1": json_number(econ.get("co2_savings_t_year1")),
        "co2_savings_t_per_a_average": json_number(econ.get("co2_savings_t_per_a_average")),
        "carbon_intensity_g_per_kwh": json_number(econ.get("carbon_intensity_g_per_kwh")),
        "ghnf_eligible": bool(econ.get("ghnf_eligible")),
        "economics_horizon_years": econ.get("horizon_years"),
        "n_opportunity_areas": len(results.opportunity_areas),
        "n_anchor_loads": len(results.anchor_loads),
        "n_clusters": len(results.clusters),
        "n_unreachable_loads": len(spine.unreachable),
        "n_loads_beyond_capacity": len(results.loads_beyond_capacity),
        "n_phases": int(spine.loads[schema.PHASE].nunique()),
        "n_connected_clusters": _n_clusters(results),
        "network_capacity_kw": json_number(results.network_capacity_kw),
        "route_solver": spine.solver,
        "energy_centre_xy_m": [
            round(results.energy_centre.point.x, 2),
            round(results.energy_centre.point.y, 2),
        ],
        "scenario": results.scenario.name,
        "inputs": results.area.source,
        "weather": results.weather.source,
        "crs": results.crs.to_string(),
        "version": __version__,
        "timings_s": {k: round(v, 3) for k, v in results.timings_s.items()},
    }
    return summary


def _n_clusters(results: Results) -> int:
    cl = results.cluster_loads
    if cl is None or cl.empty:
        return 0
    return int(results.route.loads[schema.TERMINAL_ID].astype(str).isin(cl.index.astype(str)).sum())
