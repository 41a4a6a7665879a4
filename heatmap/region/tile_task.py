"""One tile of a region run: cut, read, demand, density grids, clusters and street heat atlas.

A tile cuts its square plus the halo out of the region's extract (:mod:`.extract`), reads the
cut with the ordinary reader and runs the area stages of a single run on it. It keeps what it
owns (buildings, street segments and clusters whose anchor point lies in its own square) and
the demand, street length and anchor loads per density cell of what it owns. Zones are grown
afterwards over the region's atlas (:mod:`.zone_views`). The layers go to GeoParquet files in the
run's work folder; the task returns a small :class:`TileSummary`.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj

from heatmap import schema
from heatmap.errors import InputError
from heatmap.ingest.barriers import empty_barriers
from heatmap.pipeline.area import cluster_area, estimate_area_demand, load_area
from heatmap.pipeline.scenario import Scenario
from heatmap.region.extract import extract_bbox
from heatmap.region.tiling import Tile, owned_geometries, segment_keys
from heatmap.routing.street_graph import routing_graph
from heatmap.zones import atlas as street_atlas
from heatmap.zones import density

__all__ = ["LAYERS", "TileSummary", "layer_path", "lhd_rule_areas", "run_tile"]

logger = logging.getLogger(__name__)

LAYERS = (
    "buildings",
    "streets",
    "barriers",
    "street_lhd",
    "clusters",
    "cluster_labels",
)
"""The GeoParquet layers each tile writes to ``WORK/tiles/<tile_id>/<layer>.parquet``."""

SEGMENT_KEY = "segment_key"


@dataclass(frozen=True)
class TileSummary:
    """What one tile did (the layers themselves are in the work folder).

    Attributes
    ----------
    tile_id
        The tile.
    n_buildings, heat_demand_mwh_per_a
        Buildings the tile owns and their demand.
    n_segments, n_clusters
        Street segments and clusters the tile owns.
    written
        Whether the tile found buildings and streets and wrote its layers.
    grids
        Per density cell of the region grid: the owned buildings' demand (MWh/a), the owned
        streets' length (m) and the owned anchor loads.
    grid_origin
        Row and column of the grids' top-left cell on the grid whose cell (0, 0) has its
        top-left corner at (0 m, 0 m) (rows counted southward).
    demand_extent
        Rows and columns (first, first, end, end) of the cells holding the owned buildings, as
        a single run's raster of them would span.
    timings_s
        Seconds per step.
    """

    tile_id: str
    n_buildings: int = 0
    heat_demand_mwh_per_a: float = 0.0
    n_segments: int = 0
    n_clusters: int = 0
    written: bool = False
    grids: tuple[np.ndarray, ...] = dataclasses.field(default=(), repr=False)
    grid_origin: tuple[int, int] = (0, 0)
    demand_extent: tuple[int, int, int, int] = (0, 0, 0, 0)
    timings_s: tuple[tuple[str, float], ...] = ()


def layer_path(work_dir: str | Path, tile_id: str, layer: str) -> Path:
    """Where a tile's layer is written."""
    return Path(work_dir) / "tiles" / tile_id / f"{layer}.parquet"


