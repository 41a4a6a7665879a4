"""Map layers of the street heat atlas and of the candidate networks, and the candidate table.

Both take plain GeoDataFrames in a projected CRS:

- ``street_lhd``: street lines with ``lhd_mwh_per_m_a`` (classes < 1.5, 1.5–3, 3–4, 4–8,
  >= 8 MWh/m/yr, Scotland's road-segment zoning), ``heat_demand_mwh_per_a``, ``n_buildings``
  and ``length_m``;
- ``candidates``: one route (lines) per candidate network with ``network_id``, ``rank``,
  ``viable``, ``reason``, ``connected_heat_mwh_per_a``, ``trench_length_m``,
  ``route_lhd_mwh_per_m_a``, ``capex_gbp``, ``npv_gbp``, ``irr_pct``, ``lcoh_gbp_per_mwh`` and
  ``chosen`` (true for the network the run designed).
"""

from __future__ import annotations

import folium
import geopandas as gpd
import numpy as np
import pandas as pd

from heatmap.outputs._map_geo import ROUTE_PANE, to_geojson, to_wgs84
from heatmap.outputs._map_html import (
    class_items,
    escape,
    escape_series,
    fmt_number,
    legend_section,
    popup_table,
)
from heatmap.outputs.map_params import LHD_CLASS_EDGES_MWH_PER_M_A, MapParams

__all__ = [
    "CANDIDATES_LAYER",
    "CANDIDATE_COLOURS",
    "CANDIDATE_FIELDS",
    "HEAT_SUPPLY_LAYER",
    "STREET_LHD_COLOURS",
    "STREET_LHD_LAYER",
    "add_candidates",
    "add_heat_supply",
    "add_street_lhd",
    "candidates_table_html",
]

STREET_LHD_LAYER = "Street heat atlas"
CANDIDATES_LAYER = "Candidate networks"

STREET_LHD_COLOURS = ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494")
"""One colour per street LHD class (yellow-green-blue: apart from the route's reds and blues)."""

CANDIDATE_COLOURS = {"chosen": "#000000", "viable": "#1b9e77", "not viable": "#969696"}
"""Line colour of a candidate network by its outcome."""

CANDIDATE_FIELDS: tuple[tuple[str, str, int | None], ...] = (
    ("network_id", "Network", None),
    ("rank", "Rank", 0),
    ("chosen", "Chosen", None),
    ("viable", "Viable", None),
    ("reason", "Why", None),
    ("connected_heat_mwh_per_a", "Heat connected (MWh/yr)", 0),
    ("trench_length_m", "Trench (m)", 0),
    ("route_lhd_mwh_per_m_a", "Route LHD (MWh/m/yr)", 2),
    ("capex_gbp", "CAPEX (£)", 0),
    ("npv_gbp", "NPV (£)", 0),
    ("irr_pct", "IRR (%)", 1),
    ("lcoh_gbp_per_mwh", "LCOH (£/MWh)", 2),
)
"""Column, label and decimals (None: text) of a candidate's popup and table row."""

_STREET_FIELDS: tuple[tuple[str, str, int | None], ...] = (
    ("name", "Street", None),
    ("lhd_mwh_per_m_a", "LHD (MWh/m/yr)", 2),
    ("heat_demand_mwh_per_a", "Heat demand (MWh/yr)", 0),
    ("n_buildings", "Buildings", 0),
    ("length_m", "Length (m)", 0),
)


def _flag(values: pd.Series) -> np.ndarray:
    return values.fillna(False).astype(bool).to_numpy()


