"""Terminals on the street graph: attach loads and the energy centre, and the loads table.

A terminal is a string node ``"T:<id>"`` joined to the street it is nearest to by a service
edge; the street edge is split at the projection point.
"""

from __future__ import annotations

import logging
from collections.abc import Hashable, Mapping
from typing import Literal

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import shapely
from shapely import LineString
from shapely.ops import substring

from heatmap import schema
from heatmap.errors import (
    CRSError,
    InputError,
    SchemaError,
)
from heatmap.routing._crs import check_projected
from heatmap.routing.params import NetworkParams

__all__ = [
    "N_CONNECTIONS",
    "TERMINAL_PREFIX",
    "attach_terminals",
    "loads_from_terminals",
    "terminal_node",
]

logger = logging.getLogger(__name__)

_DEFAULT_PARAMS = NetworkParams()

TERMINAL_PREFIX = "T:"
"""Prefix of terminal node names: the node of terminal ``"way/1"`` is ``"T:way/1"``."""


N_CONNECTIONS = schema.N_CONNECTIONS
"""Loads column: connections (dwellings, buildings) behind one terminal, for diversity."""


def terminal_node(terminal_id: object) -> str:
    """Return the graph node of a terminal id (``"T:<id>"``).

    Examples
    --------
    >>> terminal_node("way/123")
    'T:way/123'
    """
    return f"{TERMINAL_PREFIX}{terminal_id}"


def _street_edge_arrays(G: nx.Graph) -> tuple[list[tuple[Hashable, Hashable]], np.ndarray]:
    edges = [(a, b) for a, b, k in G.edges(data=schema.KIND) if k == schema.EdgeKind.STREET]
    geoms = np.array([G.edges[e]["geometry"] for e in edges], dtype=object)
    return edges, geoms


def _split_edge(
    H: nx.Graph,
    edge: tuple[Hashable, Hashable],
    positions: np.ndarray,
    tol: float,
    next_node: int,
) -> tuple[list[Hashable], int]:
    """Split street ``edge`` of ``H`` at distances ``positions`` along its geometry.

    Returns the node at each position (an end node when within ``tol`` of it) and the next free
    integer node id.
    """
    data = H.edges[edge]
    geom: LineString = data["geometry"]
    start_node = data["from_node"]
    end_node = edge[1] if edge[0] == start_node else edge[0]
    total = geom.length
    cuts = np.unique(positions[(positions > tol) & (positions < total - tol)])
    # merge cuts closer than the tolerance
    if len(cuts) > 1:
        keep = np.concatenate([[True], np.diff(cuts) > tol])
        cuts = cuts[keep]
    cut_nodes: list[Hashable] = []
    for c in cuts:
        p = geom.interpolate(c)
        H.add_node(next_node, x=p.x, y=p.y)
        cut_nodes.append(next_node)
        next_node += 1
    chain = [start_node, *cut_nodes, end_node]
    dists = np.concatenate([[0.0], cuts, [total]])
    if len(cuts):
        H.remove_edge(*edge)
        scale = data[schema.LENGTH_M] / total if total > 0 else 1.0
        for k in range(len(chain) - 1):
            piece = substring(geom, dists[k], dists[k + 1])
            length = float((dists[k + 1] - dists[k]) * scale)
            attrs = dict(data)
            attrs.update(
                {
                    "geometry": piece,
                    schema.LENGTH_M: length,
                    "weight": data["weight"] * (dists[k + 1] - dists[k]) / total,
                    "from_node": chain[k],
                }
            )
            H.add_edge(chain[k], chain[k + 1], **attrs)
    # map every requested position to its node
    out: list[Hashable] = []
    for p in positions:
        j = int(np.argmin(np.abs(dists - p)))
        out.append(chain[j])
    return out, next_node


