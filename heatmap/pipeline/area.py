"""Read the study area and run the area-wide stages: demand, density, clusters."""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import pyproj

from heatmap import schema
from heatmap.demand import estimate as demand
from heatmap.errors import InputError
from heatmap.ingest import default_weather_path, weather
from heatmap.ingest import osm as ingest
from heatmap.pipeline.choices import apply_building_choices
from heatmap.pipeline.scenario import PATH_KEYS, AreaParams, Scenario
from heatmap.routing import graph as network
from heatmap.zones import clusters as cluster
from heatmap.zones import density

__all__ = [
    "EXISTING_NETWORK_SEARCH_M",
    "check_inputs",
    "cluster_area",
    "empty_points",
    "estimate_area_demand",
    "existing_networks_near",
    "load_area",
    "load_weather",
    "map_density",
    "prepare_area",
    "uses_bundled_example",
    "weather_from_file",
]

logger = logging.getLogger(__name__)

N_DWELLINGS = schema.N_DWELLINGS


def check_inputs(area: AreaParams) -> None:
    """Check the scenario's input files before any work starts.

    Raises
    ------
    InputError
        ``osm_path`` left empty (a scenario from ``heatmap init`` names no area yet), an input
        file that does not exist, or one larger than ``max_input_mb``; the message names the
        key and what to do.

    Examples
    --------
    >>> check_inputs(AreaParams(osm_path=""))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    heatmap.errors.InputError: [area] osm_path is empty: set it to your OpenStreetMap extract ...
    """
    if area.osm_path == "" and not (area.buildings_path or area.place or area.bbox):
        msg = (
            "[area] osm_path is empty: set it to your OpenStreetMap extract (.osm.pbf or .osm), "
            "or pass --osm FILE"
        )
        raise InputError(msg)
    for key in PATH_KEYS:
        value = getattr(area, key)
        if not value:
            continue
        path = Path(value).expanduser()
        if not path.exists():
            msg = (
                f"[area] {key} {value}: the file does not exist; check the path "
                "(relative paths are relative to the scenario file)"
            )
            raise InputError(msg)
        if path.is_dir():
            msg = f"[area] {key} {value}: is a folder; give a file"
            raise InputError(msg)
        size_mb = path.stat().st_size / 1e6
        if size_mb > area.max_input_mb:
            msg = (
                f"[area] {key} {value}: {size_mb:,.0f} MB, more than [area] max_input_mb = "
                f"{area.max_input_mb:g}; cut it to the study area or raise the limit"
            )
            raise InputError(msg)


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
        return ingest.read_osm(
            area.osm_path, crs=area.crs, bbox=area.bbox, max_input_mb=area.max_input_mb
        )
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


def uses_bundled_example(area: AreaParams) -> bool:
    """Whether the scenario names no input of its own, so the bundled example is run."""
    return not (
        area.osm_path or area.buildings_path or area.streets_path or area.place or area.bbox
    )


def weather_from_file(area: AreaParams) -> bool:
    """Whether the run's weather is a measured year from a file (the scenario's or the example's).

    A measured year's degree days scale the annual benchmarks; a synthetic year does not (it is
    built from the benchmarks' own region).
    """
    return bool(area.weather_path) or uses_bundled_example(area)


def load_weather(area: AreaParams, params: demand.DemandParams) -> weather.Weather:
    """Return the scenario's weather.

    The EPW file of ``[area] weather_path``; for the bundled example its own weather file
    (London City Airport); else a synthetic typical year for the ``[demand]`` region.
    """
    if area.weather_path:
        return weather.read_epw(area.weather_path)
    if uses_bundled_example(area):
        return weather.read_epw(default_weather_path())
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
    buildings = estimate_area_demand(area, dataclasses.replace(scenario, area=area_params))
    G = network.build_street_graph(area.streets, params=scenario.network)
    return buildings, G, area.crs


def estimate_area_demand(
    area: ingest.StudyArea, scenario: Scenario, *, wx: weather.Weather | None = None
) -> gpd.GeoDataFrame:
    """Demand stage: estimate every building's demand, joining the scenario's demand layer.

    Parameters
    ----------
    area
        Ingested study area.
    scenario
        Parameters; ``[area] demand_layer_path`` names the known-demand layer, if any, and
        the include / exclude keys the buildings the planner forces in or leaves out
        (:func:`heatmap.pipeline.choices.apply_building_choices`).
    wx
        A measured weather year whose heating degree days scale the benchmarks. None: the
        scenario's weather file (or the bundled example's) when it has one, read here; else the
        ``[demand]`` degree days or region. So every command estimates the same demand.

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
    if wx is None and weather_from_file(scenario.area):
        wx = load_weather(scenario.area, scenario.demand)
    buildings = demand.estimate_demand(
        area.buildings, params=scenario.demand, demand_layer=layer, weather=wx
    )
    return apply_building_choices(buildings, scenario.area)


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


EXISTING_NETWORK_SEARCH_M = 2000.0
"""Existing heat networks this far outside the study area are still shown (m)."""


def existing_networks_near(networks: gpd.GeoDataFrame, area: ingest.StudyArea) -> gpd.GeoDataFrame:
    """Keep the existing networks within EXISTING_NETWORK_SEARCH_M of the study area."""
    keep = networks.intersects(area.boundary.buffer(EXISTING_NETWORK_SEARCH_M))
    logger.info("%d of %d existing heat networks lie near the study area", keep.sum(), len(keep))
    return networks[keep]


def empty_points(crs: pyproj.CRS) -> gpd.GeoDataFrame:
    """An empty point layer with a ``name`` column in ``crs``."""
    return gpd.GeoDataFrame(
        {"name": pd.Series(dtype=str)}, geometry=gpd.GeoSeries([], crs=crs), crs=crs
    )
