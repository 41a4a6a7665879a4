"""Street heat atlas: segments between junctions, building assignment, hand-worked LHD."""

from __future__ import annotations

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import pytest
from shapely import LineString, box

from heatmap._params import params_from_mapping
from heatmap.errors import ConfigError, CRSError, SchemaError
from heatmap.routing.graph import build_street_graph
from heatmap.zones.atlas import AtlasParams, atlas_table, lhd_class, street_heat_atlas
from heatmap.zones.zone_params import ZoneParams

CRS = "EPSG:27700"


def streets_frame(lines: list[list[tuple[float, float]]], names: list[str]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"highway": "residential", "name": names},
        geometry=[LineString(c) for c in lines],
        index=pd.Index([f"st{i}" for i in range(len(lines))], name="street_id"),
        crs=CRS,
    )


def buildings_frame(rows: list[tuple[str, float, tuple[float, float, float, float]]]):
    return gpd.GeoDataFrame(
        {"heat_demand_mwh_per_a": [r[1] for r in rows]},
        geometry=[box(*r[2]) for r in rows],
        index=pd.Index([r[0] for r in rows], name="building_id"),
        crs=CRS,
    )


@pytest.fixture
def t_junction() -> gpd.GeoDataFrame:
    """High Street (0,0)-(100,0) drawn as two ways meeting at a bend node (50,0), Mill Lane
    (100,0)-(200,0), Church Road (100,0)-(100,100): three segments meeting at (100,0)."""
    return streets_frame(
        [
            [(0, 0), (50, 0)],
            [(50, 0), (100, 0)],
            [(100, 0), (200, 0)],
            [(100, 0), (100, 100)],
        ],
        ["High Street", "High Street", "Mill Lane", "Church Road"],
    )


@pytest.fixture
def t_buildings() -> gpd.GeoDataFrame:
    return buildings_frame(
        [
            # High Street: 120 + 80 MWh/a on 100 m -> 2.0 MWh/m/a
            ("h1", 120.0, (10, 7, 30, 20)),  # 7 m north
            ("h2", 80.0, (60, -25, 80, -12)),  # 12 m south
            # Mill Lane: one anchor of 600 MWh/a, 3 m away -> 6.0 MWh/m/a
            ("a1", 600.0, (130, 3, 170, 40)),
            # excluded and unknown demand join nothing
            ("x0", 0.0, (140, -20, 160, -5)),
            ("xn", np.nan, (180, -20, 190, -5)),
            # 80 m from every street: too far (60 m limit)
            ("far", 50.0, (-100, -5, -80, 5)),
        ]
    )


def by_name(atlas) -> pd.DataFrame:
    return atlas.segments.set_index("name")


def test_hand_worked_segment_lhd(t_junction, t_buildings) -> None:
    G = build_street_graph(t_junction)
    atlas = street_heat_atlas(t_buildings, G, streets=t_junction)
    seg = by_name(atlas)
    assert sorted(seg.index) == ["Church Road", "High Street", "Mill Lane"]
    # the two ways of High Street are one segment between the junction and the dead end
    assert seg.loc["High Street", "length_m"] == pytest.approx(100.0)
    assert seg.loc["High Street", "heat_demand_mwh_per_a"] == pytest.approx(200.0)
    assert seg.loc["High Street", "lhd_mwh_per_m_a"] == pytest.approx(2.0)
    assert seg.loc["High Street", "lhd_class"] == "1.5–3"
    assert seg.loc["High Street", "n_buildings"] == 2
    assert seg.loc["Mill Lane", "lhd_mwh_per_m_a"] == pytest.approx(6.0)
    assert seg.loc["Mill Lane", "lhd_class"] == "4–8"
    assert seg.loc["Mill Lane", "n_anchors"] == 1
    assert seg.loc["Church Road", "lhd_mwh_per_m_a"] == 0.0
    assert seg.loc["Church Road", "lhd_class"] == "< 1.5"
    # ends are junctions of the graph (degree != 2); the bend node is inside
    hs = atlas.segments[atlas.segments["name"] == "High Street"].iloc[0]
    assert {G.degree(hs["u"]), G.degree(hs["v"])} == {1, 3}
    assert hs.geometry.length == pytest.approx(100.0)
    assert set(hs.geometry.coords) == {(0.0, 0.0), (50.0, 0.0), (100.0, 0.0)}
    # each graph edge maps to its segment: both ways of High Street to the one segment
    edges = atlas.edges.set_index("street_id")["segment_id"]
    assert len(edges) == G.number_of_edges() == 4
    assert edges["st0"] == edges["st1"] == hs.name != edges["st2"]


