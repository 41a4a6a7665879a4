"""Phase-aware pipeline: phased loads, viable clusters as loads, nested routes, per-phase plant,
CAPEX and cashflow, on a small synthetic area built here (no shared data).

The area: a 4 x 2 block street grid (100 m blocks) with four offices of known demand, a small
office below every threshold, and a terrace of 10 houses x 4 dwellings (30 social, 10 private)
south of the first street. With thresholds (1000, 300) MWh/a, the two large offices are phase 1;
the two medium offices and the terrace's connected share (31 of 40 dwellings at the study's
uptake, 10 MWh/a and 6 kW each) are phase 2.
"""

from __future__ import annotations

import dataclasses

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import LineString, box

from heatmap import pipeline, schema
from heatmap.design import sizing
from heatmap.economics import appraisal as economics
from heatmap.economics.appraisal import EconomicsParams
from heatmap.errors import ConfigError
from heatmap.ingest import weather
from heatmap.pipeline import phases as phasing
from heatmap.pipeline.scenario import Scenario
from heatmap.routing import route
from heatmap.routing.route import RouteParams
from heatmap.zones import clusters as cluster

BNG = 27700
OFFICES = {  # id: (x, y of the square's centre, heat MWh/a, peak kW)
    "office/1": (50.0, 20.0, 2000.0, 900.0),
    "office/2": (350.0, 120.0, 1200.0, 550.0),
    "office/3": (250.0, 180.0, 600.0, 300.0),
    "office/4": (150.0, 120.0, 400.0, 200.0),
    "office/5": (50.0, 180.0, 100.0, 50.0),
}
THRESHOLDS = (1000.0, 300.0)
HOUSE_HEAT, HOUSE_PEAK, HOUSE_DWELLINGS = 40.0, 24.0, 4  # per house (10 MWh/a, 6 kW a dwelling)
SOCIAL, PRIVATE = 30, 10
CONNECTED = 31  # 30 social x 100 % + 10 private x 10 % (study uptake)


def _streets() -> gpd.GeoDataFrame:
    lines = []
    for y in (0.0, 100.0, 200.0):
        lines += [LineString([(x, y), (x + 100.0, y)]) for x in range(0, 400, 100)]
    for x in range(0, 500, 100):
        lines += [LineString([(x, y), (x, y + 100.0)]) for y in (0.0, 100.0)]
    return gpd.GeoDataFrame(
        {schema.HIGHWAY: "residential", schema.NAME: ""},
        geometry=lines,
        crs=BNG,
        index=pd.Index([f"s{i}" for i in range(len(lines))], name=schema.STREET_ID),
    )


def _buildings() -> gpd.GeoDataFrame:
    rows = [
        {
            schema.BUILDING_ID: bid,
            schema.NAME: bid,
            schema.USE: "non_domestic",
            schema.HEAT_DEMAND_MWH_PER_A: heat,
            schema.PEAK_LOAD_KW: peak,
            schema.N_DWELLINGS: 0,
            schema.CLUSTER_ID: "",
            "geometry": box(x - 10, y - 10, x + 10, y + 10),
        }
        for bid, (x, y, heat, peak) in OFFICES.items()
    ]
    rows += [
        {
            schema.BUILDING_ID: f"house/{i}",
            schema.NAME: "",
            schema.USE: "domestic",
            schema.HEAT_DEMAND_MWH_PER_A: HOUSE_HEAT,
            schema.PEAK_LOAD_KW: HOUSE_PEAK,
            schema.N_DWELLINGS: HOUSE_DWELLINGS,
            schema.CLUSTER_ID: "D001",
            "geometry": box(300 + 9 * i, -30, 308 + 9 * i, -20),
        }
        for i in range(10)
    ]
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=BNG).set_index(schema.BUILDING_ID)


