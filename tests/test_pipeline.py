"""End-to-end: ``heatmap run`` writes every output of DESIGN §6, and they agree with each other.

The default run (bundled City of London extract, offline) happens once per session
(:func:`_pipeline_helpers.full_run_dir`). Every consistency check reads numbers back from the
written files (GeoPackage layers, CSVs, raster) and compares them with ``summary.json``, so a
summary that is computed from something other than what was written fails here.
"""

from __future__ import annotations

import json
import math
import re
import zipfile
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
from _pipeline_helpers import full_run_dir, invoke
from pyproj import CRS

import heatmap
from heatmap import pipeline, schema
from heatmap.errors import InputError
from heatmap.outputs.shapefile import SHAPEFILE_FIELDS
from heatmap.pipeline.scenario import AreaParams

SUMMARY_KEYS = (
    "n_buildings",
    "total_heat_demand_mwh_per_a",
    "connected_heat_demand_mwh_per_a",
    "n_connections",
    "spine_length_m",
    "service_length_m",
    "route_lhd_mwh_per_m_a",
    "peak_demand_kw",
    "network_losses_pct",
    "capex_gbp",
    "hp_capacity_kw",
    "store_volume_m3",
    "boiler_capacity_kw",
    "low_carbon_share_pct",
    "npv_gbp",
    "irr_pct",
    "social_irr_pct",
    "lcoh_gbp_per_mwh",
    "co2_savings_t_per_a",
    "carbon_intensity_g_per_kwh",
    "ghnf_eligible",
    "scenario",
    "inputs",
    "crs",
    "version",
)
"""``summary.json`` keys listed in DESIGN §6."""

GPKG_LAYERS = ("buildings", "clusters", "opportunity_areas", "route", "pipes", "terminals")
SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")
FIGURES = ("load_duration.png", "energy_balance.png", "cashflow.png", "sensitivity.png")
REL = 1e-9  # numbers recomputed from float64 files
REL_CSV = 1e-5  # dispatch.csv is written with 6 significant figures


@pytest.fixture(scope="session")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return full_run_dir(tmp_path_factory)


