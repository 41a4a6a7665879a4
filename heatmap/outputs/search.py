"""What heat is near a site: anchor loads, clusters, opportunity areas and existing networks.

:func:`nearby` measures distances along the street network (the way a pipe would run), not as
the crow flies, and gives for each find an indicative link linear heat density (its demand over
the network distance) and an indicative link main: the smallest pipe that carries the find's
peak (the sizing model) and its trench-and-pipe cost over the network distance (the pipe-rate
catalogue). The street graph is the routing stage's
(:func:`heatmap.routing.graph.build_street_graph`, with or without terminals attached);
rebuild it from a saved ``streets`` layer with that function.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, Literal, TypedDict, Unpack

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS, Transformer
from scipy.spatial import cKDTree

from heatmap import schema
from heatmap.errors import CRSError, InputError
from heatmap.outputs._link_cost import link_main

logger = logging.getLogger(__name__)

__all__ = ["NEARBY_COLUMNS", "NearbyLayers", "NearbyParams", "nearby"]

NEARBY_KINDS: tuple[str, ...] = ("anchor_load", "cluster", "opportunity_area", "existing_network")
"""What :func:`nearby` finds."""

NEARBY_COLUMNS: tuple[str, ...] = (
    "kind",
    "feature_id",
    "name",
    "heat_demand_mwh_per_a",
    "peak_kw",
    "network_distance_m",
    "straight_distance_m",
    "link_lhd_mwh_per_m_a",
    "link_dn",
    "link_cost_gbp",
    "status",
    "operator",
    "ref_id",
)
"""Columns of :func:`nearby`'s result (plus ``geometry``: the find's point in the given CRS).

