from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import rasterio
from shapely.geometry import LineString, box

from heatmap.errors import OutputExistsError
from heatmap.zones.density import (
    DensityParams,
    heat_density_raster,
    opportunity_areas,
    write_geotiff,
)

CRS = "EPSG:27700"


def blocks(values: list[float], xy: list[tuple[float, float]]) -> gpd.GeoDataFrame:
    g = [box(x - 5, y - 5, x + 5, y + 5) for x, y in xy]
    gdf = gpd.GeoDataFrame({"heat_demand_mwh_per_a": values}, geometry=g, crs=CRS)
    gdf.index = pd.Index([f"b{i}" for i in range(len(gdf))], name="building_id")
    return gdf


def test_raster_by_centroid_analytic() -> None:
    b = blocks([100.0, 50.0, 25.0], [(30, 30), (40, 40), (250, 50)])
    r = heat_density_raster(b, cell_size_m=100, bounds=(0, 0, 300, 100))
    # 1 ha cells: 150 MWh in the first, 25 in the third
    assert r.density_mwh_per_ha_a.shape == (1, 3)
    assert r.density_mwh_per_ha_a.tolist() == [[150.0, 0.0, 25.0]]
    r50 = heat_density_raster(b, cell_size_m=50, bounds=(0, 0, 300, 100))
    assert r50.density_mwh_per_ha_a.max() == pytest.approx(150 / 0.25)
    assert r50.demand_mwh_per_a.sum() == pytest.approx(175)


def test_smoothing_keeps_total() -> None:
    b = blocks([1000.0], [(550, 550)])
    r = heat_density_raster(b, cell_size_m=100, smoothing_radius_m=250)
    assert r.demand_mwh_per_a.sum() == pytest.approx(1000)
    assert r.density_mwh_per_ha_a.max() < 1000


def test_geotiff_roundtrip(tmp_path) -> None:
    b = blocks([100.0, 40.0], [(50, 50), (250, 150)])
    r = heat_density_raster(b, cell_size_m=100)
    p = write_geotiff(r, tmp_path / "d.tif")
    with rasterio.open(p) as src:
        assert np.allclose(src.read(1), r.density_mwh_per_ha_a)
        assert src.crs.to_epsg() == 27700
        assert src.transform == r.transform
    with pytest.raises(OutputExistsError):
        write_geotiff(r, p)


def test_hotmaps_rule_threshold_and_min_demand() -> None:
    # 2x2 block of 1-ha cells at 10,000 MWh/ha = 40 GWh (kept); a single 400 MWh cell elsewhere
    xy = [(50, 50), (150, 50), (50, 150), (150, 150), (1050, 1050)]
    b = blocks([10000.0] * 4 + [400.0], xy)
    r = heat_density_raster(b, cell_size_m=100, bounds=(0, 0, 1200, 1200))
    oa = opportunity_areas(b, r, params=DensityParams(rules=("hotmaps",)))
    assert len(oa) == 1
    assert oa["heat_demand_mwh_per_a"].iloc[0] == pytest.approx(40000)
    assert oa["area_ha"].iloc[0] == pytest.approx(4)
    assert oa["n_anchor_loads"].iloc[0] == 4
    assert oa["rank"].iloc[0] == 1


def test_lhd_rules_with_streets() -> None:
    # Two anchors of 600 MWh in one cell with 100 m of street: LHD 12 MWh/m.
    b = blocks([600.0, 600.0], [(30, 50), (70, 50)])
    r = heat_density_raster(b, cell_size_m=100, bounds=(0, 0, 300, 100))
    streets = gpd.GeoDataFrame(geometry=[LineString([(0, 20), (100, 20)])], crs=CRS)
    oa = opportunity_areas(b, r, streets=streets)
    base = oa[oa.rule == "scotland_baseline"]
    assert len(base) == 1
    assert base["est_lhd_mwh_per_m_a"].iloc[0] == pytest.approx(12.0, rel=0.02)
    assert (oa.rule == "scotland_stringent").sum() == 0  # only 2 anchors, needs 5


@pytest.mark.shared_data
def test_city_of_london_density(london_pbf) -> None:
    from heatmap.demand.estimate import DemandParams, estimate_demand
    from heatmap.ingest.osm import read_osm

    d = estimate_demand(
        read_osm(london_pbf).buildings, params=DemandParams(untagged_use="non_domestic")
    )
    r = heat_density_raster(d)
    assert r.demand_mwh_per_a.sum() == pytest.approx(d["heat_demand_mwh_per_a"].sum())
    dens = r.density_mwh_per_ha_a
    # A dense office district: built cells far above the Hotmaps 333 MWh/ha/yr threshold, and
    # no cell beyond what 100 m x 100 m of 20-storey offices at 120 kWh/m2 could need (24,000).
    assert np.percentile(dens[dens > 0], 95) > 1000
    assert dens.max() < 24000
    oa = opportunity_areas(d, r)
    assert {"hotmaps", "scotland_baseline"} <= set(oa["rule"])
    for _, g in oa.groupby("rule"):
        assert g["rank"].tolist() == list(range(1, len(g) + 1))
        assert g["heat_demand_mwh_per_a"].is_monotonic_decreasing
