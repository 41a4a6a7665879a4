"""The ``heatmap`` command line: help/version, init, overwrite safety, bad input, stage commands.

Bad input must give exit code 2, one ``Error:`` line naming the problem and no traceback (unless
``-v``), and must leave nothing behind in the output folder's parent (no output folder, no hidden
``.NAME.partial-*`` staging folder). The stage commands are chained on the bundled City of London
extract and their numbers compared with the full ``heatmap run`` of the session.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from _pipeline_helpers import assert_clean_error, describe, full_run_dir, invoke
from shapely.geometry import LineString, box, mapping

import heatmap
from heatmap import schema
from heatmap._io import MANIFEST_NAME
from heatmap.cli.main import _COMMANDS
from heatmap.pipeline.scenario import AreaParams, Scenario, load_scenario

STAGE_COMMANDS = ("demand", "density", "cluster", "route", "size", "cost", "dispatch", "econ")
_LOG_LINE = re.compile(r"^(DEBUG|INFO|WARNING|ERROR|CRITICAL) heatmap")


@pytest.fixture(scope="session")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return full_run_dir(tmp_path_factory)


@pytest.fixture(scope="module")
def summary(run_dir: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((run_dir / "summary.json").read_text(encoding="utf-8"))
    return data


def ok(*args: str) -> str:
    """Run a command that must succeed; return its stdout."""
    result = invoke(*args)
    assert result.exit_code == 0, describe(result)
    return result.stdout


def fingerprint(folder: Path) -> dict[str, tuple[int, str]]:
    """Every file under ``folder``: mtime (ns) and content hash."""
    return {
        str(p.relative_to(folder)): (
            p.stat().st_mtime_ns,
            hashlib.sha256(p.read_bytes()).hexdigest(),
        )
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


# --- tiny vector study area (EPSG:27700) ---------------------------------------------------------
_BOXES = [box(530000 + 30 * i, 180000, 530020 + 30 * i, 180020) for i in range(4)]
_STREET = LineString([(529990, 179990), (530130, 179990)])


def _geojson(path: Path, geoms: list[Any], props: dict[str, Any]) -> Path:
    features = [{"type": "Feature", "properties": props, "geometry": mapping(g)} for g in geoms]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


@pytest.fixture(scope="module")
def vectors(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Small buildings/streets files, good and bad, in one folder."""
    d = tmp_path_factory.mktemp("vectors")
    attrs = {"building": ["apartments"] * 4, "building:levels": [4] * 4}
    gpd.GeoDataFrame(attrs, geometry=_BOXES, crs=27700).to_file(d / "b.gpkg")
    gpd.GeoDataFrame({"highway": ["residential"]}, geometry=[_STREET], crs=27700).to_file(
        d / "s.gpkg"
    )
    # GeoJSON has no CRS member: readers assume lon/lat, but these are British National Grid
    _geojson(d / "b_nocrs.geojson", _BOXES, {"building": "apartments"})
    _geojson(d / "s_nocrs.geojson", [_STREET], {"highway": "residential"})
    (d / "s_empty.geojson").write_text('{"type": "FeatureCollection", "features": []}')
    gpd.GeoDataFrame({"building": ["apartments"] * 4}, geometry=_BOXES, crs=27700).to_file(
        d / "b_noprj.shp"
    )
    (d / "b_noprj.prj").unlink()
    return d


def _scenario_file(folder: Path, name: str, text: str) -> Path:
    path = folder / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _area(buildings: str, streets: str) -> str:
    return f'[area]\nbuildings_path = "{buildings}"\nstreets_path = "{streets}"\n'


# --- help and version ----------------------------------------------------------------------------
def test_version() -> None:
    out = ok("--version")
    assert heatmap.__version__ in out
    assert "heatmap" in out


def test_help_lists_every_command() -> None:
    out = ok("--help")
    for name in (*_COMMANDS, *STAGE_COMMANDS, "run", "init", "nearby", "steiner", "export"):
        assert re.search(rf"^\s+{re.escape(name)}\s", out, flags=re.MULTILINE), name


@pytest.mark.parametrize("name", sorted(_COMMANDS))
def test_each_command_has_help(name: str) -> None:
    out = ok(name, "--help")
    assert "Usage:" in out


