"""Heat-pump COP and availability, thermal-store and n+1 boiler capacities."""

from __future__ import annotations

import math

import numpy as np

from heatmap.errors import InputError
from heatmap.plant._types import HOURS_PER_YEAR, WATER_KWH_PER_M3_K
from heatmap.plant.params import DispatchParams

__all__ = [
    "boiler_capacity_n_plus_1_kw",
    "cop",
    "downtime_start_days",
    "hp_available",
    "hp_modules",
    "store_capacity_kwh",
    "store_delta_t_k",
    "store_volume_m3",
]

_KELVIN = 273.15
_JUNE_1 = 151  # day index (0-based) of 1 June in a 365-day year
_SEPTEMBER_1 = 243
_STUDY_DOWNTIME_DAYS = (1, 182)


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


def store_delta_t_k(params: DispatchParams) -> float:
    """Return the store's usable temperature difference: set, or the design flow - return.

    Examples
    --------
    >>> store_delta_t_k(DispatchParams())  # 70 - 45 °C, as the pipes are sized
    25.0
    """
    if params.store_delta_t_k is not None:
        return float(params.store_delta_t_k)
    return float(params.flow_temp_c - params.return_temp_c)


def store_volume_m3(params: DispatchParams, peak_kw: float) -> float:
    """Return the store volume: set, or ``store_hours_at_peak`` hours of the peak load.

    Examples
    --------
    The study's 4.6 MW peak gives its 200 m3 back (1.25 h x 4,600 kW / (25 K x 1.147)):

    >>> round(store_volume_m3(DispatchParams(), 4600.0), 1)
    200.5
    """
    if params.store_volume_m3 is not None:
        return float(params.store_volume_m3)
    kwh = params.store_hours_at_peak * max(peak_kw, 0.0)
    return kwh / (store_delta_t_k(params) * WATER_KWH_PER_M3_K)


def store_capacity_kwh(params: DispatchParams, peak_kw: float = 0.0) -> float:
    """Return usable store heat, kWh: ``volume x ΔT x ρc``.

    Examples
    --------
    >>> store_capacity_kwh(DispatchParams(store_volume_m3=200.0, store_delta_t_k=30.0))
    6882.0
    """
    return store_volume_m3(params, peak_kw) * store_delta_t_k(params) * WATER_KWH_PER_M3_K


def hp_modules(params: DispatchParams, hp_capacity_kw: float, load_kw: np.ndarray) -> int:
    """Return the number of equal heat-pump modules making up ``hp_capacity_kw``.

    With ``hp_module_kw`` set: ``ceil(capacity / module)``. Otherwise the largest catalogue size
    no larger than the capacity whose minimum load (``hp_min_load_pct``) is below the 10th
    percentile of the June-August load, so that one module runs through the summer; the
    smallest catalogue size when none qualifies.

    Examples
    --------
    A 2.5 MW heat pump on a summer load that rarely drops below 600 kW: 2 MW modules
    (minimum 500 kW), so two modules of 1.25 MW:

    >>> load = np.full(8760, 600.0)
    >>> hp_modules(DispatchParams(), 2500.0, load)
    2
    """
    if hp_capacity_kw <= 0:
        return 0
    if params.hp_module_kw is not None:
        return max(1, math.ceil(hp_capacity_kw / params.hp_module_kw - 1e-9))
    summer = np.asarray(load_kw, dtype=float)[_JUNE_1 * 24 : _SEPTEMBER_1 * 24]
    low = float(np.percentile(summer, 10)) if summer.size else 0.0
    sizes = sorted(params.hp_module_sizes_kw)
    fits = [s for s in sizes if s <= hp_capacity_kw and s * params.hp_min_load_pct / 100.0 <= low]
    size = fits[-1] if fits else sizes[0]
    return max(1, math.ceil(hp_capacity_kw / size - 1e-9))


def downtime_start_days(params: DispatchParams, load_kw: np.ndarray | None) -> tuple[int, ...]:
    """Return the day of year each maintenance outage starts.

    ``hp_downtime_start_days`` when given; else the ``hp_downtime_count`` non-overlapping
    windows of ``hp_downtime_days`` days with the least load (the study's days 1 and 182
    when no load is given).

    Examples
    --------
    A load lowest in August (days 213-243) puts both outages there:

    >>> load = np.full(8760, 100.0)
    >>> load[212 * 24 : 243 * 24] = 20.0
    >>> downtime_start_days(DispatchParams(), load)
    (213, 220)
    """
    if params.hp_downtime_start_days:
        return params.hp_downtime_start_days
    if load_kw is None:
        return _STUDY_DOWNTIME_DAYS
    days = np.asarray(load_kw, dtype=float)[: 365 * 24].reshape(365, 24).sum(axis=1)
    width = max(params.hp_downtime_days, 1)
    window = np.convolve(days, np.ones(width), mode="valid")
    taken: list[int] = []
    for _ in range(params.hp_downtime_count):
        free = np.ones(window.size, dtype=bool)
        for start in taken:
            free[max(0, start - width + 1) : start + width] = False
        if not free.any():
            break
        taken.append(int(np.flatnonzero(free)[np.argmin(window[free])]))
    return tuple(sorted(d + 1 for d in taken))


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


def hp_available(params: DispatchParams, load_kw: np.ndarray | None = None) -> np.ndarray:
    """Return an 8,760 boolean array, False in maintenance downtime hours.

    Examples
    --------
    Two maintenance weeks (without a load: the study's days 1 and 182):

    >>> avail = hp_available(DispatchParams())
    >>> len(avail), int((~avail).sum())
    (8760, 336)
    """
    avail = np.ones(HOURS_PER_YEAR, dtype=bool)
    for day in downtime_start_days(params, load_kw):
        start = (day - 1) * 24
        avail[start : min(start + params.hp_downtime_days * 24, HOURS_PER_YEAR)] = False
    return avail
