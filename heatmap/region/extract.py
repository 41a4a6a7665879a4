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
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from heatmap.errors import InputError
from heatmap.ingest.context import POI_KEYS

__all__ = ["NODE_INDEX", "cut_to", "extract_bbox", "extract_bboxes"]

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
    return extract_bboxes(src, [(bbox, dst)], node_index=node_index)[0]


def _boxes_with_a_node(nodes: Any, limits: Sequence[tuple[int, int, int, int]]) -> list[int]:
    """The boxes (fixed-point x0, y0, x1, y1, bounds included) holding a node of a way."""
    # a missing location has undefined coordinates, outside every box
    xs = [nd.x for nd in nodes]
    ys = [nd.y for nd in nodes]
    if not xs:
        return []
    lo_x, hi_x, lo_y, hi_y = min(xs), max(xs), min(ys), max(ys)
    out = []
    for i, (x0, y0, x1, y1) in enumerate(limits):
        if lo_x > x1 or hi_x < x0 or lo_y > y1 or hi_y < y0:
            continue
        if (x0 <= lo_x and hi_x <= x1 and y0 <= lo_y and hi_y <= y1) or any(
            x0 <= x <= x1 and y0 <= y <= y1 for x, y in zip(xs, ys, strict=True)
        ):
            out.append(i)
    return out


def extract_bboxes(
    src: str | Path,
    parts: Sequence[tuple[tuple[float, float, float, float], str | Path]],
    *,
    node_index: str = NODE_INDEX,
) -> list[dict[str, int]]:
    """Write several boxes of ``src``, reading it through Python once (see :func:`extract_bbox`).

    Parameters
    ----------
    src
        The extract to cut.
    parts
        ``(bbox, dst)`` pairs: west, south, east, north in degrees, and the file to write.
    node_index
        libosmium node-location index.

    Returns
    -------
    counts
        Per part, as :func:`extract_bbox` gives them.
    """
    import osmium

    boxes = [osmium.osm.Box(*bbox) for bbox, _ in parts]
    # the boxes in libosmium's fixed-point coordinates, compared as its Box.contains does
    limits = [(b.bottom_left.x, b.bottom_left.y, b.top_right.x, b.top_right.y) for b in boxes]
    keeps = [osmium.IdTracker() for _ in parts]
    counts = [{"nodes": 0, "ways": 0, "relations": 0} for _ in parts]
    poi_nodes = osmium.filter.KeyFilter(*POI_KEYS)
    poi_nodes.enable_for(osmium.osm.NODE)
    try:
        for obj in osmium.FileProcessor(str(src)).with_locations(node_index).with_filter(poi_nodes):
            if isinstance(obj, osmium.osm.Way):
                for i in _boxes_with_a_node(obj.nodes, limits):
                    keeps[i].add_way(obj.id)
                    counts[i]["ways"] += 1
            elif isinstance(obj, osmium.osm.Node):
                for i, b in enumerate(boxes):
                    if b.contains(obj.location):
                        keeps[i].add_node(obj.id)
                        counts[i]["nodes"] += 1
            elif isinstance(obj, osmium.osm.Relation):
                for i, keep in enumerate(keeps):
                    if keep.contains_any_references(obj):
                        keep.add_relation(obj.id)
                        counts[i]["relations"] += 1
        for i, (_, dst) in enumerate(parts):
            # one part's nodes at a time: libosmium's id sets take chunks of memory per
            # stretch of ids, and real OpenStreetMap node ids are scattered widely
            keep, keeps[i] = keeps[i], osmium.IdTracker()
            keep.complete_backward_references(str(src), relation_depth=0)
            Path(dst).unlink(missing_ok=True)
            with osmium.SimpleWriter(str(dst)) as out:  # filter and writer both in libosmium
                osmium.apply(str(src), keep.id_filter(), out)
            del keep
    except RuntimeError as exc:
        msg = f"{src}: libosmium could not read the file ({exc}); check that it is a whole .osm.pbf"
        raise InputError(msg) from exc
    logger.debug("%s: cut %s", src, list(zip([b for b, _ in parts], counts, strict=True)))
    return counts


def cut_to(src: str, parts: Sequence[tuple[tuple[float, float, float, float], str]]) -> list[str]:
    """:func:`extract_bboxes` returning the files written (a task whose results feed the next)."""
    extract_bboxes(src, parts)
    return [dst for _, dst in parts]