# --- init ----------------------------------------------------------------------------------------
def test_init_writes_a_scenario_that_reads_back_to_defaults(tmp_path: Path) -> None:
    path = tmp_path / "area.toml"
    out = ok("init", str(path))
    assert str(path) in out
    # named after the file, every default, and an extract still to name
    expected = Scenario(name="area", area=AreaParams(osm_path=""))
    assert load_scenario(path) == expected
    assert path.read_text(encoding="utf-8").startswith("#")
    result = invoke("run", str(path), "--out", str(tmp_path / "out"))
    assert_clean_error(result, mentions="osm_path is empty")
    assert not (tmp_path / "out").exists()


def test_init_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "area.toml"
    path.write_text('name = "mine"\n', encoding="utf-8")
    assert_clean_error(invoke("init", str(path)), mentions="--overwrite")
    assert path.read_text(encoding="utf-8") == 'name = "mine"\n'
    ok("init", str(path), "--overwrite")
    assert load_scenario(path).name == "area"


# --- overwrite safety ----------------------------------------------------------------------------
@pytest.mark.slow
def test_second_run_refuses_then_overwrite_replaces(
    run_dir: Path, vectors: Path, tmp_path: Path
) -> None:
    parent = tmp_path / "outputs"
    out = parent / "results"
    shutil.copytree(run_dir, out)
    before = fingerprint(out)
    result = invoke("run", "--out", str(out), "--no-progress")
    assert_clean_error(result, mentions="--overwrite")
    assert fingerprint(out) == before
    assert [p.name for p in parent.iterdir()] == ["results"]
    # --overwrite replaces the folder as a whole with the new run's (tiny area: fast); the
    # scenario names its inputs relative to its own folder, not to the working directory
    rel = Path(os.path.relpath(vectors, tmp_path))
    assert not (Path.cwd() / rel / "b.gpkg").exists()
    scenario = _scenario_file(
        tmp_path, "tiny", _area((rel / "b.gpkg").as_posix(), (rel / "s.gpkg").as_posix())
    )
    ok("run", str(scenario), "--out", str(out), "--overwrite", "--no-progress")
    new = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert new["n_buildings"] == len(_BOXES)
    assert new["crs"] == "EPSG:27700"
    # exactly the new run's files: what only the old run wrote (its network) is gone
    after = fingerprint(out)
    listed = set(json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))["files"])
    assert set(after) - {MANIFEST_NAME} == listed
    assert "phases.csv" in before
    assert "phases.csv" not in after
    assert (out / "summary.json").stat().st_mtime_ns > max(m for m, _ in before.values())
    # no staging or backup folder left beside it
    assert [p.name for p in parent.iterdir()] == ["results"]
    assert not list(out.rglob(".*"))


# --- bad input -----------------------------------------------------------------------------------
def _check_no_output(parent: Path) -> None:
    assert [p.name for p in parent.iterdir()] == []


def _run_bad(parent: Path, *args: str, mentions: str, verbose: bool = False) -> str:
    parent.mkdir(exist_ok=True)
    out = parent / "out"
    cmd = ("-v",) if verbose else ()
    result = invoke(*cmd, "run", *args, "--out", str(out), "--no-progress")
    if verbose:
        assert result.exit_code == 2, describe(result)
        assert "Traceback" in result.stderr
        line = result.stderr.strip().splitlines()[-1]
    else:
        line = assert_clean_error(result, mentions=mentions)
        others = [x for x in result.stderr.splitlines() if x.strip() and x != line]
        assert all(_LOG_LINE.match(x) for x in others), others
    _check_no_output(parent)
    return line


def test_missing_osm_file(tmp_path: Path) -> None:
    line = _run_bad(
        tmp_path / "p", "--osm", str(tmp_path / "nope.osm.pbf"), mentions="nope.osm.pbf"
    )
    assert "does not exist" in line


