"""Read an OpenStreetMap file into a :class:`StudyArea`, whatever its format.

Sources: OpenStreetMap ``.osm.pbf`` (pyrosm, :mod:`heatmap.ingest.pbf`), OSM XML ``.osm`` /
``.osm.xml`` (optionally ``.bz2`` / ``.gz``, via osmnx, :mod:`heatmap.ingest.osm_xml`). The other
readers (vector layers, Overpass, the heat network database) and the example areas keep their
historical import path here too.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import geopandas as gpd

from heatmap.errors import InputError
from heatmap.ingest.area import BBox, StudyArea, check_file, choose_crs, validate_bbox
from heatmap.ingest.examples import default_example_path
from heatmap.ingest.hnpd import read_existing_networks
from heatmap.ingest.layers import read_vector
from heatmap.ingest.osm_xml import DEFAULT_MAX_INPUT_MB, XML_SUFFIXES, read_osm_xml
from heatmap.ingest.overpass import from_bbox, from_place, osmnx_settings
from heatmap.ingest.pbf import read_pbf

logger = logging.getLogger(__name__)

__all__ = [
    "StudyArea",
    "default_example_path",
    "from_bbox",
    "from_place",
    "osmnx_settings",
    "read_existing_networks",
    "read_osm",
    "read_vector",
    "validate_bbox",
]


# --- OSM files -------------------------------------------------------------------------------
def read_osm(
    path: str | Path,
    *,
    crs: Any = None,
    bbox: BBox | None = None,
    max_input_mb: float = DEFAULT_MAX_INPUT_MB,
) -> StudyArea:
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
    max_input_mb
        Largest XML file accepted once decompressed, MB.

    Returns
    -------
    area
        The study area.

    Examples
    --------
    >>> from heatmap.ingest.examples import example_path
    >>> area = read_osm(example_path("helsinki"))
    >>> area.crs.to_epsg()  # UTM zone 35N: Helsinki lies outside Great Britain
    32635
    >>> len(area.buildings) > 0 and len(area.streets) > 0
    True
    """
    path = check_file(path, "OSM file")
    if crs is not None:
        crs = choose_crs(gpd.GeoDataFrame(geometry=[], crs=4326), crs)
    if bbox is not None:
        bbox = validate_bbox(bbox)
    name = path.name.lower()
    if name.endswith(".pbf"):
        return read_pbf(path, crs=crs, bbox=bbox)
    if name.endswith(XML_SUFFIXES):
        return read_osm_xml(path, crs=crs, bbox=bbox, max_input_mb=max_input_mb)
    msg = (
        f"{path}: unknown OSM file type {path.suffix!r}; give an .osm.pbf or .osm (XML) file, "
        "or use vector layers (--buildings/--streets)"
    )
    raise InputError(msg)
