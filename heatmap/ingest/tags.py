"""Private helpers of :mod:`heatmap.ingest.osm`: tag parsing, frame normalisation, CRS choice.

Everything here works on whole columns (pandas string methods, shapely vectorised functions);
only the JSON encoding of the raw tags visits rows one by one.
"""

from __future__ import annotations

import itertools
import json
import logging
import struct
import zlib
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from heatmap import schema
from heatmap.errors import CRSError, InputError

logger = logging.getLogger(__name__)

FEET_TO_M = 0.3048
INCH_TO_M = 0.0254

#: Highway values that cannot carry a heat-main trench (not built, not on the ground, or
#: stairs/lifts/platforms), dropped from the street network.
NON_TRENCH_HIGHWAYS: frozenset[str] = frozenset(
    {
        "proposed",
        "construction",
        "raceway",
        "bus_guideway",
        "platform",
        "elevator",
        "steps",
        "corridor",
        "escape",
        "abandoned",
        "disused",
        "razed",
        "no",
        "via_ferrata",
    }
)

#: OSM keys copied into columns of their own (column name -> OSM key).
TAG_COLUMNS: dict[str, str] = {
    schema.BUILDING_TAG: "building",
    "amenity": "amenity",
    "shop": "shop",
    "office": "office",
    "leisure": "leisure",
    "tourism": "tourism",
    "healthcare": "healthcare",
    "landuse": "landuse",
    "start_date": "start_date",
    schema.NAME: "name",
}

#: Columns of the buildings frame produced by every reader, in order (geometry last).
BUILDING_OUTPUT_COLUMNS: tuple[str, ...] = (
    schema.FOOTPRINT_AREA_M2,
    schema.BUILDING_TAG,
    "amenity",
    "shop",
    "office",
    "leisure",
    "tourism",
    "healthcare",
    "landuse",
    "building_levels",
    "building_min_level",
    schema.HEIGHT_M,
    "roof_levels",
    "start_date",
    schema.CONSTRUCTION_YEAR,
    schema.NAME,
    schema.ADDRESS,
    schema.TENURE,
    schema.SOURCE,
    schema.OSM_TAGS,
)

STREET_OUTPUT_COLUMNS: tuple[str, ...] = (schema.HIGHWAY, schema.NAME, schema.LENGTH_M)

# Great Britain, coarsely: the EPSG:27700 area of use minus Ireland and the French coast.
_GB_BOX = (-8.75, 49.8, 1.8, 60.9)


# --- value parsing ----------------------------------------------------------------------------
def as_text(values: pd.Series) -> pd.Series:
    """Return ``values`` as an object Series of stripped strings, None where missing or blank."""
    text = values.astype("string").str.strip()
    arr = np.array(text.astype(object), dtype=object, copy=True)
    arr[np.asarray(text.isna() | (text == ""), dtype=bool)] = None
    return pd.Series(arr, index=values.index, dtype="object")


def parse_number(values: pd.Series) -> pd.Series:
    """Parse the first number of OSM values such as ``"3"``, ``"3.5"``, ``"3;4"``, ``"4,5"``.

    Parameters
    ----------
    values
        Raw tag values (strings, numbers or missing).

    Returns
    -------
    numbers
        Float Series, NaN where no number leads the value.
    """
    text = values.astype("string").str.strip().str.replace(",", ".", regex=False)
    found = text.str.extract(r"^(-?\d+(?:\.\d+)?)(?:\s*(?:;.*)?)$", expand=False)
    return pd.to_numeric(found, errors="coerce").astype(float).astype("float64")


def parse_levels(values: pd.Series) -> pd.Series:
    """Parse ``building:levels``-like values; negative or absurd (> 200) counts become NaN."""
    levels = parse_number(values)
    return levels.where((levels >= 0) & (levels <= 200))


def parse_height_m(values: pd.Series) -> pd.Series:
    """Parse OSM ``height`` values into metres.

    Accepted forms: ``"12"``, ``"12.5 m"``, ``"12,5m"``, ``"40 ft"``, ``"40'"``, ``"40'6\\""``.
    Anything else (and heights <= 0 or > 1000 m) gives NaN.

    Parameters
    ----------
    values
        Raw tag values.

    Returns
    -------
    height_m
        Float Series in metres.
    """
    text = values.astype("string").str.strip().str.lower().str.replace(",", ".", regex=False)
    parts = text.str.extract(
        r"^(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>m|metres|meters|metre|meter|ft|feet|foot|')?"
        r"\s*(?:(?P<inch>\d+(?:\.\d+)?)\s*(?:\"|''|in))?$"
    )
    num = pd.to_numeric(parts["num"], errors="coerce").astype(float).to_numpy()
    inch = pd.to_numeric(parts["inch"], errors="coerce").astype(float).fillna(0.0).to_numpy()
    feet = parts["unit"].isin(["ft", "feet", "foot", "'"]).fillna(False).to_numpy(dtype=bool)
    metres_unit = ~feet & parts["inch"].isna().to_numpy(dtype=bool)
    values_m = np.where(
        feet, num * FEET_TO_M + inch * INCH_TO_M, np.where(metres_unit, num, np.nan)
    )
    height = pd.Series(values_m, index=values.index, dtype=float)
    return height.where((height > 0) & (height <= 1000))


