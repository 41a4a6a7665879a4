"""Private helpers of :mod:`heatmap.outputs.maps`: map layers, escaping, lightening, raster colouring.

Every string that reaches the browser as HTML passes through :func:`escape` here; feature
properties carry only escaped text and numbers.
"""

from __future__ import annotations

import html
import itertools
import json
import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import MacroElement
from jinja2 import Template
from pyproj import CRS
from rasterio.warp import Resampling, calculate_default_transform, reproject, transform_bounds
from shapely.geometry.base import BaseGeometry

from heatmap import schema
from heatmap.errors import CRSError, InputError

if TYPE_CHECKING:
    from heatmap.outputs.maps import MapParams

_LHD_EDGES = (1.5, 3.0, 4.0, 8.0)
_LHD_COLOURS = ("#b2182b", "#ef8a62", "#fddbc7", "#67a9cf", "#2166ac")
_DEMAND_EDGES = (25.0, 100.0, 250.0, 500.0, 1000.0)
_DEMAND_COLOURS = ("#ffffcc", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026")
_PHASE_DASH = {1: None, 2: "8 4", 3: "2 4"}

HEAT = "heat_demand_mwh_per_a"

logger = logging.getLogger("heatmap.outputs.maps")

POINTS_PANE = "hmPoints"
"""Leaflet pane above the polygons and lines (overlayPane, z 400) so points stay clickable."""


def add_points_pane(m: folium.Map) -> None:
    """Create the pane that point layers draw into."""
    folium.map.CustomPane(POINTS_PANE, z_index=610).add_to(m)


def escape(value: Any) -> str:
    """HTML-escape ``value`` (quotes too); None and NaN become an empty string."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return html.escape(str(value), quote=True)


def escape_series(values: pd.Series) -> pd.Series:
    """Vectorised :func:`escape` of a column (missing values become empty strings)."""
    text = values.astype("string").fillna("")
    for raw, safe in (
        ("&", "&amp;"),
        ("<", "&lt;"),
        (">", "&gt;"),
        ('"', "&quot;"),
        ("'", "&#x27;"),
    ):
        text = text.str.replace(raw, safe, regex=False)
    return text.astype(object)


def fmt_number(values: pd.Series, decimals: int = 0) -> pd.Series:
    """Format numbers with thousands separators; NaN becomes 'n/a'."""
    num = pd.to_numeric(values, errors="coerce")
    out = num.map(lambda v: f"{v:,.{decimals}f}" if np.isfinite(v) else "n/a")
    return out.astype(object)


def require_projected(gdf: gpd.GeoDataFrame, what: str) -> CRS:
    """Return the projected CRS of ``gdf`` or raise CRSError."""
    if gdf.crs is None:
        msg = f"{what}: the layer has no CRS; set it (gdf.set_crs(...)) before rendering"
        raise CRSError(msg)
    crs = CRS.from_user_input(gdf.crs)
    if not crs.is_projected:
        msg = f"{what}: CRS {crs.to_string()} is not projected; reproject to a metric CRS first"
        raise CRSError(msg)
    return crs


def to_wgs84(gdf: gpd.GeoDataFrame, params: MapParams) -> gpd.GeoDataFrame:
    """Simplify in the projected CRS, reproject to EPSG:4326 and round the coordinates."""
    out = gdf[[c for c in gdf.columns if c != gdf.geometry.name] + [gdf.geometry.name]].copy()
    geom = out.geometry
    if params.simplify_tolerance_m > 0 and gdf.crs is not None and CRS(gdf.crs).is_projected:
        geom = geom.simplify(params.simplify_tolerance_m, preserve_topology=True)
    geom = gpd.GeoSeries(geom, crs=gdf.crs).to_crs(4326)
    decimals = params.coordinate_decimals
    rounded = shapely.transform(geom.to_numpy(), lambda xy: np.round(xy, decimals))
    out = out.set_geometry(gpd.GeoSeries(rounded, index=out.index, crs=4326))
    return out[~out.geometry.is_empty & out.geometry.notna()]


def to_geojson(gdf: gpd.GeoDataFrame) -> dict[str, Any]:
    """A compact GeoJSON FeatureCollection with integer feature ids (for folium's style map)."""
    plain = gdf.reset_index(drop=True)
    data: dict[str, Any] = json.loads(plain.to_json(na="null", drop_id=False))
    for i, feature in enumerate(data["features"]):
        feature["id"] = i
    return data


def centre_lonlat(gdf: gpd.GeoDataFrame) -> tuple[float, float]:
    """Centre of the layer's bounds as (lon, lat)."""
    (s, w), (n, e) = bounds_latlon(gdf)
    return (w + e) / 2, (s + n) / 2


def bounds_latlon(gdf: gpd.GeoDataFrame) -> list[list[float]]:
    """[[south, west], [north, east]] of the layer in WGS84."""
    if len(gdf) == 0:
        msg = "buildings: the layer is empty; nothing to map"
        raise InputError(msg)
    w, s, e, n = transform_bounds(CRS(gdf.crs), CRS.from_epsg(4326), *gdf.total_bounds)
    return [[s, w], [n, e]]


def map_css() -> str:
    """Styles for the title, legend and popups."""
    return """<style>
.hm-title{position:fixed;top:10px;left:50%;transform:translateX(-50%);z-index:1000;
 background:rgba(255,255,255,.9);padding:4px 12px;border-radius:4px;font:bold 15px sans-serif;}
.hm-legend{position:fixed;bottom:26px;right:10px;z-index:1000;background:rgba(255,255,255,.92);
 padding:6px 9px;border-radius:4px;font:12px sans-serif;line-height:1.35;max-width:230px;
 max-height:45vh;overflow-y:auto;}
.hm-legend i{display:inline-block;width:18px;height:10px;margin-right:5px;vertical-align:middle;}
.hm-popup table{border-collapse:collapse;font:12px sans-serif;}
.hm-popup th{text-align:left;padding-right:8px;font-weight:600;}
</style>"""


def title_html(title: str) -> str:
    """The escaped title box."""
    return f'<div class="hm-title">{escape(title)}</div>'


def lhd_class_labels() -> list[str]:
    """Labels of the LHD classes, MWh/m/yr."""
    e = _LHD_EDGES
    inner = [f"{a:g}–{b:g}" for a, b in itertools.pairwise(e)]
    return [f"< {e[0]:g}", *inner, f">= {e[-1]:g}"]


def _demand_labels() -> list[str]:
    e = _DEMAND_EDGES
    inner = [f"{a:g}–{b:g}" for a, b in itertools.pairwise(e)]
    return [f"< {e[0]:g}", *inner, f">= {e[-1]:g}"]


def _class_labels(edges: Sequence[float]) -> list[str]:
    inner = [f"{a:,.0f}–{b:,.0f}" for a, b in itertools.pairwise(edges)]
    return [f"< {edges[0]:,.0f}", *inner, f">= {edges[-1]:,.0f}"]


def legend_html(
    *,
    with_route: bool,
    density_classes: tuple[Sequence[float], Sequence[str]] | None = None,
) -> str:
    """The legend box: density classes, building demand classes and, with a route, LHD classes."""
    rows: list[str] = []
    if density_classes is not None:
        edges, colours = density_classes
        rows.append("<b>Heat density (MWh/ha/yr)</b>")
        rows += [
            f'<br><i style="background:{c}"></i>{escape(lbl)}'
            for c, lbl in zip(colours, _class_labels(edges), strict=True)
        ]
        rows.append("<br>")
    rows.append("<b>Building heat demand (MWh/yr)</b>")
    rows += [
        f'<br><i style="background:{c}"></i>{escape(lbl)}'
        for c, lbl in zip(_DEMAND_COLOURS, _demand_labels(), strict=True)
    ]
    rows.append('<br><i style="background:#6a3d9a;border-radius:5px"></i>anchor load (circle)')
    if with_route:
        rows.append("<br><b>Route LHD (MWh/m/yr)</b>")
        rows += [
            f'<br><i style="background:{c}"></i>{escape(lbl)}'
            for c, lbl in zip(_LHD_COLOURS, lhd_class_labels(), strict=True)
        ]
        rows.append("<br>line width: pipe DN; dashes: later phases")
    rows.append("<br><small>Map data &copy; OpenStreetMap contributors (ODbL)</small>")
    return '<div class="hm-legend">' + "".join(rows) + "</div>"


def popup_table(frame: pd.DataFrame, fields: Sequence[tuple[str, str, int | None]]) -> pd.Series:
    """One escaped HTML table per row; fields are (column, label, decimals or None for text)."""
    parts: list[pd.Series] = []
    for col, label, decimals in fields:
        if col not in frame.columns:
            continue
        cell = escape_series(frame[col]) if decimals is None else fmt_number(frame[col], decimals)
        parts.append(f"<tr><th>{escape(label)}</th><td>" + cell + "</td></tr>")
    body = pd.Series("", index=frame.index, dtype=object)
    for part in parts:
        body = body + part
    return '<div class="hm-popup"><table>' + body + "</table></div>"


def _demand(gdf: gpd.GeoDataFrame, what: str) -> pd.Series:
    if HEAT not in gdf.columns:
        msg = f"{what}: column {HEAT} is missing; run the demand stage first"
        raise InputError(msg)
    return pd.to_numeric(gdf[HEAT], errors="coerce").fillna(0.0)


def _ownership(gdf: gpd.GeoDataFrame) -> pd.Series:
    for col in (schema.OWNERSHIP, schema.TENURE):
        if col in gdf.columns:
            return gdf[col]
    return pd.Series("unknown", index=gdf.index)


def add_buildings(m: folium.Map, buildings: gpd.GeoDataFrame, params: MapParams) -> None:
    """Footprints coloured by demand; with many buildings, demand cells when zoomed out.

    Up to ``max_building_polygons`` buildings: footprints only. Up to
    ``max_embedded_polygons``: both layers, switched at ``footprint_min_zoom`` (cells below,
    footprints from that zoom). Beyond that: cells only.
    """
    demand = _demand(buildings, "buildings")
    n = len(buildings)
    cells = (
        _add_building_cells(m, buildings, demand, params)
        if n > params.max_building_polygons
        else None
    )
    if n > params.max_embedded_polygons:
        return
    frame = gpd.GeoDataFrame(
        {
            "c": np.digitize(demand.to_numpy(), _DEMAND_EDGES),
            "tip": _building_label(buildings, demand),
        },
        geometry=buildings.geometry.to_numpy(),
        crs=buildings.crs,
    )
    footprints = folium.GeoJson(
        to_geojson(to_wgs84(frame, params)),
        name="Buildings by heat demand",
        style_function=lambda f: {
            "color": "#555555",
            "weight": 0.5,
            "fillOpacity": 0.75,
            "fillColor": _DEMAND_COLOURS[f["properties"]["c"]],
            "className": "hm-building",
        },
        tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False),
        show=cells is None,
    )
    footprints.add_to(m)
    if cells is not None:
        ZoomSwitch(footprints.get_name(), cells.get_name(), params.footprint_min_zoom).add_to(m)


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
            "c": np.digitize(table["demand"].to_numpy(), _DEMAND_EDGES),
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
        name=f"Buildings: heat demand per {cell:g} m cell",
        style_function=lambda f: {
            "color": "#777777",
            "weight": 0.3,
            "fillOpacity": 0.6,
            "fillColor": _DEMAND_COLOURS[f["properties"]["c"]],
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


def add_anchor_loads(m: folium.Map, buildings: gpd.GeoDataFrame, params: MapParams) -> None:
    """Anchor loads as circles (area proportional to demand) with escaped popups."""
    mask = _anchor_mask(buildings)
    if not mask.any():
        return
    anchors = buildings[mask]
    demand = _demand(anchors, "buildings")
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
    rmin, rmax = params.anchor_radius_px
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
        name="Anchor loads",
        marker=folium.CircleMarker(),
        style_function=lambda f: {
            "radius": f["properties"]["r"],
            "color": "#3f007d",
            "weight": 1.5,
            "fill": True,
            "fillColor": "#6a3d9a",
            "fillOpacity": 0.55,
            "className": "hm-anchor",
            "pane": POINTS_PANE,
        },
        popup=folium.GeoJsonPopup(fields=["popup_html"], labels=False, class_name="hm-pop"),
        tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False),
    ).add_to(m)


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
    cls = np.digitize(np.nan_to_num(np.asarray(lhd, dtype="float64"), nan=0.0), _LHD_EDGES)
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
            style_function=_route_style,
            popup=folium.GeoJsonPopup(fields=["popup_html"], labels=False),
        ).add_to(m)