def _clusters() -> pd.DataFrame:
    table = pd.DataFrame(
        {
            "cluster_id": ["D001"],
            "density_class": ["high"],
            "social_dwellings": [SOCIAL],
            "private_dwellings": [PRIVATE],
        }
    )
    screened = cluster.screen_clusters(table).set_index("cluster_id")
    return screened.assign(kind="domestic", connection_x=345.0, connection_y=0.0)


def _scenario(**economics_changes: object) -> Scenario:
    s = Scenario()
    return s.replace(
        route=RouteParams(phase_thresholds_mwh_per_a=THRESHOLDS),
        economics=dataclasses.replace(s.economics, **economics_changes),
    )


@pytest.fixture(scope="module")
def plan() -> pipeline.RoutePlan:
    return pipeline.plan_route(_buildings(), _streets(), _scenario(), clusters=_clusters())


@pytest.fixture(scope="module")
def staged(plan: pipeline.RoutePlan) -> dict[str, object]:
    """Sizing, per-phase dispatch, CAPEX and economics inputs of the planned route."""
    s = _scenario()
    sized = sizing.size_pipes(route.route_to_gdf(plan.route), params=s.sizing)
    assert plan.selected is not None
    clusters = plan.selected[plan.selected[phasing.LOAD_KIND] == "cluster"]
    connected = pipeline.connected_buildings(_buildings(), plan.route, cluster_loads=clusters)
    wx = weather.synthetic_weather(s.demand.region)
    plants = pipeline.phase_dispatch(connected, sized, wx, s.dispatch)
    plant = plants[-1].result
    cost = pipeline.capex(sized, plant, connected, s, phases=plants)
    inputs = pipeline.economics_inputs(connected, plant, cost, s, phases=plants)
    return {
        "sized": sized,
        "connected": connected,
        "wx": wx,
        "plants": plants,
        "cost": cost,
        "inputs": inputs,
    }


def test_screening_fixture_is_viable() -> None:
    c = _clusters()
    assert bool(c.at["D001", "viable"])
    assert c.at["D001", "connected_dwellings"] == CONNECTED


def test_phase_of_thresholds() -> None:
    heat = np.array([2000.0, 1000.0, 999.0, 300.0, 299.0])
    np.testing.assert_array_equal(phasing.phase_of(heat, THRESHOLDS), [1, 1, 2, 2, 3])


def test_selected_loads_are_phased_and_the_cluster_is_one_load(plan: pipeline.RoutePlan) -> None:
    sel = plan.selected
    assert sel is not None
    assert set(sel.index) == {"office/1", "office/2", "office/3", "office/4", "D001"}
    assert sel.loc[["office/1", "office/2"], schema.PHASE].tolist() == [1, 1]
    assert sel.loc[["office/3", "office/4", "D001"], schema.PHASE].tolist() == [2, 2, 2]
    d = sel.loc["D001"]
    assert d[schema.N_CONNECTIONS] == CONNECTED
    assert d[schema.N_DWELLINGS] == CONNECTED
    per_dwelling_heat = HOUSE_HEAT / HOUSE_DWELLINGS
    per_dwelling_peak = HOUSE_PEAK / HOUSE_DWELLINGS
    assert d[schema.HEAT_DEMAND_MWH_PER_A] == pytest.approx(CONNECTED * per_dwelling_heat)
    assert d[schema.PEAK_LOAD_KW] == pytest.approx(CONNECTED * per_dwelling_peak)
    # the cluster on its own is at the demand stage's diversified peak
    assert d["diversified_peak_kw"] == pytest.approx(
        (0.62 + 0.38 / CONNECTED) * CONNECTED * per_dwelling_peak
    )
    assert d.geometry.x == 345.0 and d.geometry.y == 0.0


def test_clusters_off_connects_anchors_only() -> None:
    s = _scenario().replace(
        route=RouteParams(phase_thresholds_mwh_per_a=THRESHOLDS, connect_viable_clusters=False)
    )
    sel = pipeline.select_phased_loads(_buildings(), s, clusters=_clusters())
    assert "D001" not in sel.index
    assert len(sel) == 4


