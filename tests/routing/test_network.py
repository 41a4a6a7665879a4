"""Tests of heatmap.routing.graph: street graph, terminal attachment, reachability."""

from __future__ import annotations

import geopandas as gpd
import networkx as nx
import pandas as pd
import pytest
from shapely import LineString, Point

from heatmap import schema
from heatmap._params import params_from_mapping
from heatmap.errors import ConfigError, CRSError, DisconnectedNetworkError, InputError, SchemaError
from heatmap.routing.graph import (
    NetworkParams,
    attach_terminals,
    build_street_graph,
    graph_edges_gdf,
    keep_largest_component,
    largest_reachable_component,
)

BNG = 27700


def streets(lines: dict[str, list[tuple[float, float]]], highway: str | list[str] = "residential"):
    hw = [highway] * len(lines) if isinstance(highway, str) else highway
    return gpd.GeoDataFrame(
        {schema.HIGHWAY: hw, schema.NAME: ""},
        geometry=[LineString(c) for c in lines.values()],
        crs=BNG,
        index=pd.Index(list(lines), name=schema.STREET_ID),
    )


def points(ids: list[str], xy: list[tuple[float, float]]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"bid": ids}, geometry=[Point(p) for p in xy], crs=BNG)


def test_street_graph_snaps_junctions_and_sets_costs():
    # the second street starts 5 mm off the first one's end: one junction at 1 cm tolerance
    s = streets(
        {"a": [(0, 0), (100, 0)], "b": [(100.005, 0), (200, 0)], "c": [(0, 0), (0, 50)]},
        ["residential", "primary", "path"],
    )
    G = build_street_graph(s)
    assert G.number_of_nodes() == 4
    assert G.number_of_edges() == 3
    assert G.graph["crs"].to_epsg() == BNG
    by_id = {d[schema.STREET_ID]: d for _, _, d in G.edges(data=True)}
    p = NetworkParams()
    # roads (the residential street too) are paved carriageway, the path soft
    assert by_id["b"][schema.COST_CLASS] == schema.DigClass.HARD
    assert by_id["a"][schema.COST_CLASS] == schema.DigClass.HARD
    assert by_id["c"][schema.COST_CLASS] == schema.DigClass.SOFT
    assert by_id["c"]["trench_cost_gbp_per_m"] == p.trench_cost_soft_gbp_per_m
    # the residential street pays the hard rate (774); the primary road 1.6 of the hard-over-
    # soft premium: 249 + 1.6 x (774 - 249) = 1089 GBP/m
    assert by_id["a"]["weight"] == pytest.approx(774.0 * 100.0)
    assert by_id["b"]["weight"] == pytest.approx(1089.0 * 99.995)
    assert by_id["b"][schema.DIG_CLASS] == "major_road"
    assert by_id["c"][schema.KIND] == schema.EdgeKind.STREET
    for _, d in G.nodes(data=True):
        assert {"x", "y"} <= set(d)


@pytest.mark.parametrize(
    ("highway", "tags", "dig_class", "gbp_per_m"),
    [
        # hand-worked from the defaults: soft 249, hard 774 GBP/m at DN100, premium shares
        ("trunk", {}, "major_road", 249 + 1.6 * 525),
        ("secondary_link", {}, "major_road", 249 + 1.6 * 525),
        ("tertiary", {}, "road", 774.0),
        ("service", {}, "road", 774.0),
        ("footway", {}, "footway", 249 + 0.6 * 525),
        ("pedestrian", {"surface": "paving_stones"}, "footway", 249 + 0.6 * 525),
        ("path", {}, "soft", 249.0),
        ("track", {"surface": "asphalt"}, "footway", 249 + 0.6 * 525),
        ("residential", {"surface": "gravel"}, "soft", 249.0),
        ("bridleway", {"surface": "Grass"}, "soft", 249.0),
        ("primary", {"bridge": "yes"}, "structure", 1548.0),
        ("footway", {"bridge": "viaduct"}, "structure", 1548.0),
        ("residential", {"tunnel": "yes"}, "structure", 1548.0),
        ("residential", {"bridge": "no", "tunnel": "no"}, "road", 774.0),
    ],
)
def test_dig_class_and_rate_from_the_street_tags(highway, tags, dig_class, gbp_per_m):
    s = streets({"a": [(0, 0), (100, 0)]}, [highway])
    for key, value in tags.items():
        s[key] = value
    ((_, _, d),) = build_street_graph(s).edges(data=True)
    assert d[schema.DIG_CLASS] == dig_class
    assert d["trench_cost_gbp_per_m"] == pytest.approx(gbp_per_m)
    assert d["weight"] == pytest.approx(100.0 * gbp_per_m)
    want_basis = "soft" if dig_class == "soft" else "hard"
    assert d[schema.COST_CLASS] == want_basis


