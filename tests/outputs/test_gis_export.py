"""Exports read back with geopandas/pyogrio: CRS, field names, types, row counts; re-export."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
from click.testing import CliRunner
from pyproj import CRS
from shapely.geometry import LineString, Point, box

from heatmap import outputs as export
from heatmap.cli.main import cli
from heatmap.errors import OutputExistsError

UTM30 = "EPSG:32630"


def _route(crs: str = UTM30) -> gpd.GeoDataFrame:
    n = 4
    return gpd.GeoDataFrame(
        {
            "segment_id": np.arange(n, dtype="int64"),
            "u": [10, 11, 12, 13],
            "v": [11, 12, 13, 14],
            "length_m": [120.5, 80.0, 64.25, 30.0],
            "kind": ["street", "street", "street", "service"],
            "served_heat_mwh_per_a": [1500.0, 900.0, 400.0, 120.0],
            "served_peak_kw": [800.0, 500.0, 220.0, 70.0],
            "n_downstream": [6, 4, 2, 1],
            "lhd_mwh_per_m_a": [12.448, 11.25, 6.226, 4.0],
            "low_lhd": [False, False, False, True],
            "phase": [1, 1, 2, 2],
            "dn": [125, 100, 80, 32],
            "velocity_m_per_s": [1.2, 1.1, 0.9, 0.7],
            "pressure_drop_pa_per_m": [95.0, 110.0, 120.0, 150.0],
            "heat_loss_w_per_m": [25.1, 22.0, 19.5, 12.0],
            "heat_loss_mwh_per_a": [26.5, 15.4, 10.9, 3.2],
            "capex_gbp": [250_000.0, 140_000.0, 90_000.0, 20_000.0],
            "osm_tags": [{"highway": "residential"}, {}, {"name": "Rue <x>"}, None],
        },
        geometry=[
            LineString([(500_000 + 100 * i, 5_700_000), (500_100 + 100 * i, 5_700_010)])
            for i in range(n)
        ],
        crs=crs,
    )


def _buildings(crs: str = UTM30) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"name": ["Town Hall", "Pool"], "heat_demand_mwh_per_a": [600.0, 1200.0]},
        geometry=[
            box(500_000, 5_700_020, 500_030, 5_700_050),
            box(500_100, 5_700_020, 500_150, 5_700_060),
        ],
        crs=crs,
        index=pd.Index(["way/1", "way/2"], name="building_id"),
    )


def test_shapefile_zip_reads_back(tmp_path: Path) -> None:
    route = _route()
    path = export.write_route_shapefile_zip(route, tmp_path / "route_shapefile.zip")
    names = set(zipfile.ZipFile(path).namelist())
    assert {f"route_shapefile{e}" for e in (".shp", ".shx", ".dbf", ".prj", ".cpg")} <= names
    back = gpd.read_file(f"zip://{path}!route_shapefile.shp")
    assert len(back) == len(route)
    assert CRS(back.crs) == CRS(UTM30)
    for column, field in export.SHAPEFILE_FIELDS.items():
        assert len(field) <= 10
        if column in route.columns:
            assert field in back.columns, field
    assert back["dn"].dtype.kind == "i"
    assert back["low_lhd"].tolist() == [0, 0, 0, 1]
    assert pd.api.types.is_string_dtype(back["kind"])
    np.testing.assert_allclose(back["lhd_mwhma"], route["lhd_mwh_per_m_a"])
    np.testing.assert_allclose(back["capex_gbp"], route["capex_gbp"])
    np.testing.assert_allclose(back.length.to_numpy(), route.length.to_numpy(), rtol=1e-9)
    assert json.loads(back.loc[2, "osm_tags"]) == {"name": "Rue <x>"}
    with zipfile.ZipFile(path) as zf, zf.open("route_shapefile_fields.csv") as fh:
        fields = pd.read_csv(fh)
    assert (
        dict(zip(fields["column"], fields["field"], strict=True))["served_heat_mwh_per_a"]
        == "heat_mwha"
    )


def test_shapefile_refuses_to_overwrite(tmp_path: Path) -> None:
    path = export.write_route_shapefile_zip(_route(), tmp_path / "r.zip")
    with pytest.raises(OutputExistsError):
        export.write_route_shapefile_zip(_route(), path)
    export.write_route_shapefile_zip(_route(), path, overwrite=True)


def test_field_names_unique_and_short() -> None:
    names = export.shapefile_field_names(["a_very_long_column_1", "a_very_long_column_2", "dn"])
    assert names == {
        "a_very_long_column_1": "a_very_lon",
        "a_very_long_column_2": "a_very_lo1",
        "dn": "dn",
    }


def test_geopackage_round_trip(tmp_path: Path) -> None:
    route, buildings = _route(), _buildings()
    path = export.write_geopackage(
        {"buildings": buildings, "route": route}, tmp_path / "results.gpkg"
    )
    assert {name for name, _ in pyogrio.list_layers(path)} == {"buildings", "route"}
    back = export.read_results_gpkg(path)
    assert back["buildings"].index.name == "building_id"
    assert back["buildings"].index.tolist() == ["way/1", "way/2"]
    assert CRS(back["route"].crs) == CRS(UTM30)
    assert len(back["route"]) == len(route)
    r = back["route"]
    assert r.index.name == "segment_id"
    assert r["dn"].dtype.kind == "i"
    assert r["low_lhd"].dtype == bool
    np.testing.assert_allclose(r["served_heat_mwh_per_a"], route["served_heat_mwh_per_a"])
    assert set(route.columns) - {"segment_id"} <= set(r.columns)


def test_geojson_is_wgs84(tmp_path: Path) -> None:
    path = export.write_geojson_wgs84(_route(), tmp_path / "route.geojson")
    data = json.loads(path.read_text())
    lon, lat = data["features"][0]["geometry"]["coordinates"][0]
    # 500000 E, 5700000 N in UTM 30N is on the central meridian (3° W) at about 51.45° N
    assert lon == pytest.approx(-3.0, abs=1e-6)
    assert lat == pytest.approx(51.4512, abs=1e-3)
    back = gpd.read_file(path)
    assert CRS(back.crs) == CRS(4326)
    assert len(back) == 4


def test_json_converts_numpy_and_nan(tmp_path: Path) -> None:
    obj = {
        "npv_gbp": np.float64(1.5e6),
        "irr_pct": np.float64("nan"),
        "n_connections": np.int64(12),
        "ghnf_eligible": np.bool_(True),
        "series": np.array([1.0, np.inf]),
        "nested": {"x": float("nan")},
    }
    path = export.write_json(obj, tmp_path / "summary.json")
    assert json.loads(path.read_text()) == {
        "npv_gbp": 1.5e6,
        "irr_pct": None,
        "n_connections": 12,
        "ghnf_eligible": True,
        "series": [1.0, None],
        "nested": {"x": None},
    }


def test_csv_keeps_named_index_and_wkt(tmp_path: Path) -> None:
    path = export.write_csv(_buildings(), tmp_path / "b.csv")
    back = pd.read_csv(path)
    assert back.columns.tolist() == ["building_id", "name", "heat_demand_mwh_per_a", "geometry"]
    assert back["geometry"].str.startswith("POLYGON").all()


def _results_dir(tmp_path: Path) -> Path:
    d = tmp_path / "results"
    d.mkdir()
    export.write_geopackage(
        {
            "buildings": _buildings(),
            "route": _route(),
            "terminals": gpd.GeoDataFrame(
                {"building_id": ["way/1"]}, geometry=[Point(500_010, 5_700_020)], crs=UTM30
            ),
        },
        d / "results.gpkg",
    )
    return d


def test_reexport_to_british_national_grid(tmp_path: Path) -> None:
    src = _results_dir(tmp_path)
    out = tmp_path / "bng"
    written = export.reexport(src, out, crs=27700)
    assert {p.name for p in written} == {
        "results.gpkg",
        "route_shapefile.zip",
        "route.geojson",
        "route.csv",
    }
    layers = export.read_results_gpkg(out / "results.gpkg")
    assert set(layers) == {"buildings", "route", "terminals"}
    for gdf in layers.values():
        assert CRS(gdf.crs) == CRS(27700)
    # reprojection preserves lengths to within the scale-factor difference of the two grids
    np.testing.assert_allclose(layers["route"].length, _route().length, rtol=2e-3)
    shp = gpd.read_file(f"zip://{out / 'route_shapefile.zip'}!route_shapefile.shp")
    assert CRS(shp.crs) == CRS(27700)
    with pytest.raises(OutputExistsError):
        export.reexport(src, out, crs=27700)


def test_cli_export(tmp_path: Path) -> None:
    src = _results_dir(tmp_path)
    out = tmp_path / "bng"
    result = CliRunner().invoke(cli, ["export", str(src), "--crs", "27700", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "results.gpkg" in result.output
    bng = export.read_results_gpkg(out / "results.gpkg")["buildings"]
    assert CRS(bng.crs) == CRS(27700)
    x, y = bng.geometry.iloc[0].exterior.coords[0]
    assert 0 < x < 700_000 and 0 < y < 1_300_000  # inside the National Grid
    again = CliRunner().invoke(cli, ["export", str(src), "--crs", "27700", "--out", str(out)])
    assert again.exit_code == 2
    assert "overwrite" in again.output
    bad = CliRunner().invoke(
        cli, ["export", str(src), "--crs", "not-a-crs", "--out", str(tmp_path / "x")]
    )
    assert bad.exit_code == 2
    assert "--crs" in bad.output


def _pipes() -> gpd.GeoDataFrame:
    """A sized route carrying every documented route field (the run's route_shapefile.zip)."""
    route = _route().drop(columns="osm_tags")
    n = len(route)
    extra = {
        "highway": ["residential", "primary", "residential", "service"],
        "street_id": [7, 8, 8, 9],
        "name": ["Gresham Street", "Wood Street", "Wood Street", None],
        "cost_class": ["soft", "hard", "hard", "soft"],
        "dig_class": ["soft", "major_road", "road", "service"],
        "dig_premium": [0.0, 1.6, 1.0, 0.0],
        "n_crossings": [0, 1, 0, 0],
        "crossing_cost_gbp": [0.0, 61_920.0, 0.0, 0.0],
        "trench_cost_gbp": [45_000.0, 30_000.0, 25_000.0, 4_000.0],
        "diversity_factor": [0.7, 0.72, 0.81, 1.0],
        "design_flow_kg_per_s": [9.5, 6.0, 2.6, 0.8],
        "design_peak_kw": [800.0, 500.0, 220.0, 70.0],
        "pipe_id": ["S1-125", "S1-100", "S1-80", "PX-32"],
        "material": ["steel", "steel", "steel", "pex"],
        "inner_diameter_mm": [132.5, 107.1, 82.5, 26.0],
        "cum_pressure_drop_kpa": [11.4, 20.2, 27.9, 32.4],
        "on_index_path": [True, True, False, False],
    }
    out = route.assign(**extra)
    assert len(out) == n
    return out


def test_export_keeps_every_field_of_the_run_route(tmp_path: Path) -> None:
    pipes = _pipes()
    fields = [c for c in pipes.columns if c != "geometry"]
    assert set(fields) == set(export.SHAPEFILE_FIELDS)  # every documented route field
    src = tmp_path / "results"
    export.write_geopackage(
        {"route": _route()[["segment_id", "length_m", "geometry"]], "pipes": pipes},
        src / "results.gpkg",
    )
    out = tmp_path / "bng"
    export.reexport(src, out, crs=27700)
    with zipfile.ZipFile(out / "route_shapefile.zip") as zf:
        field_table = pd.read_csv(zf.open("route_shapefile_fields.csv"))
    assert field_table["column"].tolist() == fields
    shp = gpd.read_file(f"zip://{out / 'route_shapefile.zip'}!route_shapefile.shp")
    assert [c for c in shp.columns if c != "geometry"] == field_table["field"].tolist()
    assert shp["name"].tolist()[:3] == ["Gresham Street", "Wood Street", "Wood Street"]
    assert shp["dn"].tolist() == [125, 100, 80, 32]
    gpkg = export.read_results_gpkg(out / "results.gpkg")["pipes"].reset_index()
    assert set(fields) <= set(gpkg.columns)
    geojson = json.loads((out / "route.geojson").read_text())
    assert set(fields) <= set(geojson["features"][0]["properties"])
    assert geojson["features"][0]["properties"]["name"] == "Gresham Street"
    table = pd.read_csv(out / "route.csv")
    assert set(fields) <= set(table.columns)
    np.testing.assert_allclose(table["velocity_m_per_s"], pipes["velocity_m_per_s"])
    np.testing.assert_allclose(table["capex_gbp"], pipes["capex_gbp"])
    assert table["cost_class"].tolist() == ["soft", "hard", "hard", "soft"]


def test_geographic_crs_warns_and_names_british_national_grid(tmp_path: Path) -> None:
    src = _results_dir(tmp_path)
    result = CliRunner().invoke(
        cli, ["export", str(src), "--crs", "OSGB36", "--out", str(tmp_path / "osgb")]
    )
    assert result.exit_code == 0, result.output
    warning = [line for line in result.stderr.splitlines() if "WARNING" in line]
    assert len(warning) == 1, result.stderr
    assert "geographic" in warning[0] and "--crs 27700" in warning[0]
    projected = CliRunner().invoke(
        cli, ["export", str(src), "--crs", "27700", "--out", str(tmp_path / "bng")]
    )
    assert "WARNING" not in projected.stderr


@pytest.mark.slow
def test_export_of_a_run_keeps_every_field_of_its_route(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path
) -> None:
    from _pipeline_helpers import full_run_dir, invoke

    run = full_run_dir(tmp_path_factory)
    with zipfile.ZipFile(run / "route_shapefile.zip") as zf:
        own = pd.read_csv(zf.open("route_shapefile_fields.csv"))["column"].tolist()
    assert {
        "dn",
        "velocity_m_per_s",
        "heat_loss_w_per_m",
        "capex_gbp",
        "cost_class",
        "name",
    } <= set(own)
    out = tmp_path / "bng"
    result = invoke("export", str(run), "--crs", "27700", "--out", str(out))
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out / "route_shapefile.zip") as zf:
        exported = pd.read_csv(zf.open("route_shapefile_fields.csv"))["column"].tolist()
    assert exported == own
    pipes = export.read_results_gpkg(out / "results.gpkg")["pipes"].reset_index()
    assert set(own) <= set(pipes.columns)
    props = json.loads((out / "route.geojson").read_text())["features"][0]["properties"]
    assert set(own) <= set(props)
    table = pd.read_csv(out / "route.csv")
    assert set(own) <= set(table.columns)
    assert table["name"].notna().any()  # street names came through