def add_street_lhd(
    m: folium.Map, street_lhd: gpd.GeoDataFrame, params: MapParams, *, show: bool = False
) -> str:
    """Draw streets coloured by linear heat density class, off at load; return the legend.

    Examples
    --------
    >>> from shapely import LineString
    >>> streets = gpd.GeoDataFrame(
    ...     {"lhd_mwh_per_m_a": [0.5, 9.0], "heat_demand_mwh_per_a": [50.0, 900.0],
    ...      "n_buildings": [2, 12], "length_m": [100.0, 100.0]},
    ...     geometry=[LineString([(0, 0), (100, 0)]), LineString([(0, 50), (100, 50)])],
    ...     crs=27700)
    >>> m = folium.Map()
    >>> "Street heat atlas" in add_street_lhd(m, streets, MapParams())
    True
    """
    frame = street_lhd.reset_index(drop=True)
    lhd = pd.to_numeric(frame["lhd_mwh_per_m_a"], errors="coerce").fillna(0.0).to_numpy()
    out = gpd.GeoDataFrame(
        {
            "c": np.digitize(lhd, LHD_CLASS_EDGES_MWH_PER_M_A),
            "popup_html": popup_table(frame, _STREET_FIELDS).to_numpy(),
        },
        geometry=frame.geometry.to_numpy(),
        crs=street_lhd.crs,
    )
    folium.GeoJson(
        to_geojson(to_wgs84(out, params)),
        name=STREET_LHD_LAYER,
        style_function=lambda f: {
            "color": STREET_LHD_COLOURS[f["properties"]["c"]],
            "weight": 4,
            "opacity": 0.9,
            "className": "hm-street-lhd",
        },
        popup=folium.GeoJsonPopup(fields=["popup_html"], labels=False),
        show=show,
    ).add_to(m)
    items = class_items(LHD_CLASS_EDGES_MWH_PER_M_A, STREET_LHD_COLOURS, fmt="g")
    return legend_section(STREET_LHD_LAYER, items, title="Street heat atlas (MWh/m/yr)")


def _outcome(candidates: pd.DataFrame) -> pd.Series:
    chosen = (
        _flag(candidates["chosen"])
        if "chosen" in candidates
        else np.zeros(len(candidates), dtype=bool)
    )
    viable = (
        _flag(candidates["viable"]) if "viable" in candidates else np.ones(len(candidates), bool)
    )
    out = np.where(chosen, "chosen", np.where(viable, "viable", "not viable"))
    return pd.Series(out, index=candidates.index)


def add_candidates(
    m: folium.Map, candidates: gpd.GeoDataFrame, params: MapParams, *, show: bool = False
) -> str:
    """Draw every candidate network's route, the chosen one bold, off at load; return the legend.

    Examples
    --------
    >>> from shapely import LineString
    >>> cands = gpd.GeoDataFrame(
    ...     {"network_id": ["A", "B"], "rank": [1, 2], "viable": [True, False],
    ...      "chosen": [True, False], "npv_gbp": [1.5e6, -2e5]},
    ...     geometry=[LineString([(0, 0), (100, 0)]), LineString([(0, 50), (100, 50)])],
    ...     crs=27700)
    >>> "Candidate networks" in add_candidates(folium.Map(), cands, MapParams())
    True
    """
    frame = candidates.reset_index(drop=True)
    outcome = _outcome(frame)
    out = gpd.GeoDataFrame(
        {
            "o": outcome.to_numpy(),
            "popup_html": popup_table(frame, CANDIDATE_FIELDS).to_numpy(),
            "tip": (
                "Candidate "
                + escape_series(frame.get("network_id", pd.Series(frame.index, index=frame.index)))
                + " ("
                + outcome
                + ")"
            ).to_numpy(),
        },
        geometry=frame.geometry.to_numpy(),
        crs=candidates.crs,
    )
    folium.GeoJson(
        to_geojson(to_wgs84(out, params)),
        name=CANDIDATES_LAYER,
        style_function=lambda f: {
            "color": CANDIDATE_COLOURS[f["properties"]["o"]],
            "weight": 7 if f["properties"]["o"] == "chosen" else 3,
            "opacity": 0.8,
            "dashArray": None if f["properties"]["o"] == "chosen" else "6 4",
            "className": "hm-candidate",
            "pane": ROUTE_PANE,
        },
        popup=folium.GeoJsonPopup(fields=["popup_html"], labels=False),
        tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False),
        show=show,
    ).add_to(m)
    return legend_section(CANDIDATES_LAYER, _legend_items(), note="bold: the chosen network")


HEAT_SUPPLY_LAYER = "Heat supply: candidate energy centres"

