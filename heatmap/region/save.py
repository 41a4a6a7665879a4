"""Write a region run: GeoParquet and GeoPackage layers, a Cloud-Optimised GeoTIFF, a map."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd
import rasterio
import rasterio.shutil

from heatmap._io import staged_dir
from heatmap.outputs import maps
from heatmap.outputs.gis import write_geopackage
from heatmap.outputs.map_params import MapParams
from heatmap.outputs.tables import write_json
from heatmap.region.run import RegionResults
from heatmap.zones import density

__all__ = ["save_region", "write_cog"]


def write_cog(raster: density.DensityRaster, path: Path) -> Path:
    """Write the density raster (MWh/ha/yr) as a Cloud-Optimised GeoTIFF with overviews."""
    with tempfile.TemporaryDirectory() as tmp:
        plain = density.write_geotiff(raster, Path(tmp) / "plain.tif")
        with rasterio.open(plain) as src:
            rasterio.shutil.copy(src, path, driver="COG", compress="DEFLATE", overviews="AUTO")
    return path


def _plain_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """Object columns as text, so Parquet and GeoPackage take them whatever they hold."""
    out = frame.copy()
    for col in out.columns:
        if col != "geometry" and out[col].dtype == object:
            out[col] = out[col].map(lambda v: None if v is None else str(v))
    return out


def save_region(
    results: RegionResults, out_dir: str | os.PathLike[str], *, overwrite: bool = False
) -> list[Path]:
    """Write every output of a region run into ``out_dir``, all or nothing.

    ``buildings.parquet`` (GeoParquet), ``region.gpkg`` (layers ``buildings`` and
    ``opportunity_areas``), ``heat_density.tif`` (Cloud-Optimised GeoTIFF), ``summary.json`` and
    ``map.html`` (density, opportunity areas, demand per 100 m cell, not every building).

    Returns
    -------
    paths
        The files written, relative to ``out_dir``.
    """
    buildings = _plain_columns(results.buildings)
    areas = _plain_columns(results.opportunity_areas)
    with staged_dir(out_dir, overwrite=overwrite) as stage:
        buildings.to_parquet(stage / "buildings.parquet")
        write_geopackage(
            {"buildings": buildings, "opportunity_areas": areas}, stage / "region.gpkg"
        )
        write_cog(results.density, stage / "heat_density.tif")
        write_json(results.summary, stage / "summary.json")
        m = maps.render_map(
            buildings=results.buildings,
            density=results.density,
            opportunity_areas=results.opportunity_areas,
            title=f"heatmap region: {results.scenario.name}",
            params=MapParams(max_building_polygons=0, max_embedded_polygons=0),
        )
        maps.save_map(m, stage / "map.html")
        return sorted(p.relative_to(stage) for p in stage.rglob("*") if p.is_file())
