"""Read OpenStreetMap ``.osm.pbf`` files (pyrosm), after checking the file is whole."""

from __future__ import annotations

import json
import logging
import struct
import time
import warnings
import zlib
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyproj

from heatmap.errors import InputError
from heatmap.ingest.area import BBox, StudyArea, bbox_boundary, choose_crs, finish_area
from heatmap.ingest.barriers import BARRIER_TAGS, barrier_frame, empty_barriers
from heatmap.ingest.context import POI_KEYS, area_frame, empty_context, poi_frame
from heatmap.ingest.streets import STREET_TAGS, empty_streets, osm_streets
from heatmap.ingest.tags import normalise_buildings

logger = logging.getLogger(__name__)

__all__ = ["check_pbf", "pbf_bbox", "pbf_tags", "read_pbf"]

_PBF_META = ("id", "timestamp", "version", "tags", "osm_type", "geometry", "changeset", "visible")


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


MAX_BLOB_BYTES = 32 * 1024 * 1024
"""Largest uncompressed block the OSM PBF format allows."""


def _inflate(blob: bytes) -> tuple[bool, bytes | None]:
    """Check a Blob: its zlib payload (field 3) must inflate to its raw_size (field 2).

    Returns whether it is sound and the inflated block (None when not zlib-compressed).
    """
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
                return False, None
            if field == 3:
                zdata = blob[pos : pos + size]
            pos += size
        else:
            return False, None
    if zdata is None:
        return True, None  # raw or another compression: nothing cheap to check
    if raw_size > MAX_BLOB_BYTES:
        return False, None  # the format caps a block at 32 MiB: a larger claim is crafted
    try:
        data = zlib.decompressobj().decompress(zdata, MAX_BLOB_BYTES + 1)
    except zlib.error:
        return False, None
    if len(data) > MAX_BLOB_BYTES:
        return False, None  # inflates beyond the format's limit: stop before it fills memory
    return raw_size < 0 or len(data) == raw_size, data


def _group_kinds(block: bytes) -> str:
    """Letters of the element kinds in a PrimitiveBlock: n(odes), w(ays), r(elations)."""
    kinds: set[str] = set()
    pos = 0
    try:
        while pos < len(block):
            key, pos = _varint(block, pos)
            field, wire = key >> 3, key & 7
            if wire != 2:
                if wire == 0:
                    _, pos = _varint(block, pos)
                    continue
                pos += 8 if wire == 1 else 4
                continue
            size, pos = _varint(block, pos)
            if field == 2:  # a PrimitiveGroup: its first field says what it holds
                first, _ = _varint(block, pos)
                kinds.add({1: "n", 2: "n", 3: "w", 4: "r"}.get(first >> 3, ""))
            pos += size
    except (ValueError, IndexError):
        return ""
    return "".join(sorted(kinds - {""}))


def _warn_if_cut(path: Path, kinds: list[str]) -> None:
    """Warn when a sorted file ends before its relations: probably cut on a block boundary."""
    order = {"n": 0, "w": 1, "r": 2}
    ranks = [max(order[k] for k in ks) for ks in kinds if ks]
    if len(ranks) < 2 or ranks != sorted(ranks) or ranks[-1] == 2 or ranks[0] != 0:
        return
    logger.warning(
        "%s ends with a block of %s and no relations follow: the file may have been cut short "
        "(between blocks, so nothing else shows it); if buildings or streets are missing, "
        "download it again",
        path.name,
        "ways" if ranks[-1] == 1 else "nodes",
    )


def pbf_bbox(path: Path) -> tuple[float, float, float, float] | None:
    """The bounding box (W, S, E, N degrees) in an ``.osm.pbf`` file's header, if it has one.

    Parameters
    ----------
    path
        The ``.osm.pbf`` file.

    Returns
    -------
    bbox
        West, south, east, north in degrees, or None when the header gives none.
    """
    with path.open("rb") as f:
        head = f.read(4)
        if len(head) < 4:
            return None
        (header_len,) = struct.unpack(">I", head)
        if header_len > 64 * 1024:
            return None
        kind, size = _blob_header(f.read(header_len))
        if kind != "OSMHeader" or not 0 <= size <= MAX_BLOB_BYTES:
            return None
        ok, block = _inflate(f.read(size))
    if not ok or block is None:
        return None
    box_fields = _message_fields(block).get(1)
    if box_fields is None:
        return None
    sides = {k: _zigzag(int(v)) / 1e9 for k, v in _message_fields(bytes(box_fields)).items()}
    if not {1, 2, 3, 4} <= set(sides):
        return None
    return sides[1], sides[4], sides[2], sides[3]


def _zigzag(v: int) -> int:
    return (v >> 1) ^ -(v & 1)


def _message_fields(buf: bytes) -> dict[int, int | bytes]:
    """First value of each field of a protobuf message (varints and length-delimited only)."""
    out: dict[int, int | bytes] = {}
    pos = 0
    while pos < len(buf):
        key, pos = _varint(buf, pos)
        field, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = _varint(buf, pos)
            out.setdefault(field, value)
        elif wire == 2:
            size, pos = _varint(buf, pos)
            out.setdefault(field, buf[pos : pos + size])
            pos += size
        else:
            break
    return out


