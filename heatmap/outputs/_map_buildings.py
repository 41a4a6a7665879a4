"""Map layers of buildings: footprints or demand cells by demand, and anchor loads."""

from __future__ import annotations

import logging
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import MacroElement
from jinja2 import Template

from heatmap import schema
from heatmap.errors import InputError
from heatmap.outputs._map_geo import POINTS_PANE, to_geojson, to_wgs84
from heatmap.outputs._map_html import (
    class_items,
    escape_series,
    fmt_number,
    legend_section,
    popup_table,
)
from heatmap.outputs.map_params import (
    ANCHOR_COLOUR,
    DEMAND_CLASS_EDGES_MWH_PER_A,
    DEMAND_COLOURS,
    HEAT,
    MapParams,
)

logger = logging.getLogger("heatmap.outputs.maps")

__all__ = [
    "ANCHORS_LAYER",
    "BUILDINGS_LAYER",
    "BUILDING_POPUP_FIELDS",
    "ZoomSwitch",
    "add_anchor_loads",
    "add_buildings",
    "building_popups",
    "demand_of",
]


def demand_of(gdf: gpd.GeoDataFrame, what: str) -> pd.Series:
    if HEAT not in gdf.columns:
        msg = f"{what}: column {HEAT} is missing; run the demand stage first"
        raise InputError(msg)
    return pd.to_numeric(gdf[HEAT], errors="coerce").fillna(0.0)


def _ownership(gdf: gpd.GeoDataFrame) -> pd.Series:
    for col in (schema.OWNERSHIP, schema.TENURE):
        if col in gdf.columns:
            return gdf[col]
    return pd.Series("unknown", index=gdf.index)


BUILDING_POPUP_FIELDS: tuple[tuple[str, str, int | None], ...] = (
    ("name", "Name", None),
    ("address", "Address", None),
    ("building_id", "Building id", None),
    ("use", "Use", None),
    ("use_source", "Use from", None),
    ("building_tag", "OSM building tag", None),
    ("property_type", "Property type", None),
    ("tm46_category", "TM46 category", None),
    ("floors", "Floors", 0),
    ("floors_source", "Floors from", None),
    ("gross_floor_area_m2", "Floor area, GIA (m²)", 0),
    ("benchmark_kwh_per_m2_a", "Benchmark (kWh/m²/yr)", 0),
    (HEAT, "Heat demand (MWh/yr)", 0),
    ("peak_load_kw", "Peak load (kW)", 0),
    ("demand_source", "Demand from", None),
    ("demand_method", "Demand method", None),
    ("demand_confidence", "Confidence", None),
    ("confidence", "Confidence", None),
    ("exclusion_reason", "Left out because", None),
)
"""Column, label and decimals (None: text) of a building popup; absent columns are skipped."""


def building_popups(buildings: gpd.GeoDataFrame) -> pd.Series:
    """Return one escaped popup table per building from the columns it has."""
    frame = pd.DataFrame(buildings.drop(columns=buildings.geometry.name))
    if buildings.index.name == "building_id" and "building_id" not in frame.columns:
        frame = frame.reset_index()
        frame.index = buildings.index
    return popup_table(frame, BUILDING_POPUP_FIELDS)


