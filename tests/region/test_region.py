"""Region runs in tiles on dask give the same answers as one process, on any scheduler."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from heatmap.cli.main import cli
from heatmap.pipeline.area import estimate_area_demand, load_area
from heatmap.pipeline.scenario import AreaParams, Scenario
from heatmap.region import owned, run_region, tile_grid

pytest.importorskip("distributed")


def test_every_point_is_owned_by_exactly_one_tile() -> None:
    tiles = tile_grid((0.0, 0.0, 2500.0, 1700.0), tile_km=1.0, halo_m=150.0)
    assert len(tiles) == 6
    rng = np.random.default_rng(7)
    # points inside, on tile edges and beyond the region's edge
    xy = np.vstack(
        [
            rng.uniform(-500, 3000, size=(500, 2)),
            [[1000.0, 500.0], [2000.0, 1000.0], [0.0, 0.0], [3000.0, -10.0]],
        ]
    )
    counts = np.sum([owned(t, xy) for t in tiles], axis=0)
    assert (counts == 1).all()
    # a point in a halo is read by its neighbour but owned once
    in_halo = np.array([[1050.0, 500.0]])
    assert [bool(owned(t, in_halo)[0]) for t in tiles[:2]] == [False, True]
    x0, _, x1, _ = tiles[0].read_bounds_m
    assert x0 <= 1050.0 <= x1 + 150.0


def _single(osm: Path) -> pd.Series:
    scenario = Scenario(area=AreaParams(osm_path=str(osm)))
    b = estimate_area_demand(load_area(scenario.area), scenario)
    return b["heat_demand_mwh_per_a"].sort_index()


@pytest.mark.slow
@pytest.mark.shared_data
def test_city_in_four_tiles_equals_the_single_process_run(london_pbf: Path) -> None:
    tiled = run_region(london_pbf, tile_km=0.8, synchronous=True, progress=False)
    assert tiled.summary["n_tiles"] == 4
    single = _single(london_pbf)
    got = tiled.buildings["heat_demand_mwh_per_a"].sort_index()
    assert list(got.index) == list(single.index)  # the same buildings, each once
    assert got.sum() == pytest.approx(single.sum(), rel=1e-3)
    np.testing.assert_allclose(got.to_numpy(), single.to_numpy(), rtol=1e-9)
    assert tiled.buildings["tile_id"].nunique() == 4


@pytest.mark.slow
@pytest.mark.shared_data
def test_local_cluster_remote_scheduler_and_synchronous_agree(bristol_pbf: Path) -> None:
    from distributed import LocalCluster

    args = {"tile_km": 0.1, "halo_m": 100.0, "progress": False}
    here = run_region(bristol_pbf, synchronous=True, **args)
    assert here.summary["n_tiles"] > 2
    local = run_region(bristol_pbf, workers=2, **args)
    with LocalCluster(
        n_workers=1, threads_per_worker=1, host="127.0.0.1", dashboard_address=None
    ) as cluster:
        assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
        remote = run_region(bristol_pbf, scheduler=cluster.scheduler_address, **args)
    for other in (local, remote):
        pd.testing.assert_frame_equal(
            other.buildings.drop(columns="geometry"), here.buildings.drop(columns="geometry")
        )
        np.testing.assert_array_equal(
            other.density.density_mwh_per_ha_a, here.density.density_mwh_per_ha_a
        )
    assert remote.summary["scheduler"].startswith("tcp://127.0.0.1:")


@pytest.mark.shared_data
def test_region_command_writes_its_layers(bristol_pbf: Path, tmp_path: Path) -> None:
    rasterio = pytest.importorskip("rasterio")
    out = tmp_path / "region"
    args = ["region", "--osm", str(bristol_pbf), "--tile-km", "0.1", "--synchronous"]
    res = CliRunner().invoke(cli, [*args, "--out", str(out), "--no-progress"])
    assert res.exit_code == 0, res.output
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["n_buildings"] == len(_single(bristol_pbf))
    for name in ("buildings.parquet", "region.gpkg", "heat_density.tif", "map.html"):
        assert (out / name).is_file(), name
    with rasterio.open(out / "heat_density.tif") as src:
        assert src.tags(ns="IMAGE_STRUCTURE").get("LAYOUT") == "COG"
    again = CliRunner().invoke(cli, [*args, "--out", str(out), "--no-progress"])
    assert again.exit_code == 2
    assert "--overwrite" in again.output
