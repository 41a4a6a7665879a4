"""A planner's include / exclude choices are honoured by every stage and re-optimise the network."""

from __future__ import annotations

from pathlib import Path

import pytest
from shapely.geometry import LineString, box
from synthetic_towns import X0, Y0, town, write_area

from heatmap import pipeline
from heatmap.errors import InputError
from heatmap.pipeline.choices import EXCLUDED_BY_SCENARIO
from heatmap.pipeline.scenario import AreaParams, Scenario


def _area(folder: Path) -> tuple[Path, Path]:
    """One town and, 600 m east along an empty road, a small office on its own."""
    b, s = town(X0, Y0, name="town")
    s.append({"highway": "tertiary", "geometry": LineString([(X0 + 400, Y0), (X0 + 1400, Y0)])})
    b.append(
        {
            "building_id": "far/0",
            "building": "office",
            "building:levels": 2,
            "geometry": box(X0 + 1000, Y0 + 10, X0 + 1020, Y0 + 30),
        }
    )
    return write_area(folder, b, s)


def _run(folder: Path, **area: object) -> pipeline.Results:
    b, s = _area(folder)
    scenario = Scenario(
        name="choices", area=AreaParams(buildings_path=str(b), streets_path=str(s), **area)
    )
    return pipeline.run(scenario, progress=False)


def _connected(results: pipeline.Results) -> set[str]:
    assert results.network is not None
    return set(results.network.route.loads["terminal_id"].astype(str))


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> pipeline.Results:
    return _run(tmp_path_factory.mktemp("base"))


def test_a_far_building_is_left_out_unless_included(base: pipeline.Results, tmp_path: Path) -> None:
    assert "far/0" not in _connected(base)
    forced = _run(tmp_path, include_buildings=("far/0",))
    assert "far/0" in _connected(forced)
    assert _connected(base) <= _connected(forced)
    # the link to it adds its street run: about 600 m beyond the town's corner
    extra = forced.summary["spine_length_m"] - base.summary["spine_length_m"]
    assert 550.0 < extra < 700.0
    assert bool(forced.buildings.loc["far/0", "included_by_scenario"])


def test_an_excluded_building_has_no_demand_and_is_not_connected(
    base: pipeline.Results, tmp_path: Path
) -> None:
    assert "town/1-1" in _connected(base)
    out = _run(tmp_path, exclude_buildings=("town/1-1",))
    row = out.buildings.loc["town/1-1"]
    assert row["heat_demand_mwh_per_a"] == 0.0
    assert row["exclusion_reason"] == EXCLUDED_BY_SCENARIO
    assert "town/1-1" not in _connected(out)
    lost = float(base.buildings.loc["town/1-1", "heat_demand_mwh_per_a"])
    assert out.summary["total_heat_demand_mwh_per_a"] == pytest.approx(
        base.summary["total_heat_demand_mwh_per_a"] - lost
    )


def test_polygons_choose_buildings_too(base: pipeline.Results, tmp_path: Path) -> None:
    import geopandas as gpd

    poly = tmp_path / "far.geojson"
    gpd.GeoDataFrame(geometry=[box(X0 + 990, Y0, X0 + 1030, Y0 + 40)], crs=27700).to_crs(
        4326
    ).to_file(poly)
    forced = _run(tmp_path, include_polygon_path=str(poly))
    assert "far/0" in _connected(forced)


def test_unknown_ids_are_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"exclude_buildings: building 'way/999'"):
        _run(tmp_path, exclude_buildings=("way/999",))
    with pytest.raises(ValueError, match="both list"):
        AreaParams(include_buildings=("a",), exclude_buildings=("a",))


def test_input_files_are_checked_before_any_work(tmp_path: Path) -> None:
    from heatmap.pipeline.area import check_inputs

    layer = tmp_path / "b.geojson"
    layer.write_text("x" * 3_000_000, encoding="utf-8")
    with pytest.raises(InputError, match=r"buildings_path .*: 3 MB, more than \[area\] max_input"):
        check_inputs(AreaParams(buildings_path=str(layer), max_input_mb=1.0))
    with pytest.raises(InputError, match=r"weather_path .* does not exist"):
        check_inputs(AreaParams(weather_path=str(tmp_path / "none.epw")))
    check_inputs(AreaParams(buildings_path=str(layer)))