def parse_year(values: pd.Series) -> pd.Series:
    """Parse a construction year from OSM ``start_date`` (``"1887"``, ``"~1900"``, ``"1887-05"``).

    Centuries (``"C19"``), decades and free text give NaN; years outside 1000..2100 give NaN.

    Parameters
    ----------
    values
        Raw tag values.

    Returns
    -------
    year
        Float Series of years.
    """
    text = values.astype("string").str.strip()
    found = text.str.extract(r"^(?:~|ca?\.?\s*|circa\s*|before\s*|after\s*)?(\d{4})(?:$|[-./\s])")
    year = pd.to_numeric(found[0], errors="coerce").astype("float64")
    return year.where((year >= 1000) & (year <= 2100))


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
    minx, miny, maxx, maxy = gdf.to_crs(4326).total_bounds
    lon, lat = (minx + maxx) / 2.0, (miny + maxy) / 2.0
    if in_great_britain(lon, lat):
        return pyproj.CRS.from_epsg(27700)
    return pyproj.CRS(gdf.to_crs(4326).estimate_utm_crs())


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


# --- buildings -------------------------------------------------------------------------------
def tags_json(tags: pd.DataFrame) -> list[str]:
    """Encode each row's present (non-missing, non-blank) tags as a JSON object, keys sorted."""
    values = tags.to_numpy(dtype=object)
    rows, cols = np.nonzero(tags.notna().to_numpy())
    keys = np.asarray([str(c) for c in tags.columns], dtype=object)[cols]
    text = np.asarray([str(v).strip() for v in values[rows, cols]], dtype=object)
    keep = text != ""
    rows, keys, text = rows[keep], keys[keep], text[keep]
    order = np.lexsort((keys.astype(str), rows))
    rows, keys, text = rows[order], keys[order], text[order]
    starts = np.searchsorted(rows, np.arange(len(tags) + 1))
    return [
        json.dumps(dict(zip(keys[a:b], text[a:b], strict=True)))
        for a, b in itertools.pairwise(starts)
    ]


def _polygonal(geometry: gpd.GeoSeries, source: str) -> tuple[gpd.GeoSeries, np.ndarray]:
    """Repair invalid geometries and keep the polygonal part; return it and the keep mask."""
    geoms = geometry.to_numpy()
    invalid = ~shapely.is_valid(geoms) & ~shapely.is_missing(geoms)
    if invalid.any():
        geoms = geoms.copy()
        geoms[invalid] = shapely.make_valid(geoms[invalid])
        logger.info("%s: repaired %d invalid building geometries", source, int(invalid.sum()))
        # make_valid may give collections: keep their polygonal parts
        coll = invalid & (shapely.get_type_id(geoms) == 7)
        if coll.any():
            parts, idx = shapely.get_parts(geoms[coll], return_index=True)
            poly = np.isin(shapely.get_type_id(parts), [3, 6])
            merged = (
                pd.Series(list(parts[poly]))
                .groupby(idx[poly])
                .agg(lambda s: shapely.union_all(s.to_numpy()))
            )
            fixed = np.full(int(coll.sum()), None, dtype=object)
            fixed[merged.index.to_numpy()] = merged.to_numpy()
            geoms[coll] = fixed
    type_id = shapely.get_type_id(geoms)
    keep = np.isin(type_id, [3, 6]) & ~shapely.is_empty(geoms)
    dropped = int((~keep).sum())
    if dropped:
        logger.info(
            "%s: dropped %d building features that are not polygons (points, lines, empty)",
            source,
            dropped,
        )
    return gpd.GeoSeries(geoms, index=geometry.index, crs=geometry.crs), keep