def attach_terminals(
    G: nx.Graph,
    points: gpd.GeoDataFrame,
    *,
    id_column: str,
    role: Literal["load", "plant"] | str = "load",
    on_unreachable: Literal["raise", "skip"] = "skip",
    params: NetworkParams = _DEFAULT_PARAMS,
) -> tuple[nx.Graph, dict[str, Hashable]]:
    """Attach terminals to their nearest street by splitting it, with a service edge each.

    Parameters
    ----------
    G
        Street graph from :func:`build_street_graph` (not modified).
    points
        Terminals: points or polygons (buildings) in the graph's CRS. For a polygon the service
        edge runs from its nearest boundary point to the street, so its length is the true gap.
    id_column
        Column holding the terminal ids (or ``points.index.name`` to use the index).
    role
        Stored on each terminal node: ``"load"`` or ``"plant"`` (energy centre); a column of
        that name in ``points``, if any, overrides it per row.
    on_unreachable
        ``"skip"`` logs and leaves out terminals farther than ``params.max_service_length_m``
        from every street (their ids go to ``H.graph["unattached"]``); ``"raise"`` raises.
    params
        Snap tolerance, service trench cost, weight.

    Returns
    -------
    H
        A new graph with the split streets, terminal nodes ``"T:<id>"`` (``x``, ``y``,
        ``terminal_id``, ``role``) and ``SERVICE`` edges.
    nodes
        Terminal id -> node, for the terminals attached.

    Raises
    ------
    CRSError
        If the points' CRS differs from the graph's.
    InputError
        On duplicate or missing ids, a graph with no streets, or (``on_unreachable="raise"``)
        terminals too far from every street.

    Examples
    --------
    An energy centre 5 m from one end of an L of two 100 m streets and two loads 10 m from
    them:

    >>> import geopandas as gpd
    >>> from shapely import LineString, Point
    >>> from heatmap.routing.graph import build_street_graph
    >>> streets = gpd.GeoDataFrame(
    ...     {"highway": ["residential", "residential"]},
    ...     geometry=[LineString([(0, 0), (100, 0)]), LineString([(100, 0), (100, 100)])],
    ...     crs="EPSG:27700")
    >>> points = gpd.GeoDataFrame(
    ...     {"building_id": ["ec", "a", "b"], "role": ["plant", "load", "load"]},
    ...     geometry=[Point(0, -5), Point(50, 10), Point(110, 80)], crs="EPSG:27700")
    >>> H, nodes = attach_terminals(build_street_graph(streets), points, id_column="building_id")
    >>> nodes
    {'ec': 'T:ec', 'a': 'T:a', 'b': 'T:b'}
    >>> sorted(d["length_m"] for _, _, d in H.edges(data=True) if d["kind"] == "service")
    [5.0, 10.0, 10.0]
    >>> H.number_of_nodes(), H.number_of_edges()  # both streets split where a load joins
    (8, 7)
    """
    check_projected(points, "terminal points")
    crs = G.graph.get("crs")
    if crs is not None and not points.crs.equals(crs):
        msg = (
            f"terminal points are in {points.crs.to_string()} but the street graph in "
            f"{gpd.GeoSeries([], crs=crs).crs.to_string()}; reproject with to_crs()"
        )
        raise CRSError(msg)
    if id_column in points.columns:
        ids = points[id_column].astype(str).to_numpy()
    elif id_column == points.index.name:
        ids = points.index.astype(str).to_numpy()
    else:
        msg = f"terminal points: no column or index named {id_column!r}"
        raise SchemaError(msg)
    dup = pd.Series(ids)[pd.Series(ids).duplicated()].unique()
    if len(dup):
        msg = f"terminal points: duplicate ids {', '.join(dup[:5])}; ids must be unique"
        raise InputError(msg)
    roles = (
        points["role"].astype(str).to_numpy()
        if "role" in points.columns
        else np.full(len(points), role, dtype=object)
    )
    H = G.copy()
    H.graph["unattached"] = tuple(G.graph.get("unattached", ()))
    if len(points) == 0:
        return H, {}
    edges, egeoms = _street_edge_arrays(H)
    if not edges:
        msg = "street graph has no street edges to attach terminals to"
        raise InputError(msg)
    pgeoms = points.geometry.to_numpy()
    empty = shapely.is_empty(pgeoms) | shapely.is_missing(pgeoms)
    if empty.any():
        msg = f"terminal points: empty geometry for id(s) {', '.join(ids[empty][:5])}"
        raise InputError(msg)
    tree = shapely.STRtree(egeoms)
    (pi, ei), dist = tree.query_nearest(pgeoms, return_distance=True, all_matches=False)
    order = np.argsort(pi, kind="stable")
    pi, ei, dist = pi[order], ei[order], dist[order]
    ei, dist = _not_across_barriers(H.graph.get("barriers"), tree, pgeoms, pi, ei, dist, params)
    too_far = dist > params.max_service_length_m
    if too_far.any():
        far = ", ".join(
            f"{ids[i]} ({dist[k]:.0f} m)" if np.isfinite(dist[k]) else f"{ids[i]} (across one)"
            for k, i in enumerate(pi)
            if too_far[k]
        )
        msg = (
            f"{int(too_far.sum())} terminal(s) lie farther than max_service_length_m="
            f"{params.max_service_length_m:g} m from every street they can reach without "
            f"crossing a railway or river: {far[:400]}"
        )
        if on_unreachable == "raise":
            raise InputError(msg)
        logger.warning("%s; left unattached", msg)
        H.graph["unattached"] = (*H.graph["unattached"], *ids[pi[too_far]].tolist())
    pi, ei, dist = pi[~too_far], ei[~too_far], dist[~too_far]
    # nearest point on the street, and where it lies along the street's geometry
    lines = shapely.shortest_line(pgeoms[pi], egeoms[ei])
    on_street = shapely.get_point(lines, -1)
    off_street = shapely.get_point(lines, 0)
    pos = shapely.line_locate_point(egeoms[ei], on_street)

    next_node = 1 + max((n for n in H.nodes if isinstance(n, int | np.integer)), default=-1)
    attach: dict[int, Hashable] = {}
    tol = params.snap_tolerance_m
    by_edge = np.argsort(ei, kind="stable")
    bounds = np.flatnonzero(np.diff(ei[by_edge])) + 1
    for grp in np.split(by_edge, bounds) if len(by_edge) else []:
        e = int(ei[grp[0]])
        nodes, next_node = _split_edge(H, edges[e], pos[grp], tol, next_node)
        attach.update(zip(pi[grp].tolist(), nodes, strict=True))

    svc_rate = params.service_trench_cost_gbp_per_m
    svc_premium = params.premium_of_cost(svc_rate)
    # a building touching the street still needs a (short) service; no zero-length edges
    dist = np.maximum(dist, tol)
    svc_w = params.edge_weight(dist, np.full(len(dist), svc_rate))
    result: dict[str, Hashable] = {}
    for k, i in enumerate(pi.tolist()):
        tnode = terminal_node(ids[i])
        if tnode in H:
            msg = f"terminal {ids[i]!r} is already attached to the graph (node {tnode!r})"
            raise InputError(msg)
        H.add_node(
            tnode,
            x=float(off_street[k].x),
            y=float(off_street[k].y),
            terminal_id=ids[i],
            role=str(roles[i]),
        )
        H.add_edge(
            tnode,
            attach[i],
            **{
                schema.LENGTH_M: float(dist[k]),
                schema.HIGHWAY: "",
                schema.COST_CLASS: schema.DigClass.SOFT,
                schema.DIG_CLASS: schema.TrenchClass.SERVICE,
                schema.DIG_PREMIUM: svc_premium,
                schema.TRENCH_COST_GBP_PER_M: svc_rate,
                "weight": float(svc_w[k]),
                schema.KIND: schema.EdgeKind.SERVICE,
                "geometry": LineString([off_street[k], on_street[k]]),
                schema.STREET_ID: "",
                "from_node": tnode,
            },
        )
        result[ids[i]] = tnode
    logger.info("attached %d terminal(s); %d unattached", len(result), int(too_far.sum()))
    return H, result


