"""What surrounds each building: the landuse or amenity area it stands in, the POIs inside it.

OpenStreetMap often tags the use of a place on the area around a building (``landuse=military``,
``amenity=hospital``) or on a point inside it (``amenity=pub``, ``shop=bakery``) rather than on
the building itself. The readers keep those as two frames on the :class:`StudyArea`
(``landuse`` and ``pois``) and copy onto each building:

- ``area_tag``: ``key=value`` of the smallest area that contains the building's representative
  point (an ``amenity=school`` inside ``landuse=residential`` wins);
- ``poi_tag`` and ``poi_name``: the first POI inside the footprint, keys ranked in the order of
  :data:`POI_KEYS` (``amenity`` first), then by value.
"""

from __future__ import annotations

import logging

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from heatmap.ingest.tags import as_text

__all__ = [
    "AREA_KEYS",
    "CONTEXT_COLUMNS",
    "CONTEXT_TAGS",
    "POI_KEYS",
    "area_frame",
    "attach_context",
    "empty_context",
    "poi_frame",
]

logger = logging.getLogger(__name__)

#: Keys of the areas that can give a building its use, in order of preference on one area.
AREA_KEYS: tuple[str, ...] = ("amenity", "healthcare", "military", "leisure", "landuse")
#: Keys of the points of interest that can give a building its use, in order of preference.
POI_KEYS: tuple[str, ...] = (
    "amenity",
    "healthcare",
    "shop",
    "office",
    "tourism",
    "leisure",
    "craft",
)
#: Tags to ask OSM services for: buildings, and the areas and POIs that give buildings their use.
CONTEXT_TAGS: dict[str, bool | str | list[str]] = dict.fromkeys(
    ("building", *AREA_KEYS, *POI_KEYS), True
)
#: Columns :func:`attach_context` adds to (or refreshes on) the buildings frame.
CONTEXT_COLUMNS: tuple[str, ...] = ("area_tag", "poi_tag", "poi_name")


def _first_tag(frame: pd.DataFrame, keys: tuple[str, ...]) -> pd.Series:
    """``key=value`` of the first of ``keys`` present on each row (None where none is)."""
    out = pd.Series(None, index=frame.index, dtype=object)
    for key in keys:
        if key not in frame.columns:
            continue
        value = as_text(frame[key].map(lambda v: v[0] if isinstance(v, list) and v else v))
        hit = out.isna() & value.notna()
        out[hit] = key + "=" + value[hit].astype(str)
    return out


