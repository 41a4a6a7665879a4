"""Dispatch figures: load duration curve, typical days, annual profile, sizing sweep (PNG).

Figures are drawn on :class:`matplotlib.figure.Figure` objects (no pyplot, no global backend) in
the house style and written atomically (:mod:`heatmap.outputs.figures`).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.figure import Figure

from heatmap.outputs.figures import save_figure, styled

if TYPE_CHECKING:
    from heatmap.plant import DispatchResult, SweepResult

__all__ = ["plot_annual_profile", "plot_load_duration", "plot_sweep", "plot_typical_days"]

_PLANT = (
    ("hp_to_load_kw", "heat pump", "#2a9d8f"),
    ("store_discharge_kw", "thermal store", "#e9c46a"),
    ("electric_boiler_kw", "electric boiler", "#8ab17d"),
    ("boiler_kw", "gas boilers", "#e76f51"),
    ("unmet_kw", "unmet", "#6d597a"),
)


def _stack(result: DispatchResult) -> dict[str, np.ndarray]:
    h = result.hourly
    out = {name: h[name].to_numpy() for name, _, _ in _PLANT if name in h}
    out["hp_to_load_kw"] = (h["hp_kw"] - h["store_charge_kw"]).to_numpy()
    return out


@styled
def plot_load_duration(
    result: DispatchResult, path: str | os.PathLike[str], *, overwrite: bool = False
) -> Path:
    """Write the load duration curve with heat-pump and boiler capacities (study Figure 38).

    Parameters
    ----------
    result
        A dispatch result.
    path
        PNG file to write.
    overwrite
        Replace an existing file.

    Returns
    -------
    path
        The file written.
    """
    load = np.sort(result.hourly["load_kw"].to_numpy())[::-1] / 1000.0
    fig = Figure(figsize=(8, 4.5))
    ax = fig.add_subplot()
    ax.fill_between(np.arange(load.size), load, color="#bcd", label="load (demand + losses)")
    ax.axhline(result.hp_capacity_kw / 1000.0, color="k", lw=1.5, label="heat pump capacity")
    ax.axhline(
        (result.hp_capacity_kw + result.boiler_capacity_kw) / 1000.0,
        color="#e76f51",
        lw=1,
        ls="--",
        label="heat pump + boilers",
    )
    ax.set_xlim(0, load.size)
    ax.set_xlabel("hours in the year, sorted by load")
    ax.set_ylabel("MW")
    ax.set_title(
        f"Load duration: peak {result.peak_load_kw / 1000:.2f} MW, "
        f"low-carbon {result.low_carbon_share_pct:.1f} %"
    )
    ax.legend(loc="upper right")
    return save_figure(fig, path, overwrite=overwrite)


@styled
def plot_typical_days(
    result: DispatchResult, path: str | os.PathLike[str], *, overwrite: bool = False
) -> Path:
    """Write stacked plant output and store level for the peak day and a mid-summer day.

    Parameters
    ----------
    result
        A dispatch result.
    path
        PNG file to write.
    overwrite
        Replace an existing file.

    Returns
    -------
    path
        The file written.
    """
    load = result.hourly["load_kw"].to_numpy()
    peak_day = int(np.argmax(load)) // 24
    summer_day = 196  # 16 July, outside the July maintenance week
    stack = _stack(result)
    fig = Figure(figsize=(11, 4.5))
    axes = fig.subplots(1, 2, sharey=True)
    for ax, day, title in ((axes[0], peak_day, "peak day"), (axes[1], summer_day, "summer day")):
        sl = slice(day * 24, day * 24 + 24)
        hours = np.arange(24)
        ax.stackplot(
            hours,
            *[stack[name][sl] / 1000.0 for name, _, _ in _PLANT],
            labels=[label for _, label, _ in _PLANT],
            colors=[c for _, _, c in _PLANT],
            step="post",
        )
        ax.plot(hours, load[sl] / 1000.0, "k-", lw=1, drawstyle="steps-post", label="load")
        ax2 = ax.twinx()
        ax2.plot(hours, result.hourly["store_level_kwh"].to_numpy()[sl] / 1000.0, "b:", lw=1.5)
        ax2.set_ylim(0, max(result.store_capacity_kwh / 1000.0, 1e-3) * 1.05)
        ax2.set_ylabel("store level, MWh", color="b")
        ax.set_title(f"{title} (day {day + 1})")
        ax.set_xlabel("hour")
    axes[0].set_ylabel("MW")
    axes[0].legend(loc="upper left", fontsize=8)
    return save_figure(fig, path, overwrite=overwrite)


@styled
def plot_annual_profile(
    result: DispatchResult, path: str | os.PathLike[str], *, overwrite: bool = False
) -> Path:
    """Write daily mean output by plant over the year.

    Parameters
    ----------
    result
        A dispatch result.
    path
        PNG file to write.
    overwrite
        Replace an existing file.

    Returns
    -------
    path
        The file written.
    """
    stack = _stack(result)
    days = np.arange(365)
    fig = Figure(figsize=(11, 4.5))
    ax = fig.add_subplot()
    ax.stackplot(
        days,
        *[stack[name].reshape(365, 24).mean(axis=1) / 1000.0 for name, _, _ in _PLANT],
        labels=[label for _, label, _ in _PLANT],
        colors=[c for _, _, c in _PLANT],
    )
    ax.set_xlim(0, 364)
    ax.set_xlabel("day of year")
    ax.set_ylabel("daily mean MW")
    ax.set_title(f"Annual profile (SPF {result.spf:.2f}, {result.hp_running_hours} h running)")
    ax.legend(loc="upper center", fontsize=8, ncol=5)
    return save_figure(fig, path, overwrite=overwrite)


@styled
def plot_sweep(
    sweep: SweepResult, path: str | os.PathLike[str], *, overwrite: bool = False
) -> Path:
    """Write low-carbon share and annualised cost against heat-pump capacity, one line per store.

    Parameters
    ----------
    sweep
        A sizing sweep.
    path
        PNG file to write.
    overwrite
        Replace an existing file.

    Returns
    -------
    path
        The file written.
    """
    t = sweep.table
    fig = Figure(figsize=(11, 4.5))
    ax1, ax2 = fig.subplots(1, 2)
    for vol, g in t.groupby("store_volume_m3"):
        g = g.sort_values("hp_capacity_kw")
        ax1.plot(
            g["hp_capacity_kw"] / 1000, g["low_carbon_share_pct"], marker=".", label=f"{vol:g} m3"
        )
        ax2.plot(g["hp_capacity_kw"] / 1000, g["annualised_cost_gbp_per_a"] / 1e3, marker=".")
    ax1.axhline(sweep.target_low_carbon_share_pct, color="k", ls="--", lw=1, label="target")
    if sweep.chosen is not None:
        c = sweep.chosen
        ax1.plot(c["hp_capacity_kw"] / 1000, c["low_carbon_share_pct"], "r*", ms=14)
        ax2.plot(c["hp_capacity_kw"] / 1000, c["annualised_cost_gbp_per_a"] / 1e3, "r*", ms=14)
    ax1.set_xlabel("heat pump, MW")
    ax1.set_ylabel("low-carbon share, %")
    ax2.set_xlabel("heat pump, MW")
    ax2.set_ylabel("annualised cost, k GBP/yr")
    ax1.legend(title="store", fontsize=8)
    fig.suptitle(sweep.note, fontsize=9)
    return save_figure(fig, path, overwrite=overwrite)
