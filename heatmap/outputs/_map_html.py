"""HTML text of the map: escaping, number formatting, popups, title and legend.

Every string that reaches the browser as HTML passes through :func:`escape` here; feature
properties carry only escaped text and numbers.
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from heatmap.outputs.map_params import (
    DEMAND_CLASS_EDGES_MWH_PER_A,
    DEMAND_COLOURS,
    LHD_CLASS_EDGES_MWH_PER_M_A,
    LHD_COLOURS,
)

__all__ = [
    "escape",
    "escape_series",
    "fmt_number",
    "legend_html",
    "lhd_class_labels",
    "map_css",
    "popup_table",
    "title_html",
]


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
    """Return the escaped title box."""
    return f'<div class="hm-title">{escape(title)}</div>'


def lhd_class_labels() -> list[str]:
    """Labels of the LHD classes, MWh/m/yr."""
    e = LHD_CLASS_EDGES_MWH_PER_M_A
    inner = [f"{a:g}–{b:g}" for a, b in itertools.pairwise(e)]
    return [f"< {e[0]:g}", *inner, f">= {e[-1]:g}"]


def _demand_labels() -> list[str]:
    e = DEMAND_CLASS_EDGES_MWH_PER_A
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
    """Return the legend box: density, building demand and (with a route) LHD classes."""
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
        for c, lbl in zip(DEMAND_COLOURS, _demand_labels(), strict=True)
    ]
    rows.append('<br><i style="background:#6a3d9a;border-radius:5px"></i>anchor load (circle)')
    if with_route:
        rows.append("<br><b>Route LHD (MWh/m/yr)</b>")
        rows += [
            f'<br><i style="background:{c}"></i>{escape(lbl)}'
            for c, lbl in zip(LHD_COLOURS, lhd_class_labels(), strict=True)
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
