"""Zones grown per tile over the region's street heat atlas: each tile's view of the zones.

After the tiles, the region's atlas is exact: every segment carries the heat of all the
buildings that join it, whichever tile they are in. A zone task takes the atlas's segments
within what its tile reads, grows zones over them with the region's clusters and opportunity
areas, as a single run does, and reports every grown area with its segments' keys, whether the
tile owns it (its segment of least key has its midpoint in the tile's square) and whether it is
cut (some part within the widest zone gap of the edge of what the tile read, so it may go on
beyond). :func:`heatmap.region.merge.merge_zones` joins the views.
"""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import networkx as nx
import pandas as pd
import shapely

from heatmap import schema
from heatmap.region.tile_task import SEGMENT_KEY, layer_path
from heatmap.region.tiling import Tile, owned_geometries
from heatmap.zones.atlas import StreetAtlas
from heatmap.zones.candidate_zones import candidate_zones
from heatmap.zones.zone_params import ZoneParams

__all__ = ["sub_atlas", "tile_zone_views"]

LIGHT = [schema.BUILDING_ID, "tile_id", SEGMENT_KEY, schema.HEAT_DEMAND_MWH_PER_A]
"""The buildings' columns the zones need."""


def sub_atlas(
    keys: Sequence[str], segments: gpd.GeoDataFrame, assigned: pd.DataFrame
) -> tuple[StreetAtlas, nx.Graph]:
    """The region atlas restricted to some segments, with their ends as graph nodes.

    Parameters
    ----------
    keys
        The segments' keys.
    segments
        The region's atlas indexed by ``segment_key``.
    assigned
        Buildings that joined a segment: ``building_id``, ``segment_key``,
        ``heat_demand_mwh_per_a``.

    Returns
    -------
    atlas, G
        A street heat atlas whose segments are indexed by their keys, with ``u`` and ``v``
        read from the keys (so segments of different tiles meet at their shared ends), and a
        graph of those ends.
    """
    seg = segments.reindex(sorted(set(keys))).dropna(subset=[schema.LENGTH_M])
    seg = seg.drop(columns=[c for c in (schema.SEGMENT_ID, "u", "v") if c in seg.columns])
    ends = seg.index.to_series().str.split("|")
    seg = seg.assign(u=ends.str[0].to_numpy(), v=ends.str[1].to_numpy())
    seg.index = pd.Index(seg.index.to_numpy(), name=schema.SEGMENT_ID)
    mine = assigned[assigned[SEGMENT_KEY].isin(set(seg.index))]
    assignment = pd.DataFrame(
        {
            schema.SEGMENT_ID: mine[SEGMENT_KEY].to_numpy(),
            schema.HEAT_DEMAND_MWH_PER_A: mine[schema.HEAT_DEMAND_MWH_PER_A].to_numpy(),
        },
        index=pd.Index(mine[schema.BUILDING_ID].astype(str), name=schema.BUILDING_ID),
    )
    G = nx.Graph()
    G.add_nodes_from(pd.unique(pd.concat([seg["u"], seg["v"]])))
    atlas = StreetAtlas(gpd.GeoDataFrame(seg, geometry="geometry", crs=segments.crs), assignment)
    return atlas, G


def _read(work_dir: str, tile_ids: Sequence[str], layer: str, columns: list[str] | None) -> list:
    out = []
    for tid in tile_ids:
        path = layer_path(work_dir, tid, layer)
        if path.is_file():
            out.append(
                gpd.read_parquet(path)
                if columns is None
                else pd.read_parquet(path, columns=columns)
            )
    return out


def tile_zone_views(
    tile: Tile,
    work_dir: str,
    tile_ids: Sequence[str],
    params: ZoneParams,
    context: tuple[gpd.GeoDataFrame | None, gpd.GeoDataFrame | None],
) -> pd.DataFrame:
    """Grow zones over the region's atlas within what ``tile`` reads.

    Parameters
    ----------
    tile
        The tile.
    work_dir
        The run's work folder.
    tile_ids
        The tiles whose layers may hold segments within what ``tile`` reads.
    params
        The zone rules.
    context
        The region's clusters and LHD-rule opportunity areas near the tile.

    Returns
    -------
    views
        Every zone grown, with the columns of
        :attr:`heatmap.zones.candidate_zones.ZoneSet.zones`, ``zone_id``, ``segment_keys``
        (comma-joined), ``owned``, ``cut`` and ``tile_id``.
    """
    x0, y0, x1, y1 = (min(max(v, -1e12), 1e12) for v in tile.read_bounds_m)
    frames = _read(work_dir, tile_ids, "street_lhd", None)
    if not frames:
        return pd.DataFrame()
    segments = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=frames[0].crs)
    segments = segments[segments.intersects(shapely.box(x0, y0, x1, y1))]
    if segments.empty:
        return pd.DataFrame()
    light = pd.concat(_read(work_dir, tile_ids, "buildings", LIGHT), ignore_index=True)
    atlas, G = sub_atlas(
        segments[SEGMENT_KEY].tolist(), segments.set_index(SEGMENT_KEY), light.dropna()
    )
    clusters, areas = context
    zs = candidate_zones(atlas, G, params=params, clusters=clusters, opportunity_areas=areas)
    zones = zs.zones.copy()
    if zones.empty:
        return pd.DataFrame()
    members = zs.segment_zone.rename("zone_id").rename_axis(SEGMENT_KEY).reset_index()
    members = members.sort_values(["zone_id", SEGMENT_KEY])
    by_zone = members.groupby("zone_id")[SEGMENT_KEY].agg(list)
    first = members.drop_duplicates("zone_id")  # a zone's anchor: its segment of least key
    geoms = atlas.segments.geometry.reindex(first[SEGMENT_KEY]).to_numpy()
    own = pd.Series(owned_geometries(tile, geoms), index=first["zone_id"].to_numpy())
    margin = max(params.max_gap_m, params.max_service_length_m)
    zones["segment_keys"] = [",".join(by_zone.get(z, [])) for z in zones.index]
    zones["owned"] = own.reindex(zones.index).fillna(False).astype(bool).to_numpy()
    zones["cut"] = tile.near_read_edge(zones.geometry.to_numpy(), margin)
    zones["tile_id"] = tile.tile_id
    return pd.DataFrame(zones.reset_index())
