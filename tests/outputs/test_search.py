"""nearby(): street-network distances checked against hand-computed paths on a grid."""

from __future__ import annotations

import math
from pathlib import Path

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from pyproj import Transformer
from shapely.geometry import LineString, Point, box

from heatmap import outputs as export
from heatmap.cli.main import cli
from heatmap.design.rates import load_pipe_rates
from heatmap.errors import InputError
from heatmap.outputs import search
from heatmap.outputs._link_cost import link_main
from heatmap.routing import graph as network

BNG = "EPSG:27700"
X0, Y0 = 530_000.0, 180_000.0  # City of London area
STEP = 100.0


def _grid(n: int = 5) -> nx.Graph:
    """n x n street grid, 100 m blocks, nodes keyed (i, j) at (X0 + 100 i, Y0 + 100 j)."""
    G = nx.Graph(crs=BNG)
    for i in range(n):
        for j in range(n):
            G.add_node((i, j), x=X0 + STEP * i, y=Y0 + STEP * j)
    for i in range(n):
        for j in range(n):
            if i + 1 < n:
                G.add_edge((i, j), (i + 1, j), length_m=STEP)
            if j + 1 < n:
                G.add_edge((i, j), (i, j + 1), length_m=STEP)
    return G


def _square(cx: float, cy: float, half: float = 2.0) -> object:
    return box(cx - half, cy - half, cx + half, cy + half)


def _lonlat(x: float, y: float) -> tuple[float, float]:
    lon, lat = Transformer.from_crs(BNG, 4326, always_xy=True).transform(x, y)
    return lon, lat


def _layers() -> dict[str, gpd.GeoDataFrame]:
    buildings = gpd.GeoDataFrame(
        {
            "name": ["East Hall", "Diagonal Tower", "Small shop", "Far Works"],
            "heat_demand_mwh_per_a": [600.0, 1200.0, 15.0, 900.0],
            "is_anchor": [True, True, False, True],
            "peak_load_kw": [450.0, 900.0, 12.0, 700.0],
            "address": ["", "", "", "9 Mill Road"],
        },
        geometry=[
            _square(X0 + 300, Y0 + 10),  # 10 m north of node (3, 0)
            _square(X0 + 200, Y0 + 200),  # on node (2, 2)
            _square(X0 + 100, Y0 + 5),
            _square(X0 + 400, Y0 + 400),  # node (4, 4): 800 m along the streets
        ],
        crs=BNG,
        index=pd.Index(["way/1", "way/2", "way/3", "way/4"], name="building_id"),
    )
    clusters = gpd.GeoDataFrame(
        {"heat_demand_mwh_per_a": [2400.0]},
        geometry=[box(X0 + 250, Y0 + 250, X0 + 450, Y0 + 450)],  # holds nodes (3..4, 3..4)
        crs=BNG,
        index=pd.Index(["N01"], name="cluster_id"),
    )
    opp = gpd.GeoDataFrame(
        {"heat_demand_mwh_per_a": [5000.0]},
        geometry=[box(X0 - 50, Y0 - 50, X0 + 50, Y0 + 50)],  # holds the site
        crs=BNG,
    )
    nets = gpd.GeoDataFrame(
        {
            "name": ["Citigen"],
            "operator": ["E.ON"],
            "technology": ["CHP"],
            "status": ["operational"],
        },
        geometry=[Point(X0, Y0 + 400)],
        crs=BNG,
    )
    return {
        "buildings": buildings,
        "clusters": clusters,
        "opportunity_areas": opp,
        "existing_networks": nets,
    }