def test_default_thresholds_are_one_phase_at_the_anchor_threshold() -> None:
    sel = pipeline.select_phased_loads(_buildings(), Scenario(), clusters=_clusters())
    # 500 MWh/a: offices 1-3 on their own; the 310 MWh/a cluster joins the only phase
    assert sorted(sel.index) == ["D001", "office/1", "office/2", "office/3"]
    assert set(sel[schema.PHASE]) == {1}


def test_phase_two_tree_extends_the_phase_one_tree(plan: pipeline.RoutePlan) -> None:
    r = plan.route
    seg = r.segments
    assert set(seg[schema.PHASE]) == {1, 2}
    one = seg[seg[schema.PHASE] == 1]
    # the phase-1 edges alone form a tree from the energy centre to every phase-1 load
    T = nx.Graph(list(zip(one["u"], one["v"], strict=True)))
    assert nx.is_tree(T)
    assert r.root in T
    p1 = r.loads.index[r.loads[schema.PHASE] == 1]
    assert set(p1) <= set(T.nodes)
    # no phase-1 edge hangs below a phase-2 edge
    parent_phase = dict(zip(seg["v"], seg[schema.PHASE], strict=True))
    for u in one["u"]:
        assert u == r.root or parent_phase[u] == 1
    # the full tree contains the phase-1 tree
    full = nx.Graph(list(zip(seg["u"], seg["v"], strict=True)))
    assert nx.is_tree(full)
    assert all(full.has_edge(a, b) for a, b in T.edges)


def test_per_phase_heat_is_the_sum_of_that_phases_loads(plan: pipeline.RoutePlan) -> None:
    table = route.phase_summary(plan.route)
    heat = {k: OFFICES[k][2] for k in OFFICES}
    cluster_heat = CONNECTED * HOUSE_HEAT / HOUSE_DWELLINGS
    assert table.at[1, schema.HEAT_DEMAND_MWH_PER_A] == pytest.approx(
        heat["office/1"] + heat["office/2"]
    )
    assert table.at[2, schema.HEAT_DEMAND_MWH_PER_A] == pytest.approx(
        heat["office/3"] + heat["office/4"] + cluster_heat
    )
    assert table.at[2, schema.N_CONNECTIONS] == 2 + CONNECTED
    assert plan.route.connected_heat_mwh_per_a == pytest.approx(3200.0 + 1000.0 + cluster_heat)


def test_connected_rows_carry_the_cluster(staged: dict[str, object]) -> None:
    connected = staged["connected"]
    assert isinstance(connected, pd.DataFrame)
    row = connected.loc["D001"]
    assert row[phasing.LOAD_KIND] == "cluster"
    assert row[schema.PHASE] == 2
    assert row[schema.N_DWELLINGS] == CONNECTED
    assert (connected.drop(index="D001")[phasing.LOAD_KIND] == "building").all()


def test_last_cumulative_dispatch_is_the_whole_network(staged: dict[str, object]) -> None:
    plants = staged["plants"]
    sized = staged["sized"]
    assert isinstance(plants, list) and isinstance(sized, sizing.SizingResult)
    assert [p.phase for p in plants] == [1, 2]
    whole = pipeline.plant_dispatch(
        staged["connected"],
        sized,
        staged["wx"],
        Scenario().dispatch,  # type: ignore[arg-type]
    )
    assert plants[-1].result.electricity_mwh == pytest.approx(whole.electricity_mwh, rel=1e-12)
    assert plants[-1].losses_mwh_per_a == pytest.approx(sized.annual_heat_loss_mwh_per_a)
    # phase 1's losses are those of the pipes laid in phase 1
    laid = sized.pipes[sized.pipes[schema.PHASE] == 1]
    assert plants[0].losses_mwh_per_a == pytest.approx(laid[schema.HEAT_LOSS_MWH_PER_A].sum())
    assert plants[0].result.peak_load_kw < plants[1].result.peak_load_kw


