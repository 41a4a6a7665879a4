"""Building clusters and connection screening against the individual heat-pump counterfactual.

* :func:`cluster_buildings` groups dwellings by density-based clustering (DBSCAN on centroids in
  metres, weighted by dwellings) on a neighbour graph from which every link that crosses a
  barrier (railway, motorway, trunk road) away from a crossing has been removed, so a cluster
  never jumps a barrier without a street crossing. Non-domestic buildings are grouped into heat
  clusters around anchor loads. Each cluster gets dwellings, floor area, demand, dwellings per
  hectare, density class, tenure mix, an outline polygon, its connection point on the street
  network and the study's screening (see :func:`screen_clusters`).
* :func:`screen_clusters` runs the study's screening (Killingworth §5.3, Table 13) on a cluster
  table; fed the study's table it selects N01, N02, N102, N106 and N204.
* :func:`internal_network_length_m` computes a cluster's own pipe length from its geometry
  (Steiner tree over its streets to its buildings, shared feeds to terraces) to set beside the
  density-class metres per dwelling.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from heatmap import schema
from heatmap.errors import CRSError, InputError, SchemaError
from heatmap.schema import BuildingUse, Tenure
from heatmap.zones.cluster_network import internal_network_length_m as internal_network_length_m
from heatmap.zones.cluster_network import internal_network_lengths as internal_network_lengths
from heatmap.zones.cluster_params import DENSITY_CLASSES as DENSITY_CLASSES
from heatmap.zones.cluster_params import ClusterParams as ClusterParams
from heatmap.zones.screening import TENURE_COUNT_COLUMNS as TENURE_COUNT_COLUMNS
from heatmap.zones.screening import screen_clusters as screen_clusters

__all__ = [
    "DENSITY_CLASSES",
    "TENURE_COUNT_COLUMNS",
    "ClusterParams",
    "ClusterResult",
    "barriers_from_streets",
    "cluster_buildings",
    "internal_network_length_m",
    "internal_network_lengths",
    "screen_clusters",
]

logger = logging.getLogger(__name__)

N_DWELLINGS = schema.N_DWELLINGS


@dataclass(frozen=True)
class ClusterResult:
    """Clusters of buildings.

    Attributes
    ----------
    labels
        ``cluster_id`` per building (index ``building_id``); ``""`` for buildings in no cluster.
    clusters
        One row per cluster, index ``cluster_id`` (``D001``... domestic, ``H001``... non-domestic
        heat clusters), outline polygon geometry, columns ``kind`` (domestic / non_domestic),
        ``n_buildings``, ``n_dwellings``, ``gross_floor_area_m2``, ``heat_demand_mwh_per_a``,
        ``n_anchors``, ``area_ha``, ``dwellings_per_ha``, ``density_class`` (domestic only),
        ``social_dwellings`` ... ``unknown_dwellings``, ``connection_x``/``connection_y`` (nearest
        street point, when streets were given) and, for domestic clusters, the screening columns
        of :func:`screen_clusters` (``m_per_dwelling``, ``cost_per_dwelling_gbp``, ``viable``,
        ``reason``, ...).
    dwellings
        Dwellings counted per building (index ``building_id``; 0 for non-domestic): the
        ``n_dwellings`` column when given, else the estimate described in
        :func:`cluster_buildings`.
    """

    labels: pd.Series
    clusters: gpd.GeoDataFrame
    dwellings: pd.Series


def _first(value: object) -> str:
    if isinstance(value, list | tuple):
        return str(value[0]) if value else ""
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)


def barriers_from_streets(
    streets: gpd.GeoDataFrame, *, params: ClusterParams | None = None
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Split barrier roads out of a street layer and find where other streets cross them.

    Parameters
    ----------
    streets
        Street centre lines with ``highway`` in a projected CRS.
    params
        ``barrier_highways`` lists the barrier classes.

    Returns
    -------
    barriers
        The streets whose ``highway`` is a barrier class.
    crossings
        Points where a non-barrier street crosses a barrier (bridge, underpass, level
        crossing), plus at-grade crossroads where two or more non-barrier streets end at the same
        point on a barrier (a T-junction from one side only is not a crossing).

    Examples
    --------
    A trunk road with a street bridging it and a T-junction on one side:

    >>> from shapely.geometry import LineString
    >>> streets = gpd.GeoDataFrame(
    ...     {"highway": ["trunk", "residential", "residential"]},
    ...     geometry=[LineString([(0, 0), (200, 0)]), LineString([(100, -30), (100, 30)]),
    ...               LineString([(50, 0), (50, 40)])], crs="EPSG:27700")
    >>> barriers, crossings = barriers_from_streets(streets)
    >>> barriers["highway"].tolist(), crossings.geometry.to_wkt().tolist()
    (['trunk'], ['POINT (100 0)'])
    """
    p = params or ClusterParams()
    if schema.HIGHWAY not in streets.columns:
        msg = "streets: missing column 'highway'"
        raise SchemaError(msg)
    hw = streets[schema.HIGHWAY].map(_first)
    is_barrier = hw.isin(p.barrier_highways).to_numpy()
    barriers = streets.loc[is_barrier, [schema.HIGHWAY, "geometry"]].copy()
    others = streets.geometry[~is_barrier].to_numpy()
    crs = streets.crs
    if barriers.empty or len(others) == 0:
        return barriers, gpd.GeoDataFrame(geometry=gpd.GeoSeries([], crs=crs), crs=crs)
    bgeoms = barriers.geometry.to_numpy()
    tree = shapely.STRtree(bgeoms)
    oi, bi = tree.query(others, predicate="crosses")
    cross_pts = shapely.get_parts(shapely.intersection(others[oi], bgeoms[bi]))
    cross_pts = cross_pts[shapely.get_type_id(cross_pts) == 0]  # points only
    ends = np.concatenate([shapely.get_point(others, 0), shapely.get_point(others, -1)])
    owner = np.concatenate([np.arange(len(others)), np.arange(len(others))])
    ei, _ = tree.query(ends, predicate="dwithin", distance=0.5)
    ei = np.unique(ei)
    grade: list[shapely.Geometry] = []
    if ei.size:
        xy = np.round(shapely.get_coordinates(ends[ei]))
        key = pd.DataFrame({"x": xy[:, 0], "y": xy[:, 1], "street": owner[ei]})
        n_streets = key.groupby(["x", "y"])["street"].nunique()
        at = n_streets[n_streets >= 2].index
        grade = list(shapely.points(np.asarray(at.tolist(), dtype=float).reshape(-1, 2)))
    pts = np.concatenate([cross_pts, np.asarray(grade, dtype=object)])
    crossings = gpd.GeoDataFrame(geometry=gpd.GeoSeries(pts, crs=crs), crs=crs)
    return barriers, crossings