def test_network_distances_match_hand_computed_paths() -> None:
    site = _lonlat(X0, Y0)  # on node (0, 0)
    finds = search.nearby(site, street_graph=_grid(), radius_m=1000.0, crs=BNG, **_layers())
    assert list(finds.columns) == [*search.NEARBY_COLUMNS, "geometry"]
    by_name = finds.set_index(finds["name"].where(finds["name"] != "", finds["feature_id"]))
    # East Hall: 300 m along the street + 10 m spur
    assert by_name.loc["East Hall", "network_distance_m"] == pytest.approx(310.0, abs=0.2)
    assert by_name.loc["East Hall", "straight_distance_m"] == pytest.approx(
        math.hypot(298, 8), abs=0.2
    )
    # Diagonal Tower: 400 m of streets (Manhattan), 280 m straight to its nearest corner
    assert by_name.loc["Diagonal Tower", "network_distance_m"] == pytest.approx(400.0, abs=0.2)
    assert by_name.loc["Diagonal Tower", "straight_distance_m"] == pytest.approx(
        math.hypot(198, 198), abs=0.2
    )
    # cluster reached at its nearest inside node (3, 3): 600 m
    assert by_name.loc["N01", "network_distance_m"] == pytest.approx(600.0, abs=0.2)
    assert by_name.loc["Citigen", "network_distance_m"] == pytest.approx(400.0, abs=0.2)
    assert by_name.loc["Far Works", "network_distance_m"] == pytest.approx(800.0, abs=0.2)
    # the site lies in the opportunity area: distance 0, no link LHD
    opp = finds[finds["kind"] == "opportunity_area"].iloc[0]
    assert opp["network_distance_m"] == 0.0
    assert np.isnan(opp["link_lhd_mwh_per_m_a"])
    # the small shop is no anchor load
    assert "Small shop" not in set(finds["name"])
    assert finds["network_distance_m"].is_monotonic_increasing
    east = by_name.loc["East Hall"]
    assert east["link_lhd_mwh_per_m_a"] == pytest.approx(600.0 / 310.0, rel=1e-3)
    # the link main: the sizing model's pipe for the hall's peak, priced by the pipe-rate
    # catalogue over the 310 m (hard dig)
    dn, cost = link_main(310.0, east["peak_kw"], 600.0, dig_class="hard")
    assert east["link_dn"] == dn
    assert east["link_cost_gbp"] == pytest.approx(cost)
    rates = load_pipe_rates()
    rate = rates.loc[rates["dn"] == dn, "hard_gbp_per_m"].iloc[0]
    assert east["link_cost_gbp"] == pytest.approx(310.0 * rate, abs=1.0)
    # a heat network record has no peak of its own: no link main
    assert np.isnan(by_name.loc["Citigen", "link_cost_gbp"])
    # the nearest two, anchors only
    two = search.nearby(
        site,
        street_graph=_grid(),
        radius_m=1000.0,
        crs=BNG,
        kinds=("anchor_load",),
        top=2,
        **_layers(),
    )
    assert list(two["kind"]) == ["anchor_load", "anchor_load"]
    assert list(two["name"]) == list(finds[finds["kind"] == "anchor_load"]["name"][:2])


def test_radius_is_a_network_distance() -> None:
    finds = search.nearby(
        _lonlat(X0, Y0), street_graph=_grid(), radius_m=500.0, crs=BNG, **_layers()
    )
    assert (finds["network_distance_m"] <= 500.0).all()
    # Far Works is 566 m away in a straight line but 800 m along the streets
    assert "Far Works" not in set(finds["name"])
    assert {"East Hall", "Diagonal Tower", "Citigen"} <= set(finds["name"])


def test_a_closed_street_lengthens_the_path() -> None:
    G = _grid()
    G.remove_edge((0, 0), (1, 0))
    layers = _layers()
    finds = search.nearby(
        _lonlat(X0, Y0), street_graph=G, radius_m=1000.0, crs=BNG, buildings=layers["buildings"]
    )
    east = finds[finds["name"] == "East Hall"].iloc[0]
    assert east["network_distance_m"] == pytest.approx(510.0, abs=0.2)  # up, across, down


def test_anchor_threshold_without_flag() -> None:
    b = _layers()["buildings"].drop(columns="is_anchor")
    finds = search.nearby(
        _lonlat(X0, Y0),
        street_graph=_grid(),
        buildings=b,
        crs=BNG,
        params=search.NearbyParams(anchor_min_demand_mwh_per_a=1000.0),
    )
    assert finds["name"].tolist() == ["Diagonal Tower"]