def test_capex_lines_carry_phases_and_sum_to_the_total(staged: dict[str, object]) -> None:
    cost = staged["cost"]
    plants = staged["plants"]
    assert isinstance(plants, list)
    lines = cost.lines  # type: ignore[attr-defined]
    assert set(lines["phase"]) == {1, 2}
    by_phase = lines.groupby("phase")["total_gbp"].sum()
    assert by_phase.sum() == pytest.approx(cost.total_capex_gbp, rel=1e-12)  # type: ignore[attr-defined]
    # the cluster's dwellings get HIUs in phase 2; the energy centre building only in phase 1
    hiu = lines[lines["key"] == "hiu"]
    assert hiu["phase"].tolist() == [2]
    assert hiu["quantity"].tolist() == [CONNECTED]
    building = lines[lines["key"] == "energy_centre_building"]
    assert building["phase"].tolist() == [1]
    whole = plants[-1].result
    m2_per_mw = Scenario().costing.energy_centre_m2_per_mw
    assert building["quantity"].iloc[0] == pytest.approx(
        m2_per_mw * (whole.hp_capacity_kw + whole.boiler_capacity_kw) / 1e3
    )
    # heat pumps: each phase buys what its cumulative dispatch adds
    hp = lines[lines["key"] == "heat_pumps"].set_index("phase")["quantity"]
    assert hp.sum() == pytest.approx(plants[-1].result.hp_capacity_kw)
    assert hp[1] == pytest.approx(plants[0].result.hp_capacity_kw)


def test_economics_phases_are_increments(staged: dict[str, object]) -> None:
    inputs = staged["inputs"]
    plants = staged["plants"]
    assert isinstance(inputs, economics.EconomicsInputs) and isinstance(plants, list)
    ph = inputs.phases.set_index("phase")
    assert ph["start_year"].tolist() == [2027, 2029]
    assert ph["heat_sold_mwh_per_a"].sum() == pytest.approx(
        float(staged["connected"][schema.HEAT_DEMAND_MWH_PER_A].sum())  # type: ignore[index]
    )
    assert ph["electricity_mwh_per_a"].sum() == pytest.approx(plants[-1].result.electricity_mwh)
    assert set(inputs.capex_lines["phase"]) == {1, 2}
    conn = inputs.connections.set_index("name")
    assert conn.at["cluster D001", "phase"] == 2
    assert conn.at["cluster D001", "dwellings"] == CONNECTED


def test_cashflow_years_start_at_each_phase_start(staged: dict[str, object]) -> None:
    inputs = staged["inputs"]
    cost = staged["cost"]
    assert isinstance(inputs, economics.EconomicsInputs)
    res = economics.evaluate(inputs, params=Scenario().economics)
    cf = res.cashflow.set_index("year")
    assert cf.index[0] == 2027
    by_phase = inputs.capex_lines.groupby("phase")["total_gbp"].sum()
    assert cf.at[2027, "capex_gbp"] == pytest.approx(by_phase[1])
    assert cf.at[2029, "capex_gbp"] == pytest.approx(by_phase[2])
    assert cf.at[2028, "capex_gbp"] == 0.0
    heat = inputs.phases.set_index("phase")["heat_sold_mwh_per_a"]
    # one construction year: each phase sells heat from the year after its CAPEX
    assert cf.at[2027, "heat_sold_mwh"] == 0.0
    assert cf.at[2028, "heat_sold_mwh"] == pytest.approx(heat[1])
    assert cf.at[2029, "heat_sold_mwh"] == pytest.approx(heat[1])
    assert cf.at[2030, "heat_sold_mwh"] == pytest.approx(heat.sum())
    assert by_phase.sum() == pytest.approx(cost.total_capex_gbp)  # type: ignore[attr-defined]