def test_dig_premium_must_name_every_class():
    with pytest.raises(ValueError, match="missing footway"):
        NetworkParams(dig_premium={"major_road": 1.6, "road": 1.0, "soft": 0.0})
    with pytest.raises(ValueError, match="unknown verge"):
        NetworkParams(
            dig_premium={"major_road": 1.6, "road": 1.0, "footway": 0.6, "soft": 0.0, "verge": 0}
        )


def test_given_length_is_kept_and_weight_by_length():
    s = streets({"a": [(0, 0), (100, 0)]})
    s[schema.LENGTH_M] = 120.0  # e.g. a curved street simplified in the layer
    G = build_street_graph(s, params=NetworkParams(weight="length"))
    ((_, _, d),) = G.edges(data=True)
    assert d[schema.LENGTH_M] == pytest.approx(120.0)
    assert d["weight"] == pytest.approx(120.0)


def test_parallel_streets_keep_the_cheaper():
    # same two junctions: a straight primary road (hard, 100 m) and a footpath loop (soft,
    # about 141 m); hard 100 x 774 > soft 141 x 249, so the footpath is kept
    s = streets(
        {"main": [(0, 0), (100, 0)], "loop": [(0, 0), (50, 50), (100, 0)]},
        ["primary", "path"],
    )
    G = build_street_graph(s)
    assert G.number_of_edges() == 1
    ((_, _, d),) = G.edges(data=True)
    assert d[schema.STREET_ID] == "loop"


def test_closed_loops_dropped_and_bad_inputs_rejected():
    s = streets({"a": [(0, 0), (100, 0)], "ring": [(0, 0), (0, 10), (10, 10), (0, 0)]})
    assert build_street_graph(s).number_of_edges() == 1
    with pytest.raises(CRSError, match="geographic"):
        build_street_graph(s.to_crs(4326))
    with pytest.raises(CRSError, match="no CRS"):
        build_street_graph(s.set_crs(None, allow_override=True))
    with pytest.raises(SchemaError, match="highway"):
        build_street_graph(s.drop(columns=schema.HIGHWAY))
    bad = s.copy()
    bad[schema.LENGTH_M] = [-1.0, 10.0]
    with pytest.raises(InputError, match="negative"):
        build_street_graph(bad)
    with pytest.raises(InputError, match="empty"):
        build_street_graph(s.iloc[:0])


def test_params_validate_and_load_from_toml_table():
    p = params_from_mapping(NetworkParams, {"weight": "length", "hard_dig_highways": ["trunk"]})
    assert p.hard_dig_highways == ("trunk",)
    with pytest.raises(ConfigError, match="trench_cost_soft_gbp_per_m"):
        params_from_mapping(NetworkParams, {"trench_cost_soft_gbp_per_m": -5})
    with pytest.raises(ConfigError, match="weight"):
        params_from_mapping(NetworkParams, {"weight": "time"})


def test_attach_splits_edges_for_several_terminals():
    G = build_street_graph(streets({"a": [(0, 0), (100, 0)], "b": [(0, 0), (0, 100)]}))
    pts = points(["x", "z", "y", "end"], [(30, 10), (30, 3), (60, -5), (-4, -3)])
    H, nodes = attach_terminals(G, pts, id_column="bid")
    assert set(nodes) == {"x", "y", "z", "end"}
    assert G.number_of_edges() == 2  # the caller's graph is untouched
    # street a is split at x=30 (shared by x and z) and x=60: three pieces 30 + 30 + 40 m
    pieces = sorted(
        d[schema.LENGTH_M] for _, _, d in H.edges(data=True) if d[schema.STREET_ID] == "a"
    )
    assert pieces == pytest.approx([30.0, 30.0, 40.0])
    svc = {
        H.nodes[t]["terminal_id"]: d[schema.LENGTH_M]
        for t in nodes.values()
        for _, _, d in H.edges(t, data=True)
    }
    assert svc == pytest.approx({"x": 10.0, "z": 3.0, "y": 5.0, "end": 5.0})
    assert H.nodes[nodes["x"]]["role"] == "load"
    sx = next(iter(H.adj[nodes["x"]]))
    assert sx == next(iter(H.adj[nodes["z"]]))
    assert (H.nodes[sx]["x"], H.nodes[sx]["y"]) == pytest.approx((30.0, 0.0))
    # the end terminal attaches at the existing junction (0, 0): no extra split
    assert H.nodes[next(iter(H.adj[nodes["end"]]))]["x"] == pytest.approx(0.0)
    # every street piece's geometry starts at its from_node and has its length
    for a, b, d in H.edges(data=True):
        start = d["geometry"].coords[0]
        fn = H.nodes[d["from_node"]]
        assert start == pytest.approx((fn["x"], fn["y"]))
        assert d["geometry"].length == pytest.approx(d[schema.LENGTH_M], abs=0.011)
        assert d["from_node"] in (a, b)
    edges = graph_edges_gdf(H)
    assert edges.crs.to_epsg() == BNG
    assert (edges[schema.KIND] == schema.EdgeKind.SERVICE).sum() == 4