def test_site_outside_the_area_says_how_far() -> None:
    far = _lonlat(X0 + 5000, Y0)
    with pytest.raises(InputError, match=r"4\.[56]\d km outside .*lat .* lon"):
        search.nearby(far, street_graph=_grid(), buildings=_layers()["buildings"], crs=BNG)


def test_nearby_on_the_network_stage_graph() -> None:
    """The network stage's graph, with terminals attached, gives the hand-computed distances."""
    G = _grid()
    streets = gpd.GeoDataFrame(
        {"highway": ["residential"] * G.number_of_edges()},
        geometry=[
            LineString([(G.nodes[u]["x"], G.nodes[u]["y"]), (G.nodes[v]["x"], G.nodes[v]["y"])])
            for u, v in G.edges
        ],
        crs=BNG,
    )
    street_graph = network.build_street_graph(streets)
    assert sorted({d["length_m"] for *_, d in street_graph.edges(data=True)}) == [100.0]
    layers = _layers()
    with_terminals, _ = network.attach_terminals(
        street_graph, layers["buildings"], id_column="building_id"
    )
    site = _lonlat(X0, Y0)
    finds = search.nearby(site, street_graph=street_graph, radius_m=1000.0, **layers)
    got = dict(zip(finds["name"], finds["network_distance_m"], strict=False))
    assert got["East Hall"] == pytest.approx(310.0, abs=0.2)
    assert got["Diagonal Tower"] == pytest.approx(400.0, abs=0.2)
    assert got["Citigen"] == pytest.approx(400.0, abs=0.2)
    assert got["Far Works"] == pytest.approx(800.0, abs=0.2)
    finds = search.nearby(site, street_graph=with_terminals, radius_m=1000.0, **layers)
    got = dict(zip(finds["name"], finds["network_distance_m"], strict=False))
    # the street x = 300 m crosses East Hall: its service point is where that street leaves the
    # footprint (y = 12 m), so 300 + 12 m of street and a 2 m spur from the footprint's centre
    assert got["East Hall"] == pytest.approx(314.0, abs=0.2)
    assert got["Citigen"] == pytest.approx(400.0, abs=0.2)
    assert got["Far Works"] == pytest.approx(800.0, abs=0.2)


def test_cli_nearby_from_results(tmp_path: Path) -> None:
    layers = _layers()
    G = _grid()
    streets = gpd.GeoDataFrame(
        {"name": ["Grid Street"] * G.number_of_edges(), "highway": "residential"},
        geometry=[
            LineString([(G.nodes[u]["x"], G.nodes[u]["y"]), (G.nodes[v]["x"], G.nodes[v]["y"])])
            for u, v in G.edges
        ],
        crs=BNG,
    )
    results = tmp_path / "results"
    export.write_geopackage({**layers, "streets": streets}, results / "results.gpkg")
    lon, lat = _lonlat(X0, Y0)
    out = tmp_path / "near.csv"
    result = CliRunner().invoke(
        cli,
        [
            "nearby",
            "--site",
            f"{lat},{lon}",
            "--radius-m",
            "700",
            "--results",
            str(results),
            "--out",
            str(out),
            "--map",
            str(tmp_path / "near.html"),
        ],
    )
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out)
    assert table["name"].fillna("").tolist()[:3] == ["", "East Hall", "Citigen"]
    assert table["network_distance_m"].is_monotonic_increasing
    assert "East Hall" in result.output
    assert (tmp_path / "near.html").stat().st_size > 1000
    far = CliRunner().invoke(cli, ["nearby", "--site", "48.85,2.35", "--results", str(results)])
    assert far.exit_code == 2
    assert "outside the street network" in far.output


def test_cli_nearby_needs_a_source() -> None:
    result = CliRunner().invoke(cli, ["nearby", "--site", "51.5,-0.09"])
    assert result.exit_code == 2
    assert "--osm" in result.output