def test_truncated_pbf(tmp_path: Path, helsinki_pbf: Path) -> None:
    bad = tmp_path / "cut.osm.pbf"
    data = helsinki_pbf.read_bytes()
    bad.write_bytes(data[: len(data) // 7])
    line = _run_bad(tmp_path / "p", "--osm", str(bad), mentions="cut.osm.pbf")
    assert "truncated" in line


def test_pbf_that_is_not_a_pbf(tmp_path: Path) -> None:
    bad = tmp_path / "text.osm.pbf"
    bad.write_text("this is not a protobuf file\n" * 10)
    _run_bad(tmp_path / "p", "--osm", str(bad), mentions="text.osm.pbf")


def test_geojson_without_crs_in_projected_coordinates(tmp_path: Path, vectors: Path) -> None:
    scenario = _scenario_file(
        tmp_path, "s", _area(str(vectors / "b_nocrs.geojson"), str(vectors / "s_nocrs.geojson"))
    )
    line = _run_bad(tmp_path / "p", str(scenario), mentions="b_nocrs.geojson")
    assert "--crs" in line


def test_geojson_without_crs_is_fixed_by_crs_option(tmp_path: Path, vectors: Path) -> None:
    """The fix the error names works (reading only: the ingest stage)."""
    from heatmap.ingest import osm as ingest

    area = ingest.read_vector(
        vectors / "b_nocrs.geojson", vectors / "s_nocrs.geojson", crs="EPSG:27700"
    )
    assert len(area.buildings) == len(_BOXES)
    assert area.crs.to_epsg() == 27700


def test_shapefile_without_prj(tmp_path: Path, vectors: Path) -> None:
    scenario = _scenario_file(
        tmp_path, "s", _area(str(vectors / "b_noprj.shp"), str(vectors / "s.gpkg"))
    )
    line = _run_bad(tmp_path / "p", str(scenario), mentions="b_noprj.shp")
    assert "no CRS" in line


def test_buildings_but_no_streets(tmp_path: Path, vectors: Path) -> None:
    scenario = _scenario_file(
        tmp_path, "s", _area(str(vectors / "b.gpkg"), str(vectors / "s_empty.geojson"))
    )
    line = _run_bad(tmp_path / "p", str(scenario), mentions="no streets")
    assert "b.gpkg" in line


def test_empty_bbox(tmp_path: Path, helsinki_pbf: Path) -> None:
    line = _run_bad(
        tmp_path / "p", "--osm", str(helsinki_pbf), "--bbox", "0,0,0.01,0.01", mentions="bbox"
    )
    assert "Helsinki.osm.pbf" in line


def test_scenario_key_with_wrong_type(tmp_path: Path) -> None:
    scenario = _scenario_file(tmp_path, "s", '[dispatch]\nstore_volume_m3 = "big"\n')
    line = _run_bad(tmp_path / "p", str(scenario), mentions="dispatch.store_volume_m3")
    assert "s.toml" in line


def test_scenario_unknown_key(tmp_path: Path) -> None:
    scenario = _scenario_file(tmp_path, "s", "[dispatch]\nstore_volum_m3 = 3.0\n")
    _run_bad(tmp_path / "p", str(scenario), mentions="dispatch.store_volum_m3")


def test_scenario_toml_syntax_error_names_the_file(tmp_path: Path) -> None:
    scenario = _scenario_file(tmp_path, "broken", "[dispatch\nstore_volume_m3 = 3\n")
    _run_bad(tmp_path / "p", str(scenario), mentions="broken.toml")


def test_missing_scenario_file(tmp_path: Path) -> None:
    _run_bad(tmp_path / "p", str(tmp_path / "nope.toml"), mentions="heatmap init")


def test_verbose_adds_the_traceback(tmp_path: Path) -> None:
    line = _run_bad(
        tmp_path / "p", "--osm", str(tmp_path / "nope.osm.pbf"), mentions="", verbose=True
    )
    assert line.startswith("Error:")


# --- the stage commands, chained ---------------------------------------------------------------
@pytest.fixture(scope="module")
def chain(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """demand -> density / cluster -> route -> size -> cost, each into its own folder."""
    root = tmp_path_factory.mktemp("chain")
    d = {k: root / k for k in ("demand", "density", "cluster", "route", "size", "cost")}
    # the bundled example (and its weather file), as the full run uses it
    ok("demand", "--out", str(d["demand"]))
    buildings = str(d["demand"] / "buildings.gpkg")
    ok("density", buildings, "--out", str(d["density"]))
    ok("cluster", buildings, "--out", str(d["cluster"]))
    ok("route", str(d["cluster"] / "clusters.gpkg"), "--out", str(d["route"]))
    ok("size", str(d["route"] / "route.gpkg"), "--out", str(d["size"]))
    ok(
        "cost",
        str(d["size"] / "pipes.gpkg"),
        "--hp-kw",
        "2500",
        "--boiler-kw",
        "5000",
        "--store-m3",
        "200",
        "--out",
        str(d["cost"]),
    )
    return d


def _layer(path: Path, layer: str) -> gpd.GeoDataFrame:
    return gpd.read_file(path, layer=layer)


@pytest.mark.slow
def test_stage_demand_matches_full_run(chain: dict[str, Path], summary: dict[str, Any]) -> None:
    d = chain["demand"]
    for name in ("buildings.gpkg", "demand_summary.csv", "anchor_loads.csv"):
        assert (d / name).is_file(), name
    b = _layer(d / "buildings.gpkg", "buildings")
    assert len(b) == summary["n_buildings"]
    assert b[schema.HEAT_DEMAND_MWH_PER_A].fillna(0).sum() == pytest.approx(
        summary["total_heat_demand_mwh_per_a"], rel=1e-9
    )
    assert len(pd.read_csv(d / "anchor_loads.csv")) == summary["n_anchor_loads"]
    assert len(_layer(d / "buildings.gpkg", "streets")) > 0


@pytest.mark.slow
def test_stage_density_matches_full_run(
    chain: dict[str, Path], run_dir: Path, summary: dict[str, Any]
) -> None:
    rasterio = pytest.importorskip("rasterio")
    d = chain["density"]
    with (
        rasterio.open(d / "heat_density.tif") as a,
        rasterio.open(run_dir / "heat_density.tif") as b,
    ):
        assert a.transform == b.transform
        assert a.crs == b.crs
        np.testing.assert_allclose(a.read(1), b.read(1), rtol=1e-12)
    assert (
        len(_layer(d / "opportunity_areas.gpkg", "opportunity_areas"))
        == summary["n_opportunity_areas"]
    )


@pytest.mark.slow
def test_stage_cluster_matches_full_run(
    chain: dict[str, Path], run_dir: Path, summary: dict[str, Any]
) -> None:
    d = chain["cluster"]
    assert (d / "clusters.csv").is_file()
    clusters = _layer(d / "clusters.gpkg", "clusters")
    assert len(clusters) == summary["n_clusters"]
    ours = _layer(d / "clusters.gpkg", "buildings").set_index(schema.BUILDING_ID)
    full = _layer(run_dir / "results.gpkg", "buildings").set_index(schema.BUILDING_ID)
    full = full.loc[ours.index]
    assert (ours[schema.CLUSTER_ID].fillna("") == full[schema.CLUSTER_ID].fillna("")).all()
    np.testing.assert_array_equal(ours["n_dwellings"], full["n_dwellings"])


@pytest.mark.slow
def test_stage_route_is_one_spine_over_the_area_and_reproducible(
    chain: dict[str, Path], tmp_path: Path
) -> None:
    # `heatmap route` routes every load of its input as one spine (the full run routes one
    # network per candidate zone instead), so it is checked against itself: the energy centre
    # carries all connected heat, the phase table adds up, and a second run gives the same tree
    d = chain["route"]
    phases = pd.read_csv(d / "phase_summary.csv")
    seg = _layer(d / "route.gpkg", "route")
    terminals = _layer(d / "route.gpkg", "terminals")
    plant = terminals.loc[terminals["role"] == "plant", "geometry"].iloc[0]
    street = seg[schema.KIND] == schema.EdgeKind.STREET.value
    root = seg[seg.geometry.distance(plant) < 0.01]
    assert root[schema.SERVED_HEAT_MWH_PER_A].sum() == pytest.approx(
        phases["heat_demand_mwh_per_a"].sum(), rel=1e-9
    )
    spine = seg.loc[street, schema.LENGTH_M].sum()
    assert spine == pytest.approx(phases["spine_length_m"].sum(), rel=1e-9)
    assert phases["lhd_mwh_per_m_a"].iloc[0] == pytest.approx(
        phases["heat_demand_mwh_per_a"].iloc[0] / phases["spine_length_m"].iloc[0], rel=1e-9
    )
    again = tmp_path / "again"
    ok("route", str(chain["cluster"] / "clusters.gpkg"), "--out", str(again))
    seg2 = _layer(again / "route.gpkg", "route")
    assert sorted(seg2[schema.LENGTH_M].round(6)) == sorted(seg[schema.LENGTH_M].round(6)), (
        "the route solver gave a different tree for the same inputs: its search was cut "
        "short by its safety time limit (see the log), so the tree depends on machine load"
    )


@pytest.mark.slow
def test_stage_size_and_cost_write_consistent_files(chain: dict[str, Path]) -> None:
    route = _layer(chain["route"] / "route.gpkg", "route")
    d = chain["size"]
    for name in ("pipes.gpkg", "dn_table.csv", "sizing.json"):
        assert (d / name).is_file(), name
    pipes = _layer(d / "pipes.gpkg", "pipes")
    assert len(pipes) == len(route)
    assert pipes[schema.LENGTH_M].sum() == pytest.approx(route[schema.LENGTH_M].sum(), rel=1e-9)
    assert (pipes["dn"] > 0).all()
    facts = json.loads((d / "sizing.json").read_text(encoding="utf-8"))
    assert facts["annual_heat_loss_mwh_per_a"] == pytest.approx(
        pipes[schema.HEAT_LOSS_MWH_PER_A].sum(), rel=1e-9
    )
    lines = pd.read_csv(chain["cost"] / "capex_lines.csv")
    assert (chain["cost"] / "capex_table50.csv").is_file()
    network = lines[lines["category"] == "network"]
    assert network["subtotal_gbp"].sum() == pytest.approx(pipes["capex_gbp"].sum(), rel=1e-9)


@pytest.mark.slow
def test_size_on_the_full_run_route_reproduces_its_pipes(
    run_dir: Path, summary: dict[str, Any], tmp_path: Path
) -> None:
    ok("size", str(run_dir / "results.gpkg"), "--out", str(tmp_path))
    full = _layer(run_dir / "results.gpkg", "pipes").set_index("segment_id")
    ours = _layer(tmp_path / "pipes.gpkg", "pipes").set_index("segment_id").loc[full.index]
    np.testing.assert_array_equal(ours["dn"], full["dn"])
    np.testing.assert_allclose(ours["capex_gbp"], full["capex_gbp"], rtol=1e-12)
    facts = json.loads((tmp_path / "sizing.json").read_text(encoding="utf-8"))
    assert facts["annual_heat_loss_mwh_per_a"] == pytest.approx(
        summary["network_losses_mwh_per_a"], rel=1e-9
    )
    assert facts["pump_head_kpa"] == pytest.approx(summary["pump_head_kpa"], rel=1e-9)
    assert facts["loss_share_pct"] == pytest.approx(summary["network_losses_pct"], rel=1e-9)


@pytest.mark.slow
def test_cost_on_the_full_run_pipes_reproduces_its_network_and_plant_lines(
    run_dir: Path, summary: dict[str, Any], tmp_path: Path
) -> None:
    ok(
        "cost",
        str(run_dir / "results.gpkg"),
        "--hp-kw",
        repr(summary["hp_capacity_kw"]),
        "--boiler-kw",
        repr(summary["boiler_capacity_kw"]),
        "--store-m3",
        repr(summary["store_volume_m3"]),
        "--out",
        str(tmp_path),
    )
    key = ["phase", "category", "key", "item"]
    full = pd.read_csv(run_dir / "capex_lines.csv").set_index(key)
    ours = pd.read_csv(tmp_path / "capex_lines.csv").set_index(key)
    # connections are not an input of `heatmap cost` (one per leaf is assumed), and the network
    # pumps are sized on the pipes' root peak rather than the dispatch peak: compare the rest
    same = [
        i for i in full.index if i[1] in ("network", "energy_centre") and i[2] != "network_pumps"
    ]
    assert len(same) > 10
    assert set(same) <= set(ours.index)
    np.testing.assert_allclose(ours.loc[same, "total_gbp"], full.loc[same, "total_gbp"], rtol=1e-9)


@pytest.mark.slow
def test_dispatch_command_on_the_full_run_demand(
    run_dir: Path, summary: dict[str, Any], tmp_path: Path
) -> None:
    losses_kw = summary["network_losses_mwh_per_a"] * 1000.0 / 8760.0
    ok(
        "dispatch",
        str(run_dir / "dispatch.csv"),
        "--column",
        "demand_kw",
        "--losses-kw",
        repr(losses_kw),
        "--out",
        str(tmp_path),
    )
    for name in ("dispatch.csv", "dispatch.json", "figures/load_duration.png"):
        assert (tmp_path / name).is_file(), name
    facts = json.loads((tmp_path / "dispatch.json").read_text(encoding="utf-8"))
    rel = 1e-5  # dispatch.csv holds 6 significant figures
    assert facts["peak_load_kw"] == pytest.approx(summary["peak_demand_kw"], rel=rel)
    assert facts["hp_capacity_kw"] == pytest.approx(summary["hp_capacity_kw"], rel=rel)
    assert facts["boiler_capacity_kw"] == pytest.approx(summary["boiler_capacity_kw"], rel=rel)
    assert facts["low_carbon_share_pct"] == pytest.approx(summary["low_carbon_share_pct"], rel=rel)
    assert facts["demand_mwh"] == pytest.approx(summary["connected_heat_demand_mwh_per_a"], rel=rel)


@pytest.mark.slow
def test_econ_command_on_the_full_run_tables(
    run_dir: Path, summary: dict[str, Any], tmp_path: Path
) -> None:
    hourly = pd.read_csv(run_dir / "dispatch.csv")
    cashflow = pd.read_csv(run_dir / "cashflow.csv")
    phases = tmp_path / "phases.csv"
    pd.DataFrame(
        {
            "phase": [1],
            "start_year": [int(cashflow["year"].iloc[0])],
            "heat_sold_mwh_per_a": [summary["connected_heat_demand_mwh_per_a"]],
            "electricity_mwh_per_a": [hourly["electricity_kw"].sum() / 1000.0],
            "gas_mwh_per_a": [hourly["gas_kw"].sum() / 1000.0],
            "heat_pump_heat_mwh_per_a": [hourly["hp_kw"].sum() / 1000.0],
            "heat_pump_kw": [summary["hp_capacity_kw"]],
            "pumping_electricity_mwh_per_a": [hourly["pumping_electricity_kw"].sum() / 1000.0],
        }
    ).to_csv(phases, index=False)
    terminals = _layer(run_dir / "results.gpkg", "terminals")
    loads = terminals[terminals["role"] == "load"]
    buildings = _layer(run_dir / "results.gpkg", "buildings").set_index(schema.BUILDING_ID)
    b = buildings.loc[loads["terminal_id"]]
    domestic = (b[schema.USE] == schema.BuildingUse.DOMESTIC.value).to_numpy()
    connections = tmp_path / "connections.csv"
    pd.DataFrame(
        {
            "name": loads["terminal_id"].to_numpy(),
            "phase": loads[schema.PHASE].to_numpy(),
            "counterfactual": np.where(domestic, "gas_boiler", "ashp"),
            schema.HEAT_DEMAND_MWH_PER_A: loads[schema.HEAT_DEMAND_MWH_PER_A].to_numpy(),
            "peak_kw": loads[schema.PEAK_LOAD_KW].to_numpy(),
            "dwellings": np.maximum(b["n_dwellings"].to_numpy(), domestic.astype(int)),
        }
    ).to_csv(connections, index=False)
    out = tmp_path / "econ"
    ok(
        "econ",
        str(run_dir / "capex_lines.csv"),
        "--phases",
        str(phases),
        "--connections",
        str(connections),
        "--out",
        str(out),
    )
    for name in ("tem.xlsx", "cashflow.csv", "economics.json"):
        assert (out / name).is_file(), name
    facts = json.loads((out / "economics.json").read_text(encoding="utf-8"))
    rel = 1e-6  # electricity and gas from dispatch.csv's 6 significant figures
    for key in (
        "npv_gbp",
        "irr_pct",
        "social_irr_pct",
        "lcoh_gbp_per_mwh",
        "carbon_intensity_g_per_kwh",
    ):
        assert facts[key] == pytest.approx(summary[key], rel=rel), key
    # the saving is a small difference of large emissions: 8,760 hourly values rounded to
    # 6 significant figures (at most 0.05 kW each at tens of MW) move it by under 0.5 t/a
    saving = facts["co2_savings_t_per_a"]
    assert saving == pytest.approx(summary["co2_savings_t_per_a"], abs=0.5)
    assert facts["ghnf_eligible"] == summary["ghnf_eligible"]


def test_stage_command_refuses_to_overwrite(tmp_path: Path, helsinki_pbf: Path) -> None:
    (tmp_path / "buildings.gpkg").write_text("mine")
    result = invoke("demand", "--osm", str(helsinki_pbf), "--out", str(tmp_path))
    assert_clean_error(result, mentions="--overwrite")
    assert (tmp_path / "buildings.gpkg").read_text() == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["buildings.gpkg"]


def test_stage_command_wrong_layer(tmp_path: Path, vectors: Path) -> None:
    result = invoke("size", str(vectors / "b.gpkg"), "--out", str(tmp_path / "o"))
    assert_clean_error(result, mentions="no layer 'route'")
    assert not (tmp_path / "o").exists()
