"""Street network -> undirected projected graph with terminals (loads, energy centre) attached.

The graph is an :class:`networkx.Graph` in a projected metric CRS (``G.graph["crs"]``):

* street junctions are integer nodes with ``x`` and ``y`` (metres);
* street edges carry ``length_m``, ``highway``, ``cost_class`` (:class:`~heatmap.schema.DigClass`),
  ``trench_cost_gbp_per_m``, ``weight`` (trench cost in £ or length in m, see
  :class:`NetworkParams`), ``kind`` (:class:`~heatmap.schema.EdgeKind`), ``geometry`` (a
  LineString that starts at node ``from_node``) and ``street_id``;
* terminals are string nodes ``"T:<id>"`` with ``terminal_id`` and ``role`` (``"plant"`` or
  ``"load"``), joined to the street they are nearest to by a ``SERVICE`` edge of their true
  distance from it (at least ``snap_tolerance_m``, so that no edge has zero length); the street
  edge is split at the projection point.

Pipes are laid in trenches under streets, so the street graph is undirected; the route stage
orients the chosen tree from the energy centre.
"""

from __future__ import annotations

import logging
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any, Literal

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import shapely
from shapely import LineString
from shapely.ops import substring

from heatmap import schema
from heatmap.errors import CRSError, DisconnectedNetworkError, InputError, SchemaError

__all__ = [
    "NetworkParams",
    "attach_terminals",
    "build_street_graph",
    "graph_edges_gdf",
    "keep_largest_component",
    "largest_reachable_component",
    "terminal_node",
]

logger = logging.getLogger(__name__)

TERMINAL_PREFIX = "T:"
"""Prefix of terminal node names: the node of terminal ``"way/1"`` is ``"T:way/1"``."""

_HARD_DIG_DEFAULT: tuple[str, ...] = (
    "motorway",
    "motorway_link",
    "trunk",
    "trunk_link",
    "primary",
    "primary_link",
    "secondary",
    "secondary_link",
)

_THERMOS = "../shared/data/facts/thermos_default_pipe_costs.csv (THERMOS defaults)"


@dataclass(frozen=True)
class NetworkParams:
    """Parameters of the network stage (scenario table ``[network]``)."""

    hard_dig_highways: tuple[str, ...] = field(
        default=_HARD_DIG_DEFAULT,
        metadata={
            "doc": "OSM highway values dug as hard dig (carriageway reinstatement); others soft",
            "source": "issue 5: trunk and primary roads hard, residential/service/footway soft",
        },
    )
    trench_cost_soft_gbp_per_m: float = field(
        default=249.0,
        metadata={
            "doc": "civils (trench) cost of soft dig per metre of route, GBP/m",
            "source": f"{_THERMOS}: civils_soft_per_m at DN100",
        },
    )
    trench_cost_hard_gbp_per_m: float = field(
        default=774.0,
        metadata={
            "doc": "civils (trench) cost of hard dig per metre of route, GBP/m",
            "source": f"{_THERMOS}: civils_hard_per_m at DN100",
        },
    )
    service_trench_cost_gbp_per_m: float = field(
        default=249.0,
        metadata={
            "doc": "civils cost of a service connection trench (street to building), GBP/m",
            "source": f"{_THERMOS}: civils_soft_per_m at DN100 (service runs are soft dig)",
        },
    )
    weight: Literal["cost", "length"] = field(
        default="cost",
        metadata={
            "doc": "edge weight minimised by the router: 'cost' = trench GBP, 'length' = metres",
            "source": "issue 5",
        },
    )
    max_service_length_m: float = field(
        default=100.0,
        metadata={
            "doc": "terminals farther than this from every street are reported unreachable, m",
            "source": "engineering judgement: a longer run is a private main, not a service",
        },
    )
    snap_tolerance_m: float = field(
        default=0.01,
        metadata={
            "doc": "street end points on the same grid cell of this size are one junction, m",
            "source": "float noise in noded street layers (issue 5)",
        },
    )

    def __post_init__(self) -> None:
        for name in (
            "trench_cost_soft_gbp_per_m",
            "trench_cost_hard_gbp_per_m",
            "service_trench_cost_gbp_per_m",
        ):
            if not getattr(self, name) > 0:
                msg = f"{name}: must be > 0 GBP/m, got {getattr(self, name)}"
                raise ValueError(msg)
        if self.weight not in ("cost", "length"):
            msg = f"weight: must be 'cost' or 'length', got {self.weight!r}"
            raise ValueError(msg)
        if not self.max_service_length_m > 0:
            msg = f"max_service_length_m: must be > 0 m, got {self.max_service_length_m}"
            raise ValueError(msg)
        if not 0 < self.snap_tolerance_m < 10:
            msg = f"snap_tolerance_m: must be in (0, 10) m, got {self.snap_tolerance_m}"
            raise ValueError(msg)

    def dig_class(self, highway: str) -> schema.DigClass:
        """Return the dig class of an OSM ``highway`` value."""
        return schema.DigClass.HARD if highway in self.hard_dig_highways else schema.DigClass.SOFT

    def trench_cost(self, dig_class: schema.DigClass) -> float:
        """Return the trench cost of ``dig_class`` in GBP/m."""
        if dig_class == schema.DigClass.HARD:
            return self.trench_cost_hard_gbp_per_m
        return self.trench_cost_soft_gbp_per_m

    def edge_weight(self, length_m: np.ndarray, cost_gbp_per_m: np.ndarray) -> np.ndarray:
        """Return the router's weight of edges of ``length_m`` at ``cost_gbp_per_m``."""
        return length_m * cost_gbp_per_m if self.weight == "cost" else length_m.copy()


