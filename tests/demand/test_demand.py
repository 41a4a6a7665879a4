from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, box

from heatmap.demand.benchmarks import domestic_benchmark_kwh_per_m2
from heatmap.demand.estimate import (
    DemandParams,
    anchor_loads,
    degree_day_factor,
    demand_summary,
    diversified_peak_kw,
    diversity_factor,
    estimate_demand,
    group_profile_kw,
    hourly_profile,
    hourly_profile_kw,
    read_demand_layer,
)
from heatmap.errors import CRSError, InputError
from heatmap.ingest.weather import heating_degree_hours, read_epw, synthetic_weather

CRS = "EPSG:27700"


def frame(rows: list[dict], geoms: list) -> gpd.GeoDataFrame:
    gdf = gpd.GeoDataFrame(rows, geometry=geoms, crs=CRS)
    gdf.index = pd.Index([f"b{i}" for i in range(len(gdf))], name="building_id")
    return gdf


# --- study checks ---------------------------------------------------------------------------
@pytest.mark.shared_data
def test_table38_lookups_exact(killingworth_dir) -> None:
    t38 = pd.read_csv(killingworth_dir / "domestic_benchmarks_kwh_per_m2.csv")
    types = {
        "Detached": "detached",
        "End-terrace": "end_terrace",
        "Mid-terrace": "mid_terrace",
        "Semi-detached": "semi_detached",
        "Flat": "flat",
    }
    for r in t38.itertuples():
        got = domestic_benchmark_kwh_per_m2(r.age_band, types[r.property_type])
        if np.isnan(r.benchmark_kwh_per_m2):
            assert np.isnan(got)
        else:
            assert got == r.benchmark_kwh_per_m2


def test_table38_through_estimate_demand() -> None:
    # An isolated house built 1975 is detached, band D: 130 kWh/m2 (Table 38), as printed at the
    # study's own degree days (Killingworth: TM46 North Eastern).
    b = frame(
        [{"building_tag": "house", "building_levels": 2.0, "construction_year": 1975.0}],
        [box(0, 0, 10, 10)],
    )
    d = estimate_demand(b, params=DemandParams(region="North Eastern"))
    assert d["property_type"].iloc[0] == "detached"
    assert d["heat_demand_mwh_per_a"].iloc[0] == pytest.approx(200 * 130 / 1000)


@pytest.mark.shared_data
def test_table39_cluster_demands(killingworth_dir) -> None:
    c = pd.read_csv(killingworth_dir / "clusters.csv")
    rows, geoms, keys = [], [], []
    for tenure in ("social", "private"):
        sub = c[c[f"{tenure}_properties_t39"].fillna(0) > 0]
        for r in sub.itertuples():
            n = int(getattr(r, f"{tenure}_properties_t39"))
            for _ in range(n):
                rows.append(
                    {
                        "building_tag": "house",
                        "gross_floor_area_m2": getattr(r, f"{tenure}_avg_floor_area_m2"),
                        "benchmark_kwh_per_m2_a": getattr(r, f"{tenure}_benchmark_kwh_per_m2"),
                    }
                )
                geoms.append(Point(len(geoms) * 50.0, 0).buffer(3))
                keys.append((r.cluster, tenure))
    d = estimate_demand(frame(rows, geoms))
    d["key"] = keys
    got = d.groupby("key")["heat_demand_mwh_per_a"].sum()
    for (cluster, tenure), mwh in got.items():
        want = c.loc[c.cluster == cluster, f"{tenure}_heat_demand_kwh"].iloc[0] / 1000
        assert mwh == pytest.approx(want, rel=0.005), (cluster, tenure)


