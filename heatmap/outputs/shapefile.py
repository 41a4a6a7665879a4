"""Route segments as a zipped ESRI Shapefile with documented short (dBASE) field names.

``route_shapefile.zip`` holds ``.shp .shx .dbf .prj .cpg`` with the short field names in
:data:`SHAPEFILE_FIELDS`, plus ``<stem>_fields.csv`` spelling each one out.
"""

from __future__ import annotations

import logging
import os
import tempfile
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from heatmap._io import atomic_path
from heatmap.errors import CRSError, InputError
from heatmap.outputs._plain_values import plain_columns

logger = logging.getLogger(__name__)

__all__ = ["SHAPEFILE_FIELDS", "shapefile_field_names", "write_route_shapefile_zip"]

SHAPEFILE_FIELDS: dict[str, str] = {
    "segment_id": "seg_id",
    "u": "u",
    "v": "v",
    "length_m": "length_m",
    "kind": "kind",
    "highway": "highway",
    "street_id": "street_id",
    "name": "name",
    "cost_class": "dig_basis",
    "dig_class": "dig_class",
    "dig_premium": "dig_prem",
    "n_crossings": "n_cross",
    "crossing_cost_gbp": "cross_gbp",
    "trench_cost_gbp": "trench_gbp",
    "served_heat_mwh_per_a": "heat_mwha",
    "served_peak_kw": "peak_kw",
    "n_downstream": "n_down",
    "lhd_mwh_per_m_a": "lhd_mwhma",
    "low_lhd": "low_lhd",
    "phase": "phase",
    "diversity_factor": "diversity",
    "design_flow_kg_per_s": "flow_kgs",
    "dn": "dn",
    "velocity_m_per_s": "vel_ms",
    "pressure_drop_pa_per_m": "dp_pam",
    "heat_loss_w_per_m": "loss_wm",
    "heat_loss_mwh_per_a": "loss_mwha",
    "capex_gbp": "capex_gbp",
    "design_peak_kw": "dpeak_kw",
    "pipe_id": "pipe_id",
    "material": "material",
    "inner_diameter_mm": "id_mm",
    "cum_pressure_drop_kpa": "cum_dp_kpa",
    "on_index_path": "index_path",
}
"""Route column -> dBASE field name (<= 10 characters) in ``route_shapefile.zip``.

| column | field | unit | meaning |
|---|---|---|---|
| segment_id | seg_id | | route segment id |
| u, v | u, v | | end node ids of the segment in the network graph |
| length_m | length_m | m | trench length |
| kind | kind | | street or service |
| highway | highway | | OSM highway class of the street |
| street_id | street_id | | id of the street the segment runs along |
| name | name | | street name |
| cost_class | dig_basis | | pipe-rate column the trench is priced from: soft or hard |
| dig_class | dig_class | | trench class: major_road, road, footway, soft, structure, ... |
| dig_premium | dig_prem | | share of the hard-over-soft rate the trench pays (0 soft, 1 hard) |
| n_crossings | n_cross | | railways and rivers the street crosses at grade |
| crossing_cost_gbp | cross_gbp | £ | trenchless bores under them |
| trench_cost_gbp | trench_gbp | £ | trench cost of the segment |
| served_heat_mwh_per_a | heat_mwha | MWh/yr | annual heat served downstream |
| served_peak_kw | peak_kw | kW | diversified peak served downstream, f(n) = 0.62 + 0.38/n |
| n_downstream | n_down | | number of loads downstream |
| lhd_mwh_per_m_a | lhd_mwhma | MWh/m/yr | linear heat density |
| low_lhd | low_lhd | 0/1 | 1 where LHD is below the threshold |
| phase | phase | | build phase |
| diversity_factor | diversity | | diversity factor applied to the peak |
| design_flow_kg_per_s | flow_kgs | kg/s | design mass flow |
| dn | dn | mm | nominal pipe diameter |
| velocity_m_per_s | vel_ms | m/s | design velocity |
| pressure_drop_pa_per_m | dp_pam | Pa/m | pressure gradient |
| heat_loss_w_per_m | loss_wm | W/m | heat loss per metre of trench |
| heat_loss_mwh_per_a | loss_mwha | MWh/yr | annual heat loss of the segment |
| capex_gbp | capex_gbp | £ | pipe and trench cost of the segment, before contingency |
| design_peak_kw | dpeak_kw | kW | peak the pipe is sized for |
| pipe_id | pipe_id | | catalogue pipe (series and DN) |
| material | material | | steel (spine) or pex (services) |
| inner_diameter_mm | id_mm | mm | inner diameter |
| cum_pressure_drop_kpa | cum_dp_kpa | kPa | friction loss from the energy centre |
| on_index_path | index_path | 0/1 | 1 on the index (critical) path |

Other columns are shortened to 10 characters (made unique with a numeric suffix); the zip's
``<stem>_fields.csv`` lists every field with its full column name.
"""

_SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")


def shapefile_field_names(columns: list[str]) -> dict[str, str]:
    """Map column names to unique dBASE field names of at most 10 characters.

    Parameters
    ----------
    columns
        Column names, geometry excluded.

    Returns
    -------
    mapping
        Column -> field name; :data:`SHAPEFILE_FIELDS` first, else a truncated, de-duplicated name.

    Examples
    --------
    >>> shapefile_field_names(["lhd_mwh_per_m_a", "customer_ref_a", "customer_ref_b"])
    {'lhd_mwh_per_m_a': 'lhd_mwhma', 'customer_ref_a': 'customer_r', 'customer_ref_b': 'customer_1'}
    """
    out: dict[str, str] = {}
    used: set[str] = set()
    for col in columns:
        name = SHAPEFILE_FIELDS.get(col, str(col)[:10])
        k = 1
        while name.lower() in used:
            suffix = str(k)
            name = str(col)[: 10 - len(suffix)] + suffix
            k += 1
        used.add(name.lower())
        out[col] = name
    return out


def write_route_shapefile_zip(
    route_gdf: gpd.GeoDataFrame, path: str | os.PathLike[str], *, overwrite: bool = False
) -> Path:
    """Write route segments as a zipped ESRI Shapefile with documented short field names.

    Parameters
    ----------
    route_gdf
        Route segments (LineString/MultiLineString) with a CRS.
    path
        Target ``.zip``; the shapefile inside is named after its stem.
    overwrite
        Replace an existing file.

    Returns
    -------
    path
        The written zip holding ``.shp .shx .dbf .prj .cpg`` and ``<stem>_fields.csv``.

    Examples
    --------
    >>> import zipfile
    >>> import pathlib, tempfile
    >>> from shapely import LineString
    >>> seg = gpd.GeoDataFrame(
    ...     {"segment_id": ["s1"], "lhd_mwh_per_m_a": [3.9], "low_lhd": [False]},
    ...     geometry=[LineString([(530000, 180000), (530100, 180000)])], crs="EPSG:27700")
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = write_route_shapefile_zip(seg, pathlib.Path(tmp) / "route.zip")
    ...     names = sorted(zipfile.ZipFile(path).namelist())
    >>> names
    ['route.cpg', 'route.dbf', 'route.prj', 'route.shp', 'route.shx', 'route_fields.csv']
    """
    if route_gdf.crs is None:
        msg = "route: the layer has no CRS; a shapefile without .prj is useless to a design team"
        raise CRSError(msg)
    target = Path(path)
    stem = target.stem
    index_name = route_gdf.index.name
    frame = route_gdf.reset_index(drop=index_name is None or index_name in route_gdf.columns)
    frame = plain_columns(frame)
    for col in frame.columns:
        if col != frame.geometry.name and pd.api.types.is_bool_dtype(frame[col]):
            frame[col] = frame[col].astype("int32")
    columns = [c for c in frame.columns if c != frame.geometry.name]
    names = shapefile_field_names(columns)
    dtypes = [str(frame[c].dtype) for c in columns]
    frame = frame.rename(columns=names)
    with tempfile.TemporaryDirectory(prefix="heatmap-shp-") as tmpdir:
        shp = Path(tmpdir) / f"{stem}.shp"
        pyogrio.write_dataframe(frame, shp, driver="ESRI Shapefile", encoding="UTF-8")
        fields = pd.DataFrame(
            {"field": [names[c] for c in columns], "column": columns, "dtype": dtypes}
        )
        fields_csv = Path(tmpdir) / f"{stem}_fields.csv"
        fields.to_csv(fields_csv, index=False)
        missing = [ext for ext in _SHAPEFILE_PARTS if not shp.with_suffix(ext).exists()]
        if missing:
            msg = f"the shapefile driver did not write {missing} for {target}"
            raise InputError(msg)
        with (
            atomic_path(target, overwrite=overwrite) as tmp,
            zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf,
        ):
            for ext in _SHAPEFILE_PARTS:
                zf.write(shp.with_suffix(ext), arcname=f"{stem}{ext}")
            zf.write(fields_csv, arcname=fields_csv.name)
    logger.info("wrote %s (%d segments)", target, len(route_gdf))
    return target
