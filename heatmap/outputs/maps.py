"""Interactive maps (folium/Leaflet) and static figures (matplotlib) of a heat-network study.

:func:`render_map` builds the ``map.html`` planners open: base maps, heat-density raster, buildings
coloured by demand, anchor loads, clusters, opportunity areas, existing networks, energy centre and
the route by LHD class, DN and phase, with a legend, scale bar, fullscreen, measure tool and a
search box. Every text shown in a popup, tooltip or search result is HTML-escaped, because OSM
names are user content. :func:`plot_heat_density` and :func:`plot_route_lhd` write PNG figures in
the house style (:func:`figure_style`, :func:`save_figure`), which other stages reuse.

All inputs are plain GeoDataFrames in a projected CRS; nothing is mutated.
"""

from __future__ import annotations

import base64
import io
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd
import matplotlib as mpl
import matplotlib.image
import numpy as np
import pandas as pd
from folium import plugins
from matplotlib.figure import Figure
from shapely.geometry.base import BaseGeometry

from heatmap.outputs import map_layers as _layers
from heatmap.errors import InputError
from heatmap.outputs.figures import figure_style, save_figure
from heatmap._io import atomic_path

logger = logging.getLogger(__name__)

__all__ = [
    "DENSITY_CLASS_EDGES_MWH_PER_HA_A",
    "LHD_CLASS_EDGES_MWH_PER_M_A",
    "MapParams",
    "figure_style",
    "plot_heat_density",
    "plot_route_lhd",
    "render_map",
    "render_nearby_map",
    "save_figure",
    "save_map",
]

DENSITY_CLASS_EDGES_MWH_PER_HA_A: tuple[float, ...] = (50.0, 150.0, 333.0, 600.0, 1000.0, 2000.0)
"""Heat-density class edges, MWh/ha/yr; 333 is the Hotmaps DH-potential threshold."""

LHD_CLASS_EDGES_MWH_PER_M_A: tuple[float, ...] = (1.5, 3.0, 4.0, 8.0)
"""LHD class edges, MWh/m/yr: 3 is the Killingworth study's viability threshold; 4 and 8 are the
Scottish baseline and stringent LHD thresholds (4,000 and 8,000 kWh/m/yr)."""

