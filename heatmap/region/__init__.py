"""Region runs: a region in tiles on dask (local cores or a cluster), merged into one heat map.

Modules: :mod:`.tiling` (tiles and ownership), :mod:`.engine` (where the tasks run),
:mod:`.run` (tile tasks and the merge) and :mod:`.save` (GeoParquet, GeoPackage, COG, map).
"""

from __future__ import annotations

from heatmap.region import engine as engine
from heatmap.region import run as run
from heatmap.region import save as save
from heatmap.region import tiling as tiling
from heatmap.region.engine import compute_with as compute_with
from heatmap.region.run import RegionResults as RegionResults
from heatmap.region.run import run_region as run_region
from heatmap.region.run import tile_buildings as tile_buildings
from heatmap.region.save import save_region as save_region
from heatmap.region.save import write_cog as write_cog
from heatmap.region.tiling import Tile as Tile
from heatmap.region.tiling import owned as owned
from heatmap.region.tiling import tile_grid as tile_grid

__all__ = [
    "RegionResults",
    "Tile",
    "compute_with",
    "engine",
    "owned",
    "run",
    "run_region",
    "save",
    "save_region",
    "tile_buildings",
    "tile_grid",
    "tiling",
    "write_cog",
]
