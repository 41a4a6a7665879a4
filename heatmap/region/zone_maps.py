"""Maps of a region run: the overview (no single building outline) and one map per zone asked for.

The overview shows the density raster, opportunity areas, the candidate zones' streets and the
candidate networks with their figures, and only the largest anchor loads as points. A zone map
shows one zone as a single run's map does: every building of the zone, its street heat atlas,
its clusters and its candidate networks.
"""

from __future__ import annotations

from collections.abc import Sequence

import folium
import geopandas as gpd
import pandas as pd

from heatmap import schema
from heatmap.errors import InputError
from heatmap.outputs import maps
from heatmap.outputs.map_params import MapParams
from heatmap.region.region_ids import REGION_IDS
from heatmap.region.run import RegionResults
from heatmap.region.tile_task import layer_path

__all__ = ["REGION_ROWS", "overview_map", "resolve_zone_ids", "zone_map"]

REGION_ROWS: tuple[tuple[str, str, str, int], ...] = (
    ("n_tiles", "Tiles", "", 0),
    ("n_buildings", "Buildings", "", 0),
    ("total_heat_demand_mwh_per_a", "Heat demand", "MWh/yr", 0),
    ("n_opportunity_areas", "Opportunity areas", "", 0),
    ("n_zones", "Candidate zones", "", 0),
    ("n_zones_passing", "Zones passing their rule", "", 0),
    ("n_candidates", "Candidate networks", "", 0),
    ("n_candidates_viable", "Viable candidates", "", 0),
)
"""The region map's results panel: summary key, label, unit, decimals."""

MAP_BUILDINGS = 5000
"""The overview map shows at most this many buildings: the anchor loads, largest first."""

ZONE_MARGIN_M = 150.0
"""Street heat atlas shown around a zone on its map, m."""


def _anchor_loads(results: RegionResults) -> gpd.GeoDataFrame:
    """The region's anchor loads (the largest few thousand), the only buildings on its map."""
    layers = results.layers
    columns = [schema.BUILDING_ID, schema.HEAT_DEMAND_MWH_PER_A, schema.IS_ANCHOR, "geometry"]
    frames = []
    for tid in layers.tile_ids:
        part = gpd.read_parquet(layer_path(layers.work_dir, tid, "buildings"), columns=columns)
        part = part[part[schema.IS_ANCHOR].fillna(False).astype(bool)]
        frames.append(part.nlargest(MAP_BUILDINGS, schema.HEAT_DEMAND_MWH_PER_A))
    if not frames or not sum(len(f) for f in frames):
        first = gpd.read_parquet(layer_path(layers.work_dir, layers.tile_ids[0], "buildings"))
        frames = [first.nlargest(1, schema.HEAT_DEMAND_MWH_PER_A)[columns]]
    out = pd.concat(frames).nlargest(MAP_BUILDINGS, schema.HEAT_DEMAND_MWH_PER_A)
    return gpd.GeoDataFrame(out.set_index(schema.BUILDING_ID), geometry="geometry", crs=layers.crs)


def overview_map(results: RegionResults, *, downloads: Sequence[str] = ()) -> folium.Map:
    """The region's overview map: density, opportunity areas, zones and candidate networks."""
    layers = results.layers
    routes = results.candidate_routes
    return maps.render_map(
        buildings=_anchor_loads(results),
        density=layers.density,
        opportunity_areas=layers.opportunity_areas,
        zones=layers.zones,
        candidates=routes if len(routes) else None,
        title=f"heatmap region: {results.scenario.name}",
        params=MapParams(max_building_polygons=0, max_embedded_polygons=0),
        summary=results.summary,
        summary_rows=REGION_ROWS,
        downloads=downloads,
    )


def _zone_column(zones: pd.DataFrame) -> pd.Index:
    """The zone ids of the zones layer (its index or its ``zone_id`` column)."""
    return pd.Index(zones.index if zones.index.name == "zone_id" else zones["zone_id"]).astype(str)


