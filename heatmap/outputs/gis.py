"""Writers for the design-team and planner outputs (DESIGN §6), all atomic and overwrite-safe.

- ``route_shapefile.zip``: route segments as ESRI Shapefile (.shp .shx .dbf .prj .cpg) with the
  short field names in :data:`SHAPEFILE_FIELDS`, plus ``<stem>_fields.csv`` spelling each one out.
- ``results.gpkg``: every layer in one GeoPackage (:func:`write_geopackage`,
  :func:`read_results_gpkg`).
- ``route.geojson``: WGS84 (:func:`write_geojson_wgs84`).
- CSV and JSON (numpy types converted, NaN written as ``null``).
- :func:`reexport` re-writes saved results in another CRS (``heatmap export --crs 27700``).
"""

from __future__ import annotations

import enum
import json
import logging
import os
import tempfile
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
from pyproj import CRS

from heatmap.errors import CRSError, InputError
from heatmap._io import atomic_path, check_writable
from heatmap._json import jsonable

if TYPE_CHECKING:
    from heatmap.pipeline.runner import Results

logger = logging.getLogger(__name__)

__all__ = [
    "GPKG_INDEX_COLUMNS",
    "SHAPEFILE_FIELDS",
    "read_results_gpkg",
    "reexport",
    "save_results",
    "shapefile_field_names",
    "write_csv",
    "write_geojson_wgs84",
    "write_geopackage",
    "write_json",
    "write_route_shapefile_zip",
]