``kind`` is one of :data:`NEARBY_KINDS`; ``status``, ``operator`` and ``ref_id`` are the heat
network records' (empty for other finds).
"""


@dataclass(frozen=True)
class NearbyParams:
    """Options of :func:`nearby`."""

    link_dig_class: Literal["soft", "hard"] = field(
        default="hard",
        metadata={
            "doc": "trench rates of a link main: hard (carriageway) or soft (footway, verge)",
            "source": "a link main runs along streets; the pipe-rate catalogue's hard rates",
        },
    )
    area_full_load_hours_h: float = field(
        default=3124.0,
        metadata={
            "doc": "peak of a cluster or opportunity area = its annual heat / these hours, h",
            "source": "Killingworth study Tables 14, 16, 18 and 39: cluster-level median",
        },
    )
    anchor_min_demand_mwh_per_a: float = field(
        default=500.0,
        metadata={
            "doc": "buildings at or above this demand count as anchor loads when the layer has "
            "no is_anchor column, MWh/yr",
            "source": "Scottish Government LHD guidance: anchor load > 500 MWh/yr",
        },
    )
    max_site_offset_m: float = field(
        default=250.0,
        metadata={
            "doc": "a site further than this from the nearest street node is outside the area, m",
            "source": "chosen: a long private access road; beyond it the site is off the map",
        },
    )

    def __post_init__(self) -> None:
        if self.link_dig_class not in ("soft", "hard"):
            msg = f"link_dig_class: 'soft' or 'hard', got {self.link_dig_class!r}"
            raise ValueError(msg)
        if not self.area_full_load_hours_h > 0:
            msg = "area_full_load_hours_h: must be > 0 h"
            raise ValueError(msg)
        if self.anchor_min_demand_mwh_per_a < 0:
            msg = "anchor_min_demand_mwh_per_a: must be >= 0 MWh/yr"
            raise ValueError(msg)
        if self.max_site_offset_m <= 0:
            msg = "max_site_offset_m: must be > 0 metres"
            raise ValueError(msg)


def _projected(crs: Any, what: str) -> CRS:
    if crs is None:
        msg = f"{what}: no CRS; give the projected CRS the layers are in"
        raise CRSError(msg)
    out = CRS.from_user_input(crs)
    if not out.is_projected:
        msg = f"{what}: CRS {out.to_string()} is not projected; distances need metres"
        raise CRSError(msg)
    return out


def _node_arrays(G: nx.Graph) -> tuple[list[Any], np.ndarray]:
    nodes = list(G.nodes)
    if not nodes:
        msg = "street_graph: the graph has no nodes"
        raise InputError(msg)
    try:
        xy = np.array([(G.nodes[n]["x"], G.nodes[n]["y"]) for n in nodes], dtype="float64")
    except KeyError as exc:
        msg = "street_graph: every node needs x and y in the projected CRS (network stage output)"
        raise InputError(msg) from exc
    return nodes, xy


def _edge_length(data: dict[str, Any]) -> float:
    if schema.LENGTH_M in data:
        return float(data[schema.LENGTH_M])
    msg = f"street_graph: edges need {schema.LENGTH_M} (metres; network.build_street_graph sets it)"
    raise InputError(msg)


def _site_point(site_lonlat: tuple[float, float], crs: CRS) -> shapely.Point:
    lon, lat = float(site_lonlat[0]), float(site_lonlat[1])
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        msg = f"site ({lat}, {lon}): latitude must be within ±90 and longitude within ±180"
        raise InputError(msg)
    to_proj = Transformer.from_crs(4326, crs, always_xy=True)
    x, y = to_proj.transform(lon, lat)
    return shapely.Point(x, y)


def _check_inside(
    site: shapely.Point, xy: np.ndarray, offset_m: float, crs: CRS, lonlat: tuple[float, float]
) -> None:
    hull = shapely.convex_hull(shapely.multipoints(xy))
    gap = float(shapely.distance(hull, site))
    if gap <= offset_m:
        return
    to_geo = Transformer.from_crs(crs, 4326, always_xy=True)
    west, south = to_geo.transform(xy[:, 0].min(), xy[:, 1].min())
    east, north = to_geo.transform(xy[:, 0].max(), xy[:, 1].max())
    msg = (
        f"site ({lonlat[1]:.6f}, {lonlat[0]:.6f}) lies {gap / 1000:.2f} km outside the street "
        f"network of the study area (lat {south:.5f} to {north:.5f}, lon {west:.5f} to "
        f"{east:.5f}); give a site inside the area or load a larger extract"
    )
    raise InputError(msg)


def _candidates(
    layer: gpd.GeoDataFrame, kind: str, crs: CRS, demand_required: bool
) -> gpd.GeoDataFrame:
    if layer.crs is None or CRS.from_user_input(layer.crs) != crs:
        if layer.crs is None:
            msg = f"{kind}: the layer has no CRS"
            raise CRSError(msg)
        layer = layer.to_crs(crs)
    if demand_required and "heat_demand_mwh_per_a" not in layer.columns:
        msg = f"{kind}: column heat_demand_mwh_per_a is missing"
        raise InputError(msg)
    demand = (
        pd.to_numeric(layer["heat_demand_mwh_per_a"], errors="coerce")
        if "heat_demand_mwh_per_a" in layer.columns
        else pd.Series(np.nan, index=layer.index)
    )
    ids = layer.index.astype(str)
    return gpd.GeoDataFrame(
        {
            "kind": kind,
            "feature_id": ids,
            "name": _names(layer),
            "heat_demand_mwh_per_a": demand.to_numpy(dtype="float64"),
            "peak_kw": _numbers(layer, schema.PEAK_LOAD_KW),
            "status": _texts(layer, "status"),
            "operator": _texts(layer, "operator"),
            "ref_id": _texts(layer, "ref_id"),
            "shape": layer.geometry.to_numpy(),
        },
        geometry=layer.geometry.representative_point().to_numpy(),
        crs=crs,
    )


def _texts(layer: gpd.GeoDataFrame, column: str) -> np.ndarray:
    if column not in layer.columns:
        return np.full(len(layer), "", dtype=object)
    return layer[column].fillna("").astype(str).to_numpy(dtype=object)


def _numbers(layer: gpd.GeoDataFrame, column: str) -> np.ndarray:
    if column not in layer.columns:
        return np.full(len(layer), np.nan)
    return pd.to_numeric(layer[column], errors="coerce").to_numpy(dtype="float64")


def _names(layer: gpd.GeoDataFrame) -> np.ndarray:
    """The name, else the street address, else empty."""
    name = pd.Series(_texts(layer, schema.NAME), index=layer.index)
    address = pd.Series(_texts(layer, schema.ADDRESS), index=layer.index)
    return name.where(name.str.strip() != "", address).to_numpy(dtype=object)


def _anchor_loads(buildings: gpd.GeoDataFrame, params: NearbyParams) -> gpd.GeoDataFrame:
    if schema.IS_ANCHOR in buildings.columns:
        mask = buildings[schema.IS_ANCHOR].fillna(False).astype(bool)
    elif "heat_demand_mwh_per_a" in buildings.columns:
        demand = pd.to_numeric(buildings["heat_demand_mwh_per_a"], errors="coerce")
        mask = demand >= params.anchor_min_demand_mwh_per_a
    else:
        msg = "buildings: need is_anchor or heat_demand_mwh_per_a to find anchor loads"
        raise InputError(msg)
    return buildings[mask.to_numpy()]


class NearbyLayers(TypedDict, total=False):
    """Optional layers :func:`nearby` searches besides the anchor loads (None: left out)."""

    clusters: gpd.GeoDataFrame | None
    opportunity_areas: gpd.GeoDataFrame | None
    existing_networks: gpd.GeoDataFrame | None


def nearby(
    site_lonlat: tuple[float, float],
    *,
    street_graph: nx.Graph,
    buildings: gpd.GeoDataFrame,
    radius_m: float = 1000.0,
    crs: Any = None,
    params: NearbyParams | None = None,
    kinds: tuple[str, ...] | None = None,
    top: int | None = None,
    **layers: Unpack[NearbyLayers],
) -> gpd.GeoDataFrame:
    """List heat loads and networks within a street-network distance of a site.

    The site and every find are joined to their nearest street node by a straight spur; the
    network distance is spur + shortest street path + spur. Polygons (clusters, opportunity
    areas) are reached at the nearest street node inside them (distance 0 when the site is
    inside), else at their representative point.

    Parameters
    ----------
    site_lonlat
        The site as (longitude, latitude) in WGS84.
    street_graph
        Street graph from :func:`heatmap.routing.graph.build_street_graph` (terminals attached or
        not): nodes with ``x``, ``y`` in ``crs``, edges with ``length_m``.
    buildings
        Buildings with ``heat_demand_mwh_per_a`` and ``is_anchor`` (else anchors are those at or
        above ``params.anchor_min_demand_mwh_per_a``).
    radius_m
        Largest network distance kept, m.
    crs
        Projected CRS of the graph and layers; defaults to ``street_graph.graph["crs"]``.
    params
        Link dig class, anchor threshold and how far off the network a site may be.
    kinds
        Only these kinds of find (:data:`NEARBY_KINDS`); None: all.
    top
        Keep the nearest ``top`` finds (None: every find within the radius).
    **layers
        ``clusters`` and ``opportunity_areas`` (polygons with ``heat_demand_mwh_per_a``) and
        ``existing_networks`` (points with ``name``, demand optional); see :class:`NearbyLayers`.

    Returns
    -------
    finds
        GeoDataFrame with :data:`NEARBY_COLUMNS` and point geometry in ``crs``, sorted by
        ``network_distance_m`` (then name). ``link_lhd_mwh_per_m_a`` = demand / network
        distance (NaN at distance 0 or without demand); ``link_dn`` and ``link_cost_gbp``: the
        smallest pipe carrying the find's peak (a building's ``peak_load_kw``; an area's heat ÷
        ``area_full_load_hours_h``) and its trench-and-pipe cost over the network distance (NaN
        for a heat network record, whose spare capacity is unknown).

    Raises
    ------
    InputError
        If the site lies outside the street network's area (the message says how far and gives
        the area's bounds) or an input lacks what is needed.

    Examples
    --------
    A 3 x 3 grid of 100 m street blocks in London, the site on its south-west corner, a hall
    10 m north of the street 200 m east and a tower on the corner 200 m east and 200 m north:

    >>> import geopandas as gpd
    >>> from pyproj import Transformer
    >>> from shapely.geometry import box
    >>> G = nx.grid_2d_graph(3, 3)
    >>> for (i, j), d in G.nodes(data=True):
    ...     d["x"], d["y"] = 530_000 + 100 * i, 180_000 + 100 * j
    >>> nx.set_edge_attributes(G, 100.0, "length_m")
    >>> site = Transformer.from_crs(27700, 4326, always_xy=True).transform(530_000, 180_000)
    >>> buildings = gpd.GeoDataFrame(
    ...     {"name": ["Hall", "Tower"], "heat_demand_mwh_per_a": [600.0, 1200.0],
    ...      "is_anchor": [True, True]},
    ...     geometry=[box(530_195, 180_008, 530_205, 180_012),
    ...               box(530_195, 180_195, 530_205, 180_205)], crs="EPSG:27700")
    >>> finds = nearby(site, street_graph=G, buildings=buildings, crs="EPSG:27700")
    >>> cols = ["name", "network_distance_m", "link_lhd_mwh_per_m_a"]
    >>> print(finds[cols].round(1).to_string())
        name  network_distance_m  link_lhd_mwh_per_m_a
    0   Hall               210.0                   2.9
    1  Tower               400.0                   3.0
    """
    p = params or NearbyParams()
    if radius_m <= 0:
        msg = f"radius_m: must be > 0 metres, got {radius_m}"
        raise InputError(msg)
    unknown = sorted(set(kinds or ()) - set(NEARBY_KINDS))
    if unknown:
        msg = f"kinds: unknown {unknown}; choose from {', '.join(NEARBY_KINDS)}"
        raise InputError(msg)
    if top is not None and top < 1:
        msg = f"top: must be at least 1, got {top}"
        raise InputError(msg)
    proj = _projected(crs if crs is not None else street_graph.graph.get("crs"), "crs")
    nodes, xy = _node_arrays(street_graph)
    site = _site_point(site_lonlat, proj)
    _check_inside(site, xy, p.max_site_offset_m, proj, site_lonlat)
    tree = cKDTree(xy)
    site_gap, site_idx = tree.query([site.x, site.y])
    G = nx.Graph()
    G.add_nodes_from(range(len(nodes)))
    index_of = {n: i for i, n in enumerate(nodes)}
    G.add_weighted_edges_from(
        (index_of[u], index_of[v], _edge_length(d)) for u, v, d in street_graph.edges(data=True)
    )
    dist = nx.single_source_dijkstra_path_length(
        G, int(site_idx), cutoff=radius_m - float(site_gap), weight="weight"
    )
    node_dist = np.full(len(nodes), np.inf)
    node_dist[np.fromiter(dist.keys(), dtype="int64")] = np.fromiter(dist.values(), dtype="float64")
    node_dist += float(site_gap)

    found: list[gpd.GeoDataFrame] = [
        _candidates(_anchor_loads(buildings, p), "anchor_load", proj, True)
    ]
    for layer, kind in (
        (layers.get("clusters"), "cluster"),
        (layers.get("opportunity_areas"), "opportunity_area"),
        (layers.get("existing_networks"), "existing_network"),
    ):
        if layer is not None and len(layer):
            found.append(_candidates(layer, kind, proj, kind != "existing_network"))
    found = [c for c in found if len(c) and (kinds is None or c["kind"].iloc[0] in kinds)]
    if not found:
        return _empty_result(proj)
    cands = pd.concat(found, ignore_index=True)
    cands = gpd.GeoDataFrame(cands, geometry="geometry", crs=proj)
    pts = shapely.get_coordinates(cands.geometry.to_numpy())
    gap, idx = tree.query(pts)
    network = node_dist[idx] + gap
    network = np.minimum(network, _polygon_distances(cands, xy, node_dist, site))
    straight = shapely.distance(cands["shape"].to_numpy(), site)
    demand = cands["heat_demand_mwh_per_a"].to_numpy(dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        lhd = np.where(network > 0, demand / network, np.nan)
    out = cands.drop(columns="shape").assign(
        network_distance_m=np.round(network, 1),
        straight_distance_m=np.round(straight, 1),
        link_lhd_mwh_per_m_a=lhd,
    )
    areas = out["kind"].isin(["cluster", "opportunity_area"]).to_numpy()
    out.loc[areas, "peak_kw"] = demand[areas] * 1000.0 / p.area_full_load_hours_h
    out = out[out["network_distance_m"] <= radius_m]
    out = out.sort_values(["network_distance_m", "name"], kind="stable").reset_index(drop=True)
    if top is not None:
        out = out.head(top)
    links = [
        link_main(d, pk, q, dig_class=p.link_dig_class)
        for d, pk, q in zip(
            out["network_distance_m"], out["peak_kw"], out["heat_demand_mwh_per_a"], strict=True
        )
    ]
    out["link_dn"] = [dn for dn, _ in links]
    out["link_cost_gbp"] = [cost for _, cost in links]
    logger.info("%d finds within %.0f m of the site", len(out), radius_m)
    return gpd.GeoDataFrame(out[[*NEARBY_COLUMNS, "geometry"]], geometry="geometry", crs=proj)


def _polygon_distances(
    cands: gpd.GeoDataFrame, xy: np.ndarray, node_dist: np.ndarray, site: shapely.Point
) -> np.ndarray:
    """Network distance to the nearest street node inside each polygon (0 if the site is in it)."""
    out = np.full(len(cands), np.inf)
    shapes = gpd.GeoSeries(cands["shape"].to_numpy(), crs=cands.crs)
    poly = shapes.geom_type.isin(["Polygon", "MultiPolygon"]).to_numpy()
    if not poly.any():
        return out
    polys = gpd.GeoSeries(shapes[poly].to_numpy(), crs=cands.crs)
    node_pts = gpd.GeoDataFrame(geometry=shapely.points(xy), crs=cands.crs)
    hits = gpd.sjoin(node_pts, gpd.GeoDataFrame(geometry=polys), predicate="within")
    if len(hits):
        best = (
            pd.DataFrame({"poly": hits["index_right"].to_numpy(), "d": node_dist[hits.index]})
            .groupby("poly")["d"]
            .min()
        )
        poly_rows = np.flatnonzero(poly)
        out[poly_rows[best.index.to_numpy()]] = best.to_numpy()
    inside = shapely.contains(polys.to_numpy(), site)
    out[np.flatnonzero(poly)[inside]] = 0.0
    return out


_NUMERIC_SUFFIXES = ("_m", "_a", "_gbp", "_kw", "_dn")


def _empty_result(crs: CRS) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            c: pd.Series(
                dtype="float64" if c.endswith(("_m", "_a", "_gbp", "_kw", "_dn")) else object
            )
            for c in NEARBY_COLUMNS
        },
        geometry=gpd.GeoSeries([], crs=crs),
        crs=crs,
    )
