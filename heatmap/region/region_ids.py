"""The region's zone and cluster ids of every building, found tile by tile.

The driver never holds the region's buildings. Each tile finds, for the buildings it owns, the
labels every tile gave them and the pairs of tile clusters those labels join
(:func:`tile_cluster_pairs`); the driver joins the pairs into the region's clusters and names
the zones (:mod:`.merge`), writes per tile the maps from labels and segments to region ids
(:func:`write_merge_maps`), and each tile writes its buildings' ids (:func:`tile_region_ids`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from heatmap import schema
from heatmap.region.merge import building_clusters, label_pairs, read_layer
from heatmap.region.tile_task import SEGMENT_KEY, layer_path

__all__ = [
    "REGION_IDS",
    "tile_cluster_pairs",
    "tile_region_ids",
    "write_merge_maps",
]

REGION_IDS = "region_ids"
"""Layer beside a tile's buildings: ``building_id``, ``zone_id``, ``cluster_id`` (region ids)."""
SEGMENT_ZONE = "segment_zone"
LABEL_REGION = "cluster_region"
FIRST_LABEL = "first_label"


def tile_cluster_pairs(
    tile_id: str, work_dir: str, near_ids: Sequence[str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The tile clusters joined through the buildings a tile owns, and the labels they carry.

    Writes each owned building's first label (in tile order) beside its buildings.

    Parameters
    ----------
    tile_id
        The tile.
    work_dir
        The run's work folder.
    near_ids
        The tiles whose read areas meet this tile's square, in the run's tile order: every
        tile that may have labelled a building this tile owns.

    Returns
    -------
    pairs, used
        See :func:`heatmap.region.merge.label_pairs`.
    """
    bid = schema.BUILDING_ID
    own = pd.read_parquet(layer_path(work_dir, tile_id, "buildings"), columns=[bid])[bid]
    labels = read_layer(work_dir, near_ids, "cluster_labels")
    if len(labels):
        labels = labels[labels[bid].isin(own)]
    else:
        labels = pd.DataFrame(columns=[bid, "tile_id", schema.CLUSTER_ID], dtype=object)
    layer_path(work_dir, tile_id, LABEL_REGION).unlink(missing_ok=True)  # a stale map
    labels.drop_duplicates(bid).to_parquet(layer_path(work_dir, tile_id, FIRST_LABEL), index=False)
    return label_pairs(labels)


def write_merge_maps(work_dir: Path, segment_zone: pd.Series, label_region: pd.DataFrame) -> None:
    """Write what buildings need to find their region zone and cluster ids.

    Parameters
    ----------
    work_dir
        The run's work folder.
    segment_zone
        ``segment_key`` → ``zone_id`` of every segment in a zone (one file: a long segment
        may be owned by a tile far from some of the buildings that join it).
    label_region
        ``tile_id``, ``cluster_id`` → ``region_cluster_id`` of every label a tile used,
        written beside the labelling tile's layers.
    """
    frame = segment_zone.rename("zone_id").rename_axis(SEGMENT_KEY).reset_index()
    frame.to_parquet(Path(work_dir) / f"{SEGMENT_ZONE}.parquet", index=False)
    for tid, rows in label_region.groupby("tile_id", sort=False):
        rows.to_parquet(layer_path(work_dir, str(tid), LABEL_REGION), index=False)


def tile_region_ids(tile_id: str, work_dir: str, near_ids: Sequence[str]) -> int:
    """Write the region zone and cluster ids of the buildings a tile owns beside them.

    A building's zone is its street segment's; its cluster is the region cluster of the first
    label (in tile order) any tile gave it.

    Parameters
    ----------
    tile_id
        The tile.
    work_dir
        The run's work folder, with :func:`tile_cluster_pairs` and :func:`write_merge_maps`
        written.
    near_ids
        The tiles whose read areas meet this tile's square (the tiles that labelled its
        buildings).

    Returns
    -------
    n_buildings
        Buildings written.
    """
    bid = schema.BUILDING_ID
    own = pd.read_parquet(layer_path(work_dir, tile_id, "buildings"), columns=[bid, SEGMENT_KEY])
    zones = pd.read_parquet(Path(work_dir) / f"{SEGMENT_ZONE}.parquet")
    zone = zones[zones[SEGMENT_KEY].isin(own[SEGMENT_KEY])].set_index(SEGMENT_KEY)["zone_id"]
    firsts = pd.read_parquet(layer_path(work_dir, tile_id, FIRST_LABEL))
    ids = pd.Index(own[bid], name=bid)
    if len(firsts):
        cluster = building_clusters(firsts, read_layer(work_dir, near_ids, LABEL_REGION))
        cluster = cluster.reindex(ids)
    else:
        cluster = pd.Series(index=ids, dtype=object)
    frame = pd.DataFrame(
        {
            "zone_id": zone.reindex(own[SEGMENT_KEY]).fillna("").astype(str).to_numpy(),
            schema.CLUSTER_ID: cluster.fillna("").astype(str).to_numpy(),
        },
        index=ids,
    )
    frame.reset_index().to_parquet(layer_path(work_dir, tile_id, REGION_IDS), index=False)
    return len(frame)
