"""Tiles, ownership and segment keys of a region run, on hand-worked cases."""

from __future__ import annotations

import math

import numpy as np
import pyproj
import pytest
from shapely.geometry import LineString, box

from heatmap.errors import InputError
from heatmap.region import UnionFind, owned, owned_geometries, segment_keys, tile_grid
from heatmap.region.tiling import read_bbox_of


def test_a_building_in_a_halo_is_counted_once_by_the_tile_holding_its_anchor_point() -> None:
    # two 1 km tiles side by side with a 100 m halo: x in [0, 1000) and [1000, 2000)
    west, east = tile_grid((0.0, 0.0, 2000.0, 1000.0), tile_km=1.0, halo_m=100.0)
    assert west.read_bounds_m[2] == 1100.0
    assert east.read_bounds_m[0] == 900.0
    # a 30 x 10 m building across the edge, x from 980 to 1010: its centre (995, 500) lies in
    # the west tile's square and in the east tile's halo
    straddling = box(980.0, 495.0, 1010.0, 505.0)
    # a 10 x 10 m building at x 1040 to 1050: in the east square and in the west tile's halo
    in_west_halo = box(1040.0, 0.0, 1050.0, 10.0)
    geoms = np.array([straddling, in_west_halo])
    for t in (west, east):  # both tiles read both buildings whole ...
        x0, _, x1, _ = t.read_bounds_m
        assert all(x0 <= g.bounds[0] and g.bounds[2] <= x1 for g in geoms)
    # ... and each is owned by one of them
    assert owned_geometries(west, geoms).tolist() == [True, False]
    assert owned_geometries(east, geoms).tolist() == [False, True]


def test_every_point_is_owned_by_exactly_one_tile_even_beyond_the_region() -> None:
    tiles = tile_grid((0.0, 0.0, 2500.0, 1700.0), tile_km=1.0, halo_m=150.0)
    assert len(tiles) == 6  # 3 columns x 2 rows
    rng = np.random.default_rng(7)
    xy = np.vstack(
        [
            rng.uniform(-500, 3000, size=(300, 2)),
            [[1000.0, 500.0], [2000.0, 1000.0], [0.0, 0.0], [3000.0, -10.0], [-1e6, 1e6]],
        ]
    )
    counts = np.sum([owned(t, xy) for t in tiles], axis=0)
    assert (counts == 1).all()
    # a point on a shared edge goes to the tile on its east (west and south edges are in)
    assert [t.tile_id for t in tiles if owned(t, np.array([[1000.0, 500.0]]))[0]] == ["T001_000"]


def test_a_line_is_owned_by_the_tile_holding_its_midpoint() -> None:
    west, east = tile_grid((0.0, 0.0, 2000.0, 1000.0), tile_km=1.0, halo_m=100.0)
    # 300 m street from x 800 to 1100: its midpoint along it is at x 950, in the west tile
    street = np.array([LineString([(800, 10), (1100, 10)])])
    assert owned_geometries(west, street).tolist() == [True]
    assert owned_geometries(east, street).tolist() == [False]


def test_segment_keys_match_whichever_way_a_segment_runs_and_tell_parallels_apart() -> None:
    keys = segment_keys(
        np.array(
            [
                LineString([(10, 0), (0, 0)]),
                LineString([(0, 0), (10, 0)]),
                LineString([(0, 0), (5, 5), (10, 0)]),  # another street between the same ends
            ]
        )
    )
    assert keys[0] == keys[1] == "0.0 0.0|10.0 0.0|10.0"
    assert keys[2] == f"0.0 0.0|10.0 0.0|{2 * math.hypot(5, 5):.1f}"


