"""Tests for heatmap.zones.clusters: study screening (Table 13), barriers, internal length, bad
input.
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from click.testing import CliRunner

from heatmap._params import params_from_mapping
from heatmap.cli.main import cli
from heatmap.errors import ConfigError, CRSError, InputError, SchemaError
from heatmap.zones.clusters import (
    ClusterParams,
    barriers_from_streets,
    cluster_buildings,
    internal_network_length_m,
    internal_network_lengths,
    screen_clusters,
)

STUDY_SELECTED = ["N01", "N02", "N102", "N106", "N204"]  # study 5.3 / 6.1, Table 13 green rows


@pytest.fixture(scope="module")
def study_table(killingworth_dir: Path) -> pd.DataFrame:
    return pd.read_csv(killingworth_dir / "clusters.csv")


@pytest.mark.shared_data
@pytest.mark.parametrize("rounding", [True, False])
def test_study_screening_matches_table13(study_table: pd.DataFrame, rounding: bool) -> None:
    out = screen_clusters(study_table, params=ClusterParams(table13_rounding=rounding))
    assert out.loc[out["viable"], "cluster_id"].tolist() == STUDY_SELECTED
    m_err = out["m_per_dwelling"] / study_table["network_m_per_dwelling"] - 1
    gbp_err = out["cost_per_dwelling_gbp"] / study_table["cost_gbp_per_dwelling"] - 1
    assert m_err.abs().max() < 0.02
    assert gbp_err.abs().max() < 0.02
    if rounding:  # connected dwellings and share exactly as Table 13 prints them
        assert (out["connected_dwellings"] == study_table["total_connecting"]).all()
        assert (out["connected_pct"].round() == study_table["pct_connecting"]).all()


@pytest.mark.shared_data
def test_study_all_connected_metres_match_section_5_3(killingworth_dir: Path) -> None:
    ref = pd.read_csv(killingworth_dir / "cluster_costing_parameters.csv")
    ref = ref[ref["parameter"] == "network_length_per_dwelling_all_connected"]
    p = ClusterParams()
    for row in ref.itertuples():
        total = p.main_m_per_dwelling[row.density] + p.feed_m_per_connected_dwelling[row.density]
        assert total == pytest.approx(row.value, rel=0.01)


@pytest.mark.shared_data
def test_cli_screen_clusters_json(killingworth_dir: Path) -> None:
    res = CliRunner().invoke(
        cli, ["screen-clusters", str(killingworth_dir / "clusters.csv"), "--json"]
    )
    assert res.exit_code == 0, res.output
    rows = json.loads(res.output)
    assert [r["cluster_id"] for r in rows if r["viable"]] == STUDY_SELECTED
    # more private uptake makes the mixed clusters cheaper per connected dwelling
    res2 = CliRunner().invoke(
        cli,
        [
            "screen-clusters",
            str(killingworth_dir / "clusters.csv"),
            "--json",
            "--private-uptake-pct",
            "50",
        ],
    )
    rows2 = {r["cluster_id"]: r for r in json.loads(res2.output)}
    assert rows2["N03"]["cost_per_dwelling_gbp"] < rows[2]["cost_per_dwelling_gbp"]


def test_screening_bad_input() -> None:
    good = pd.DataFrame(
        {
            "cluster_id": ["A", "B"],
            "density_class": ["high", "low"],
            "social_dwellings": [10, 5],
            "private_dwellings": [10, 20],
        }
    )
    assert len(screen_clusters(good)) == 2
    with pytest.raises(InputError, match="zero dwellings"):
        screen_clusters(good.assign(social_dwellings=[0, 5], private_dwellings=[0, 20]))
    with pytest.raises(InputError, match="density_class"):
        screen_clusters(good.assign(density_class=["high", "very low"]))
    with pytest.raises(InputError, match="whole numbers"):
        screen_clusters(good.assign(private_dwellings=[-1, 20]))
    with pytest.raises(InputError, match="duplicate"):
        screen_clusters(good.assign(cluster_id=["A", "A"]))
    with pytest.raises(InputError, match="n_dwellings"):
        screen_clusters(good.assign(n_dwellings=[20, 99]))
    with pytest.raises(SchemaError):
        screen_clusters(good.drop(columns=["density_class"]))
    # no dwelling expected to connect: not viable, reason says so
    out = screen_clusters(
        pd.DataFrame(
            {
                "cluster_id": ["C"],
                "density_class": ["high"],
                "social_dwellings": [0],
                "private_dwellings": [3],
            }
        )
    )
    assert not out["viable"].iloc[0]
    assert "no dwelling" in out["reason"].iloc[0]


def test_params_out_of_range() -> None:
    for mapping, key in (
        ({"eps_m": 0.0}, "eps_m"),
        ({"uptake_pct": {"social": 120.0}}, "uptake_pct"),
        ({"uptake_pct": {"council": 50.0}}, "uptake_pct"),
        ({"density_medium_min_dph": 60.0}, "density"),
        ({"main_m_per_dwelling": {"high": 1.0}}, "main_m_per_dwelling"),
        ({"min_social_share_pct": 101.0}, "min_social_share_pct"),
    ):
        with pytest.raises(ConfigError, match=key):
            params_from_mapping(ClusterParams, mapping, section="cluster")
    p = params_from_mapping(ClusterParams, {"uptake_pct": {"private": 30.0}}, section="cluster")
    assert p.uptake_pct["social"] == 100.0
    assert p.uptake_pct["private"] == 30.0


def _estates(tenure: str | None = "social") -> gpd.GeoDataFrame:
    """Two terraced estates, 40 m apart across x = 0 (6 rows x 10 houses each)."""
    rows = []
    for side in (-1, 1):
        for r in range(6):
            for c in range(10):
                x, y = side * (20 + c * 7), r * 25
                rows.append(
                    {
                        "building_id": f"b{side}_{r}_{c}",
                        "use": "domestic",
                        "tenure": tenure if c % 2 else "private",
                        "gross_floor_area_m2": 90.0,
                        "heat_demand_mwh_per_a": 12.0,
                        "geometry": shapely.box(x - 3.5, y - 4, x + 3.5, y + 4),
                    }
                )
    return gpd.GeoDataFrame(rows, crs=27700).set_index("building_id")


def _sides(labels: pd.Series) -> pd.Series:
    side = np.where(labels.index.str.startswith("b-1"), "W", "E")
    return pd.Series(side, index=labels.index).groupby(labels).nunique()


def test_railway_splits_clusters_unless_crossed() -> None:
    b = _estates()
    params = ClusterParams(eps_m=45.0)
    joined = cluster_buildings(b, params=params)
    assert joined.labels.nunique() == 1  # no barrier: one cluster over both estates
    rail = gpd.GeoDataFrame(geometry=[shapely.LineString([(0, -200), (0, 400)])], crs=27700)
    split = cluster_buildings(b, barriers=rail, params=params)
    assert (split.labels != "").all()
    assert (_sides(split.labels) == 1).all()  # no cluster straddles the railway
    assert split.clusters["n_dwellings"].tolist() == [60, 60]
    bridge = gpd.GeoDataFrame(geometry=[shapely.Point(0, 60)], crs=27700)
    crossed = cluster_buildings(b, barriers=rail, crossings=bridge, params=params)
    assert crossed.labels.nunique() == 1


def test_motorway_from_streets_with_and_without_bridge() -> None:
    b = _estates()
    params = ClusterParams(eps_m=45.0)
    motorway = shapely.LineString([(0, -200), (0, 400)])
    local = [shapely.LineString([(-120, y), (-15, y)]) for y in (12.5, 62.5)] + [
        shapely.LineString([(15, y), (120, y)]) for y in (12.5, 62.5)
    ]
    streets = gpd.GeoDataFrame(
        {"highway": ["motorway"] + ["residential"] * 4},
        geometry=[motorway, *local],
        crs=27700,
    )
    res = cluster_buildings(b, streets=streets, params=params)
    assert (_sides(res.labels) == 1).all()
    assert {"connection_x", "connection_y"} <= set(res.clusters.columns)
    # a road bridge over the motorway is a crossing
    bridged = pd.concat(
        [
            streets,
            gpd.GeoDataFrame(
                {"highway": ["residential"]},
                geometry=[shapely.LineString([(-15, 37), (15, 37)])],
                crs=27700,
            ),
        ],
        ignore_index=True,
    )
    _, crossings = barriers_from_streets(bridged)
    assert len(crossings) == 1
    assert crossings.geometry.iloc[0].distance(shapely.Point(0, 37)) < 1e-6
    res2 = cluster_buildings(b, streets=bridged, params=params)
    assert res2.labels.nunique() == 1


def test_cluster_stats_tenure_density_and_screening() -> None:
    b = _estates()
    res = cluster_buildings(b, params=ClusterParams(eps_m=45.0))
    c = res.clusters.iloc[0]
    assert c["n_dwellings"] == 120
    assert c["social_dwellings"] == 60
    assert c["private_dwellings"] == 60
    assert c["heat_demand_mwh_per_a"] == pytest.approx(1440.0)
    # outline: hull of both estates (x -86.5..86.5, y -4..129) buffered 5 m
    hull_area = 173.0 * 133.0 + 2 * 5 * (173.0 + 133.0) + np.pi * 25
    assert c["area_ha"] == pytest.approx(hull_area / 1e4, rel=1e-3)
    assert c["dwellings_per_ha"] == pytest.approx(120 / (hull_area / 1e4), rel=1e-3)
    assert c["density_class"] == "medium"
    assert c["connected_dwellings"] == 66  # 60 social + 10 % of 60 private
    assert isinstance(c["reason"], str)


def test_bad_tenure_and_inputs() -> None:
    b = _estates()
    bad = b.copy()
    bad.loc[bad.index[0], "tenure"] = "council"
    with pytest.raises(InputError, match="council"):
        cluster_buildings(bad)
    layer = pd.Series("social", index=b.index[:-3])
    with pytest.raises(InputError, match="no row for 3"):
        cluster_buildings(b, tenure=layer)
    with pytest.raises(CRSError):
        cluster_buildings(b.to_crs(4326))
    with pytest.raises(SchemaError):
        cluster_buildings(b.drop(columns=["use"]))
    with pytest.raises(InputError, match="use"):
        cluster_buildings(b.assign(use="house"))


def test_non_domestic_heat_clusters_around_anchors() -> None:
    geoms = [shapely.box(0, 0, 30, 30), shapely.box(70, 0, 100, 30), shapely.box(1000, 0, 1030, 30)]
    b = gpd.GeoDataFrame(
        {
            "use": ["non_domestic"] * 3,
            "is_anchor": [True, False, False],
            "heat_demand_mwh_per_a": [900.0, 100.0, 50.0],
        },
        geometry=geoms,
        crs=27700,
        index=pd.Index(["a", "b", "c"], name="building_id"),
    )
    res = cluster_buildings(b)
    assert res.labels["a"] == res.labels["b"] != ""
    assert res.labels["c"] == ""  # no anchor nearby
    h = res.clusters.loc[res.labels["a"]]
    assert h["kind"] == "non_domestic"
    assert h["heat_demand_mwh_per_a"] == 1000.0


def test_internal_network_length_shared_feeds() -> None:
    # two terraces of 5 houses (7 m wide, touching) set back 10 m from one street, 100 m apart
    houses = []
    for x0 in (0.0, 100.0):
        for i in range(5):
            x = x0 + i * 7.0
            houses.append(shapely.box(x, 10, x + 7, 18))
    b = gpd.GeoDataFrame({"use": ["domestic"] * 10}, geometry=houses, crs=27700)
    street = gpd.GeoDataFrame(
        {"highway": ["residential"]},
        geometry=[shapely.LineString([(-50, 0), (200, 0)])],
        crs=27700,
    )
    net = internal_network_length_m(b, street)
    assert net.n_groups == 2  # one shared feed per terrace
    assert net.feed_m == pytest.approx(20.0)  # 10 m each
    assert net.frontage_m == pytest.approx(2 * 4 * 7.0)  # centroid to centroid along each terrace
    # street tree joins the two feed points: nearest points of each terrace to the street
    assert net.street_m == pytest.approx(100.0, abs=35.0)
    assert net.total_m == pytest.approx(net.street_m + net.feed_m + net.frontage_m)
    assert net.m_per_dwelling == pytest.approx(net.total_m / 10)
    labels = pd.Series("D001", index=b.index)
    table = internal_network_lengths(b, labels, street, progress=False)
    assert table.loc["D001", "internal_network_length_m"] == pytest.approx(net.total_m)


def test_random_houses_never_straddle_diagonal_railway() -> None:
    rng = np.random.default_rng(3)
    xy = rng.uniform(0, 400, size=(600, 2))
    b = gpd.GeoDataFrame(
        {"use": "domestic"},
        geometry=shapely.buffer(shapely.points(xy), 3.0, quad_segs=2),
        crs=27700,
        index=pd.Index([f"h{i}" for i in range(len(xy))], name="building_id"),
    )
    rail_line = shapely.LineString([(-10, 30), (410, 380)])
    rail = gpd.GeoDataFrame(geometry=[rail_line], crs=27700)
    res = cluster_buildings(b, barriers=rail, params=ClusterParams(eps_m=25.0, min_samples=3))
    # side of the line for each centroid (sign of the cross product)
    (x0, y0), (x1, y1) = rail_line.coords
    side = np.sign((x1 - x0) * (xy[:, 1] - y0) - (y1 - y0) * (xy[:, 0] - x0))
    lab = res.labels.to_numpy()
    clustered = lab != ""
    assert clustered.sum() > 300
    per_cluster = pd.Series(side[clustered]).groupby(lab[clustered]).nunique()
    assert (per_cluster == 1).all()
    unbarred = cluster_buildings(b, params=ClusterParams(eps_m=25.0, min_samples=3))
    lab2 = unbarred.labels.to_numpy()
    sides2 = pd.Series(side[lab2 != ""]).groupby(lab2[lab2 != ""]).nunique()
    assert (sides2 > 1).any()  # without the railway some clusters do span both sides


def test_dwellings_from_flats_and_column() -> None:
    geoms = [shapely.box(0, 0, 20, 20), shapely.box(25, 0, 45, 20)]
    b = gpd.GeoDataFrame(
        {
            "use": ["domestic", "domestic"],
            "building_tag": ["apartments", "house"],
            "gross_floor_area_m2": [1400.0, 120.0],
        },
        geometry=geoms,
        crs=27700,
        index=pd.Index(["flats", "house"], name="building_id"),
    )
    res = cluster_buildings(b, params=ClusterParams(min_samples=2))
    assert res.dwellings["flats"] == 20.0  # 1,400 m2 / 70 m2 per flat
    assert res.dwellings["house"] == 1.0
    assert res.clusters["n_dwellings"].iloc[0] == 21
    given = cluster_buildings(b.assign(n_dwellings=[12, 1]), params=ClusterParams(min_samples=2))
    assert given.clusters["n_dwellings"].iloc[0] == 13
    with pytest.raises(InputError, match="n_dwellings"):
        cluster_buildings(b.assign(n_dwellings=[-1, 1]))


def test_large_clusters_split() -> None:
    b = _estates()
    res = cluster_buildings(b, params=ClusterParams(eps_m=45.0, max_cluster_dwellings=50))
    sizes = res.clusters["n_dwellings"]
    assert sizes.sum() == 120
    assert (sizes <= 50).all()
    assert (sizes >= 25).all()  # recursive halving keeps the parts balanced (4 x 30 here)