def test_attach_polygon_uses_true_gap_and_roles():
    G = build_street_graph(streets({"a": [(0, 0), (100, 0)]}))
    bld = gpd.GeoDataFrame(
        {"bid": ["b1"], "role": ["plant"]},
        geometry=[Point(50, 20).buffer(5)],
        crs=BNG,
    )
    H, nodes = attach_terminals(G, bld, id_column="bid")
    ((_, _, d),) = H.edges(nodes["b1"], data=True)
    assert d[schema.LENGTH_M] == pytest.approx(15.0, abs=0.01)
    assert H.nodes[nodes["b1"]]["role"] == "plant"


def test_attach_reports_terminals_too_far():
    G = build_street_graph(streets({"a": [(0, 0), (100, 0)]}))
    pts = points(["near", "far"], [(50, 5), (50, 500)])
    H, nodes = attach_terminals(G, pts, id_column="bid")
    assert set(nodes) == {"near"}
    assert H.graph["unattached"] == ("far",)
    with pytest.raises(InputError, match=r"far \(500 m\)"):
        attach_terminals(G, pts, id_column="bid", on_unreachable="raise")
    _, unreachable = largest_reachable_component(H, nodes["near"])
    assert unreachable == {"far"}
    H2, none = attach_terminals(G, pts.iloc[1:], id_column="bid")
    assert none == {}
    assert H2.graph["unattached"] == ("far",)


def test_attach_rejects_bad_inputs():
    G = build_street_graph(streets({"a": [(0, 0), (100, 0)]}))
    with pytest.raises(InputError, match="duplicate"):
        attach_terminals(G, points(["a", "a"], [(1, 1), (2, 2)]), id_column="bid")
    with pytest.raises(CRSError):
        attach_terminals(G, points(["a"], [(1, 1)]).to_crs(3857), id_column="bid")
    with pytest.raises(SchemaError, match="nope"):
        attach_terminals(G, points(["a"], [(1, 1)]), id_column="nope")


def test_largest_reachable_component_reports_islands():
    s = streets({"main": [(0, 0), (100, 0)], "island": [(500, 500), (600, 500)]})
    H, nodes = attach_terminals(
        build_street_graph(s),
        points(["ec", "on", "off"], [(0, 5), (90, 5), (550, 505)]),
        id_column="bid",
    )
    sub, unreachable = largest_reachable_component(H, nodes["ec"])
    assert unreachable == {"off"}
    assert nodes["off"] not in sub
    assert nx.is_connected(sub)
    with pytest.raises(DisconnectedNetworkError, match="not in the network"):
        largest_reachable_component(H, "T:nowhere")


def test_keep_largest_component_strands_no_terminal():
    # a courtyard path fragment lies 2 m from the building, the main street 8 m: attached to
    # the main component the building joins the street it can be routed from
    s = streets(
        {"main": [(0, 0), (200, 0)], "m2": [(200, 0), (200, 100)], "yard": [(50, 10), (60, 10)]}
    )
    G = build_street_graph(s)
    assert nx.number_connected_components(G) == 2
    main = keep_largest_component(G)
    assert main.number_of_edges() == 2
    assert G.number_of_edges() == 3
    H, nodes = attach_terminals(main, points(["b"], [(55, 8)]), id_column="bid")
    ((_, _, d),) = H.edges(nodes["b"], data=True)
    assert d[schema.LENGTH_M] == pytest.approx(8.0)


@pytest.mark.shared_data
def test_london_street_graph_is_one_main_component(london_pbf):
    pyrosm = pytest.importorskip("pyrosm")
    _, edges = pyrosm.OSM(str(london_pbf)).get_network(network_type="all", nodes=True)
    s = edges[[schema.HIGHWAY, "geometry"]].to_crs(BNG)
    s.index = pd.Index(edges["id"].astype(str) + "/" + edges["u"].astype(str), name="street_id")
    G = build_street_graph(s)
    comps = sorted((len(c) for c in nx.connected_components(G)), reverse=True)
    # a real city centre: one component holds nearly every junction
    assert comps[0] > 0.9 * G.number_of_nodes()
    hard = sum(d[schema.COST_CLASS] == schema.DigClass.HARD for *_, d in G.edges(data=True))
    assert 0 < hard < G.number_of_edges()