def normalise_buildings(
    geometry: gpd.GeoSeries,
    tags: pd.DataFrame,
    ids: pd.Series,
    *,
    source: str,
    crs: pyproj.CRS,
) -> gpd.GeoDataFrame:
    """Build the standard buildings frame from geometries, raw tags and ids.

    Parameters
    ----------
    geometry
        Footprints in any CRS, aligned with ``tags`` and ``ids``.
    tags
        Raw attributes, one column per OSM key (``building``, ``building:levels``, ...).
    ids
        Stable string ids, unique.
    source
        What was read, copied into the ``source`` column.
    crs
        Target projected CRS.

    Returns
    -------
    buildings
        Frame indexed by ``building_id`` with the columns of ``BUILDING_OUTPUT_COLUMNS``.
    """
    geometry = geometry.reset_index(drop=True)
    tags = tags.reset_index(drop=True)
    ids = ids.reset_index(drop=True).astype(str)
    if ids.duplicated().any():
        dup = ids[ids.duplicated()].iloc[0]
        msg = f"{source}: building id {dup!r} is not unique; pass a column of unique ids"
        raise InputError(msg)
    geoms, keep = _polygonal(geometry, source)
    geoms, tags, ids = geoms[keep], tags[keep], ids[keep]
    projected = geoms.to_crs(crs)

    def col(key: str) -> pd.Series:
        if key in tags.columns:
            return tags[key]
        return pd.Series(None, index=tags.index, dtype=object)

    out = pd.DataFrame(index=tags.index)
    out[schema.FOOTPRINT_AREA_M2] = projected.area.to_numpy()
    for column, key in TAG_COLUMNS.items():
        out[column] = as_text(col(key))
    out["building_levels"] = parse_levels(col("building:levels"))
    out["building_min_level"] = parse_levels(col("building:min_level"))
    out[schema.HEIGHT_M] = parse_height_m(col("height"))
    out["roof_levels"] = parse_levels(col("roof:levels"))
    out[schema.CONSTRUCTION_YEAR] = parse_year(col("start_date"))
    number = as_text(col("addr:housenumber"))
    street = as_text(col("addr:street"))
    address = (number.fillna("") + " " + street.fillna("")).str.strip()
    out[schema.ADDRESS] = address.where(address != "", None).astype(object)
    out[schema.TENURE] = schema.Tenure.UNKNOWN.value
    out[schema.SOURCE] = source
    out[schema.OSM_TAGS] = tags_json(tags)
    out = out[list(BUILDING_OUTPUT_COLUMNS)]
    frame = gpd.GeoDataFrame(out, geometry=projected.to_numpy(), crs=crs)
    frame.index = pd.Index(ids.to_numpy(), name=schema.BUILDING_ID)
    return frame.sort_index()


# --- streets ---------------------------------------------------------------------------------
def trenchable(highway: pd.Series, source: str) -> np.ndarray:
    """Return a mask of highway values that can carry a trench, logging what is dropped.

    Missing values count as trenchable here (callers drop lines without a highway themselves).
    """
    unsuitable = highway.isin(NON_TRENCH_HIGHWAYS).to_numpy(dtype=bool)
    if unsuitable.any():
        logger.info(
            "%s: dropped %d street segments that cannot carry a trench (%s)",
            source,
            int(unsuitable.sum()),
            ", ".join(sorted(set(highway[unsuitable].astype(str)))),
        )
    return ~unsuitable


def normalise_streets(
    geometry: gpd.GeoSeries,
    highway: pd.Series,
    name: pd.Series,
    ids: pd.Series,
    *,
    source: str,
    crs: pyproj.CRS,
) -> gpd.GeoDataFrame:
    """Build the standard streets frame: trenchable LineStrings in ``crs`` with their lengths.

    Parameters
    ----------
    geometry
        Noded street lines in any CRS.
    highway, name
        OSM ``highway`` and ``name`` values (lists are reduced to their first item).
    ids
        Stable string ids, unique.
    source
        What was read (for log messages).
    crs
        Target projected CRS.

    Returns
    -------
    streets
        Frame indexed by ``street_id`` with columns ``highway``, ``name``, ``length_m``.
    """

    def first(values: pd.Series) -> pd.Series:
        return values.map(lambda v: v[0] if isinstance(v, list) and v else v)

    frame = gpd.GeoDataFrame(
        {
            schema.HIGHWAY: as_text(first(highway.reset_index(drop=True))),
            schema.NAME: as_text(first(name.reset_index(drop=True))),
        },
        geometry=geometry.reset_index(drop=True).to_numpy(),
        crs=geometry.crs,
    )
    frame.index = pd.Index(ids.reset_index(drop=True).astype(str).to_numpy())
    frame = frame.explode(index_parts=True)
    if isinstance(frame.index, pd.MultiIndex):
        part = frame.index.get_level_values(1)
        base = frame.index.get_level_values(0).astype(str)
        frame.index = pd.Index(np.where(part == 0, base, base + "#" + part.astype(str)))
    lines = shapely.get_type_id(frame.geometry.to_numpy()) == 1
    unsuitable = ~trenchable(frame[schema.HIGHWAY], source)
    frame = frame[lines & ~unsuitable & frame[schema.HIGHWAY].notna().to_numpy()]
    frame = frame.to_crs(crs)
    frame[schema.LENGTH_M] = frame.length.astype(float)
    frame = frame[frame[schema.LENGTH_M] > 0]
    if frame.index.duplicated().any():
        dup = frame.index[frame.index.duplicated()][0]
        msg = f"{source}: street id {dup!r} is not unique"
        raise InputError(msg)
    frame.index.name = schema.STREET_ID
    return frame[[*STREET_OUTPUT_COLUMNS, "geometry"]].sort_index()


