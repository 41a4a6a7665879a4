"""Building use, unheated types, floors, dwellings, degree days and confidence on small footprints.

Expected values are worked by hand from the published tables: CIBSE TM46 (fossil-thermal
benchmark and degree-day fraction), study Table 38, TM46 regional degree days (Thames Valley
1,709; North Eastern 2,237; reference 2,021).
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from heatmap.demand import DemandParams, demand_report, estimate_demand
from heatmap.ingest.weather import read_epw

CRS = "EPSG:27700"
LONDON_HDD = 1709.0  # TM46 Thames Valley, the default region


def frame(rows: list[dict], geoms: list) -> gpd.GeoDataFrame:
    gdf = gpd.GeoDataFrame(rows, geometry=geoms, crs=CRS)
    gdf.index = pd.Index([f"b{i}" for i in range(len(gdf))], name="building_id")
    return gdf


def square(x: float, area_m2: float):
    side = area_m2**0.5
    return box(x, 0, x + side, side)


def tm46_factor(fraction: float, hdd: float = LONDON_HDD) -> float:
    return (1 - fraction) + fraction * hdd / 2021.0


# --- use precedence ------------------------------------------------------------------------------
def test_large_untagged_footprint_in_military_land_is_not_a_house() -> None:
    b = frame(
        [
            {"building_tag": "yes", "area_tag": "landuse=military"},
            {"building_tag": "yes"},  # the same footprint with no area around it
        ],
        [square(0, 40_000), square(1_000, 40_000)],
    )
    d = estimate_demand(b)
    mil, bare = d.iloc[0], d.iloc[1]
    assert mil["use"] == "non_domestic"
    assert mil["use_source"] == "area"
    assert mil["tm46_category"] == "Workshop"
    assert mil["n_dwellings"] == 0
    # default two floors: 80,000 m2 x TM46 Workshop 180 kWh/m2 x degree-day factor (f = 0.55)
    assert mil["heat_demand_mwh_per_a"] == pytest.approx(80_000 * 180 * tm46_factor(0.55) / 1000)
    # no area: the shape rule, one storey of storage (TM46 160 kWh/m2, f = 0.7), flagged
    assert bare["use_source"] == "shape"
    assert bare["tm46_category"] == "Storage facility"
    assert bare["floors"] == 1.0
    assert "large untagged" in bare["demand_flags"]
    assert bare["demand_confidence"] == "low"
    assert bare["heat_demand_mwh_per_a"] == pytest.approx(40_000 * 160 * tm46_factor(0.7) / 1000)


def test_precedence_tags_poi_area_name_shape_default() -> None:
    b = frame(
        [
            # own tags win over a POI and an area
            {"building_tag": "office", "poi_tag": "amenity=pub", "area_tag": "landuse=residential"},
            # a POI wins over the area
            {"building_tag": "yes", "poi_tag": "amenity=pub", "area_tag": "landuse=residential"},
            # the area wins over the name
            {"building_tag": "yes", "area_tag": "amenity=hospital", "name": "Old School House"},
            # the name decides when nothing else does
            {"building_tag": "yes", "name": "St Mary's Church"},
            # nothing: the scenario default (domestic)
            {"building_tag": "yes"},
            # a POI on the ground floor of a ten-storey block does not give the block its use
            {"building_tag": "yes", "poi_tag": "shop=bakery", "building_levels": 10},
        ],
        [square(100.0 * i, 150) for i in range(6)],
    )
    d = estimate_demand(b)
    assert d["use_source"].tolist() == ["tags", "poi", "area", "name", "default", "default"]
    assert d["tm46_category"].tolist()[:4] == [
        "General office",
        "Bar, pub or licensed club",
        "Hospital (clinical and research)",
        "Public buildings with light usage",
    ]
    assert d["use"].tolist()[4:] == ["domestic", "domestic"]
    assert d["use_rule"].iloc[1] == "poi amenity=pub"
    assert d["use_rule"].iloc[3] == "name ~ church"


def test_untagged_building_in_a_farmyard_is_excluded() -> None:
    b = frame(
        [{"building_tag": "yes", "area_tag": "landuse=farmyard"}],
        [square(0, 600)],
    )
    d = estimate_demand(b)
    assert d["heat_demand_mwh_per_a"].iloc[0] == 0.0
    assert d["use"].iloc[0] == "excluded"
    assert "farmyard" in d["exclusion_reason"].iloc[0]


# --- unheated buildings --------------------------------------------------------------------------
def test_every_unheated_type_carries_no_demand_with_a_reason() -> None:
    types = DemandParams().unheated_building_types
    for required in (
        "barn",
        "cowshed",
        "stable",
        "farm_auxiliary",
        "greenhouse",
        "glasshouse",
        "garage",
        "garages",
        "carport",
        "shed",
        "hut",
        "roof",
        "ruins",
        "construction",
        "silo",
        "storage_tank",
        "transformer_tower",
        "bunker",
    ):
        assert required in types
    b = frame(
        [{"building_tag": t} for t in types], [square(50.0 * i, 400) for i in range(len(types))]
    )
    d = estimate_demand(b)
    assert (d["heat_demand_mwh_per_a"] == 0).all()
    assert (d["use"] == "excluded").all()
    assert [f"building={t} is unheated" for t in types] == d["exclusion_reason"].tolist()


def test_unheated_list_is_scenario_editable() -> None:
    b = frame([{"building_tag": "barn", "building_levels": 1}], [square(0, 300)])
    assert estimate_demand(b)["heat_demand_mwh_per_a"].iloc[0] == 0
    heated = estimate_demand(b, params=DemandParams(unheated_building_types=("shed",)))
    assert heated["heat_demand_mwh_per_a"].iloc[0] > 0
    assert heated["exclusion_reason"].iloc[0] == ""


# --- floors --------------------------------------------------------------------------------------
def test_cathedral_with_height_is_one_storey() -> None:
    # St Paul's: building=cathedral, height 35 m, footprint about 7,916 m2
    b = frame(
        [
            {"building_tag": "cathedral", "amenity": "place_of_worship", "height_m": 35.0},
            {"building_tag": "yes", "amenity": "place_of_worship", "height_m": 20.0},
            {"building_tag": "church", "building_levels": 2.0},  # tagged levels still win
        ],
        [square(0, 7_916), square(500, 400), square(1_000, 400)],
    )
    d = estimate_demand(b)
    assert d["floors"].tolist() == [1.0, 1.0, 2.0]
    assert d["floors_source"].tolist() == ["single_volume", "single_volume", "levels"]
    # TM46 Public buildings with light usage: 105 kWh/m2, f = 0.55
    want = 7_916 * 105 * tm46_factor(0.55) / 1000
    assert d["heat_demand_mwh_per_a"].iloc[0] == pytest.approx(want, rel=1e-3)
    assert d["heat_demand_mwh_per_a"].iloc[0] < 4_000


def test_floors_from_levels_roof_levels_and_height_by_use() -> None:
    b = frame(
        [
            {"building_tag": "house", "building_levels": 2, "roof_levels": 1},
            {"building_tag": "house", "height_m": 8.4},  # 8.4 / 2.8 m domestic storeys
            {"building_tag": "office", "height_m": 30.0},  # 30 / 3.0 m
            {"building_tag": "office", "building_levels": 80},
            {"building_tag": "office", "building_levels": 10, "height_m": 12.0},
        ],
        [square(100.0 * i, 100) for i in range(5)],
    )
    d = estimate_demand(b)
    assert d["floors"].tolist() == [3.0, 3.0, 10.0, 80.0, 10.0]
    assert d["floors_source"].tolist() == ["levels", "height", "height", "levels", "levels"]
    assert d["demand_flags"].iloc[3] == "more than 60 floors"
    assert d["demand_flags"].iloc[4] == "building:levels and height disagree"
    assert (d["demand_flags"].iloc[:3] == "").all()


# --- dwellings -----------------------------------------------------------------------------------
def test_block_of_flats_house_terrace_row_and_oversized_house() -> None:
    b = frame(
        [
            {"building_tag": "apartments", "building_levels": 4},  # 650 m2 x 4
            {"building_tag": "house", "building_levels": 2},  # 80 m2 x 2
            {"building_tag": "residential", "building_levels": 2},  # 500 m2 x 2
            {"building_tag": "terrace", "building_levels": 2},  # 6 m x 40 m row, 480 m2
        ],
        [square(0, 650), box(100, 0, 108, 10), square(200, 500), box(300, 0, 340, 6)],
    )
    d = estimate_demand(b, params=DemandParams(region="North Eastern"))
    # 2,600 m2 x 0.8 net / 65 m2 per flat = 32 flats; 1,000 m2 / 100 m2 = 10 houses; 480 / 100
    assert d["n_dwellings"].tolist() == [32, 1, 10, 5]
    assert d["property_type"].tolist() == ["flat", "detached", "detached", "mid_terrace"]
    assert "counted as 10 dwellings" in d["demand_flags"].iloc[2]
    # at the study's own degree days: flats 128 kWh/m2 (10.4 MWh per 65 m2 flat, the measured
    # UK mean), Table 38 band C (default) detached 132, mid-terrace 132 kWh/m2; the dwelling
    # count does not change the building's demand
    want = [2600 * 128 / 1000, 160 * 132 / 1000, 1000 * 132 / 1000, 480 * 132 / 1000]
    assert d["heat_demand_mwh_per_a"].tolist() == pytest.approx(want)
    assert d["heat_demand_mwh_per_a"].iloc[0] / 32 == pytest.approx(10.4)
    assert "flat benchmark 128" in d["demand_method"].iloc[0]
    # unset: Table 38's flat value, 44 kWh/m2
    t38 = estimate_demand(
        b, params=DemandParams(region="North Eastern", flat_benchmark_kwh_per_m2_a=None)
    )
    assert t38["heat_demand_mwh_per_a"].iloc[0] == pytest.approx(2600 * 44 / 1000)
    assert t38["heat_demand_mwh_per_a"].iloc[1:].tolist() == pytest.approx(want[1:])


# --- degree days ---------------------------------------------------------------------------------
def _colder_copy(src: Path, dst: Path, minus_k: float) -> None:
    lines = src.read_text(encoding="latin-1").splitlines()
    out = lines[:8]
    for line in lines[8:]:
        fields = line.split(",")
        fields[6] = f"{float(fields[6]) - minus_k:.1f}"
        out.append(",".join(fields))
    dst.write_text("\n".join(out) + "\n", encoding="latin-1")


def _hdd_by_hand(path: Path) -> float:
    rows = [line.split(",") for line in path.read_text(encoding="latin-1").splitlines()[8:]]
    keep = [r for r in rows if not (r[1] == "2" and r[2] == "29")]
    t = np.array([float(r[6]) for r in keep]).reshape(365, 24)
    return float(np.clip(15.5 - t.mean(axis=1), 0, None).sum())


@pytest.mark.shared_data
def test_weather_three_kelvin_colder_raises_demand_by_the_degree_day_ratio(
    london_epw: Path, tmp_path: Path
) -> None:
    colder = tmp_path / "london_minus_3k.epw"
    _colder_copy(london_epw, colder, 3.0)
    h1, h2 = _hdd_by_hand(london_epw), _hdd_by_hand(colder)
    b = frame(
        [
            {"building_tag": "house", "building_levels": 2},
            {"building_tag": "office", "building_levels": 4},
        ],
        [box(0, 0, 8, 10), box(100, 0, 125, 10)],
    )
    d1 = estimate_demand(b, weather=read_epw(london_epw))
    d2 = estimate_demand(b, weather=read_epw(colder))
    assert demand_report(d1).degree_days_k_day == pytest.approx(h1, rel=1e-6)
    assert demand_report(d2).degree_days_k_day == pytest.approx(h2, rel=1e-6)
    # the weather-dependent part of each benchmark scales by h2 / h1
    dom = (0.2 + 0.8 * h2 / 2237) / (0.2 + 0.8 * h1 / 2237)
    office = tm46_factor(0.55, h2) / tm46_factor(0.55, h1)
    got = d2["heat_demand_mwh_per_a"].to_numpy() / d1["heat_demand_mwh_per_a"].to_numpy()
    assert got == pytest.approx([dom, office], rel=0.02)
    want_total = (
        d1["heat_demand_mwh_per_a"].iloc[0] * dom + d1["heat_demand_mwh_per_a"].iloc[1] * office
    )
    assert d2["heat_demand_mwh_per_a"].sum() == pytest.approx(want_total, rel=0.02)
    assert h2 / h1 > 1.5  # three kelvin is a lot in London: the check is not vacuous
    assert "weather file" in demand_report(d2).degree_days_source


# --- confidence and report -----------------------------------------------------------------------
def test_confidence_grades() -> None:
    b = frame(
        [
            {"building_tag": "office", "building_levels": 4},  # tags + levels
            {
                "building_tag": "yes",
                "area_tag": "landuse=commercial",
                "height_m": 9.0,
            },  # area + height
            {"building_tag": "yes", "area_tag": "landuse=industrial"},  # area + default floors
        ],
        [square(100.0 * i, 200) for i in range(3)],
    )
    d = estimate_demand(b)
    assert d["demand_confidence"].tolist() == ["high", "medium", "low"]


def test_demand_report_tables() -> None:
    b = frame(
        [
            {"building_tag": "apartments", "building_levels": 4, "name": "Block A"},
            {"building_tag": "house", "building_levels": 2},
            {"building_tag": "barn"},
            {"building_tag": "office", "building_levels": 90, "name": "Tower"},
        ],
        [square(0, 650), box(100, 0, 108, 10), square(200, 300), square(300, 100)],
    )
    d = estimate_demand(b, params=DemandParams(region="North Eastern"))
    r = demand_report(d)
    per = r.per_dwelling.set_index("property_type")
    assert per.loc["total", "n_dwellings"] == 33
    assert per.loc["total", "heat_demand_mwh_per_a"] == pytest.approx(2600 * 0.128 + 160 * 0.132)
    assert per.loc["detached", "max_single_dwelling_mwh_per_a"] == pytest.approx(21.12)
    assert r.top_loads["name"].tolist() == ["Tower", "Block A", ""]
    assert set(r.flags["exclusion_reason"]) == {"building=barn is unheated", ""}
    assert r.by_use.iloc[-1]["n_buildings"] == 4
    assert r.degree_days_k_day == 2237.0


def test_implausible_levels_are_flagged_and_warned(caplog: pytest.LogCaptureFixture) -> None:
    b = frame([{"building_tag": "office", "building_levels": 9999}], [square(0, 400)])
    d = estimate_demand(b)
    assert "more than 60 floors" in d["demand_flags"].iloc[0]
    assert "1 building(s) have more than 60 floors (up to 9999)" in caplog.text
