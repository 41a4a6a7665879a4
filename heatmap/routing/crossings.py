"""Railway and river crossings: priced where a street crosses at grade, never made by a service.

A street on a bridge or in a tunnel is already a ``structure`` edge (:mod:`.dig`). Where a
street crosses a railway or a river at grade (a level crossing, a ford, a culvert mapped as
the river itself) the main must bore under it: the edge is charged
``[network] barrier_crossing_length_m`` of trenchless bore at the structure rate per crossing.
The at-grade barrier lines are kept on the graph (``G.graph["barriers"]``) so that
:func:`heatmap.routing.terminals.attach_terminals` never draws a service connection across
one, and :func:`split_report` can say which barrier cuts the street network in two.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import shapely

from heatmap import schema
from heatmap.routing.params import NetworkParams

__all__ = [
    "BARRIERS",
    "CROSSING_COST_GBP",
    "N_CROSSINGS",
    "CrossingReport",
    "SplitPart",
    "price_crossings",
    "split_report",
]

logger = logging.getLogger(__name__)

BARRIERS = "barriers"
"""Graph attribute: the at-grade barrier lines (a GeoDataFrame with ``kind`` and ``name``)."""
N_CROSSINGS = "n_crossings"
"""Edge attribute: railways and rivers the street crosses at grade."""
CROSSING_COST_GBP = "crossing_cost_gbp"
"""Edge attribute: the trenchless bores those crossings need, GBP."""


@dataclass(frozen=True)
class CrossingReport:
    """Crossings found on the street graph: count by kind, their cost and names."""

    n_railway: int
    n_waterway: int
    cost_gbp: float
    names: tuple[str, ...]

    @property
    def n_crossings(self) -> int:
        """All at-grade crossings."""
        return self.n_railway + self.n_waterway


def _at_grade(barriers: gpd.GeoDataFrame | None) -> gpd.GeoDataFrame | None:
    if barriers is None or barriers.empty:
        return None
    ground = (
        barriers[barriers["level"].astype(str) == "ground"] if "level" in barriers else barriers
    )
    return ground.reset_index(drop=True) if len(ground) else None


def price_crossings(
    G: nx.Graph, barriers: gpd.GeoDataFrame | None, *, params: NetworkParams | None = None
) -> tuple[nx.Graph, CrossingReport]:
    """Charge every street edge for the railways and rivers it crosses at grade.

    Parameters
    ----------
    G
        Street graph (not modified).
    barriers
        Barrier lines (:func:`heatmap.ingest.barriers.barrier_frame`) in the graph's CRS; None
        or empty when unknown.
    params
        ``barrier_crossing_length_m`` and ``structure_crossing_cost_gbp_per_m``.

    Returns
    -------
    H, report
        A copy with ``n_crossings`` and ``crossing_cost_gbp`` on the crossing edges (their
        weight raised by the cost) and the at-grade barriers kept as ``H.graph["barriers"]``.

    Examples
    --------
    >>> from shapely import LineString
    >>> from heatmap.routing.graph import build_street_graph
    >>> s = gpd.GeoDataFrame({"highway": ["residential"]},
    ...                      geometry=[LineString([(0, 0), (100, 0)])], crs=27700)
    >>> rail = gpd.GeoDataFrame({"kind": ["railway"], "name": ["Main line"],
    ...                          "level": ["ground"]},
    ...                         geometry=[LineString([(50, -50), (50, 50)])], crs=27700)
    >>> H, report = price_crossings(build_street_graph(s), rail)
    >>> (report.n_railway, report.cost_gbp)  # 40 m of bore at 1,548 GBP/m
    (1, 61920.0)
    >>> ((_, _, d),) = H.edges(data=True)
    >>> d["weight"] == 100 * 774 + 61920
    True
    """
    p = params or NetworkParams()
    H = G.copy()
    ground = _at_grade(barriers)
    H.graph[BARRIERS] = ground
    if ground is None:
        return H, CrossingReport(0, 0, 0.0, ())
    edges = [
        (u, v, d)
        for u, v, d in H.edges(data=True)
        if d.get(schema.KIND) == schema.EdgeKind.STREET
        and d.get(schema.DIG_CLASS) != schema.TrenchClass.STRUCTURE
        and d.get("geometry") is not None
    ]
    if not edges:
        return H, CrossingReport(0, 0, 0.0, ())
    geoms = np.array([d["geometry"] for _, _, d in edges], dtype=object)
    bgeoms = ground.geometry.to_numpy()
    ei, bi = shapely.STRtree(bgeoms).query(geoms, predicate="intersects")
    if not len(ei):
        return H, CrossingReport(0, 0, 0.0, ())
    # one crossing per point where a barrier meets a street (a street noded at a level crossing
    # touches the railway with two edges: the point goes to the first)
    rows = []
    for e, b in zip(ei.tolist(), bi.tolist(), strict=True):
        pts = shapely.get_parts(shapely.intersection(geoms[e], bgeoms[b]))
        for pt in pts:
            x, y = shapely.get_coordinates(shapely.centroid(pt))[0]
            rows.append((e, b, round(x, 1), round(y, 1)))
    hits = pd.DataFrame(rows, columns=["e", "b", "x", "y"]).drop_duplicates(["b", "x", "y"])
    per_bore = p.barrier_crossing_length_m * p.structure_crossing_cost_gbp_per_m
    kind = ground["kind"].astype(str).to_numpy()
    for e, grp in hits.groupby("e"):
        d = edges[int(str(e))][2]
        n = len(grp)
        cost = n * per_bore
        d[N_CROSSINGS] = n
        d[CROSSING_COST_GBP] = cost
        d["weight"] = float(d["weight"]) + (
            cost if p.weight == "cost" else cost / p.trench_cost_hard_gbp_per_m
        )
    names = ground["name"].astype(str).to_numpy() if "name" in ground else np.full(len(ground), "")
    hit_kind = kind[hits["b"].to_numpy()]
    report = CrossingReport(
        n_railway=int((hit_kind == "railway").sum()),
        n_waterway=int((hit_kind == "waterway").sum()),
        cost_gbp=float(len(hits) * per_bore),
        names=tuple(sorted({str(n) for n in names[hits["b"].to_numpy()] if n})),
    )
    logger.info(
        "streets cross railways %d and rivers or canals %d times at grade (%s); each priced as a "
        "%.0f m trenchless bore",
        report.n_railway,
        report.n_waterway,
        ", ".join(report.names[:5]) or "unnamed",
        p.barrier_crossing_length_m,
    )
    return H, report


@dataclass(frozen=True)
class SplitPart:
    """A part of the street network that no street joins to the largest part."""

    n_nodes: int
    street_length_m: float
    barriers: tuple[str, ...]


def split_report(G: nx.Graph, kept: set[object]) -> list[SplitPart]:
    """The parts of ``G`` outside ``kept`` (the part routed on), each with what cuts it off.

    A part is cut off by the at-grade barriers (``G.graph["barriers"]``) that the shortest gap
    between it and the kept part crosses; none named means the gap is open ground or the
    extract's edge.
    """
    parts = [c for c in nx.connected_components(G) if not (c & kept)]
    if not parts or not kept:
        return []
    ground = G.graph.get(BARRIERS)
    xy = {n: (d["x"], d["y"]) for n, d in G.nodes(data=True) if "x" in d}
    kept_nodes = [n for n in kept if n in xy]
    if not kept_nodes:
        return []
    kept_pts = shapely.points(np.array([xy[n] for n in kept_nodes]))
    tree = shapely.STRtree(kept_pts)
    out = []
    for comp in parts:
        nodes = [n for n in comp if n in xy]
        length = float(
            sum(d.get(schema.LENGTH_M, 0.0) for _, _, d in G.subgraph(comp).edges(data=True))
        )
        names: tuple[str, ...] = ()
        if nodes and ground is not None:
            pts = shapely.points(np.array([xy[n] for n in nodes]))
            (pi, ki), _ = tree.query_nearest(pts, return_distance=True, all_matches=False)
            k = int(np.argmin(shapely.distance(pts[pi], kept_pts[ki])))
            gap = shapely.shortest_line(pts[pi[k]], kept_pts[ki[k]])
            crossed = ground[ground.intersects(gap)]
            names = tuple(
                sorted(
                    {
                        str(r["name"]) if str(r.get("name", "")) else f"a {r['kind']}"
                        for _, r in crossed.iterrows()
                    }
                )
            )
        out.append(SplitPart(len(comp), length, names))
    return sorted(out, key=lambda s: -s.street_length_m)
