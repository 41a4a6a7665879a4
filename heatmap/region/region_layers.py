"""The merged layers of a region run, and its buildings as a partitioned dask-geopandas frame.

The region's buildings never sit in one process: they stay in the tiles' GeoParquet files, with
the region's zone and cluster ids beside them, and are read one tile at a time
(:func:`buildings_frame`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
from affine import Affine
from scipy import ndimage

from heatmap import schema
from heatmap.region.region_ids import REGION_IDS
from heatmap.region.tile_task import TileSummary, layer_path
from heatmap.zones import density

__all__ = ["RegionLayers", "buildings_frame", "density_mosaic"]

M2_PER_HA = 10_000.0


@dataclass(frozen=True)
class RegionLayers:
    """The region's merged layers (small enough for one process: no buildings among them).

    Attributes
    ----------
    work_dir, tile_ids
        Where the tiles' layers are, and the tiles with buildings.
    crs
        The region's projected CRS.
    n_buildings, heat_demand_mwh_per_a
        The region's buildings (each counted once) and their demand.
    street_lhd
        The street heat atlas: one row per segment (index ``segment_id``), ``segment_key``,
        ``zone_id`` and the columns of :class:`heatmap.zones.atlas.StreetAtlas.segments`.
    zones
        Candidate zones, numbered by heat across the region.
    clusters, opportunity_areas
        Building clusters (region ids) and opportunity areas.
    n_zones_joined
        Zones joined across tile edges and recomputed.
    density
        Heat-density raster of the region.
    """

    work_dir: Path
    tile_ids: tuple[str, ...]
    crs: pyproj.CRS
    n_buildings: int
    heat_demand_mwh_per_a: float
    street_lhd: gpd.GeoDataFrame
    zones: gpd.GeoDataFrame
    clusters: gpd.GeoDataFrame
    opportunity_areas: gpd.GeoDataFrame
    n_zones_joined: int = 0
    density: density.DensityRaster | None = None


def density_mosaic(
    summaries: Sequence[TileSummary], params: density.DensityParams, crs: pyproj.CRS
) -> tuple[density.DensityRaster, gpd.GeoDataFrame]:
    """Sum the tiles' grids into the region's density raster and find its opportunity areas.

    The grid spans the cells of the region's buildings, as a single run's raster does; the
    opportunity areas are found on it as a single run finds them, and smoothing, if the scenario
    asks for it, is applied to the whole raster.
    """
    cell = params.cell_size_m
    parts = [s for s in summaries if s.grids]
    owners = [s for s in parts if s.n_buildings]
    r0 = min(s.demand_extent[0] for s in owners)
    c0 = min(s.demand_extent[1] for s in owners)
    r1 = max(s.demand_extent[2] for s in owners)
    c1 = max(s.demand_extent[3] for s in owners)
    sums = [np.zeros((r1 - r0, c1 - c0)) for _ in range(3)]
    for s in parts:
        gr, gc = s.grid_origin
        h, w = s.grids[0].shape
        # the part of the tile's grid inside the region's extent
        top, left = max(gr, r0), max(gc, c0)
        bottom, right = min(gr + h, r1), min(gc + w, c1)
        if top >= bottom or left >= right:
            continue
        for total, grid in zip(sums, s.grids, strict=True):
            total[top - r0 : bottom - r0, left - c0 : right - c0] += grid[
                top - gr : bottom - gr, left - gc : right - gc
            ]
    demand, street_m, anchors = sums
    transform = Affine(cell, 0.0, c0 * cell, 0.0, -cell, -r0 * cell)
    unsmoothed = density.DensityRaster(demand / (cell**2 / M2_PER_HA), transform, crs, float(cell))
    areas = density.opportunity_areas_from_grids(
        unsmoothed,
        street_m,
        anchors,
        params=params,
        lhd_method="area demand / street length inside the area",
    )
    if params.smoothing_radius_m <= 0:
        return unsmoothed, areas
    pad = int(np.ceil(params.smoothing_radius_m / cell))
    yy, xx = np.mgrid[-pad : pad + 1, -pad : pad + 1] * cell
    kernel = (xx**2 + yy**2 <= params.smoothing_radius_m**2).astype(float)
    padded = np.pad(demand, pad)
    smooth = ndimage.convolve(padded, kernel / kernel.sum(), mode="constant", cval=0.0)
    shifted = Affine(cell, 0.0, (c0 - pad) * cell, 0.0, -cell, -(r0 - pad) * cell)
    raster = density.DensityRaster(smooth / (cell**2 / M2_PER_HA), shifted, crs, float(cell))
    return raster, areas


def _read_part(tile_id: str, work_dir: str, columns: list[str], crs: Any) -> gpd.GeoDataFrame:
    frame = gpd.read_parquet(layer_path(work_dir, tile_id, "buildings"))
    ids = pd.read_parquet(layer_path(work_dir, tile_id, REGION_IDS)).set_index(schema.BUILDING_ID)
    frame = frame.set_index(schema.BUILDING_ID)
    frame[schema.CLUSTER_ID] = ids[schema.CLUSTER_ID].reindex(frame.index).fillna("")
    frame["zone_id"] = ids["zone_id"].reindex(frame.index).fillna("")
    out = frame.reindex(columns=columns)
    for col in columns:
        if col != "geometry" and out[col].dtype == object:
            out[col] = out[col].astype("string")
    return gpd.GeoDataFrame(out, geometry="geometry", crs=crs)


def buildings_frame(layers: RegionLayers) -> Any:
    """The region's buildings as a dask-geopandas frame, one partition per tile that has any.

    Each building appears once (in its owner tile's partition), with its demand, the region's
    ``cluster_id`` and ``zone_id``, the ``segment_key`` of the street segment it joins and the
    tile that owns it. Call ``.compute()`` for a GeoDataFrame (only for a region that fits).
    """
    import dask.dataframe as dd
    import dask_geopandas

    names = gpd.read_parquet(layer_path(layers.work_dir, layers.tile_ids[0], "buildings")).columns
    columns = list(
        dict.fromkeys(
            [c for c in names if c != schema.BUILDING_ID] + [schema.CLUSTER_ID, "zone_id"]
        )
    )
    first = _read_part(layers.tile_ids[0], str(layers.work_dir), columns, layers.crs)
    meta = first.iloc[:0]
    ddf = dd.from_map(
        _read_part,
        list(layers.tile_ids),
        work_dir=str(layers.work_dir),
        columns=columns,
        crs=layers.crs,
        meta=meta,
        enforce_metadata=False,
    )
    return dask_geopandas.from_dask_dataframe(ddf, geometry="geometry")