def lhd_rule_areas(areas: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The opportunity areas found by an LHD rule (a density-only area spans whole districts)."""
    if "rule" not in areas.columns:
        return areas
    return areas[areas["rule"].astype(str).str.startswith("scotland")]


def _cell_extent(raster: density.DensityRaster) -> tuple[int, int, int, int]:
    """First row, first column, end row, end column of a raster on the grid anchored at 0 m."""
    cell = raster.cell_size_m
    r0 = round(-raster.transform.f / cell)
    c0 = round(raster.transform.c / cell)
    h, w = raster.density_mwh_per_ha_a.shape
    return r0, c0, r0 + h, c0 + w


def _density_grids(
    buildings: gpd.GeoDataFrame, streets: gpd.GeoDataFrame, params: density.DensityParams
) -> tuple[tuple[np.ndarray, ...], tuple[int, int], tuple[int, int, int, int]]:
    """Demand, street length and anchors per cell of the owned buildings and streets."""
    cell = params.cell_size_m
    if buildings.empty and streets.empty:
        return (), (0, 0), (0, 0, 0, 0)
    x0 = y0 = np.inf
    x1 = y1 = -np.inf
    extent = (0, 0, 0, 0)  # no cell: the tile owns no building
    if len(buildings):
        extent = _cell_extent(density.heat_density_raster(buildings, cell_size_m=cell))
        r0, c0, r1, c1 = extent
        x0, y0, x1, y1 = c0 * cell, -r1 * cell, c1 * cell, -r0 * cell
    if len(streets):
        sx0, sy0, sx1, sy1 = streets.total_bounds
        x0, y0, x1, y1 = min(x0, sx0), min(y0, sy0), max(x1, sx1), max(y1, sy1)
    raster = density.heat_density_raster(buildings, cell_size_m=cell, bounds=(x0, y0, x1, y1))
    demand = raster.demand_mwh_per_a
    street_m = density.street_length_grid(streets, raster) if len(streets) else 0.0 * demand
    anchors = density.anchor_count_grid(buildings, raster, params.anchor_threshold_mwh_per_a)
    origin = _cell_extent(raster)[:2]
    return (demand, street_m, anchors), (origin[0], origin[1]), extent


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Object columns as text (or None), so GeoParquet takes them whatever they hold."""
    out = frame.copy()
    for col in out.columns:
        if col != out.geometry.name and out[col].dtype == object:
            out[col] = out[col].map(lambda v: None if v is None else str(v))
    return out


def _write(frame: gpd.GeoDataFrame, work_dir: str | Path, tile_id: str, layer: str) -> None:
    path = layer_path(work_dir, tile_id, layer)
    path.parent.mkdir(parents=True, exist_ok=True)
    out = _plain(frame)
    if out.index.name is not None:
        out = out.reset_index()
    out.to_parquet(path, index=False)


@dataclass(frozen=True)
class _Stages:
    """The area stages' results on what the tile read."""

    buildings: gpd.GeoDataFrame
    streets: gpd.GeoDataFrame
    clusters: gpd.GeoDataFrame
    atlas: street_atlas.StreetAtlas
    barriers: gpd.GeoDataFrame


@contextmanager
def _quiet(name: str) -> Iterator[None]:
    """Only errors from logger ``name`` inside the block."""
    log = logging.getLogger(name)
    level = log.level
    log.setLevel(logging.ERROR)
    try:
        yield
    finally:
        log.setLevel(level)


def _area_stages(cut: Path, crs_text: str, scenario: Scenario, clock: dict[str, float]) -> _Stages:
    t = time.perf_counter()
    area_params = dataclasses.replace(scenario.area, osm_path=str(cut), bbox=None, crs=crs_text)
    with _quiet("heatmap.ingest.pbf"):  # a cut may well hold no relations: not a cut download
        area = load_area(area_params)
    buildings = estimate_area_demand(area, scenario.replace(area=area_params))
    clock["read_and_demand"] = time.perf_counter() - t
    t = time.perf_counter()
    buildings, clustered = cluster_area(buildings, area.streets, scenario.cluster)
    clock["clusters"] = time.perf_counter() - t
    t = time.perf_counter()
    G = routing_graph(area.streets, area.buildings, params=scenario.network, barriers=area.barriers)
    atlas = street_atlas.street_heat_atlas(
        buildings,
        G,
        params=scenario.zones,
        anchor_threshold_mwh_per_a=scenario.demand.anchor_threshold_mwh_per_a,
        streets=area.streets,
    )
    clock["atlas"] = time.perf_counter() - t
    barriers = area.barriers if area.barriers is not None else empty_barriers(area.crs)
    return _Stages(buildings, area.streets, clustered.clusters, atlas, barriers)


def run_tile(
    osm_path: str, tile: Tile, crs_text: str, scenario: Scenario, work_dir: str
) -> TileSummary:
    """Run the area stages on one tile and write what it owns to the work folder.

    Parameters
    ----------
    osm_path
        The region's extract (``.osm.pbf``).
    tile
        The tile: it reads its square plus the halo and owns its square.
    crs_text
        The region's projected CRS (every tile works in it).
    scenario
        Every stage's parameters.
    work_dir
        The run's work folder.

    Returns
    -------
    summary
        See :class:`TileSummary`.
    """
    clock: dict[str, float] = {}
    t = time.perf_counter()
    crs = pyproj.CRS.from_user_input(crs_text)
    cut = Path(work_dir) / "tiles" / tile.tile_id / "cut.osm.pbf"
    cut.parent.mkdir(parents=True, exist_ok=True)
    extract_bbox(osm_path, tile.read_bbox_deg(crs), cut)
    clock["cut"] = time.perf_counter() - t
    try:
        s = _area_stages(cut, crs_text, scenario, clock)
    except InputError as exc:
        if "no buildings" in str(exc) or "no streets" in str(exc):
            return TileSummary(
                tile.tile_id,
                timings_s=tuple(clock.items()),
            )
        raise
    t = time.perf_counter()
    segs = s.atlas.segments
    keys = pd.Series(segment_keys(segs.geometry.to_numpy()), index=segs.index)
    own_b = owned_geometries(tile, s.buildings.geometry.to_numpy())
    buildings = s.buildings[own_b].copy()
    buildings[SEGMENT_KEY] = keys.reindex(
        s.atlas.assignment[schema.SEGMENT_ID].reindex(buildings.index)
    ).to_numpy()
    buildings["service_length_m"] = s.atlas.assignment[street_atlas.SERVICE_LENGTH_M].reindex(
        buildings.index
    )
    buildings["tile_id"] = tile.tile_id
    source = scenario.area.osm_path or osm_path  # the region's file, as a single run names it
    if schema.SOURCE in buildings.columns:
        buildings[schema.SOURCE] = source
    seg_out = segs[owned_geometries(tile, segs.geometry.to_numpy())].copy()
    seg_out.insert(0, SEGMENT_KEY, keys.reindex(seg_out.index).to_numpy())
    seg_out = seg_out.drop(columns=["u", "v"])
    clusters = s.clusters[owned_geometries(tile, s.clusters.geometry.to_numpy())].copy()
    clusters["cut"] = tile.near_read_edge(
        clusters.geometry.to_numpy(),
        max(scenario.cluster.eps_m, scenario.cluster.non_domestic_eps_m),
    )
    clusters["tile_id"] = tile.tile_id
    clusters = clusters.rename_axis(schema.CLUSTER_ID)
    labelled = s.buildings[schema.CLUSTER_ID].astype(str)
    labels = pd.DataFrame(
        {
            schema.BUILDING_ID: labelled.index[labelled != ""],
            "tile_id": tile.tile_id,
            schema.CLUSTER_ID: labelled[labelled != ""].to_numpy(),
        }
    )
    streets = s.streets[owned_geometries(tile, s.streets.geometry.to_numpy())].copy()
    if schema.SOURCE in streets.columns:
        streets[schema.SOURCE] = source
    barriers = s.barriers[owned_geometries(tile, s.barriers.geometry.to_numpy())]
    for name, frame in (
        ("buildings", buildings),
        ("streets", streets),
        ("barriers", barriers),
        ("street_lhd", seg_out),
        ("clusters", clusters),
    ):
        _write(frame, work_dir, tile.tile_id, name)
    labels.to_parquet(layer_path(work_dir, tile.tile_id, "cluster_labels"), index=False)
    grids, origin, extent = _density_grids(buildings, streets, scenario.density)
    clock["own_and_write"] = time.perf_counter() - t
    return TileSummary(
        tile.tile_id,
        n_buildings=len(buildings),
        heat_demand_mwh_per_a=float(buildings[schema.HEAT_DEMAND_MWH_PER_A].fillna(0.0).sum()),
        n_segments=len(seg_out),
        n_clusters=len(clusters),
        written=True,
        grids=grids,
        grid_origin=origin,
        demand_extent=extent,
        timings_s=tuple((k, round(v, 3)) for k, v in clock.items()),
    )
