"""Merge the tiles' layers into the region's: zones and clusters across tile edges joined.

Every tile owns the buildings, street segments and clusters whose anchor point lies in its
square, so those layers are simply concatenated. Zones and clusters may run across tile edges.
Zones are grown per tile over the region's atlas within what the tile reads
(:mod:`.zone_views`); areas grown by different tiles that share a street segment are one area
seen twice. An area some tile saw whole is kept as that tile grew it; one that every tile saw
cut by the edge of what it read is grown again over the joined segments, so its zones and
their figures (heat, street length, LHD, anchors, rule) are those of a single run. Clusters are
matched through the buildings that two tiles both labelled.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyarrow.parquet as pq
import shapely

from heatmap import schema
from heatmap.region.tile_task import SEGMENT_KEY, layer_path
from heatmap.region.zone_views import sub_atlas
from heatmap.zones.candidate_zones import ZONE_COLUMNS, candidate_zones
from heatmap.zones.zone_params import ZoneParams

__all__ = [
    "REGION_CLUSTER_ID",
    "UnionFind",
    "building_clusters",
    "keys_to_regrow",
    "label_pairs",
    "merge_clusters",
    "merge_zones",
    "read_layer",
]

REGION_CLUSTER_ID = "region_cluster_id"


class UnionFind:
    """Disjoint sets over hashable items (path halving, union by size).

    >>> uf = UnionFind()
    >>> uf.union("a", "b"); uf.union("c", "d"); uf.union("b", "d")
    >>> uf.find("a") == uf.find("c"), uf.find("a") == uf.find("e")
    (True, False)
    """

    def __init__(self) -> None:
        self._parent: dict[Hashable, Hashable] = {}
        self._size: dict[Hashable, int] = {}

    def find(self, x: Hashable) -> Hashable:
        """The representative of ``x``'s set (``x`` joins as a set of its own if new)."""
        parent = self._parent
        if x not in parent:
            parent[x], self._size[x] = x, 1
            return x
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: Hashable, b: Hashable) -> None:
        """Join the sets of ``a`` and ``b``."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        if self._size[ra] < self._size[rb]:
            ra, rb = rb, ra
        self._parent[rb] = ra
        self._size[ra] += self._size[rb]

    def join_all(self, items: Sequence[Hashable]) -> None:
        """Join the sets of all ``items``."""
        for other in items[1:]:
            self.union(items[0], other)


def read_layer(
    work_dir: str | Path,
    tile_ids: Iterable[str],
    layer: str,
    columns: list[str] | None = None,
    *,
    isin: tuple[str, Collection[Any]] | None = None,
) -> gpd.GeoDataFrame | pd.DataFrame:
    """One layer of every tile, concatenated (a plain frame when ``columns`` has no geometry).

    ``isin`` (a column and its values) keeps only the matching rows of each tile.
    """
    frames = []
    for tid in tile_ids:
        path = layer_path(work_dir, tid, layer)
        if not path.is_file():
            continue
        meta = pq.read_schema(path).metadata or {}
        if b"geo" not in meta or (columns is not None and "geometry" not in columns):
            frame = pd.read_parquet(path, columns=columns)
        else:
            frame = gpd.read_parquet(path, columns=columns)
        if isin is not None:
            frame = frame[frame[isin[0]].isin(isin[1])]
        frames.append(frame)
    if not frames:
        return pd.DataFrame(columns=columns or [])
    out = pd.concat(frames, ignore_index=True)
    if "geometry" in out.columns:
        crs = next((f.crs for f in frames if isinstance(f, gpd.GeoDataFrame)), None)
        return gpd.GeoDataFrame(out, geometry="geometry", crs=crs)
    return out


def _key_groups(keys: pd.Series) -> pd.Series:
    """A group per row: rows whose key lists share a key are one group."""
    uf = UnionFind()
    by_key: dict[str, list[int]] = {}
    for i, ks in enumerate(keys):
        uf.find(i)
        for k in ks:
            by_key.setdefault(k, []).append(i)
    for members in by_key.values():
        uf.join_all(members)
    return pd.Series([uf.find(i) for i in range(len(keys))], index=keys.index)


def _regrown(
    keys: list[str],
    segments: gpd.GeoDataFrame,
    assigned: pd.DataFrame,
    context: tuple[gpd.GeoDataFrame | None, gpd.GeoDataFrame | None],
    params: ZoneParams,
) -> pd.DataFrame:
    """Grow the zones again over the joined segments, as a single run grows them."""
    atlas, G = sub_atlas(keys, segments, assigned)
    if atlas.segments.empty:
        return pd.DataFrame()
    clusters, areas = context
    bounds = shapely.box(*atlas.segments.total_bounds)
    zs = candidate_zones(
        atlas,
        G,
        params=params,
        clusters=None if clusters is None else clusters[clusters.intersects(bounds)],
        opportunity_areas=None if areas is None else areas[areas.intersects(bounds)],
    )
    out = zs.zones.copy()
    by_zone = zs.segment_zone.groupby(zs.segment_zone).groups
    out["segment_keys"] = [sorted(map(str, by_zone.get(z, []))) for z in out.index]
    out["old_group"] = [("", g) for g in out["group_id"]]
    out["old_id"] = [("", z) for z in out.index]
    return out.reset_index(drop=True)


def _views(zones: pd.DataFrame) -> pd.DataFrame:
    """One row per grown area each tile found: its zones, segment keys and whether it is cut."""
    zones = zones.assign(_keys=zones["segment_keys"].fillna("").str.split(","))
    views = zones.groupby(["tile_id", "group_id"], sort=True).agg(
        keys=("_keys", lambda ks: sorted({k for lst in ks for k in lst if k})),
        cut=("cut", "any"),
        owned=("owned", "any"),
    )
    return views.reset_index()


def _areas(zones: pd.DataFrame) -> Iterator[pd.DataFrame]:
    """The views of each grown area: areas of different tiles that share a segment are one."""
    if zones.empty:
        return
    views = _views(zones.reset_index(drop=True))
    groups = _key_groups(views["keys"])
    for _, members in views.groupby(groups.to_numpy(), sort=False):
        yield members


def _area_keys(members: pd.DataFrame) -> list[str]:
    return sorted({k for ks in members["keys"] for k in ks})


def keys_to_regrow(zones: pd.DataFrame) -> set[str]:
    """The segment keys of the areas that every tile saw cut, which :func:`merge_zones` regrows.

    Only the buildings on these segments are needed for the merge (its ``assigned``).
    """
    keys: set[str] = set()
    for members in _areas(zones):
        if members["cut"].astype(bool).all():
            keys.update(_area_keys(members))
    return keys


def merge_zones(
    zones: gpd.GeoDataFrame,
    segments: gpd.GeoDataFrame,
    assigned: pd.DataFrame,
    params: ZoneParams,
    *,
    context: tuple[gpd.GeoDataFrame | None, gpd.GeoDataFrame | None] = (None, None),
) -> tuple[gpd.GeoDataFrame, pd.Series, int]:
    """Join the tiles' zones into the region's, numbered by heat (``Z01`` largest).

    Each tile grows zones over what it read; a grown area (the zones split from one contiguous
    area share a ``group_id``) may be seen by several tiles. Areas seen by different tiles that
    share a street segment are one. When some tile saw the area whole (no part within the
    widest gap of the edge of what it read), its zones are kept as that tile found them; else
    the zones are grown again over the joined segments of the region's atlas.

    Parameters
    ----------
    zones
        Every tile's zones: ``tile_id``, ``zone_id``, ``group_id``, ``segment_keys``, ``owned``,
        ``cut`` and the figures of :class:`heatmap.zones.candidate_zones.ZoneSet`.
    segments
        The region's street heat atlas, one row per segment (its owner's), ``segment_key``.
    assigned
        The region's buildings with demand that joined a segment: ``building_id``,
        ``segment_key``, ``heat_demand_mwh_per_a`` (those on the segments of
        :func:`keys_to_regrow` are enough).
    params
        The zone rules.
    context
        The region's clusters and LHD-rule opportunity areas (segments meeting them qualify).

    Returns
    -------
    zones, segment_zone, n_regrown
        The region's zones (index ``zone_id``), ``segment_key`` → ``zone_id``, and how many
        areas were grown again across tile edges.
    """
    seg = segments.set_index(SEGMENT_KEY)
    crs = segments.crs
    parts: list[pd.DataFrame] = []
    n_regrown = 0
    zones = zones.reset_index(drop=True)
    for members in _areas(zones):
        whole = members[~members["cut"].astype(bool)]
        if len(whole):
            best = whole.sort_values(["owned", "tile_id"], ascending=[False, True]).iloc[0]
            mine = zones[
                (zones["tile_id"] == best["tile_id"]) & (zones["group_id"] == best["group_id"])
            ].copy()
            mine["segment_keys"] = mine["segment_keys"].fillna("").str.split(",")
            mine["old_group"] = list(zip(mine["tile_id"], mine["group_id"], strict=True))
            mine["old_id"] = list(zip(mine["tile_id"], mine["zone_id"], strict=True))
            parts.append(mine)
        else:
            parts.append(_regrown(_area_keys(members), seg, assigned, context, params))
            n_regrown += 1
    table = pd.concat([p for p in parts if len(p)], ignore_index=True) if parts else None
    if table is None or table.empty:
        empty = gpd.GeoDataFrame(
            columns=list(ZONE_COLUMNS), geometry=gpd.GeoSeries([], crs=crs), crs=crs
        )
        return empty.rename_axis("zone_id"), pd.Series(dtype=object, name="zone_id"), 0
    table["first_key"] = [min(k) if len(k) else "" for k in table["segment_keys"]]
    table = table.sort_values([schema.HEAT_DEMAND_MWH_PER_A, "first_key"], ascending=[False, True])
    width = max(2, len(str(len(table))))
    table.index = pd.Index(
        [f"Z{i + 1:0{width}d}" for i in range(len(table))], name="zone_id", dtype=object
    )
    new_of_old = dict(zip(table["old_id"], table.index, strict=True))
    table["group_id"] = [
        new_of_old.get(g, zid) for zid, g in zip(table.index, table["old_group"], strict=True)
    ]
    segment_zone = (
        table["segment_keys"].explode().rename(SEGMENT_KEY).reset_index().set_index(SEGMENT_KEY)
    )["zone_id"]
    segment_zone = segment_zone[~segment_zone.index.duplicated(keep="first")]
    out = gpd.GeoDataFrame(table[list(ZONE_COLUMNS)], geometry=table["geometry"].to_list(), crs=crs)
    out["passes"] = out["passes"].astype(bool)
    return out, segment_zone, n_regrown


def label_pairs(labels: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The pairs of tile clusters that share a building, and the labels used.

    Parameters
    ----------
    labels
        Every label the tiles gave some buildings, in tile order: ``building_id``,
        ``tile_id``, ``cluster_id`` (the tile's own ids).

    Returns
    -------
    pairs, used
        ``t0``, ``c0``, ``t1``, ``c1``: each building's first label against each of its
        others, without repeats; and ``tile_id``, ``cluster_id`` of every label used.
    """
    bid = schema.BUILDING_ID
    shared = labels[labels[bid].duplicated(keep="first")]
    lead = labels.drop_duplicates(bid).set_index(bid).reindex(shared[bid])
    pairs = pd.DataFrame(
        {
            "t0": lead["tile_id"].to_numpy(),
            "c0": lead[schema.CLUSTER_ID].to_numpy(),
            "t1": shared["tile_id"].to_numpy(),
            "c1": shared[schema.CLUSTER_ID].to_numpy(),
        }
    ).drop_duplicates()
    used = labels[["tile_id", schema.CLUSTER_ID]].drop_duplicates()
    return pairs.reset_index(drop=True), used.reset_index(drop=True)


