"""Write a region run: GeoParquet and GeoPackage layers, a Cloud-Optimised GeoTIFF, a map."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import folium
import geopandas as gpd
import pandas as pd
import pyogrio
import rasterio
import rasterio.shutil

from heatmap import schema
from heatmap._io import staged_dir
from heatmap.outputs import maps
from heatmap.outputs.map_params import MapParams
from heatmap.outputs.tables import write_json
from heatmap.region.region_layers import buildings_frame
from heatmap.region.run import RegionResults
from heatmap.region.tile_task import layer_path
from heatmap.zones import density

__all__ = ["save_region", "write_cog"]

ZONE_TOOLTIP = (
    ("zone_id", "Zone"),
    ("rule", "Rule met"),
    ("passes", "Passes"),
    (schema.HEAT_DEMAND_MWH_PER_A, "Heat, MWh/a"),
    ("street_length_m", "Street length, m"),
    (schema.LHD_MWH_PER_M_A, "LHD, MWh/m/a"),
    ("n_buildings", "Buildings"),
    ("n_anchors", "Anchor loads"),
    ("reason", "Falls short"),
)


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


def _zones_layer(m: folium.Map, zones: gpd.GeoDataFrame) -> None:
    """The zones with their figures (a tooltip on each)."""
    if zones.empty:
        return
    frame = zones.reset_index()[[c for c, _ in ZONE_TOOLTIP] + ["geometry"]].to_crs(4326)
    for col in (schema.HEAT_DEMAND_MWH_PER_A, "street_length_m"):
        frame[col] = frame[col].round(0)
    frame[schema.LHD_MWH_PER_M_A] = frame[schema.LHD_MWH_PER_M_A].round(2)
    frame["passes"] = frame["passes"].map({True: "yes", False: "no"})
    folium.GeoJson(
        frame,
        name="Candidate zones (streets)",
        style_function=lambda f: {
            "color": "#7a0177" if f["properties"]["passes"] == "yes" else "#999999",
            "weight": 4,
            "opacity": 0.85,
        },
        tooltip=folium.GeoJsonTooltip(
            fields=[c for c, _ in ZONE_TOOLTIP], aliases=[a for _, a in ZONE_TOOLTIP]
        ),
    ).add_to(m)


MAP_BUILDINGS = 5000
"""The region map shows at most this many buildings: the anchor loads, largest first."""


def _map_buildings(results: RegionResults) -> gpd.GeoDataFrame:
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


def _write_buildings(results: RegionResults, stage: Path) -> None:
    """Buildings as a GeoParquet dataset (a file per tile) and into the GeoPackage, tile by tile."""
    ddf = buildings_frame(results.layers)
    ddf.to_parquet(stage / "buildings.parquet", write_index=True)
    gpkg = stage / "region.gpkg"
    for i in range(ddf.npartitions):
        part = _plain(ddf.get_partition(i).compute())
        pyogrio.write_dataframe(part, gpkg, layer="buildings", append=i > 0, promote_to_multi=True)


def save_region(
    results: RegionResults, out_dir: str | os.PathLike[str], *, overwrite: bool = False
) -> list[Path]:
    """Write every output of a region run into ``out_dir``, all or nothing.

    ``summary.json``; ``heat_density.tif`` (Cloud-Optimised GeoTIFF); GeoParquet
    ``buildings.parquet`` (a dataset, a file per tile), ``street_lhd.parquet``,
    ``zones.parquet``, ``candidates.parquet``, ``clusters.parquet`` and
    ``opportunity_areas.parquet``; ``region.gpkg`` with the same layers; ``candidates.csv``; and
    ``map.html`` (density, opportunity areas, zones and candidates with their figures, not
    every building).

    Returns
    -------
    paths
        The files written, relative to ``out_dir``.
    """
    layers = results.layers
    zone_streets = layers.street_lhd[layers.street_lhd["zone_id"] != ""]
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
        m = maps.render_map(
            buildings=_map_buildings(results),
            density=layers.density,
            opportunity_areas=layers.opportunity_areas,
            street_lhd=zone_streets,
            candidates=results.candidate_routes if len(results.candidate_routes) else None,
            title=f"heatmap region: {results.scenario.name}",
            params=MapParams(max_building_polygons=0, max_embedded_polygons=0),
        )
        _zones_layer(m, layers.zones)
        maps.save_map(m, stage / "map.html")
        return sorted(p.relative_to(stage) for p in stage.rglob("*") if p.is_file())
