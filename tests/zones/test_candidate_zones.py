"""Candidate zones: gap joins worked by hand, two towns never joined, a sparse village, order."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely import LineString, box

from heatmap.errors import InputError
from heatmap.routing.graph import build_street_graph
from heatmap.zones.atlas import street_heat_atlas
from heatmap.zones.candidate_zones import ZoneParams, candidate_zones, zone_rule, zone_table

CRS = "EPSG:27700"


def streets_frame(lines: list[list[tuple[float, float]]]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"highway": "residential"},
        geometry=[LineString(c) for c in lines],
        index=pd.Index([f"st{i:03d}" for i in range(len(lines))], name="street_id"),
        crs=CRS,
    )


def buildings_frame(rows: list[tuple[str, float, float, float]], size: float = 8.0):
    """Square footprints of ``size`` m with their south-west corner at (x, y)."""
    return gpd.GeoDataFrame(
        {"heat_demand_mwh_per_a": [r[1] for r in rows]},
        geometry=[box(r[2], r[3], r[2] + size, r[3] + size) for r in rows],
        index=pd.Index([r[0] for r in rows], name="building_id"),
        crs=CRS,
    )


def zones_of(streets: gpd.GeoDataFrame, buildings: gpd.GeoDataFrame, **kw):
    G = build_street_graph(streets)
    atlas = street_heat_atlas(buildings, G)
    return atlas, candidate_zones(atlas, G, **kw)


# --- gap joins worked by hand ------------------------------------------------------------------


def street_with_gap(gap_m: float) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """A straight street: 100 m with an 800 MWh/a anchor, ``gap_m`` of empty street (two
    junctions with side streets), 100 m with another 800 MWh/a anchor."""
    x1, x2 = 100.0, 100.0 + gap_m
    streets = streets_frame(
        [
            [(0, 0), (x1, 0)],
            [(x1, 0), (x2, 0)],
            [(x2, 0), (x2 + 100, 0)],
            [(x1, 0), (x1, -300)],  # side streets make the gap's ends junctions
            [(x2, 0), (x2, -300)],
        ]
    )
    b = buildings_frame([("a", 800.0, 40, 5), ("b", 800.0, x2 + 40, 5)])
    return streets, b


def test_groups_within_the_gap_join_with_the_street_between() -> None:
    _, zs = zones_of(*street_with_gap(200.0))
    assert len(zs.zones) == 1
    z = zs.zones.iloc[0]
    # 1,600 MWh/a on 100 + 200 + 100 m of street = 4.0 MWh/m/a, two anchors: baseline
    assert z["street_length_m"] == pytest.approx(400.0)
    assert z["heat_demand_mwh_per_a"] == pytest.approx(1600.0)
    assert z["lhd_mwh_per_m_a"] == pytest.approx(4.0)
    assert (z["rule"], z["passes"], z["reason"]) == ("baseline", True, "")
    assert (z["n_anchors"], z["anchor_ids"]) == (2, "a,b")
    assert len(zs.segment_zone) == 3  # the side streets are not in the zone
    assert zs.building_zone.to_dict() == {"a": "Z01", "b": "Z01"}
    table = zone_table(zs)
    assert "geometry" not in table.columns
    assert table.loc["Z01", "street_length_m"] == 400.0


def test_groups_beyond_the_gap_stay_apart_and_fail_with_reasons() -> None:
    _, zs = zones_of(*street_with_gap(300.0))
    assert zs.zones.index.tolist() == ["Z01", "Z02"]
    assert zs.zones["street_length_m"].tolist() == pytest.approx([100.0, 100.0])
    assert zs.zones["lhd_mwh_per_m_a"].tolist() == pytest.approx([8.0, 8.0])
    assert not zs.zones["passes"].any()
    assert set(zs.zones["reason"]) == {"1 anchor load, 2 needed; heat 800 MWh/a below 1,000 MWh/a"}
    # a longer gap setting joins them again
    _, wide = zones_of(*street_with_gap(300.0), params=ZoneParams(max_gap_m=300.0))
    assert len(wide.zones) == 1


# --- two towns 5 km apart ------------------------------------------------------------------


def town(x0: float, tag: str, n_anchor: int, house_mwh: float) -> tuple[list, list]:
    """A 3 x 3 grid of 100 m blocks at ``x0``; houses every 10 m on both sides of each east-west
    street, anchors of 900 MWh/a on the north-south streets."""
    lines = []
    for k in range(4):
        lines += [[(x0 + 100 * i, 100 * k), (x0 + 100 * (i + 1), 100 * k)] for i in range(3)]
        lines += [[(x0 + 100 * k, 100 * i), (x0 + 100 * k, 100 * (i + 1))] for i in range(3)]
    rows = []
    for k in range(4):
        for i in range(3):
            for j in range(1, 9):
                x = x0 + 100 * i + 10 * j
                rows.append((f"{tag}h{k}{i}{j}n", house_mwh, x, 100 * k + 4))
                rows.append((f"{tag}h{k}{i}{j}s", house_mwh, x, 100 * k - 12))
    for a in range(n_anchor):
        rows.append((f"{tag}anchor{a}", 900.0, x0 + 100 * (a % 4) + 4, 40 + 100 * (a // 4)))
    return lines, rows


def two_towns() -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    # west: 16 x 80 MWh/a per 100 m street and 6 anchors: >= 8.6 MWh/m/a even over every street
    # of its grid, stringent; east: 16 x 40 MWh/a and 3 anchors, >= 4.3 MWh/m/a, baseline
    west_lines, west_rows = town(0.0, "w", 6, 80.0)
    east_lines, east_rows = town(5300.0, "e", 3, 40.0)
    # one country road from the west town's east edge to the east town's west edge, drawn as
    # ten ways, with two farms on it
    road = [[(300 + 500 * i, 0), (300 + 500 * (i + 1), 0)] for i in range(10)]
    farms = [("farm1", 20.0, 1500, 6), ("farm2", 18.0, 3900, -14)]
    streets = streets_frame(west_lines + road + east_lines)
    return streets, buildings_frame(west_rows + east_rows + farms, size=6.0)


def test_two_towns_give_two_zones_neither_crossing_the_gap() -> None:
    streets, buildings = two_towns()
    atlas, zs = zones_of(streets, buildings)
    assert len(zs.zones) == 2
    assert zs.zones["passes"].all()
    west, east = zs.zones.loc["Z01"], zs.zones.loc["Z02"]  # the west town has more heat
    assert west.geometry.bounds[2] <= 300 + 1e-6
    assert east.geometry.bounds[0] >= 5300 - 1e-6
    road = atlas.segments[atlas.segments.geometry.length > 1000]
    assert len(road) == 1  # the ten ways between the towns are one segment
    assert road.index[0] not in zs.segment_zone.index
    assert "farm1" not in zs.building_zone.index
    assert west["n_anchors"] == 6 and west["rule"] == "stringent"
    assert east["n_anchors"] == 3 and east["rule"] == "baseline"
    assert zs.building_zone.str.startswith("Z").all()
    assert zs.zones.geometry.geom_type.eq("MultiLineString").all()


def test_deterministic_whatever_the_input_order() -> None:
    streets, buildings = two_towns()
    G = build_street_graph(streets)
    atlas = street_heat_atlas(buildings, G)
    segments, assignment = atlas.segments.copy(), atlas.assignment.copy()
    a = candidate_zones(atlas, G)
    b = candidate_zones(atlas, G)
    pd.testing.assert_frame_equal(a.zones, b.zones)
    pd.testing.assert_frame_equal(atlas.segments, segments)  # the atlas is not modified
    pd.testing.assert_frame_equal(atlas.assignment, assignment)
    rng = np.random.default_rng(7)
    _, c = zones_of(
        streets.iloc[rng.permutation(len(streets))],
        buildings.iloc[rng.permutation(len(buildings))],
    )
    cols = ["rule", "heat_demand_mwh_per_a", "street_length_m", "n_buildings", "anchor_ids"]
    pd.testing.assert_frame_equal(a.zones[cols], c.zones[cols])
    assert a.building_zone.sort_index().equals(c.building_zone.sort_index())


# --- a sparse village ----------------------------------------------------------------------


def village() -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Two 400 m lanes with a house every 40 m (15 MWh/a) and a 50 m close of 12 terraced houses
    (20 MWh/a each, 4.8 MWh/m/a); no anchor load."""
    streets = streets_frame(
        [[(0, 0), (400, 0)], [(400, 0), (800, 0)], [(400, 0), (400, 50)], [(400, 0), (400, -400)]]
    )
    rows = [(f"lane{i}", 15.0, 20 + 40 * i, 6) for i in range(20)]
    rows += [(f"close{i}", 20.0, 405 if i < 6 else 389, 8 + 7 * (i % 6)) for i in range(12)]
    return streets, buildings_frame(rows, size=6.0)


