"""A region in tiles on dask: area stages per tile, merged, then each candidate zone appraised.

1. **Plan**: the region's extent (the extract's header, or ``[area] bbox``) in its projected CRS,
   cut into tiles of K km with a halo (:mod:`.tiling`).
2. **Tiles**, one dask task each (:mod:`.tile_task`): cut the tile out of the extract, read it,
   estimate demand, map density, cluster, build the street heat atlas and grow zones; write what
   the tile owns as GeoParquet in the work folder.
3. **Merge** (:mod:`.merge`): buildings, street segments, clusters and opportunity areas
   concatenated; zones across tile edges joined; the density grids summed into one raster.
4. **Candidates**, one dask task per zone (:mod:`.zone_task`), appraised as a single run does.
"""

from __future__ import annotations

import dataclasses
import logging
import math
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dask
import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
from shapely.geometry import box

from heatmap import schema
from heatmap.errors import InputError
from heatmap.ingest.area import choose_crs
from heatmap.ingest.pbf import pbf_bbox
from heatmap.pipeline.area import load_weather
from heatmap.pipeline.ranking import candidate_table
from heatmap.pipeline.scenario import Scenario
from heatmap.region.blocks import Block, block_tree, cut_tree
from heatmap.region.engine import Compute, Engine, compute_with
from heatmap.region.extract import cut_to
from heatmap.region.merge import keys_to_regrow, merge_clusters, merge_zones, read_layer
from heatmap.region.region_ids import tile_cluster_pairs, tile_region_ids, write_merge_maps
from heatmap.region.region_layers import RegionLayers, density_mosaic
from heatmap.region.tile_task import SEGMENT_KEY, TileSummary, lhd_rule_areas, run_tile
from heatmap.region.tiling import Tile, TileIndex, read_bbox_of, tile_grid
from heatmap.region.zone_task import ZoneTask, appraise_zone, zones_to_plan
from heatmap.region.zone_views import LIGHT, tile_zone_views
from heatmap.zones.density import DensityRaster