def _blocked(
    xy: np.ndarray, pairs: np.ndarray, barriers: np.ndarray, crossings: np.ndarray, radius_m: float
) -> np.ndarray:
    """Flag each pair whose straight link crosses a barrier away from every crossing."""
    blocked = np.zeros(len(pairs), dtype=bool)
    if len(pairs) == 0 or len(barriers) == 0:
        return blocked
    segs = shapely.linestrings(np.stack([xy[pairs[:, 0]], xy[pairs[:, 1]]], axis=1))
    si, bi = shapely.STRtree(barriers).query(segs, predicate="intersects")
    ok = np.zeros(len(si), dtype=bool)
    if len(si) and len(crossings):
        where = shapely.intersection(segs[si], barriers[bi])
        qi, _ = shapely.STRtree(crossings).query(where, predicate="dwithin", distance=radius_m)
        ok[np.unique(qi)] = True
    blocked[si[~ok]] = True
    return blocked


def _dbscan(
    pairs: np.ndarray, weight: np.ndarray, min_samples: float, xy: np.ndarray
) -> np.ndarray:
    """DBSCAN on a precomputed neighbour graph; returns labels (-1 = noise)."""
    n = len(weight)
    a, b = pairs[:, 0], pairs[:, 1]
    mass = weight + np.bincount(a, weights=weight[b], minlength=n)
    mass += np.bincount(b, weights=weight[a], minlength=n)
    core = mass >= min_samples
    cc = core[a] & core[b]
    graph = coo_matrix((np.ones(int(cc.sum())), (a[cc], b[cc])), shape=(n, n))
    _, comp = connected_components(graph, directed=False)
    labels = np.where(core, comp, -1)
    # border points join the cluster of their nearest core neighbour
    border = (core[a] & ~core[b]) | (~core[a] & core[b])
    if border.any():
        src = np.where(core[a[border]], a[border], b[border])
        dst = np.where(core[a[border]], b[border], a[border])
        dist = np.hypot(*(xy[src] - xy[dst]).T)
        order = np.lexsort((dist, dst))
        dst_s, src_s = dst[order], src[order]
        first = np.r_[True, dst_s[1:] != dst_s[:-1]]
        labels[dst_s[first]] = comp[src_s[first]]
    _, labels_c = np.unique(labels, return_inverse=True)
    has_noise = (labels < 0).any()
    return np.where(labels < 0, -1, labels_c - (1 if has_noise else 0))