def test_sparse_village_gives_zones_that_fail_with_reasons() -> None:
    atlas, zs = zones_of(*village())
    close = atlas.segments[atlas.segments["length_m"] == 50.0].iloc[0]
    assert close["lhd_mwh_per_m_a"] == pytest.approx(12 * 20 / 50)
    assert len(zs.zones) == 1
    z = zs.zones.iloc[0]
    assert (z["rule"], bool(z["passes"])) == ("none", False)
    assert z["reason"] == "0 anchor loads, 2 needed; heat 240 MWh/a below 1,000 MWh/a"
    assert zs.summary == (
        "1 candidate zone(s), none passes (largest, Z01: 0 anchor loads, 2 needed; heat 240 "
        "MWh/a below 1,000 MWh/a)"
    )


def test_village_with_nothing_dense_says_why() -> None:
    streets, b = village()
    atlas, zs = zones_of(streets, b[~b.index.str.startswith("close")])
    assert zs.zones.empty and zs.segment_zone.empty and zs.building_zone.empty
    best = atlas.segments["lhd_mwh_per_m_a"].max()
    assert zs.summary == (
        f"no candidate zone: no street segment reaches 4 MWh/m/a (highest {best:.1f} MWh/m/a)"
    )


# --- clusters, opportunity areas, rules ------------------------------------------------------


