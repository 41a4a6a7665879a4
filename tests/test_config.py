"""The scenario file: template round trip, validation messages, relative paths."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from heatmap.errors import ConfigError, InputError, OutputExistsError
from heatmap.pipeline import scenario as config
from heatmap.pipeline.scenario import AreaParams, Scenario, load_scenario, scenario_from_mapping

STAGE_TABLES = (
    "area",
    "demand",
    "density",
    "cluster",
    "network",
    "route",
    "sizing",
    "costing",
    "dispatch",
    "economics",
)


def test_template_reads_back_to_defaults(tmp_path: Path) -> None:
    path = config.write_template(tmp_path / "scenario.toml")
    # every default, named after the file, with the extract still to name
    assert load_scenario(path) == Scenario(name="scenario", area=AreaParams(osm_path=""))
    text = path.read_text(encoding="utf-8")
    for table in STAGE_TABLES:
        assert f"[{table}]" in text, table
    assert sum(line.startswith("#") for line in text.splitlines()) > 20


def test_template_round_trips_changed_values(tmp_path: Path) -> None:
    changed = Scenario(
        name="other",
        dispatch=dataclasses.replace(Scenario().dispatch, store_volume_m3=50.0),
        area=AreaParams(bbox=(-1.6, 55.0, -1.5, 55.1), crs="EPSG:27700"),
    )
    path = tmp_path / "s.toml"
    path.write_text(config.template_text(changed), encoding="utf-8")
    assert load_scenario(path) == changed


def test_write_template_refuses_to_overwrite(tmp_path: Path) -> None:
    path = config.write_template(tmp_path / "scenario.toml")
    path.write_text('name = "mine"\n', encoding="utf-8")
    with pytest.raises(OutputExistsError, match="overwrite"):
        config.write_template(path)
    assert path.read_text(encoding="utf-8") == 'name = "mine"\n'
    config.write_template(path, overwrite=True)
    assert load_scenario(path).name == "scenario"


def test_partial_file_keeps_other_defaults(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text('name = "x"\n[dispatch]\nstore_volume_m3 = 80\n', encoding="utf-8")
    s = load_scenario(path)
    assert s.name == "x"
    assert s.dispatch.store_volume_m3 == 80.0
    assert isinstance(s.dispatch.store_volume_m3, float)
    assert s.dispatch == dataclasses.replace(Scenario().dispatch, store_volume_m3=80.0)
    assert s.route == Scenario().route


def test_relative_paths_resolve_against_the_scenario_folder(tmp_path: Path) -> None:
    folder = tmp_path / "study"
    folder.mkdir()
    path = folder / "s.toml"
    path.write_text(
        "[area]\n"
        'buildings_path = "data/b.gpkg"\n'
        'streets_path = "../s.gpkg"\n'
        f'weather_path = "{tmp_path / "abs.epw"}"\n',
        encoding="utf-8",
    )
    area = load_scenario(path).area
    assert Path(area.buildings_path or "") == (folder / "data" / "b.gpkg").resolve()
    assert Path(area.streets_path or "") == (tmp_path / "s.gpkg").resolve()
    assert Path(area.weather_path or "") == tmp_path / "abs.epw"
    # a mapping without a base folder keeps paths as given
    bare = scenario_from_mapping({"area": {"osm_path": "x.osm.pbf"}})
    assert bare.area.osm_path == "x.osm.pbf"


def test_toml_syntax_error_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text("[dispatch\nstore_volume_m3 = 3\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"broken\.toml") as info:
        load_scenario(path)
    assert "TOML" in str(info.value)
    assert "\n" not in str(info.value)


def test_wrong_type_names_the_key(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text('[dispatch]\nstore_volume_m3 = "big"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"dispatch\.store_volume_m3") as info:
        load_scenario(path)
    assert "s.toml" in str(info.value)
    assert "'big'" in str(info.value)


def test_unknown_key_names_the_key_and_the_valid_ones(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text("[dispatch]\nstore_volum_m3 = 3.0\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"dispatch\.store_volum_m3") as info:
        load_scenario(path)
    assert "store_volume_m3" in str(info.value)


def test_unknown_table_is_refused() -> None:
    with pytest.raises(ConfigError, match="dispatchh"):
        scenario_from_mapping({"dispatchh": {"store_volume_m3": 3.0}})


def test_out_of_range_value_names_the_key() -> None:
    with pytest.raises(ConfigError, match=r"\[area\]: bbox"):
        scenario_from_mapping({"area": {"bbox": [10.0, 0.0, 5.0, 1.0]}})


def test_missing_scenario_file_says_how_to_create_one(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="heatmap init"):
        load_scenario(tmp_path / "nope.toml")


def test_binary_file_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(ConfigError, match=r"s\.toml"):
        load_scenario(path)
