"""Railways and rivers: crossings priced, services never across one, a split network reported."""

from __future__ import annotations

import logging

import geopandas as gpd
import pandas as pd
import pytest
from shapely import LineString
from test_route import BNG, HEAT, PEAK, attach, streets

from heatmap.pipeline.network_plan import _report_split
from heatmap.routing.crossings import price_crossings, split_report
from heatmap.routing.graph import NetworkParams, keep_largest_component
from heatmap.routing.route import build_route
from heatmap.routing.street_graph import routing_graph

NO_BUILDINGS = gpd.GeoDataFrame(geometry=[], crs=BNG)
BORE_GBP = 40 * 1548.0  # the default trenchless bore: 40 m at the structure rate


def _barriers(rows: list[tuple[str, str, str, list[tuple[float, float]]]]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "kind": [r[0] for r in rows],
            "name": [r[1] for r in rows],
            "level": [r[2] for r in rows],
        },
        geometry=[LineString(r[3]) for r in rows],
        crs=BNG,
    )


RAIL = ("railway", "Main line", "ground", [(50, -100), (50, 200)])


def test_a_level_crossing_is_charged_once_even_where_the_street_is_noded_on_it() -> None:
    # the street is split at the level crossing: both halves touch the railway at (50, 0)
    s = streets({"w": [(0, 0), (50, 0)], "e": [(50, 0), (100, 0)], "x": [(0, 50), (100, 50)]})
    H, report = price_crossings(routing_graph(s, NO_BUILDINGS), _barriers([RAIL]))
    assert report.n_railway == 2  # at (50, 0) once, and where street x crosses it
    assert report.cost_gbp == pytest.approx(2 * BORE_GBP)
    charged = {d["street_id"]: d.get("crossing_cost_gbp", 0.0) for _, _, d in H.edges(data=True)}
    assert sorted(charged.values()) == pytest.approx([0.0, BORE_GBP, BORE_GBP])
    assert charged["x"] == pytest.approx(BORE_GBP)


def test_bridges_and_tunnels_are_not_charged_as_crossings() -> None:
    s = streets({"over": [(0, 0), (100, 0)], "plain": [(0, 50), (100, 50)]})
    s["bridge"] = ["yes", None]
    rail_on_viaduct = ("railway", "Viaduct", "bridge", [(80, -100), (80, 200)])
    G = routing_graph(s, NO_BUILDINGS, barriers=_barriers([RAIL, rail_on_viaduct]))
    by_id = {d["street_id"]: d for _, _, d in G.edges(data=True)}
    # the street on a bridge pays the structure rate, not a bore as well
    assert by_id["over"]["dig_class"] == "structure"
    assert by_id["over"].get("n_crossings", 0) == 0
    # the plain street bores under the railway at grade, not under the viaduct
    assert by_id["plain"]["n_crossings"] == 1
    assert G.graph["crossings"].n_railway == 1


def test_the_route_takes_a_bridge_when_a_bore_costs_more() -> None:
    # plant west, load east of a river along x = 50: straight across at grade (a bore) or by a
    # bridge 100 m north; the bore costs 61,920, the detour 200 m at 774 plus 100 m of bridge
    river = ("waterway", "River Test", "ground", [(50, -100), (50, 80), (50, 120), (50, 300)])
    lines = {
        "ford": [(0, 0), (100, 0)],
        "w": [(0, 0), (0, 100)],
        "bridge": [(0, 100), (100, 100)],
        "e": [(100, 100), (100, 0)],
    }
    s = streets(lines)
    s["bridge"] = [None, None, "yes", None]
    params = NetworkParams()
    G = routing_graph(s, NO_BUILDINGS, params=params, barriers=_barriers([river]))
    H, nodes = attach(G, {"ec": (-1, 0), "L": (101, 0)}, params)
    loads = pd.DataFrame({HEAT: [1000.0], PEAK: [500.0]}, index=["T:L"])
    r = build_route(H, root=nodes["ec"], loads=loads)
    used = {str(d.get("street_id")) for _, _, d in r.graph.edges(data=True)} - {"None", ""}
    # ford: 100 x 774 + 61,920 = 139,320; bridge way: 200 x 774 + 100 x 1,548 = 309,600
    assert used == {"ford"}
    assert r.trench_cost_gbp == pytest.approx(100 * 774 + BORE_GBP + 2 * 249)


def test_a_service_never_crosses_a_river_to_the_nearer_street() -> None:
    # a house on the east bank, 30 m from the west street across the river, 70 m from its own
    river = ("waterway", "River Test", "ground", [(40, -100), (40, 300)])
    s = streets({"west": [(0, 0), (0, 200)], "east": [(140, 0), (140, 200)]})
    G = routing_graph(s, NO_BUILDINGS, barriers=_barriers([river]))
    H, nodes = attach(G, {"house": (70, 100)}, NetworkParams())
    ((_, _, d),) = [(u, v, d) for u, v, d in H.edges(nodes["house"], data=True)]
    assert d["length_m"] == pytest.approx(70.0)


def test_a_bridgeless_river_splits_the_network_with_a_clear_report(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # two street grids on either bank of the River Test, no bridge between them
    river = ("waterway", "River Test", "ground", [(150, -500), (150, 1500)])
    west = {f"w{i}": [(0, 100 * i), (100, 100 * i)] for i in range(8)}
    west |= {f"wn{i}": [(0, 100 * i), (0, 100 * i + 100)] for i in range(7)}
    east = {f"e{i}": [(200, 100 * i), (300, 100 * i)] for i in range(6)}
    east |= {f"en{i}": [(300, 100 * i), (300, 100 * i + 100)] for i in range(5)}
    s = streets(west | east)
    G = routing_graph(s, NO_BUILDINGS, barriers=_barriers([river]))
    main = keep_largest_component(G)
    (part,) = split_report(G, set(main.nodes))
    assert part.barriers == ("River Test",)
    assert part.street_length_m == pytest.approx(6 * 100 + 500)
    with caplog.at_level(logging.WARNING, logger="heatmap"):
        _report_split(G, set(main.nodes))
    assert "split" in caplog.text and "1.1 km of streets beyond River Test" in caplog.text
    # a house on the east bank 40 m from a west street is not attached across the river
    H, nodes = attach(main, {"house": (190, 300)}, NetworkParams())
    assert nodes == {}
    assert H.graph["unattached"] == ("house",)
