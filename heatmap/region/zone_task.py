"""One candidate zone of a region appraised as its own task, with the pipeline's appraisal.

The task reads the buildings and streets around its zone (the zone's box plus a margin) from the
tiles' GeoParquet layers, builds the street graph and heat atlas there, turns the zone into its
candidate networks (split when one energy centre cannot carry it) and appraises each one exactly
as a single run does (:func:`heatmap.pipeline.candidates.appraise_specs`).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely

from heatmap import schema
from heatmap.design import sizing
from heatmap.ingest import weather
from heatmap.pipeline.candidates import AreaContext, appraise_specs, candidate_specs
from heatmap.pipeline.graph_crop import graph_around
from heatmap.pipeline.ranking import candidate_route_lines
from heatmap.pipeline.scenario import Scenario
from heatmap.region.region_ids import REGION_IDS
from heatmap.region.tile_task import layer_path
from heatmap.routing.street_graph import routing_graph
from heatmap.zones import atlas as street_atlas

__all__ = ["ZoneTask", "appraise_zone", "zones_to_plan"]

logger = logging.getLogger(__name__)


def zones_to_plan(zones: pd.DataFrame) -> pd.DataFrame:
    """The zones that become candidate networks, as in a single run.

    Zones that pass their rule; when none does, the failing zones with at least one anchor load.
    """
    passing = zones[zones["passes"].astype(bool)]
    if len(passing) or "n_anchors" not in zones.columns:
        return passing if len(passing) else zones
    return zones[zones["n_anchors"] >= 1]


@dataclass(frozen=True)
class ZoneTask:
    """What one zone's task needs.

    Attributes
    ----------
    zone
        One-row frame of the zone (index ``zone_id``; ``passes``, ``reason``, ``rule``).
    bounds_m
        The box to read buildings and streets from (the zone's box plus the margin), m.
    tile_ids
        The tiles whose squares meet that box.
    clusters
        The region's clusters that meet the box (those of the zone's buildings among them),
        indexed by region cluster id.
    """

    zone: pd.DataFrame
    bounds_m: tuple[float, float, float, float]
    tile_ids: tuple[str, ...]
    clusters: gpd.GeoDataFrame | None


def _read_around(
    work_dir: str, tile_ids: Sequence[str], layer: str, bounds: tuple[float, float, float, float]
) -> gpd.GeoDataFrame:
    frames = []
    for tid in tile_ids:
        path = layer_path(work_dir, tid, layer)
        if path.is_file():
            frame = gpd.read_parquet(path)
            frames.append(frame[frame.intersects(shapely.box(*bounds))])
    if not frames:
        return gpd.GeoDataFrame()
    out = pd.concat(frames)
    return gpd.GeoDataFrame(out, geometry="geometry", crs=frames[0].crs)


def _region_ids(work_dir: str, tile_ids: Sequence[str]) -> pd.DataFrame:
    """The region zone and cluster ids of the buildings the tiles own, by ``building_id``."""
    frames = [
        pd.read_parquet(layer_path(work_dir, tid, REGION_IDS))
        for tid in tile_ids
        if layer_path(work_dir, tid, REGION_IDS).is_file()
    ]
    if not frames:
        return pd.DataFrame(columns=["zone_id", schema.CLUSTER_ID], dtype=object)
    out = pd.concat(frames, ignore_index=True).set_index(schema.BUILDING_ID)
    return out[~out.index.duplicated()]


def appraise_zone(
    task: ZoneTask, work_dir: str, scenario: Scenario, wx: weather.Weather
) -> tuple[list[dict[str, Any]], gpd.GeoDataFrame]:
    """Appraise the candidate networks of one zone.

    Parameters
    ----------
    task
        The zone, its buildings and where to read them (:class:`ZoneTask`).
    work_dir
        The run's work folder (the tiles' layers).
    scenario
        Every stage's parameters.
    wx
        The run's weather.

    Returns
    -------
    rows, routes
        One candidate-table row per candidate network, and their routes as lines.
    """
    params = scenario.candidates
    zone_id = str(task.zone.index[0])
    buildings = _read_around(work_dir, task.tile_ids, "buildings", task.bounds_m)
    buildings = buildings.set_index(schema.BUILDING_ID)
    buildings = buildings[~buildings.index.duplicated()]
    region = _region_ids(work_dir, task.tile_ids).reindex(buildings.index)
    member = (region["zone_id"] == zone_id).to_numpy()
    # the zone's buildings carry their region cluster; the others their tile's, marked apart
    local = (
        buildings[schema.CLUSTER_ID].astype(object).where(buildings[schema.CLUSTER_ID].notna(), "")
    )
    outside = ["" if c == "" else f"~{c}" for c in local]
    ours = region[schema.CLUSTER_ID].fillna("").astype(str).to_numpy()
    buildings[schema.CLUSTER_ID] = [
        o if m and o != "" else x for m, o, x in zip(member, ours, outside, strict=True)
    ]
    streets = _read_around(work_dir, task.tile_ids, "streets", task.bounds_m)
    barriers = _read_around(work_dir, task.tile_ids, "barriers", task.bounds_m)
    G = routing_graph(
        streets, buildings, params=scenario.network, barriers=barriers if len(barriers) else None
    )
    atlas = street_atlas.street_heat_atlas(
        buildings,
        G,
        params=scenario.zones,
        anchor_threshold_mwh_per_a=scenario.demand.anchor_threshold_mwh_per_a,
        streets=streets,
    )
    building_node = atlas.assignment[schema.SEGMENT_ID].map(atlas.segments["u"])
    members = buildings.index[member].tolist()
    capacity_kw = scenario.route.max_network_peak_kw or sizing.max_capacity_kw(
        params=scenario.sizing
    )
    specs = candidate_specs(
        task.zone,
        pd.Series(zone_id, index=pd.Index(members, name=schema.BUILDING_ID), dtype=object),
        buildings,
        building_node,
        G,
        capacity_kw=capacity_kw,
        params=params,
    )
    context = AreaContext(
        buildings=buildings,
        weather=wx,
        graph_for=graph_around(G, buildings, params.zone_margin_m),
        clusters=task.clusters,
        street_lhd=atlas.segments,
    )
    rows, appraisals = appraise_specs(specs, scenario, context, params=params)
    routes = candidate_route_lines([a.network for a in appraisals.values()], buildings.crs)
    return rows, routes
