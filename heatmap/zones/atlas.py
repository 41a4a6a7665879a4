"""Street heat atlas: the heat each street segment between junctions would carry, and its LHD.

Every building with heat demand is assigned to the street segment it would connect to (the
nearest one, measured from its footprint; the gap is its service-pipe length). A segment's linear
heat density is the heat of the buildings assigned to it divided by its own length, as in
Scotland's national assessment of potential heat network zones, which scores every road segment
this way. This is the per-segment LHD: the heat a pipe carries downstream is a different
quantity with its own name.
"""

from __future__ import annotations

import dataclasses
import itertools
import logging
from collections.abc import Hashable, Mapping
from dataclasses import dataclass

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import shapely
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from heatmap import schema
from heatmap.errors import CRSError, SchemaError
from heatmap.zones._segments import Segment, street_segments
from heatmap.zones.zone_params import AtlasParams as AtlasParams
from heatmap.zones.zone_params import lhd_class_labels as lhd_class_labels

__all__ = [
    "AtlasParams",
    "StreetAtlas",
    "atlas_table",
    "lhd_class",
    "lhd_class_labels",
    "street_heat_atlas",
]

logger = logging.getLogger(__name__)

SERVICE_LENGTH_M = "service_length_m"
"""Gap from a building's footprint to the street segment it joins, m (atlas assignment)."""

SEGMENT_COLUMNS: tuple[str, ...] = (
    "u",
    "v",
    schema.LENGTH_M,
    schema.HEAT_DEMAND_MWH_PER_A,
    "n_buildings",
    "n_anchors",
    schema.LHD_MWH_PER_M_A,
    "lhd_class",
    schema.NAME,
    schema.HIGHWAY,
    "street_ids",
)


@dataclass(frozen=True)
class StreetAtlas:
    """Street segments with the heat of the buildings assigned to them.

    Attributes
    ----------
    segments
        One row per street segment between junctions, index ``segment_id`` (``"S000001"``...),
        columns ``u``, ``v`` (graph end nodes, junctions), ``length_m``,
        ``heat_demand_mwh_per_a``, ``n_buildings``, ``n_anchors``, ``lhd_mwh_per_m_a``,
        ``lhd_class`` (e.g. ``"3–4"``), ``name``, ``highway``, ``street_ids`` (comma-joined);
        LineString geometry from ``u`` to ``v`` in the graph's CRS.
    assignment
        One row per building with demand that joined a segment, index ``building_id``, columns
        ``segment_id``, ``service_length_m``, ``heat_demand_mwh_per_a``, ``is_anchor``.
        Buildings with demand farther than ``max_service_length_m`` from every street have no
        row.
    unassigned
        Ids of the buildings with demand that joined no segment.
    anchor_threshold_mwh_per_a
        The threshold the anchors were counted with.
    edges
        One row per street edge of the graph: ``u``, ``v`` (its nodes, as in the graph),
        ``street_id`` and the ``segment_id`` it belongs to, to look up the segment LHD of a
        route edge (by node pair, or by ``street_id`` for edges split by attached terminals).
    """

    segments: gpd.GeoDataFrame
    assignment: pd.DataFrame
    unassigned: tuple[str, ...] = ()
    anchor_threshold_mwh_per_a: float = 500.0
    edges: pd.DataFrame = dataclasses.field(
        default_factory=lambda: pd.DataFrame(columns=["u", "v", schema.STREET_ID, "segment_id"])
    )


def lhd_class(lhd_mwh_per_m_a: np.ndarray, breaks: tuple[float, ...]) -> np.ndarray:
    """Return the class label of each LHD value (a value on a limit goes to the upper class).

    Examples
    --------
    >>> lhd_class(np.array([0.0, 1.5, 3.9, 4.0, 12.0]), (1.5, 3.0, 4.0, 8.0)).tolist()
    ['< 1.5', '1.5–3', '3–4', '4–8', '≥ 8']
    """
    labels = np.asarray(lhd_class_labels(breaks), dtype=object)
    return labels[np.searchsorted(np.asarray(breaks, dtype=float), lhd_mwh_per_m_a, side="right")]