def terminal_node(terminal_id: object) -> str:
    """Return the graph node of a terminal id (``"T:<id>"``).

    Examples
    --------
    >>> terminal_node("way/123")
    'T:way/123'
    """
    return f"{TERMINAL_PREFIX}{terminal_id}"


def _check_crs(gdf: gpd.GeoDataFrame, what: str) -> None:
    if gdf.crs is None:
        msg = f"{what} have no CRS; set one (e.g. gdf.set_crs(...)) and project to metres"
        raise CRSError(msg)
    if not gdf.crs.is_projected:
        msg = (
            f"{what} are in a geographic CRS ({gdf.crs.to_string()}); project them to a metric "
            "CRS first (EPSG:27700 in Great Britain, else gdf.estimate_utm_crs())"
        )
        raise CRSError(msg)


def _highway_str(values: pd.Series) -> np.ndarray:
    """OSM highway values as strings (lists, as osmnx gives them, become their first item)."""

    def one(v: Any) -> str:
        if isinstance(v, list | tuple):
            return str(v[0]) if v else ""
        return "" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v)

    return np.array([one(v) for v in values], dtype=object)


def build_street_graph(
    streets: gpd.GeoDataFrame, *, params: NetworkParams = NetworkParams()
) -> nx.Graph:
    """Build the undirected street graph the router searches.

    Parameters
    ----------
    streets
        Street centre lines (LineString or MultiLineString) in a projected metric CRS, index
        ``street_id``, column ``highway``; ``length_m`` is used when present (else the geometry
        length). The layer must be noded: junctions are shared end points, which are snapped
        on a grid of ``params.snap_tolerance_m``.
    params
        Dig classes, trench costs, weight and snap tolerance.

    Returns
    -------
    G
        Undirected graph; see the module docstring for the attributes. ``G.graph["crs"]`` is the
        streets' CRS.

    Raises
    ------
    CRSError
        If the streets have no CRS or a geographic one.
    SchemaError
        If ``highway`` is missing, or a geometry is not a line.
    InputError
        If there are no streets, or a ``length_m`` is negative or not finite.

    Notes
    -----
    Parallel streets between the same pair of junctions are reduced to the one of lowest
    weight (a trench follows only one of them). Streets whose two ends snap to the same junction
    (closed loops, degenerate lines) cannot carry a tree edge and are dropped; the number
    dropped is logged. MultiLineStrings are split into their parts.

    Examples
    --------
    Two 100 m residential streets meeting at a corner:

    >>> import geopandas as gpd
    >>> from shapely import LineString
    >>> streets = gpd.GeoDataFrame(
    ...     {"highway": ["residential", "residential"]},
    ...     geometry=[LineString([(0, 0), (100, 0)]), LineString([(100, 0), (100, 100)])],
    ...     index=pd.Index(["s1", "s2"], name="street_id"), crs="EPSG:27700")
    >>> G = build_street_graph(streets)
    >>> G.number_of_nodes(), G.number_of_edges()
    (3, 2)
    >>> d = G.edges[0, 1]
    >>> d["length_m"], str(d["cost_class"]), d["street_id"]
    (100.0, 'soft', 's1')
    """
    _check_crs(streets, "streets")
    if schema.HIGHWAY not in streets.columns:
        msg = f"streets: missing column {schema.HIGHWAY!r} (OSM highway value per street)"
        raise SchemaError(msg)
    if len(streets) == 0:
        msg = "streets: the layer is empty; check the study area or the OSM extract"
        raise InputError(msg)
    gdf = streets[[schema.HIGHWAY, streets.geometry.name]].copy()
    gdf[schema.STREET_ID] = streets.index.astype(str)
    geom_len = shapely.length(streets.geometry.to_numpy())
    if schema.LENGTH_M in streets.columns:
        given = streets[schema.LENGTH_M].to_numpy(dtype=float)
        bad = ~np.isfinite(given) | (given < 0)
        if bad.any():
            ids = ", ".join(gdf[schema.STREET_ID].to_numpy()[bad][:5])
            msg = f"streets: {int(bad.sum())} negative or missing {schema.LENGTH_M} (e.g. {ids})"
            raise InputError(msg)
        # keep the given length as the authority; per part it is shared by geometry length
        gdf["_len_scale"] = np.where(geom_len > 0, given / np.where(geom_len > 0, geom_len, 1), 1)
    else:
        gdf["_len_scale"] = 1.0
    gdf = gdf.explode(index_parts=False)
    geoms = gdf.geometry.to_numpy()
    types = shapely.get_type_id(geoms)
    if (types != shapely.GeometryType.LINESTRING).any():
        bad_ids = gdf[schema.STREET_ID].to_numpy()[types != shapely.GeometryType.LINESTRING][:5]
        msg = f"streets: non-line geometries (e.g. street_id {', '.join(bad_ids)})"
        raise SchemaError(msg)

    start = shapely.get_coordinates(shapely.get_point(geoms, 0))
    end = shapely.get_coordinates(shapely.get_point(geoms, -1))
    tol = params.snap_tolerance_m
    keys = np.round(np.vstack([start, end]) / tol).astype(np.int64)
    uniq, inverse = np.unique(keys, axis=0, return_inverse=True)
    inverse = inverse.ravel()
    n = len(geoms)
    u, v = inverse[:n], inverse[n:]
    node_xy = np.zeros((len(uniq), 2))
    node_xy[inverse] = np.vstack([start, end])

    length = shapely.length(geoms) * gdf["_len_scale"].to_numpy()
    highway = _highway_str(gdf[schema.HIGHWAY])
    hard = np.isin(highway, np.asarray(params.hard_dig_highways, dtype=object))
    rate = np.where(hard, params.trench_cost_hard_gbp_per_m, params.trench_cost_soft_gbp_per_m)
    weight = params.edge_weight(length, rate)

    table = pd.DataFrame(
        {
            "u": u,
            "v": v,
            "a": np.minimum(u, v),
            "b": np.maximum(u, v),
            "w": weight,
            "i": np.arange(n),
        }
    )
    loops = table["a"] == table["b"]
    if loops.any():
        logger.info(
            "streets: dropped %d closed or degenerate lines (both ends one junction)",
            int(loops.sum()),
        )
    table = table[~loops].sort_values(["w", "i"]).drop_duplicates(["a", "b"], keep="first")
    n_parallel = int((~loops).sum()) - len(table)
    if n_parallel:
        logger.info("streets: kept the cheapest of parallel streets, dropped %d", n_parallel)
    table = table.sort_values("i")

    G = nx.Graph(crs=streets.crs, snap_tolerance_m=tol)
    used = np.unique(table[["u", "v"]].to_numpy())
    G.add_nodes_from((int(k), {"x": float(node_xy[k, 0]), "y": float(node_xy[k, 1])}) for k in used)
    street_ids = gdf[schema.STREET_ID].to_numpy()
    idx = table["i"].to_numpy()
    dig = np.where(hard, schema.DigClass.HARD.value, schema.DigClass.SOFT.value)
    G.add_edges_from(
        (
            int(u[i]),
            int(v[i]),
            {
                schema.LENGTH_M: float(length[i]),
                schema.HIGHWAY: highway[i],
                schema.COST_CLASS: schema.DigClass(dig[i]),
                schema.TRENCH_COST_GBP_PER_M: float(rate[i]),
                "weight": float(weight[i]),
                schema.KIND: schema.EdgeKind.STREET,
                "geometry": geoms[i],
                schema.STREET_ID: street_ids[i],
                "from_node": int(u[i]),
            },
        )
        for i in idx
    )
    logger.info("street graph: %d nodes, %d edges", G.number_of_nodes(), G.number_of_edges())
    return G


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
    params: NetworkParams = NetworkParams(),
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
    _check_crs(points, "terminal points")
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
    too_far = dist > params.max_service_length_m
    if too_far.any():
        far = ", ".join(f"{ids[i]} ({dist[k]:.0f} m)" for k, i in enumerate(pi) if too_far[k])
        msg = (
            f"{int(too_far.sum())} terminal(s) lie farther than max_service_length_m="
            f"{params.max_service_length_m:g} m from every street: {far[:400]}"
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


def largest_reachable_component(G: nx.Graph, root: Hashable) -> tuple[nx.Graph, set[str]]:
    """Keep the part of ``G`` reachable from ``root`` (the energy centre).

    Parameters
    ----------
    G
        Network graph (not modified).
    root
        Node of the energy centre.

    Returns
    -------
    H
        The connected component holding ``root`` (a copy).
    unreachable
        Ids of the terminals outside it, plus those never attached (``G.graph["unattached"]``).

    Raises
    ------
    DisconnectedNetworkError
        If ``root`` is not a node of ``G``.

    Examples
    --------
    >>> G = nx.Graph([("T:ec", 1), (1, "T:a"), ("x", "T:b")])
    >>> nx.set_node_attributes(G, {"T:a": "a", "T:b": "b"}, "terminal_id")
    >>> H, unreachable = largest_reachable_component(G, "T:ec")
    >>> sorted(H.nodes, key=str), unreachable
    ([1, 'T:a', 'T:ec'], {'b'})
    """
    if root not in G:
        msg = f"energy centre node {root!r} is not in the network graph; attach it first"
        raise DisconnectedNetworkError(msg)
    comp = nx.node_connected_component(G, root)
    unreachable = {
        str(d["terminal_id"]) for n, d in G.nodes(data=True) if "terminal_id" in d and n not in comp
    }
    unreachable |= {str(t) for t in G.graph.get("unattached", ())}
    if unreachable:
        logger.warning(
            "%d terminal(s) cannot be reached from %r: %s",
            len(unreachable),
            root,
            ", ".join(sorted(unreachable)[:10]),
        )
    return G.subgraph(comp).copy(), unreachable


def keep_largest_component(G: nx.Graph) -> nx.Graph:
    """Return the largest connected component of a street graph (a copy).

    Street extracts hold fragments (courtyard footways, paths cut by the extract boundary)
    that touch no other street. Attaching a building to its nearest fragment strands it, so
    attach terminals to the main component instead; a terminal then joins the nearest street
    it can actually be routed from (or is reported too far).

    Parameters
    ----------
    G
        Street graph (not modified).

    Returns
    -------
    H
        The component with the most nodes; the number of nodes dropped is logged.

    Examples
    --------
    >>> G = nx.Graph([(0, 1), (1, 2), (7, 8)])
    >>> sorted(keep_largest_component(G).nodes)
    [0, 1, 2]
    """
    if G.number_of_nodes() == 0:
        return G.copy()
    comp = max(nx.connected_components(G), key=len)
    dropped = G.number_of_nodes() - len(comp)
    if dropped:
        logger.info(
            "kept the largest street component: %d of %d nodes (%d dropped)",
            len(comp),
            G.number_of_nodes(),
            dropped,
        )
    return G.subgraph(comp).copy()


def graph_edges_gdf(G: nx.Graph) -> gpd.GeoDataFrame:
    """Return the edges of a network graph as a GeoDataFrame (for maps and checks).

    Parameters
    ----------
    G
        Network graph.

    Returns
    -------
    gdf_edges
        One row per edge: ``u``, ``v``, the edge attributes and ``geometry``; CRS from
        ``G.graph["crs"]``.

    Examples
    --------
    >>> from shapely import LineString
    >>> G = nx.Graph(crs="EPSG:27700")
    >>> G.add_edge(0, 1, length_m=100.0, geometry=LineString([(0, 0), (100, 0)]))
    >>> edges = graph_edges_gdf(G)
    >>> edges[["u", "v", "length_m"]].to_dict("records"), edges.crs.to_epsg()
    ([{'u': 0, 'v': 1, 'length_m': 100.0}], 27700)
    """
    rows = [{"u": a, "v": b, **d} for a, b, d in G.edges(data=True)]
    frame = pd.DataFrame(rows)
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=G.graph.get("crs"))
