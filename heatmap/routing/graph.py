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
from typing import Any

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import shapely

from heatmap import schema
from heatmap.errors import (
    DisconnectedNetworkError,
    InputError,
    SchemaError,
)
from heatmap.routing._crs import check_projected
from heatmap.routing.dig import PASSAGE_TAG, passage_tagged, trench_classes
from heatmap.routing.params import NetworkParams as NetworkParams
from heatmap.routing.terminals import TERMINAL_PREFIX as TERMINAL_PREFIX
from heatmap.routing.terminals import attach_terminals as attach_terminals
from heatmap.routing.terminals import terminal_node as terminal_node

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

_DEFAULT_PARAMS = NetworkParams()


def _highway_str(values: pd.Series) -> np.ndarray:
    """OSM highway values as strings (lists, as osmnx gives them, become their first item)."""

    def one(v: Any) -> str:
        if isinstance(v, list | tuple):
            return str(v[0]) if v else ""
        return "" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v)

    return np.array([one(v) for v in values], dtype=object)


def build_street_graph(
    streets: gpd.GeoDataFrame, *, params: NetworkParams = _DEFAULT_PARAMS
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
    >>> d["length_m"], str(d["cost_class"]), str(d["dig_class"]), d["street_id"]
    (100.0, 'hard', 'road', 's1')
    """
    check_projected(streets, "streets")
    if schema.HIGHWAY not in streets.columns:
        msg = f"streets: missing column {schema.HIGHWAY!r} (OSM highway value per street)"
        raise SchemaError(msg)
    if len(streets) == 0:
        msg = "streets: the layer is empty; check the study area or the OSM extract"
        raise InputError(msg)
    tags = [c for c in schema.STREET_TAGS if c in streets.columns]
    gdf = streets[[schema.HIGHWAY, *tags, streets.geometry.name]].copy()
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
    classes, premium, basis = trench_classes(gdf, params)
    passage = passage_tagged(gdf)
    rate = params.premium_cost(premium)
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
    G.add_edges_from(
        (
            int(u[i]),
            int(v[i]),
            {
                schema.LENGTH_M: float(length[i]),
                schema.HIGHWAY: highway[i],
                schema.COST_CLASS: schema.DigClass(basis[i]),
                schema.DIG_CLASS: schema.TrenchClass(classes[i]),
                schema.DIG_PREMIUM: float(premium[i]),
                PASSAGE_TAG: bool(passage[i]),
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
