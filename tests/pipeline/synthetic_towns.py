"""Synthetic study areas for the candidate-network tests: towns on street grids, as vector files.

Each town is a square grid of residential streets with blocks of offices (non-domestic, so their
demand is a TM46 benchmark × floor area) facing the streets; towns can be joined by one empty road.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
from shapely.geometry import LineString, box

X0, Y0 = 530_000.0, 180_000.0  # British National Grid, central London


def town(
    x0: float, y0: float, *, n: int = 4, spacing_m: float = 100.0, levels: int = 6, name: str = "t"
) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """Buildings and streets of one ``n`` x ``n``-block town whose south-west corner is (x0, y0)."""
    streets: list[dict[str, object]] = []
    size = n * spacing_m
    for i in range(n + 1):
        c = i * spacing_m
        streets.append(
            {"highway": "residential", "geometry": LineString([(x0, y0 + c), (x0 + size, y0 + c)])}
        )
        streets.append(
            {"highway": "residential", "geometry": LineString([(x0 + c, y0), (x0 + c, y0 + size)])}
        )
    buildings: list[dict[str, object]] = []
    for i in range(n):
        for j in range(n):
            bx, by = x0 + i * spacing_m, y0 + j * spacing_m
            # one office block in each street block, 15 m back from the streets
            buildings.append(
                {
                    "building_id": f"{name}/{i}-{j}",
                    "building": "office",
                    "building:levels": levels,
                    "geometry": box(bx + 15, by + 15, bx + spacing_m - 15, by + spacing_m - 15),
                }
            )
    return buildings, streets


def write_area(
    folder: Path,
    buildings: list[dict[str, object]],
    streets: list[dict[str, object]],
) -> tuple[Path, Path]:
    """Write buildings and streets as GeoPackages in British National Grid."""
    b_path, s_path = folder / "buildings.gpkg", folder / "streets.gpkg"
    gpd.GeoDataFrame(buildings, crs="EPSG:27700").to_file(b_path)
    gpd.GeoDataFrame(streets, crs="EPSG:27700").to_file(s_path)
    return b_path, s_path


def two_towns(folder: Path, *, gap_m: float = 5000.0) -> tuple[Path, Path]:
    """Two towns ``gap_m`` apart, joined by one empty road between their nearest corners."""
    b1, s1 = town(X0, Y0, name="west")
    b2, s2 = town(X0 + 400.0 + gap_m, Y0, name="east")
    road = {
        "highway": "tertiary",
        "geometry": LineString([(X0 + 400.0, Y0), (X0 + 400.0 + gap_m, Y0)]),
    }
    return write_area(folder, b1 + b2, [*s1, *s2, road])


def village(folder: Path) -> tuple[Path, Path]:
    """A sparse village: a few detached houses along a long lane."""
    streets = [{"highway": "unclassified", "geometry": LineString([(X0, Y0), (X0 + 2000, Y0)])}]
    buildings = [
        {
            "building_id": f"v/{k}",
            "building": "house",
            "building:levels": 2,
            "geometry": box(X0 + 200 * k + 20, Y0 + 15, X0 + 200 * k + 30, Y0 + 25),
        }
        for k in range(8)
    ]
    return write_area(folder, buildings, streets)