@pytest.fixture(scope="module")
def summary(run_dir: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((run_dir / "summary.json").read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def layers(run_dir: Path) -> dict[str, gpd.GeoDataFrame]:
    gpkg = run_dir / "results.gpkg"
    return {name: gpd.read_file(gpkg, layer=name) for name in GPKG_LAYERS}


@pytest.fixture(scope="module")
def hourly(run_dir: Path) -> pd.DataFrame:
    return pd.read_csv(run_dir / "dispatch.csv")


# --- every file of DESIGN §6 -------------------------------------------------------------------
@pytest.mark.slow
def test_run_writes_every_design_output(run_dir: Path) -> None:
    for name in (
        "map.html",
        "results.gpkg",
        "route_shapefile.zip",
        "route.geojson",
        "heat_density.tif",
        "summary.json",
        "cashflow.csv",
        "tem.xlsx",
        "dispatch.csv",
    ):
        path = run_dir / name
        assert path.is_file(), name
        assert path.stat().st_size > 0, name
    for name in FIGURES:
        png = run_dir / "figures" / name
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", name
    # nothing half-written or staged is left beside or inside the folder
    leftovers = [p.name for p in run_dir.parent.iterdir() if p.name.startswith(".")]
    leftovers += [p.name for p in run_dir.rglob(".*")]
    assert leftovers == []


@pytest.mark.slow
def test_results_gpkg_layers_share_the_run_crs(run_dir: Path, summary: dict[str, Any]) -> None:
    names = [str(n) for n, _ in pyogrio.list_layers(run_dir / "results.gpkg")]
    assert set(GPKG_LAYERS) <= set(names)
    crs = CRS.from_user_input(summary["crs"])
    assert crs.is_projected
    for name in GPKG_LAYERS:
        info = pyogrio.read_info(run_dir / "results.gpkg", layer=name)
        assert CRS.from_user_input(info["crs"]) == crs, name
    # the bundled example is the City of London and Bankside: British National Grid
    assert crs.to_epsg() == 27700


@pytest.mark.slow
def test_map_html_is_a_self_contained_leaflet_map(run_dir: Path) -> None:
    html = (run_dir / "map.html").read_text(encoding="utf-8")
    assert "L.map(" in html
    assert "L.control.layers" in html
    # the results panel links to the run's own files, each of them there
    links = re.findall(r'<a href="([^"]+)" download>', html)
    assert {"results.gpkg", "route_shapefile.zip", "tem.xlsx"} <= set(links)
    for name in links:
        assert (run_dir / name).is_file(), name
    # the energy centre's popup lists the sites compared, the chosen one among them
    assert "Sites compared" in html
    assert "(chosen)" in html


@pytest.mark.slow
def test_tem_workbook_opens(run_dir: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.load_workbook(run_dir / "tem.xlsx", read_only=True)
    assert len(wb.sheetnames) >= 2


@pytest.mark.slow
def test_summary_has_every_design_key(summary: dict[str, Any]) -> None:
    missing = [k for k in SUMMARY_KEYS if k not in summary]
    assert missing == []
    for key in SUMMARY_KEYS:
        value = summary[key]
        if key in ("scenario", "inputs", "crs", "version"):
            assert isinstance(value, str)
            assert value
        elif key == "ghnf_eligible":
            assert isinstance(value, bool)
        else:
            assert isinstance(value, int | float), key
            assert math.isfinite(value), key
    assert summary["scenario"] == "city-of-london-example"
    assert Path(summary["inputs"]).name == "london_city_bankside_valhalla_2020.osm.pbf"
    assert summary["version"] == heatmap.__version__


# --- summary.json against the written layers ------------------------------------------------------
@pytest.mark.slow
def test_spine_and_service_length_are_sums_of_route_segments(
    summary: dict[str, Any], layers: dict[str, gpd.GeoDataFrame]
) -> None:
    for name in ("route", "pipes"):
        seg = layers[name]
        street = seg[schema.KIND] == schema.EdgeKind.STREET.value
        assert street.any()
        assert (~street).any()
        assert seg.loc[street, schema.LENGTH_M].sum() == pytest.approx(
            summary["spine_length_m"], rel=REL
        )
        assert seg.loc[~street, schema.LENGTH_M].sum() == pytest.approx(
            summary["service_length_m"], rel=REL
        )
        # the length column is the drawn geometry's length (trench follows the street line)
        np.testing.assert_allclose(seg.geometry.length, seg[schema.LENGTH_M], rtol=1e-6, atol=0.01)


@pytest.mark.slow
def test_route_lhd_is_connected_heat_over_spine_length(summary: dict[str, Any]) -> None:
    expected = summary["connected_heat_demand_mwh_per_a"] / summary["spine_length_m"]
    assert summary["route_lhd_mwh_per_m_a"] == pytest.approx(expected, rel=REL)


@pytest.mark.slow
def test_connected_heat_is_the_terminal_loads(
    summary: dict[str, Any], layers: dict[str, gpd.GeoDataFrame]
) -> None:
    terminals = layers["terminals"]
    loads = terminals[terminals["role"] == "load"]
    assert (terminals["role"] == "plant").sum() == 1
    assert len(loads) == summary["n_connected_buildings"]
    assert loads[schema.HEAT_DEMAND_MWH_PER_A].sum() == pytest.approx(
        summary["connected_heat_demand_mwh_per_a"], rel=REL
    )
    # every load is a building of the buildings layer with the same demand
    buildings = layers["buildings"].set_index(schema.BUILDING_ID)
    ids = loads["terminal_id"].astype(str)
    assert ids.isin(buildings.index).all()
    np.testing.assert_allclose(
        buildings.loc[ids, schema.HEAT_DEMAND_MWH_PER_A].to_numpy(),
        loads[schema.HEAT_DEMAND_MWH_PER_A].to_numpy(),
        rtol=REL,
    )
    # connections: the connected buildings' dwellings, at least one per building
    dwellings = buildings.loc[ids, "n_dwellings"].to_numpy()
    assert int(np.maximum(dwellings, 1).sum()) == summary["n_connections"]
    # the heat entering the network's first segments is the connected heat
    pipes = layers["pipes"]
    root = terminals.loc[terminals["role"] == "plant", "geometry"].iloc[0]
    first = pipes[pipes.geometry.distance(root) < 0.01]
    top = first[schema.SERVED_HEAT_MWH_PER_A].sum()
    assert top == pytest.approx(summary["connected_heat_demand_mwh_per_a"], rel=1e-6)


@pytest.mark.slow
def test_energy_centre_is_the_plant_terminal(
    summary: dict[str, Any], layers: dict[str, gpd.GeoDataFrame]
) -> None:
    terminals = layers["terminals"]
    plant = terminals.loc[terminals["role"] == "plant", "geometry"].iloc[0]
    assert [plant.x, plant.y] == pytest.approx(summary["energy_centre_xy_m"], abs=0.01)


@pytest.mark.slow
def test_building_counts_and_demand_match_layers(
    run_dir: Path, summary: dict[str, Any], layers: dict[str, gpd.GeoDataFrame]
) -> None:
    buildings = layers["buildings"]
    assert len(buildings) == summary["n_buildings"]
    assert buildings[schema.BUILDING_ID].is_unique
    assert buildings[schema.HEAT_DEMAND_MWH_PER_A].fillna(0).sum() == pytest.approx(
        summary["total_heat_demand_mwh_per_a"], rel=REL
    )
    assert len(layers["clusters"]) == summary["n_clusters"]
    assert len(layers["opportunity_areas"]) == summary["n_opportunity_areas"]
    anchors = pd.read_csv(run_dir / "anchor_loads.csv")
    assert len(anchors) == summary["n_anchor_loads"]
    assert summary["connected_heat_demand_mwh_per_a"] <= summary["total_heat_demand_mwh_per_a"]


@pytest.mark.slow
def test_capex_is_the_sum_of_the_capex_lines(run_dir: Path, summary: dict[str, Any]) -> None:
    lines = pd.read_csv(run_dir / "capex_lines.csv")
    assert lines["total_gbp"].sum() == pytest.approx(summary["capex_gbp"], rel=REL)
    # each line's total is its subtotal plus contingency
    np.testing.assert_allclose(
        lines["subtotal_gbp"] + lines["contingency_gbp"], lines["total_gbp"], rtol=1e-12
    )
    cashflow = pd.read_csv(run_dir / "cashflow.csv")
    assert cashflow["capex_gbp"].sum() == pytest.approx(summary["capex_gbp"], rel=REL)


@pytest.mark.slow
def test_network_losses_match_pipes_and_dispatch(
    summary: dict[str, Any], layers: dict[str, gpd.GeoDataFrame], hourly: pd.DataFrame
) -> None:
    loss = layers["pipes"][schema.HEAT_LOSS_MWH_PER_A].sum()
    assert loss == pytest.approx(summary["network_losses_mwh_per_a"], rel=REL)
    share = 100.0 * loss / (summary["connected_heat_demand_mwh_per_a"] + loss)
    assert summary["network_losses_pct"] == pytest.approx(share, rel=1e-6)
    assert hourly["losses_kw"].sum() / 1000.0 == pytest.approx(loss, rel=REL_CSV)


@pytest.mark.slow
def test_dispatch_csv_matches_summary(summary: dict[str, Any], hourly: pd.DataFrame) -> None:
    assert len(hourly) == 8760
    assert hourly["demand_kw"].sum() / 1000.0 == pytest.approx(
        summary["connected_heat_demand_mwh_per_a"], rel=REL_CSV
    )
    assert hourly["load_kw"].max() == pytest.approx(summary["peak_demand_kw"], rel=REL_CSV)
    assert hourly["hp_kw"].max() <= summary["hp_capacity_kw"] * (1 + REL_CSV)
    assert hourly["boiler_kw"].max() <= summary["boiler_capacity_kw"] * (1 + REL_CSV)
    load = hourly["load_kw"].sum()
    low_carbon = 100.0 * (load - hourly["boiler_kw"].sum() - hourly["unmet_kw"].sum()) / load
    assert summary["low_carbon_share_pct"] == pytest.approx(low_carbon, rel=1e-4)
    assert hourly["unmet_kw"].sum() / 1000.0 == pytest.approx(
        summary["unmet_heat_mwh_per_a"], abs=1e-3
    )
    # energy balance of every hour: supply meets the load
    supply = (
        hourly["hp_kw"]
        + hourly["store_discharge_kw"]
        - hourly["store_charge_kw"]
        + hourly["electric_boiler_kw"]
        + hourly["boiler_kw"]
        + hourly["unmet_kw"]
    )
    np.testing.assert_allclose(supply, hourly["load_kw"], rtol=1e-4, atol=0.5)


@pytest.mark.slow
def test_cashflow_matches_summary_economics(
    run_dir: Path, summary: dict[str, Any], hourly: pd.DataFrame
) -> None:
    cashflow = pd.read_csv(run_dir / "cashflow.csv")
    horizon = summary["economics_horizon_years"]
    assert len(cashflow) >= horizon
    head = cashflow.iloc[:horizon]
    npv = float((head["net_cashflow_gbp"] * head["discount_factor"]).sum())
    assert npv == pytest.approx(summary["npv_gbp"], rel=1e-9)
    assert cashflow["heat_sold_mwh"].iloc[0] == 0.0  # the construction year
    first = cashflow[cashflow["heat_sold_mwh"] > 0].iloc[0]
    assert first["heat_sold_mwh"] == pytest.approx(
        summary["connected_heat_demand_mwh_per_a"], rel=REL
    )
    assert first["electricity_mwh"] == pytest.approx(
        hourly["electricity_kw"].sum() / 1000.0, rel=REL_CSV
    )
    assert first["gas_mwh"] == pytest.approx(hourly["gas_kw"].sum() / 1000.0, rel=REL_CSV)
    year1_intensity = first["network_co2e_t"] / first["heat_sold_mwh"] * 1000.0
    assert summary["carbon_intensity_g_per_kwh"] == pytest.approx(year1_intensity, rel=1e-9)
    assert summary["co2_savings_t_per_a"] == pytest.approx(head["co2e_savings_t"].mean(), rel=1e-9)


@pytest.mark.slow
def test_heat_density_raster_holds_the_total_demand(run_dir: Path, summary: dict[str, Any]) -> None:
    rasterio = pytest.importorskip("rasterio")
    with rasterio.open(run_dir / "heat_density.tif") as src:
        values = src.read(1, masked=True)
        cell_ha = abs(src.res[0] * src.res[1]) / 1e4
        assert CRS.from_user_input(src.crs.to_wkt()) == CRS.from_user_input(summary["crs"])
    # MWh/ha/yr times cell area sums back to the buildings' annual demand
    assert float(values.sum()) * cell_ha == pytest.approx(
        summary["total_heat_demand_mwh_per_a"], rel=1e-3
    )


# --- route exports -------------------------------------------------------------------------------
@pytest.mark.slow
def test_route_shapefile_zip_reads_back_with_crs_and_fields(
    run_dir: Path, summary: dict[str, Any], layers: dict[str, gpd.GeoDataFrame]
) -> None:
    zpath = run_dir / "route_shapefile.zip"
    with zipfile.ZipFile(zpath) as zf:
        names = zf.namelist()
    for ext in SHAPEFILE_PARTS:
        assert f"route_shapefile{ext}" in names, ext
    shp = gpd.read_file(f"zip://{zpath}")
    assert shp.crs is not None
    assert CRS.from_user_input(shp.crs) == CRS.from_user_input(summary["crs"])
    pipes = layers["pipes"]
    assert len(shp) == len(pipes)
    for column in ("dn", "length_m", "lhd_mwh_per_m_a", "phase"):
        field = SHAPEFILE_FIELDS[column]
        assert len(field) <= 10
        assert field in shp.columns, field
    assert shp[SHAPEFILE_FIELDS["length_m"]].sum() == pytest.approx(
        summary["spine_length_m"] + summary["service_length_m"], rel=1e-6
    )
    shp_ids = shp.set_index(SHAPEFILE_FIELDS["segment_id"])
    by_id = pipes.set_index("segment_id").loc[shp_ids.index]
    np.testing.assert_array_equal(shp_ids[SHAPEFILE_FIELDS["dn"]], by_id["dn"])
    np.testing.assert_array_equal(shp_ids[SHAPEFILE_FIELDS["phase"]], by_id["phase"])
    np.testing.assert_allclose(
        shp_ids[SHAPEFILE_FIELDS["lhd_mwh_per_m_a"]], by_id["lhd_mwh_per_m_a"], rtol=1e-6
    )
    assert (shp[SHAPEFILE_FIELDS["dn"]] > 0).all()


@pytest.mark.slow
def test_route_geojson_is_wgs84_and_matches_pipes(
    run_dir: Path, summary: dict[str, Any], layers: dict[str, gpd.GeoDataFrame]
) -> None:
    gj = gpd.read_file(run_dir / "route.geojson")
    assert gj.crs is not None
    assert gj.crs.to_epsg() == 4326
    west, south, east, north = gj.total_bounds
    # the City of London and Bankside
    assert -0.13 < west < east < -0.08
    assert 51.50 < south < north < 51.53
    assert len(gj) == len(layers["pipes"])
    back = gj.to_crs(summary["crs"]).geometry.length.sum()
    assert back == pytest.approx(summary["spine_length_m"] + summary["service_length_m"], rel=1e-4)


# --- pipeline functions on small inputs ----------------------------------------------------------
def _buildings(demands: list[float]) -> gpd.GeoDataFrame:
    from shapely.geometry import box

    return gpd.GeoDataFrame(
        {schema.HEAT_DEMAND_MWH_PER_A: demands},
        geometry=[box(10 * i, 0, 10 * i + 5, 5) for i in range(len(demands))],
        index=pd.Index([f"b{i}" for i in range(len(demands))], name=schema.BUILDING_ID),
        crs="EPSG:27700",
    )


def test_select_loads_takes_anchors_largest_first() -> None:
    b = _buildings([100.0, 600.0, 50.0, 900.0, 500.0])
    loads = pipeline.select_loads(b, anchor_threshold_mwh_per_a=500.0)
    assert list(loads.index) == ["b3", "b1", "b4"]


def test_select_loads_falls_back_to_largest_when_few_anchors() -> None:
    b = _buildings([100.0, 600.0, 50.0, 0.0])
    loads = pipeline.select_loads(b, anchor_threshold_mwh_per_a=500.0, min_loads=2)
    assert list(loads.index) == ["b1", "b0"]


def test_select_loads_without_heated_buildings_raises() -> None:
    b = _buildings([0.0, float("nan")])
    with pytest.raises(InputError, match="no building in the area has a heat demand"):
        pipeline.select_loads(b, anchor_threshold_mwh_per_a=500.0)


def test_load_area_needs_buildings_and_streets_together(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="go together"):
        pipeline.load_area(AreaParams(buildings_path=str(tmp_path / "b.gpkg")))


# --- a real UK extract ---------------------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.shared_data
def test_run_on_london_extract(london_pbf: Path, tmp_path: Path) -> None:
    out = tmp_path / "london"
    result = invoke("run", "--osm", str(london_pbf), "--out", str(out), "--no-progress")
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["crs"] == "EPSG:27700"
    assert summary["scenario"] == "london_city_bankside_valhalla_2020"
    assert summary["n_buildings"] > 100
    assert summary["connected_heat_demand_mwh_per_a"] > 0
    assert summary["spine_length_m"] > 0
    assert summary["route_lhd_mwh_per_m_a"] == pytest.approx(
        summary["connected_heat_demand_mwh_per_a"] / summary["spine_length_m"], rel=1e-9
    )
    shp = gpd.read_file(f"zip://{out / 'route_shapefile.zip'}")
    assert shp.crs is not None
    assert shp.crs.to_epsg() == 27700
    gj = gpd.read_file(out / "route.geojson")
    west, south, east, north = gj.total_bounds
    assert -0.2 < west < east < 0.0
    assert 51.4 < south < north < 51.6