_LHD_COLOURS = ("#b2182b", "#ef8a62", "#fddbc7", "#67a9cf", "#2166ac")
_DEMAND_EDGES_MWH_PER_A = (25.0, 100.0, 250.0, 500.0, 1000.0)
_DEMAND_COLOURS = ("#ffffcc", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026")
_DENSITY_COLOURS = ("#fff5eb", "#fdd0a2", "#fdae6b", "#fd8d3c", "#e6550d", "#a63603", "#7f2704")

_ESRI_ATTR = (
    "Tiles &copy; Esri &mdash; Source: Esri, Maxar, Earthstar Geographics, "
    "and the GIS User Community"
)
_OSM_ATTR = "&copy; OpenStreetMap contributors (ODbL)"


@dataclass(frozen=True)
class MapParams:
    """How :func:`render_map` draws and lightens the map."""

    simplify_tolerance_m: float = field(
        default=0.75,
        metadata={
            "doc": "Douglas-Peucker tolerance applied in the projected CRS before reprojecting, m",
            "source": "chosen: below OSM digitising accuracy, cuts vertices ~40 % on footprints",
        },
    )
    coordinate_decimals: int = field(
        default=6,
        metadata={"doc": "decimals kept in WGS84 coordinates (6 = ~0.1 m)", "source": "chosen"},
    )
    max_building_polygons: int = field(
        default=5000,
        metadata={
            "doc": "above this many buildings, draw demand per grid cell when zoomed out",
            "source": "chosen so a town-scale map.html stays well under 10 MB",
        },
    )
    max_embedded_polygons: int = field(
        default=60000,
        metadata={
            "doc": "above this many buildings, footprints are left out and only cells are drawn",
            "source": "chosen: ~60,000 simplified footprints is about 15-20 MB of HTML",
        },
    )
    footprint_min_zoom: int = field(
        default=16,
        metadata={
            "doc": "zoom level from which footprints replace demand cells (with many buildings)",
            "source": "chosen: at zoom 16 a 100 m cell is about 40 pixels",
        },
    )
    aggregate_cell_m: float = field(
        default=100.0,
        metadata={"doc": "grid cell size for aggregated building demand, m", "source": "DESIGN §4"},
    )
    density_opacity: float = field(
        default=0.65,
        metadata={"doc": "opacity of the heat-density overlay, 0-1", "source": "chosen"},
    )
    anchor_radius_px: tuple[float, ...] = field(
        default=(5.0, 18.0),
        metadata={
            "doc": "(smallest, largest) anchor circle radius in pixels; area scales with demand",
            "source": "chosen",
        },
    )
    dn_weight_px: tuple[float, ...] = field(
        default=(2.0, 9.0),
        metadata={
            "doc": "(smallest, largest) route line weight in pixels by DN",
            "source": "chosen",
        },
    )

    def __post_init__(self) -> None:
        if self.simplify_tolerance_m < 0:
            msg = "simplify_tolerance_m: must be >= 0 (0 disables simplification)"
            raise ValueError(msg)
        if not 0 <= self.coordinate_decimals <= 10:
            msg = "coordinate_decimals: must be between 0 and 10 (6 keeps ~0.1 m)"
            raise ValueError(msg)
        if self.max_building_polygons < 0:
            msg = "max_building_polygons: must be >= 0"
            raise ValueError(msg)
        if self.max_embedded_polygons < self.max_building_polygons:
            msg = "max_embedded_polygons: must be >= max_building_polygons"
            raise ValueError(msg)
        if not 0 <= self.footprint_min_zoom <= 22:
            msg = "footprint_min_zoom: must be a Leaflet zoom level between 0 and 22"
            raise ValueError(msg)
        if self.aggregate_cell_m <= 0:
            msg = "aggregate_cell_m: must be > 0 metres"
            raise ValueError(msg)
        if not 0 <= self.density_opacity <= 1:
            msg = "density_opacity: must be between 0 and 1"
            raise ValueError(msg)
        for name in ("anchor_radius_px", "dn_weight_px"):
            pair = getattr(self, name)
            if len(pair) != 2 or not 0 < pair[0] <= pair[1]:
                msg = f"{name}: give two positive numbers (smallest, largest), smallest first"
                raise ValueError(msg)


# --------------------------------------------------------------------------------------------
# the interactive map
# --------------------------------------------------------------------------------------------


def render_map(
    *,
    buildings: gpd.GeoDataFrame,
    route: gpd.GeoDataFrame | None = None,
    density: Any = None,
    opportunity_areas: gpd.GeoDataFrame | None = None,
    clusters: gpd.GeoDataFrame | None = None,
    existing_networks: gpd.GeoDataFrame | None = None,
    energy_centre: BaseGeometry | None = None,
    streets: gpd.GeoDataFrame | None = None,
    title: str = "Heat network study",
    params: MapParams | None = None,
) -> folium.Map:
    """Build the interactive study map.

    Parameters
    ----------
    buildings
        Buildings with ``heat_demand_mwh_per_a``; optional ``name``, ``use``, ``peak_load_kw``,
        ``demand_source``, ``ownership`` (or ``tenure``) and ``is_anchor``. Projected CRS.
    route
        Route segments (``segment_id``, ``lhd_mwh_per_m_a``, ``dn``, ``phase``, ... per DESIGN §3).
    density
        Heat-density raster: ``(array_mwh_per_ha_a, affine_transform, crs)`` or an object with
        attributes ``density_mwh_per_ha_a``, ``transform`` and ``crs``.
    opportunity_areas, clusters
        Polygons with their statistics; every scalar column is shown in the popup.
    existing_networks
        Points with ``name``, ``operator``, ``technology``, ``status`` (e.g. DESNZ HNPD).
    energy_centre
        Energy-centre point in the buildings' CRS.
    streets
        Street lines with ``name``: named streets join the search box.
    title
        Shown at the top of the map (escaped).
    params
        Drawing options; defaults to :class:`MapParams`.

    Returns
    -------
    map
        A :class:`folium.Map`; write it with :func:`save_map`.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> b = gpd.GeoDataFrame({"heat_demand_mwh_per_a": [120.0], "name": ["Hall"]},
    ...                      geometry=[box(0, 0, 20, 20)], crs=27700).rename_axis("building_id")
    >>> m = render_map(buildings=b, title="Demo")
    >>> "Buildings" in m.get_root().render()
    True
    """
    p = params or MapParams()
    crs = _layers.require_projected(buildings, "buildings")
    lon, lat = _layers.centre_lonlat(buildings)
    m = folium.Map(location=[lat, lon], zoom_start=15, tiles=None, control_scale=True)
    _add_base_maps(m)
    _root(m).header.add_child(folium.Element(_layers.map_css()))
    _layers.add_points_pane(m)
    if density is not None:
        _add_density(m, density, p)
    _layers.add_buildings(m, buildings, p)
    named = [_layers.named_features(buildings, "building", p)]
    for gdf, name, kind in (
        (opportunity_areas, "Opportunity areas", "opportunity"),
        (clusters, "Clusters", "cluster"),
    ):
        if gdf is not None and len(gdf):
            _layers.add_polygons_with_stats(m, gdf, name=name, kind=kind, params=p)
    if existing_networks is not None and len(existing_networks):
        _layers.add_existing_networks(m, existing_networks, p)
    if route is not None and len(route):
        _layers.add_route(m, route, p)
    if energy_centre is not None:
        _layers.add_energy_centre(m, energy_centre, crs)
    _layers.add_anchor_loads(m, buildings, p)
    if streets is not None and len(streets):
        named.append(_layers.named_features(streets, "street", p))
    _add_search(m, named)
    plugins.Fullscreen(position="topleft").add_to(m)
    plugins.MeasureControl(
        position="topleft", primary_length_unit="meters", primary_area_unit="sqmeters"
    ).add_to(m)
    _root(m).html.add_child(folium.Element(_layers.title_html(title)))
    legend = _layers.legend_html(
        with_route=route is not None,
        density_classes=(DENSITY_CLASS_EDGES_MWH_PER_HA_A, _DENSITY_COLOURS)
        if density is not None
        else None,
    )
    _root(m).html.add_child(folium.Element(legend))
    folium.LayerControl(collapsed=False, position="topright").add_to(m)
    bounds = _layers.bounds_latlon(buildings)
    m.fit_bounds(bounds)
    return m


def render_nearby_map(
    result: gpd.GeoDataFrame,
    site_lonlat: tuple[float, float],
    *,
    radius_m: float,
    title: str = "Heat near the site",
) -> folium.Map:
    """Draw the result of :func:`heatmap.outputs.search.nearby`: the site, the search radius, the finds.

    Parameters
    ----------
    result
        Output of :func:`heatmap.outputs.search.nearby` (points, projected CRS).
    site_lonlat
        The site as (longitude, latitude).
    radius_m
        Search radius (network distance), m; drawn as a straight-line circle for orientation.
    title
        Shown at the top of the map (escaped).

    Returns
    -------
    map
        A small :class:`folium.Map`.
    """
    lon, lat = site_lonlat
    m = folium.Map(location=[lat, lon], zoom_start=15, tiles=None, control_scale=True)
    _add_base_maps(m)
    _root(m).header.add_child(folium.Element(_layers.map_css()))
    _layers.add_points_pane(m)
    folium.Circle(
        [lat, lon], radius=radius_m, color="#555555", fill=False, dash_array="6", weight=1
    ).add_to(m)
    folium.CircleMarker(
        [lat, lon],
        radius=8,
        color="#000000",
        fill=True,
        fill_color="#ffffff",
        fill_opacity=1,
        tooltip="Site",
    ).add_to(m)
    if len(result):
        _layers.add_nearby_points(m, result)
    _root(m).html.add_child(folium.Element(_layers.title_html(title)))
    folium.LayerControl(collapsed=False).add_to(m)
    return m


def save_map(m: folium.Map, path: str | os.PathLike[str], *, overwrite: bool = False) -> Path:
    """Write ``m`` as a standalone HTML file, atomically.

    Parameters
    ----------
    m
        The map from :func:`render_map`.
    path
        Target ``.html`` file.
    overwrite
        Replace an existing file.

    Returns
    -------
    path
        The written file.
    """
    target = Path(path)
    page = m.get_root().render()
    with atomic_path(target, overwrite=overwrite) as tmp:
        tmp.write_text(page, encoding="utf-8")
    logger.info("wrote %s (%.2f MB)", target, target.stat().st_size / 1e6)
    return target


def _root(m: folium.Map) -> Any:
    """The branca Figure holding the map (typed loosely: branca ships no type hints)."""
    return m.get_root()


def _add_base_maps(m: folium.Map) -> None:
    folium.TileLayer("OpenStreetMap", name="OpenStreetMap", attr=_OSM_ATTR).add_to(m)
    folium.TileLayer(
        tiles="https://server.arcgisonline.com/ArcGIS/rest/services/Canvas/World_Light_Gray_Base/MapServer/tile/{z}/{y}/{x}",
        name="Light grey (Esri)",
        attr="Tiles &copy; Esri &mdash; Esri, HERE, Garmin, " + _OSM_ATTR,
        max_zoom=16,
        show=False,
    ).add_to(m)
    folium.TileLayer(
        tiles="https://server.arcgisonline.com/ArcGIS/rest/services/World_Imagery/MapServer/tile/{z}/{y}/{x}",
        name="Satellite (Esri World Imagery)",
        attr=_ESRI_ATTR,
        max_zoom=19,
        show=False,
    ).add_to(m)


def _density_parts(density: Any) -> tuple[np.ndarray, Any, Any]:
    if isinstance(density, tuple | list):
        if len(density) != 3:
            msg = "density: give (array_mwh_per_ha_a, affine_transform, crs)"
            raise InputError(msg)
        array, transform, crs = density
    else:
        try:
            array, transform, crs = density.density_mwh_per_ha_a, density.transform, density.crs
        except AttributeError as exc:
            msg = (
                "density: expected (array, transform, crs) or an object with attributes "
                "density_mwh_per_ha_a, transform and crs"
            )
            raise InputError(msg) from exc
    arr = np.asarray(array, dtype="float64")
    if arr.ndim != 2:
        msg = f"density: the raster must be a 2-D array, got shape {arr.shape}"
        raise InputError(msg)
    return arr, transform, crs


def _add_density(m: folium.Map, density: Any, p: MapParams) -> None:
    arr, transform, crs = _density_parts(density)
    rgba, bounds = _layers.density_rgba_3857(
        arr, transform, crs, DENSITY_CLASS_EDGES_MWH_PER_HA_A, _DENSITY_COLOURS
    )
    buf = io.BytesIO()
    matplotlib.image.imsave(buf, rgba, format="png")
    uri = "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")
    group = folium.FeatureGroup(name="Heat density (MWh/ha/yr)", show=True)
    folium.raster_layers.ImageOverlay(
        uri, bounds=bounds, opacity=p.density_opacity, interactive=False, zindex=1
    ).add_to(group)
    group.add_to(m)