def _bisect(idx: np.ndarray, xy: np.ndarray, weight: np.ndarray, max_size: int) -> list[np.ndarray]:
    """Split points recursively at the weighted median along their principal axis."""
    if weight[idx].sum() <= max_size or len(idx) < 2:
        return [idx]
    pts = xy[idx] - xy[idx].mean(axis=0)
    _, _, vt = np.linalg.svd(pts, full_matrices=False)
    order = idx[np.argsort(pts @ vt[0], kind="stable")]
    cum = np.cumsum(weight[order])
    cut = int(np.clip(np.searchsorted(cum, cum[-1] / 2.0), 1, len(order) - 1))
    return _bisect(order[:cut], xy, weight, max_size) + _bisect(order[cut:], xy, weight, max_size)


def _split_large(
    labels: np.ndarray, xy: np.ndarray, weight: np.ndarray, max_size: int
) -> np.ndarray:
    """Split clusters of more than ``max_size`` dwellings into compact parts."""
    out = labels.copy()
    if not (labels >= 0).any():
        return out
    sizes = np.bincount(labels[labels >= 0], weights=weight[labels >= 0])
    nxt = int(labels.max()) + 1
    for lab in np.flatnonzero(sizes > max_size):  # only the oversized clusters
        parts = _bisect(np.flatnonzero(labels == lab), xy, weight, max_size)
        for part in parts[1:]:
            out[part] = nxt
            nxt += 1
    return out


def _consecutive(lab: np.ndarray) -> np.ndarray:
    """Renumber labels 0..k-1 in order, keeping -1 for noise."""
    _, inv = np.unique(lab, return_inverse=True)
    return np.where(lab < 0, -1, inv - (1 if (lab < 0).any() else 0))