def test_outer_tiles_read_to_the_end_of_the_file() -> None:
    tiles = tile_grid((400000.0, 200000.0, 402000.0, 201000.0), tile_km=1.0, halo_m=100.0)
    crs = pyproj.CRS.from_epsg(27700)
    w, s, e, n = tiles[0].read_bbox_deg(crs)
    assert (w, s, n) == (-180.0, -90.0, 90.0)
    assert -2.0 < e < -1.9  # x = 401,100 m on the British National Grid, near Birmingham
    assert read_bbox_of(tiles, crs) == (-180.0, -90.0, 180.0, 90.0)


def test_a_corner_tile_reads_beyond_its_corner_only_not_the_rest_of_the_region() -> None:
    # 3 x 3 tiles of 1 km near Birmingham; the north-east tile owns x >= 402,000 and
    # y >= 202,000 m to infinity and reads from 401,900 / 201,900 m (100 m halo) outwards
    tiles = tile_grid((400000.0, 200000.0, 403000.0, 203000.0), tile_km=1.0, halo_m=100.0)
    crs = pyproj.CRS.from_epsg(27700)
    ne = next(t for t in tiles if t.tile_id == "T002_002")
    w, s, e, n = ne.read_bbox_deg(crs)
    assert (e, n) == (180.0, 90.0)
    to_deg = pyproj.Transformer.from_crs(crs, 4326, always_xy=True)
    corner_lon, corner_lat = to_deg.transform(401900.0, 201900.0)
    # the envelope of the open edges bows by less than 10 m at this scale
    assert corner_lon - 2e-4 < w <= corner_lon
    assert corner_lat - 1e-4 < s <= corner_lat
    centre_lon, centre_lat = to_deg.transform(401500.0, 201500.0)
    assert w > centre_lon and s > centre_lat  # the middle tile is not read


def test_near_read_edge_flags_what_may_go_on_beyond_the_halo() -> None:
    west, _ = tile_grid((0.0, 0.0, 2000.0, 1000.0), tile_km=1.0, halo_m=300.0)
    # the west tile reads x up to 1300 (its other sides are the region's edge: open)
    geoms = np.array([LineString([(0, 0), (900, 0)]), LineString([(900, 0), (1100, 0)])])
    assert west.near_read_edge(geoms, 250.0).tolist() == [False, True]


def test_union_find_joins_chains() -> None:
    uf = UnionFind()
    uf.join_all(["a", "b", "c"])
    uf.union("x", "y")
    assert uf.find("c") == uf.find("a") != uf.find("x")
    uf.union("c", "y")
    assert len({uf.find(k) for k in "abcxy"}) == 1


def test_bad_tile_sizes_are_refused() -> None:
    with pytest.raises(InputError, match="--tile-km"):
        tile_grid((0.0, 0.0, 1.0, 1.0), tile_km=0.0, halo_m=0.0)
    with pytest.raises(InputError, match="halo"):
        tile_grid((0.0, 0.0, 1.0, 1.0), tile_km=1.0, halo_m=-1.0)


def test_the_tile_index_finds_what_a_look_at_every_tile_finds() -> None:
    from heatmap.region.tiling import TileIndex

    tiles = tile_grid((0.0, 0.0, 7300.0, 5200.0), tile_km=1.0, halo_m=450.0)
    some = [t for t in tiles if (t.col + 2 * t.row) % 3]  # a grid with holes, as written tiles
    index = TileIndex(some)
    boxes = [t.read_bounds_m for t in tiles] + [
        (-5e3, -5e3, 1e3, 1e3),
        (2000.0, 2000.0, 2000.0, 2000.0),  # a point on four tiles' corners
        (3100.0, 900.0, 6950.0, 1010.0),
    ]
    for b in boxes:
        brute = [
            t.tile_id
            for t in some
            if t.bounds_m[0] <= b[2]
            and t.bounds_m[2] >= b[0]
            and t.bounds_m[1] <= b[3]
            and t.bounds_m[3] >= b[1]
        ]
        assert [t.tile_id for t in index.meeting(b)] == brute
        assert len(brute) >= 1 or b[0] < 0
