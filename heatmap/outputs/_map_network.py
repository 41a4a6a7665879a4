"""Map layers of the network: route by LHD, DN and phase, energy centre, zones, networks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import CRS
from shapely.geometry.base import BaseGeometry

from heatmap.outputs._map_geo import POINTS_PANE, to_geojson, to_wgs84
from heatmap.outputs._map_html import (
    escape_series,
    popup_table,
)
from heatmap.outputs.map_params import (
    LHD_CLASS_EDGES_MWH_PER_M_A,
    LHD_COLOURS,
    PHASE_DASH,
    MapParams,
)

__all__ = [
    "add_energy_centre",
    "add_existing_networks",
    "add_polygons_with_stats",
    "add_route",
    "dn_weights",
    "route_style",
]


def _scalar_fields(gdf: gpd.GeoDataFrame) -> list[tuple[str, str, int | None]]:
    fields: list[tuple[str, str, int | None]] = []
    for col in gdf.columns:
        if col == gdf.geometry.name:
            continue
        series = gdf[col]
        if pd.api.types.is_bool_dtype(series):
            fields.append((col, col, None))
        elif pd.api.types.is_integer_dtype(series):
            fields.append((col, col, 0))
        elif pd.api.types.is_numeric_dtype(series):
            fields.append((col, col, 0 if series.abs().max() >= 100 else 2))
        elif series.map(lambda v: v is None or isinstance(v, str | int | float)).all():
            fields.append((col, col, None))
    return fields


def add_polygons_with_stats(
    m: folium.Map, gdf: gpd.GeoDataFrame, *, name: str, kind: str, params: MapParams
) -> None:
    """Polygon layer whose popups list every scalar column (escaped)."""
    frame = gdf.reset_index(drop=gdf.index.name is None)
    popup = popup_table(frame, _scalar_fields(gpd.GeoDataFrame(frame, geometry=gdf.geometry.name)))
    colour = {"opportunity": "#e31a1c", "cluster": "#1f78b4"}.get(kind, "#333333")
    fill = 0.12 if kind == "opportunity" else 0.2
    out = gpd.GeoDataFrame(
        {"popup_html": popup.to_numpy()}, geometry=gdf.geometry.to_numpy(), crs=gdf.crs
    )
    folium.GeoJson(
        to_geojson(to_wgs84(out, params)),
        name=name,
        style_function=lambda _f: {
            "color": colour,
            "weight": 2,
            "fillColor": colour,
            "fillOpacity": fill,
            "className": f"hm-{kind}",
        },
        popup=folium.GeoJsonPopup(fields=["popup_html"], labels=False),
    ).add_to(m)


def add_existing_networks(m: folium.Map, nets: gpd.GeoDataFrame, params: MapParams) -> None:
    """Existing heat networks (points or lines/polygons) with escaped popups."""
    fields: list[tuple[str, str, int | None]] = [
        ("name", "Name", None),
        ("operator", "Operator", None),
        ("technology", "Technology", None),
        ("status", "Status", None),
    ]
    popup = popup_table(pd.DataFrame(nets.drop(columns=nets.geometry.name)), fields)
    tip = escape_series(nets["name"]) if "name" in nets.columns else "existing heat network"
    geom = nets.geometry
    geom = geom.where(geom.geom_type.isin(["Point"]), geom.representative_point())
    out = gpd.GeoDataFrame(
        {"popup_html": popup.to_numpy(), "tip": tip}, geometry=geom.to_numpy(), crs=nets.crs
    )
    folium.GeoJson(
        to_geojson(to_wgs84(out, params)),
        name="Existing heat networks",
        marker=folium.CircleMarker(),
        style_function=lambda _f: {
            "radius": 8,
            "color": "#00441b",
            "weight": 2,
            "fill": True,
            "fillColor": "#41ab5d",
            "fillOpacity": 0.8,
            "className": "hm-existing",
            "pane": POINTS_PANE,
        },
        popup=folium.GeoJsonPopup(fields=["popup_html"], labels=False),
        tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False),
    ).add_to(m)


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


def add_route(m: folium.Map, route: gpd.GeoDataFrame, params: MapParams) -> None:
    """Route segments coloured by LHD class, weighted by DN, one layer per phase."""
    frame = route.reset_index(drop="segment_id" in route.columns)
    lhd = pd.to_numeric(frame.get("lhd_mwh_per_m_a", np.nan), errors="coerce")
    cls = np.digitize(
        np.nan_to_num(np.asarray(lhd, dtype="float64"), nan=0.0), LHD_CLASS_EDGES_MWH_PER_M_A
    )
    popup = popup_table(
        pd.DataFrame(frame.drop(columns=frame.geometry.name)),
        [
            ("segment_id", "Segment", None),
            ("kind", "Kind", None),
            ("phase", "Phase", None),
            ("length_m", "Length (m)", 0),
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
        ],
    )
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
        name = "Route" if len(phases) == 1 else f"Route – phase {int(ph)}"
        folium.GeoJson(
            to_geojson(part),
            name=name,
            style_function=route_style,
            popup=folium.GeoJsonPopup(fields=["popup_html"], labels=False),
        ).add_to(m)


def route_style(feature: dict[str, Any]) -> dict[str, Any]:
    props = feature["properties"]
    style: dict[str, Any] = {
        "color": LHD_COLOURS[props["c"]],
        "weight": props["w"],
        "opacity": 0.95,
        "className": "hm-route",
    }
    dash = PHASE_DASH.get(int(props["p"]), "1 5")
    if dash:
        style["dashArray"] = dash
    return style


def add_energy_centre(m: folium.Map, point: BaseGeometry, crs: CRS) -> None:
    """Draw the energy centre as a marked square-ish circle in its own layer."""
    geom = gpd.GeoSeries([point], crs=crs).to_crs(4326).iloc[0]
    if geom.geom_type != "Point":
        geom = geom.representative_point()
    group = folium.FeatureGroup(name="Energy centre")
    folium.CircleMarker(
        [round(geom.y, 6), round(geom.x, 6)],
        radius=10,
        color="#000000",
        weight=3,
        fill=True,
        fill_color="#ffff33",
        fill_opacity=1.0,
        tooltip="Energy centre",
        class_name="hm-energy-centre",
        pane=POINTS_PANE,
    ).add_to(group)
    group.add_to(m)