def test_viable_cluster_and_opportunity_area_make_segments_qualify() -> None:
    streets, b = village()
    G = build_street_graph(streets)
    atlas = street_heat_atlas(b, G)
    lanes = gpd.GeoDataFrame(
        {"viable": [True, False]},
        geometry=[box(100, -20, 200, 20), box(600, -20, 700, 20)],
        crs=CRS,
    )
    # the west lane runs through a viable cluster and meets the close: one zone of 400 + 50 m
    zs = candidate_zones(atlas, G, clusters=lanes)
    assert zs.zones["street_length_m"].tolist() == pytest.approx([450.0])
    assert zs.zones["heat_demand_mwh_per_a"].tolist() == pytest.approx([240.0 + 10 * 15.0])
    # the east lane's midpoint (600, 0) lies in an opportunity area
    area = gpd.GeoDataFrame({"rule": ["hotmaps"]}, geometry=[box(500, -50, 700, 50)], crs=CRS)
    zs = candidate_zones(atlas, G, opportunity_areas=area)
    assert zs.zones["street_length_m"].tolist() == pytest.approx([450.0])
    assert zs.zones.geometry.iloc[0].bounds == pytest.approx((400.0, 0.0, 800.0, 50.0))


def test_zone_rule_thresholds() -> None:
    p = ZoneParams()
    assert zone_rule(8.0, 5, 1000.0, p) == ("stringent", True, "")
    assert zone_rule(7.99, 5, 1000.0, p) == ("baseline", True, "")
    assert zone_rule(9.0, 4, 5000.0, p) == ("baseline", True, "")
    assert zone_rule(3.9, 9, 5000.0, p) == ("none", False, "LHD 3.9 MWh/m/a below 4")


