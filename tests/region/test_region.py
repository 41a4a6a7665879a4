"""Region runs in tiles give the same answers as one process, on any dask scheduler."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from heatmap.cli.main import cli
from heatmap.pipeline import runner
from heatmap.pipeline.scenario import AreaParams, Scenario
from heatmap.region import Engine, buildings_frame, run_region, segment_keys
from heatmap.region.synthetic import write_synthetic_region

pytest.importorskip("distributed")

ZONE_COLUMNS = [
    "rule",
    "passes",
    "heat_demand_mwh_per_a",
    "street_length_m",
    "lhd_mwh_per_m_a",
    "n_buildings",
    "n_anchors",
    "n_segments",
    "group_id",
]
SYNC = Engine(synchronous=True, progress=False)


@pytest.fixture(scope="module")
def town(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small town and a village (about 480 buildings), with a zone in the town centre."""
    path = tmp_path_factory.mktemp("region") / "town.osm.pbf"
    write_synthetic_region(path, 600, seed=7, towns=1)
    return path


def _single(osm: Path) -> runner._AreaStages:
    """The area stages of ``heatmap run --osm FILE``, in one process."""
    scenario = Scenario(name="single", area=AreaParams(osm_path=str(osm)))
    stages = runner._Stages(["ingest", "demand", "density", "cluster", "zones"], progress=False)
    try:
        return runner._area_stages(scenario, stages)
    finally:
        stages.close()


def _assert_same_as_single(osm: Path, tiled_results: object) -> None:
    single = _single(osm)
    layers = tiled_results.layers  # type: ignore[attr-defined]
    tiled = buildings_frame(layers).compute()
    # the same buildings, each once, with the same demand
    assert sorted(tiled.index) == sorted(single.buildings.index)
    got = tiled["heat_demand_mwh_per_a"].sort_index()
    want = single.buildings["heat_demand_mwh_per_a"].sort_index()
    assert got.sum() == pytest.approx(want.sum(), rel=1e-3)
    np.testing.assert_allclose(got.to_numpy(), want.to_numpy(), rtol=1e-9)
    # the same street heat atlas, segment by segment
    seg = single.atlas.segments
    seg = seg.set_index(pd.Index(segment_keys(seg.geometry.to_numpy()), name="segment_key"))
    mine = layers.street_lhd.set_index("segment_key")
    assert sorted(mine.index) == sorted(seg.index)
    np.testing.assert_allclose(
        mine.loc[seg.index, "lhd_mwh_per_m_a"].to_numpy(),
        seg["lhd_mwh_per_m_a"].to_numpy(),
        rtol=1e-9,
    )
    # the same candidate zones, with the same figures and numbering
    want_z = pd.DataFrame(single.zones.zones[ZONE_COLUMNS])
    got_z = pd.DataFrame(layers.zones[ZONE_COLUMNS])
    pd.testing.assert_frame_equal(got_z, want_z, check_dtype=False, rtol=1e-9)


def test_a_small_region_in_tiles_equals_the_single_process_run(town: Path) -> None:
    res = run_region(town, tile_km=1.5, halo_m=400.0, engine=SYNC, candidates=False)
    assert res.summary["n_tiles"] == 2
    assert res.summary["n_tiles_with_buildings"] == 2
    assert res.summary["n_zones"] >= 1
    _assert_same_as_single(town, res)


@pytest.mark.slow
@pytest.mark.shared_data
def test_city_in_four_tiles_equals_the_single_process_run(london_pbf: Path) -> None:
    res = run_region(london_pbf, tile_km=0.8, halo_m=500.0, engine=SYNC, candidates=False)
    assert res.summary["n_tiles"] == 4
    assert res.summary["n_buildings"] == 2154
    # the big central area reaches past every tile's halo: it is grown again when merged
    assert res.summary["n_zones_joined_across_tiles"] >= 1
    _assert_same_as_single(london_pbf, res)


def _figures(res: object) -> dict[str, pd.DataFrame]:
    layers = res.layers  # type: ignore[attr-defined]
    b = buildings_frame(layers).compute().sort_index()
    return {
        "buildings": pd.DataFrame(b.drop(columns="geometry")),
        "street_lhd": pd.DataFrame(layers.street_lhd.drop(columns="geometry")),
        "zones": pd.DataFrame(layers.zones.drop(columns="geometry")),
        "candidates": res.candidates.drop(columns="chosen"),  # type: ignore[attr-defined]
        "density": pd.DataFrame(layers.density.density_mwh_per_ha_a),
    }