def test_assignment_service_lengths_and_exclusions(t_junction, t_buildings) -> None:
    atlas = street_heat_atlas(t_buildings, build_street_graph(t_junction))
    a = atlas.assignment
    assert sorted(a.index) == ["a1", "h1", "h2"]
    assert a.loc["h1", "service_length_m"] == pytest.approx(7.0)
    assert a.loc["h2", "service_length_m"] == pytest.approx(12.0)
    assert a.loc["a1", "service_length_m"] == pytest.approx(3.0)
    assert a.loc["h1", "segment_id"] == a.loc["h2", "segment_id"] != a.loc["a1", "segment_id"]
    assert atlas.unassigned == ("far",)
    # with a longer service limit the far building joins High Street, 80 m from its dead end
    far = street_heat_atlas(
        t_buildings, build_street_graph(t_junction), params=AtlasParams(max_service_length_m=150)
    )
    assert far.assignment.loc["far", "service_length_m"] == pytest.approx(80.0)
    assert far.unassigned == ()


def test_heat_is_conserved_and_input_not_modified(t_junction, t_buildings) -> None:
    before = t_buildings.copy()
    atlas = street_heat_atlas(t_buildings, build_street_graph(t_junction))
    pd.testing.assert_frame_equal(t_buildings, before)
    assert atlas.segments["heat_demand_mwh_per_a"].sum() == pytest.approx(800.0)
    assert atlas.segments.crs.to_epsg() == 27700
    assert atlas.segments.index.tolist() == ["S000001", "S000002", "S000003"]


def test_street_fragment_takes_no_buildings(t_junction) -> None:
    # a 20 m courtyard path touching no other street, 2 m from a building 10 m from Mill Lane
    streets = pd.concat([t_junction, streets_frame([[(140, 45), (160, 45)]], ["Court"])])
    streets.index = pd.Index([f"st{i}" for i in range(len(streets))], name="street_id")
    b = buildings_frame([("c", 300.0, (140, 15, 160, 43))])
    G = build_street_graph(streets)
    seg = street_heat_atlas(b, G, streets=streets).segments.set_index("name")
    assert seg.loc["Court", "n_buildings"] == 0
    assert seg.loc["Mill Lane", "heat_demand_mwh_per_a"] == pytest.approx(300.0)
    kept = street_heat_atlas(b, G, params=AtlasParams(min_component_length_m=0), streets=streets)
    assert kept.segments.set_index("name").loc["Court", "n_buildings"] == 1


def test_ring_of_degree_two_nodes_is_one_segment() -> None:
    G = nx.Graph(crs=CRS)
    square = [(0, 0), (100, 0), (100, 100), (0, 100)]
    for i, (x, y) in enumerate(square):
        G.add_node(i, x=float(x), y=float(y))
    for i in range(4):
        j = (i + 1) % 4
        G.add_edge(i, j, length_m=100.0, geometry=LineString([square[i], square[j]]), from_node=i)
    b = buildings_frame([("b", 1000.0, (40, 5, 60, 20))])
    atlas = street_heat_atlas(b, G)
    assert len(atlas.segments) == 1
    seg = atlas.segments.iloc[0]
    assert seg["u"] == seg["v"] == 0
    assert seg["length_m"] == pytest.approx(400.0)
    assert seg["lhd_mwh_per_m_a"] == pytest.approx(2.5)


