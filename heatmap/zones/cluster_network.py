"""A cluster's internal pipe length from its own geometry (study Appendix 4).

Buildings whose footprints touch (terraces, semi-detached pairs) share one feed from the street
(study Figures 66-67): the group gets one service connection, and a frontage pipe runs along the
group to each dwelling (minimum spanning tree of the dwellings' centroids within the group). The
street part is a Steiner tree over the cluster's streets joining the groups' connection points
(:func:`heatmap.routing.steiner.steiner_tree`, weight = length).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components, minimum_spanning_tree

from heatmap import schema
from heatmap.errors import CRSError, InputError

__all__ = ["InternalNetwork", "internal_network_length_m", "internal_network_lengths"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class InternalNetwork:
    """Internal pipe of one cluster, metres of trench.

    Attributes
    ----------
    street_m
        Steiner tree along streets joining the feeds.
    feed_m
        Service connections street -> building group (one per terrace/semi group).
    frontage_m
        Shared pipe along each group to its dwellings.
    total_m
        Sum of the three.
    n_dwellings
        Dwellings served.
    n_groups
        Feeds (terrace/semi groups and detached buildings) attached to the street graph.
    n_unattached
        Groups farther than ``max_service_length_m`` from every street (left out; logged).
    m_per_dwelling
        ``total_m / n_dwellings``.
    """

    street_m: float
    feed_m: float
    frontage_m: float
    total_m: float
    n_dwellings: int
    n_groups: int
    n_unattached: int
    m_per_dwelling: float


def _groups(geoms: np.ndarray, gap_m: float) -> tuple[np.ndarray, float]:
    """Terrace groups (footprints within gap_m) and the frontage length (MST of centroids)."""
    n = len(geoms)
    a, b = shapely.STRtree(geoms).query(geoms, predicate="dwithin", distance=gap_m)
    keep = a < b
    a, b = a[keep], b[keep]
    _, group = connected_components(
        coo_matrix((np.ones(len(a)), (a, b)), shape=(n, n)), directed=False
    )
    xy = shapely.get_coordinates(shapely.centroid(geoms))
    d = np.hypot(*(xy[a] - xy[b]).T) + 1e-9  # tiny offset keeps coincident centroids as edges
    mst = minimum_spanning_tree(coo_matrix((d, (a, b)), shape=(n, n)).tocsr())
    return group, float(mst.sum())


def internal_network_length_m(
    buildings: gpd.GeoDataFrame,
    streets: gpd.GeoDataFrame,
    *,
    terrace_gap_m: float = 1.0,
    street_search_m: float = 150.0,
    method: str = "default",
) -> InternalNetwork:
    """Compute one cluster's internal network length from its buildings and streets.

    Parameters
    ----------
    buildings
        The cluster's building footprints (projected CRS); ``n_dwellings`` if present, else one
        dwelling per building.
    streets
        Street centre lines with ``highway`` in the same CRS (those within ``street_search_m``
        of the cluster are used).
    terrace_gap_m
        Footprints closer than this share a feed (terraces, semi-detached pairs).
    street_search_m
        Streets within this distance of the cluster's buildings are considered.
    method
        Steiner solver (:func:`heatmap.routing.steiner.steiner_tree`): ``"default"`` or ``"fast"``.

    Returns
    -------
    network
        Street, feed and frontage metres and metres per dwelling.

    Raises
    ------
    CRSError
        Missing/geographic CRS or differing CRSs.
    InputError
        No buildings, or no street near the cluster.

    Examples
    --------
    Four detached houses 20 m apart, each 10 m from the street: 60 m of street pipe between
    the first and last feed and four 10 m feeds, 25 m per dwelling:

    >>> from shapely.geometry import LineString, box
    >>> from heatmap.zones.clusters import internal_network_length_m
    >>> houses = gpd.GeoDataFrame(geometry=[box(20 * i, 10, 20 * i + 10, 18) for i in range(4)],
    ...                           crs="EPSG:27700")
    >>> streets = gpd.GeoDataFrame({"highway": ["residential"]},
    ...                            geometry=[LineString([(-20, 0), (100, 0)])], crs="EPSG:27700")
    >>> net = internal_network_length_m(houses, streets)
    >>> net.street_m, net.feed_m, net.total_m, net.m_per_dwelling
    (60.0, 40.0, 100.0, 25.0)
    """
    from heatmap.routing.graph import NetworkParams, attach_terminals, build_street_graph
    from heatmap.routing.steiner import steiner_tree

    if buildings.empty:
        msg = "internal_network_length_m: the cluster has no buildings"
        raise InputError(msg)
    crs = buildings.crs
    if crs is None or not crs.is_projected or streets.crs is None or not streets.crs.equals(crs):
        msg = "internal_network_length_m: buildings and streets need the same projected CRS"
        raise CRSError(msg)
    geoms = buildings.geometry.to_numpy()
    dwell = (
        pd.to_numeric(buildings["n_dwellings"], errors="coerce").fillna(1).to_numpy(dtype=float)
        if "n_dwellings" in buildings.columns
        else np.ones(len(buildings))
    )
    group, frontage = _groups(geoms, terrace_gap_m)
    area = shapely.buffer(shapely.convex_hull(shapely.union_all(geoms)), street_search_m)
    near = streets[streets.intersects(area)]
    if near.empty:
        msg = f"internal_network_length_m: no street within {street_search_m} m of the cluster"
        raise InputError(msg)
    gid = np.asarray([f"g{g}" for g in np.unique(group)], dtype=object)
    grouped = gpd.GeoDataFrame(
        {"group_id": gid},
        geometry=gpd.GeoSeries(
            [shapely.union_all(geoms[group == g]) for g in np.unique(group)], crs=crs
        ),
        crs=crs,
    )
    nparams = NetworkParams(weight="length")
    G = build_street_graph(near, params=nparams)
    H, nodes = attach_terminals(G, grouped, id_column="group_id", params=nparams)
    n_unattached = len(gid) - len(nodes)
    if n_unattached:
        logger.warning(
            "%d building group(s) of the cluster are beyond %g m of any street and left out",
            n_unattached,
            nparams.max_service_length_m,
        )
    terms = list(nodes.values())
    street_m = feed_m = 0.0
    if len(terms) == 1:
        feed_m = float(sum(d[schema.LENGTH_M] for _, _, d in H.edges(terms[0], data=True)))
    elif terms:
        tree = steiner_tree(H, terms, weight="weight", method=method, allow_forest=True)  # type: ignore[arg-type]
        for u, v in tree.edges:
            data = H.edges[u, v]
            if data[schema.KIND] == schema.EdgeKind.SERVICE:
                feed_m += float(data[schema.LENGTH_M])
            else:
                street_m += float(data[schema.LENGTH_M])
    total = street_m + feed_m + frontage
    n_dw = round(float(dwell.sum()))
    return InternalNetwork(
        street_m=street_m,
        feed_m=feed_m,
        frontage_m=frontage,
        total_m=total,
        n_dwellings=n_dw,
        n_groups=len(terms),
        n_unattached=n_unattached,
        m_per_dwelling=total / n_dw if n_dw else float("nan"),
    )


def internal_network_lengths(
    buildings: gpd.GeoDataFrame,
    labels: pd.Series,
    streets: gpd.GeoDataFrame,
    *,
    dwellings: pd.Series | None = None,
    method: str = "default",
    progress: bool | None = None,
) -> pd.DataFrame:
    """Compute :func:`internal_network_length_m` for every cluster in ``labels``.

    Parameters
    ----------
    buildings
        All buildings (index ``building_id``).
    labels
        ``cluster_id`` per building (``""`` = none), e.g. ``ClusterResult.labels``; only
        domestic clusters (ids starting ``D``) are measured.
    streets
        Street centre lines in the same CRS.
    dwellings
        Dwellings per building (e.g. ``ClusterResult.dwellings``); default the buildings'
        ``n_dwellings`` column, else one per building.
    method
        Steiner solver.
    progress
        Show a progress bar (None = only on a terminal).

    Returns
    -------
    lengths
        Index ``cluster_id``; columns ``internal_network_length_m``, ``street_m``, ``feed_m``,
        ``frontage_m``, ``n_groups``, ``n_unattached``, ``computed_m_per_dwelling``.

    Examples
    --------
    The four houses of :func:`internal_network_length_m`'s example as cluster ``D001``, and a
    non-domestic building (not measured):

    >>> from shapely.geometry import LineString, box
    >>> from heatmap.zones.clusters import internal_network_lengths
    >>> buildings = gpd.GeoDataFrame(
    ...     geometry=[box(20 * i, 10, 20 * i + 10, 18) for i in range(5)],
    ...     index=pd.Index([f"b{i}" for i in range(5)], name="building_id"), crs="EPSG:27700")
    >>> labels = pd.Series(["D001"] * 4 + ["H001"], index=buildings.index)
    >>> streets = gpd.GeoDataFrame({"highway": ["residential"]},
    ...                            geometry=[LineString([(-20, 0), (100, 0)])], crs="EPSG:27700")
    >>> t = internal_network_lengths(buildings, labels, streets, progress=False)
    >>> cols = ["internal_network_length_m", "computed_m_per_dwelling"]
    >>> t.index.tolist(), t.loc["D001", cols].tolist()
    (['D001'], [100.0, 25.0])
    """
    from tqdm import tqdm

    lab = labels.reindex(buildings.index).fillna("")
    if dwellings is not None:
        buildings = buildings.assign(n_dwellings=dwellings.reindex(buildings.index).fillna(0))
    ids = sorted(c for c in lab.unique() if str(c).startswith("D"))
    rows = {}
    for cid in tqdm(ids, disable=None if progress is None else not progress, desc="clusters"):
        net = internal_network_length_m(buildings[lab == cid], streets, method=method)
        rows[cid] = {
            "internal_network_length_m": net.total_m,
            "street_m": net.street_m,
            "feed_m": net.feed_m,
            "frontage_m": net.frontage_m,
            "n_groups": net.n_groups,
            "n_unattached": net.n_unattached,
            "computed_m_per_dwelling": net.m_per_dwelling,
        }
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = schema.CLUSTER_ID
    return out
