"""Read buildings and streets from vector layers (GeoPackage, shapefile, GeoJSON via pyogrio)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj

from heatmap import schema
from heatmap.errors import CRSError, InputError
from heatmap.ingest.area import StudyArea, check_file, check_lonlat, choose_crs, finish_area
from heatmap.ingest.streets import empty_streets, node_lines, normalise_streets
from heatmap.ingest.tags import normalise_buildings

logger = logging.getLogger(__name__)

__all__ = ["read_vector"]

_VECTOR_SUFFIXES = (".gpkg", ".shp", ".geojson", ".json", ".shp.zip", ".zip")
_BUILDING_ALIASES = {
    schema.BUILDING_TAG: "building",
    schema.HEIGHT_M: "height",
    "building_levels": "building:levels",
    schema.FLOORS: "building:levels",
    "levels": "building:levels",
    "building_min_level": "building:min_level",
    "roof_levels": "roof:levels",
}


def _read_layer(path: Path, *, layer: str | None, what: str, crs: Any) -> gpd.GeoDataFrame:
    """Read one vector layer with pyogrio and make sure it carries a usable CRS."""
    name = path.name.lower()
    if not name.endswith(_VECTOR_SUFFIXES):
        msg = (
            f"{what} {path}: unknown vector file type {path.suffix!r}; give a GeoPackage (.gpkg), "
            "shapefile (.shp) or GeoJSON (.geojson) file"
        )
        raise InputError(msg)
    try:
        gdf = gpd.read_file(path, layer=layer, engine="pyogrio")
    except Exception as exc:
        msg = (
            f"{what} {path}: could not read the layer ({type(exc).__name__}: {exc}); "
            "check the file and the layer name"
        )
        raise InputError(msg) from exc
    if gdf.crs is None:
        if crs is None:
            msg = (
                f"{what} {path}: the layer has no CRS (e.g. a shapefile without .prj); "
                "pass the layer's CRS with --crs (e.g. --crs EPSG:27700)"
            )
            raise CRSError(msg)
        gdf = gdf.set_crs(pyproj.CRS.from_user_input(crs))
    elif crs is not None and gdf.crs.is_geographic and not gdf.empty:
        # GeoJSON without a "crs" member reads as WGS84; coordinates that cannot be lon/lat
        # mean the file has no real CRS, so the one the user gave is the layer's CRS
        minx, miny, maxx, maxy = gdf.total_bounds
        if minx < -180 or maxx > 180 or miny < -90 or maxy > 90:
            logger.warning(
                "%s %s: coordinates are not lon/lat; reading them in the given CRS %s",
                what,
                path,
                crs,
            )
            gdf = gdf.set_crs(pyproj.CRS.from_user_input(crs), allow_override=True)
    check_lonlat(gdf, path)
    return gdf


def read_vector(
    buildings: str | Path,
    streets: str | Path,
    *,
    crs: Any = None,
    building_id_column: str | None = None,
    layer_buildings: str | None = None,
    layer_streets: str | None = None,
) -> StudyArea:
    """Read buildings and streets from vector files (GeoPackage, shapefile, GeoJSON).

    Parameters
    ----------
    buildings
        File of building footprints. OSM-style attribute names are recognised
        (``building``, ``building:levels``, ``height``, ``name``, ``addr:street``, ...), as are
        heatmap's own (``building_tag``, ``height_m``, ``building_levels``).
    streets
        File of street centre lines; ``highway`` and ``name`` columns are used when present
        (``highway`` defaults to ``"road"``). Lines are split where they touch or cross.
    crs
        Output CRS; also the CRS assumed for a layer that has none.
    building_id_column
        Column of unique building ids; default a ``building_id`` column if present, else
        ``"<file stem>/<row>"``.
    layer_buildings, layer_streets
        Layer names inside multi-layer files (GeoPackage).

    Returns
    -------
    area
        The study area.

    Examples
    --------
    Two OSM-tagged footprints and a street in London, written as GeoJSON and read back:

    >>> import pathlib, tempfile
    >>> import geopandas as gpd
    >>> from shapely.geometry import LineString, box
    >>> x, y = 530_000, 180_000
    >>> b = gpd.GeoDataFrame({"building": ["house", "office"], "building:levels": [2, 4]},
    ...                      geometry=[box(x, y + 10, x + 10, y + 18),
    ...                                box(x + 20, y + 10, x + 45, y + 20)], crs="EPSG:27700")
    >>> s = gpd.GeoDataFrame({"highway": ["residential"]},
    ...                      geometry=[LineString([(x - 10, y), (x + 60, y)])], crs="EPSG:27700")
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = b.to_file(pathlib.Path(tmp) / "buildings.geojson")
    ...     _ = s.to_file(pathlib.Path(tmp) / "streets.geojson")
    ...     area = read_vector(pathlib.Path(tmp) / "buildings.geojson",
    ...                        pathlib.Path(tmp) / "streets.geojson")
    >>> area.crs.to_epsg()
    27700
    >>> cols = ["building_tag", "building_levels", "footprint_area_m2"]
    >>> print(area.buildings[cols].to_string())  # doctest: +NORMALIZE_WHITESPACE
                building_tag  building_levels  footprint_area_m2
    building_id
    buildings/0        house              2.0               80.0
    buildings/1       office              4.0              250.0
    """
    b_path = check_file(buildings, "buildings file")
    s_path = check_file(streets, "streets file")
    raw_b = _read_layer(b_path, layer=layer_buildings, what="buildings file", crs=crs)
    raw_s = _read_layer(s_path, layer=layer_streets, what="streets file", crs=crs)
    source = str(b_path)
    if raw_b.empty:
        msg = f"{b_path}: the buildings layer is empty; give a layer with building footprints"
        raise InputError(msg)
    id_col = building_id_column
    if id_col is None and schema.BUILDING_ID in raw_b.columns:
        id_col = schema.BUILDING_ID
    if id_col is not None:
        if id_col not in raw_b.columns:
            msg = (
                f"{b_path}: no column {id_col!r}; columns are {', '.join(map(str, raw_b.columns))}"
            )
            raise InputError(msg)
        if raw_b[id_col].isna().any():
            msg = f"{b_path}: column {id_col!r} has missing ids; fill them or omit the id column"
            raise InputError(msg)
        ids = raw_b[id_col].astype(str)
    else:
        ids = (
            b_path.name.split(".")[0]
            + "/"
            + pd.Series(np.arange(len(raw_b)), index=raw_b.index).astype(str)
        )
    attrs = pd.DataFrame(raw_b.drop(columns="geometry"))
    for ours, osm_key in _BUILDING_ALIASES.items():
        if ours in attrs.columns and osm_key not in attrs.columns:
            attrs = attrs.rename(columns={ours: osm_key})
    out_crs = choose_crs(raw_b, crs)
    b_frame = normalise_buildings(raw_b.geometry, attrs, ids, source=source, crs=out_crs)

    if raw_s.empty:
        s_frame = empty_streets(out_crs)
    else:
        projected = raw_s.to_crs(out_crs)
        pieces, src, part = node_lines(projected)
        stem = s_path.name.split(".")[0]
        highway = (
            raw_s["highway"].fillna("road")
            if "highway" in raw_s.columns
            else pd.Series("road", index=raw_s.index)
        )
        name = raw_s["name"] if "name" in raw_s.columns else pd.Series(None, index=raw_s.index)
        sid = pd.Series([f"{stem}/{s}/{p}" for s, p in zip(src, part, strict=True)])
        s_frame = normalise_streets(
            pieces,
            highway.iloc[src].reset_index(drop=True),
            name.iloc[src].reset_index(drop=True),
            sid,
            source=str(s_path),
            crs=out_crs,
            tags=pd.DataFrame(raw_s.drop(columns="geometry")).iloc[src].reset_index(drop=True),
        )
    return finish_area(b_frame, s_frame, crs=out_crs, source=source, boundary=None)
