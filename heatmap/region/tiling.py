"""Tiles of a region: a grid of K km squares in the region's projected CRS, each with a halo.

A tile reads its buildings and streets over its square plus a halo (for shared walls, the land
use and points of interest around a building); it keeps only the buildings whose representative
point lies in its own square (west and south edges in, east and north out), so a building in a
halo is counted once, by the tile that owns it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pyproj

from heatmap.errors import InputError

__all__ = ["Tile", "owned", "tile_grid"]


@dataclass(frozen=True)
class Tile:
    """One tile: its id, its own square and the square it reads (with the halo), in metres."""

    tile_id: str
    bounds_m: tuple[float, float, float, float]
    read_bounds_m: tuple[float, float, float, float]

    def read_bbox_deg(self, crs: pyproj.CRS) -> tuple[float, float, float, float]:
        """The read square as W, S, E, N degrees (the envelope of its projected corners)."""
        to_deg = pyproj.Transformer.from_crs(crs, 4326, always_xy=True)
        x0, y0, x1, y1 = self.read_bounds_m
        lon, lat = to_deg.transform([x0, x1, x1, x0], [y0, y0, y1, y1])
        return min(lon), min(lat), max(lon), max(lat)


def tile_grid(
    bounds_m: tuple[float, float, float, float], *, tile_km: float, halo_m: float
) -> list[Tile]:
    """Cover ``bounds_m`` (x0, y0, x1, y1 in metres) with tiles of ``tile_km``.

    The tiles on the edge of the grid own everything beyond it on their outer sides.

    Examples
    --------
    A 2.5 km by 1 km area in 1 km tiles with a 100 m halo: three tiles in a row.

    >>> tiles = tile_grid((0.0, 0.0, 2500.0, 1000.0), tile_km=1.0, halo_m=100.0)
    >>> [t.tile_id for t in tiles]
    ['T000_000', 'T001_000', 'T002_000']
    >>> tiles[1].bounds_m, tiles[1].read_bounds_m  # the middle tile owns its square in x
    ((1000.0, -inf, 2000.0, inf), (900.0, -100.0, 2100.0, 1100.0))
    """
    if not tile_km > 0:
        msg = f"--tile-km must be > 0, got {tile_km}"
        raise InputError(msg)
    if halo_m < 0:
        msg = f"halo must be >= 0 m, got {halo_m}"
        raise InputError(msg)
    x0, y0, x1, y1 = bounds_m
    size = tile_km * 1000.0
    nx = max(1, math.ceil((x1 - x0) / size))
    ny = max(1, math.ceil((y1 - y0) / size))
    tiles = []
    far = math.inf
    for j in range(ny):
        for i in range(nx):
            a, b = x0 + i * size, y0 + j * size
            read = (a - halo_m, b - halo_m, a + size + halo_m, b + size + halo_m)
            # the outer tiles own what lies beyond the region's edge too (an extract holds
            # whole ways that reach past its box)
            own = (
                -far if i == 0 else a,
                -far if j == 0 else b,
                far if i == nx - 1 else a + size,
                far if j == ny - 1 else b + size,
            )
            tiles.append(Tile(f"T{i:03d}_{j:03d}", own, read))
    return tiles


def owned(tile: Tile, xy: np.ndarray) -> np.ndarray:
    """Which points (n x 2, metres) lie in the tile's own square (west/south edges included).

    >>> t = Tile("T", (0.0, 0.0, 10.0, 10.0), (-1.0, -1.0, 11.0, 11.0))
    >>> owned(t, np.array([[0.0, 0.0], [10.0, 5.0], [5.0, 9.99]])).tolist()
    [True, False, True]
    """
    x0, y0, x1, y1 = tile.bounds_m
    x, y = xy[:, 0], xy[:, 1]
    return (x >= x0) & (x < x1) & (y >= y0) & (y < y1)
