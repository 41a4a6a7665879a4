"""Map layers of places: opportunity areas per rule, candidate zones, clusters, heat networks.

Each ``add_*`` function draws one or more layers and returns its legend entry. Popups name their
fields in words and carry only escaped text and formatted numbers.
"""

from __future__ import annotations

from collections.abc import Sequence

import folium
import geopandas as gpd
import numpy as np
import pandas as pd

from heatmap.outputs._map_geo import POINTS_PANE, to_geojson, to_wgs84
from heatmap.outputs._map_html import escape, escape_series, legend_section, popup_table
from heatmap.outputs.map_params import (
    CLUSTER_COLOUR,
    HEAT,
    HNPD_STATUS_GROUPS,
    OPPORTUNITY_COLOURS,
    MapParams,
)

__all__ = [
    "CLUSTERS_LAYER",
    "CLUSTER_POPUP_FIELDS",
    "NETWORKS_LAYER",
    "NETWORK_POPUP_FIELDS",
    "OPPORTUNITY_LAYER",
    "OPPORTUNITY_POPUP_FIELDS",
    "RULE_LABELS",
    "ZONES_LAYER",
    "ZONE_POPUP_FIELDS",
    "add_clusters",
    "add_existing_networks",
    "add_opportunity_areas",
    "add_zones",
    "status_group",
]

Fields = Sequence[tuple[str, str, int | None]]

OPPORTUNITY_LAYER = "Opportunity areas"
CLUSTERS_LAYER = "Building clusters"
NETWORKS_LAYER = "Heat networks (HNPD)"
ZONES_LAYER = "Candidate zones (streets)"
ZONE_PASS_COLOUR = "#7a0177"
ZONE_FAIL_COLOUR = "#9e9e9e"

RULE_LABELS = {
    "hotmaps": "Hotmaps: >= 333 MWh/ha/yr",
    "scotland_baseline": "Scotland baseline: LHD >= 4 MWh/m/yr",
    "scotland_stringent": "Scotland stringent: LHD >= 8 MWh/m/yr",
}
"""Readable names of the opportunity-area rules (others are shown as they are)."""

OPPORTUNITY_POPUP_FIELDS: Fields = (
    ("rule_label", "Rule", None),
    ("rank", "Rank within the rule", 0),
    (HEAT, "Heat demand (MWh/yr)", 0),
    ("area_ha", "Area (ha)", 1),
    ("heat_density_mwh_per_ha_a", "Heat density (MWh/ha/yr)", 0),
    ("n_anchor_loads", "Anchor loads", 0),
    ("street_length_m", "Street length (m)", 0),
    ("est_lhd_mwh_per_m_a", "Estimated LHD (MWh/m/yr)", 2),
    ("lhd_method", "LHD estimated as", None),
)

CLUSTER_POPUP_FIELDS: Fields = (
    ("cluster_id", "Cluster", None),
    ("kind", "Kind", None),
    ("density_class", "Density class", None),
    ("n_buildings", "Buildings", 0),
    ("n_dwellings", "Dwellings", 0),
    (HEAT, "Heat demand (MWh/yr)", 0),
    ("dwellings_per_ha", "Dwellings per ha", 0),
    ("connected_pct", "Connected (%)", 0),
    ("m_per_dwelling", "Pipe per dwelling (m)", 1),
    ("cost_per_dwelling_gbp", "Network cost per dwelling (£)", 0),
    ("counterfactual_gbp_per_dwelling", "Individual heat pump per dwelling (£)", 0),
    ("viable", "Viable", None),
    ("reason", "Why", None),
)

NETWORK_POPUP_FIELDS: Fields = (
    ("name", "Name", None),
    ("ref_id", "HNPD Ref ID", None),
    ("status", "Status", None),
    ("operator", "Operator", None),
    ("technology", "Technology", None),
    ("network_type", "Communal or district", None),
    ("capacity_mw", "Capacity (MWe)", 1),
    ("connections", "Customer connections", 0),
)