def _add_search(m: folium.Map, named: list[gpd.GeoDataFrame]) -> None:
    frames = [g for g in named if len(g)]
    if not frames:
        return
    gdf = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs="EPSG:4326")
    layer = folium.GeoJson(
        _layers.to_geojson(gdf),
        name="Named buildings and streets",
        style_function=lambda _f: {
            "color": "#ff00ff",
            "weight": 0,
            "opacity": 0.0,
            "fillOpacity": 0.0,
            "className": "hm-named",
            "interactive": False,
        },
        show=False,
    )
    layer.add_to(m)
    search = plugins.Search(
        layer=layer,
        search_label="search_name",
        geom_type="Polygon",
        placeholder="Search buildings and streets",
        collapsed=False,
        search_zoom=17,
        position="topleft",
        color="#ff00ff",
        weight=4,
        opacity=1.0,
    )
    search.add_to(m)
    _layers.SafeSearchTips(layer.get_name()).add_to(m)


# --------------------------------------------------------------------------------------------
# static figures
# --------------------------------------------------------------------------------------------


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
    arr, transform, crs = _density_parts(density)
    rows, cols = arr.shape
    left, top = transform.c, transform.f
    right, bottom = left + transform.a * cols, top + transform.e * rows
    edges = [0.0, *DENSITY_CLASS_EDGES_MWH_PER_HA_A, max(float(np.nanmax(arr)), 2500.0)]
    cmap = mpl.colors.ListedColormap(list(_DENSITY_COLOURS))
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
    widths = _layers.dn_weights(route, (0.8, 4.0))
    labels = _layers.lhd_class_labels()
    with figure_style():
        fig = Figure()
        ax = fig.subplots()
        if buildings is not None and len(buildings):
            buildings.to_crs(route.crs).plot(ax=ax, color="#d9d9d9", linewidth=0)
        for k, colour in enumerate(_LHD_COLOURS):
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
