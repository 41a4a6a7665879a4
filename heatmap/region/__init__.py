"""Region runs: a region in tiles on dask (local cores or a cluster), merged into one plan.

Modules: :mod:`.tiling` (tiles and ownership), :mod:`.extract` (streaming cut of a tile out of
the extract), :mod:`.blocks` (nested cuts, so no tile reads the whole extract),
:mod:`.tile_task` (the area stages on one tile), :mod:`.merge` (zones and clusters across tile
edges), :mod:`.zone_task` (a zone's candidate networks), :mod:`.engine` (where the tasks run),
:mod:`.run` (the whole run), :mod:`.region_layers` (merged layers, buildings as a
dask-geopandas frame), :mod:`.save` (GeoParquet, GeoPackage, COG, map) and :mod:`.synthetic`
(synthetic regions for tests and benchmarks).
"""

from __future__ import annotations

from heatmap.region.engine import Engine as Engine
from heatmap.region.engine import compute_with as compute_with
from heatmap.region.extract import extract_bbox as extract_bbox
from heatmap.region.merge import UnionFind as UnionFind
from heatmap.region.region_layers import RegionLayers as RegionLayers
from heatmap.region.region_layers import buildings_frame as buildings_frame
from heatmap.region.run import RegionResults as RegionResults
from heatmap.region.run import plan_tiles as plan_tiles
from heatmap.region.run import run_region as run_region
from heatmap.region.save import save_region as save_region
from heatmap.region.save import write_cog as write_cog
from heatmap.region.tile_task import TileSummary as TileSummary
from heatmap.region.tile_task import run_tile as run_tile
from heatmap.region.tiling import Tile as Tile
from heatmap.region.tiling import owned as owned
from heatmap.region.tiling import owned_geometries as owned_geometries
from heatmap.region.tiling import segment_keys as segment_keys
from heatmap.region.tiling import tile_grid as tile_grid

__all__ = [
    "Engine",
    "RegionLayers",
    "RegionResults",
    "Tile",
    "TileSummary",
    "UnionFind",
    "buildings_frame",
    "compute_with",
    "extract_bbox",
    "owned",
    "owned_geometries",
    "plan_tiles",
    "run_region",
    "run_tile",
    "save_region",
    "segment_keys",
    "tile_grid",
    "write_cog",
]
