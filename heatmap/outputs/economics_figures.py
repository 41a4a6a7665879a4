"""Tornado and cashflow figures for :mod:`heatmap.economics.appraisal`.

Drawn on :class:`matplotlib.figure.Figure` objects (no pyplot) in the house style and written
atomically (:mod:`heatmap.outputs.figures`).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
from matplotlib.figure import Figure

from heatmap.outputs.figures import save_figure, styled

if TYPE_CHECKING:
    from heatmap.economics import EconomicsResult

__all__ = ["plot_cashflow", "plot_tornado"]


@styled
def plot_tornado(
    table: pd.DataFrame, path: str | os.PathLike[str], *, overwrite: bool = False
) -> Path:
    """Tornado chart of the NPV change per sensitivity case (from :func:`sensitivity_table`).

    Parameters
    ----------
    table
        Output of :func:`heatmap.economics.appraisal.sensitivity_table`.
    path
        PNG file to write (atomically).
    overwrite
        Replace an existing file.

    Returns
    -------
    path
        The file written.
    """
    rows = table.iloc[1:].copy()
    rows["case"] = rows["case"].astype(str).str.lstrip("'")
    # one row per parameter: its cases side by side (a paired tornado), widest swing on top
    order = rows.groupby("parameter", sort=False)["delta_npv_gbp"].apply(lambda d: d.abs().max())
    params = list(order.sort_values(kind="stable").index)
    fig = Figure(figsize=(9, 0.42 * len(params) + 1.6))
    ax = fig.add_subplot()
    labels = []
    for y, name in enumerate(params):
        cases = rows[rows["parameter"] == name]
        for case, delta in zip(cases["case"], cases["delta_npv_gbp"], strict=True):
            color = "#2a9d8f" if delta >= 0 else "#e76f51"
            ax.barh(y, delta / 1e6, color=color, height=0.7)
            ax.annotate(
                case if len(case) <= 18 else case[:17] + "…",
                (delta / 1e6, y),
                xytext=(4 if delta >= 0 else -4, 0),
                textcoords="offset points",
                ha="left" if delta >= 0 else "right",
                va="center",
                fontsize=8,
            )
        labels.append(name)
    ax.set_yticks(range(len(params)), labels)
    ax.axvline(0, color="black", lw=0.8)
    lo, hi = ax.get_xlim()
    pad = 0.18 * (hi - lo)
    ax.set_xlim(lo - pad, hi + pad)
    base = table["npv_gbp"].iloc[0] / 1e6
    ax.set_xlabel(f"change in NPV, GBP million (base {base:,.2f})")
    ax.set_title("Sensitivity of NPV, one parameter at a time (green: higher, red: lower)")
    return save_figure(fig, path, overwrite=overwrite)


@styled
def plot_cashflow(
    result: EconomicsResult, path: str | os.PathLike[str], *, overwrite: bool = False
) -> Path:
    """Yearly net cashflow bars and cumulative line (study Figure 51 style).

    Parameters
    ----------
    result
        Output of :func:`heatmap.economics.appraisal.evaluate`.
    path
        PNG file to write (atomically).
    overwrite
        Replace an existing file.

    Returns
    -------
    path
        The file written.
    """
    cf = result.cashflow
    fig = Figure(figsize=(9, 4.5))
    ax = fig.add_subplot()
    ax.bar(
        cf["year"],
        -(cf["capex_gbp"] + cf["replacement_gbp"] - cf["grant_gbp"]) / 1e6,
        color="#e76f51",
        label="capital (net of grant)",
    )
    opex = cf["electricity_cost_gbp"] + cf["gas_cost_gbp"] + cf["om_gbp"]
    revenue = cf["revenue_fixed_gbp"] + cf["revenue_variable_gbp"] + cf["connection_charges_gbp"]
    ax.bar(cf["year"], revenue / 1e6, color="#2a9d8f", label="revenue")
    ax.bar(cf["year"], -opex / 1e6, color="#f4a261", label="operating costs", alpha=0.8)
    ax.plot(cf["year"], cf["cumulative_gbp"] / 1e6, color="black", label="cumulative cashflow")
    ax.axhline(0, color="grey", lw=0.6)
    ax.set_ylabel("GBP million")
    ax.legend(loc="lower right", fontsize=8)
    ax.set_title("Cashflow")
    return save_figure(fig, path, overwrite=overwrite)