def check_pbf(path: Path) -> None:
    """Walk the blocks of an ``.osm.pbf`` file and raise InputError if it is truncated or corrupt.

    Each block is a 4-byte length, a BlobHeader and a Blob; every zlib payload is inflated (up
    to the format's 32 MiB limit) to check its size, so a cut or damaged download is caught
    before pyrosm's parser sees it. A sorted file (nodes, then ways, then relations) that ends
    before any relation was probably cut between blocks: that is warned.

    Parameters
    ----------
    path
        The ``.osm.pbf`` file.
    """
    data = path.read_bytes()
    pos, n_blocks, problem = 0, 0, ""
    kinds: list[str] = []
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
        else:
            ok, block = _inflate(data[pos : pos + datasize])
            if not ok:
                problem = f"block {n_blocks + 1} does not decompress"
            elif kind == "OSMData" and block is not None:
                kinds.append(_group_kinds(block))
        pos += max(datasize, 0)
        n_blocks += 1
    if not problem and n_blocks == 0:
        problem = "it is empty"
    if problem:
        msg = f"{path}: not a readable .osm.pbf file: {problem}; download or export it again"
        raise InputError(msg)
    _warn_if_cut(path, kinds)


def pbf_tags(frame: pd.DataFrame) -> pd.DataFrame:
    """Merge pyrosm's tag columns with the JSON ``tags`` column into one frame of raw tags."""
    explicit = frame.drop(columns=[c for c in _PBF_META if c in frame.columns])
    if "tags" not in frame.columns:
        return explicit

    extra = pd.DataFrame.from_records(
        [json.loads(t) if isinstance(t, str) else {} for t in frame["tags"]],
        index=frame.index,
    )
    extra = extra.drop(columns=[c for c in extra.columns if c in explicit.columns])
    return pd.concat([explicit, extra], axis=1)


def _with_street_tags(edges: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Street ways with every tag of :data:`STREET_TAGS` as a column.

    pyrosm keeps some of them only in its JSON ``tags`` column.
    """
    missing = [k for k in STREET_TAGS if k not in edges.columns]
    if not missing or "tags" not in edges.columns:
        return edges
    parsed = [json.loads(t) if isinstance(t, str) else {} for t in edges["tags"]]
    extra = {k: [d.get(k) for d in parsed] for k in missing}
    return edges.assign(**extra)


def read_pbf(path: Path, *, crs: Any, bbox: BBox | None) -> StudyArea:
    """Read buildings and streets from an ``.osm.pbf`` file (see ``read_osm``)."""
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
            raw_landuse = osm.get_landuse()
            raw_pois = osm.get_pois(custom_filter=dict.fromkeys(POI_KEYS, True))
            raw_barriers = osm.get_data_by_custom_criteria(
                custom_filter=BARRIER_TAGS,
                filter_type="keep",
                keep_nodes=False,
                keep_ways=True,
                keep_relations=False,
            )
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
        raw_b.geometry, pbf_tags(raw_b), ids, source=source, crs=out_crs
    )
    if edges is None or len(edges) == 0:
        streets = empty_streets(out_crs)
    else:
        edges = _with_street_tags(
            gpd.GeoDataFrame(edges, geometry="geometry", crs=edges.crs or 4326)
        )
        streets = osm_streets(edges, way="id", source=source, crs=out_crs)
    boundary = bbox_boundary(bbox, out_crs) if bbox else None
    landuse, pois = _context(raw_landuse, raw_pois, out_crs)
    if raw_barriers is None or len(raw_barriers) == 0:
        barriers = empty_barriers(out_crs)
    else:
        g = gpd.GeoDataFrame(raw_barriers, geometry="geometry", crs=raw_barriers.crs or 4326)
        barriers = barrier_frame(gpd.GeoDataFrame(pbf_tags(g), geometry=g.geometry), out_crs)
    return finish_area(
        buildings,
        streets,
        crs=out_crs,
        source=source,
        boundary=boundary,
        landuse=landuse,
        pois=pois,
        barriers=barriers,
    )


def _context(
    raw_landuse: pd.DataFrame | None, raw_pois: pd.DataFrame | None, crs: pyproj.CRS
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Landuse areas (landuse polygons and untagged-building POI polygons) and POI points."""
    frames = []
    for raw in (raw_landuse, raw_pois):
        if raw is not None and len(raw):
            g = gpd.GeoDataFrame(raw, geometry="geometry", crs=raw.crs or 4326)
            frames.append(gpd.GeoDataFrame(pbf_tags(g), geometry=g.geometry, crs=g.crs))
    if not frames:
        return empty_context(crs)
    areas = pd.concat([area_frame(f, crs) for f in frames], ignore_index=True)
    pois = poi_frame(frames[-1], crs) if raw_pois is not None and len(raw_pois) else None
    return (
        gpd.GeoDataFrame(areas, geometry="geometry", crs=crs),
        pois if pois is not None else empty_context(crs)[1],
    )
