"""Heat-pump COP and availability, thermal-store and n+1 boiler capacities."""

from __future__ import annotations

import math

import numpy as np

from heatmap.errors import InputError
from heatmap.plant._types import HOURS_PER_YEAR, WATER_KWH_PER_M3_K
from heatmap.plant.params import DispatchParams

__all__ = ["boiler_capacity_n_plus_1_kw", "cop", "hp_available", "store_capacity_kwh"]

_KELVIN = 273.15


def cop(
    source_temp_c: np.ndarray | float,
    sink_temp_c: np.ndarray | float,
    *,
    params: DispatchParams | None = None,
) -> np.ndarray:
    """Return heat-pump COP for source and sink (flow) temperatures.

    ``carnot``: ``COP = η · T_cond / (T_cond − T_evap)`` with ``T_cond = flow + approach`` and
    ``T_evap = source − approach`` (kelvin). ``curve``: linear interpolation of the
    manufacturer's COP in the lift ``flow − source`` (held constant beyond the end points).

    Parameters
    ----------
    source_temp_c
        Source temperature(s), °C.
    sink_temp_c
        Flow temperature(s), °C (broadcast with ``source_temp_c``).
    params
        Model and its coefficients (defaults: :class:`DispatchParams`).

    Returns
    -------
    cop
        COP (heat out / electricity in), at least 1.

    Examples
    --------
    Carnot model with the defaults (efficiency 0.55, 3 K approach): a 12 °C source and 70 °C
    flow give ``0.55 x 346.15 K / (346.15 K - 282.15 K) = 2.97``:

    >>> round(float(cop(12.0, 70.0)), 4)
    2.9747
    >>> cop(np.array([5.0, 12.0]), 55.0).round(2).tolist()  # lower flow, smaller lift
    [3.25, 3.72]
    """
    p = params or DispatchParams()
    src = np.asarray(source_temp_c, dtype=float)
    sink = np.asarray(sink_temp_c, dtype=float)
    if np.any(sink <= src):
        msg = "cop: every flow (sink) temperature must be above the source temperature"
        raise InputError(msg)
    if p.cop_model == "curve":
        out = np.interp(sink - src, np.asarray(p.cop_curve_lift_k), np.asarray(p.cop_curve_cop))
    else:
        t_cond = sink + p.temperature_approach_k + _KELVIN
        t_evap = src - p.temperature_approach_k + _KELVIN
        out = p.carnot_efficiency * t_cond / (t_cond - t_evap)
    return np.asarray(np.maximum(out, 1.0), dtype=float)


def store_capacity_kwh(params: DispatchParams) -> float:
    """Return usable store heat, kWh: ``volume x ΔT x ρc``.

    Examples
    --------
    >>> store_capacity_kwh(DispatchParams(store_volume_m3=200.0, store_delta_t_k=30.0))
    6882.0
    """
    return params.store_volume_m3 * params.store_delta_t_k * WATER_KWH_PER_M3_K


def boiler_capacity_n_plus_1_kw(peak_kw: float, hp_capacity_kw: float, unit_kw: float) -> float:
    """Return n+1 gas boiler capacity: the peak is met after any single unit fails.

    With the heat pump counted as one unit: ``n x unit >= peak`` (heat pump failed) and
    ``hp + (n - 1) x unit >= peak`` (one boiler failed); the smallest such n. The study's
    4.6 MW peak with a 2.51 MW heat pump and 2.5 MW units gives 5 MW (Table 22).

    Parameters
    ----------
    peak_kw
        Peak load, kW.
    hp_capacity_kw
        Heat-pump capacity, kW.
    unit_kw
        One boiler's capacity, kW.

    Returns
    -------
    capacity_kw
        ``n x unit_kw``.

    Examples
    --------
    >>> boiler_capacity_n_plus_1_kw(4600.0, 2510.0, 2500.0)  # study Table 22
    5000.0
    """
    n_hp_failed = math.ceil(peak_kw / unit_kw - 1e-9)
    n_boiler_failed = math.ceil(max(peak_kw - hp_capacity_kw, 0.0) / unit_kw - 1e-9) + 1
    return float(max(n_hp_failed, n_boiler_failed, 1) * unit_kw)


def hp_available(params: DispatchParams) -> np.ndarray:
    """Return an 8,760 boolean array, False in maintenance downtime hours.

    Examples
    --------
    The default two maintenance weeks (from days 1 and 182):

    >>> avail = hp_available(DispatchParams())
    >>> len(avail), int((~avail).sum())
    (8760, 336)
    """
    avail = np.ones(HOURS_PER_YEAR, dtype=bool)
    for day in params.hp_downtime_start_days:
        start = (day - 1) * 24
        avail[start : min(start + params.hp_downtime_days * 24, HOURS_PER_YEAR)] = False
    return avail