def test_lhd_classes_at_the_limits() -> None:
    got = lhd_class(np.array([0.0, 1.49, 1.5, 3.0, 4.0, 7.99, 8.0, np.inf]), (1.5, 3.0, 4.0, 8.0))
    assert got.tolist() == ["< 1.5", "< 1.5", "1.5–3", "3–4", "4–8", "4–8", "≥ 8", "≥ 8"]


def test_atlas_table_has_no_geometry(t_junction, t_buildings) -> None:
    table = atlas_table(street_heat_atlas(t_buildings, build_street_graph(t_junction)))
    assert "geometry" not in table.columns
    assert {"u", "v", "length_m", "lhd_mwh_per_m_a", "lhd_class"} <= set(table.columns)
    assert table.index.name == "segment_id"


def test_bad_input(t_junction, t_buildings) -> None:
    G = build_street_graph(t_junction)
    with pytest.raises(SchemaError, match="heat_demand_mwh_per_a"):
        street_heat_atlas(t_buildings.drop(columns="heat_demand_mwh_per_a"), G)
    with pytest.raises(CRSError, match="to_crs"):
        street_heat_atlas(t_buildings.to_crs(3857), G)


def test_zones_table_reads_atlas_keys_too() -> None:
    p = params_from_mapping(ZoneParams, {"max_service_length_m": 40.0, "max_gap_m": 100.0})
    assert isinstance(p, AtlasParams)
    assert (p.max_service_length_m, p.max_gap_m) == (40.0, 100.0)
    with pytest.raises(ConfigError, match="lhd_class_breaks"):
        params_from_mapping(ZoneParams, {"lhd_class_breaks_mwh_per_m_a": [4.0, 2.0]})
    with pytest.raises(ConfigError, match="stringent_lhd"):
        params_from_mapping(ZoneParams, {"stringent_lhd_mwh_per_m_a": 3.0})


def test_buildings_join_the_road_not_the_pavement_beside_it() -> None:
    # a 200 m road with its pavement mapped 6 m north (joined to it at both ends), and a
    # footpath 150 m south across a park with no road near it
    streets = gpd.GeoDataFrame(
        {
            "highway": ["residential", "footway", "footway", "footway", "footway"]
            + ["tertiary"] * 2,
            "name": ["Road", "Pavement", "", "", "Park Path", "West Road", "East Road"],
        },
        geometry=[
            LineString([(0, 0), (200, 0)]),
            LineString([(0, 6), (200, 6)]),
            LineString([(0, 0), (0, 6)]),
            LineString([(200, 0), (200, 6)]),
            LineString([(0, -150), (200, -150)]),
            LineString([(-300, 0), (0, 0)]),
            LineString([(200, 0), (500, 0)]),
        ],
        index=pd.Index([f"st{i}" for i in range(7)], name="street_id"),
        crs=CRS,
    )
    b = buildings_frame(
        [
            ("shop", 400.0, (50, 8, 90, 30)),  # 2 m from the pavement, 8 m from the road
            ("flats", 600.0, (100, 7, 150, 40)),
            ("pavilion", 90.0, (80, -140, 100, -130)),  # 10 m from the path, 130 m from the road
        ]
    )
    G = build_street_graph(streets)
    seg = street_heat_atlas(b, G, streets=streets).segments.set_index("name")
    # the road carries both buildings beside it: 1,000 MWh/a on 200 m = 5 MWh/m/a
    assert seg.loc["Road", "heat_demand_mwh_per_a"] == pytest.approx(1000.0)
    assert seg.loc["Road", "lhd_mwh_per_m_a"] == pytest.approx(5.0)
    assert seg.loc["Pavement", "n_buildings"] == 0
    # with no road within 60 m, a path takes the building
    assert seg.loc["Park Path", "heat_demand_mwh_per_a"] == pytest.approx(90.0)
    # with paths treated as roads, the nearest line wins (the pavement)
    flat = street_heat_atlas(b, G, params=AtlasParams(path_highways=()), streets=streets)
    assert flat.segments.set_index("name").loc["Pavement", "n_buildings"] == 2
