"""HTML text of the map: escaping, number formatting, popups, title and legend.

Every string that reaches the browser as HTML passes through :func:`escape` here; feature
properties carry only escaped text and numbers.
"""

from __future__ import annotations

import html
import itertools
import json
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

import numpy as np
import pandas as pd

from heatmap.outputs.map_params import (
    LHD_CLASS_EDGES_MWH_PER_M_A,
)

__all__ = [
    "RESULT_ROWS",
    "class_items",
    "escape",
    "escape_series",
    "fmt_number",
    "format_figure",
    "legend_html",
    "legend_section",
    "lhd_class_labels",
    "map_css",
    "popup_table",
    "results_html",
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
    """Styles for the title, legend, results panel and popups (fits 1366x768 when open)."""
    return """<style>
.hm-title{position:fixed;top:10px;left:50%;transform:translateX(-50%);z-index:1000;
 background:rgba(255,255,255,.9);padding:4px 12px;border-radius:4px;font:bold 15px sans-serif;
 max-width:40vw;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;}
.hm-box{position:fixed;z-index:1000;background:rgba(255,255,255,.94);padding:4px 8px;
 border-radius:4px;font:11px/1.3 sans-serif;box-shadow:0 1px 4px rgba(0,0,0,.3);overflow-y:auto;}
.hm-box summary{font-weight:bold;font-size:12px;cursor:pointer;}
.hm-legend{bottom:60px;left:10px;max-width:300px;max-height:calc(100vh - 280px);}
.hm-results{bottom:24px;right:10px;max-width:290px;max-height:calc(100vh - 420px);}
.hm-lg{margin-top:2px;}
.hm-lg b{display:block;font-size:11px;}
.hm-lg .hm-items{display:grid;column-gap:8px;}
.hm-lg i{display:inline-block;width:14px;height:9px;margin-right:4px;vertical-align:middle;
 border:1px solid rgba(0,0,0,.25);}
.hm-lg i.hm-dot{border-radius:50%;width:10px;height:10px;}
.hm-lg i.hm-ring{background:none !important;border-width:2px;}
.hm-lg small{color:#444;}
.hm-results table, .hm-popup table{border-collapse:collapse;font:11px sans-serif;}
.hm-results th, .hm-popup th{text-align:left;padding-right:8px;font-weight:600;}
.hm-results td{text-align:right;}
</style>"""


def title_html(title: str) -> str:
    """Return the escaped title box."""
    return f'<div class="hm-title">{escape(title)}</div>'


def lhd_class_labels() -> list[str]:
    """Labels of the LHD classes, MWh/m/yr."""
    e = LHD_CLASS_EDGES_MWH_PER_M_A
    inner = [f"{a:g}–{b:g}" for a, b in itertools.pairwise(e)]
    return [f"< {e[0]:g}", *inner, f">= {e[-1]:g}"]


def legend_section(
    layer: str,
    items: Sequence[tuple[str, str]] = (),
    *,
    title: str = "",
    shape: str = "box",
    note: str = "",
) -> str:
    """Return one legend entry: the layer's name, its colours and labels, an optional note.

    Items go three, two or one to a row as their labels are short or long.

    Parameters
    ----------
    layer
        The layer's name as the layer control shows it (or the start of it, for a group of
        layers such as one per phase or per status).
    title
        Heading shown, e.g. with units; defaults to ``layer``.
    items
        (CSS colour, label) pairs, shown two to a row.
    shape
        ``"box"`` (filled square), ``"dot"`` (filled circle) or ``"ring"`` (outline only).
    note
        A short line under the items.

    Returns
    -------
    html
        Escaped HTML.
    """
    cls = {"box": "", "dot": "hm-dot", "ring": "hm-ring"}.get(shape, "")
    cells = "".join(
        f'<span><i class="{cls}" style="background:{escape(c)};border-color:{escape(c)}">'
        f"</i>{escape(label)}</span>"
        for c, label in items
    )
    longest = max((len(label) for _, label in items), default=0)
    columns = 3 if longest <= 11 else 2 if longest <= 20 else 1
    grid = f"grid-template-columns:repeat({columns},auto)"
    body = f'<div class="hm-items" style="{grid}">{cells}</div>' if cells else ""
    extra = f"<small>{escape(note)}</small>" if note else ""
    head = escape(title or layer)
    return f'<div class="hm-lg" data-layer="{escape(layer)}"><b>{head}</b>{body}{extra}</div>'


def class_items(
    edges: Sequence[float], colours: Sequence[str], *, fmt: str = ",.0f"
) -> list[tuple[str, str]]:
    """Return (colour, label) pairs of a classed scale, e.g. ``< 1.5``, ``1.5–3``, ``>= 8``."""
    labels = [f"< {edges[0]:{fmt}}"]
    labels += [f"{a:{fmt}}–{b:{fmt}}" for a, b in itertools.pairwise(edges)]
    labels.append(f">= {edges[-1]:{fmt}}")
    return list(zip(colours, labels, strict=True))


def legend_html(sections: Sequence[str]) -> str:
    """Return the collapsible legend box holding one section per layer, and the attribution."""
    return (
        '<details class="hm-box hm-legend" open><summary>Legend</summary>'
        + "".join(sections)
        + "<small>Map data &copy; OpenStreetMap contributors (ODbL)</small></details>"
    )


RESULT_ROWS: tuple[tuple[str, str, str, int], ...] = (
    ("n_connected_buildings", "Buildings connected", "", 0),
    ("connected_heat_demand_mwh_per_a", "Heat connected", "MWh/yr", 0),
    ("spine_length_m", "Spine trench", "m", 0),
    ("service_length_m", "Service trench", "m", 0),
    ("route_lhd_mwh_per_m_a", "Route LHD", "MWh/m/yr", 2),
    ("peak_demand_kw", "Peak demand", "kW", 0),
    ("network_losses_pct", "Network losses", "%", 1),
    ("low_carbon_share_pct", "Low-carbon heat", "%", 1),
    ("capex_gbp", "CAPEX", "£", 0),
    ("npv_gbp", "NPV", "£", 0),
    ("irr_pct", "IRR", "%", 1),
    ("lcoh_gbp_per_mwh", "LCOH", "£/MWh", 2),
    ("co2_savings_t_per_a", "CO2 saved", "t/yr", 0),
)
"""Summary key, label, unit and decimals of the results panel's rows."""


def format_figure(value: Any, unit: str, decimals: int) -> str:
    """Format a headline figure with its unit: ``£1,234``, ``56.1 %``, ``n/a`` when missing."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not np.isfinite(value):
        return "n/a" if not isinstance(value, str) else escape(value)
    number = f"{value:,.{decimals}f}"
    if unit == "£":
        return f"£{number}" if value >= 0 else f"−£{number.lstrip('-')}"
    return f"{number} {unit}".strip()


def results_html(
    summary: Mapping[str, Any],
    *,
    extra: str = "",
    rows: Sequence[tuple[str, str, str, int]] = RESULT_ROWS,
) -> str:
    """Return the collapsible results panel: the run's headline figures from ``summary``.

    ``rows`` are the (summary key, label, unit, decimals) shown, in order (default:
    :data:`RESULT_ROWS`, a network's figures); a key missing from ``summary`` is left out.

    Each figure cell carries ``data-key`` (the summary key) and ``data-value`` (the exact value),
    so the panel can be checked against ``summary.json``. ``extra`` is trusted HTML appended
    below (the candidate table).
    """
    cells = []
    for key, label, unit, decimals in rows:
        if key not in summary:
            continue
        value = summary[key]
        raw = json.dumps(value) if isinstance(value, int | float | str | None) else ""
        cells.append(
            f"<tr><th>{escape(label)}</th>"
            f'<td data-key="{escape(key)}" data-value="{escape(raw)}">'
            f"{format_figure(value, unit, decimals)}</td></tr>"
        )
    scenario = summary.get("scenario")
    head = f"<small>{escape(scenario)}</small>" if scenario else ""
    return (
        '<details class="hm-box hm-results" open><summary>Results</summary>'
        f"{head}<table>{''.join(cells)}</table>{extra}</details>"
    )


def downloads_html(names: Sequence[str]) -> str:
    """Links to the files beside the map, for the results panel (escaped; empty for none).

    >>> downloads_html(["a&b.csv"])[26:]
    '<b>Download</b> <a href="a%26b.csv" download>a&amp;b.csv</a></div>'
    """
    if not names:
        return ""
    links = " ".join(
        f'<a href="{escape(quote(name))}" download>{escape(name)}</a>' for name in names
    )
    return f'<div class="hm-downloads"><b>Download</b> {links}</div>'


def popup_table(frame: pd.DataFrame, fields: Sequence[tuple[str, str, int | None]]) -> pd.Series:
    """One escaped HTML table per row; fields are (column, label, decimals or None for text).

    A field whose value is missing or empty in a row is left out of that row's table.
    """
    parts: list[pd.Series] = []
    for col, label, decimals in fields:
        if col not in frame.columns:
            continue
        cell = escape_series(frame[col]) if decimals is None else fmt_number(frame[col], decimals)
        row = f"<tr><th>{escape(label)}</th><td>" + cell + "</td></tr>"
        parts.append(row.where((cell != "") & (cell != "n/a"), ""))
    body = pd.Series("", index=frame.index, dtype=object)
    for part in parts:
        body = body + part
    return '<div class="hm-popup"><table>' + body + "</table></div>"
