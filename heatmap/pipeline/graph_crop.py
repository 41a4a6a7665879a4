"""The part of the street graph a candidate network is planned on."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import geopandas as gpd
import networkx as nx
import numpy as np

__all__ = ["graph_around"]


def graph_around(
    G: nx.Graph, buildings: gpd.GeoDataFrame, margin_m: float
) -> Callable[[Sequence[str]], nx.Graph]:
    """``graph_for(building_ids)``: the part of ``G`` within ``margin_m`` of those buildings.

    Streets crossing the margin are kept whole (both ends of an edge with one end inside), so a
    long street to an outlying building is not cut off.
    """
    nodes = np.array(list(G.nodes), dtype=object)
    xy = np.array([[G.nodes[n]["x"], G.nodes[n]["y"]] for n in nodes], dtype=float).reshape(-1, 2)

    def graph_for(building_ids: Sequence[str]) -> nx.Graph:
        x0, y0, x1, y1 = buildings.loc[list(building_ids)].total_bounds
        inside = (
            (xy[:, 0] >= x0 - margin_m)
            & (xy[:, 0] <= x1 + margin_m)
            & (xy[:, 1] >= y0 - margin_m)
            & (xy[:, 1] <= y1 + margin_m)
        )
        keep = set(nodes[inside].tolist())
        keep |= {m for n in list(keep) for m in G.neighbors(n)}
        return G.subgraph(keep).copy()

    return graph_for