def loads_from_terminals(
    nodes: Mapping[str, Hashable], buildings: pd.DataFrame, *, phase_column: str | None = None
) -> pd.DataFrame:
    """Build the loads table of :func:`build_route` from attached terminals and a demand table.

    Parameters
    ----------
    nodes
        Terminal id -> node, from :func:`heatmap.routing.graph.attach_terminals`.
    buildings
        Indexed by the same ids, with ``heat_demand_mwh_per_a``, ``peak_load_kw`` and optionally
        ``n_connections``, ``is_anchor`` and the phase column.
    phase_column
        Column holding the phase (default: ``phase`` when present, else all phase 1).

    Returns
    -------
    loads
        Indexed by node.

    Examples
    --------
    >>> b = pd.DataFrame({"heat_demand_mwh_per_a": [400.0, 300.0], "peak_load_kw": [200.0, 150.0]},
    ...                  index=["a", "b"])
    >>> loads = loads_from_terminals({"a": "T:a", "b": "T:b", "ec": "T:ec"}, b)
    >>> print(loads.to_string())  # doctest: +NORMALIZE_WHITESPACE
          heat_demand_mwh_per_a  peak_load_kw  n_connections  is_anchor terminal_id  phase
    node
    T:a                   400.0         200.0              1      False           a      1
    T:b                   300.0         150.0              1      False           b      1
    """
    ids = [i for i in nodes if i in buildings.index]
    sub = buildings.loc[ids]
    out = pd.DataFrame(
        {
            schema.HEAT_DEMAND_MWH_PER_A: sub[schema.HEAT_DEMAND_MWH_PER_A].to_numpy(float),
            schema.PEAK_LOAD_KW: sub[schema.PEAK_LOAD_KW].to_numpy(float),
            N_CONNECTIONS: sub[N_CONNECTIONS].to_numpy(np.int64)
            if N_CONNECTIONS in sub.columns
            else 1,
            schema.IS_ANCHOR: sub[schema.IS_ANCHOR].to_numpy(bool)
            if schema.IS_ANCHOR in sub.columns
            else False,
            schema.TERMINAL_ID: ids,
        },
        index=pd.Index([nodes[i] for i in ids], name="node"),
    )
    col = phase_column or (schema.PHASE if schema.PHASE in sub.columns else None)
    out[schema.PHASE] = sub[col].to_numpy(np.int64) if col else 1
    return out


