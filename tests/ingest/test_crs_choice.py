"""A projected CRS for any study area: Great Britain, UTM zones, the poles, the antimeridian."""

from __future__ import annotations

import logging

import geopandas as gpd
import pytest
from shapely.geometry import box

from heatmap.ingest.area import choose_crs


def _area(west: float, south: float, east: float, north: float) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(geometry=[box(west, south, east, north)], crs=4326)


def test_great_britain_is_british_national_grid() -> None:
    assert choose_crs(_area(-0.11, 51.51, -0.09, 51.52)).to_epsg() == 27700


def test_elsewhere_a_utm_zone_and_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        crs = choose_crs(_area(24.93, 60.16, 24.95, 60.17))  # Helsinki
    assert crs.to_epsg() == 32635
    assert "outside Great Britain" in caplog.text


@pytest.mark.parametrize(
    "bounds",
    [
        (10.0, 85.0, 10.01, 85.001),  # beyond UTM's 84° N
        (-20.0, -86.0, -19.99, -85.999),  # Antarctica
    ],
)
def test_polar_areas_get_a_local_metric_projection(bounds: tuple[float, ...]) -> None:
    area = _area(*bounds)
    crs = choose_crs(area)
    assert crs.is_projected
    # a 0.001° by 0.01° box near the pole: distances stay true in the local projection
    projected = area.to_crs(crs)
    width_m = projected.total_bounds[3] - projected.total_bounds[1]
    assert width_m == pytest.approx(111.7, rel=0.02)


def test_an_area_across_the_antimeridian_is_centred_on_it() -> None:
    area = gpd.GeoDataFrame(
        geometry=[box(179.995, -17.0, 180.0, -16.99), box(-180.0, -17.0, -179.995, -16.99)],
        crs=4326,
    )  # Fiji, both sides of 180°
    crs = choose_crs(area)
    projected = area.to_crs(crs)
    x0, _, x1, _ = projected.total_bounds
    assert x1 - x0 == pytest.approx(1065.0, rel=0.02)  # 0.01° of longitude at 17° S, not 40,000 km
