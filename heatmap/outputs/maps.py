"""Interactive maps (folium/Leaflet) and static figures (matplotlib) of a heat-network study.

:func:`render_map` builds the ``map.html`` planners open: base maps, heat-density raster, buildings
coloured by demand, anchor loads, clusters, opportunity areas, existing networks, energy centre and
the route by LHD class, DN and phase, with a legend, scale bar, fullscreen, measure tool and a
search box. Every text shown in a popup, tooltip or search result is HTML-escaped, because OSM
names are user content. The static figures are in :mod:`heatmap.outputs.study_figures`.

All inputs are plain GeoDataFrames in a projected CRS; nothing is mutated.
"""

from __future__ import annotations

import base64
import io
import logging
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Unpack

import folium
import geopandas as gpd
import matplotlib.image
import pandas as pd
from folium import plugins

from heatmap._io import atomic_path
from heatmap.outputs import (
    _map_buildings,
    _map_candidates,
    _map_geo,
    _map_html,
    _map_network,
    _map_search,
    _map_zones,
)
from heatmap.outputs.map_params import (
    DENSITY_CLASS_EDGES_MWH_PER_HA_A,
    DENSITY_COLOURS,
    LHD_CLASS_EDGES_MWH_PER_M_A,
    MapLayers,
    MapParams,
)

logger = logging.getLogger(__name__)

__all__ = [
    "DENSITY_CLASS_EDGES_MWH_PER_HA_A",
    "LHD_CLASS_EDGES_MWH_PER_M_A",
    "MapLayers",
    "MapParams",
    "render_map",
    "render_nearby_map",
    "save_map",
]

_ESRI_ATTR = (
    "Tiles &copy; Esri &mdash; Source: Esri, Maxar, Earthstar Geographics, "
    "and the GIS User Community"
)
_OSM_ATTR = "&copy; OpenStreetMap contributors (ODbL)"