# --- .pbf integrity --------------------------------------------------------------------------
def _varint(buf: bytes, pos: int) -> tuple[int, int]:
    value, shift = 0, 0
    while True:
        if pos >= len(buf):
            msg = "varint runs past the end"
            raise ValueError(msg)
        byte = buf[pos]
        value |= (byte & 0x7F) << shift
        pos += 1
        if not byte & 0x80:
            return value, pos
        shift += 7


def _blob_header(buf: bytes) -> tuple[str, int]:
    """Decode the ``type`` (field 1) and ``datasize`` (field 3) of an OSM PBF BlobHeader."""
    pos, kind, datasize = 0, "", -1
    while pos < len(buf):
        key, pos = _varint(buf, pos)
        field, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = _varint(buf, pos)
            if field == 3:
                datasize = value
        elif wire == 2:
            size, pos = _varint(buf, pos)
            if field == 1:
                kind = buf[pos : pos + size].decode("ascii", errors="replace")
            pos += size
        else:
            msg = f"unexpected wire type {wire}"
            raise ValueError(msg)
    return kind, datasize


def _blob_ok(blob: bytes) -> bool:
    """Check a Blob: its zlib payload (field 3) must inflate to its raw_size (field 2)."""
    pos, raw_size, zdata = 0, -1, None
    while pos < len(blob):
        key, pos = _varint(blob, pos)
        field, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = _varint(blob, pos)
            if field == 2:
                raw_size = value
        elif wire == 2:
            size, pos = _varint(blob, pos)
            if pos + size > len(blob):
                return False
            if field == 3:
                zdata = blob[pos : pos + size]
            pos += size
        else:
            return False
    if zdata is None:
        return True  # raw or another compression: nothing cheap to check
    try:
        data = zlib.decompress(zdata)
    except zlib.error:
        return False
    return raw_size < 0 or len(data) == raw_size


def check_pbf(path: Path) -> None:
    """Walk the blocks of an ``.osm.pbf`` file and raise InputError if it is truncated or corrupt.

    Each block is a 4-byte length, a BlobHeader and a Blob; every zlib payload is inflated to
    check its size, so a cut or damaged download is caught before pyrosm's parser sees it.

    Parameters
    ----------
    path
        The ``.osm.pbf`` file.
    """
    data = path.read_bytes()
    pos, n_blocks, problem = 0, 0, ""
    while pos < len(data) and not problem:
        if pos + 4 > len(data):
            problem = f"it ends inside the header of block {n_blocks + 1}"
            break
        (header_len,) = struct.unpack(">I", data[pos : pos + 4])
        pos += 4
        if header_len > 64 * 1024 or pos + header_len > len(data):
            problem = f"block {n_blocks + 1} has a broken or cut header"
            break
        try:
            kind, datasize = _blob_header(data[pos : pos + header_len])
        except ValueError:
            kind, datasize = "", -1
        pos += header_len
        if kind not in {"OSMHeader", "OSMData"} or datasize < 0:
            problem = f"block {n_blocks + 1} is not an OSM block"
        elif pos + datasize > len(data):
            problem = f"it ends inside block {n_blocks + 1} (truncated download?)"
        elif not _blob_ok(data[pos : pos + datasize]):
            problem = f"block {n_blocks + 1} does not decompress"
        pos += max(datasize, 0)
        n_blocks += 1
    if not problem and n_blocks == 0:
        problem = "it is empty"
    if problem:
        msg = f"{path}: not a readable .osm.pbf file: {problem}; download or export it again"
        raise InputError(msg)