def _check_inputs(buildings: gpd.GeoDataFrame, G: nx.Graph) -> None:
    if schema.HEAT_DEMAND_MWH_PER_A not in buildings.columns:
        msg = (
            f"buildings: missing column {schema.HEAT_DEMAND_MWH_PER_A!r}; run the demand stage "
            "(heatmap.demand.estimate.estimate_demand) first"
        )
        raise SchemaError(msg)
    if buildings.crs is None or not buildings.crs.is_projected:
        msg = "buildings: need a projected metric CRS (e.g. EPSG:27700); reproject with to_crs()"
        raise CRSError(msg)
    crs = G.graph.get("crs")
    if crs is not None and not buildings.crs.equals(crs):
        msg = (
            f"buildings are in {buildings.crs.to_string()} but the street graph is not; "
            "reproject the buildings with to_crs() to the streets' CRS"
        )
        raise CRSError(msg)


def _assign(
    geoms: np.ndarray, segment_geoms: np.ndarray, max_m: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Nearest segment of each footprint within ``max_m`` (ties: lowest segment number)."""
    if len(geoms) == 0 or len(segment_geoms) == 0:
        empty = np.array([], dtype=int)
        return empty, empty, np.array([], dtype=float)
    tree = shapely.STRtree(segment_geoms)
    (bi, si), dist = tree.query_nearest(
        geoms, max_distance=max_m, return_distance=True, all_matches=True
    )
    order = np.lexsort((si, dist, bi))
    bi, si, dist = bi[order], si[order], dist[order]
    first = np.concatenate([[True], bi[1:] != bi[:-1]]) if len(bi) else np.array([], dtype=bool)
    return bi[first], si[first], dist[first]


def _assign_roads_first(
    geoms: np.ndarray,
    cand: np.ndarray,
    seg_geoms: np.ndarray,
    roads: np.ndarray,
    paths: np.ndarray,
    params: AtlasParams,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Buildings ``cand`` to the nearest road segment, else (none near) the nearest path.

    Returns the building rows, their segment numbers and service lengths.
    """
    out_rows, out_seg, out_dist = [], [], []
    left = cand
    for mask in (roads, paths):
        allowed = np.flatnonzero(mask)
        bi, si, dist = _assign(geoms[left], seg_geoms[allowed], params.max_service_length_m)
        out_rows.append(left[bi])
        out_seg.append(allowed[si])
        out_dist.append(dist)
        left = np.setdiff1d(left, left[bi])
    rows = np.concatenate(out_rows)
    order = np.argsort(rows, kind="stable")
    return rows[order], np.concatenate(out_seg)[order], np.concatenate(out_dist)[order]


def _long_components(segs: list[Segment], min_length_m: float) -> np.ndarray:
    """Which segments lie in a connected street component at least ``min_length_m`` long."""
    if not segs or min_length_m <= 0:
        return np.ones(len(segs), dtype=bool)
    keys: dict[Hashable, int] = {}
    u = np.array([keys.setdefault(s.nodes[0], len(keys)) for s in segs])
    v = np.array([keys.setdefault(s.nodes[-1], len(keys)) for s in segs])
    n = len(keys)
    adj = coo_matrix((np.ones(len(segs)), (u, v)), shape=(n, n))
    _, label = connected_components(adj, directed=False)
    seg_label = label[u]
    total = np.bincount(seg_label, weights=[s.length_m for s in segs])
    return total[seg_label] >= min_length_m


def _street_names(streets: gpd.GeoDataFrame | None) -> dict[str, str]:
    if streets is None or schema.NAME not in streets.columns:
        return {}
    names = streets[schema.NAME]
    keep = names.notna() & (names.astype(str) != "")
    return dict(zip(streets.index[keep].astype(str), names[keep].astype(str), strict=True))


def street_heat_atlas(
    buildings: gpd.GeoDataFrame,
    G: nx.Graph,
    *,
    params: AtlasParams | None = None,
    anchor_threshold_mwh_per_a: float = 500.0,
    streets: gpd.GeoDataFrame | None = None,
) -> StreetAtlas:
    """Assign buildings to street segments and compute each segment's linear heat density.

    Parameters
    ----------
    buildings
        Output of the demand stage: index ``building_id``, ``heat_demand_mwh_per_a`` (0 or NaN
        for excluded buildings, which join no segment), footprint geometry in the graph's CRS.
        Not modified.
    G
        Street graph from :func:`heatmap.routing.graph.build_street_graph` (node ``x``/``y``,
        edge ``length_m``, ``geometry``, ``highway``, ``street_id``, optional ``name``); service
        edges and terminals, if any, are ignored. Not modified.
    params
        Service-length limit and LHD class limits (a :class:`~heatmap.zones.zone_params.
        ZoneParams` serves too).
    anchor_threshold_mwh_per_a
        A building of at least this annual demand is an anchor load.
    streets
        The street layer the graph was built from; its ``name`` column names the segments
        (looked up by ``street_id``) when the graph's edges carry no ``name``.

    Returns
    -------
    atlas
        See :class:`StreetAtlas`.

    Raises
    ------
    SchemaError
        If the buildings have no ``heat_demand_mwh_per_a``.
    CRSError
        If the buildings are not in the graph's projected CRS.

    Notes
    -----
    Segments of street fragments shorter in all than ``params.min_component_length_m`` take no
    buildings. Each building joins the road segment nearest its footprint (distance 0 for a
    footprint touching the street); among equally near segments the one numbered first. Paths
    (``params.path_highways``: footways, cycleways, …) take only buildings with no road within
    ``params.max_service_length_m``. A
    segment's LHD is its heat ÷ its length (0 for a segment with no heat).

    Examples
    --------
    A 100 m street between two junctions and two houses of 150 and 250 MWh/a beside it:

    >>> from shapely import LineString, box
    >>> G = nx.Graph(crs="EPSG:27700")
    >>> G.add_nodes_from([(0, {"x": 0.0, "y": 0.0}), (1, {"x": 100.0, "y": 0.0})])
    >>> G.add_edge(0, 1, length_m=100.0, geometry=LineString([(0, 0), (100, 0)]), from_node=0)
    >>> b = gpd.GeoDataFrame({"heat_demand_mwh_per_a": [150.0, 250.0]},
    ...     geometry=[box(10, 5, 20, 15), box(40, -30, 60, -10)], crs="EPSG:27700",
    ...     index=pd.Index(["a", "b"], name="building_id"))
    >>> atlas = street_heat_atlas(b, G)
    >>> cols = ["length_m", "heat_demand_mwh_per_a", "lhd_mwh_per_m_a", "lhd_class"]
    >>> print(atlas.segments[cols].to_string(index=False))
     length_m  heat_demand_mwh_per_a  lhd_mwh_per_m_a lhd_class
        100.0                  400.0              4.0       4–8
    >>> atlas.assignment["service_length_m"].tolist()
    [5.0, 10.0]
    """
    params = params or AtlasParams()
    _check_inputs(buildings, G)
    segs = street_segments(G, _street_names(streets))
    ids = pd.Index([f"S{i + 1:06d}" for i in range(len(segs))], name=schema.SEGMENT_ID)
    seg_geoms = np.array([s.geometry for s in segs], dtype=object)
    length = np.array([s.length_m for s in segs], dtype=float)

    heat_all = pd.to_numeric(buildings[schema.HEAT_DEMAND_MWH_PER_A], errors="coerce")
    geoms_all = buildings.geometry.to_numpy()
    ok = (heat_all.fillna(0.0).to_numpy() > 0) & ~(
        shapely.is_missing(geoms_all) | shapely.is_empty(geoms_all)
    )
    cand = np.flatnonzero(ok)
    long_enough = _long_components(segs, params.min_component_length_m)
    path = np.array([s.highway in params.path_highways for s in segs], dtype=bool)
    rows, si, dist = _assign_roads_first(
        geoms_all, cand, seg_geoms, long_enough & ~path, long_enough & path, params
    )
    heat = heat_all.to_numpy(dtype=float)[rows]
    anchor = heat >= anchor_threshold_mwh_per_a
    building_ids = buildings.index[rows]
    assignment = pd.DataFrame(
        {
            schema.SEGMENT_ID: ids[si].to_numpy(),
            SERVICE_LENGTH_M: dist,
            schema.HEAT_DEMAND_MWH_PER_A: heat,
            schema.IS_ANCHOR: anchor,
        },
        index=pd.Index(building_ids, name=schema.BUILDING_ID),
    )
    left = set(buildings.index[cand]) - set(building_ids)
    unassigned = tuple(sorted(str(i) for i in left))
    if unassigned:
        logger.warning(
            "street heat atlas: %d building(s) with demand lie farther than %g m from every "
            "street and join no segment (e.g. %s)",
            len(unassigned),
            params.max_service_length_m,
            ", ".join(unassigned[:5]),
        )

    n = len(segs)
    seg_heat = np.bincount(si, weights=heat, minlength=n)
    with np.errstate(divide="ignore", invalid="ignore"):
        lhd = np.where(seg_heat > 0, seg_heat / np.where(length > 0, length, np.nan), 0.0)
    lhd = np.where(np.isnan(lhd), np.inf, lhd)  # heat on a zero-length segment
    frame = pd.DataFrame(
        {
            "u": [s.nodes[0] for s in segs],
            "v": [s.nodes[-1] for s in segs],
            schema.LENGTH_M: length,
            schema.HEAT_DEMAND_MWH_PER_A: seg_heat,
            "n_buildings": np.bincount(si, minlength=n).astype(int),
            "n_anchors": np.bincount(si, weights=anchor.astype(float), minlength=n).astype(int),
            schema.LHD_MWH_PER_M_A: lhd,
            "lhd_class": lhd_class(lhd, params.lhd_class_breaks_mwh_per_m_a),
            schema.NAME: [s.name for s in segs],
            schema.HIGHWAY: [s.highway for s in segs],
            "street_ids": [",".join(s.street_ids) for s in segs],
        },
        index=ids,
    )
    segments = gpd.GeoDataFrame(frame, geometry=list(seg_geoms), crs=G.graph.get("crs"))
    logger.info(
        "street heat atlas: %d segments, %d buildings assigned (%.0f MWh/a), %d unassigned",
        n,
        len(assignment),
        float(heat.sum()),
        len(unassigned),
    )
    return StreetAtlas(
        segments, assignment, unassigned, anchor_threshold_mwh_per_a, _edge_table(G, segs, ids)
    )


def _edge_table(G: nx.Graph, segs: list[Segment], ids: pd.Index) -> pd.DataFrame:
    rows = []
    for sid, s in zip(ids, segs, strict=True):
        for a, b in itertools.pairwise(s.nodes):
            rows.append((a, b, str(G.edges[a, b].get(schema.STREET_ID, "")), sid))
    return pd.DataFrame(rows, columns=["u", "v", schema.STREET_ID, schema.SEGMENT_ID])


def atlas_table(atlas: StreetAtlas, *, rounding: Mapping[str, int] | None = None) -> pd.DataFrame:
    """Return the atlas's segments as a plain table (no geometry), for ``street_lhd.csv``.

    Parameters
    ----------
    atlas
        From :func:`street_heat_atlas`.
    rounding
        Decimals per column (default: lengths 1, heat 1, LHD 3).

    Returns
    -------
    table
        Index ``segment_id``; the columns of :attr:`StreetAtlas.segments` without geometry.
    """
    rounding = (
        dict(rounding)
        if rounding is not None
        else {schema.LENGTH_M: 1, schema.HEAT_DEMAND_MWH_PER_A: 1, schema.LHD_MWH_PER_M_A: 3}
    )
    table = pd.DataFrame(atlas.segments.drop(columns=atlas.segments.geometry.name))
    return table.round(rounding)