def add_buildings(
    m: folium.Map, buildings: gpd.GeoDataFrame, params: MapParams, *, show: bool = True
) -> str:
    """Footprints coloured by demand; with many buildings, demand cells when zoomed out.

    Up to ``max_building_polygons`` buildings: footprints with a popup each. Up to
    ``max_embedded_polygons``: both layers, switched at ``footprint_min_zoom`` (cells below,
    footprints from that zoom), footprints with a tooltip only. Beyond that: cells only.
    Returns the legend entry.
    """
    demand = demand_of(buildings, "buildings")
    n = len(buildings)
    if n > params.max_embedded_polygons:
        _add_building_cells(m, buildings, demand, params)
        return _buildings_legend()
    cells = (
        _add_building_cells(m, buildings, demand, params)
        if n > params.max_building_polygons
        else None
    )
    columns: dict[str, Any] = {
        "c": np.digitize(demand.to_numpy(), DEMAND_CLASS_EDGES_MWH_PER_A),
        "tip": _building_label(buildings, demand),
    }
    with_popups = cells is None
    if with_popups:
        columns["popup_html"] = building_popups(buildings).to_numpy()
    frame = gpd.GeoDataFrame(columns, geometry=buildings.geometry.to_numpy(), crs=buildings.crs)
    footprints = folium.GeoJson(
        to_geojson(to_wgs84(frame, params)),
        name=BUILDINGS_LAYER,
        style_function=lambda f: {
            "color": "#555555",
            "weight": 0.5,
            "fillOpacity": 0.6,
            "fillColor": DEMAND_COLOURS[f["properties"]["c"]],
            "className": "hm-building",
        },
        tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False),
        popup=folium.GeoJsonPopup(fields=["popup_html"], labels=False) if with_popups else None,
        show=show and cells is None,
    )
    footprints.add_to(m)
    if cells is not None:
        ZoomSwitch(footprints.get_name(), cells.get_name(), params.footprint_min_zoom).add_to(m)
    return _buildings_legend()


BUILDINGS_LAYER = "Buildings by heat demand"
"""Name of the footprint layer in the layer control and the legend."""


def _buildings_legend() -> str:
    items = class_items(DEMAND_CLASS_EDGES_MWH_PER_A, DEMAND_COLOURS)
    return legend_section(BUILDINGS_LAYER, items, title=BUILDINGS_LAYER + " (MWh/yr)")


class ZoomSwitch(MacroElement):
    """Show one layer from a zoom level on and another below it (footprints vs demand cells)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
            var map = {{ this._parent.get_name() }};
            function hmZoomSwitch() {
                var near = map.getZoom() >= {{ this.min_zoom }};
                var show = near ? {{ this.near }} : {{ this.far }};
                var hide = near ? {{ this.far }} : {{ this.near }};
                if (map.hasLayer(hide)) { map.removeLayer(hide); }
                if (!map.hasLayer(show)) { map.addLayer(show); }
            }
            map.on('zoomend', hmZoomSwitch);
            hmZoomSwitch();
        })();
        {% endmacro %}
        """
    )

    def __init__(self, near: str, far: str, min_zoom: int) -> None:
        super().__init__()
        self._name = "ZoomSwitch"
        self.near, self.far, self.min_zoom = near, far, int(min_zoom)


def _building_label(buildings: gpd.GeoDataFrame, demand: pd.Series) -> pd.Series:
    name = escape_series(buildings["name"]) if "name" in buildings.columns else None
    text = fmt_number(demand, 0) + " MWh/yr"
    if name is None:
        return text
    return (name + " ").where(name != "", "") + text


def _add_building_cells(
    m: folium.Map, buildings: gpd.GeoDataFrame, demand: pd.Series, params: MapParams
) -> folium.GeoJson:
    cell = params.aggregate_cell_m
    pts = buildings.geometry.representative_point()
    ix = np.floor(pts.x.to_numpy() / cell).astype("int64")
    iy = np.floor(pts.y.to_numpy() / cell).astype("int64")
    table = (
        pd.DataFrame({"ix": ix, "iy": iy, "d": demand.to_numpy()})
        .groupby(["ix", "iy"], sort=False)
        .agg(demand=("d", "sum"), n=("d", "size"))
        .reset_index()
    )
    x0, y0 = table["ix"].to_numpy() * cell, table["iy"].to_numpy() * cell
    geoms = shapely.box(x0, y0, x0 + cell, y0 + cell)
    frame = gpd.GeoDataFrame(
        {
            "c": np.digitize(table["demand"].to_numpy(), DEMAND_CLASS_EDGES_MWH_PER_A),
            "tip": fmt_number(table["demand"], 0)
            + " MWh/yr in "
            + table["n"].astype(str)
            + f" buildings ({cell:g} m cell)",
        },
        geometry=geoms,
        crs=buildings.crs,
    )
    logger.info(
        "%d buildings > %d: %d demand cells of %g m when zoomed out",
        len(buildings),
        params.max_building_polygons,
        len(frame),
        cell,
    )
    layer = folium.GeoJson(
        to_geojson(to_wgs84(frame, params)),
        name=f"{BUILDINGS_LAYER} (per {cell:g} m cell)",
        style_function=lambda f: {
            "color": "#777777",
            "weight": 0.3,
            "fillOpacity": 0.6,
            "fillColor": DEMAND_COLOURS[f["properties"]["c"]],
            "className": "hm-cell",
        },
        tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False),
    )
    layer.add_to(m)
    return layer