def test_tm46_office_check() -> None:
    b = frame([{"building_tag": "office", "gross_floor_area_m2": 1000.0}], [box(0, 0, 25, 40)])
    d = estimate_demand(b, degree_days=2021)
    assert d["heat_demand_mwh_per_a"].iloc[0] == pytest.approx(120.0)
    assert d["tm46_category"].iloc[0] == "General office"
    # TM46 formula with the office fraction 0.55 at London (Thames Valley, 1709 K day).
    d2 = estimate_demand(b)
    assert d2["heat_demand_mwh_per_a"].iloc[0] == pytest.approx(120 * (0.45 + 0.55 * 1709 / 2021))
    assert degree_day_factor(0.3, 2021) == pytest.approx(1.0)


# --- floors, exclusions, property types -------------------------------------------------------
def test_floors_sources_and_exclusions() -> None:
    b = frame(
        [
            {"building_tag": "office", "building_levels": 5.0},
            {"building_tag": "office", "height_m": 30.0},
            {"building_tag": "office"},
            {"building_tag": "shed"},
            {"building_tag": "house"},
        ],
        [
            box(0, 0, 20, 20),
            box(100, 0, 120, 20),
            box(200, 0, 220, 20),
            box(300, 0, 310, 10),
            box(400, 0, 404, 4),
        ],
    )
    d = estimate_demand(b)
    assert d["floors"].tolist()[:3] == [5.0, 10.0, 2.0]
    assert d["floors_source"].tolist()[:3] == ["levels", "height", "default"]
    assert d["demand_source"].iloc[3] == "excluded"
    assert "shed" in d["exclusion_reason"].iloc[3]
    assert "footprint below 20" in d["exclusion_reason"].iloc[4]
    assert (d.loc[d.demand_source == "excluded", "heat_demand_mwh_per_a"] == 0).all()
    assert (d.loc[d.demand_source != "excluded", "exclusion_reason"] == "").all()


def test_property_types_from_shared_walls() -> None:
    geoms = [box(0, 0, 8, 10)]  # detached
    geoms += [box(100, 0, 108, 10), box(108, 0, 116, 10)]  # semi pair
    geoms += [box(200 + 6 * i, 0, 206 + 6 * i, 10) for i in range(4)]  # terrace of four
    b = frame([{"building_tag": "house"}] * len(geoms), geoms)
    d = estimate_demand(b)
    assert d["property_type"].tolist() == [
        "detached",
        "semi_detached",
        "semi_detached",
        "end_terrace",
        "mid_terrace",
        "mid_terrace",
        "end_terrace",
    ]


def test_missing_columns_tolerated_and_crs_checked() -> None:
    b = gpd.GeoDataFrame(geometry=[box(0, 0, 10, 10)], crs=CRS)
    b.index = pd.Index(["x"], name="building_id")
    before = b.copy()
    d = estimate_demand(b)
    assert d["heat_demand_mwh_per_a"].iloc[0] > 0
    assert b.equals(before) and list(b.columns) == ["geometry"]  # caller's frame untouched
    with pytest.raises(CRSError):
        estimate_demand(b.to_crs(4326))