def empty_context(crs: pyproj.CRS) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Return empty ``landuse`` and ``pois`` frames in ``crs``."""
    areas = gpd.GeoDataFrame({"area_tag": [], "area_m2": []}, geometry=[], crs=crs)
    pois = gpd.GeoDataFrame({"poi_tag": [], "name": []}, geometry=[], crs=crs)
    return areas, pois


def area_frame(features: gpd.GeoDataFrame, crs: pyproj.CRS) -> gpd.GeoDataFrame:
    """Return the polygonal features that tag a use of land, as ``area_tag``, ``area_m2``.

    Parameters
    ----------
    features
        OSM features with tag columns (``landuse``, ``amenity``, ...) in any CRS; rows tagged
        ``building`` are buildings, not areas, and are left out.
    crs
        Projected CRS of the result.

    Returns
    -------
    areas
        One row per area with a use tag.
    """
    if features is None or len(features) == 0:
        return empty_context(crs)[0]
    polygonal = features.geom_type.isin(["Polygon", "MultiPolygon"]).to_numpy()
    if "building" in features.columns:
        polygonal = polygonal & as_text(features["building"]).isna().to_numpy()
    feats = features[polygonal]
    tag = _first_tag(feats, AREA_KEYS)
    feats = feats[tag.notna().to_numpy()]
    geoms = gpd.GeoSeries(feats.geometry.to_numpy(), crs=features.crs).to_crs(crs)
    geoms = gpd.GeoSeries(shapely.make_valid(geoms.to_numpy()), crs=crs)
    out = gpd.GeoDataFrame(
        {"area_tag": tag[tag.notna()].to_numpy(), "area_m2": geoms.area.to_numpy()},
        geometry=geoms.to_numpy(),
        crs=crs,
    )
    return out[out["area_m2"] > 0].reset_index(drop=True)


def poi_frame(features: gpd.GeoDataFrame, crs: pyproj.CRS) -> gpd.GeoDataFrame:
    """Return the point features that tag a use, as ``poi_tag`` and ``name``.

    Parameters
    ----------
    features
        OSM features with tag columns in any CRS; only points are kept (tagged polygons are
        buildings or areas).
    crs
        Projected CRS of the result.

    Returns
    -------
    pois
        One row per point of interest with a use tag.
    """
    if features is None or len(features) == 0:
        return empty_context(crs)[1]
    feats = features[features.geom_type.eq("Point").to_numpy()]
    tag = _first_tag(feats, POI_KEYS)
    feats = feats[tag.notna().to_numpy()]
    name = as_text(feats["name"]) if "name" in feats.columns else pd.Series(None, index=feats.index)
    geoms = gpd.GeoSeries(feats.geometry.to_numpy(), crs=features.crs).to_crs(crs)
    return gpd.GeoDataFrame(
        {"poi_tag": tag[tag.notna()].to_numpy(), "name": name.to_numpy(dtype=object)},
        geometry=geoms.to_numpy(),
        crs=crs,
    )


def attach_context(
    buildings: gpd.GeoDataFrame,
    landuse: gpd.GeoDataFrame | None,
    pois: gpd.GeoDataFrame | None,
) -> gpd.GeoDataFrame:
    """Copy the containing area's tag and the POIs inside each footprint onto the buildings.

    Parameters
    ----------
    buildings
        Footprints in a projected CRS.
    landuse
        Areas (:func:`area_frame`), or None.
    pois
        Points of interest (:func:`poi_frame`), or None.

    Returns
    -------
    buildings
        A copy with ``area_tag``, ``poi_tag`` and ``poi_name`` (None where nothing was found).

    Examples
    --------
    >>> from shapely.geometry import Point, box
    >>> b = gpd.GeoDataFrame(geometry=[box(0, 0, 10, 10), box(100, 0, 110, 10)], crs=27700)
    >>> areas = gpd.GeoDataFrame({"area_tag": ["landuse=military", "landuse=residential"],
    ...                           "area_m2": [4e4, 1e6]},
    ...                          geometry=[box(-50, -50, 150, 150), box(-500, -500, 500, 500)],
    ...                          crs=27700)
    >>> pois = gpd.GeoDataFrame({"poi_tag": ["shop=bakery", "amenity=pub"], "name": ["B", "P"]},
    ...                         geometry=[Point(105, 5), Point(104, 4)], crs=27700)
    >>> attach_context(b, areas, pois)[["area_tag", "poi_tag", "poi_name"]].to_numpy().tolist()
    [['landuse=military', None, None], ['landuse=military', 'amenity=pub', 'P']]
    """
    out = buildings.copy()
    n = len(out)
    area_tag = np.full(n, None, dtype=object)
    poi_tag = np.full(n, None, dtype=object)
    poi_name = np.full(n, None, dtype=object)
    geoms = out.geometry.to_numpy()
    ok = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    if landuse is not None and len(landuse) and ok.any():
        rows = np.flatnonzero(ok)
        points = shapely.point_on_surface(geoms[rows])
        tree = shapely.STRtree(landuse.to_crs(out.crs).geometry.to_numpy())
        b_i, a_i = tree.query(points, predicate="within")
        if b_i.size:
            size = landuse["area_m2"].to_numpy(dtype=float)[a_i]
            order = np.lexsort((size, b_i))
            b_i, a_i = b_i[order], a_i[order]
            first = np.concatenate([[True], b_i[1:] != b_i[:-1]])
            area_tag[rows[b_i[first]]] = landuse["area_tag"].to_numpy(dtype=object)[a_i[first]]
    if pois is not None and len(pois) and ok.any():
        rows = np.flatnonzero(ok)
        tree = shapely.STRtree(geoms[rows])
        p_i, b_i = tree.query(pois.to_crs(out.crs).geometry.to_numpy(), predicate="within")
        if p_i.size:
            tags = pois["poi_tag"].to_numpy(dtype=object)[p_i].astype(str)
            key_rank = {k: i for i, k in enumerate(POI_KEYS)}
            rank = np.array([key_rank.get(t.split("=", 1)[0], len(POI_KEYS)) for t in tags])
            order = np.lexsort((tags, rank, b_i))
            p_i, b_i = p_i[order], b_i[order]
            first = np.concatenate([[True], b_i[1:] != b_i[:-1]])
            poi_tag[rows[b_i[first]]] = pois["poi_tag"].to_numpy(dtype=object)[p_i[first]]
            poi_name[rows[b_i[first]]] = pois["name"].to_numpy(dtype=object)[p_i[first]]
    for column, values in zip(CONTEXT_COLUMNS, (area_tag, poi_tag, poi_name), strict=True):
        out[column] = pd.Series(values, index=out.index, dtype=object)
    logger.debug(
        "context: %d buildings in a tagged area, %d with a POI inside",
        int(pd.notna(area_tag).sum()),
        int(pd.notna(poi_tag).sum()),
    )
    return out
