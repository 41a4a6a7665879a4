"""Heat-density raster (MWh/ha/yr) and heat-network opportunity areas.

Demand is assigned to grid cells by building centroid (each building's whole annual demand goes
to the cell holding its footprint centroid), with ``np.bincount``; optional smoothing spreads it
with a normalised disc kernel, as on the London Heat Map. Opportunity areas follow
the Hotmaps rule (cells >= 333 MWh/ha/yr, 3×3 dilation then erosion, areas >= 30 GWh/yr) and the
Scottish linear-heat-density rule (>= 4,000 kWh/m/yr with >= 2 anchor loads; stringent 8,000
with >= 5).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import rasterio
import rasterio.features
import shapely
from affine import Affine
from scipy import ndimage

from heatmap._io import atomic_path
from heatmap._params import param_field
from heatmap.errors import CRSError, InputError
from heatmap.schema import HEAT_DEMAND_MWH_PER_A

__all__ = [
    "DensityParams",
    "DensityRaster",
    "anchor_count_grid",
    "heat_density_raster",
    "opportunity_areas",
    "opportunity_areas_from_grids",
    "street_length_grid",
    "write_geotiff",
]

M2_PER_HA = 10_000.0
Rule = Literal["hotmaps", "scotland_baseline", "scotland_stringent"]


@dataclass(frozen=True)
class DensityRaster:
    """A heat-density grid.

    Attributes
    ----------
    density_mwh_per_ha_a
        2-D array (rows north to south), MWh per hectare per year.
    transform
        Affine transform of the top-left corner.
    crs
        Projected CRS of the grid.
    cell_size_m
        Cell edge length (m).
    """

    density_mwh_per_ha_a: np.ndarray = field(repr=False)
    transform: Affine
    crs: Any
    cell_size_m: float

    @property
    def demand_mwh_per_a(self) -> np.ndarray:
        """Annual demand per cell (MWh/a)."""
        return self.density_mwh_per_ha_a * self.cell_size_m**2 / M2_PER_HA


@dataclass(frozen=True)
class DensityParams:
    """Parameters of the density stage (scenario table ``[density]``)."""

    cell_size_m: float = param_field(100.0, "raster cell size (m)", "London Heat Map: 100 m cells")
    smoothing_radius_m: float = param_field(
        0.0,
        "radius of the disc smoothing kernel (m); 0 = none",
        "project default (London Heat Map uses kernel smoothing)",
    )
    rules: tuple[str, ...] = param_field(
        ("hotmaps", "scotland_baseline", "scotland_stringent"),
        "opportunity-area rules to apply: hotmaps, scotland_baseline, scotland_stringent",
        "Hotmaps and the Scottish heat-network zoning rules",
    )
    hotmaps_min_density_mwh_per_ha_a: float = param_field(
        333.0, "Hotmaps cell threshold (MWh/ha/yr)", "Hotmaps DH potential"
    )
    hotmaps_min_area_demand_mwh_per_a: float = param_field(
        30_000.0, "Hotmaps minimum area demand (MWh/yr)", "Hotmaps: 30 GWh/yr"
    )
    lhd_baseline_kwh_per_m_a: float = param_field(
        4000.0, "baseline zone LHD (kWh/m/yr)", "Scotland zoning assessment"
    )
    lhd_baseline_min_anchors: int = param_field(2, "baseline anchor loads", "Scotland zoning")
    lhd_stringent_kwh_per_m_a: float = param_field(
        8000.0, "stringent zone LHD (kWh/m/yr)", "Scotland zoning assessment"
    )
    lhd_stringent_min_anchors: int = param_field(5, "stringent anchor loads", "Scotland zoning")
    anchor_threshold_mwh_per_a: float = param_field(
        500.0, "anchor load threshold (MWh/yr)", "Scotland zoning: > 500"
    )
    street_length_m_per_ha: float = param_field(
        385.0,
        "street length per hectare used to estimate LHD when no streets are given (m/ha)",
        "measured: all OSM highway ways of the City of London extract over the buildings' "
        "convex hull (scripts/report_demand_london.py); lower it for suburbs",
    )

    def __post_init__(self) -> None:
        if self.cell_size_m <= 0 or self.smoothing_radius_m < 0:
            msg = "cell_size_m: must be positive; smoothing_radius_m: zero or positive"
            raise ValueError(msg)
        bad = set(self.rules) - {"hotmaps", "scotland_baseline", "scotland_stringent"}
        if bad:
            msg = (
                f"rules: unknown rule(s) {sorted(bad)}; use hotmaps, scotland_baseline, "
                "scotland_stringent"
            )
            raise ValueError(msg)
        if self.street_length_m_per_ha <= 0:
            msg = "street_length_m_per_ha: must be positive"
            raise ValueError(msg)


def _grid(bounds: tuple[float, float, float, float], cell: float) -> tuple[Affine, int, int]:
    minx, miny, maxx, maxy = bounds
    x0 = np.floor(minx / cell) * cell
    y1 = np.ceil(maxy / cell) * cell
    ncol = max(1, int(np.ceil((maxx - x0) / cell)))
    nrow = max(1, int(np.ceil((y1 - miny) / cell)))
    return Affine(cell, 0.0, x0, 0.0, -cell, y1), nrow, ncol


def _bin(
    x: np.ndarray, y: np.ndarray, w: np.ndarray, transform: Affine, shape: tuple[int, int]
) -> np.ndarray:
    cell = transform.a
    col = np.floor((x - transform.c) / cell).astype(np.int64)
    row = np.floor((transform.f - y) / cell).astype(np.int64)
    ok = (col >= 0) & (col < shape[1]) & (row >= 0) & (row < shape[0]) & np.isfinite(w)
    flat = np.bincount(row[ok] * shape[1] + col[ok], weights=w[ok], minlength=shape[0] * shape[1])
    return flat.reshape(shape)


def heat_density_raster(
    buildings: gpd.GeoDataFrame,
    *,
    cell_size_m: float = 100.0,
    smoothing_radius_m: float = 0.0,
    bounds: tuple[float, float, float, float] | None = None,
) -> DensityRaster:
    """Rasterise annual heat demand into a density grid.

    Parameters
    ----------
    buildings
        Output of :func:`heatmap.demand.estimate.estimate_demand` in a projected metric CRS.
    cell_size_m
        Cell edge (m).
    smoothing_radius_m
        Disc kernel radius (m); 0 for none. The kernel is normalised, so total demand is kept
        (the grid is padded by the radius when ``bounds`` is not given).
    bounds
        ``(minx, miny, maxx, maxy)`` of the grid; default: the buildings' extent snapped to the
        cell grid.

    Returns
    -------
    raster
        Density in MWh/ha/yr; each building's demand sits in the cell of its centroid.

    Examples
    --------
    Two buildings share the western 100 m cell (1 ha), a third sits in the eastern one:

    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> b = gpd.GeoDataFrame(
    ...     {"heat_demand_mwh_per_a": [120.0, 21.0, 300.0]},
    ...     geometry=[box(0, 0, 20, 10), box(30, 0, 40, 10), box(150, 50, 170, 70)],
    ...     crs="EPSG:27700")
    >>> r = heat_density_raster(b, cell_size_m=100.0)
    >>> r.density_mwh_per_ha_a.tolist()
    [[141.0, 300.0]]
    >>> float(r.demand_mwh_per_a.sum())  # total demand is kept
    441.0
    """
    if buildings.crs is not None and buildings.crs.is_geographic:
        msg = "heat_density_raster: buildings must be in a projected metric CRS"
        raise CRSError(msg)
    if HEAT_DEMAND_MWH_PER_A not in buildings.columns:
        msg = (
            f"heat_density_raster: buildings have no {HEAT_DEMAND_MWH_PER_A!r}; "
            "run estimate_demand first"
        )
        raise InputError(msg)
    if cell_size_m <= 0 or smoothing_radius_m < 0:
        msg = "cell_size_m must be positive and smoothing_radius_m zero or positive"
        raise InputError(msg)
    geoms = buildings.geometry.to_numpy()
    have = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    cent = shapely.centroid(geoms[have])
    x, y = shapely.get_x(cent), shapely.get_y(cent)
    w = buildings[HEAT_DEMAND_MWH_PER_A].to_numpy(dtype=float)[have]
    if bounds is None:
        if x.size == 0:
            msg = "heat_density_raster: no building geometry to rasterise"
            raise InputError(msg)
        pad = smoothing_radius_m
        bounds = (x.min() - pad, y.min() - pad, x.max() + pad, y.max() + pad)
    transform, nrow, ncol = _grid(bounds, cell_size_m)
    demand = _bin(x, y, w, transform, (nrow, ncol))
    if smoothing_radius_m > 0:
        r = int(np.ceil(smoothing_radius_m / cell_size_m))
        yy, xx = np.mgrid[-r : r + 1, -r : r + 1] * cell_size_m
        kernel = (xx**2 + yy**2 <= smoothing_radius_m**2).astype(float)
        demand = ndimage.convolve(demand, kernel / kernel.sum(), mode="constant", cval=0.0)
    density = demand / (cell_size_m**2 / M2_PER_HA)
    return DensityRaster(density, transform, buildings.crs, float(cell_size_m))


def write_geotiff(
    raster: DensityRaster, path: str | os.PathLike[str], *, overwrite: bool = False
) -> Path:
    """Write a density raster as a single-band float32 GeoTIFF (MWh/ha/yr), atomically.

    Parameters
    ----------
    raster
        From :func:`heat_density_raster`.
    path
        Target ``.tif``.
    overwrite
        Replace an existing file.

    Returns
    -------
    path
        The written file.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> import geopandas as gpd
    >>> import rasterio
    >>> from shapely.geometry import box
    >>> b = gpd.GeoDataFrame({"heat_demand_mwh_per_a": [141.0, 300.0]},
    ...                      geometry=[box(0, 0, 20, 10), box(150, 50, 170, 70)],
    ...                      crs="EPSG:27700")
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = write_geotiff(heat_density_raster(b), pathlib.Path(tmp) / "density.tif")
    ...     with rasterio.open(path) as src:
    ...         band, epsg, dtypes = src.read(1).tolist(), src.crs.to_epsg(), src.dtypes
    >>> band, epsg, dtypes
    ([[141.0, 300.0]], 27700, ('float32',))
    """
    target = Path(path)
    data = raster.density_mwh_per_ha_a.astype("float32")
    with (
        atomic_path(target, overwrite=overwrite) as tmp,
        rasterio.open(
            tmp,
            "w",
            driver="GTiff",
            height=data.shape[0],
            width=data.shape[1],
            count=1,
            dtype="float32",
            crs=raster.crs,
            transform=raster.transform,
            compress="deflate",
        ) as dst,
    ):
        dst.write(data, 1)
        dst.update_tags(1, units="MWh/ha/yr", description="annual heat demand density")
    return target


def street_length_grid(streets: gpd.GeoDataFrame, raster: DensityRaster) -> np.ndarray:
    """Street length per cell of ``raster`` (m), by sampling each line every cell/10 m.

    Examples
    --------
    >>> from shapely.geometry import LineString
    >>> r = DensityRaster(np.zeros((1, 2)), Affine(100.0, 0, 0, 0, -100.0, 100.0), None, 100.0)
    >>> s = gpd.GeoDataFrame(geometry=[LineString([(50, 50), (150, 50)])])
    >>> street_length_grid(s, r).tolist()
    [[50.0, 50.0]]
    """
    lines = shapely.get_parts(streets.geometry.to_numpy())
    lines = lines[shapely.get_type_id(lines) == 1]
    step = raster.cell_size_m / 10.0
    lengths = shapely.length(lines)
    n = np.maximum(1, np.ceil(lengths / step).astype(np.int64))
    which = np.repeat(np.arange(len(lines)), n)
    start = np.cumsum(n) - n
    k = np.arange(which.size) - np.repeat(start, n)
    frac = (k + 0.5) / np.repeat(n, n)
    pts = shapely.line_interpolate_point(lines[which], frac, normalized=True)
    weight = (lengths / n)[which]
    return _bin(
        shapely.get_x(pts),
        shapely.get_y(pts),
        weight,
        raster.transform,
        raster.density_mwh_per_ha_a.shape,
    )


def opportunity_areas(
    buildings: gpd.GeoDataFrame,
    raster: DensityRaster,
    *,
    params: DensityParams | None = None,
    streets: gpd.GeoDataFrame | None = None,
) -> gpd.GeoDataFrame:
    """Find and rank heat-network opportunity areas by the Hotmaps and Scottish LHD rules.

    Parameters
    ----------
    buildings
        Output of :func:`heatmap.demand.estimate.estimate_demand` (anchor loads are buildings at or
        above
        ``params.anchor_threshold_mwh_per_a``).
    raster
        Unsmoothed density raster of the same buildings (:func:`heat_density_raster`).
    params
        Thresholds and the rules to apply.
    streets
        Optional street lines in the raster's CRS; when given, LHD = area demand ÷ street length
        inside the area, else ÷ (area × ``street_length_m_per_ha``).

    Returns
    -------
    areas
        One polygon per area and rule: ``rule``, ``rank`` (1 = largest demand within the rule),
        ``heat_demand_mwh_per_a``, ``area_ha``, ``heat_density_mwh_per_ha_a``,
        ``n_anchor_loads``, ``street_length_m``, ``est_lhd_mwh_per_m_a``, ``lhd_method``.

    Notes
    -----
    Hotmaps: cells >= 333 MWh/ha/yr, closed by a 3×3 dilation then erosion, 8-connected regions
    with >= 30 GWh/yr. Scottish rules: cells whose own estimated LHD reaches the threshold,
    closed the same way, regions whose LHD reaches the threshold and which hold at least the
    required number of anchor loads.

    Examples
    --------
    Four large loads filling a 2 x 2 block of hectare cells (30 GWh/yr) and a small house far
    away:

    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> b = gpd.GeoDataFrame(
    ...     {"heat_demand_mwh_per_a": [9000.0, 8000.0, 7000.0, 6000.0, 50.0]},
    ...     geometry=[box(10, 10, 30, 30), box(110, 10, 130, 30), box(10, 110, 30, 130),
    ...               box(110, 110, 130, 130), box(900, 900, 910, 910)], crs="EPSG:27700")
    >>> areas = opportunity_areas(b, heat_density_raster(b, cell_size_m=100.0))
    >>> cols = ["rule", "heat_demand_mwh_per_a", "area_ha", "n_anchor_loads"]
    >>> print(areas[cols].to_string())  # doctest: +NORMALIZE_WHITESPACE
                          rule  heat_demand_mwh_per_a  area_ha  n_anchor_loads
    area_id
    0                  hotmaps                30000.0      4.0               4
    1        scotland_baseline                30000.0      4.0               4
    """
    params = params or DensityParams()
    demand = raster.demand_mwh_per_a
    cell_ha = raster.cell_size_m**2 / M2_PER_HA
    if streets is not None and len(streets):
        s = streets.to_crs(raster.crs) if streets.crs != raster.crs else streets
        street_m = street_length_grid(s, raster)
        lhd_method = "area demand / street length inside the area"
    else:
        street_m = np.full(demand.shape, params.street_length_m_per_ha * cell_ha)
        lhd_method = f"area demand / (area x {params.street_length_m_per_ha:g} m street per ha)"
    anchor_grid = anchor_count_grid(buildings, raster, params.anchor_threshold_mwh_per_a)
    return opportunity_areas_from_grids(
        raster, street_m, anchor_grid, params=params, lhd_method=lhd_method
    )


def anchor_count_grid(
    buildings: gpd.GeoDataFrame, raster: DensityRaster, threshold_mwh_per_a: float
) -> np.ndarray:
    """Anchor loads (demand at or above the threshold) per cell of ``raster``, by centroid."""
    anchors = buildings[buildings[HEAT_DEMAND_MWH_PER_A] >= threshold_mwh_per_a]
    ac = shapely.centroid(anchors.geometry.to_numpy())
    shape = raster.density_mwh_per_ha_a.shape
    return _bin(shapely.get_x(ac), shapely.get_y(ac), np.ones(len(ac)), raster.transform, shape)


def opportunity_areas_from_grids(
    raster: DensityRaster,
    street_m: np.ndarray,
    anchor_grid: np.ndarray,
    *,
    params: DensityParams,
    lhd_method: str,
) -> gpd.GeoDataFrame:
    """Opportunity areas from the unsmoothed raster, street length and anchors per cell.

    The rules of :func:`opportunity_areas`, which prepares the grids from buildings and streets;
    a region run sums the grids of its tiles and calls this on the whole region.
    """
    demand = raster.demand_mwh_per_a
    cell_ha = raster.cell_size_m**2 / M2_PER_HA
    with np.errstate(divide="ignore", invalid="ignore"):
        cell_lhd = np.where(street_m > 0, demand / street_m, np.inf * (demand > 0))
    struct = np.ones((3, 3), dtype=bool)
    frames = []
    for rule in params.rules:
        if rule == "hotmaps":
            mask = raster.density_mwh_per_ha_a >= params.hotmaps_min_density_mwh_per_ha_a
            lhd_min, n_min = 0.0, 0
        else:
            stringent = rule == "scotland_stringent"
            lhd_min = (
                params.lhd_stringent_kwh_per_m_a if stringent else params.lhd_baseline_kwh_per_m_a
            ) / 1000.0
            n_min = (
                params.lhd_stringent_min_anchors if stringent else params.lhd_baseline_min_anchors
            )
            mask = cell_lhd >= lhd_min
        closed = ndimage.binary_erosion(
            ndimage.binary_dilation(mask, struct), struct, border_value=1
        )
        labels, n = ndimage.label(closed, structure=struct)
        if n == 0:
            continue
        idx = np.arange(1, n + 1)
        area_demand = ndimage.sum_labels(demand, labels, idx)
        cells = ndimage.sum_labels(np.ones_like(demand), labels, idx)
        length = ndimage.sum_labels(street_m, labels, idx)
        n_anchor = ndimage.sum_labels(anchor_grid, labels, idx).astype(int)
        with np.errstate(divide="ignore", invalid="ignore"):
            lhd = np.where(length > 0, area_demand / length, np.inf)
        if rule == "hotmaps":
            keep = area_demand >= params.hotmaps_min_area_demand_mwh_per_a
        else:
            keep = (lhd >= lhd_min) & (n_anchor >= n_min)
        if not keep.any():
            continue
        shapes = rasterio.features.shapes(
            labels.astype(np.int32), mask=labels > 0, transform=raster.transform
        )
        polys: dict[int, list[Any]] = {}
        for geom, value in shapes:
            polys.setdefault(int(value), []).append(shapely.geometry.shape(geom))
        kept = idx[keep]
        geoms = [shapely.union_all(polys[int(k)]) for k in kept]  # one per area, not per building
        area_ha = cells[keep] * cell_ha
        frame = gpd.GeoDataFrame(
            {
                "rule": rule,
                HEAT_DEMAND_MWH_PER_A: area_demand[keep],
                "area_ha": area_ha,
                "heat_density_mwh_per_ha_a": area_demand[keep] / area_ha,
                "n_anchor_loads": n_anchor[keep],
                "street_length_m": length[keep],
                "est_lhd_mwh_per_m_a": lhd[keep],
                "lhd_method": lhd_method,
            },
            geometry=geoms,
            crs=raster.crs,
        )
        frame = frame.sort_values(HEAT_DEMAND_MWH_PER_A, ascending=False)
        frame["rank"] = np.arange(1, len(frame) + 1)
        frames.append(frame)
    if not frames:
        cols = [
            "rule",
            "rank",
            HEAT_DEMAND_MWH_PER_A,
            "area_ha",
            "heat_density_mwh_per_ha_a",
            "n_anchor_loads",
            "street_length_m",
            "est_lhd_mwh_per_m_a",
            "lhd_method",
        ]
        return gpd.GeoDataFrame({c: [] for c in cols}, geometry=[], crs=raster.crs)
    out = pd.concat(frames, ignore_index=True)
    out.index.name = "area_id"
    return gpd.GeoDataFrame(out, geometry="geometry", crs=raster.crs)
