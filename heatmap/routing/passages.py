"""Streets that run through buildings: passages, arcades and covered ways are no place for a trench.

OpenStreetMap maps footways and service roads through buildings (``tunnel=building_passage``,
``covered=yes``, ``indoor=yes``, market halls, station concourses). A heat main cannot be dug
there, so :func:`avoid_buildings` takes every street edge tagged as such and every one that
runs more than ``[network] max_length_in_buildings_m`` inside building footprints
(:func:`streets_through_buildings`), and drops those edges (the default) or prices them as
special crossings at ``[network] building_crossing_cost_gbp_per_m``. Either way the count and
length are reported.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import networkx as nx
import numpy as np
import shapely

from heatmap import schema
from heatmap.routing.dig import PASSAGE_TAG
from heatmap.routing.params import NetworkParams

__all__ = [
    "OPEN_STRUCTURES",
    "PassageReport",
    "avoid_buildings",
    "ground_footprints",
    "streets_through_buildings",
]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PassageReport:
    """What :func:`avoid_buildings` did: edges dropped or priced, and their length."""

    n_edges: int
    length_m: float
    action: str
    street_ids: tuple[str, ...]


def streets_through_buildings(
    G: nx.Graph, footprints: gpd.GeoSeries, *, max_inside_m: float
) -> dict[tuple[Any, Any], float]:
    """Street edges with more than ``max_inside_m`` of their length inside footprints.

    Parameters
    ----------
    G
        Street graph (edges with ``geometry`` and ``kind``), projected CRS.
    footprints
        Building footprints in the same CRS.
    max_inside_m
        Length a street may run inside footprints (where it meets a wall, or crosses a
        footprint drawn a little over the pavement).

    Returns
    -------
    inside
        ``{(u, v): metres inside}`` of the street edges beyond the limit.

    Examples
    --------
    >>> from shapely.geometry import LineString, box
    >>> G = nx.Graph()
    >>> G.add_edge(0, 1, geometry=LineString([(0, 0), (100, 0)]), kind="street")
    >>> G.add_edge(1, 2, geometry=LineString([(100, 0), (100, 100)]), kind="street")
    >>> hall = gpd.GeoSeries([box(20, -10, 60, 10)])  # the first street runs 40 m through it
    >>> streets_through_buildings(G, hall, max_inside_m=5.0)
    {(0, 1): 40.0}
    """
    edges = [
        (u, v, d["geometry"])
        for u, v, d in G.edges(data=True)
        if str(d.get(schema.KIND, schema.EdgeKind.STREET)) == str(schema.EdgeKind.STREET)
        and d.get("geometry") is not None
    ]
    geoms = footprints[~(footprints.is_empty | footprints.isna())].to_numpy()
    if not edges or len(geoms) == 0:
        return {}
    lines = np.array([g for _, _, g in edges], dtype=object)
    tree = shapely.STRtree(geoms)
    li, bi = tree.query(lines, predicate="intersects")
    if len(li) == 0:
        return {}
    inside = shapely.length(shapely.intersection(lines[li], geoms[bi]))
    per_line = np.bincount(li, weights=inside, minlength=len(lines))
    out: dict[tuple[Any, Any], float] = {}
    for k in np.flatnonzero(per_line > max_inside_m):
        u, v, _ = edges[int(k)]
        out[(u, v)] = round(float(per_line[k]), 3)
    return out


OPEN_STRUCTURES: frozenset[str] = frozenset(
    {"roof", "canopy", "carport", "bridge", "shelter", "grandstand"}
)
"""``building`` values of roofs over open ground: the street beneath can be dug."""


def ground_footprints(buildings: gpd.GeoDataFrame) -> gpd.GeoSeries:
    """Footprints that stand on the ground: not roofs or canopies, not raised on stilts.

    A building with ``building_min_level`` above 0 (offices straddling a road) or of an
    :data:`OPEN_STRUCTURES` type leaves the street under it diggable.
    """
    keep = np.ones(len(buildings), dtype=bool)
    if "building_tag" in buildings.columns:
        keep &= ~buildings["building_tag"].isin(OPEN_STRUCTURES).to_numpy()
    if "building_min_level" in buildings.columns:
        raised = buildings["building_min_level"].astype(float).fillna(0.0) > 0
        keep &= ~raised.to_numpy()
    return buildings.geometry[keep]


def avoid_buildings(
    G: nx.Graph, buildings: gpd.GeoDataFrame, *, params: NetworkParams
) -> tuple[nx.Graph, PassageReport]:
    """Drop (or price as crossings) the street edges that run through buildings.

    Parameters
    ----------
    G
        Street graph from :func:`heatmap.routing.graph.build_street_graph`. Not modified.
    buildings
        Building footprints in the graph's CRS; with ``building_tag`` and
        ``building_min_level`` columns, roofs and raised buildings are left out
        (:func:`ground_footprints`).
    params
        ``[network]``: ``max_length_in_buildings_m``, ``building_passages`` (``drop`` or
        ``price``), ``building_crossing_cost_gbp_per_m``.

    Returns
    -------
    G, report
        A copy without (or with repriced) passage edges, and what was done.

    Examples
    --------
    >>> from shapely.geometry import LineString, box
    >>> G = nx.Graph()
    >>> G.add_edge(0, 1, geometry=LineString([(0, 0), (100, 0)]), kind="street",
    ...            street_id="arcade", length_m=100.0, weight=24900.0)
    >>> hall = gpd.GeoDataFrame(geometry=[box(20, -10, 60, 10)])
    >>> H, report = avoid_buildings(G, hall, params=NetworkParams())
    >>> H.number_of_edges(), report.action, report.length_m, report.street_ids
    (0, 'dropped', 100.0, ('arcade',))
    """
    found = streets_through_buildings(
        G, ground_footprints(buildings), max_inside_m=params.max_length_in_buildings_m
    )
    tagged = [(u, v) for u, v, d in G.edges(data=True) if d.get(PASSAGE_TAG)]
    seen = {frozenset(e) for e in found}
    hits = list(found) + [e for e in tagged if frozenset(e) not in seen]
    H = G.copy()
    if not hits:
        return H, PassageReport(0, 0.0, "none", ())
    ids = tuple(sorted({str(G.edges[e].get(schema.STREET_ID, "")) for e in hits}))
    length = float(sum(G.edges[e].get(schema.LENGTH_M, 0.0) for e in hits))
    if params.building_passages == "drop":
        H.remove_edges_from(hits)
        H.remove_nodes_from([n for n in list(H.nodes) if H.degree(n) == 0])
        action = "dropped"
    else:
        rate = params.building_crossing_cost_gbp_per_m
        for e in hits:
            d = H.edges[e]
            d[schema.TRENCH_COST_GBP_PER_M] = rate
            d[schema.COST_CLASS] = schema.DigClass.HARD
            d[schema.DIG_CLASS] = schema.TrenchClass.BUILDING_CROSSING
            d[schema.DIG_PREMIUM] = params.premium_of_cost(rate)
            if params.weight == "cost":
                d["weight"] = rate * float(d.get(schema.LENGTH_M, 0.0))
        action = "priced"
    logger.warning(
        "%d street edge(s), %.0f m, run through buildings (passages, arcades, covered ways) "
        "and were %s%s, e.g. %s. Set [network] building_passages to change this",
        len(hits),
        length,
        action,
        " from the routing graph" if action == "dropped" else " as building crossings",
        ", ".join(ids[:5]),
    )
    return H, PassageReport(len(hits), length, action, ids)