__all__ = ["RegionResults", "plan_tiles", "run_region"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RegionResults:
    """A region run: its tiles, the merged layers, the candidates and the summary.

    Attributes
    ----------
    scenario, tiles, crs
        What was run, the tiles and the region's projected CRS.
    layers
        The merged layers (:class:`heatmap.region.region_layers.RegionLayers`); the buildings
        stay in the work folder as a dask-geopandas frame.
    candidates, candidate_routes
        The ranked candidate table and each candidate's route with its figures.
    tile_summaries
        What each tile did.
    summary
        ``summary.json``.
    """

    scenario: Scenario
    tiles: tuple[Tile, ...]
    crs: pyproj.CRS
    layers: RegionLayers
    candidates: pd.DataFrame
    candidate_routes: gpd.GeoDataFrame
    tile_summaries: tuple[TileSummary, ...]
    summary: dict[str, Any]


def _region_bounds(osm_path: Path, scenario: Scenario) -> tuple[float, float, float, float]:
    bbox = scenario.area.bbox
    if bbox is None and osm_path.name.lower().endswith(".pbf"):
        bbox = pbf_bbox(osm_path)
    if bbox is None:
        msg = (
            f"{osm_path}: the file gives no bounding box in its header; give the region's "
            "extent as [area] bbox in the scenario"
        )
        raise InputError(msg)
    return bbox


def plan_tiles(
    osm_path: str | Path, scenario: Scenario, *, tile_km: float, halo_m: float
) -> tuple[pyproj.CRS, list[Tile]]:
    """The region's projected CRS and its tiles.

    Parameters
    ----------
    osm_path
        The region's ``.osm.pbf`` (its header gives the extent unless ``[area] bbox`` does).
    scenario
        ``[area] crs`` and ``bbox``.
    tile_km, halo_m
        Tile side (km) and the margin each tile also reads (m).
    """
    path = Path(osm_path)
    if not path.is_file():
        msg = f"{path}: no such file; give the region's OpenStreetMap extract"
        raise InputError(msg)
    if not path.name.lower().endswith(".pbf"):
        msg = f"{path}: a region run reads an .osm.pbf extract; convert the file (osmium cat)"
        raise InputError(msg)
    w, s, e, n = _region_bounds(path, scenario)
    crs = choose_crs(gpd.GeoDataFrame(geometry=[box(w, s, e, n)], crs=4326), scenario.area.crs)
    corners = gpd.GeoSeries([box(w, s, e, n)], crs=4326).to_crs(crs).total_bounds
    # tile edges on density-cell edges, so no cell is shared by two tiles
    cell = scenario.density.cell_size_m
    x0, y0 = (math.floor(float(v) / cell) * cell for v in corners[:2])
    x1, y1 = (float(v) for v in corners[2:])
    return crs, tile_grid((x0, y0, x1, y1), tile_km=tile_km, halo_m=halo_m)


def _cut_blocks(
    path: Path, tiles: list[Tile], crs: pyproj.CRS, work: Path, compute: Compute
) -> dict[str, str]:
    """The file each tile cuts itself from: the region's extract, or a block cut out of it.

    Every cut reads its source through, so with many tiles the region is cut in nested blocks,
    level by level (:mod:`.blocks`), and each tile reads a block of a few tiles.
    """
    tree = block_tree(tiles)
    if not tree.blocks:
        return {t.tile_id: str(path) for t in tiles}
    (work / "blocks").mkdir(parents=True, exist_ok=True)
    cut = dask.delayed(cut_to, pure=True)
    n_levels = len(tree.levels())

    def cut_level(level: list[tuple[str, Block]], depth: int) -> list[str]:
        tasks = [
            cut(
                src,
                read_bbox_of(list(b.tiles), crs),
                str(work / "blocks" / f"{b.block_id}.osm.pbf"),
            )
            for src, b in level
        ]
        return compute(tasks, f"blocks {depth}/{n_levels}")

    return cut_tree(tree, str(path), cut_level)


def _near(tile: Tile, index: TileIndex) -> tuple[str, ...]:
    """The tiles whose squares meet what ``tile`` reads."""
    return tuple(t.tile_id for t in index.meeting(tile.read_bounds_m))


def _within(frame: gpd.GeoDataFrame | None, tile: Tile) -> gpd.GeoDataFrame | None:
    """The features of ``frame`` that meet what ``tile`` reads."""
    if frame is None or frame.empty:
        return None
    x0, y0, x1, y1 = (min(max(v, -1e12), 1e12) for v in tile.read_bounds_m)
    # the spatial index keeps this per tile from growing with the region
    return frame.iloc[np.sort(frame.sindex.query(box(x0, y0, x1, y1), predicate="intersects"))]


def _zone_views(
    compute: Compute, work: Path, tiles: list[Tile], scenario: Scenario, context: tuple[Any, Any]
) -> pd.DataFrame:
    """Every tile's view of the zones, grown over the region's atlas (one task per tile)."""
    clusters, areas = context
    grow = dask.delayed(tile_zone_views, pure=True)
    index = TileIndex(tiles)
    views = compute(
        [
            grow(
                t,
                str(work),
                list(_near(t, index)),
                scenario.zones,
                (_within(clusters, t), _within(areas, t)),
            )
            for t in tiles
        ],
        "zones",
    )
    frames = [v for v in views if len(v)]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def _merge(
    compute: Compute,
    work: Path,
    tiles: list[Tile],
    scenario: Scenario,
    density: tuple[DensityRaster, gpd.GeoDataFrame],
    owned: tuple[int, float],
) -> RegionLayers:
    """Merge the tiles' layers: the driver holds segments, zones and clusters, never buildings.

    Work per building (cluster labels across tile edges, the region ids written beside every
    tile's buildings) runs as one task per tile; the driver joins what those tasks return,
    which grows with the clusters and zones.
    """
    tile_ids = [t.tile_id for t in tiles]
    index = TileIndex(tiles)
    near = {t.tile_id: list(_near(t, index)) for t in tiles}
    segments = read_layer(work, tile_ids, "street_lhd")
    segments = segments.drop(columns=[c for c in (schema.SEGMENT_ID,) if c in segments.columns])
    found = compute(
        [
            dask.delayed(tile_cluster_pairs, pure=True)(tid, str(work), near[tid])
            for tid in tile_ids
        ],
        "cluster edges",
    )
    clusters, label_region = merge_clusters(
        read_layer(work, tile_ids, "clusters"),
        pd.concat([p for p, _ in found], ignore_index=True),
        pd.concat([u for _, u in found], ignore_index=True),
    )
    raster, areas = density
    context = (clusters, lhd_rule_areas(areas) if len(areas) else None)
    views = _zone_views(compute, work, tiles, scenario, context)
    regrow = sorted(keys_to_regrow(views))
    assigned = (
        read_layer(work, tile_ids, "buildings", LIGHT, isin=(SEGMENT_KEY, set(regrow)))
        if regrow
        else pd.DataFrame(columns=LIGHT)
    )
    zones, segment_zone, n_joined = merge_zones(
        views, segments, assigned.dropna(), scenario.zones, context=context
    )
    del assigned
    segments["zone_id"] = segment_zone.reindex(segments[SEGMENT_KEY]).fillna("").to_numpy()
    width = max(6, len(str(len(segments))))
    segments = segments.sort_values(SEGMENT_KEY)
    segments.index = pd.Index(
        [f"S{i + 1:0{width}d}" for i in range(len(segments))], name=schema.SEGMENT_ID
    )
    write_merge_maps(work, segment_zone, label_region)
    compute(
        [dask.delayed(tile_region_ids, pure=True)(tid, str(work), near[tid]) for tid in tile_ids],
        "region ids",
    )
    return RegionLayers(
        work_dir=work,
        tile_ids=tuple(tile_ids),
        crs=raster.crs,
        n_buildings=owned[0],
        heat_demand_mwh_per_a=owned[1],
        street_lhd=segments,
        zones=zones,
        clusters=clusters,
        opportunity_areas=areas,
        n_zones_joined=n_joined,
        density=raster,
    )


def _zone_tasks(layers: RegionLayers, tiles: list[Tile], margin_m: float) -> list[ZoneTask]:
    """One task per zone to plan, with the box and tiles to read its surroundings from."""
    plan = zones_to_plan(layers.zones)
    clusters = layers.clusters
    index = TileIndex(tiles)
    tasks = []
    for _, row in plan.iterrows():
        x0, y0, x1, y1 = row.geometry.bounds
        bounds = (x0 - margin_m, y0 - margin_m, x1 + margin_m, y1 + margin_m)
        near = tuple(t.tile_id for t in index.meeting(bounds))
        # every cluster of the zone's buildings meets the box (a hull of its buildings)
        cl = clusters.iloc[np.sort(clusters.sindex.query(box(*bounds)))] if len(clusters) else None
        tasks.append(
            ZoneTask(
                zone=pd.DataFrame(row.drop("geometry")).T.rename_axis("zone_id"),
                bounds_m=bounds,
                tile_ids=near,
                clusters=cl if cl is not None and len(cl) else None,
            )
        )
    return tasks


def run_region(
    osm_path: str | Path,
    scenario: Scenario | None = None,
    *,
    tile_km: float = 5.0,
    halo_m: float = 500.0,
    engine: Engine | None = None,
    work_dir: str | Path | None = None,
    candidates: bool = True,
) -> RegionResults:
    """Map a region in tiles on dask and appraise its candidate networks.

    Parameters
    ----------
    osm_path
        The region's ``.osm.pbf`` (its header bbox gives the extent unless ``[area] bbox`` does).
    scenario
        Every stage's parameters.
    tile_km
        Tile side, km.
    halo_m
        Margin each tile also reads, m: at least the widest zone gap, cluster reach and service
        length, so that what a tile owns is found as a single run finds it.
    engine
        Where the tasks run (:class:`heatmap.region.engine.Engine`; default: a local cluster on
        this machine's cores).
    work_dir
        Folder for the tiles' GeoParquet layers (default: a new temporary folder); it must be
        reachable by every worker (a shared file system on a cluster).
    candidates
        Appraise the candidate networks of every zone (else stop after the zones).

    Returns
    -------
    results
        See :class:`RegionResults`.
    """
    clock: dict[str, float] = {}
    memory: dict[str, float] = {}
    t0 = time.perf_counter()
    path = Path(osm_path)
    scenario = scenario or Scenario(name=path.name.split(".")[0])
    crs, tiles = plan_tiles(path, scenario, tile_km=tile_km, halo_m=halo_m)
    # every tile and the candidates run as ``heatmap run --osm FILE`` would on the whole file
    scenario = scenario.replace(
        area=dataclasses.replace(scenario.area, osm_path=str(path.resolve()), bbox=None)
    )
    work = Path(work_dir) if work_dir else Path(tempfile.mkdtemp(prefix="heatmap-region-"))
    work.mkdir(parents=True, exist_ok=True)
    crs_text = crs.to_wkt()
    wx = load_weather(scenario.area, scenario.demand)
    clock["plan"] = time.perf_counter() - t0
    engine = engine or Engine()
    with compute_with(engine) as compute:
        t = time.perf_counter()
        sources = _cut_blocks(path.resolve(), tiles, crs, work.resolve(), compute)
        clock["blocks"] = time.perf_counter() - t
        memory["blocks"] = max(compute.peak_memory_mb().values())
        compute.fresh()
        t = time.perf_counter()
        run = dask.delayed(run_tile, pure=True)
        summaries: list[TileSummary] = compute(
            [run(sources[tl.tile_id], tl, crs_text, scenario, str(work.resolve())) for tl in tiles],
            "tiles",
        )
        clock["tiles"] = time.perf_counter() - t
        memory["tiles"] = max(compute.peak_memory_mb().values())
        compute.fresh()
        t = time.perf_counter()
        written = {s.tile_id for s in summaries if s.written}
        if not any(s.n_buildings for s in summaries):
            msg = f"{path}: no buildings in the region; check the extract and its bbox"
            raise InputError(msg)
        layers = _merge(
            compute,
            work.resolve(),
            [t for t in tiles if t.tile_id in written],
            scenario,
            density_mosaic(summaries, scenario.density, crs),
            (
                sum(s.n_buildings for s in summaries),
                sum(s.heat_demand_mwh_per_a for s in summaries),
            ),
        )
        clock["merge"] = time.perf_counter() - t
        memory["merge"] = max(compute.peak_memory_mb().values())
        compute.fresh()
        t = time.perf_counter()
        rows: list[dict[str, Any]] = []
        routes: list[gpd.GeoDataFrame] = []
        if candidates and len(layers.zones):
            margin = scenario.candidates.zone_margin_m + halo_m
            appraise = dask.delayed(appraise_zone, pure=True)
            tasks = _zone_tasks(layers, tiles, margin)
            for r, g in compute(
                [appraise(task, str(work.resolve()), scenario, wx) for task in tasks],
                "candidates",
            ):
                rows.extend(r)
                routes.append(g)
        clock["candidates"] = time.perf_counter() - t
        memory["candidates"] = max(compute.peak_memory_mb().values())
    table = candidate_table(rows, params=scenario.candidates, rank_by=scenario.candidates.rank_by)
    route_layer = _route_layer(routes, table, crs)
    summary = _summary(path, scenario, tiles, summaries, layers, table, clock, tile_km, halo_m)
    summary["scheduler"] = engine.name
    # the workers' memory high-water marks after each stage (the driver's with no cluster)
    summary["peak_worker_memory_mb"] = round(max(memory.values()))
    summary["peak_worker_memory_mb_by_stage"] = {k: round(v) for k, v in memory.items()}
    return RegionResults(
        scenario, tuple(tiles), crs, layers, table, route_layer, tuple(summaries), summary
    )


def _route_layer(
    routes: list[gpd.GeoDataFrame], table: pd.DataFrame, crs: pyproj.CRS
) -> gpd.GeoDataFrame:
    frames = [r for r in routes if len(r)]
    if not frames or table.empty:
        return gpd.GeoDataFrame(table.iloc[:0].copy(), geometry=gpd.GeoSeries([], crs=crs))
    lines = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry="geometry", crs=crs)
    merged = lines.merge(table, on="network_id", how="left")
    return gpd.GeoDataFrame(merged, geometry="geometry", crs=crs)