@pytest.mark.slow
def test_a_local_cluster_and_the_synchronous_scheduler_give_identical_results(
    town: Path,
) -> None:
    args = {"tile_km": 1.0, "halo_m": 400.0}
    here = run_region(town, engine=SYNC, **args)
    there = run_region(town, engine=Engine(workers=2, progress=False), **args)
    assert there.summary["scheduler"] == "local cluster"
    assert len(here.candidates) >= 1
    # the workers' memory high-water marks, read from the worker processes in each stage
    by_stage = there.summary["peak_worker_memory_mb_by_stage"]
    assert list(by_stage) == ["blocks", "tiles", "merge", "candidates"]
    assert min(by_stage.values()) > 50
    assert there.summary["peak_worker_memory_mb"] == max(by_stage.values())
    for name, want in _figures(here).items():
        pd.testing.assert_frame_equal(_figures(there)[name], want, obj=name)


@pytest.mark.slow
def test_the_command_runs_on_an_existing_scheduler_and_writes_its_layers(
    town: Path, tmp_path: Path
) -> None:
    from distributed import LocalCluster

    rasterio = pytest.importorskip("rasterio")
    out = tmp_path / "region"
    with LocalCluster(
        n_workers=1, threads_per_worker=1, host="127.0.0.1", dashboard_address=None
    ) as cluster:
        address = cluster.scheduler_address
        assert address.startswith("tcp://127.0.0.1:")
        args = ["region", "--osm", str(town), "--tile-km", "1.5", "--halo-m", "400"]
        res = CliRunner().invoke(
            cli, [*args, "--scheduler", address, "--out", str(out), "--no-progress"]
        )
    assert res.exit_code == 0, res.output
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["scheduler"] == address
    single = _single(town)
    assert summary["n_buildings"] == len(single.buildings)
    assert summary["n_zones"] == len(single.zones.zones)
    for key in ("n_tiles", "total_heat_demand_mwh_per_a", "n_candidates", "timings_s"):
        assert key in summary
    with rasterio.open(out / "heat_density.tif") as src:
        assert src.tags(ns="IMAGE_STRUCTURE").get("LAYOUT") == "COG"
    buildings = gpd.read_parquet(out / "buildings.parquet")
    assert len(buildings) == summary["n_buildings"]
    zones = gpd.read_file(out / "region.gpkg", layer="zones")
    assert len(zones) == summary["n_zones"]
    assert (out / "map.html").is_file()


def test_the_command_refuses_to_overwrite_and_checks_its_options(
    town: Path, tmp_path: Path
) -> None:
    out = tmp_path / "region"
    out.mkdir()
    (out / "mine.txt").write_text("a user's file", encoding="utf-8")
    args = ["region", "--osm", str(town), "--synchronous", "--no-progress"]
    res = CliRunner().invoke(cli, [*args, "--out", str(out)])
    assert res.exit_code == 2
    assert "--overwrite" in res.output
    assert (out / "mine.txt").read_text(encoding="utf-8") == "a user's file"
    res = CliRunner().invoke(cli, [*args, "--workers", "2", "--out", str(tmp_path / "x")])
    assert res.exit_code == 2
    assert "--synchronous" in res.output


def test_the_command_needs_an_extract(tmp_path: Path) -> None:
    res = CliRunner().invoke(cli, ["region", "--synchronous", "--out", str(tmp_path / "r")])
    assert res.exit_code == 2
    assert "--osm FILE" in res.output
    assert not (tmp_path / "r").exists()


@pytest.mark.slow
def test_the_command_reads_the_extract_named_in_the_scenario(town: Path, tmp_path: Path) -> None:
    toml = tmp_path / "region.toml"
    toml.write_text(f'name = "town"\n\n[area]\nosm_path = "{town.as_posix()}"\n', encoding="utf-8")
    out = tmp_path / "r"
    args = ["region", str(toml), "--synchronous", "--no-candidates", "--no-progress"]
    res = CliRunner().invoke(cli, [*args, "--tile-km", "1.5", "--out", str(out)])
    assert res.exit_code == 0, res.output
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["scenario"] == "town"
    assert summary["n_buildings"] == len(_single(town).buildings)
