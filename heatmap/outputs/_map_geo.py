"""Geometry for the map: projections, WGS84 GeoJSON, bounds, the density raster in Web Mercator."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import shapely
from pyproj import CRS
from rasterio.warp import Resampling, calculate_default_transform, reproject, transform_bounds

from heatmap.errors import CRSError, InputError
from heatmap.outputs.map_params import (
    MapParams,
)

__all__ = [
    "POINTS_PANE",
    "ROUTE_PANE",
    "add_points_pane",
    "bounds_latlon",
    "centre_lonlat",
    "density_parts",
    "density_rgba_3857",
    "require_projected",
    "to_geojson",
    "to_wgs84",
]


POINTS_PANE = "hmPoints"
"""Leaflet pane above the polygons and lines (overlayPane, z 400) so points stay clickable."""


ROUTE_PANE = "hmRoute"
"""Leaflet pane of the route, above buildings and zones (z 450) and below the points."""


def add_points_pane(m: folium.Map) -> None:
    """Create the panes that the route and point layers draw into."""
    folium.map.CustomPane(ROUTE_PANE, z_index=450).add_to(m)
    folium.map.CustomPane(POINTS_PANE, z_index=610).add_to(m)


def require_projected(gdf: gpd.GeoDataFrame, what: str) -> CRS:
    """Return the projected CRS of ``gdf`` or raise CRSError."""
    if gdf.crs is None:
        msg = f"{what}: the layer has no CRS; set it (gdf.set_crs(...)) before rendering"
        raise CRSError(msg)
    crs = CRS.from_user_input(gdf.crs)
    if not crs.is_projected:
        msg = f"{what}: CRS {crs.to_string()} is not projected; reproject to a metric CRS first"
        raise CRSError(msg)
    return crs


def to_wgs84(gdf: gpd.GeoDataFrame, params: MapParams) -> gpd.GeoDataFrame:
    """Simplify in the projected CRS, reproject to EPSG:4326 and round the coordinates."""
    out = gdf[[c for c in gdf.columns if c != gdf.geometry.name] + [gdf.geometry.name]].copy()
    geom = out.geometry
    if params.simplify_tolerance_m > 0 and gdf.crs is not None and CRS(gdf.crs).is_projected:
        geom = geom.simplify(params.simplify_tolerance_m, preserve_topology=True)
    geom = gpd.GeoSeries(geom, crs=gdf.crs).to_crs(4326)
    decimals = params.coordinate_decimals
    rounded = shapely.transform(geom.to_numpy(), lambda xy: np.round(xy, decimals))
    out = out.set_geometry(gpd.GeoSeries(rounded, index=out.index, crs=4326))
    return out[~out.geometry.is_empty & out.geometry.notna()]


def to_geojson(gdf: gpd.GeoDataFrame) -> dict[str, Any]:
    """Return a compact GeoJSON FeatureCollection with integer feature ids."""
    plain = gdf.reset_index(drop=True)
    data: dict[str, Any] = json.loads(plain.to_json(na="null", drop_id=False))
    for i, feature in enumerate(data["features"]):
        feature["id"] = i
    return data


def centre_lonlat(gdf: gpd.GeoDataFrame) -> tuple[float, float]:
    """Centre of the layer's bounds as (lon, lat)."""
    (s, w), (n, e) = bounds_latlon(gdf)
    return (w + e) / 2, (s + n) / 2


def bounds_latlon(gdf: gpd.GeoDataFrame) -> list[list[float]]:
    """[[south, west], [north, east]] of the layer in WGS84."""
    if len(gdf) == 0:
        msg = "buildings: the layer is empty; nothing to map"
        raise InputError(msg)
    w, s, e, n = transform_bounds(CRS(gdf.crs), CRS.from_epsg(4326), *gdf.total_bounds)
    return [[s, w], [n, e]]


def density_rgba_3857(
    arr: np.ndarray,
    transform: Any,
    crs: Any,
    edges: Sequence[float],
    colours: Sequence[str],
) -> tuple[np.ndarray, list[list[float]]]:
    """Warp the raster to Web Mercator and colour it by class; zero/NaN cells transparent.

    Returns the RGBA image (rows north to south) and its [[south, west], [north, east]] bounds.
    """
    src_crs = CRS.from_user_input(crs)
    rows, cols = arr.shape
    left, top = transform.c, transform.f
    right, bottom = left + transform.a * cols, top + transform.e * rows
    dst_crs = CRS.from_epsg(3857)
    dst_transform, width, height = calculate_default_transform(
        src_crs, dst_crs, cols, rows, left=left, bottom=bottom, right=right, top=top
    )
    dst = np.full((int(height), int(width)), np.nan, dtype="float64")
    reproject(
        source=np.where(np.isfinite(arr), arr, np.nan),
        destination=dst,
        src_transform=transform,
        src_crs=src_crs,
        dst_transform=dst_transform,
        dst_crs=dst_crs,
        resampling=Resampling.nearest,
        src_nodata=np.nan,
        dst_nodata=np.nan,
    )
    palette = np.array([_hex_rgba(c) for c in colours], dtype="uint8")
    cls = np.digitize(np.nan_to_num(dst, nan=0.0), np.asarray(edges))
    rgba = palette[np.clip(cls, 0, len(palette) - 1)]
    rgba[~(np.nan_to_num(dst, nan=0.0) > 0), 3] = 0
    w3857 = dst_transform.c
    n3857 = dst_transform.f
    e3857 = w3857 + dst_transform.a * width
    s3857 = n3857 + dst_transform.e * height
    w, s, e, n = transform_bounds(dst_crs, CRS.from_epsg(4326), w3857, s3857, e3857, n3857)
    return rgba, [[s, w], [n, e]]


def _hex_rgba(colour: str) -> tuple[int, int, int, int]:
    c = colour.lstrip("#")
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16), 255


def density_parts(density: Any) -> tuple[np.ndarray, Any, Any]:
    """Return the raster as (array, transform, crs) from a tuple or an object with them."""
    if isinstance(density, tuple | list):
        if len(density) != 3:
            msg = "density: give (array_mwh_per_ha_a, affine_transform, crs)"
            raise InputError(msg)
        array, transform, crs = density
    else:
        try:
            array, transform, crs = density.density_mwh_per_ha_a, density.transform, density.crs
        except AttributeError as exc:
            msg = (
                "density: expected (array, transform, crs) or an object with attributes "
                "density_mwh_per_ha_a, transform and crs"
            )
            raise InputError(msg) from exc
    arr = np.asarray(array, dtype="float64")
    if arr.ndim != 2:
        msg = f"density: the raster must be a 2-D array, got shape {arr.shape}"
        raise InputError(msg)
    return arr, transform, crs