def _summary(  # noqa: PLR0913
    path: Path,
    scenario: Scenario,
    tiles: list[Tile],
    summaries: list[TileSummary],
    layers: RegionLayers,
    table: pd.DataFrame,
    clock: dict[str, float],
    tile_km: float,
    halo_m: float,
) -> dict[str, Any]:
    per_step: dict[str, float] = {}
    for s in summaries:
        for k, v in s.timings_s:
            per_step[k] = per_step.get(k, 0.0) + v
    zones = layers.zones
    return {
        "inputs": path.name,
        "scenario": scenario.name,
        "crs": layers.crs.to_string(),
        "tile_km": tile_km,
        "halo_m": halo_m,
        "n_tiles": len(tiles),
        "n_tiles_with_buildings": len(layers.tile_ids),
        "n_buildings": layers.n_buildings,
        "total_heat_demand_mwh_per_a": layers.heat_demand_mwh_per_a,
        "n_street_segments": len(layers.street_lhd),
        "n_clusters": len(layers.clusters),
        "n_opportunity_areas": len(layers.opportunity_areas),
        "n_zones": len(zones),
        "n_zones_passing": int(zones["passes"].sum()) if len(zones) else 0,
        "n_zones_joined_across_tiles": layers.n_zones_joined,
        "n_candidates": len(table),
        "n_candidates_viable": int(table["viable"].sum()) if len(table) else 0,
        "timings_s": {k: round(v, 3) for k, v in clock.items()},
        "tile_task_seconds": {k: round(v, 3) for k, v in per_step.items()},
        "tile_task_seconds_total": round(sum(per_step.values()), 3),
    }