SHAPEFILE_FIELDS: dict[str, str] = {
    "segment_id": "seg_id",
    "u": "u",
    "v": "v",
    "length_m": "length_m",
    "kind": "kind",
    "highway": "highway",
    "street_id": "street_id",
    "name": "name",
    "cost_class": "dig_class",
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
| cost_class | dig_class | | soft or hard dig |
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

GPKG_INDEX_COLUMNS: dict[str, str] = {
    "buildings": "building_id",
    "route": "segment_id",
    "pipes": "segment_id",
    "clusters": "cluster_id",
}
"""Layer -> column restored as the index by :func:`read_results_gpkg` (when present, unique)."""

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


def _plain_columns(gdf: pd.DataFrame) -> pd.DataFrame:
    """Copy with non-scalar values (dicts, lists, enums) turned into JSON/strings for OGR."""
    out = gdf.copy()
    geom_name = out.geometry.name if isinstance(out, gpd.GeoDataFrame) else None
    for col in out.columns:
        if col == geom_name:
            continue
        series = out[col]
        if isinstance(series.dtype, pd.CategoricalDtype):
            out[col] = series.astype(object).where(series.notna(), None)
            series = out[col]
        if series.dtype == object:
            out[col] = series.map(_plain_value)
    return out


def _plain_value(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dict | list | tuple | set):
        return json.dumps(jsonable(value), ensure_ascii=False)
    if isinstance(value, np.generic):
        return value.item()
    return value


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
    frame = _plain_columns(frame)
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


def write_geopackage(
    layers: Mapping[str, gpd.GeoDataFrame],
    path: str | os.PathLike[str],
    *,
    overwrite: bool = False,
) -> Path:
    """Write several layers into one GeoPackage, atomically.

    Parameters
    ----------
    layers
        Layer name -> GeoDataFrame. Named indexes are kept as columns; dict/list values are
        stored as JSON text. Each layer keeps its own CRS.
    path
        Target ``.gpkg``.
    overwrite
        Replace an existing file.

    Returns
    -------
    path
        The written GeoPackage.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from shapely import LineString
    >>> seg = gpd.GeoDataFrame(
    ...     {"segment_id": ["s1"], "lhd_mwh_per_m_a": [3.9], "low_lhd": [False]},
    ...     geometry=[LineString([(530000, 180000), (530100, 180000)])], crs="EPSG:27700")
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = write_geopackage({"route": seg.set_index("segment_id")},
    ...                             pathlib.Path(tmp) / "results.gpkg")
    ...     back = read_results_gpkg(path)
    >>> list(back), back["route"].index.name  # the named index comes back
    (['route'], 'segment_id')
    """
    if not layers:
        msg = f"{path}: no layers to write"
        raise InputError(msg)
    target = Path(path)
    with atomic_path(target, overwrite=overwrite) as tmp:
        for name, gdf in layers.items():
            if not isinstance(gdf, gpd.GeoDataFrame):
                msg = f"layer {name!r}: expected a GeoDataFrame, got {type(gdf).__name__}"
                raise InputError(msg)
            frame = gdf
            if gdf.index.name is not None and gdf.index.name not in gdf.columns:
                frame = gdf.reset_index()
            else:
                frame = gdf.reset_index(drop=True)
            frame = _plain_columns(frame)
            pyogrio.write_dataframe(frame, tmp, layer=name, driver="GPKG", append=tmp.exists())
    logger.info("wrote %s (layers %s)", target, ", ".join(layers))
    return target


def read_results_gpkg(path: str | os.PathLike[str]) -> dict[str, gpd.GeoDataFrame]:
    """Read every layer of a results GeoPackage.

    Parameters
    ----------
    path
        A GeoPackage written by :func:`write_geopackage`.

    Returns
    -------
    layers
        Layer name -> GeoDataFrame, with the index restored from :data:`GPKG_INDEX_COLUMNS`.

    Examples
    --------
    See :func:`write_geopackage`; a missing file says what was expected:

    >>> read_results_gpkg("no-such-dir/results.gpkg")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    heatmap.errors.InputError: no-such-dir/results.gpkg: no such GeoPackage (expected ...)
    """
    source = Path(path)
    if not source.is_file():
        msg = f"{source}: no such GeoPackage (expected results.gpkg from `heatmap run`)"
        raise InputError(msg)
    out: dict[str, gpd.GeoDataFrame] = {}
    for name, _geom_type in pyogrio.list_layers(source):
        gdf = pyogrio.read_dataframe(source, layer=name)
        if not isinstance(gdf, gpd.GeoDataFrame):
            continue
        index_col = GPKG_INDEX_COLUMNS.get(str(name))
        if index_col and index_col in gdf.columns and gdf[index_col].is_unique:
            gdf = gdf.set_index(index_col)
        out[str(name)] = gdf
    return out


def write_geojson_wgs84(
    gdf: gpd.GeoDataFrame, path: str | os.PathLike[str], *, overwrite: bool = False
) -> Path:
    """Write ``gdf`` as GeoJSON in EPSG:4326 (RFC 7946), coordinates to 7 decimals (~1 cm).

    Parameters
    ----------
    gdf
        Any layer with a CRS.
    path
        Target ``.geojson``.
    overwrite
        Replace an existing file.

    Returns
    -------
    path
        The written file.

    Examples
    --------
    >>> import json
    >>> import pathlib, tempfile
    >>> from shapely import LineString
    >>> seg = gpd.GeoDataFrame(
    ...     {"segment_id": ["s1"], "lhd_mwh_per_m_a": [3.9], "low_lhd": [False]},
    ...     geometry=[LineString([(530000, 180000), (530100, 180000)])], crs="EPSG:27700")
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = write_geojson_wgs84(seg, pathlib.Path(tmp) / "route.geojson")
    ...     feature = json.loads(path.read_text())["features"][0]
    >>> [[round(c, 3) for c in xy] for xy in feature["geometry"]["coordinates"]]  # lon, lat
    [[-0.128, 51.504], [-0.127, 51.504]]
    >>> feature["properties"]
    {'segment_id': 's1', 'lhd_mwh_per_m_a': 3.9, 'low_lhd': False}
    """
    if gdf.crs is None:
        msg = f"{path}: the layer has no CRS, so it cannot be reprojected to WGS84"
        raise CRSError(msg)
    frame = gdf.reset_index() if gdf.index.name and gdf.index.name not in gdf.columns else gdf
    frame = _plain_columns(frame.to_crs(4326))
    target = Path(path)
    with atomic_path(target, overwrite=overwrite) as tmp:
        pyogrio.write_dataframe(
            frame,
            tmp,
            driver="GeoJSON",
            layer_options={"RFC7946": "YES", "COORDINATE_PRECISION": 7},
        )
    return target


def write_csv(df: pd.DataFrame, path: str | os.PathLike[str], *, overwrite: bool = False) -> Path:
    """Write a table as UTF-8 CSV; a named index becomes the first column, geometry becomes WKT.

    Parameters
    ----------
    df
        Table (GeoDataFrames allowed).
    path
        Target ``.csv``.
    overwrite
        Replace an existing file.

    Returns
    -------
    path
        The written file.

    Raises
    ------
    OutputExistsError
        If the file exists and ``overwrite`` is False.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> pipes = pd.DataFrame({"dn": [100, 80], "length_m": [200.0, 35.5]},
    ...                      index=pd.Index(["a", "b"], name="segment_id"))
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = write_csv(pipes, pathlib.Path(tmp) / "pipes.csv")
    ...     print(path.read_text(), end="")
    ...     try:
    ...         write_csv(pipes, path)
    ...     except FileExistsError as exc:  # OutputExistsError
    ...         print(type(exc).__name__)
    segment_id,dn,length_m
    a,100,200.0
    b,80,35.5
    OutputExistsError
    """
    frame = pd.DataFrame(df.copy())
    if isinstance(df, gpd.GeoDataFrame):
        geom = df.geometry.name
        frame[geom] = df.geometry.to_wkt()
    frame = _plain_columns(frame)
    target = Path(path)
    with atomic_path(target, overwrite=overwrite) as tmp:
        frame.to_csv(tmp, index=df.index.name is not None, encoding="utf-8")
    return target


def write_json(obj: Any, path: str | os.PathLike[str], *, overwrite: bool = False) -> Path:
    """Write ``obj`` as indented UTF-8 JSON; numpy scalars/arrays converted, NaN/inf -> null.

    Parameters
    ----------
    obj
        Mappings, sequences, numbers, strings, enums, dataclasses, numpy and pandas scalars.
    path
        Target ``.json``.
    overwrite
        Replace an existing file.

    Returns
    -------
    path
        The written file.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     p = write_json({"a": np.float64("nan"), "b": np.int64(3)},
    ...                    pathlib.Path(tmp) / "s.json")
    ...     text = p.read_text()
    >>> text.replace("\\n", "").replace(" ", "")
    '{"a":null,"b":3}'
    """
    text = json.dumps(jsonable(obj), indent=2, ensure_ascii=False, allow_nan=False)
    target = Path(path)
    with atomic_path(target, overwrite=overwrite) as tmp:
        tmp.write_text(text + "\n", encoding="utf-8")
    return target


def reexport(
    results_dir: str | os.PathLike[str],
    out_dir: str | os.PathLike[str],
    *,
    crs: Any,
    overwrite: bool = False,
) -> list[Path]:
    """Re-write saved results in another CRS for a design team.

    Reads ``results_dir/results.gpkg`` and writes into ``out_dir``: ``results.gpkg`` (every layer
    reprojected to ``crs``), and when a ``route`` layer exists, ``route_shapefile.zip`` (in
    ``crs``), ``route.geojson`` (WGS84, as GeoJSON requires) and ``route.csv``.

    Parameters
    ----------
    results_dir
        Folder holding ``results.gpkg``.
    out_dir
        Output folder (created); must differ from ``results_dir``.
    crs
        Target CRS: EPSG code (27700), ``"EPSG:27700"``, WKT or anything pyproj accepts.
    overwrite
        Replace existing files of the same names in ``out_dir``.

    Returns
    -------
    paths
        The files written.
    """
    src_dir, dst_dir = Path(results_dir), Path(out_dir)
    try:
        target_crs = CRS.from_user_input(crs)
    except Exception as exc:  # pyproj raises CRSError, a plain exception, on bad input
        msg = f"--crs {crs!r}: not a CRS pyproj understands (try an EPSG code such as 27700)"
        raise CRSError(msg) from exc
    if dst_dir.resolve() == src_dir.resolve():
        msg = f"--out {dst_dir}: choose a folder other than the results folder"
        raise InputError(msg)
    layers = read_results_gpkg(src_dir / "results.gpkg")
    reprojected: dict[str, gpd.GeoDataFrame] = {}
    for name, gdf in layers.items():
        if gdf.crs is None:
            msg = f"results.gpkg layer {name!r} has no CRS; cannot reproject it"
            raise CRSError(msg)
        reprojected[name] = gdf.to_crs(target_crs)
    targets = [dst_dir / "results.gpkg"]
    if "route" in reprojected:
        targets += [dst_dir / n for n in ("route_shapefile.zip", "route.geojson", "route.csv")]
    for t in targets:
        check_writable(t, overwrite=overwrite)
    written = [write_geopackage(reprojected, targets[0], overwrite=overwrite)]
    if "route" in reprojected:
        route = reprojected["route"]
        written.append(write_route_shapefile_zip(route, targets[1], overwrite=overwrite))
        written.append(write_geojson_wgs84(route, targets[2], overwrite=overwrite))
        written.append(
            write_csv(route.drop(columns=route.geometry.name), targets[3], overwrite=overwrite)
        )
    logger.info(
        "re-exported %d layers to %s in %s", len(reprojected), dst_dir, target_crs.to_string()
    )
    return written


# --- a whole run -------------------------------------------------------------------------------
def _layers_of(results: Results) -> dict[str, gpd.GeoDataFrame]:
    from heatmap.routing import route as route_stage

    layers: dict[str, gpd.GeoDataFrame] = {
        "buildings": results.buildings,
        "clusters": results.clusters,
        "opportunity_areas": results.opportunity_areas,
        "route": route_stage.route_to_gdf(results.route),
        "pipes": results.pipes,
        "terminals": results.terminals(),
        "streets": results.area.streets,
    }
    if len(results.existing_networks):
        layers["existing_networks"] = results.existing_networks
    return layers


def save_results(
    results: Results, out_dir: str | os.PathLike[str], *, overwrite: bool = False
) -> list[Path]:
    """Write every output of a run into ``out_dir`` (DESIGN §6), all or nothing.

    Parameters
    ----------
    results
        From :func:`heatmap.pipeline.runner.run`.
    out_dir
        Output folder. Everything is written into a hidden staging folder beside it and moved
        into place only when complete, so a failure leaves no partial folder.
    overwrite
        Replace an existing, non-empty ``out_dir``.

    Returns
    -------
    paths
        The files written, relative to ``out_dir``.
    """
    from heatmap.zones import density as density_stage
    from heatmap import plant as dispatch_stage
    from heatmap.outputs import economics_figures, plant_figures
    from heatmap.economics import appraisal as economics_stage
    from heatmap.outputs import maps as render
    from heatmap.routing import route as route_stage
    from heatmap._io import staged_dir

    layers = _layers_of(results)
    pipes = results.pipes
    figures = Path("figures")
    econ = results.economics
    with staged_dir(out_dir, overwrite=overwrite) as stage:
        m = render.render_map(
            buildings=results.buildings,
            route=pipes,
            density=results.density,
            opportunity_areas=results.opportunity_areas,
            clusters=results.clusters,
            existing_networks=results.existing_networks,
            energy_centre=results.energy_centre.point,
            streets=results.area.streets,
            title=f"heatmap: {results.scenario.name}",
        )
        render.save_map(m, stage / "map.html")
        write_geopackage(layers, stage / "results.gpkg")
        write_route_shapefile_zip(pipes, stage / "route_shapefile.zip")
        write_geojson_wgs84(pipes, stage / "route.geojson")
        density_stage.write_geotiff(results.density, stage / "heat_density.tif")
        write_json(results.summary, stage / "summary.json")
        write_csv(econ.cashflow, stage / "cashflow.csv")
        economics_stage.write_tem_xlsx(econ, stage / "tem.xlsx")
        dispatch_stage.write_dispatch_csv(results.dispatch, stage / "dispatch.csv")
        tables = {
            "capex_lines.csv": results.cost.lines,
            "capex_table50.csv": _table50(results),
            "dn_table.csv": results.sizing.dn_table,
            "phase_summary.csv": route_stage.phase_summary(results.route).reset_index(),
            "grant_tests.csv": econ.grant_tests,
            "sensitivities.csv": econ.sensitivities,
            "energy_centre_alternatives.csv": results.energy_centre.alternatives,
            "plant_sizing_sweep.csv": results.plant_sweep.table,
            "anchor_loads.csv": pd.DataFrame(results.anchor_loads.drop(columns="geometry")),
        }
        if results.phases is not None:
            tables["phases.csv"] = results.phases
        for name, table in tables.items():
            write_csv(table, stage / name)
        (stage / figures).mkdir()
        plant_figures.plot_load_duration(results.dispatch, stage / figures / "load_duration.png")
        plant_figures.plot_typical_days(results.dispatch, stage / figures / "typical_days.png")
        plant_figures.plot_annual_profile(results.dispatch, stage / figures / "energy_balance.png")
        plant_figures.plot_sweep(results.plant_sweep, stage / figures / "plant_sizing_sweep.png")
        economics_figures.plot_cashflow(econ, stage / figures / "cashflow.png")
        economics_figures.plot_tornado(econ.sensitivities, stage / figures / "sensitivity.png")
        render.plot_heat_density(
            results.density, stage / figures / "heat_density.png", buildings=results.buildings
        )
        render.plot_route_lhd(pipes, results.buildings, stage / figures / "route_lhd.png")
        written = sorted(p.relative_to(stage) for p in stage.rglob("*") if p.is_file())
    logger.info("wrote %d files to %s", len(written), out_dir)
    return written


def _table50(results: Results) -> pd.DataFrame:
    from heatmap.design import costing

    return costing.table50(results.cost)
