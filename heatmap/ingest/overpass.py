"""Download buildings and streets online with osmnx (Overpass for data, Nominatim for places)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import geopandas as gpd
import shapely
from shapely.geometry import Polygon, box

from heatmap.errors import InputError
from heatmap.ingest._osmnx import osmnx_settings, street_tag_settings
from heatmap.ingest.area import BBox, StudyArea, finish_area, validate_bbox
from heatmap.ingest.barriers import BARRIER_TAGS, barrier_frame
from heatmap.ingest.context import CONTEXT_TAGS, area_frame, poi_frame
from heatmap.ingest.osm_xml import buildings_from_features
from heatmap.ingest.streets import empty_streets, streets_from_graph

logger = logging.getLogger(__name__)

__all__ = ["from_bbox", "from_place", "osmnx_settings"]


def _download(
    source: str,
    fetch_features: Any,
    fetch_graph: Any,
    fetch_barriers: Any,
    *,
    crs: Any,
    boundary_wgs84: Polygon | None,
    settings: Mapping[str, Any] | None,
) -> StudyArea:
    import requests
    from osmnx._errors import InsufficientResponseError, ResponseStatusCodeError

    with osmnx_settings(**(street_tag_settings() | dict(settings or {}))):
        try:
            features = fetch_features()
        except InsufficientResponseError as exc:
            msg = f"{source}: no buildings in the study area; choose a larger or different area"
            raise InputError(msg) from exc
        except (requests.RequestException, ResponseStatusCodeError) as exc:
            msg = f"{source}: the OSM service failed ({exc}); check the connection or use a file"
            raise InputError(msg) from exc
        buildings, out_crs = buildings_from_features(features, source=source, crs=crs)
        try:
            G = fetch_graph()
        except InsufficientResponseError:
            G = None
        except (requests.RequestException, ResponseStatusCodeError) as exc:
            msg = f"{source}: the OSM service failed ({exc}); check the connection or use a file"
            raise InputError(msg) from exc
        try:
            raw_barriers = fetch_barriers()
        except InsufficientResponseError:
            raw_barriers = gpd.GeoDataFrame(geometry=[], crs=4326)
        except (requests.RequestException, ResponseStatusCodeError) as exc:
            msg = f"{source}: the OSM service failed ({exc}); check the connection or use a file"
            raise InputError(msg) from exc
    streets = (
        empty_streets(out_crs) if G is None else streets_from_graph(G, source=source, crs=out_crs)
    )
    boundary = None
    if boundary_wgs84 is not None:
        geom = gpd.GeoSeries([boundary_wgs84], crs=4326).to_crs(out_crs).iloc[0]
        boundary = geom if isinstance(geom, Polygon) else shapely.convex_hull(geom)
    flat = features.reset_index()
    return finish_area(
        buildings,
        streets,
        crs=out_crs,
        source=source,
        boundary=boundary,
        landuse=area_frame(flat, out_crs),
        pois=poi_frame(flat, out_crs),
        barriers=barrier_frame(raw_barriers.reset_index(), out_crs),
    )


def from_bbox(
    bbox: BBox,
    *,
    crs: Any = None,
    settings: Mapping[str, Any] | None = None,
) -> StudyArea:
    """Download buildings and streets inside a bounding box from OpenStreetMap (Overpass).

    Parameters
    ----------
    bbox
        West, south, east, north in WGS84 degrees.
    crs
        Output CRS; default BNG in Great Britain, else UTM.
    settings
        ``osmnx.settings`` to use for this call only (e.g. ``{"overpass_url": ...}``).

    Returns
    -------
    area
        The study area; ``boundary`` is the bbox.
    """
    import osmnx as ox

    bbox = validate_bbox(bbox)
    source = "overpass bbox=" + ",".join(f"{v:g}" for v in bbox)
    return _download(
        source,
        lambda: ox.features_from_bbox(bbox, tags=CONTEXT_TAGS),
        lambda: ox.graph_from_bbox(bbox, network_type="all", simplify=False, retain_all=True),
        lambda: ox.features_from_bbox(bbox, tags=BARRIER_TAGS),
        crs=crs,
        boundary_wgs84=box(*bbox),
        settings=settings,
    )


def from_place(
    place: str,
    *,
    crs: Any = None,
    settings: Mapping[str, Any] | None = None,
) -> StudyArea:
    """Download buildings and streets of a named place (Nominatim outline, Overpass data).

    Parameters
    ----------
    place
        A place name Nominatim resolves to a polygon, e.g. ``"Killingworth, UK"``.
    crs
        Output CRS; default BNG in Great Britain, else UTM.
    settings
        ``osmnx.settings`` to use for this call only.

    Returns
    -------
    area
        The study area; ``boundary`` is the place's outline.
    """
    import osmnx as ox
    import requests
    from osmnx._errors import InsufficientResponseError

    source = f"overpass place={place}"
    with osmnx_settings(**dict(settings or {})):
        try:
            outline = ox.geocode_to_gdf(place).union_all()
        except (InsufficientResponseError, TypeError, ValueError) as exc:
            msg = f"place {place!r} was not found as an area; check the name or use a bbox ({exc})"
            raise InputError(msg) from exc
        except requests.RequestException as exc:
            msg = f"{source}: Nominatim failed ({exc}); check the connection or use a file"
            raise InputError(msg) from exc
    return _download(
        source,
        lambda: ox.features_from_polygon(outline, tags=CONTEXT_TAGS),
        lambda: ox.graph_from_polygon(outline, network_type="all", simplify=False, retain_all=True),
        lambda: ox.features_from_polygon(outline, tags=BARRIER_TAGS),
        crs=crs,
        boundary_wgs84=outline,
        settings=settings,
    )