def render_map(
    *,
    buildings: gpd.GeoDataFrame,
    title: str = "Heat network study",
    params: MapParams | None = None,
    summary: Mapping[str, Any] | None = None,
    downloads: Sequence[str] = (),
    summary_rows: Sequence[tuple[str, str, str, int]] = _map_html.RESULT_ROWS,
    **layers: Unpack[MapLayers],
) -> folium.Map:
    """Build the interactive study map.

    Parameters
    ----------
    buildings
        Buildings with ``heat_demand_mwh_per_a``; optional ``name``, ``use``, ``peak_load_kw``,
        ``demand_source``, ``ownership`` (or ``tenure``) and ``is_anchor``. Projected CRS.
    title
        Shown at the top of the map (escaped).
    params
        Drawing options; defaults to :class:`MapParams`.
    summary
        The run's ``summary.json`` mapping: its headline figures fill the results panel and the
        energy centre's popup (plant sizes). No panel without it.
    downloads
        File names beside the map (the run's GIS layers and tables) linked from the results
        panel for download.
    summary_rows
        The (summary key, label, unit, decimals) rows of the results panel; default a network's
        headline figures.
    **layers
        The optional layers of :class:`~heatmap.outputs.map_params.MapLayers` (``route``,
        ``density``, ``opportunity_areas``, ``clusters``, ``existing_networks``,
        ``energy_centre``, ``streets``); a missing or None layer is left out.

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
    crs = _map_geo.require_projected(buildings, "buildings")
    lon, lat = _map_geo.centre_lonlat(buildings)
    m = folium.Map(location=[lat, lon], zoom_start=15, tiles=None, control_scale=True)
    _add_base_maps(m)
    _root(m).header.add_child(folium.Element(_map_html.map_css()))
    _map_geo.add_points_pane(m)
    sections = _add_layers(m, buildings, crs, p, layers, summary)
    named = [_map_search.named_features(buildings, "building", p)]
    streets = layers.get("streets")
    if streets is not None and len(streets):
        named.append(_map_search.named_features(streets, "street", p))
    _add_search(m, named)
    plugins.Fullscreen(position="topleft").add_to(m)
    plugins.MeasureControl(
        position="topleft", primary_length_unit="meters", primary_area_unit="sqmeters"
    ).add_to(m)
    _root(m).html.add_child(folium.Element(_map_html.title_html(title)))
    legend = _map_html.legend_html([s for s in sections if s])
    _root(m).html.add_child(folium.Element(legend))
    if summary:
        candidates = layers.get("candidates")
        table = "" if candidates is None else _map_candidates.candidates_table_html(candidates)
        table += _map_html.downloads_html(downloads)
        _root(m).html.add_child(
            folium.Element(_map_html.results_html(summary, extra=table, rows=summary_rows))
        )
    folium.LayerControl(collapsed=False, position="topright").add_to(m)
    # keep the study area clear of the legend (left) and the layer list and results (right)
    m.fit_bounds(
        _map_geo.bounds_latlon(buildings),
        padding_top_left=(320, 50),
        padding_bottom_right=(310, 30),
    )
    return m


def _add_layers(
    m: folium.Map,
    buildings: gpd.GeoDataFrame,
    crs: Any,
    p: MapParams,
    layers: MapLayers,
    summary: Mapping[str, Any] | None,
) -> list[str]:
    """Draw every layer given, bottom to top; return their legend entries in the same order."""
    sections: list[str] = []
    density = layers.get("density")
    if density is not None:
        sections.append(_add_density(m, density, p))
    sections.append(_map_buildings.add_buildings(m, buildings, p))
    optional: tuple[tuple[str, Any], ...] = (
        ("street_lhd", _map_candidates.add_street_lhd),
        ("zones", _map_zones.add_zones),
        ("opportunity_areas", _map_zones.add_opportunity_areas),
        ("clusters", _map_zones.add_clusters),
        ("existing_networks", _map_zones.add_existing_networks),
        ("candidates", _map_candidates.add_candidates),
        ("route", _map_network.add_route),
    )
    for key, add in optional:
        gdf: Any = layers.get(key)
        if gdf is None or not len(gdf):
            continue
        if key == "candidates":
            # the candidates are the map's subject unless a chosen route is drawn
            sections.append(add(m, gdf, p, show=layers.get("route") is None))
        else:
            sections.append(add(m, gdf, p))
    candidates = layers.get("candidates")
    if candidates is not None and len(candidates):
        section = _map_candidates.add_heat_supply(m, candidates, crs)
        if section:
            sections.append(section)
    energy_centre = layers.get("energy_centre")
    if energy_centre is not None:
        sections.append(
            _map_network.add_energy_centre(
                m, energy_centre, crs, summary, layers.get("energy_centre_alternatives")
            )
        )
    sections.append(_map_buildings.add_anchor_loads(m, buildings, p))
    return sections


def render_nearby_map(
    result: gpd.GeoDataFrame,
    site_lonlat: tuple[float, float],
    *,
    radius_m: float,
    title: str = "Heat near the site",
) -> folium.Map:
    """Draw the result of :func:`heatmap.outputs.search.nearby`: site, search radius, finds.

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
    _root(m).header.add_child(folium.Element(_map_html.map_css()))
    _map_geo.add_points_pane(m)
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
        _map_search.add_nearby_points(m, result)
    _root(m).html.add_child(folium.Element(_map_html.title_html(title)))
    legend = _map_html.legend_html([_map_search.nearby_legend(result)])
    _root(m).html.add_child(folium.Element(legend))
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
    """Return the branca Figure holding the map (typed loosely: branca ships no type hints)."""
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


DENSITY_LAYER = "Heat density (MWh/ha/yr)"


def _add_density(m: folium.Map, density: Any, p: MapParams) -> str:
    arr, transform, crs = _map_geo.density_parts(density)
    rgba, bounds = _map_geo.density_rgba_3857(
        arr, transform, crs, DENSITY_CLASS_EDGES_MWH_PER_HA_A, DENSITY_COLOURS
    )
    buf = io.BytesIO()
    matplotlib.image.imsave(buf, rgba, format="png")
    uri = "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")
    group = folium.FeatureGroup(name=DENSITY_LAYER, show=True)
    folium.raster_layers.ImageOverlay(
        uri, bounds=bounds, opacity=p.density_opacity, interactive=False, zindex=1
    ).add_to(group)
    group.add_to(m)
    items = _map_html.class_items(DENSITY_CLASS_EDGES_MWH_PER_HA_A, DENSITY_COLOURS)
    return _map_html.legend_section(DENSITY_LAYER, items)


def _add_search(m: folium.Map, named: list[gpd.GeoDataFrame]) -> None:
    frames = [g for g in named if len(g)]
    if not frames:
        return
    gdf = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs="EPSG:4326")
    layer = folium.GeoJson(
        _map_geo.to_geojson(gdf),
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
        control=False,
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
    _map_search.SafeSearchTips(layer.get_name()).add_to(m)
