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
import shapely

from heatmap.errors import InputError

_EDGE_POINTS = 9
"""Points per edge when a read square is turned into degrees (the edges bow in lon/lat)."""

__all__ = [
    "Tile",
    "TileIndex",
    "owned",
    "owned_geometries",
    "read_bbox_of",
    "segment_keys",
    "tile_grid",
]


@dataclass(frozen=True)
class Tile:
    """One tile: its id, its own square and the square it reads (with the halo), in metres.

    ``frame_m`` is the region's extent: an outer tile's open side (its own square runs to
    infinity) is drawn in degrees from it, so the tile reads only what lies beyond the region on
    that side, not the rest of the region.
    """

    tile_id: str
    bounds_m: tuple[float, float, float, float]
    read_bounds_m: tuple[float, float, float, float]
    col: int = 0
    row: int = 0
    frame_m: tuple[float, float, float, float] | None = None

    def read_bbox_deg(self, crs: pyproj.CRS) -> tuple[float, float, float, float]:
        """The read square as W, S, E, N degrees (the envelope of its projected edges).

        An open side (the region's edge) reads everything beyond it.

        >>> crs = pyproj.CRS.from_epsg(27700)
        >>> t = tile_grid((530000.0, 180000.0, 536000.0, 186000.0), tile_km=3.0, halo_m=0.0)
        >>> w, s, e, n = t[3].read_bbox_deg(crs)  # the north-east tile of four
        >>> round(w, 3), round(s, 3), e, n  # from its own corner outwards, not the whole grid
        (-0.084, 51.53, 180.0, 90.0)
        """
        to_deg = pyproj.Transformer.from_crs(crs, 4326, always_xy=True)
        x0, y0, x1, y1 = self.read_bounds_m
        frame = self.frame_m or (x0, y0, x1, y1)

        def finite(v: float, side: int, other: float) -> float:
            if math.isfinite(v):
                return v
            f = frame[side]
            return f if math.isfinite(f) else (other if math.isfinite(other) else 0.0)

        fx0, fx1 = finite(x0, 0, x1), finite(x1, 2, x0)
        fy0, fy1 = finite(y0, 1, y1), finite(y1, 3, y0)
        t = np.linspace(0.0, 1.0, _EDGE_POINTS)
        xs = np.concatenate([fx0 + (fx1 - fx0) * t, np.full_like(t, fx1)])
        ys = np.concatenate([np.full_like(t, fy0), fy0 + (fy1 - fy0) * t])
        xs = np.concatenate([xs, fx1 - (fx1 - fx0) * t, np.full_like(t, fx0)])
        ys = np.concatenate([ys, np.full_like(t, fy1), fy1 - (fy1 - fy0) * t])
        lon, lat = to_deg.transform(xs, ys)
        return (
            -180.0 if x0 == -math.inf else float(np.min(lon)),
            -90.0 if y0 == -math.inf else float(np.min(lat)),
            180.0 if x1 == math.inf else float(np.max(lon)),
            90.0 if y1 == math.inf else float(np.max(lat)),
        )

    def near_read_edge(self, geoms: np.ndarray, margin_m: float) -> np.ndarray:
        """Which geometries come within ``margin_m`` of the read square's edge.

        What the tile finds there may go on beyond what it read (a cluster or zone cut by the
        halo); an open side (the region's edge) has nothing beyond it.
        """
        x0, y0, x1, y1 = self.read_bounds_m
        inner = [
            v if math.isfinite(v) else math.copysign(1e12, v)
            for v in (x0 + margin_m, y0 + margin_m, x1 - margin_m, y1 - margin_m)
        ]
        if inner[0] >= inner[2] or inner[1] >= inner[3]:
            return np.ones(len(geoms), dtype=bool)
        return ~shapely.within(geoms, shapely.box(*inner))


