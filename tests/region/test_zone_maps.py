"""A region run's overview map and its per-zone maps."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from heatmap.errors import InputError
from heatmap.region import Engine, RegionResults, run_region, save_region
from heatmap.region.synthetic import write_synthetic_region
from heatmap.region.zone_maps import _zone_buildings, resolve_zone_ids

pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> RegionResults:
    path = tmp_path_factory.mktemp("zone-maps") / "town.osm.pbf"
    write_synthetic_region(path, 600, seed=7, towns=1)
    return run_region(
        path, tile_km=1.0, halo_m=400.0, engine=Engine(synchronous=True, progress=False)
    )


def _panel_value(html: str, key: str) -> str:
    found = re.search(rf'data-key="{key}" data-value="([^"]*)"', html)
    assert found, key
    return found.group(1)


@pytest.mark.slow
def test_the_overview_shows_the_region_figures_zones_and_candidates(
    results: RegionResults, tmp_path: Path
) -> None:
    save_region(results, tmp_path / "out")
    html = (tmp_path / "out" / "map.html").read_text(encoding="utf-8")
    for key in ("n_buildings", "n_zones", "n_candidates"):
        assert _panel_value(html, key) == str(results.summary[key])
    assert "Candidate zones (streets)" in html
    # no building outlines on a region overview: only the anchor loads as points
    assert "Buildings by heat demand (per 100 m cell)" in html
    assert 'href="candidates.csv"' in html


@pytest.mark.slow
def test_a_zone_map_holds_every_building_of_the_zone(
    results: RegionResults, tmp_path: Path
) -> None:
    table = results.candidates
    assert len(table), "the synthetic town has a candidate network"
    network = str(table["network_id"].iloc[0])
    zone = str(table["zone_id"].iloc[0])
    assert resolve_zone_ids(results, [network, zone]) == [zone]
    zones = results.layers.zones
    row = zones.loc[zone] if zones.index.name == "zone_id" else zones.set_index("zone_id").loc[zone]
    assert len(_zone_buildings(results, zone)) == int(row["n_buildings"])
    written = save_region(results, tmp_path / "out", zone_maps=[network])
    assert Path("zone_maps") / f"{zone}.html" in written
    html = (tmp_path / "out" / "zone_maps" / f"{zone}.html").read_text(encoding="utf-8")
    assert f"zone {zone}" in html
    assert _panel_value(html, "npv_gbp") == repr(float(table["npv_gbp"].iloc[0]))


@pytest.mark.slow
def test_an_unknown_zone_is_refused_before_anything_is_written(
    results: RegionResults, tmp_path: Path
) -> None:
    with pytest.raises(InputError, match=r"--zone-map Z99: no such zone .* its zones are Z"):
        save_region(results, tmp_path / "out", zone_maps=["Z99"])
    assert not (tmp_path / "out").exists()