def test_explicit_phase_start_years(staged: dict[str, object]) -> None:
    s = _scenario(phase_start_years=(2030, 2035))
    plants = staged["plants"]
    assert isinstance(plants, list)
    inputs = pipeline.economics_inputs(
        staged["connected"],  # type: ignore[arg-type]
        plants[-1].result,
        staged["cost"],  # type: ignore[arg-type]
        s,
        phases=plants,
    )
    assert inputs.phases["start_year"].tolist() == [2030, 2035]
    cf = economics.evaluate(inputs, params=s.economics).cashflow.set_index("year")
    assert cf.index[0] == 2030
    assert cf.at[2035, "capex_gbp"] > 0
    with pytest.raises(ConfigError, match="phase_start_years"):
        pipeline.phase_years([1, 2], _scenario(phase_start_years=(2030,)))


def test_phase_table(plan: pipeline.RoutePlan, staged: dict[str, object]) -> None:
    inputs = staged["inputs"]
    cost = staged["cost"]
    assert isinstance(inputs, economics.EconomicsInputs)
    table = phasing.phase_table(
        route.phase_summary(plan.route),
        staged["connected"],  # type: ignore[arg-type]
        staged["plants"],  # type: ignore[arg-type]
        cost,  # type: ignore[arg-type]
        inputs.phases,
    ).set_index(schema.PHASE)
    assert table["start_year"].tolist() == [2027, 2029]
    assert table["n_clusters"].tolist() == [0, 1]
    assert table["n_loads"].tolist() == [2, 3]
    assert table[schema.CAPEX_GBP].sum() == pytest.approx(cost.total_capex_gbp)  # type: ignore[attr-defined]
    assert table["spine_length_m"].sum() == pytest.approx(plan.route.spine_length_m)


def test_capacity_cap_keeps_phase_order() -> None:
    G = nx.Graph()
    G.add_edge("root", "near", length_m=10.0)
    G.add_edge("root", "far", length_m=500.0)
    loads = pd.DataFrame(
        {
            schema.HEAT_DEMAND_MWH_PER_A: [200.0, 200.0],
            schema.PEAK_LOAD_KW: [100.0, 100.0],
            schema.PHASE: [2, 1],
        },
        index=["near", "far"],
    )
    within, beyond = pipeline.loads_within_capacity(G, "root", loads, capacity_kw=150.0)
    assert list(within.index) == ["far"]
    assert list(beyond.index) == ["near"]


def test_capacity_cap_counts_connections_for_diversity() -> None:
    G = nx.Graph()
    G.add_edge("root", "a", length_m=10.0)
    G.add_edge("root", "b", length_m=20.0)
    # 2 x 100 kW over 40 connections: f(40) x 200 = 125.9 kW fits 130 kW; f(2) x 200 = 162 not
    loads = pd.DataFrame(
        {schema.PEAK_LOAD_KW: [100.0, 100.0], schema.N_CONNECTIONS: [20, 20]}, index=["a", "b"]
    )
    within, _ = pipeline.loads_within_capacity(G, "root", loads, capacity_kw=130.0)
    assert list(within.index) == ["a", "b"]


@pytest.mark.parametrize(
    ("changes", "key"),
    [
        ({"phase_thresholds_mwh_per_a": (300.0, 1000.0)}, "phase_thresholds_mwh_per_a"),
        ({"phase_thresholds_mwh_per_a": (500.0, 0.0)}, "phase_thresholds_mwh_per_a"),
    ],
)
def test_bad_route_phasing(changes: dict[str, object], key: str) -> None:
    with pytest.raises(ValueError, match=key):
        RouteParams(**changes)  # type: ignore[arg-type]


def test_bad_phase_start_years() -> None:
    with pytest.raises(ValueError, match="phase_start_years"):
        EconomicsParams(phase_start_years=(2030, 2028))
    with pytest.raises(ValueError, match="phase_interval_years"):
        EconomicsParams(phase_interval_years=-1)
