"""Energy-centre siting: pick the site whose spine to all loads is cheapest.

Private helper of :mod:`heatmap.routing.route` (re-exported there).
"""

from __future__ import annotations

import logging
from collections.abc import Hashable
from dataclasses import dataclass

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import dijkstra
from shapely import Point

from heatmap import schema
from heatmap.errors import DisconnectedNetworkError, InputError
from heatmap.routing._dispatch import steiner_tree
from heatmap.routing.params import NetworkParams
from heatmap.routing.terminals import attach_terminals

__all__ = ["EnergyCentreChoice", "choose_energy_centre"]

logger = logging.getLogger(__name__)

_NETWORK_DEFAULTS = NetworkParams()

_CHUNK = 64
"""Sources per multi-source Dijkstra call (bounds memory at 64 x nodes distances)."""


@dataclass(frozen=True, eq=False)
class EnergyCentreChoice:
    """The chosen energy-centre site and the alternatives considered.

    Attributes
    ----------
    node
        Graph node of the chosen site (in ``graph``).
    point
        Its location.
    graph
        The network graph to route on (with the candidate sites attached when candidates were
        given; otherwise the input graph).
    alternatives
        One row per site evaluated: ``node``, ``site_id``, ``x``, ``y``,
        ``demand_weighted_distance`` (sum of heat x network distance to each load, in weight
        units x MWh/a), ``reachable_heat_mwh_per_a``, ``route_cost`` (weight of the fast Steiner
        tree to all reachable loads), ``n_unreachable``, ``chosen``; sorted best first.
    """

    node: Hashable
    point: Point
    graph: nx.Graph
    alternatives: pd.DataFrame


def _csr(G: nx.Graph) -> tuple[list[Hashable], dict[Hashable, int], coo_matrix]:
    nodes = list(G.nodes)
    index = {n: i for i, n in enumerate(nodes)}
    rows, cols, vals = [], [], []
    for a, b, w in G.edges(data="weight"):
        rows.append(index[a])
        cols.append(index[b])
        vals.append(max(float(w), 1e-9))
    m = coo_matrix((vals, (rows, cols)), shape=(len(nodes), len(nodes)))
    return nodes, index, m


def _demand_weighted_distance(
    G: nx.Graph, loads: pd.DataFrame
) -> tuple[list[Hashable], np.ndarray, np.ndarray]:
    """Return nodes, sum_i heat_i * d(node, load_i) and heat reachable from each node."""
    nodes, index, m = _csr(G)
    csr = m.tocsr()
    src = np.array([index[n] for n in loads.index], dtype=np.int64)
    heat = loads[schema.HEAT_DEMAND_MWH_PER_A].to_numpy(float)
    total = np.zeros(len(nodes))
    reach = np.zeros(len(nodes))
    for k in range(0, len(src), _CHUNK):
        d = dijkstra(csr, directed=False, indices=src[k : k + _CHUNK])
        ok = np.isfinite(d)
        h = heat[k : k + _CHUNK, None]
        total += np.where(ok, d * h, 0.0).sum(axis=0)
        reach += np.where(ok, h, 0.0).sum(axis=0)
    return nodes, total, reach


def _route_cost(G: nx.Graph, site: Hashable, loads: pd.DataFrame) -> tuple[float, int]:
    comp = nx.node_connected_component(G, site)
    terms = [n for n in loads.index if n in comp]
    if not terms:
        return float("inf"), len(loads)
    res = steiner_tree(G, [site, *terms], weight="weight", method="fast")
    return float(res.cost), len(loads) - len(terms)


