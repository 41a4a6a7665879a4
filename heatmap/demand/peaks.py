"""Peak loads: per building (full-load hours or the THERMOS regression) and diversified groups."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from heatmap.demand import benchmarks as tables
from heatmap.demand.params import DemandParams
from heatmap.errors import InputError

logger = logging.getLogger(__name__)

__all__ = [
    "THERMOS_PEAK_INTERCEPT_KW",
    "THERMOS_PEAK_SLOPE_KW_PER_KWH",
    "diversified_peak_kw",
    "diversity_factor",
    "peak_kw",
]

THERMOS_PEAK_SLOPE_KW_PER_KWH = 0.0004963
THERMOS_PEAK_INTERCEPT_KW = 21.84


def peak_kw(heat: np.ndarray, use: np.ndarray, cat: np.ndarray, params: DemandParams) -> np.ndarray:
    """Return each building's undiversified peak (kW) by the scenario's peak method."""
    kwh = np.asarray(heat, dtype=float) * 1000.0
    if params.peak_method == "thermos_regression":
        peak = THERMOS_PEAK_SLOPE_KW_PER_KWH * kwh + THERMOS_PEAK_INTERCEPT_KW
        return np.where(kwh > 0, peak, 0.0)
    flh = tables.full_load_hours_table().set_index("category")["full_load_hours_h_per_a"]
    hours = pd.Series(cat).map(flh).astype(float)
    hours = hours.fillna(pd.Series(use).map(flh).astype(float)).fillna(float(flh["non_domestic"]))
    return np.where(kwh > 0, kwh / hours.to_numpy(), 0.0)


def diversity_factor(n: float | np.ndarray) -> float | np.ndarray:
    """Return the THERMOS diversity factor ``f(n) = 0.62 + 0.38 / n``.

    Parameters
    ----------
    n
        Number of connected buildings (>= 1).

    Returns
    -------
    factor
        1 for one building, tending to 0.62 for many.

    Examples
    --------
    >>> diversity_factor(1)
    1.0
    >>> diversity_factor(np.array([2, 100])).round(4).tolist()
    [0.81, 0.6238]
    """
    arr = np.asarray(n, dtype=float)
    if np.any(arr < 1):
        msg = f"diversity_factor: number of buildings must be >= 1, got {n!r}"
        raise InputError(msg)
    out = 0.62 + 0.38 / arr
    return float(out) if out.ndim == 0 else out


def diversified_peak_kw(peak_kw: np.ndarray | pd.Series | list[float]) -> float:
    """Return the diversified peak of a group: ``f(n) × Σ peaks`` over buildings with a peak.

    Parameters
    ----------
    peak_kw
        Undiversified peak load of each building (kW); zeros and NaN are not counted in n.

    Returns
    -------
    peak
        Diversified group peak (kW); 0 for an empty group.

    Examples
    --------
    Two 100 kW buildings (the zero and the NaN are not counted): 0.81 x 200 kW.

    >>> round(diversified_peak_kw([100.0, 100.0, 0.0, float("nan")]), 6)
    162.0
    >>> diversified_peak_kw([])
    0.0
    """
    p = np.asarray(peak_kw, dtype=float)
    p = p[np.isfinite(p) & (p > 0)]
    if p.size == 0:
        return 0.0
    return float(diversity_factor(p.size) * p.sum())