@pytest.mark.slow
@pytest.mark.shared_data
def test_city_of_london_sorted_by_network_distance(london_pbf: Path) -> None:
    pyrosm = pytest.importorskip("pyrosm")
    osm = pyrosm.OSM(str(london_pbf))
    crs = "EPSG:27700"
    b = osm.get_buildings()[["id", "name", "geometry"]].to_crs(crs)
    b = b[b.geom_type.isin(["Polygon", "MultiPolygon"])]
    # stand-in demand (the demand stage is separate): footprint x 100 kWh/m2/yr
    b = b.assign(heat_demand_mwh_per_a=b.area * 0.1).set_index(
        b["id"].astype(str).rename("building_id")
    )
    streets = osm.get_network(network_type="driving")[["highway", "geometry"]].to_crs(crs)
    G = network.build_street_graph(streets)
    site = (-0.0922, 51.5155)  # Guildhall
    finds = search.nearby(
        site,
        street_graph=G,
        buildings=b,
        radius_m=800.0,
        crs=crs,
        params=search.NearbyParams(anchor_min_demand_mwh_per_a=200.0),
    )
    assert len(finds) >= 5
    assert finds["network_distance_m"].is_monotonic_increasing
    assert (finds["network_distance_m"] >= finds["straight_distance_m"] - 1.0).all()
    assert (finds["network_distance_m"] <= 800.0).all()
    with pytest.raises(InputError, match="outside the street network"):
        search.nearby((-0.20, 51.50), street_graph=G, buildings=b, crs=crs)


def test_unnamed_finds_take_their_address() -> None:
    layers = _layers()
    b = layers["buildings"].copy()
    b.loc["way/4", "name"] = None
    layers["buildings"] = b
    finds = search.nearby(_lonlat(X0, Y0), street_graph=_grid(), radius_m=1000.0, crs=BNG, **layers)
    row = finds[finds["feature_id"] == "way/4"].iloc[0]
    assert row["name"] == "9 Mill Road"
    assert finds[finds["feature_id"] == "way/1"].iloc[0]["name"] == "East Hall"


@pytest.mark.slow
@pytest.mark.shared_data
def test_cli_nearby_on_osm_with_the_scenario_agrees_with_the_run(
    bristol_pbf: Path, tmp_path: Path
) -> None:
    # a scenario whose demand differs from the defaults (a colder place)
    scenario = tmp_path / "bristol.toml"
    scenario.write_text(
        f'name = "bristol"\n[area]\nosm_path = "{bristol_pbf.as_posix()}"\n'
        "[demand]\ndegree_days_k_day = 2600.0\n",
        encoding="utf-8",
    )
    run_dir = tmp_path / "run"
    ran = CliRunner().invoke(cli, ["run", str(scenario), "--out", str(run_dir), "--no-progress"])
    assert ran.exit_code == 0, ran.output
    b = gpd.read_file(run_dir / "results.gpkg", layer="buildings")
    anchor = b.sort_values("heat_demand_mwh_per_a").iloc[-1]
    site = gpd.GeoSeries([anchor.geometry.centroid], crs=b.crs).to_crs(4326).iloc[0]
    common = ["nearby", "--site", f"{site.y},{site.x}", "--radius-m", "400", "--kind"]
    tables = {}
    for label, source in (
        ("results", ["--results", str(run_dir)]),
        ("osm", ["--osm", str(bristol_pbf), "--scenario", str(scenario)]),
        ("defaults", ["--osm", str(bristol_pbf)]),
    ):
        out = tmp_path / f"{label}.csv"
        res = CliRunner().invoke(cli, [*common, "anchor_load", *source, "--out", str(out)])
        assert res.exit_code == 0, res.output
        tables[label] = pd.read_csv(out).set_index("feature_id")["heat_demand_mwh_per_a"]
    assert len(tables["results"]) > 0
    pd.testing.assert_series_equal(tables["osm"], tables["results"], check_exact=False, rtol=1e-9)
    # without the scenario the demand is the default place's: lower
    shared = tables["defaults"].index.intersection(tables["results"].index)
    assert (tables["defaults"][shared] < tables["results"][shared]).all()
