"""The map's search box (named buildings and streets) and the finds of a nearby search."""

from __future__ import annotations

import folium
import geopandas as gpd
import pandas as pd
from branca.element import MacroElement
from jinja2 import Template

from heatmap.outputs._map_geo import POINTS_PANE, to_geojson, to_wgs84
from heatmap.outputs._map_html import (
    legend_section,
    popup_table,
)
from heatmap.outputs.map_params import (
    HEAT,
    MapParams,
)

__all__ = [
    "NEARBY_COLOURS",
    "NEARBY_LAYER",
    "SafeSearchTips",
    "add_nearby_points",
    "named_features",
    "nearby_legend",
]


def named_features(gdf: gpd.GeoDataFrame, kind: str, params: MapParams) -> gpd.GeoDataFrame:
    """Named features for the search box: escaped ``search_name`` and ``label_html``."""
    if "name" not in gdf.columns:
        return gpd.GeoDataFrame({"search_name": [], "kind": []}, geometry=[], crs=4326)
    names = gdf["name"].astype("string")
    sel = names.notna() & (names.str.strip() != "")
    if not sel.any():
        return gpd.GeoDataFrame({"search_name": [], "kind": []}, geometry=[], crs=4326)
    part = gdf[sel.to_numpy()]
    if kind == "street":
        part = part.dissolve(by="name", as_index=False)
    # raw text on purpose: the search box shows it through textContent (see SafeSearchTips),
    # and folium embeds the GeoJSON with <, > and & escaped as JSON unicode escapes
    frame = gpd.GeoDataFrame(
        {"search_name": part["name"].astype(str).to_numpy(), "kind": kind},
        geometry=part.geometry.to_numpy(),
        crs=part.crs,
    )
    return to_wgs84(frame, params)


class SafeSearchTips(MacroElement):
    """Make a folium Search control list matches as plain text and match anywhere in a name.

    leaflet-search writes suggestion text with ``innerHTML`` unless ``buildTip`` is given; this
    supplies one that sets ``textContent``, so OSM names can never inject markup.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this.control }}.options.initial = false;
        {{ this.control }}.options.buildTip = function(text, val) {
            var tip = L.DomUtil.create('a');
            tip.textContent = text;
            return tip;
        };
        {% endmacro %}
        """
    )

    def __init__(self, search_layer_name: str) -> None:
        super().__init__()
        self._name = "SafeSearchTips"
        self.control = f"{search_layer_name}searchControl"


NEARBY_COLOURS = {
    "anchor_load": "#6a3d9a",
    "cluster": "#525252",
    "opportunity_area": "#e7298a",
    "existing_network": "#31a354",
}
"""Marker colour of each kind of find of a nearby search."""

NEARBY_LAYER = "Heat loads and networks near the site"


def nearby_legend(result: gpd.GeoDataFrame) -> str:
    """Return the legend entry of the nearby finds: one colour per kind present."""
    kinds = [k for k in NEARBY_COLOURS if k in set(result["kind"])] if len(result) else []
    items = [(NEARBY_COLOURS[k], k.replace("_", " ")) for k in kinds]
    note = "dashed circle: search radius (straight line, for orientation)"
    return legend_section(NEARBY_LAYER, items, shape="dot", note=note)


def add_nearby_points(m: folium.Map, result: gpd.GeoDataFrame) -> None:
    """Draw the finds of :func:`heatmap.outputs.search.nearby` as circles with escaped popups."""
    popup = popup_table(
        pd.DataFrame(result.drop(columns=result.geometry.name)),
        [
            ("kind", "Kind", None),
            ("name", "Name", None),
            (HEAT, "Heat demand (MWh/yr)", 0),
            ("network_distance_m", "Network distance (m)", 0),
            ("straight_distance_m", "Straight distance (m)", 0),
            ("link_lhd_mwh_per_m_a", "Indicative link LHD (MWh/m/yr)", 2),
            ("link_cost_gbp", "Indicative link cost (£)", 0),
        ],
    )
    colours = NEARBY_COLOURS
    out = gpd.GeoDataFrame(
        {
            "popup_html": popup.to_numpy(),
            "col": result["kind"].map(colours).fillna("#333333").to_numpy(),
        },
        geometry=result.geometry.to_numpy(),
        crs=result.crs,
    ).to_crs(4326)
    folium.GeoJson(
        to_geojson(out),
        name=NEARBY_LAYER,
        marker=folium.CircleMarker(),
        style_function=lambda f: {
            "radius": 7,
            "fill": True,
            "color": f["properties"]["col"],
            "fillColor": f["properties"]["col"],
            "fillOpacity": 0.7,
            "className": "hm-nearby",
            "pane": POINTS_PANE,
        },
        popup=folium.GeoJsonPopup(fields=["popup_html"], labels=False),
    ).add_to(m)