# --- demand layer -------------------------------------------------------------------------------
def test_demand_layer_wins_and_bad_rows_listed(tmp_path) -> None:
    b = frame(
        [{"building_tag": "office"}, {"building_tag": "house"}],
        [box(0, 0, 20, 20), box(100, 0, 110, 10)],
    )
    layer = pd.DataFrame(
        {
            "building_id": ["b0"],
            "heat_demand_mwh_per_a": [777.0],
            "name": ["Town Hall"],
            "ownership": ["public"],
        }
    )
    d = estimate_demand(b, demand_layer=layer)
    assert d.loc["b0", "heat_demand_mwh_per_a"] == 777.0
    assert d.loc["b0", "demand_source"] == "metered"
    assert d.loc["b0", "ownership"] == "public"
    assert d.loc["b0", "is_anchor"]
    pts = gpd.GeoDataFrame({"heat_demand_mwh_per_a": [12.0]}, geometry=[Point(105, 5)], crs=CRS)
    d2 = estimate_demand(b, demand_layer=pts)
    assert d2.loc["b1", "heat_demand_mwh_per_a"] == 12.0

    csv = tmp_path / "bad.csv"
    csv.write_text("building_id,heat_demand_mwh_per_a\nb0,-5\nb1,abc\nb1,\nzz,3\n")
    with pytest.raises(InputError) as err:
        read_demand_layer(csv)
    msg = str(err.value)
    assert "bad.csv" in msg
    assert "4 problem(s)" in msg or "problem(s)" in msg
    for part in ("row 1", "negative", "row 2", "not a number", "row 3", "missing", "duplicate"):
        assert part in msg
    # unknown ids and points outside every footprint are listed together, nothing dropped
    mixed = gpd.GeoDataFrame(
        {"building_id": ["zz", None, "b0"], "heat_demand_mwh_per_a": [3.0, 1.0, 2.0]},
        geometry=[None, Point(5000, 5), None],
        crs=CRS,
    )
    with pytest.raises(InputError) as err:
        estimate_demand(b, demand_layer=mixed)
    msg = str(err.value)
    assert "row 1" in msg and "'zz' is not a building" in msg
    assert "row 2" in msg and "outside every building" in msg
    assert "row 3" not in msg
    nocrs = gpd.GeoDataFrame({"heat_demand_mwh_per_a": [1.0]}, geometry=[Point(5, 5)])
    with pytest.raises(CRSError, match="no CRS"):
        estimate_demand(b, demand_layer=nocrs)


def test_demand_layer_counts_logged(caplog) -> None:
    b = frame(
        [{"building_tag": "office"}, {"building_tag": "house"}],
        [box(0, 0, 20, 20), box(100, 0, 110, 10)],
    )
    layer = gpd.GeoDataFrame(
        {"building_id": ["b0", None], "heat_demand_mwh_per_a": [10.0, 20.0]},
        geometry=[None, Point(105, 5)],
        crs=CRS,
    )
    with caplog.at_level("INFO", logger="heatmap.ingest.demand_layer"):
        d = estimate_demand(b, demand_layer=layer)
    assert "2 rows, 1 matched by id, 1 by location, 0 unmatched" in caplog.text
    assert (d["demand_source"] == "metered").all()


def test_shared_walls_with_digitising_gap() -> None:
    # Semi-detached pair drawn 0.2 m apart (not snapped) and a detached house 5 m away.
    geoms = [box(0, 0, 8, 10), box(8.2, 0, 16, 10), box(21, 0, 29, 10)]
    d = estimate_demand(frame([{"building_tag": "house"}] * 3, geoms))
    assert d["property_type"].tolist() == ["semi_detached", "semi_detached", "detached"]
    # boundary within 0.5 m of the neighbour: 10 m wall plus up to 2 x 0.5 m at its ends
    assert 10.0 <= d["shared_wall_length_m"].iloc[0] <= 11.0


# --- peaks, diversity, summary ----------------------------------------------------------------
def test_diversity_and_peaks() -> None:
    assert diversity_factor(1) == pytest.approx(1.0)
    assert diversity_factor(np.array([2, 100])) == pytest.approx([0.81, 0.6238])
    assert diversified_peak_kw([10.0, 10.0, 0.0]) == pytest.approx(20 * 0.81)
    b = frame([{"building_tag": "office", "gross_floor_area_m2": 10000.0}], [box(0, 0, 50, 50)])
    d = estimate_demand(b, params=DemandParams(peak_method="thermos_regression"))
    kwh = d["heat_demand_mwh_per_a"].iloc[0] * 1000
    assert d["peak_load_kw"].iloc[0] == pytest.approx(0.0004963 * kwh + 21.84)
    s = demand_summary(d)
    assert s["share_pct"].iloc[-1] == pytest.approx(100.0)
    a = anchor_loads(d, threshold_mwh_per_a=500)
    assert len(a) == 1


