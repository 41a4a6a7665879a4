"""Streets through buildings are left out of the routing graph (or priced as crossings)."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely import box
from test_route import BNG, HEAT, PEAK, attach, streets

from heatmap.routing.graph import build_street_graph
from heatmap.routing.params import NetworkParams
from heatmap.routing.passages import avoid_buildings
from heatmap.routing.route import build_route

# plant west of (0, 0), load east of (200, 0): straight through an arcade (street "arcade",
# 200 m, 120 m of it inside a market hall) or round the block (streets "n1", "n2", "n3": 400 m)
LINES = {
    "arcade": [(0, 0), (200, 0)],
    "n1": [(0, 0), (0, 100)],
    "n2": [(0, 100), (200, 100)],
    "n3": [(200, 100), (200, 0)],
}
SITES = {"ec": (-5, 0), "L": (205, 0)}
LOADS = pd.DataFrame({HEAT: [2000.0], PEAK: [900.0]}, index=["T:L"])


def _hall(**columns: object) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(columns or None, geometry=[box(40, -15, 160, 15)], crs=BNG)


def _route_streets(params: NetworkParams, hall: gpd.GeoDataFrame) -> set[str]:
    G = build_street_graph(streets(LINES), params=params)
    H, _ = avoid_buildings(G, hall, params=params)
    T, nodes = attach(H, SITES, params)
    r = build_route(T, root=nodes["ec"], loads=LOADS)
    used = {str(d.get("street_id")) for _, _, d in r.graph.edges(data=True)}
    return used - {"None", ""}


def test_the_route_goes_round_a_building_not_through_it() -> None:
    params = NetworkParams(weight="length")
    # without the building the arcade is the shortest way
    assert _route_streets(params, _hall().iloc[:0]) == {"arcade"}
    assert _route_streets(params, _hall()) == {"n1", "n2", "n3"}


def test_report_names_the_street_and_its_length() -> None:
    params = NetworkParams(weight="length")
    G = build_street_graph(streets(LINES), params=params)
    H, report = avoid_buildings(G, _hall(), params=params)
    assert (report.n_edges, report.length_m, report.action) == (1, 200.0, "dropped")
    assert report.street_ids == ("arcade",)
    assert H.number_of_edges() == G.number_of_edges() - 1
    assert G.number_of_edges() == 4  # the caller's graph is unchanged


def test_raised_buildings_and_roofs_leave_the_street_open() -> None:
    params = NetworkParams(weight="length")
    raised = _hall(building_tag=["office"], building_min_level=[2.0])
    assert _route_streets(params, raised) == {"arcade"}
    roof = _hall(building_tag=["roof"], building_min_level=[None])
    assert _route_streets(params, roof) == {"arcade"}


def test_priced_crossing_is_used_only_when_it_pays() -> None:
    priced = NetworkParams(building_passages="price", building_crossing_cost_gbp_per_m=1000.0)
    G = build_street_graph(streets(LINES), params=priced)
    H, report = avoid_buildings(G, _hall(), params=priced)
    assert report.action == "priced"
    d = next(d for _, _, d in H.edges(data=True) if d["street_id"] == "arcade")
    assert d["weight"] == pytest.approx(200.0 * 1000.0)
    # through: 200 m at 1,000 GBP/m = 200,000; round: 400 m of hard dig at 774 GBP/m = 309,600
    assert _route_streets(priced, _hall()) == {"arcade"}
    # at 5,000 GBP/m the crossing (1,000,000) costs more than the way round
    dear = NetworkParams(building_passages="price", building_crossing_cost_gbp_per_m=5000.0)
    assert _route_streets(dear, _hall()) == {"n1", "n2", "n3"}


def test_a_street_tagged_as_a_building_passage_is_left_out_without_a_footprint() -> None:
    # the extract maps no footprint over the arcade, but its tags say it is a building passage
    params = NetworkParams(weight="length")
    s = streets(LINES)
    s["tunnel"] = ["building_passage", None, None, None]
    G = build_street_graph(s, params=params)
    H, report = avoid_buildings(G, _hall().iloc[:0], params=params)
    assert report.street_ids == ("arcade",) and report.action == "dropped"
    T, nodes = attach(H, SITES, params)
    r = build_route(T, root=nodes["ec"], loads=LOADS)
    used = {str(d.get("street_id")) for _, _, d in r.graph.edges(data=True)} - {"None", ""}
    assert used == {"n1", "n2", "n3"}


def test_a_priced_passage_is_a_building_crossing_in_the_pipe_costs() -> None:
    params = NetworkParams(building_passages="price")
    G = build_street_graph(streets(LINES), params=params)
    H, report = avoid_buildings(G, _hall(), params=params)
    assert report.action == "priced"
    (d,) = [d for _, _, d in H.edges(data=True) if d["street_id"] == "arcade"]
    assert d["dig_class"] == "building_crossing"
    # 3096 GBP/m is (3096 - 249) / (774 - 249) = 5.42 of the hard-over-soft premium
    assert d["dig_premium"] == pytest.approx((3096 - 249) / 525)
    assert d["weight"] == pytest.approx(3096 * 200)
