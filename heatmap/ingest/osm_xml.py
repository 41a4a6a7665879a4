"""Read OpenStreetMap XML files (``.osm``, ``.osm.xml``, optionally compressed) with osmnx."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import geopandas as gpd
import pyproj
from shapely.geometry import box

from heatmap.errors import InputError
from heatmap.ingest._osmnx import osmnx_settings, street_tag_settings
from heatmap.ingest.area import BBox, StudyArea, bbox_boundary, choose_crs, finish_area
from heatmap.ingest.barriers import BARRIER_TAGS, barrier_frame
from heatmap.ingest.context import CONTEXT_TAGS, area_frame, poi_frame
from heatmap.ingest.streets import empty_streets, streets_from_graph
from heatmap.ingest.tags import normalise_buildings
from heatmap.ingest.xml_guard import guarded_xml

logger = logging.getLogger(__name__)

__all__ = ["DEFAULT_MAX_INPUT_MB", "XML_SUFFIXES", "buildings_from_features", "read_osm_xml"]

DEFAULT_MAX_INPUT_MB = 4096.0
"""Largest OSM XML accepted once decompressed, MB (``[area] max_input_mb``)."""

XML_SUFFIXES = (".osm", ".osm.xml", ".xml", ".osm.bz2", ".osm.gz", ".osm.xml.bz2", ".osm.xml.gz")


def buildings_from_features(
    features: gpd.GeoDataFrame,
    *,
    source: str,
    crs: Any,
) -> tuple[gpd.GeoDataFrame, pyproj.CRS]:
    """Turn an osmnx features frame (index element, id) into the standard buildings frame."""
    feats = features.reset_index()
    if "building" in feats.columns:
        feats = feats[feats["building"].notna()]
    if feats.empty:
        msg = f"{source}: no buildings in the study area; choose a larger or different area"
        raise InputError(msg)
    ids = feats["element"].astype(str) + "/" + feats["id"].astype("int64").astype(str)
    tag_cols = [c for c in feats.columns if c not in {"element", "id", "geometry", "nodes", "ways"}]
    out_crs = choose_crs(feats, crs)
    buildings = normalise_buildings(
        feats.geometry, feats[tag_cols], ids, source=source, crs=out_crs
    )
    return buildings, out_crs


def read_osm_xml(
    path: Path, *, crs: Any, bbox: BBox | None, max_input_mb: float = DEFAULT_MAX_INPUT_MB
) -> StudyArea:
    """Read buildings and streets from an OSM XML file (see :func:`heatmap.ingest.osm.read_osm`).

    The file is checked first (:func:`heatmap.ingest.xml_guard.guarded_xml`): too large once
    decompressed or holding an overlong value, it is refused; ways referring to nodes missing
    from a clipped extract are dropped with a warning.
    """
    clean, _ = guarded_xml(path, max_input_mb=max_input_mb)
    try:
        return _read_checked_xml(clean, source=str(path), crs=crs, bbox=bbox)
    finally:
        if clean != path:
            clean.unlink(missing_ok=True)


def _read_checked_xml(path: Path, *, source: str, crs: Any, bbox: BBox | None) -> StudyArea:
    import osmnx as ox
    from osmnx._errors import InsufficientResponseError

    polygon = box(*bbox) if bbox else None
    try:
        features = ox.features_from_xml(path, polygon=polygon, tags=CONTEXT_TAGS)
    except InsufficientResponseError:
        features = gpd.GeoDataFrame(geometry=[], crs=4326)
    except Exception as exc:
        msg = f"{source}: could not parse the OSM XML ({type(exc).__name__}: {exc}); check the file"
        raise InputError(msg) from exc
    if features.empty:
        where = " within the bbox" if bbox else ""
        msg = f"{source}: no buildings in the file{where}; choose another area or file"
        raise InputError(msg)
    buildings, out_crs = buildings_from_features(features, source=source, crs=crs)
    flat = features.reset_index()
    landuse, pois = area_frame(flat, out_crs), poi_frame(flat, out_crs)
    try:
        with osmnx_settings(**street_tag_settings()):
            G = ox.graph_from_xml(path, simplify=False, retain_all=True)
    except InsufficientResponseError:
        G = None
    except Exception as exc:
        msg = f"{source}: could not parse the OSM XML ({type(exc).__name__}: {exc}); check the file"
        raise InputError(msg) from exc
    if G is None:
        streets = empty_streets(out_crs)
    else:
        if polygon is not None and G.number_of_edges() > 0:
            G = ox.truncate.truncate_graph_polygon(G, polygon, truncate_by_edge=True)
        streets = streets_from_graph(G, source=source, crs=out_crs)
    boundary = bbox_boundary(bbox, out_crs) if bbox else None
    try:
        barrier_features = ox.features_from_xml(path, polygon=polygon, tags=BARRIER_TAGS)
    except InsufficientResponseError:
        barrier_features = gpd.GeoDataFrame(geometry=[], crs=4326)
    return finish_area(
        buildings,
        streets,
        crs=out_crs,
        source=source,
        boundary=boundary,
        landuse=landuse,
        pois=pois,
        barriers=barrier_frame(barrier_features.reset_index(), out_crs),
    )