def _outline_style(colour: str, kind: str, dash: str | None = None) -> dict[str, object]:
    style: dict[str, object] = {
        "color": colour,
        "weight": 2,
        "fillColor": colour,
        "fillOpacity": 0.08,
        "className": f"hm-{kind}",
    }
    if dash:
        style["dashArray"] = dash
    return style


def add_opportunity_areas(
    m: folium.Map, areas: gpd.GeoDataFrame, params: MapParams, *, show: bool = False
) -> str:
    """Draw one layer per rule (distinct colours, ranked, readable popups), off at load.

    Returns the legend entry.
    """
    frame = areas.reset_index(drop=areas.index.name is None or areas.index.name in areas.columns)
    rules = (
        frame["rule"].astype(str) if "rule" in frame.columns else pd.Series("", index=frame.index)
    )
    items: list[tuple[str, str]] = []
    for k, rule in enumerate(dict.fromkeys(rules)):
        part = frame[(rules == rule).to_numpy()].copy()
        label = RULE_LABELS.get(rule, rule or "opportunity area")
        part["rule_label"] = label
        if "rank" in part.columns:
            part = part.sort_values("rank", kind="stable")
        colour = OPPORTUNITY_COLOURS[k % len(OPPORTUNITY_COLOURS)]
        out = gpd.GeoDataFrame(
            {"popup_html": popup_table(part, OPPORTUNITY_POPUP_FIELDS).to_numpy()},
            geometry=part.geometry.to_numpy(),
            crs=areas.crs,
        )
        folium.GeoJson(
            to_geojson(to_wgs84(out, params)),
            name=f"{OPPORTUNITY_LAYER}: {escape(label)}",  # the layer control shows HTML
            style_function=lambda _f, c=colour, d=["8 4", "4 4", "1 4"][k % 3]: _outline_style(
                c, "opportunity", d
            ),
            popup=folium.GeoJsonPopup(fields=["popup_html"], labels=False),
            show=show,
        ).add_to(m)
        items.append((colour, label))
    return legend_section(OPPORTUNITY_LAYER, items, shape="ring", note="one layer per rule")


ZONE_POPUP_FIELDS: Fields = (
    ("zone_id", "Zone", None),
    ("rule", "Rule met", None),
    ("passes_text", "Passes", None),
    (HEAT, "Heat demand (MWh/yr)", 0),
    ("street_length_m", "Street length (m)", 0),
    ("lhd_mwh_per_m_a", "Linear heat density (MWh/m/yr)", 2),
    ("n_buildings", "Buildings", 0),
    ("n_anchors", "Anchor loads", 0),
    ("reason", "Falls short", None),
)


def add_zones(m: folium.Map, zones: gpd.GeoDataFrame, params: MapParams) -> str:
    """Draw the candidate zones' streets, purple where the zone passes, grey where it falls short.

    ``zones`` has one row per zone (``zone_id`` as index or column, ``passes``, the heat,
    street length, LHD and counts of :data:`ZONE_POPUP_FIELDS`) and the zone's streets as
    geometry. Returns the legend entry.
    """
    frame = zones.reset_index(drop=zones.index.name is None or zones.index.name in zones.columns)
    passes = frame["passes"].fillna(False).astype(bool) if "passes" in frame else None
    if passes is None:
        passes = pd.Series(True, index=frame.index)
    frame = frame.assign(passes_text=passes.map({True: "yes", False: "no"}))
    out = gpd.GeoDataFrame(
        {
            "popup_html": popup_table(frame, ZONE_POPUP_FIELDS).to_numpy(),
            "colour": np.where(passes, ZONE_PASS_COLOUR, ZONE_FAIL_COLOUR),
        },
        geometry=frame.geometry.to_numpy(),
        crs=zones.crs,
    )
    folium.GeoJson(
        to_geojson(to_wgs84(out, params)),
        name=ZONES_LAYER,
        style_function=lambda f: {
            "color": f["properties"]["colour"],
            "weight": 4,
            "opacity": 0.85,
        },
        popup=folium.GeoJsonPopup(fields=["popup_html"], labels=False),
    ).add_to(m)
    items = [(ZONE_PASS_COLOUR, "passes"), (ZONE_FAIL_COLOUR, "falls short")]
    return legend_section(ZONES_LAYER, items)


