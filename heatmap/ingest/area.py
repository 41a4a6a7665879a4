"""The study area: :class:`StudyArea`, its bounding box, and the choice of its projected CRS.

Rules shared by every reader
----------------------------
- Both frames come out in one projected metric CRS: the user's ``crs`` when given, else
  EPSG:27700 (British National Grid) when the data's centre lies in Great Britain, else the UTM
  zone of the data (``estimate_utm_crs``).
- ``building_id`` is stable: ``"way/123"`` / ``"relation/45"`` for OSM, the given id column or
  ``"<file stem>/<row>"`` for vector files. Reading the same input twice gives the same ids.
- A vector layer without a CRS is refused with a :class:`~heatmap.errors.CRSError` unless
  ``crs`` is given, in which case the layer is taken to be in ``crs``. GeoJSON is read as WGS84
  (RFC 7946); a GeoJSON whose coordinates are not longitude/latitude is refused the same way.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pyproj
import shapely
from shapely.geometry import Polygon, box

from heatmap.errors import CRSError, InputError
from heatmap.ingest.context import attach_context

logger = logging.getLogger(__name__)

__all__ = [
    "BBox",
    "StudyArea",
    "bbox_boundary",
    "check_file",
    "check_lonlat",
    "choose_crs",
    "finish_area",
    "in_great_britain",
    "validate_bbox",
]

BBox = tuple[float, float, float, float]

# Great Britain, coarsely: the EPSG:27700 area of use minus Ireland and the French coast.
_GB_BOX = (-8.75, 49.8, 1.8, 60.9)


@dataclass(frozen=True)
class StudyArea:
    """Buildings and streets of a study area in one projected metric CRS.

    Attributes
    ----------
    buildings
        Footprints (Polygon/MultiPolygon) indexed by ``building_id``, with the columns listed
        in :data:`heatmap.ingest.tags.BUILDING_OUTPUT_COLUMNS`.
    streets
        Noded LineStrings indexed by ``street_id`` with ``highway``, ``name``, ``length_m``.
    crs
        The projected CRS of both frames.
    source
        What was read (a path, ``"overpass place=..."``, ``"overpass bbox=..."``).
    boundary
        Study-area outline in ``crs``: the requested bbox/polygon, else the data's bbox.
    landuse
        Areas that tag a use of land (``area_tag`` such as ``landuse=military`` or
        ``amenity=hospital``, ``area_m2``), see :mod:`heatmap.ingest.context`; None when the
        reader does not provide them.
    pois
        Points of interest (``poi_tag`` such as ``amenity=pub``, ``name``); None when the reader
        does not provide them.
    barriers
        Railways and rivers/canals (:mod:`heatmap.ingest.barriers`) that a main crosses only on
        a bridge or by a trenchless bore; None when the reader does not provide them.
    """

    buildings: gpd.GeoDataFrame
    streets: gpd.GeoDataFrame
    crs: pyproj.CRS
    source: str
    boundary: Polygon
    landuse: gpd.GeoDataFrame | None = None
    pois: gpd.GeoDataFrame | None = None
    barriers: gpd.GeoDataFrame | None = None


# --- helpers ---------------------------------------------------------------------------------
def check_file(path: str | Path, what: str) -> Path:
    """Return ``path`` as a Path, raising InputError unless it is an existing file."""
    path = Path(path)
    if not path.exists():
        msg = f"{what} {path} does not exist; check the path"
        raise InputError(msg)
    if not path.is_file():
        msg = f"{what} {path} is not a file; give the path of a file"
        raise InputError(msg)
    return path


def validate_bbox(bbox: BBox) -> BBox:
    """Check a (west, south, east, north) bounding box in degrees and return it as floats.

    Parameters
    ----------
    bbox
        West, south, east, north in WGS84 degrees.

    Returns
    -------
    bbox
        The same four numbers as floats.

    Raises
    ------
    InputError
        If it is not four numbers, out of range, or empty (west >= east or south >= north).

    Examples
    --------
    >>> validate_bbox(["24.93", 60.16, 24.95, 60.17])
    (24.93, 60.16, 24.95, 60.17)
    >>> validate_bbox((24.95, 60.16, 24.93, 60.17))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    heatmap.errors.InputError: bbox (...): empty; give west < east and south < north ...
    """
    try:
        west, south, east, north = (float(v) for v in bbox)
    except (TypeError, ValueError) as exc:
        msg = f"bbox {bbox!r}: give four numbers west,south,east,north in degrees"
        raise InputError(msg) from exc
    if not (
        -180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= 90 and -90 <= north <= 90
    ):
        msg = f"bbox {bbox!r}: out of range; longitudes must lie in -180..180, latitudes in -90..90"
        raise InputError(msg)
    if west >= east or south >= north:
        msg = f"bbox {bbox!r}: empty; give west < east and south < north (order W,S,E,N)"
        raise InputError(msg)
    return west, south, east, north


def finish_area(
    buildings: gpd.GeoDataFrame,
    streets: gpd.GeoDataFrame,
    *,
    crs: pyproj.CRS,
    source: str,
    boundary: Polygon | None,
    landuse: gpd.GeoDataFrame | None = None,
    pois: gpd.GeoDataFrame | None = None,
    barriers: gpd.GeoDataFrame | None = None,
) -> StudyArea:
    """Check both frames are non-empty and assemble the :class:`StudyArea` (boundary: data bbox)."""
    if buildings.empty:
        msg = f"{source}: no buildings in the study area; choose a larger or different area"
        raise InputError(msg)
    if streets.empty:
        msg = (
            f"{source}: no streets in the study area ({len(buildings)} buildings found); "
            "the input must contain highway ways (or give a streets layer)"
        )
        raise InputError(msg)
    if boundary is None:
        b, s_ = buildings.total_bounds, streets.total_bounds
        boundary = box(min(b[0], s_[0]), min(b[1], s_[1]), max(b[2], s_[2]), max(b[3], s_[3]))
    logger.info(
        "%s: %d buildings, %d street segments in %s",
        source,
        len(buildings),
        len(streets),
        crs.to_string(),
    )
    if landuse is not None or pois is not None:
        buildings = attach_context(buildings, landuse, pois)
    return StudyArea(
        buildings=buildings,
        streets=streets,
        crs=crs,
        source=source,
        boundary=boundary,
        landuse=landuse,
        pois=pois,
        barriers=barriers,
    )


def bbox_boundary(bbox: BBox, crs: pyproj.CRS) -> Polygon:
    """Return a WGS84 (west, south, east, north) box as a polygon in ``crs``."""
    poly = gpd.GeoSeries([box(*bbox)], crs=4326).to_crs(crs).iloc[0]
    return Polygon(poly.exterior)


# --- CRS -------------------------------------------------------------------------------------
def in_great_britain(lon: float, lat: float) -> bool:
    """Return whether a WGS84 point lies (coarsely) in Great Britain.

    The test is the EPSG:27700 area of use trimmed of Ireland and the French coast; islands
    such as Man count as Great Britain, which is harmless for choosing a projection.
    """
    west, south, east, north = _GB_BOX
    if not (west <= lon <= east and south <= lat <= north):
        return False
    if lon > 0.0 and lat < 50.7:  # Normandy coast
        return False
    if lon > 1.0 and lat < 51.0:  # Boulogne, Calais
        return False
    if lon < -5.45 and 51.3 < lat < 55.25:  # Ireland's east coast, Northern Ireland
        return False
    return not (lon < -6.9 and lat < 55.45)  # Donegal and the rest of Ireland


def choose_crs(gdf: gpd.GeoDataFrame, crs: Any = None) -> pyproj.CRS:
    """Choose the projected metric CRS for ``gdf``: the user's, else BNG in GB, else UTM.

    Parameters
    ----------
    gdf
        Any frame with a CRS.
    crs
        User-given CRS (anything :class:`pyproj.CRS` accepts); wins when given.

    Returns
    -------
    crs
        A projected CRS in metres.
    """
    if crs is not None:
        try:
            chosen = pyproj.CRS.from_user_input(crs)
        except pyproj.exceptions.CRSError as exc:
            msg = f"unknown CRS {crs!r}: {exc}; pass an EPSG code such as 'EPSG:27700'"
            raise CRSError(msg) from exc
        if not chosen.is_projected:
            msg = f"CRS {crs!r} is not projected; pass a metric CRS such as 'EPSG:27700'"
            raise CRSError(msg)
        return chosen
    lonlat = gdf.to_crs(4326)
    minx, miny, maxx, maxy = lonlat.total_bounds
    across = maxx - minx > 180.0  # the area spans the antimeridian
    if across:
        xs = shapely.get_coordinates(lonlat.geometry.to_numpy())[:, 0]
        xs = np.where(xs < 0, xs + 360.0, xs)
        minx, maxx = float(xs.min()), float(xs.max())
    lon, lat = (minx + maxx) / 2.0, (miny + maxy) / 2.0
    lon = (lon + 180.0) % 360.0 - 180.0
    if in_great_britain(lon, lat):
        return pyproj.CRS.from_epsg(27700)
    logger.warning(
        "the study area (%.3f, %.3f) lies outside Great Britain: the demand benchmarks, prices "
        "and default weather are British; give a demand layer, a weather file and local prices",
        lon,
        lat,
    )
    if across or abs(lat) > 84.0:
        # no UTM zone (polar, or both sides of the antimeridian): a local transverse Mercator
        return pyproj.CRS.from_proj4(
            f"+proj=tmerc +lat_0={lat:.6f} +lon_0={lon:.6f} +k=1 +x_0=0 +y_0=0 "
            "+ellps=WGS84 +units=m +no_defs"
        )
    return pyproj.CRS(lonlat.estimate_utm_crs())


def check_lonlat(gdf: gpd.GeoDataFrame, path: Path) -> None:
    """Raise CRSError when a frame said to be geographic has coordinates outside lon/lat."""
    if gdf.empty or gdf.crs is None or not gdf.crs.is_geographic:
        return
    minx, miny, maxx, maxy = gdf.total_bounds
    if minx < -180 or maxx > 180 or miny < -90 or maxy > 90:
        msg = (
            f"{path}: the layer claims longitude/latitude (or has no CRS, which GeoJSON reads as "
            f"WGS84) but its coordinates span x {minx:.0f}..{maxx:.0f}, y {miny:.0f}..{maxy:.0f}; "
            "pass the layer's CRS with --crs (e.g. --crs EPSG:27700)"
        )
        raise CRSError(msg)