def resolve_zone_ids(results: RegionResults, requested: Sequence[str]) -> list[str]:
    """The zones to map for ``requested`` zone or candidate network ids (``Z03``, ``Z02-1``).

    Raises
    ------
    InputError
        For an id that is neither a zone nor a candidate network of the run, listing those.
    """
    zones = results.layers.zones
    zone_ids = [
        str(z) for z in (zones.index if zones.index.name == "zone_id" else zones["zone_id"])
    ]
    by_network: dict[str, str] = {}
    table = results.candidates
    if len(table) and {"network_id", "zone_id"} <= set(table.columns):
        by_network = dict(
            zip(table["network_id"].astype(str), table["zone_id"].astype(str), strict=True)
        )
    out: list[str] = []
    for ask in requested:
        zone = ask if ask in zone_ids else by_network.get(ask)
        if zone is None:
            known = ", ".join(zone_ids[:20]) + (" ..." if len(zone_ids) > 20 else "")
            msg = (
                f"--zone-map {ask}: no such zone or candidate network in this run; "
                f"its zones are {known or 'none'}"
            )
            raise InputError(msg)
        if zone not in out:
            out.append(zone)
    return out


def _zone_buildings(results: RegionResults, zone_id: str) -> gpd.GeoDataFrame:
    """Every building of ``zone_id`` with its demand fields, read tile by tile."""
    layers = results.layers
    frames = []
    for tid in layers.tile_ids:
        ids = pd.read_parquet(layer_path(layers.work_dir, tid, REGION_IDS))
        mine = ids.loc[ids["zone_id"].astype(str) == zone_id, schema.BUILDING_ID]
        if not len(mine):
            continue
        part = gpd.read_parquet(layer_path(layers.work_dir, tid, "buildings"))
        part = part.drop(columns=[c for c in ("zone_id", schema.CLUSTER_ID) if c in part])
        part = part.merge(ids, on=schema.BUILDING_ID, how="inner")
        frames.append(part[part[schema.BUILDING_ID].isin(set(mine))])
    frame = pd.concat(frames, ignore_index=True) if frames else None
    if frame is None or frame.empty:
        msg = f"zone {zone_id} has no buildings in this run"
        raise InputError(msg)
    return gpd.GeoDataFrame(
        frame.set_index(schema.BUILDING_ID), geometry="geometry", crs=layers.crs
    )


def zone_map(results: RegionResults, zone_id: str) -> folium.Map:
    """One zone's map: its buildings, street heat atlas, clusters and candidate networks."""
    layers = results.layers
    buildings = _zone_buildings(results, zone_id)
    x0, y0, x1, y1 = buildings.total_bounds
    m = ZONE_MARGIN_M
    atlas = layers.street_lhd.cx[x0 - m : x1 + m, y0 - m : y1 + m]
    zones = layers.zones
    zone_col = _zone_column(zones)
    routes = results.candidate_routes
    if len(routes) and "zone_id" in routes.columns:
        routes = routes[routes["zone_id"].astype(str) == zone_id]
    clusters = layers.clusters
    if len(clusters):
        clusters = clusters[clusters.index.isin(set(buildings[schema.CLUSTER_ID].dropna()))]
    row = results.candidates
    if len(row) and "zone_id" in row.columns:
        row = row[row["zone_id"].astype(str) == zone_id]
    summary = {"scenario": f"{results.scenario.name}, zone {zone_id}"}
    if len(row):
        best = row.iloc[0]
        summary |= {
            k: best[k].item() if hasattr(best[k], "item") else best[k]
            for k in ("connected_heat_mwh_per_a", "route_lhd_mwh_per_m_a", "capex_gbp", "npv_gbp")
            if k in best.index
        }
    return maps.render_map(
        buildings=buildings,
        street_lhd=atlas,
        zones=zones[zone_col == zone_id],
        clusters=clusters if len(clusters) else None,
        candidates=routes if len(routes) else None,
        title=f"heatmap region: {results.scenario.name}, zone {zone_id}",
        summary=summary,
        summary_rows=ZONE_ROWS,
    )


ZONE_ROWS: tuple[tuple[str, str, str, int], ...] = (
    ("connected_heat_mwh_per_a", "Best candidate: heat connected", "MWh/yr", 0),
    ("route_lhd_mwh_per_m_a", "Route LHD", "MWh/m/yr", 2),
    ("capex_gbp", "CAPEX", "£", 0),
    ("npv_gbp", "NPV", "£", 0),
)
"""A zone map's results panel: the zone's best-ranked candidate network."""