def add_clusters(
    m: folium.Map, clusters: gpd.GeoDataFrame, params: MapParams, *, show: bool = False
) -> str:
    """Draw clusters as grey outlines with a short popup, off at load; return the legend."""
    frame = clusters.reset_index(
        drop=clusters.index.name is None or clusters.index.name in clusters.columns
    )
    out = gpd.GeoDataFrame(
        {"popup_html": popup_table(frame, CLUSTER_POPUP_FIELDS).to_numpy()},
        geometry=frame.geometry.to_numpy(),
        crs=clusters.crs,
    )
    folium.GeoJson(
        to_geojson(to_wgs84(out, params)),
        name=CLUSTERS_LAYER,
        style_function=lambda _f: _outline_style(CLUSTER_COLOUR, "cluster"),
        popup=folium.GeoJsonPopup(fields=["popup_html"], labels=False),
        show=show,
    ).add_to(m)
    return legend_section(CLUSTERS_LAYER, [(CLUSTER_COLOUR, "cluster outline")], shape="ring")


def status_group(status: pd.Series) -> pd.Series:
    """Return the :data:`~heatmap.outputs.map_params.HNPD_STATUS_GROUPS` key of each status.

    Examples
    --------
    >>> status_group(pd.Series(["Operational", "Application Refused", "Scoping", None])).tolist()
    ['operational', 'refused', 'other', 'other']
    """
    text = status.astype("string").str.strip().str.lower()
    out = pd.Series("other", index=status.index, dtype=object)
    for key, (_label, _colour, _shown, members) in HNPD_STATUS_GROUPS.items():
        out[text.isin(members).fillna(False).to_numpy()] = key
    return out


def add_existing_networks(m: folium.Map, nets: gpd.GeoDataFrame, params: MapParams) -> str:
    """Existing and planned heat networks, one layer per development status; returns the legend.

    Operational, under construction, consented and in-planning schemes are shown at load;
    refused, withdrawn and abandoned ones are drawn grey in a layer that is off at load.
    """
    frame = pd.DataFrame(nets.drop(columns=nets.geometry.name))
    popup = popup_table(frame, NETWORK_POPUP_FIELDS)
    tip = escape_series(nets["name"]) if "name" in nets.columns else "heat network"
    if "status" in nets.columns:
        groups = status_group(nets["status"])
        tip = tip + " (" + escape_series(nets["status"]) + ")"
    else:
        groups = pd.Series("other", index=nets.index, dtype=object)
    geom = nets.geometry
    geom = geom.where(geom.geom_type.isin(["Point"]), geom.representative_point())
    out = gpd.GeoDataFrame(
        {"popup_html": popup.to_numpy(), "tip": np.asarray(tip, dtype=object)},
        geometry=geom.to_numpy(),
        crs=nets.crs,
    )
    styles = {**HNPD_STATUS_GROUPS, "other": ("Other status", "#bae4b3", True, ())}
    items = []
    for key, (label, colour, shown, _members) in styles.items():
        sel = (groups == key).to_numpy()
        if not sel.any():
            continue
        name = f"{NETWORKS_LAYER}: {label.lower()} ({int(sel.sum())})"
        folium.GeoJson(
            to_geojson(to_wgs84(out[sel], params)),
            name=name,
            marker=folium.CircleMarker(),
            style_function=lambda _f, c=colour: {
                "radius": 7,
                "color": "#00441b",
                "weight": 1.5,
                "fill": True,
                "fillColor": c,
                "fillOpacity": 0.9,
                "className": "hm-existing",
                "pane": POINTS_PANE,
            },
            popup=folium.GeoJsonPopup(fields=["popup_html"], labels=False),
            tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False),
            show=shown,
        ).add_to(m)
        items.append((colour, label + ("" if shown else " (off)")))
    note = "DESNZ Heat Network Planning Database records"
    return legend_section(NETWORKS_LAYER, items, shape="dot", note=note)
