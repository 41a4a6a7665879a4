"""Cut a tile out of a region's ``.osm.pbf`` by bounding box, streaming (pyosmium).

The region file is read once, block by block, by libosmium: node locations go into its index,
and only the ways, relations and point-of-interest nodes reach Python. A way with a node in the
box is kept whole, with all its nodes; a relation with a kept member way is kept with all its
members (so a multipolygon building across the edge is complete). The cut is written as a small,
sorted ``.osm.pbf`` that the ordinary reader (:func:`heatmap.ingest.osm.read_osm`) then reads, so
a tile sees exactly what a single run over the whole file would see within its box.
"""

from __future__ import annotations

import logging
from pathlib import Path

from heatmap.errors import InputError
from heatmap.ingest.context import POI_KEYS

__all__ = ["NODE_INDEX", "cut_to", "extract_bbox"]

logger = logging.getLogger(__name__)

NODE_INDEX = "flex_mem"
"""libosmium node-location index (``flex_mem``: in memory, sparse or dense as the ids need)."""


def extract_bbox(
    src: str | Path,
    bbox: tuple[float, float, float, float],
    dst: str | Path,
    *,
    node_index: str = NODE_INDEX,
) -> dict[str, int]:
    """Write the part of ``src`` within ``bbox`` (W, S, E, N degrees) to ``dst`` (``.osm.pbf``).

    Parameters
    ----------
    src
        The region's ``.osm.pbf`` (or any file libosmium reads).
    bbox
        West, south, east, north in degrees.
    dst
        Output file; replaced if it exists (it lives in the run's work folder).
    node_index
        libosmium node-location index, e.g. ``flex_mem`` or ``dense_file_array,/tmp/idx``
        for a file-backed index on a very large region.

    Returns
    -------
    counts
        ``nodes`` (points of interest), ``ways`` and ``relations`` written explicitly (the
        nodes and members they need are added to the file).
    """
    import osmium

    w, s, e, n = bbox
    box = osmium.osm.Box(w, s, e, n)
    keep = osmium.IdTracker()
    counts = {"nodes": 0, "ways": 0, "relations": 0}
    poi_nodes = osmium.filter.KeyFilter(*POI_KEYS)
    poi_nodes.enable_for(osmium.osm.NODE)
    try:
        for obj in osmium.FileProcessor(str(src)).with_locations(node_index).with_filter(poi_nodes):
            if isinstance(obj, osmium.osm.Way):
                if any(box.contains(nd.location) for nd in obj.nodes if nd.location.valid()):
                    keep.add_way(obj.id)
                    counts["ways"] += 1
            elif isinstance(obj, osmium.osm.Node):
                if box.contains(obj.location):
                    keep.add_node(obj.id)
                    counts["nodes"] += 1
            elif isinstance(obj, osmium.osm.Relation) and keep.contains_any_references(obj):
                keep.add_relation(obj.id)
                counts["relations"] += 1
        keep.complete_backward_references(str(src), relation_depth=0)
        Path(dst).unlink(missing_ok=True)
        with osmium.SimpleWriter(str(dst)) as out:  # filter and writer both in libosmium
            osmium.apply(str(src), keep.id_filter(), out)
    except RuntimeError as exc:
        msg = f"{src}: libosmium could not read the file ({exc}); check that it is a whole .osm.pbf"
        raise InputError(msg) from exc
    logger.debug("%s: cut %s with %s", src, bbox, counts)
    return counts


def cut_to(src: str, bbox: tuple[float, float, float, float], dst: str) -> str:
    """:func:`extract_bbox` that returns the file written (a task whose result feeds the next)."""
    extract_bbox(src, bbox, dst)
    return dst
