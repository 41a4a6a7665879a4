"""Synthetic regions are real ``.osm.pbf`` extracts; a bbox cut keeps whole ways."""

from __future__ import annotations

from pathlib import Path

import pytest

from heatmap.errors import InputError
from heatmap.ingest.osm import read_osm
from heatmap.ingest.pbf import pbf_bbox
from heatmap.region import extract_bbox
from heatmap.region.synthetic import plan_settlements, write_synthetic_region


@pytest.fixture(scope="module")
def village(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    path = tmp_path_factory.mktemp("synthetic") / "village.osm.pbf"
    return path, write_synthetic_region(path, 150, seed=4)


def test_a_synthetic_region_reads_back_with_every_building(village: tuple[Path, dict]) -> None:
    path, counts = village
    area = read_osm(path)
    assert len(area.buildings) == counts["n_buildings"]
    assert abs(counts["n_buildings"] - 150) <= 75  # about the 150 asked for (whole blocks)
    # the header's box is the one written, and every building lies inside it
    w, s, e, n = pbf_bbox(path)
    assert (w, s, e, n) == pytest.approx(
        (counts["west"], counts["south"], counts["east"], counts["north"]), abs=1e-6
    )
    bounds = area.buildings.to_crs(4326).total_bounds
    assert w <= bounds[0] and s <= bounds[1] and bounds[2] <= e and bounds[3] <= n
    # streets share their junctions: the grid is one connected network per settlement
    assert area.streets["highway"].isin(["residential", "tertiary", "unclassified"]).all()


def test_the_same_seed_writes_the_same_file(tmp_path: Path, village: tuple[Path, dict]) -> None:
    again = tmp_path / "again.osm.pbf"
    write_synthetic_region(again, 150, seed=4)
    assert again.read_bytes() == village[0].read_bytes()


def test_settlements_hold_about_the_buildings_asked_for() -> None:
    towns = [s for s in plan_settlements(100_000, seed=2) if s.town]
    assert 1 <= len(towns) <= 3  # 60,000 buildings in towns of 20,000 to 60,000
    with pytest.raises(InputError, match="at least 50"):
        plan_settlements(10)


def test_a_bbox_cut_keeps_every_way_with_a_node_inside_whole(
    tmp_path: Path, village: tuple[Path, dict]
) -> None:
    path, _ = village
    whole = read_osm(path)
    w, s, e, n = pbf_bbox(path)
    # the western half of the region
    cut = tmp_path / "west.osm.pbf"
    counts = extract_bbox(path, (w, s, (w + e) / 2, n), cut)
    part = read_osm(cut)
    assert counts["ways"] > 0
    assert 0 < len(part.buildings) < len(whole.buildings)
    # each building in the cut is the same polygon as in the whole file
    same = whole.buildings.loc[part.buildings.index]
    assert same.geometry.geom_equals_exact(part.buildings.geometry, tolerance=1e-6).all()
    # and every building with a corner in the western half is there
    lon = whole.buildings.to_crs(4326).geometry.bounds["minx"]
    assert set(whole.buildings.index[lon <= (w + e) / 2]) <= set(part.buildings.index)


def test_an_unreadable_file_is_refused_with_its_name(tmp_path: Path) -> None:
    bad = tmp_path / "bad.osm.pbf"
    bad.write_bytes(b"\x00\x00\x00\x0dnot a pbf file at all")
    with pytest.raises(InputError, match=r"bad\.osm\.pbf"):
        extract_bbox(bad, (0.0, 0.0, 1.0, 1.0), tmp_path / "out.osm.pbf")