def _route_style(feature: dict[str, Any]) -> dict[str, Any]:
    props = feature["properties"]
    style: dict[str, Any] = {
        "color": _LHD_COLOURS[props["c"]],
        "weight": props["w"],
        "opacity": 0.95,
        "className": "hm-route",
    }
    dash = _PHASE_DASH.get(int(props["p"]), "1 5")
    if dash:
        style["dashArray"] = dash
    return style


def add_energy_centre(m: folium.Map, point: BaseGeometry, crs: CRS) -> None:
    """The energy centre as a marked square-ish circle in its own layer."""
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


def density_rgba_3857(
    arr: np.ndarray,
    transform: Any,
    crs: Any,
    edges: Sequence[float],
    colours: Sequence[str],
) -> tuple[np.ndarray, list[list[float]]]:
    """Warp the raster to Web Mercator and colour it by class; zero/NaN cells transparent.

    Returns the RGBA image (rows north to south) and its [[south, west], [north, east]] bounds.
    """
    src_crs = CRS.from_user_input(crs)
    rows, cols = arr.shape
    left, top = transform.c, transform.f
    right, bottom = left + transform.a * cols, top + transform.e * rows
    dst_crs = CRS.from_epsg(3857)
    dst_transform, width, height = calculate_default_transform(
        src_crs, dst_crs, cols, rows, left=left, bottom=bottom, right=right, top=top
    )
    dst = np.full((int(height), int(width)), np.nan, dtype="float64")
    reproject(
        source=np.where(np.isfinite(arr), arr, np.nan),
        destination=dst,
        src_transform=transform,
        src_crs=src_crs,
        dst_transform=dst_transform,
        dst_crs=dst_crs,
        resampling=Resampling.nearest,
        src_nodata=np.nan,
        dst_nodata=np.nan,
    )
    palette = np.array([_hex_rgba(c) for c in colours], dtype="uint8")
    cls = np.digitize(np.nan_to_num(dst, nan=0.0), np.asarray(edges))
    rgba = palette[np.clip(cls, 0, len(palette) - 1)]
    rgba[~(np.nan_to_num(dst, nan=0.0) > 0), 3] = 0
    w3857 = dst_transform.c
    n3857 = dst_transform.f
    e3857 = w3857 + dst_transform.a * width
    s3857 = n3857 + dst_transform.e * height
    w, s, e, n = transform_bounds(dst_crs, CRS.from_epsg(4326), w3857, s3857, e3857, n3857)
    return rgba, [[s, w], [n, e]]


def _hex_rgba(colour: str) -> tuple[int, int, int, int]:
    c = colour.lstrip("#")
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16), 255


def add_nearby_points(m: folium.Map, result: gpd.GeoDataFrame) -> None:
    """Finds of :func:`heatmap.outputs.search.nearby` as circles with escaped popups."""
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
    colours = {
        "anchor_load": "#6a3d9a",
        "cluster": "#1f78b4",
        "opportunity_area": "#e31a1c",
        "existing_network": "#41ab5d",
    }
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
        name="Heat loads and networks near the site",
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