def test_atlas_from_another_graph_is_refused() -> None:
    streets, b = village()
    atlas = street_heat_atlas(b, build_street_graph(streets))
    other = build_street_graph(streets_frame([[(5000, 0), (5100, 0)]]))
    with pytest.raises(InputError, match="same graph"):
        candidate_zones(atlas, nx.relabel_nodes(other, {0: 100, 1: 101}))


# --- the City of London extract ------------------------------------------------------------


@pytest.mark.shared_data
@pytest.mark.slow
def test_city_of_london_atlas_and_zones(london_pbf: Path) -> None:
    from heatmap.demand.estimate import estimate_demand
    from heatmap.ingest import osm

    area = osm.read_osm(london_pbf)
    buildings = estimate_demand(area.buildings)
    G = build_street_graph(area.streets)
    atlas = street_heat_atlas(buildings, G, streets=area.streets)
    zs = candidate_zones(atlas, G)
    heat = buildings["heat_demand_mwh_per_a"].fillna(0.0)
    unassigned = heat[list(atlas.unassigned)].sum()
    assert atlas.segments["heat_demand_mwh_per_a"].sum() == pytest.approx(heat.sum() - unassigned)
    assert set(atlas.segments["lhd_class"]) == {"< 1.5", "1.5–3", "3–4", "4–8", "≥ 8"}
    assert zs.zones["passes"].any()
    assert zs.zones.loc[zs.zones["passes"], "lhd_mwh_per_m_a"].min() >= 4.0
    assert zs.zones.index.is_unique and zs.zones.index[0] == "Z01"
    # more heat than one energy centre serves becomes several contiguous zones
    passing = zs.zones[zs.zones["passes"]]
    assert len(passing) >= 3
    assert passing["heat_demand_mwh_per_a"].max() <= ZoneParams().max_zone_heat_mwh_per_a
    for zone_id, geom in passing.geometry.items():
        assert shapely.line_merge(shapely.union_all(geom.geoms)).is_valid, zone_id
        assert nx.is_connected(_zone_graph(atlas, zs, zone_id))


def _zone_graph(atlas, zs, zone_id: str) -> nx.Graph:
    segs = atlas.segments.loc[zs.segment_zone[zs.segment_zone == zone_id].index]
    return nx.Graph(list(zip(segs["u"], segs["v"], strict=True)))


def test_zone_with_more_heat_than_one_energy_centre_is_split_into_contiguous_parts() -> None:
    # a 600 m street of six 100 m segments (junctions with side streets), 1,000 MWh/a anchor on
    # each: 6,000 MWh/a in one grown zone; at most 2,500 MWh/a a part -> 3 parts of 2,000
    lines = [[(100 * i, 0), (100 * (i + 1), 0)] for i in range(6)]
    lines += [[(100 * i, 0), (100 * i, -50)] for i in range(1, 6)]
    rows = [(f"a{i}", 1000.0, 100 * i + 40, 5) for i in range(6)]
    streets, b = streets_frame(lines), buildings_frame(rows)
    _, whole = zones_of(streets, b)
    assert len(whole.zones) == 1
    _, zs = zones_of(streets, b, params=ZoneParams(max_zone_heat_mwh_per_a=2500.0))
    assert zs.zones["heat_demand_mwh_per_a"].tolist() == pytest.approx([2000.0] * 3)
    assert zs.zones["street_length_m"].tolist() == pytest.approx([200.0] * 3)
    assert set(zs.zones["group_id"]) == {"Z01"}
    # each part is two neighbouring anchors along the street
    pairs = {tuple(sorted(ids.split(","))) for ids in zs.zones["anchor_ids"]}
    assert pairs == {("a0", "a1"), ("a2", "a3"), ("a4", "a5")}
    assert zs.summary.endswith("1 area(s) over 2,500 MWh/a split")
