"""A region in tiles: ingest and demand per tile as dask tasks, merged into one heat map.

Each tile reads its square plus a halo straight from the extract by bounding box, estimates the
demand of its buildings with the scenario's parameters and keeps the ones it owns; the driver
merges the tiles' buildings and maps the region's heat density and opportunity areas.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dask
import geopandas as gpd
import pandas as pd
import pyproj
import shapely
from shapely.geometry import box

from heatmap import schema
from heatmap.errors import InputError
from heatmap.ingest.area import choose_crs
from heatmap.ingest.pbf import pbf_bbox
from heatmap.pipeline.area import estimate_area_demand, load_area, map_density
from heatmap.pipeline.scenario import Scenario
from heatmap.region.engine import compute_with
from heatmap.region.tiling import Tile, owned, tile_grid
from heatmap.zones import density

__all__ = ["RegionResults", "run_region", "tile_buildings"]


@dataclass(frozen=True)
class RegionResults:
    """A region run: merged buildings, density, opportunity areas, tiles and the summary."""

    scenario: Scenario
    tiles: tuple[Tile, ...]
    crs: pyproj.CRS
    buildings: gpd.GeoDataFrame
    density: density.DensityRaster
    opportunity_areas: gpd.GeoDataFrame
    summary: dict[str, Any]


def tile_buildings(
    osm_path: str, tile: Tile, crs_text: str, scenario: Scenario
) -> gpd.GeoDataFrame | None:
    """The buildings a tile owns, with their demand (None for a tile without buildings).

    Parameters
    ----------
    osm_path
        The region's extract.
    tile
        The tile: it reads its square plus the halo.
    crs_text
        The region's projected CRS (every tile works in it).
    scenario
        Demand parameters, weather and the include / exclude choices.
    """
    crs = pyproj.CRS.from_user_input(crs_text)
    area_params = dataclasses.replace(
        scenario.area, osm_path=osm_path, bbox=tile.read_bbox_deg(crs), crs=crs_text
    )
    try:
        area = load_area(area_params)
    except InputError as exc:
        if "no buildings" in str(exc) or "no streets" in str(exc):
            return None
        raise
    buildings = estimate_area_demand(area, scenario.replace(area=area_params))
    xy = shapely.get_coordinates(buildings.geometry.representative_point().to_numpy())
    mine = buildings[owned(tile, xy)].copy()
    mine["tile_id"] = tile.tile_id
    return mine


def _region_bounds(osm_path: Path, scenario: Scenario) -> tuple[float, float, float, float]:
    bbox = scenario.area.bbox
    if bbox is None and osm_path.name.lower().endswith(".pbf"):
        bbox = pbf_bbox(osm_path)
    if bbox is None:
        msg = (
            f"{osm_path}: the file gives no bounding box in its header; give the region's "
            "extent with --bbox W,S,E,N"
        )
        raise InputError(msg)
    return bbox


def run_region(
    osm_path: str | Path,
    scenario: Scenario | None = None,
    *,
    tile_km: float = 5.0,
    halo_m: float = 250.0,
    workers: int | None = None,
    scheduler: str | None = None,
    synchronous: bool = False,
    progress: bool = True,
) -> RegionResults:
    """Map a region's heat demand in tiles on dask.

    Parameters
    ----------
    osm_path
        ``.osm.pbf`` (its header bbox gives the extent) or ``.osm`` with ``[area] bbox``.
    scenario
        Parameters (``[area]`` weather, crs, bbox, choices; ``[demand]``; ``[density]``).
    tile_km
        Tile side, km.
    halo_m
        Halo each tile also reads, m (shared walls, land use and points of interest nearby).
    workers, scheduler, synchronous, progress
        Where the tasks run (:func:`heatmap.region.engine.compute_with`).

    Returns
    -------
    results
        See :class:`RegionResults`.
    """
    t0 = time.perf_counter()
    scenario = scenario or Scenario()
    path = Path(osm_path)
    if not path.is_file():
        msg = f"{path}: no such file; give the region's OpenStreetMap extract"
        raise InputError(msg)
    w, s, e, n = _region_bounds(path, scenario)
    crs = choose_crs(gpd.GeoDataFrame(geometry=[box(w, s, e, n)], crs=4326), scenario.area.crs)
    corners = gpd.GeoSeries([box(w, s, e, n)], crs=4326).to_crs(crs).total_bounds
    tiles = tile_grid(tuple(float(v) for v in corners), tile_km=tile_km, halo_m=halo_m)  # type: ignore[arg-type]
    crs_text = crs.to_wkt()
    tasks = [dask.delayed(tile_buildings)(str(path), t, crs_text, scenario) for t in tiles]
    t1 = time.perf_counter()
    with compute_with(
        workers=workers, scheduler=scheduler, synchronous=synchronous, progress=progress
    ) as compute:
        parts = [p for p in compute(tasks) if p is not None and len(p)]
    t2 = time.perf_counter()
    if not parts:
        msg = f"{path}: no buildings in the region; check the extract and its bbox"
        raise InputError(msg)
    buildings = gpd.GeoDataFrame(pd.concat(parts), crs=crs).sort_index()
    buildings = buildings[~buildings.index.duplicated(keep="first")]
    raster, areas = map_density(buildings, None, scenario.density)
    t3 = time.perf_counter()
    summary = {
        "n_tiles": len(tiles),
        "n_tiles_with_buildings": len(parts),
        "tile_km": tile_km,
        "n_buildings": len(buildings),
        "total_heat_demand_mwh_per_a": float(
            buildings[schema.HEAT_DEMAND_MWH_PER_A].fillna(0.0).sum()
        ),
        "n_anchor_loads": int(buildings[schema.IS_ANCHOR].fillna(False).astype(bool).sum()),
        "n_opportunity_areas": len(areas),
        "crs": crs.to_string(),
        "inputs": path.name,
        "scheduler": "synchronous" if synchronous else (scheduler or "local cluster"),
        "timings_s": {
            "plan": round(t1 - t0, 3),
            "tiles": round(t2 - t1, 3),
            "merge_and_density": round(t3 - t2, 3),
        },
    }
    return RegionResults(scenario, tuple(tiles), crs, buildings, raster, areas, summary)
