"""GeoPackage and GeoJSON writers and the re-export of saved results in another CRS.

- ``results.gpkg``: every layer in one GeoPackage (:func:`write_geopackage`,
  :func:`read_results_gpkg`).
- ``route.geojson``: WGS84 (:func:`write_geojson_wgs84`).
- :func:`reexport` re-writes saved results in another CRS (``heatmap export --crs 27700``).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import geopandas as gpd
import pyogrio
from pyproj import CRS

from heatmap._io import atomic_path, check_writable
from heatmap.errors import CRSError, InputError
from heatmap.outputs._plain_values import plain_columns
from heatmap.outputs.shapefile import write_route_shapefile_zip
from heatmap.outputs.tables import write_csv

logger = logging.getLogger(__name__)

__all__ = [
    "GPKG_INDEX_COLUMNS",
    "ROUTE_LAYERS",
    "read_results_gpkg",
    "reexport",
    "write_geojson_wgs84",
    "write_geopackage",
]

GPKG_INDEX_COLUMNS: dict[str, str] = {
    "buildings": "building_id",
    "route": "segment_id",
    "pipes": "segment_id",
    "clusters": "cluster_id",
}
"""Layer -> column restored as the index by :func:`read_results_gpkg` (when present, unique)."""

ROUTE_LAYERS = ("pipes", "route")
"""Layers of ``results.gpkg`` that :func:`reexport` writes as the route, first found wins."""


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
            frame = plain_columns(frame)
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
    frame = plain_columns(frame.to_crs(4326))
    target = Path(path)
    with atomic_path(target, overwrite=overwrite) as tmp:
        pyogrio.write_dataframe(
            frame,
            tmp,
            layer=target.stem,
            driver="GeoJSON",
            layer_options={"RFC7946": "YES", "COORDINATE_PRECISION": 7},
        )
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
    reprojected to ``crs``) and, for the run's route, ``route_shapefile.zip`` (in ``crs``),
    ``route.geojson`` (WGS84, as GeoJSON requires) and ``route.csv``. The route is the run's own:
    the sized ``pipes`` layer (every field of the run's ``route_shapefile.zip``: DN, velocity,
    losses, cost, dig class, street name, ...) when present, else the ``route`` layer.

    Parameters
    ----------
    results_dir
        Folder holding ``results.gpkg``.
    out_dir
        Output folder (created); must differ from ``results_dir``.
    crs
        Target CRS: EPSG code (27700), ``"EPSG:27700"``, WKT or anything pyproj accepts. A
        geographic CRS (degrees) is written with a warning naming British National Grid.
    overwrite
        Replace existing files of the same names in ``out_dir``.

    Returns
    -------
    paths
        The files written.
    """
    src_dir, dst_dir = Path(results_dir), Path(out_dir)
    target_crs = _target_crs(crs)
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
    route_layer = next((n for n in ROUTE_LAYERS if n in reprojected), None)
    targets = [dst_dir / "results.gpkg"]
    if route_layer is not None:
        targets += [dst_dir / n for n in ("route_shapefile.zip", "route.geojson", "route.csv")]
    for t in targets:
        check_writable(t, overwrite=overwrite)
    written = [write_geopackage(reprojected, targets[0], overwrite=overwrite)]
    if route_layer is not None:
        route = reprojected[route_layer]
        written.append(write_route_shapefile_zip(route, targets[1], overwrite=overwrite))
        written.append(write_geojson_wgs84(route, targets[2], overwrite=overwrite))
        written.append(
            write_csv(route.drop(columns=route.geometry.name), targets[3], overwrite=overwrite)
        )
    logger.info(
        "re-exported %d layers to %s in %s", len(reprojected), dst_dir, target_crs.to_string()
    )
    return written


def _target_crs(crs: Any) -> CRS:
    """Parse ``--crs``; warn when it is geographic, naming British National Grid."""
    try:
        target = CRS.from_user_input(crs)
    except Exception as exc:  # pyproj raises CRSError, a plain exception, on bad input
        msg = f"--crs {crs!r}: not a CRS pyproj understands (try an EPSG code such as 27700)"
        raise CRSError(msg) from exc
    if target.is_geographic:
        logger.warning(
            "--crs %s is geographic (%s, degrees): coordinates are latitude/longitude, not metres "
            "a CAD or GIS design team can measure in; for British National Grid use --crs 27700",
            crs,
            target.name,
        )
    return target