class TileIndex:
    """Find the tiles whose squares meet a box, in the order the tiles were given.

    The grid's columns share their x bounds and its rows their y bounds, so a query looks at the
    columns and rows, not at every tile: a region of thousands of tiles is indexed as cheaply
    as a few.

    >>> tiles = tile_grid((0.0, 0.0, 3000.0, 3000.0), tile_km=1.0, halo_m=100.0)
    >>> [t.tile_id for t in TileIndex(tiles).meeting((950.0, 950.0, 1050.0, 1500.0))]
    ['T000_000', 'T001_000', 'T000_001', 'T001_001']
    """

    def __init__(self, tiles: list[Tile]) -> None:
        self._tiles = list(tiles)
        self._pos = {(t.col, t.row): i for i, t in enumerate(self._tiles)}
        self._cols = sorted({t.col: (t.bounds_m[0], t.bounds_m[2]) for t in tiles}.items())
        self._rows = sorted({t.row: (t.bounds_m[1], t.bounds_m[3]) for t in tiles}.items())

    def meeting(self, bounds: tuple[float, float, float, float]) -> list[Tile]:
        """The tiles whose squares meet ``bounds`` (x0, y0, x1, y1; edges count)."""
        x0, y0, x1, y1 = bounds
        cols = [c for c, (lo, hi) in self._cols if lo <= x1 and hi >= x0]
        rows = [r for r, (lo, hi) in self._rows if lo <= y1 and hi >= y0]
        hits = sorted(self._pos[(c, r)] for c in cols for r in rows if (c, r) in self._pos)
        return [self._tiles[i] for i in hits]


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
    ((1000.0, -inf, 2000.0, inf), (900.0, -inf, 2100.0, inf))
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
            # the outer tiles own (and read) what lies beyond the region's edge too: an
            # extract holds whole ways that reach past its header's box
            own = (
                -far if i == 0 else a,
                -far if j == 0 else b,
                far if i == nx - 1 else a + size,
                far if j == ny - 1 else b + size,
            )
            read = (own[0] - halo_m, own[1] - halo_m, own[2] + halo_m, own[3] + halo_m)
            tiles.append(
                Tile(f"T{i:03d}_{j:03d}", own, read, col=i, row=j, frame_m=(x0, y0, x1, y1))
            )
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


def owned_geometries(tile: Tile, geoms: np.ndarray) -> np.ndarray:
    """Which geometries the tile owns: those whose anchor point lies in its own square.

    The anchor point of a line is its midpoint along its length, of anything else its
    representative point (always inside a polygon), so every tile finds the same point.
    """
    lines = shapely.get_type_id(geoms) == shapely.GeometryType.LINESTRING
    pts = np.empty(len(geoms), dtype=object)
    if lines.any():
        pts[lines] = shapely.line_interpolate_point(geoms[lines], 0.5, normalized=True)
    if (~lines).any():
        pts[~lines] = shapely.point_on_surface(geoms[~lines])
    xy = (
        shapely.get_coordinates(pts.astype(object)).reshape(-1, 2) if len(pts) else np.empty((0, 2))
    )
    return owned(tile, xy)


def segment_keys(geoms: np.ndarray, *, decimals: int = 1) -> np.ndarray:
    """A key per street segment from its two ends and length (0.1 m), whichever way it runs.

    Every tile, and a run in one process, gives a segment the same key, so segments and the
    zones made of them can be matched across tiles.

    >>> from shapely import LineString
    >>> segment_keys(np.array([LineString([(5, 0), (0, 0.04)]), LineString([(0, 0), (5, 0)])]))
    array(['0.0 0.0|5.0 0.0|5.0', '0.0 0.0|5.0 0.0|5.0'], dtype=object)
    """
    a = np.round(shapely.get_coordinates(shapely.get_point(geoms, 0)), decimals) + 0.0
    b = np.round(shapely.get_coordinates(shapely.get_point(geoms, -1)), decimals) + 0.0
    length = np.round(shapely.length(geoms), decimals) + 0.0
    out = []
    for (ax, ay), (bx, by), n in zip(a.tolist(), b.tolist(), length.tolist(), strict=True):
        p, q = f"{ax:.{decimals}f} {ay:.{decimals}f}", f"{bx:.{decimals}f} {by:.{decimals}f}"
        ends = f"{p}|{q}" if (ax, ay) <= (bx, by) else f"{q}|{p}"
        out.append(f"{ends}|{n:.{decimals}f}")
    return np.array(out, dtype=object)


def read_bbox_of(tiles: list[Tile], crs: pyproj.CRS) -> tuple[float, float, float, float]:
    """The W, S, E, N degrees box that holds what every one of the tiles reads."""
    boxes = np.array([t.read_bbox_deg(crs) for t in tiles])
    return (
        float(boxes[:, 0].min()),
        float(boxes[:, 1].min()),
        float(boxes[:, 2].max()),
        float(boxes[:, 3].max()),
    )
