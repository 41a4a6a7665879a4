"""Write a region run: GeoParquet and GeoPackage layers, a Cloud-Optimised GeoTIFF, a map."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import rasterio
import rasterio.shutil

from heatmap._io import staged_dir
from heatmap.outputs import maps
from heatmap.outputs.tables import write_json
from heatmap.region.region_layers import buildings_frame
from heatmap.region.run import RegionResults
from heatmap.region.zone_maps import overview_map, resolve_zone_ids, zone_map
from heatmap.zones import density

__all__ = ["save_region", "write_cog"]


def write_cog(raster: density.DensityRaster, path: Path) -> Path:
    """Write the density raster (MWh/ha/yr) as a Cloud-Optimised GeoTIFF with overviews."""
    with tempfile.TemporaryDirectory() as tmp:
        plain = density.write_geotiff(raster, Path(tmp) / "plain.tif")
        with rasterio.open(plain) as src:
            rasterio.shutil.copy(src, path, driver="COG", compress="DEFLATE", overviews="AUTO")
    return path


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Object columns as text, so Parquet and GeoPackage take them whatever they hold."""
    out = frame.copy()
    if out.index.name is not None:
        out = out.reset_index()
    for col in out.columns:
        if col != "geometry" and out[col].dtype in (object, "string"):
            out[col] = out[col].map(lambda v: None if v is None or v is pd.NA else str(v))
    return out


def _write_buildings(results: RegionResults, stage: Path) -> None:
    """Buildings as a GeoParquet dataset (a file per tile) and into the GeoPackage, tile by tile."""
    ddf = buildings_frame(results.layers)
    ddf.to_parquet(stage / "buildings.parquet", write_index=True)
    gpkg = stage / "region.gpkg"
    for i in range(ddf.npartitions):
        part = _plain(ddf.get_partition(i).compute())
        pyogrio.write_dataframe(part, gpkg, layer="buildings", append=i > 0, promote_to_multi=True)


def save_region(
    results: RegionResults,
    out_dir: str | os.PathLike[str],
    *,
    overwrite: bool = False,
    zone_maps: Sequence[str] = (),
) -> list[Path]:
    """Write every output of a region run into ``out_dir``, all or nothing.

    ``summary.json``; ``heat_density.tif`` (Cloud-Optimised GeoTIFF); GeoParquet
    ``buildings.parquet`` (a dataset, a file per tile), ``street_lhd.parquet``,
    ``zones.parquet``, ``candidates.parquet``, ``clusters.parquet`` and
    ``opportunity_areas.parquet``; ``region.gpkg`` with the same layers; ``candidates.csv``; and
    ``map.html`` (density, opportunity areas, zones and candidates with their figures, not
    every building); and ``zone_maps/<zone_id>.html`` for each zone or candidate network id in
    ``zone_maps`` (every building of the zone, its street heat atlas and candidates).

    Raises
    ------
    InputError
        For a ``zone_maps`` id that is neither a zone nor a candidate network of the run.

    Returns
    -------
    paths
        The files written, relative to ``out_dir``.
    """
    layers = results.layers
    zone_ids = resolve_zone_ids(results, zone_maps)
    vector = {
        "street_lhd": layers.street_lhd,
        "zones": layers.zones,
        "candidates": results.candidate_routes,
        "clusters": layers.clusters,
        "opportunity_areas": layers.opportunity_areas,
    }
    with staged_dir(out_dir, overwrite=overwrite) as stage:
        write_json(results.summary, stage / "summary.json")
        if layers.density is not None:
            write_cog(layers.density, stage / "heat_density.tif")
        _write_buildings(results, stage)
        for name, frame in vector.items():
            plain = _plain(frame)
            gpd.GeoDataFrame(plain, geometry="geometry", crs=layers.crs).to_parquet(
                stage / f"{name}.parquet"
            )
            if len(plain):
                pyogrio.write_dataframe(
                    plain, stage / "region.gpkg", layer=name, promote_to_multi=True
                )
        results.candidates.to_csv(stage / "candidates.csv", index=False)
        downloads = ["summary.json", "candidates.csv", "region.gpkg", "heat_density.tif"]
        m = overview_map(results, downloads=[d for d in downloads if (stage / d).is_file()])
        maps.save_map(m, stage / "map.html")
        for zone_id in zone_ids:
            (stage / "zone_maps").mkdir(exist_ok=True)
            maps.save_map(zone_map(results, zone_id), stage / "zone_maps" / f"{zone_id}.html")
        return sorted(p.relative_to(stage) for p in stage.rglob("*") if p.is_file())
