"""The routing graph of an area: trench classes, passages through buildings, crossings."""

from __future__ import annotations

import geopandas as gpd
import networkx as nx

from heatmap.routing.crossings import price_crossings
from heatmap.routing.graph import build_street_graph
from heatmap.routing.params import NetworkParams
from heatmap.routing.passages import avoid_buildings

__all__ = ["routing_graph"]


def routing_graph(
    streets: gpd.GeoDataFrame,
    buildings: gpd.GeoDataFrame,
    *,
    params: NetworkParams | None = None,
    barriers: gpd.GeoDataFrame | None = None,
) -> nx.Graph:
    """Build the street graph a network is routed on.

    Parameters
    ----------
    streets
        The standard streets frame (``highway`` and the street tags).
    buildings
        Footprints: streets running through them are dropped or priced
        (:func:`heatmap.routing.passages.avoid_buildings`).
    params
        ``[network]``.
    barriers
        Railways and rivers (:mod:`heatmap.ingest.barriers`); crossings at grade are priced
        and no service connection crosses one (:mod:`heatmap.routing.crossings`).

    Returns
    -------
    G
        The graph, with ``G.graph["passages"]`` and ``G.graph["crossings"]`` reporting what
        was done.
    """
    p = params or NetworkParams()
    G, passages = avoid_buildings(build_street_graph(streets, params=p), buildings, params=p)
    G, crossings = price_crossings(G, barriers, params=p)
    G.graph["passages"] = passages
    G.graph["crossings"] = crossings
    return G