# --- profiles ------------------------------------------------------------------------------------
def _check_profile(weather, annual, peak, domestic) -> None:
    p = hourly_profile(
        annual,
        peak,
        weather=weather,
        domestic_share=domestic,
        hot_water_share=0.2 if domestic else 0.1,
    )
    assert p.total_kw.shape == (8760,)
    assert p.total_kw.sum() / 1000 == pytest.approx(annual, rel=1e-3)
    assert p.total_kw.max() == pytest.approx(peak, rel=1e-2)
    r = np.corrcoef(p.space_heating_kw, heating_degree_hours(weather))[0, 1]
    assert r > 0.9


@pytest.mark.parametrize(
    ("annual", "flh", "domestic"), [(1000.0, 3124, 1.0), (1000.0, 1946, 1.0), (500.0, 2500, 0.5)]
)
def test_profile_synthetic(annual, flh, domestic) -> None:
    _check_profile(synthetic_weather(), annual, annual * 1000 / flh, domestic)


@pytest.mark.shared_data
def test_profile_london_epw(london_epw) -> None:
    w = read_epw(london_epw)
    _check_profile(w, 1000.0, 1000 * 1000 / 3124, 1.0)
    _check_profile(w, 200.0, 200 * 1000 / 2500, 0.8)
    group = estimate_demand(
        frame(
            [{"building_tag": "house"}] * 3 + [{"building_tag": "office"}],
            [box(0, 0, 8, 10), box(30, 0, 38, 10), box(60, 0, 68, 10), box(100, 0, 140, 40)],
        )
    )
    load = group_profile_kw(group, weather=w)
    assert load.sum() / 1000 == pytest.approx(group["heat_demand_mwh_per_a"].sum(), rel=1e-3)
    assert load.max() == pytest.approx(diversified_peak_kw(group["peak_load_kw"]), rel=1e-2)
    assert hourly_profile_kw(0.0, 0.0, weather=w).sum() == 0
    with pytest.raises(InputError, match="below the mean"):
        hourly_profile_kw(1000.0, 10.0, weather=w)


@pytest.mark.shared_data
def test_city_of_london_every_building_accounted(london_pbf) -> None:
    from heatmap.ingest.osm import read_osm

    d = estimate_demand(
        read_osm(london_pbf).buildings, params=DemandParams(untagged_use="non_domestic")
    )
    included = d["demand_source"] != "excluded"
    assert (d.loc[included, "heat_demand_mwh_per_a"].notna()).all()
    assert (d.loc[~included, "exclusion_reason"] != "").all()
    assert (d.loc[included, "exclusion_reason"] == "").all()
    assert d["heat_demand_mwh_per_a"].sum() > 0


def test_params_validation_and_toml_roundtrip() -> None:
    from heatmap._params import params_from_mapping
    from heatmap.errors import ConfigError

    p = params_from_mapping(DemandParams, {"region": "North Eastern"}, section="demand")
    assert p.region == "North Eastern"
    with pytest.raises(ConfigError, match="region"):
        params_from_mapping(DemandParams, {"region": "Mars"}, section="demand")
    with pytest.raises(ConfigError, match="floor_height_m"):
        params_from_mapping(DemandParams, {"floor_height_m": 0.0}, section="demand")
    # North Eastern (2237 K day) office: more heat than at the reference
    b = frame([{"building_tag": "office", "gross_floor_area_m2": 1000.0}], [box(0, 0, 25, 40)])
    d = estimate_demand(b, params=p)
    assert d["heat_demand_mwh_per_a"].iloc[0] == pytest.approx(120 * (0.45 + 0.55 * 2237 / 2021))


@pytest.mark.parametrize("peak_over_mean", [1.05, 1.5, 29.2, 400.0])
def test_profile_hits_any_feasible_peak(peak_over_mean: float) -> None:
    w = synthetic_weather("Borders")
    peak = 1000e3 / 8760 * peak_over_mean
    p = hourly_profile(1000.0, peak, weather=w)
    assert p.total_kw.sum() / 1000 == pytest.approx(1000.0, rel=1e-3)
    assert p.total_kw.max() == pytest.approx(peak, rel=1e-2)
    assert (p.hot_water_kw >= 0).all()
    assert (p.space_heating_kw >= 0).all()