# --- vector streets --------------------------------------------------------------------------
def node_lines(lines: gpd.GeoDataFrame) -> tuple[gpd.GeoSeries, np.ndarray, np.ndarray]:
    """Split lines wherever they touch or cross, keeping track of the source line of each piece.

    Parameters
    ----------
    lines
        LineStrings / MultiLineStrings in a projected CRS.

    Returns
    -------
    pieces
        The noded pieces (LineStrings), ordered by source line then position along it.
    source_pos
        For each piece, the positional index of the line it came from.
    part
        For each piece, its 0-based order along its source line.
    """
    geoms = lines.geometry.to_numpy()
    noded = shapely.get_parts(shapely.union_all(geoms))
    noded = noded[shapely.get_type_id(noded) == 1]
    noded = noded[shapely.length(noded) > 0]
    # each piece lies on exactly one source line (overlapping duplicates go to the first)
    mid = shapely.line_interpolate_point(noded, 0.5, normalized=True)
    tree = shapely.STRtree(geoms)
    piece_idx, line_idx = tree.query(mid, predicate="dwithin", distance=1e-6)
    first = pd.DataFrame({"piece": piece_idx, "line": line_idx}).groupby("piece")["line"].min()
    src = np.full(len(noded), -1, dtype=np.int64)
    src[first.index.to_numpy()] = first.to_numpy()
    noded, src = noded[src >= 0], src[src >= 0]
    start = shapely.get_point(noded, 0)
    along = shapely.line_locate_point(geoms[src], start)
    order = np.lexsort((along, src))
    noded, src = noded[order], src[order]
    part = pd.Series(src).groupby(src).cumcount().to_numpy()
    return gpd.GeoSeries(noded, crs=lines.crs), src, part


# --- OSM street chains -----------------------------------------------------------------------
def merge_way_chains(
    segments: gpd.GeoDataFrame, *, way: str = "way", u: str = "u", v: str = "v"
) -> gpd.GeoDataFrame:
    """Join node-to-node OSM segments into lines that end only at junctions and way ends.

    Two segments are joined at a node when exactly two segments meet there and both belong to
    the same OSM way, so every junction (and every change of way, hence of ``highway`` or
    ``name``) stays a line end. Lengths are unchanged; the number of lines drops several-fold.

    Parameters
    ----------
    segments
        One row per segment with the way id, end node ids and the other columns to keep
        (constant along a way).
    way, u, v
        Column names of the way id and of the two end node ids.

    Returns
    -------
    streets
        One row per chain, with the other columns of its first segment, a merged LineString
        geometry and a ``street_id`` column ``"way/<way>/<lower end node>-<higher end node>"``.
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    n = len(segments)
    if n == 0:
        out = segments.drop(columns=[way, u, v]).copy()
        out[schema.STREET_ID] = pd.Series(dtype=object)
        return out
    seg_way = segments[way].to_numpy(dtype="int64")
    inc = pd.DataFrame(
        {
            "node": np.concatenate([segments[u].to_numpy("int64"), segments[v].to_numpy("int64")]),
            "seg": np.concatenate([np.arange(n), np.arange(n)]),
        }
    )
    inc["way"] = seg_way[inc["seg"].to_numpy()]
    degree = inc.groupby("node")["seg"].transform("size")
    n_ways = inc.groupby("node")["way"].transform("nunique")
    inner = inc[(degree == 2).to_numpy() & (n_ways == 1).to_numpy()].sort_values(["node", "seg"])
    pairs = inner["seg"].to_numpy().reshape(-1, 2)
    # a segment closing on itself (u == v) would pair with itself: harmless in the graph
    adj = coo_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(n, n))
    _, chain = connected_components(adj, directed=False)
    order = np.argsort(chain, kind="stable")
    geoms = shapely.line_merge(
        shapely.multilinestrings(segments.geometry.to_numpy()[order], indices=chain[order])
    )
    inc["chain"] = chain[inc["seg"].to_numpy()]
    ends = inc[~inc["node"].isin(inner["node"].unique())]
    lo = ends.groupby("chain")["node"].min()
    hi = ends.groupby("chain")["node"].max()
    ring_lo = inc.groupby("chain")["node"].min()
    first = pd.Series(np.arange(n)).groupby(chain).min().to_numpy()
    out = segments.drop(columns=[way, u, v]).iloc[first].reset_index(drop=True)
    labels = np.arange(len(first))
    lo_ids = lo.reindex(labels).fillna(ring_lo).astype("int64").astype(str)
    hi_ids = hi.reindex(labels).fillna(ring_lo).astype("int64").astype(str)
    way_ids = pd.Series(seg_way[first]).astype(str)
    out = gpd.GeoDataFrame(out, geometry=geoms, crs=segments.crs)
    out[schema.STREET_ID] = ("way/" + way_ids + "/" + lo_ids + "-" + hi_ids).to_numpy()
    return out