def _anchor_mask(buildings: gpd.GeoDataFrame) -> np.ndarray:
    if schema.IS_ANCHOR not in buildings.columns:
        return np.zeros(len(buildings), dtype=bool)
    return buildings[schema.IS_ANCHOR].fillna(False).astype(bool).to_numpy()


ANCHORS_LAYER = "Anchor loads"
"""Name of the anchor-load layer."""


def add_anchor_loads(m: folium.Map, buildings: gpd.GeoDataFrame, params: MapParams) -> str:
    """Anchor loads as circles sized in metres (area proportional to demand), escaped popups.

    Returns the legend entry (empty when there are no anchor loads).
    """
    mask = _anchor_mask(buildings)
    if not mask.any():
        return ""
    anchors = buildings[mask]
    demand = demand_of(anchors, "buildings")
    frame = pd.DataFrame(
        {
            "Name": anchors["name"] if "name" in anchors.columns else "",
            "Building id": anchors.index.astype(str),
            "Use": anchors["use"] if "use" in anchors.columns else "",
            HEAT: demand,
            "peak": anchors["peak_load_kw"] if "peak_load_kw" in anchors.columns else np.nan,
            "Demand source": anchors["demand_source"] if "demand_source" in anchors.columns else "",
            "Ownership": _ownership(anchors),
        },
        index=anchors.index,
    )
    popup = popup_table(
        frame,
        [
            ("Name", "Name", None),
            ("Building id", "Building id", None),
            ("Use", "Use", None),
            (HEAT, "Heat demand (MWh/yr)", 0),
            ("peak", "Peak load (kW)", 0),
            ("Demand source", "Demand source", None),
            ("Ownership", "Ownership", None),
        ],
    )
    rmin, rmax = params.anchor_radius_m
    d = demand.to_numpy()
    scale = np.sqrt(d / d.max()) if d.max() > 0 else np.zeros_like(d)
    radius = np.round(rmin + (rmax - rmin) * scale, 1)
    pts = gpd.GeoDataFrame(
        {"r": radius, "popup_html": popup.to_numpy(), "tip": _building_label(anchors, demand)},
        geometry=anchors.geometry.representative_point().to_numpy(),
        crs=anchors.crs,
    )
    folium.GeoJson(
        to_geojson(to_wgs84(pts, params)),
        name=ANCHORS_LAYER,
        marker=folium.Circle(),
        style_function=lambda f: {
            "radius": f["properties"]["r"],
            "color": "#3f007d",
            "weight": 1.5,
            "fill": True,
            "fillColor": ANCHOR_COLOUR,
            "fillOpacity": 0.55,
            "className": "hm-anchor",
            "pane": POINTS_PANE,
        },
        popup=folium.GeoJsonPopup(fields=["popup_html"], labels=False, class_name="hm-pop"),
        tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False),
    ).add_to(m)
    note = f"circle area ~ demand ({rmin:g}–{rmax:g} m radius)"
    return legend_section(ANCHORS_LAYER, [(ANCHOR_COLOUR, "anchor load")], shape="dot", note=note)