def _gap_pairs(
    geoms: np.ndarray,
    xy: np.ndarray,
    gap_m: float,
    barriers: np.ndarray,
    crossings: np.ndarray,
    radius_m: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Pairs of footprints at most ``gap_m`` apart not separated by a barrier, and their gaps."""
    a, b = shapely.STRtree(geoms).query(geoms, predicate="dwithin", distance=gap_m)
    keep = a < b
    pairs = np.stack([a[keep], b[keep]], axis=1).astype(np.int64)
    pairs = pairs[~_blocked(xy, pairs, barriers, crossings, radius_m)]
    return pairs, shapely.distance(geoms[pairs[:, 0]], geoms[pairs[:, 1]])


def _heat_clusters(
    nd: gpd.GeoDataFrame, bar: np.ndarray, cross: np.ndarray, p: ClusterParams
) -> np.ndarray:
    """Non-domestic heat clusters: anchors (merged when close) plus their nearest neighbours."""
    n = len(nd)
    geoms = nd.geometry.to_numpy()
    xy = shapely.get_coordinates(shapely.centroid(geoms))
    anchor = (
        nd[schema.IS_ANCHOR].fillna(False).astype(bool).to_numpy()
        if schema.IS_ANCHOR in nd.columns
        else np.zeros(n, dtype=bool)
    )
    pairs, gap = _gap_pairs(geoms, xy, p.non_domestic_eps_m, bar, cross, p.crossing_radius_m)
    a, b = pairs[:, 0], pairs[:, 1]
    aa = anchor[a] & anchor[b] & (gap <= p.anchor_merge_m)
    graph = coo_matrix((np.ones(int(aa.sum())), (a[aa], b[aa])), shape=(n, n))
    _, comp = connected_components(graph, directed=False)
    lab = np.where(anchor, comp, -1)
    mixed = anchor[a] != anchor[b]
    if mixed.any():  # each other building joins its nearest anchor within reach
        src = np.where(anchor[a[mixed]], a[mixed], b[mixed])
        dst = np.where(anchor[a[mixed]], b[mixed], a[mixed])
        order = np.lexsort((gap[mixed], dst))
        dst_s, src_s = dst[order], src[order]
        first = np.r_[True, dst_s[1:] != dst_s[:-1]]
        lab[dst_s[first]] = lab[src_s[first]]
    if not p.non_domestic_require_anchor:
        free = lab < 0
        ff = free[a] & free[b]
        graph = coo_matrix((np.ones(int(ff.sum())), (a[ff], b[ff])), shape=(n, n))
        _, comp2 = connected_components(graph, directed=False)
        lab = np.where(free, comp2 + n, lab)
    return _consecutive(lab)


def _dwellings(frame: gpd.GeoDataFrame, p: ClusterParams) -> np.ndarray:
    if N_DWELLINGS in frame.columns:
        n = pd.to_numeric(frame[N_DWELLINGS], errors="coerce").to_numpy(dtype=float)
        bad = frame.index[~np.isfinite(n) | (n < 0)]
        if len(bad):
            msg = f"buildings: n_dwellings must be >= 0; bad for building(s) {list(bad[:5])}"
            raise InputError(msg)
        return n
    n = np.ones(len(frame))
    flats = np.zeros(len(frame), dtype=bool)
    if schema.BUILDING_TAG in frame.columns:
        flats |= frame[schema.BUILDING_TAG].isin(p.flat_building_tags).to_numpy()
    if schema.PROPERTY_TYPE in frame.columns:  # from the demand stage
        flats |= (frame[schema.PROPERTY_TYPE] == "flat").to_numpy()
    if flats.any() and schema.GROSS_FLOOR_AREA_M2 in frame.columns:
        gfa = pd.to_numeric(frame[schema.GROSS_FLOOR_AREA_M2], errors="coerce").to_numpy()
        est = np.maximum(1.0, np.round(np.nan_to_num(gfa) / p.flat_dwelling_floor_area_m2))
        n = np.where(flats, est, n)
    return n


def _tenure(domestic: gpd.GeoDataFrame, tenure: pd.Series | None) -> pd.Series:
    valid = {t.value for t in Tenure}
    if tenure is not None:
        missing = domestic.index.difference(tenure.index)
        if len(missing):
            msg = (
                f"tenure layer: no row for {len(missing)} domestic building(s), e.g. "
                f"{list(missing[:5])}; give every domestic building a tenure ('unknown' if not "
                "known)"
            )
            raise InputError(msg)
        values = tenure.reindex(domestic.index)
        where = "tenure layer"
    elif schema.TENURE in domestic.columns:
        values = domestic[schema.TENURE]
        n_blank = int((values.isna() | (values.astype(str).str.strip() == "")).sum())
        if n_blank:
            logger.info("%d domestic buildings have no tenure; counted as 'unknown'", n_blank)
        values = values.where(values.notna() & (values.astype(str).str.strip() != ""), "unknown")
        where = "buildings column 'tenure'"
    else:
        logger.info("no tenure given; all %d dwellings counted as 'unknown'", len(domestic))
        return pd.Series(Tenure.UNKNOWN.value, index=domestic.index)
    norm = values.astype(str).str.strip().str.lower()
    bad = norm[~norm.isin(valid)]
    if not bad.empty:
        msg = (
            f"{where}: unknown tenure class(es) {sorted(set(bad))[:5]} (e.g. building "
            f"{bad.index[0]}); valid: {sorted(valid)}"
        )
        raise InputError(msg)
    return norm


def _check_buildings(buildings: gpd.GeoDataFrame) -> None:
    if buildings.crs is None or not buildings.crs.is_projected:
        msg = "buildings: need a projected metric CRS (e.g. EPSG:27700); reproject first"
        raise CRSError(msg)
    if schema.USE not in buildings.columns:
        msg = "buildings: missing column 'use' (domestic / non_domestic / excluded)"
        raise SchemaError(msg)
    if buildings.index.has_duplicates:
        dups = list(buildings.index[buildings.index.duplicated()][:5])
        msg = f"buildings: duplicate building_id {dups}"
        raise InputError(msg)
    uses = {u.value for u in BuildingUse}
    bad = buildings[schema.USE][~buildings[schema.USE].isin(uses)]
    if not bad.empty:
        msg = f"buildings: unknown use {sorted(set(bad.astype(str)))[:5]}; valid: {sorted(uses)}"
        raise InputError(msg)


def _outlines(geoms: np.ndarray, labels: np.ndarray, n: int, buffer_m: float) -> np.ndarray:
    """Convex hull of each cluster's footprint vertices, buffered."""
    coords, idx = shapely.get_coordinates(geoms, return_index=True)
    lab = labels[idx]
    keep = np.flatnonzero(lab >= 0)
    keep = keep[np.argsort(lab[keep], kind="stable")]
    mp = shapely.multipoints(shapely.points(coords[keep]), indices=lab[keep], out=None)
    hulls = shapely.convex_hull(mp)
    out = shapely.buffer(hulls, buffer_m) if buffer_m > 0 else hulls
    return np.asarray(out[:n], dtype=object)


def _stats(
    frame: gpd.GeoDataFrame,
    labels: np.ndarray,
    dwellings: np.ndarray,
    tenure: pd.Series | None,
    prefix: str,
    kind: str,
    p: ClusterParams,
) -> gpd.GeoDataFrame:
    n = int(labels.max()) + 1 if (labels >= 0).any() else 0
    ids = np.array([f"{prefix}{i + 1:03d}" for i in range(n)], dtype=object)
    m = labels >= 0
    lab = labels[m]

    def total(col: str) -> np.ndarray:
        if col not in frame.columns:
            return np.full(n, np.nan)
        v = pd.to_numeric(frame[col], errors="coerce").to_numpy(dtype=float)[m]
        return np.bincount(lab, weights=np.nan_to_num(v), minlength=n)

    out = pd.DataFrame(
        {
            "kind": kind,
            "n_buildings": np.bincount(lab, minlength=n),
            N_DWELLINGS: np.bincount(lab, weights=dwellings[m], minlength=n).round().astype(int),
            schema.GROSS_FLOOR_AREA_M2: total(schema.GROSS_FLOOR_AREA_M2),
            schema.HEAT_DEMAND_MWH_PER_A: total(schema.HEAT_DEMAND_MWH_PER_A),
        },
        index=pd.Index(ids, name=schema.CLUSTER_ID),
    )
    anchor = (
        frame[schema.IS_ANCHOR].fillna(False).astype(bool).to_numpy()[m]
        if schema.IS_ANCHOR in frame.columns
        else np.zeros(int(m.sum()), dtype=bool)
    )
    out["n_anchors"] = np.bincount(lab, weights=anchor.astype(float), minlength=n).astype(int)
    geoms = _outlines(frame.geometry.to_numpy(), labels, n, p.outline_buffer_m)
    area_ha = shapely.area(geoms) / 10_000.0
    out["area_ha"] = area_ha
    out["dwellings_per_ha"] = np.where(area_ha > 0, out[N_DWELLINGS] / area_ha, np.nan)
    if kind == BuildingUse.DOMESTIC.value:
        dph = out["dwellings_per_ha"].to_numpy()
        out["density_class"] = np.where(
            dph >= p.density_high_min_dph,
            "high",
            np.where(dph >= p.density_medium_min_dph, "medium", "low"),
        )
    else:
        out["density_class"] = ""
    for t, col in TENURE_COUNT_COLUMNS.items():
        if tenure is None:
            out[col] = 0
        else:
            hit = (tenure.to_numpy() == t)[m]
            out[col] = np.bincount(lab, weights=dwellings[m] * hit, minlength=n).round().astype(int)
    return gpd.GeoDataFrame(out, geometry=gpd.GeoSeries(geoms, index=out.index, crs=frame.crs))


def _connection_points(clusters: gpd.GeoDataFrame, streets: gpd.GeoDataFrame) -> None:
    """Add connection_x / connection_y: nearest street point to each outline's centroid."""
    if clusters.empty or streets.empty:
        clusters["connection_x"] = np.nan
        clusters["connection_y"] = np.nan
        return
    sgeoms = streets.geometry.to_numpy()
    cent = shapely.centroid(clusters.geometry.to_numpy())
    nearest = shapely.STRtree(sgeoms).nearest(cent)
    ends = shapely.get_point(shapely.shortest_line(cent, sgeoms[nearest]), 1)
    xy = shapely.get_coordinates(ends)
    clusters["connection_x"] = xy[:, 0]
    clusters["connection_y"] = xy[:, 1]


def cluster_buildings(
    buildings: gpd.GeoDataFrame,
    *,
    streets: gpd.GeoDataFrame | None = None,
    barriers: gpd.GeoDataFrame | None = None,
    crossings: gpd.GeoDataFrame | None = None,
    tenure: pd.Series | None = None,
    params: ClusterParams | None = None,
) -> ClusterResult:
    """Cluster dwellings (barrier-aware DBSCAN) and non-domestic buildings (around anchors).

    Parameters
    ----------
    buildings
        Footprints indexed by ``building_id`` in a projected CRS with ``use``; optional
        ``n_dwellings`` (else one per house, floor area / ``flat_dwelling_floor_area_m2`` for
        ``building_tag`` in ``flat_building_tags`` or ``property_type`` "flat"),
        ``gross_floor_area_m2``, ``heat_demand_mwh_per_a``, ``is_anchor``, ``tenure``. Not
        modified.
    streets
        Street centre lines with ``highway``: barrier roads (``params.barrier_highways``) and
        their crossings are taken from it, and each cluster's connection point is its nearest
        street point.
    barriers
        Extra barrier lines (e.g. railways), in the buildings' CRS.
    crossings
        Extra crossing points or lines (bridges, level crossings, footbridges).
    tenure
        Tenure layer: ``social`` / ``private`` / ``public`` / ``commercial`` / ``unknown`` per
        ``building_id``; every domestic building needs a row. Default: the ``tenure`` column
        (blank = unknown), else all unknown.
    params
        Clustering and screening parameters.

    Returns
    -------
    result
        Labels per building and the clusters layer (see :class:`ClusterResult`).

    Raises
    ------
    CRSError
        Geographic or missing CRS, or layers in different CRSs.
    SchemaError
        Missing ``use``.
    InputError
        Unknown use or tenure classes, tenure rows missing, duplicate ids, bad dwellings.

    Examples
    --------
    Two rows of twelve houses either side of a trunk road (a barrier with no crossing), social
    housing to the north and private to the south:

    >>> from shapely.geometry import LineString, box
    >>> houses = [box(15 * i, y, 15 * i + 10, y + 8) for y in (10, -18) for i in range(12)]
    >>> buildings = gpd.GeoDataFrame(
    ...     {"use": ["domestic"] * 24, "tenure": ["social"] * 12 + ["private"] * 12},
    ...     geometry=houses, index=pd.Index([f"h{i}" for i in range(24)], name="building_id"),
    ...     crs="EPSG:27700")
    >>> streets = gpd.GeoDataFrame(
    ...     {"highway": ["trunk", "residential"]},
    ...     geometry=[LineString([(-50, 0), (250, 0)]), LineString([(-50, 30), (250, 30)])],
    ...     crs="EPSG:27700")
    >>> res = cluster_buildings(buildings, streets=streets)
    >>> res.labels[["h0", "h12"]].tolist()
    ['D001', 'D002']
    >>> cols = ["n_dwellings", "social_dwellings", "density_class", "viable"]
    >>> print(res.clusters[cols].to_string())  # doctest: +NORMALIZE_WHITESPACE
                n_dwellings  social_dwellings density_class  viable
    cluster_id
    D001                 12                12        medium    True
    D002                 12                 0        medium   False
    """
    p = params or ClusterParams()
    _check_buildings(buildings)
    crs = buildings.crs
    bar_parts: list[np.ndarray] = []
    cross_parts: list[np.ndarray] = []
    for layer, name in ((streets, "streets"), (barriers, "barriers"), (crossings, "crossings")):
        if layer is not None and (layer.crs is None or not layer.crs.equals(crs)):
            msg = f"{name}: CRS {layer.crs} differs from the buildings' {crs}; reproject first"
            raise CRSError(msg)
    if streets is not None:
        b, c = barriers_from_streets(streets, params=p)
        bar_parts.append(b.geometry.to_numpy())
        cross_parts.append(c.geometry.to_numpy())
    if barriers is not None:
        bar_parts.append(barriers.geometry.to_numpy())
    if crossings is not None:
        cross_parts.append(crossings.geometry.to_numpy())
    bar = np.concatenate(bar_parts) if bar_parts else np.empty(0, dtype=object)
    cross = np.concatenate(cross_parts) if cross_parts else np.empty(0, dtype=object)

    use = buildings[schema.USE].astype(str)
    labels = pd.Series("", index=buildings.index, name=schema.CLUSTER_ID, dtype=object)
    dwellings = pd.Series(0.0, index=buildings.index, name=N_DWELLINGS)
    layers = []
    dom = buildings[use == BuildingUse.DOMESTIC.value]
    if len(dom):
        ten = _tenure(dom, tenure)
        dw = _dwellings(dom, p)
        dwellings[dom.index] = dw
        geoms = dom.geometry.to_numpy()
        xy = shapely.get_coordinates(shapely.centroid(geoms))
        pairs, _ = _gap_pairs(geoms, xy, p.eps_m, bar, cross, p.crossing_radius_m)
        lab = _dbscan(pairs, dw, float(p.min_samples), xy)
        lab = _split_large(lab, xy, dw, p.max_cluster_dwellings)
        lab = _consecutive(lab)
        dom_clusters = _stats(dom, lab, dw, ten, "D", BuildingUse.DOMESTIC.value, p)
        if len(dom_clusters):
            screened = screen_clusters(dom_clusters.reset_index(), params=p).set_index("cluster_id")
            extra = [c for c in screened.columns if c not in dom_clusters.columns]
            dom_clusters = dom_clusters.join(screened[extra])
            ids = dom_clusters.index.to_numpy()[np.maximum(lab, 0)]
            labels[dom.index] = np.where(lab >= 0, ids, "")
        layers.append(dom_clusters)
    nd = buildings[use == BuildingUse.NON_DOMESTIC.value]
    if len(nd):
        lab = _heat_clusters(nd, bar, cross, p)
        nd_clusters = _stats(nd, lab, np.zeros(len(nd)), None, "H", "non_domestic", p)
        if len(nd_clusters):
            ids = nd_clusters.index.to_numpy()[np.maximum(lab, 0)]
            labels[nd.index] = np.where(lab >= 0, ids, "")
        layers.append(nd_clusters)
    if layers:
        clusters = gpd.GeoDataFrame(pd.concat(layers), geometry="geometry", crs=crs)
    else:
        clusters = gpd.GeoDataFrame(
            {"kind": pd.Series(dtype=str)}, geometry=gpd.GeoSeries([], crs=crs), crs=crs
        )
        clusters.index.name = schema.CLUSTER_ID
    if streets is not None:
        _connection_points(clusters, streets)
    return ClusterResult(labels=labels, clusters=clusters, dwellings=dwellings)