HEAT_SUPPLY_FIELDS: tuple[tuple[str, str, int | None], ...] = (
    ("network_id", "Candidate network", None),
    ("rank", "Rank", 0),
    ("hp_capacity_kw", "Heat pumps (kW)", 0),
    ("boiler_capacity_kw", "Boilers (kW)", 0),
    ("connected_heat_mwh_per_a", "Heat supplied (MWh/yr)", 0),
    ("npv_gbp", "NPV (£)", 0),
)
"""Column, label and decimals of a candidate energy centre's popup."""


def add_heat_supply(m: folium.Map, candidates: pd.DataFrame, crs: object) -> str:
    """Draw each candidate network's energy centre, off at load; return the legend ("" if none).

    Uses the ``energy_centre_x_m`` / ``energy_centre_y_m`` columns of the candidate table.
    """
    cols = {"energy_centre_x_m", "energy_centre_y_m"}
    if not cols <= set(candidates.columns):
        return ""
    frame = pd.DataFrame(candidates.drop(columns="geometry", errors="ignore"))
    frame = frame[frame["energy_centre_x_m"].notna()].reset_index(drop=True)
    if frame.empty:
        return ""
    outcome = _outcome(frame)
    pts = gpd.GeoSeries(
        gpd.points_from_xy(frame["energy_centre_x_m"], frame["energy_centre_y_m"]), crs=crs
    ).to_crs(4326)
    popups = popup_table(frame, HEAT_SUPPLY_FIELDS)
    group = folium.FeatureGroup(name=HEAT_SUPPLY_LAYER, show=False)
    for i, pt in enumerate(pts):
        folium.CircleMarker(
            [round(pt.y, 6), round(pt.x, 6)],
            radius=7,
            color="#000000",
            weight=1,
            fill=True,
            fill_color=CANDIDATE_COLOURS[outcome.iloc[i]],
            fill_opacity=0.9,
            popup=folium.Popup("<b>Candidate energy centre</b>" + popups.iloc[i], max_width=300),
            class_name="hm-heat-supply",
        ).add_to(group)
    group.add_to(m)
    return legend_section(HEAT_SUPPLY_LAYER, _legend_items(), shape="dot")


def _legend_items() -> list[tuple[str, str]]:
    return [(c, k) for k, c in CANDIDATE_COLOURS.items()]


def candidates_table_html(candidates: pd.DataFrame, *, max_rows: int = 8) -> str:
    """Return the candidate table for the results panel, best rank first, the chosen one bold.

    Parameters
    ----------
    candidates
        One row per candidate network (geometry ignored).
    max_rows
        Rows shown; the rest are counted in a note.

    Returns
    -------
    html
        Escaped HTML table.
    """
    frame = pd.DataFrame(candidates.drop(columns="geometry", errors="ignore"))
    if "rank" in frame:
        frame = frame.sort_values("rank", kind="stable")
    shown = frame.head(max_rows)
    cols = [
        ("network_id", "Network", None),
        ("connected_heat_mwh_per_a", "MWh/yr", 0),
        ("npv_gbp", "NPV £", 0),
        ("lcoh_gbp_per_mwh", "LCOH", 0),
    ]
    cols = [c for c in cols if c[0] in shown]
    head = "".join(f"<th>{escape(label)}</th>" for _, label, _ in cols)
    chosen = _flag(shown["chosen"]) if "chosen" in shown else np.zeros(len(shown), dtype=bool)
    body = []
    for i, (_, row) in enumerate(shown.iterrows()):
        cells = []
        for col, _, decimals in cols:
            value = row[col]
            text = (
                escape(value)
                if decimals is None
                else fmt_number(pd.Series([value]), decimals).iloc[0]
            )
            cells.append(f'<td data-key="{escape(col)}">{text}</td>')
        style = ' class="hm-chosen" style="font-weight:bold"' if chosen[i] else ""
        body.append(f"<tr{style}>{''.join(cells)}</tr>")
    more = len(frame) - len(shown)
    note = f"<small>{more} more in the candidates layer</small>" if more > 0 else ""
    return (
        f'<table class="hm-candidates"><tr>{head}</tr>{"".join(body)}</table>{note}' if body else ""
    )