def merge_clusters(
    clusters: gpd.GeoDataFrame, pairs: pd.DataFrame, used: pd.DataFrame
) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """Name the region's clusters and map every tile's cluster labels to them.

    Two tiles' clusters are one when some building carries a label of each (the pairs of
    :func:`label_pairs`, found tile by tile), so the work here grows with the clusters, not
    with the buildings.

    Parameters
    ----------
    clusters
        Every tile's owned clusters: ``tile_id``, ``cluster_id`` and their figures.
    pairs, used
        Tile clusters sharing a building, and every label used (:func:`label_pairs`).

    Returns
    -------
    clusters, label_region
        The clusters indexed by region id (``<tile_id>-<cluster_id>`` of the tile that owns
        it), and ``used`` with each label's ``region_cluster_id`` (empty when no tile owns
        the joined cluster).
    """
    uf = UnionFind()
    for t0, c0, t1, c1 in pairs[["t0", "c0", "t1", "c1"]].itertuples(index=False):
        uf.union((t0, c0), (t1, c1))
    region_id: dict[Hashable, str] = {}
    for tid, cid in zip(clusters["tile_id"], clusters[schema.CLUSTER_ID], strict=True):
        region_id.setdefault(uf.find((tid, cid)), f"{tid}-{cid}")
    out = clusters.copy()
    out.index = pd.Index(
        [f"{t}-{c}" for t, c in zip(out["tile_id"], out[schema.CLUSTER_ID], strict=True)],
        name=schema.CLUSTER_ID,
    )
    out = out.drop(columns=[schema.CLUSTER_ID])
    named = used[["tile_id", schema.CLUSTER_ID]].drop_duplicates().reset_index(drop=True)
    named[REGION_CLUSTER_ID] = [
        region_id.get(uf.find((t, c)), "")
        for t, c in zip(named["tile_id"], named[schema.CLUSTER_ID], strict=True)
    ]
    return out, named


def building_clusters(labels: pd.DataFrame, label_region: pd.DataFrame) -> pd.Series:
    """Each labelled building's region cluster id (its first label, in tile order).

    Parameters
    ----------
    labels
        Labels of the tiles that read the buildings, in tile order: ``building_id``,
        ``tile_id``, ``cluster_id``.
    label_region
        ``tile_id``, ``cluster_id`` → ``region_cluster_id`` (from :func:`merge_clusters`).
    """
    firsts = labels.drop_duplicates(schema.BUILDING_ID)
    named = firsts.merge(label_region, on=["tile_id", schema.CLUSTER_ID], how="left")
    return pd.Series(
        named[REGION_CLUSTER_ID].fillna("").astype(str).to_numpy(),
        index=pd.Index(firsts[schema.BUILDING_ID], name=schema.BUILDING_ID),
        name=schema.CLUSTER_ID,
    )
