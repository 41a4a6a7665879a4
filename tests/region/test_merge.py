"""Zones and clusters across tile edges, joined on hand-worked cases."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import LineString, MultiLineString

from heatmap.region import segment_keys
from heatmap.region.merge import building_clusters, label_pairs, merge_clusters, merge_zones
from heatmap.zones.candidate_zones import ZoneParams

CRS = "EPSG:27700"


def _street(n: int, heat_each: float) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """``n`` segments of 100 m end to end along y = 0, one building of ``heat_each`` on each."""
    lines = [LineString([(100.0 * i, 0.0), (100.0 * (i + 1), 0.0)]) for i in range(n)]
    keys = segment_keys(np.array(lines))
    segments = gpd.GeoDataFrame(
        {
            "segment_key": keys,
            "length_m": 100.0,
            "heat_demand_mwh_per_a": heat_each,
            "lhd_mwh_per_m_a": heat_each / 100.0,
            "n_buildings": 1,
            "n_anchors": 1,
        },
        geometry=lines,
        crs=CRS,
    )
    assigned = pd.DataFrame(
        {
            "building_id": [f"way/{i}" for i in range(n)],
            "segment_key": keys,
            "heat_demand_mwh_per_a": heat_each,
        }
    )
    return segments, assigned


def _view(tile: str, keys: list[str], *, cut: bool, heat: float, zone: str = "Z01") -> dict:
    return {
        "tile_id": tile,
        "zone_id": zone,
        "group_id": zone,
        "segment_keys": ",".join(keys),
        "owned": True,
        "cut": cut,
        "rule": "baseline",
        "passes": True,
        "reason": "",
        "heat_demand_mwh_per_a": heat,
        "street_length_m": 100.0 * len(keys),
        "lhd_mwh_per_m_a": heat / (100.0 * len(keys)),
        "n_buildings": len(keys),
        "n_anchors": len(keys),
        "anchor_ids": "",
        "n_segments": len(keys),
        "geometry": MultiLineString(),
    }


def test_a_zone_cut_by_both_tiles_is_grown_again_over_the_joined_segments() -> None:
    # four 100 m segments of 600 MWh/a each (LHD 6 MWh/m/a, one 600 MWh/a anchor each); tile
    # T1 read the first three, T2 the last three, and each saw its zone reach its edge
    segments, assigned = _street(4, 600.0)
    k = segments["segment_key"].tolist()
    views = pd.DataFrame(
        [_view("T1", k[:3], cut=True, heat=1800.0), _view("T2", k[1:], cut=True, heat=1800.0)]
    )
    zones, segment_zone, n_regrown = merge_zones(views, segments, assigned, ZoneParams())
    assert n_regrown == 1
    assert len(zones) == 1
    z = zones.iloc[0]
    # by hand: 4 x 600 = 2,400 MWh/a on 400 m of street, LHD 6, four anchors: baseline rule
    assert z["heat_demand_mwh_per_a"] == pytest.approx(2400.0)
    assert z["street_length_m"] == pytest.approx(400.0)
    assert z["lhd_mwh_per_m_a"] == pytest.approx(6.0)
    assert (z["n_anchors"], z["n_buildings"], z["n_segments"]) == (4, 4, 4)
    assert z["rule"] == "baseline"
    assert bool(z["passes"])
    assert sorted(segment_zone.index) == sorted(k)
    assert set(segment_zone) == {"Z01"}


def test_a_zone_one_tile_saw_whole_is_kept_as_that_tile_grew_it() -> None:
    segments, assigned = _street(4, 600.0)
    k = segments["segment_key"].tolist()
    whole = _view("T1", k[:2], cut=False, heat=1234.0)  # a tile's own figures, kept as they are
    views = pd.DataFrame([whole, _view("T2", k[1:3], cut=True, heat=999.0)])
    zones, segment_zone, n_regrown = merge_zones(views, segments, assigned, ZoneParams())
    assert n_regrown == 0
    assert zones["heat_demand_mwh_per_a"].tolist() == [1234.0]
    assert sorted(segment_zone.index) == sorted(k[:2])


def test_separate_zones_are_numbered_by_heat_across_the_region() -> None:
    segments, assigned = _street(6, 600.0)
    k = segments["segment_key"].tolist()
    views = pd.DataFrame(
        [
            _view("T1", k[:1], cut=False, heat=500.0, zone="Z01"),
            _view("T2", k[3:6], cut=False, heat=1800.0, zone="Z01"),
        ]
    )
    zones, segment_zone, _ = merge_zones(views, segments, assigned, ZoneParams())
    assert zones.index.tolist() == ["Z01", "Z02"]
    assert zones["heat_demand_mwh_per_a"].tolist() == [1800.0, 500.0]
    assert segment_zone[k[0]] == "Z02"
    assert zones["group_id"].tolist() == ["Z01", "Z02"]


def test_clusters_are_matched_through_the_buildings_two_tiles_both_labelled() -> None:
    # T1 owns cluster D001 (b1, b2); T2 read b2 and b3 and called their cluster D007
    clusters = gpd.GeoDataFrame(
        {"tile_id": ["T1"], "cluster_id": ["D001"], "n_buildings": [3]},
        geometry=[LineString([(0, 0), (1, 1)]).buffer(1)],
        crs=CRS,
    )
    labels = pd.DataFrame(
        {
            "building_id": ["b1", "b2", "b2", "b3", "b4"],
            "tile_id": ["T1", "T1", "T2", "T2", "T2"],
            "cluster_id": ["D001", "D001", "D007", "D007", "D009"],
        }
    )
    pairs, used = label_pairs(labels)
    assert sorted(map(tuple, pairs.to_numpy().tolist())) == [("T1", "D001", "T2", "D007")]
    out, label_region = merge_clusters(clusters, pairs, used)
    assert out.index.tolist() == ["T1-D001"]
    assert building_clusters(labels, label_region).to_dict() == {
        "b1": "T1-D001",
        "b2": "T1-D001",
        "b3": "T1-D001",
        "b4": "",  # its cluster is owned by no tile that reported it
    }


def test_a_tile_whose_buildings_join_no_segment_is_read_with_the_others(tmp_path: Path) -> None:
    from heatmap.region.merge import read_layer
    from heatmap.region.tile_task import layer_path

    for tid, keys in (("T1", ["a|b", None]), ("T2", [None, None])):  # T2: a column of nulls
        path = layer_path(tmp_path, tid, "buildings")
        path.parent.mkdir(parents=True)
        pd.DataFrame({"building_id": [f"{tid}-1", f"{tid}-2"], "segment_key": keys}).to_parquet(
            path, index=False
        )
    got = read_layer(tmp_path, ["T1", "T2"], "buildings", isin=("segment_key", {"a|b"}))
    assert got["building_id"].tolist() == ["T1-1"]