def _not_across_barriers(
    barriers: gpd.GeoDataFrame | None,
    tree: shapely.STRtree,
    pgeoms: np.ndarray,
    pi: np.ndarray,
    ei: np.ndarray,
    dist: np.ndarray,
    params: NetworkParams,
) -> tuple[np.ndarray, np.ndarray]:
    """Move services that would cross an at-grade railway or river.

    Each goes to the nearest street edge it reaches without crossing one (distance infinite
    where there is none in reach).
    """
    if barriers is None or barriers.empty or not len(pi):
        return ei, dist
    egeoms = tree.geometries
    btree = shapely.STRtree(barriers.geometry.to_numpy())
    lines = shapely.shortest_line(pgeoms[pi], egeoms[ei])
    crossing = np.zeros(len(pi), dtype=bool)
    li, _ = btree.query(lines, predicate="intersects")
    crossing[np.unique(li)] = True
    if not crossing.any():
        return ei, dist
    ei, dist = ei.copy(), dist.copy()
    for k in np.flatnonzero(crossing):
        point = pgeoms[pi[k]]
        near = tree.query(point, predicate="dwithin", distance=params.max_service_length_m)
        d = shapely.distance(point, egeoms[near])
        best, best_d = -1, np.inf
        for j in np.argsort(d, kind="stable"):
            line = shapely.shortest_line(point, egeoms[near[j]])
            if not len(btree.query(line, predicate="intersects")):
                best, best_d = int(near[j]), float(d[j])
                break
        ei[k], dist[k] = (best, best_d) if best >= 0 else (ei[k], np.inf)
    return ei, dist
