"""Static figures of the study area: the heat-density raster and the route by LHD."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import geopandas as gpd
import matplotlib as mpl
import matplotlib.image
import numpy as np
from matplotlib.figure import Figure

from heatmap.errors import InputError
from heatmap.outputs._map_geo import density_parts
from heatmap.outputs._map_html import (
    lhd_class_labels,
)
from heatmap.outputs._map_network import dn_weights
from heatmap.outputs.figures import figure_style, save_figure
from heatmap.outputs.map_params import (
    DENSITY_CLASS_EDGES_MWH_PER_HA_A,
    DENSITY_COLOURS,
    LHD_CLASS_EDGES_MWH_PER_M_A,
    LHD_COLOURS,
)

__all__ = ["plot_heat_density", "plot_route_lhd"]


def plot_heat_density(
    density: Any,
    path: str | os.PathLike[str],
    *,
    buildings: gpd.GeoDataFrame | None = None,
    title: str = "Heat density",
    overwrite: bool = False,
) -> Path:
    """Plot the heat-density raster in MWh/ha/yr with the map's class colours.

    Parameters
    ----------
    density
        ``(array_mwh_per_ha_a, affine_transform, crs)`` or an object with attributes
        ``density_mwh_per_ha_a``, ``transform``, ``crs``.
    path
        Target PNG file.
    buildings
        Optional footprints drawn as thin outlines for orientation (same CRS as the raster).
    title
        Figure title.
    overwrite
        Replace an existing file.

    Returns
    -------
    path
        The written PNG.
    """
    arr, transform, crs = density_parts(density)
    rows, cols = arr.shape
    left, top = transform.c, transform.f
    right, bottom = left + transform.a * cols, top + transform.e * rows
    edges = [0.0, *DENSITY_CLASS_EDGES_MWH_PER_HA_A, max(float(np.nanmax(arr)), 2500.0)]
    cmap = mpl.colors.ListedColormap(list(DENSITY_COLOURS))
    norm = mpl.colors.BoundaryNorm(edges, cmap.N)
    shown = np.where(arr > 0, arr, np.nan)
    with figure_style():
        fig = Figure()
        ax = fig.subplots()
        im = ax.imshow(
            shown,
            extent=(left, right, bottom, top),
            cmap=cmap,
            norm=norm,
            interpolation="nearest",
        )
        if buildings is not None and len(buildings):
            buildings.to_crs(crs).boundary.plot(ax=ax, color="#444444", linewidth=0.2)
        cbar = fig.colorbar(im, ax=ax, shrink=0.8, spacing="uniform")
        cbar.set_label("Heat density (MWh/ha/yr)")
        ax.set_title(title)
        ax.set_xlabel("Easting (m)")
        ax.set_ylabel("Northing (m)")
        ax.set_aspect("equal")
        ax.ticklabel_format(style="plain", useOffset=False)
        return save_figure(fig, path, overwrite=overwrite)


def plot_route_lhd(
    route: gpd.GeoDataFrame,
    buildings: gpd.GeoDataFrame | None,
    path: str | os.PathLike[str],
    *,
    title: str = "Route by linear heat density",
    overwrite: bool = False,
) -> Path:
    """Plot route segments coloured by LHD class and weighted by DN over the buildings.

    Parameters
    ----------
    route
        Route segments with ``lhd_mwh_per_m_a`` and optionally ``dn``.
    buildings
        Footprints for context (same CRS), or None.
    path
        Target PNG file.
    title
        Figure title.
    overwrite
        Replace an existing file.

    Returns
    -------
    path
        The written PNG.
    """
    if "lhd_mwh_per_m_a" not in route.columns:
        msg = "route: column lhd_mwh_per_m_a is missing; run the route stage first"
        raise InputError(msg)
    lhd = route["lhd_mwh_per_m_a"].to_numpy(dtype="float64")
    cls = np.digitize(np.nan_to_num(lhd, nan=0.0), LHD_CLASS_EDGES_MWH_PER_M_A)
    widths = dn_weights(route, (0.8, 4.0))
    labels = lhd_class_labels()
    with figure_style():
        fig = Figure()
        ax = fig.subplots()
        if buildings is not None and len(buildings):
            buildings.to_crs(route.crs).plot(ax=ax, color="#d9d9d9", linewidth=0)
        for k, colour in enumerate(LHD_COLOURS):
            sel = cls == k
            if sel.any():
                route[sel].plot(ax=ax, color=colour, linewidth=widths[sel], label=labels[k])
        ax.legend(title="LHD (MWh/m/yr)", loc="best", fontsize=8)
        ax.set_title(title)
        ax.set_xlabel("Easting (m)")
        ax.set_ylabel("Northing (m)")
        ax.set_aspect("equal")
        ax.ticklabel_format(style="plain", useOffset=False)
        return save_figure(fig, path, overwrite=overwrite)
