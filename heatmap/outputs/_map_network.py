"""Map layers of the network: route by LHD, DN and phase, energy centre, zones, networks."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import CRS
from shapely.geometry.base import BaseGeometry

from heatmap.outputs._map_geo import POINTS_PANE, ROUTE_PANE, to_geojson, to_wgs84
from heatmap.outputs._map_html import class_items, legend_section, popup_table
from heatmap.outputs.map_params import (
    ENERGY_CENTRE_COLOUR,
    LHD_CLASS_EDGES_MWH_PER_M_A,
    LHD_COLOURS,
    PHASE_DASH,
    MapParams,
)

__all__ = [
    "ENERGY_CENTRE_FIELDS",
    "ENERGY_CENTRE_LAYER",
    "ROUTE_LAYER",
    "ROUTE_POPUP_FIELDS",
    "add_energy_centre",
    "add_route",
    "dn_weights",
    "route_style",
]


def dn_weights(route: gpd.GeoDataFrame, px: Sequence[float]) -> np.ndarray:
    """Line weights scaled linearly with DN between px[0] and px[1] (mid value when no DN)."""
    lo, hi = float(px[0]), float(px[1])
    if "dn" not in route.columns:
        return np.full(len(route), (lo + hi) / 2)
    dn = pd.to_numeric(route["dn"], errors="coerce").to_numpy(dtype="float64")
    finite = np.isfinite(dn)
    if not finite.any():
        return np.full(len(route), (lo + hi) / 2)
    dmin, dmax = np.nanmin(dn), np.nanmax(dn)
    span = dmax - dmin if dmax > dmin else 1.0
    w = lo + (hi - lo) * (np.nan_to_num(dn, nan=dmin) - dmin) / span
    return np.round(w, 1)


ROUTE_LAYER = "Route"
ENERGY_CENTRE_LAYER = "Energy centre"

ROUTE_POPUP_FIELDS: tuple[tuple[str, str, int | None], ...] = (
    ("segment_id", "Segment", None),
    ("name", "Street", None),
    ("kind", "Kind", None),
    ("phase", "Phase", None),
    ("length_m", "Length (m)", 0),
    ("dig_class", "Trench class", None),
    ("n_crossings", "Railway/river crossings", 0),
    ("capex_gbp", "Pipe and trench cost (GBP)", 0),
    ("lhd_mwh_per_m_a", "LHD (MWh/m/yr)", 2),
    ("served_heat_mwh_per_a", "Heat served (MWh/yr)", 0),
    ("served_peak_kw", "Peak served (kW)", 0),
    ("n_downstream", "Loads downstream", 0),
    ("dn", "DN", 0),
    ("velocity_m_per_s", "Velocity (m/s)", 2),
    ("pressure_drop_pa_per_m", "Pressure drop (Pa/m)", 0),
    ("heat_loss_w_per_m", "Heat loss (W/m)", 1),
    ("heat_loss_mwh_per_a", "Heat loss (MWh/yr)", 1),
    ("capex_gbp", "CAPEX (£)", 0),
)
"""Column, label and decimals (None: text) of a route-segment popup."""


def add_route(m: folium.Map, route: gpd.GeoDataFrame, params: MapParams) -> str:
    """Route segments coloured by LHD class, weighted by DN, one layer per phase, all shown.

    Returns the legend entry.
    """
    frame = route.reset_index(drop="segment_id" in route.columns)
    lhd = pd.to_numeric(frame.get("lhd_mwh_per_m_a", np.nan), errors="coerce")
    cls = np.digitize(
        np.nan_to_num(np.asarray(lhd, dtype="float64"), nan=0.0), LHD_CLASS_EDGES_MWH_PER_M_A
    )
    popup = popup_table(pd.DataFrame(frame.drop(columns=frame.geometry.name)), ROUTE_POPUP_FIELDS)
    phase = (
        pd.to_numeric(frame["phase"], errors="coerce").fillna(1).astype(int)
        if "phase" in frame.columns
        else pd.Series(1, index=frame.index)
    )
    out = gpd.GeoDataFrame(
        {
            "c": cls,
            "w": dn_weights(frame, params.dn_weight_px),
            "p": phase.to_numpy(),
            "popup_html": popup.to_numpy(),
        },
        geometry=frame.geometry.to_numpy(),
        crs=route.crs,
    )
    out = to_wgs84(out, params)
    phases = sorted(out["p"].unique())
    for ph in phases:
        part = out[out["p"] == ph]
        name = ROUTE_LAYER if len(phases) == 1 else f"{ROUTE_LAYER} – phase {int(ph)}"
        group = folium.FeatureGroup(name=name, show=True)
        data = to_geojson(part)
        # a white casing under the coloured line keeps the route readable over the buildings
        folium.GeoJson(data, style_function=route_casing_style, interactive=False).add_to(group)
        folium.GeoJson(
            data,
            style_function=route_style,
            popup=folium.GeoJsonPopup(fields=["popup_html"], labels=False),
        ).add_to(group)
        group.add_to(m)
    note = "line width: pipe DN" + ("; dashes: later phases" if len(phases) > 1 else "")
    items = class_items(LHD_CLASS_EDGES_MWH_PER_M_A, LHD_COLOURS, fmt="g")
    return legend_section(ROUTE_LAYER, items, title="Route by LHD (MWh/m/yr)", note=note)


def route_casing_style(feature: dict[str, Any]) -> dict[str, Any]:
    """Leaflet style of the white casing drawn under a route segment."""
    return {
        "color": "#ffffff",
        "weight": feature["properties"]["w"] + 4,
        "opacity": 0.9,
        "className": "hm-route-casing",
        "pane": ROUTE_PANE,
    }


def route_style(feature: dict[str, Any]) -> dict[str, Any]:
    """Leaflet style of a route segment: LHD class colour, DN weight, phase dashes."""
    props = feature["properties"]
    style: dict[str, Any] = {
        "color": LHD_COLOURS[props["c"]],
        "weight": props["w"],
        "opacity": 0.95,
        "className": "hm-route",
        "pane": ROUTE_PANE,
    }
    dash = PHASE_DASH.get(int(props["p"]), "1 5")
    if dash:
        style["dashArray"] = dash
    return style


ENERGY_CENTRE_FIELDS: tuple[tuple[str, str, int | None], ...] = (
    ("hp_capacity_kw", "Heat pump (kW)", 0),
    ("boiler_capacity_kw", "Boilers (kW)", 0),
    ("store_volume_m3", "Thermal store (m³)", 0),
    ("peak_demand_kw", "Network peak (kW)", 0),
    ("low_carbon_share_pct", "Low-carbon heat (%)", 1),
    ("spf", "Heat pump SPF", 2),
)
"""Summary key, label and decimals of the energy-centre popup."""


def alternatives_html(alternatives: pd.DataFrame | None, chosen: BaseGeometry) -> str:
    """The sites the siting compared, cheapest first: extra route cost and distance (escaped)."""
    if alternatives is None or len(alternatives) < 2 or "route_cost" not in alternatives:
        return ""
    alt = alternatives.sort_values("route_cost", kind="stable")
    best = float(alt["route_cost"].iloc[0])
    rows = []
    for _, r in alt.head(5).iterrows():
        gap = math.hypot(float(r["x"]) - chosen.x, float(r["y"]) - chosen.y)
        extra = float(r["route_cost"]) - best
        tag = " (chosen)" if bool(r.get("chosen", False)) else ""
        rows.append(
            f"<tr><td>{escape(str(r.get('site_id', '')))}{tag}</td>"
            f"<td>+£{extra:,.0f}</td><td>{gap:,.0f} m</td></tr>"
        )
    return (
        "<br><b>Sites compared</b> (route cost over the cheapest, distance)"
        f'<table class="hm-alternatives">{"".join(rows)}</table>'
    )


def add_energy_centre(
    m: folium.Map,
    point: BaseGeometry,
    crs: CRS,
    summary: Mapping[str, Any] | None = None,
    alternatives: pd.DataFrame | None = None,
) -> str:
    """Draw the energy centre with its plant sizes and the sites compared; returns the legend."""
    geom = gpd.GeoSeries([point], crs=crs).to_crs(4326).iloc[0]
    if geom.geom_type != "Point":
        geom = geom.representative_point()
    facts = pd.DataFrame([{k: (summary or {}).get(k) for k, _, _ in ENERGY_CENTRE_FIELDS}])
    shown = [f for f in ENERGY_CENTRE_FIELDS if facts[f[0]].notna().all()]
    here = point if point.geom_type == "Point" else point.representative_point()
    popup = (popup_table(facts, shown).iloc[0] if shown else "") + alternatives_html(
        alternatives, here
    )
    popup = popup or None
    group = folium.FeatureGroup(name=ENERGY_CENTRE_LAYER)
    folium.CircleMarker(
        [round(geom.y, 6), round(geom.x, 6)],
        radius=10,
        color="#000000",
        weight=3,
        fill=True,
        fill_color=ENERGY_CENTRE_COLOUR,
        fill_opacity=1.0,
        tooltip=ENERGY_CENTRE_LAYER,
        popup=folium.Popup("<b>Energy centre</b>" + popup, max_width=320) if popup else None,
        class_name="hm-energy-centre",
        pane=POINTS_PANE,
    ).add_to(group)
    group.add_to(m)
    return legend_section(
        ENERGY_CENTRE_LAYER, [(ENERGY_CENTRE_COLOUR, "energy centre")], shape="dot"
    )
