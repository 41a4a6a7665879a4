"""The standard streets frame: trenchable highways, noding of vector lines, OSM way chains.

- Streets are noded: every line ends at a junction or a vertex, so shared endpoints are the
  intersections. OSM ways are split at every node they share with another way (and at their
  other vertices); vector street lines are split where they touch or cross.
- Highways that cannot carry a trench (``steps``, ``proposed``, ``construction``, ``platform``,
  ...) are dropped; footways, paths, cycleways and service roads are kept.
"""

from __future__ import annotations

import logging
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from heatmap import schema
from heatmap.errors import InputError
from heatmap.ingest.tags import as_text

logger = logging.getLogger(__name__)

__all__ = [
    "NON_TRENCH_HIGHWAYS",
    "STREET_OUTPUT_COLUMNS",
    "STREET_TAGS",
    "empty_streets",
    "merge_way_chains",
    "node_lines",
    "normalise_streets",
    "osm_streets",
    "streets_from_graph",
    "trenchable",
]

STREET_TAGS = schema.STREET_TAGS
"""OSM way tags kept on every street (see :data:`heatmap.schema.STREET_TAGS`)."""

STREET_OUTPUT_COLUMNS: tuple[str, ...] = (
    schema.HIGHWAY,
    schema.NAME,
    schema.LENGTH_M,
    *STREET_TAGS,
)

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
    tags: pd.DataFrame | None = None,
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
    tags
        Optional columns of :data:`STREET_TAGS` (``surface``, ``bridge``, ...), row for row;
        missing ones are left empty.

    Returns
    -------
    streets
        Frame indexed by ``street_id`` with columns ``highway``, ``name``, ``length_m`` and the
        :data:`STREET_TAGS`.
    """

    def first(values: pd.Series) -> pd.Series:
        return values.map(lambda v: v[0] if isinstance(v, list) and v else v)

    columns = {
        schema.HIGHWAY: as_text(first(highway.reset_index(drop=True))),
        schema.NAME: as_text(first(name.reset_index(drop=True))),
    }
    for key in STREET_TAGS:
        if tags is not None and key in tags.columns:
            text = as_text(first(tags[key].reset_index(drop=True)))
            columns[key] = text.map(lambda v: v.lower() if isinstance(v, str) else None)
        else:
            columns[key] = pd.Series(pd.NA, index=range(len(geometry)), dtype=object)
    frame = gpd.GeoDataFrame(
        columns,
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


def empty_streets(crs: pyproj.CRS) -> gpd.GeoDataFrame:
    """Return an empty streets frame in ``crs`` (no highway in the input)."""
    frame = gpd.GeoDataFrame({c: [] for c in STREET_OUTPUT_COLUMNS}, geometry=[], crs=crs)
    frame.index.name = schema.STREET_ID
    return frame


def _edge_ids(way: pd.Series, u: pd.Series, v: pd.Series) -> pd.Series:
    """Street ids ``"way/<way id>/<lower node id>-<higher node id>"`` (direction-free)."""
    u_arr, v_arr = u.to_numpy(dtype="int64"), v.to_numpy(dtype="int64")
    lo = pd.Series(np.minimum(u_arr, v_arr), index=way.index).astype(str)
    hi = pd.Series(np.maximum(u_arr, v_arr), index=way.index).astype(str)
    return "way/" + way.astype("int64").astype(str) + "/" + lo + "-" + hi


def osm_streets(
    edges: gpd.GeoDataFrame, *, way: str, source: str, crs: pyproj.CRS
) -> gpd.GeoDataFrame:
    """Node-to-node OSM segments -> trenchable street lines joined between junctions."""
    if "highway" not in edges.columns:
        return empty_streets(crs)

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
            **{
                key: as_text(first(edges[key])).to_numpy()
                for key in STREET_TAGS
                if key in edges.columns
            },
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
        tags=chains[[k for k in STREET_TAGS if k in chains.columns]],
    )


def _dedupe(ids: pd.Series) -> pd.Series:
    """Append ``#k`` to repeated ids (k = 1, 2, ... in order of appearance)."""
    count = ids.groupby(ids).cumcount()
    return ids.where(count == 0, ids + "#" + count.astype(str))


def streets_from_graph(G: Any, *, source: str, crs: pyproj.CRS) -> gpd.GeoDataFrame:
    """Turn an unsimplified osmnx graph into the standard (undirected, noded) streets frame."""
    import osmnx as ox

    if G.number_of_edges() == 0:
        return empty_streets(crs)
    edges = ox.graph_to_gdfs(G, nodes=False, fill_edge_geometry=True).reset_index()
    edges["way"] = edges["osmid"].map(lambda v: v[0] if isinstance(v, list) else v)
    sid = _edge_ids(edges["way"], edges["u"], edges["v"])
    edges = edges.loc[~sid.duplicated().to_numpy()]
    return osm_streets(edges, way="way", source=source, crs=crs)