def choose_energy_centre(
    G: nx.Graph,
    *,
    loads: pd.DataFrame,
    candidates: gpd.GeoDataFrame | None = None,
    id_column: str = "site_id",
    n_evaluate: int = 5,
    network_params: NetworkParams = _NETWORK_DEFAULTS,
) -> EnergyCentreChoice:
    """Choose the energy-centre site that minimises the spine cost to all loads.

    Parameters
    ----------
    G
        Network graph with the loads attached.
    loads
        Indexed by load node, with ``heat_demand_mwh_per_a``.
    candidates
        Candidate sites (points or polygons in the graph's CRS) with ids in ``id_column``; each
        is attached to the street network as a ``"plant"`` terminal and scored by the weight of
        a fast (2-approximate) Steiner tree to every load it can reach. When None, street nodes
        are ranked by demand-weighted network distance to the loads and the best
        ``n_evaluate`` are scored the same way.
    id_column
        Id column of ``candidates``.
    n_evaluate
        Street nodes scored with the Steiner solver when no candidates are given.
    network_params
        Used to attach candidate sites.

    Returns
    -------
    choice
        The site reaching most loads, and among those the cheapest route.

    Raises
    ------
    InputError
        On an empty load set, loads not in the graph, or no candidate near a street.
    DisconnectedNetworkError
        If no site reaches any load.

    Examples
    --------
    The two loads of :func:`heatmap.routing.route.build_route`'s example and two candidate sites:
    one
    at the far end of the L, one by the corner:

    >>> from shapely import LineString, Point
    >>> from heatmap.routing.graph import attach_terminals, build_street_graph
    >>> from heatmap.routing.route import choose_energy_centre, loads_from_terminals
    >>> streets = gpd.GeoDataFrame(
    ...     {"highway": ["residential"] * 2},
    ...     geometry=[LineString([(0, 0), (100, 0)]), LineString([(100, 0), (100, 100)])],
    ...     crs="EPSG:27700")
    >>> sites = gpd.GeoDataFrame(
    ...     {"building_id": ["a", "b"], "heat_demand_mwh_per_a": [400.0, 300.0],
    ...      "peak_load_kw": [200.0, 150.0]},
    ...     geometry=[Point(50, 10), Point(110, 80)], crs="EPSG:27700")
    >>> H, nodes = attach_terminals(build_street_graph(streets), sites, id_column="building_id")
    >>> loads = loads_from_terminals(nodes, sites.set_index("building_id"))
    >>> candidates = gpd.GeoDataFrame({"site_id": ["west", "corner"]},
    ...                               geometry=[Point(0, -5), Point(105, -5)], crs="EPSG:27700")
    >>> choice = choose_energy_centre(H, loads=loads, candidates=candidates)
    >>> choice.node, choice.alternatives["site_id"].tolist()
    ('T:corner', ['corner', 'west'])
    >>> choice.alternatives["route_cost"].round().tolist()  # GBP of trench
    [107361.0, 145545.0]
    """
    if len(loads) == 0:
        msg = "choose_energy_centre: no loads given"
        raise InputError(msg)
    missing = [n for n in loads.index if n not in G]
    if missing:
        msg = f"choose_energy_centre: load nodes not in the graph: {missing[:10]}"
        raise InputError(msg)
    if candidates is not None:
        H, site_nodes = attach_terminals(
            G, candidates, id_column=id_column, role="plant", params=network_params
        )
        if not site_nodes:
            msg = "choose_energy_centre: no candidate site lies near enough to a street"
            raise InputError(msg)
        sites = list(site_nodes.values())
        site_ids = list(site_nodes.keys())
        nodes, dwd, reach = _demand_weighted_distance(H, loads)
        pos = {n: i for i, n in enumerate(nodes)}
        rank = np.array([pos[s] for s in sites], dtype=np.int64)
    else:
        H = G
        nodes, dwd, reach = _demand_weighted_distance(H, loads)
        street = np.array([isinstance(n, int | np.integer) for n in nodes], dtype=bool)
        if not street.any():
            msg = "choose_energy_centre: the graph has no street nodes to site a plant on"
            raise InputError(msg)
        order = np.lexsort((dwd, -reach))
        rank = order[street[order]][: max(1, n_evaluate)]
        sites = [nodes[i] for i in rank]
        site_ids = [f"node/{n}" for n in sites]
    rows = []
    for site, sid, i in zip(sites, site_ids, rank.tolist(), strict=True):
        cost, n_out = _route_cost(H, site, loads)
        d = H.nodes[site]
        rows.append(
            {
                "node": site,
                "site_id": sid,
                "x": float(d["x"]),
                "y": float(d["y"]),
                "demand_weighted_distance": float(dwd[i]),
                "reachable_heat_mwh_per_a": float(reach[i]),
                "route_cost": cost,
                "n_unreachable": n_out,
            }
        )
    table = pd.DataFrame(rows).sort_values(["n_unreachable", "route_cost"], kind="stable")
    table = table.reset_index(drop=True)
    costs = table["route_cost"].to_numpy(float)
    if not np.isfinite(costs[0]):
        msg = "choose_energy_centre: no candidate site can reach any load over the streets"
        raise DisconnectedNetworkError(msg)
    table["chosen"] = table.index == 0
    best = table.iloc[0]
    logger.info(
        "energy centre: %s (route cost %.0f, %d alternatives)",
        best["site_id"],
        best["route_cost"],
        len(table) - 1,
    )
    return EnergyCentreChoice(
        node=table["node"].iat[0],
        point=Point(*table[["x", "y"]].to_numpy(float)[0]),
        graph=H,
        alternatives=table,
    )
