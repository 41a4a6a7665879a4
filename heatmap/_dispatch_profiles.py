"""Synthetic UK-shaped hourly temperature and heat-demand profiles for dispatch checks.

Used by the dispatch tests and benchmark when no weather file is at hand. The temperature year is
an annual sinusoid (coldest in late January) plus a daily cycle and an autocorrelated day-to-day
weather anomaly; demand is a degree-hour method with a domestic occupancy shape, scaled so that
the annual total and the peak match given values.
"""

from __future__ import annotations

import numpy as np

from ._errors import InputError

__all__ = ["degree_hour_demand_kw", "synthetic_uk_temperature_c"]

HOURS_PER_YEAR = 8760

# Occupancy/heating-schedule weights by hour of day (domestic: morning and evening peaks,
# night setback); mean 1.0.
_HOUR_SHAPE = np.array(
    [
        0.55,
        0.5,
        0.5,
        0.5,
        0.6,
        0.9,
        1.5,
        1.7,
        1.5,
        1.1,
        0.9,
        0.85,  # 00-11 h
        0.85,
        0.85,
        0.9,
        1.0,
        1.3,
        1.55,
        1.6,
        1.5,
        1.35,
        1.1,
        0.85,
        0.65,
    ]  # 12-23 h
)
_HOUR_SHAPE = _HOUR_SHAPE / _HOUR_SHAPE.mean()


def synthetic_uk_temperature_c(
    *,
    mean_c: float = 10.0,
    annual_amplitude_k: float = 6.5,
    daily_amplitude_k: float = 3.0,
    anomaly_sd_k: float = 2.5,
    seed: int = 1,
) -> np.ndarray:
    """Return 8,760 hourly outdoor temperatures shaped like a lowland UK year.

    Parameters
    ----------
    mean_c
        Annual mean temperature (UK lowland about 10 °C).
    annual_amplitude_k
        Half the difference between the July and January monthly means (UK about 6.5 K).
    daily_amplitude_k
        Half the mean daily range (minimum about 05:00, maximum about 15:00).
    anomaly_sd_k
        Standard deviation of the day-to-day weather anomaly (AR(1), persistence 0.8).
    seed
        Random seed, so that the year is reproducible.

    Returns
    -------
    temperature_c
        Hourly temperatures from 1 January 00:00.
    """
    hours = np.arange(HOURS_PER_YEAR, dtype=float)
    day = hours / 24.0
    seasonal = mean_c - annual_amplitude_k * np.cos(2.0 * np.pi * (day - 20.0) / 365.0)
    diurnal = daily_amplitude_k * np.cos(2.0 * np.pi * (hours % 24 - 15.0) / 24.0)
    rng = np.random.default_rng(seed)
    n_days = HOURS_PER_YEAR // 24
    shocks = rng.normal(0.0, anomaly_sd_k * np.sqrt(1.0 - 0.8**2), n_days)
    anomaly = np.empty(n_days)
    anomaly[0] = shocks[0] / np.sqrt(1.0 - 0.8**2)
    for i in range(1, n_days):
        anomaly[i] = 0.8 * anomaly[i - 1] + shocks[i]
    # interpolate the daily anomaly to hours so that fronts arrive smoothly
    anomaly_h = np.interp(hours, np.arange(n_days) * 24.0 + 12.0, anomaly)
    return np.asarray(seasonal + diurnal + anomaly_h, dtype=float)


def degree_hour_demand_kw(
    temperature_c: np.ndarray,
    *,
    annual_mwh: float,
    peak_kw: float,
    base_temp_c: float = 15.5,
) -> np.ndarray:
    """Return an hourly heat demand profile from degree-hours, scaled to an annual total and a peak.

    ``demand = a + b * max(base - T, 0) * hour_shape``, with ``a`` (hot water and other
    weather-independent load) and ``b`` solved so that the sum is ``annual_mwh`` and the maximum
    is ``peak_kw``.

    Parameters
    ----------
    temperature_c
        8,760 hourly outdoor temperatures.
    annual_mwh
        Annual heat demand, MWh.
    peak_kw
        Peak hourly demand, kW.
    base_temp_c
        Degree-day base temperature (UK convention 15.5 °C).

    Returns
    -------
    demand_kw
        8,760 hourly demands, kW.

    Raises
    ------
    InputError
        If the temperature series has the wrong length, or the peak and annual total cannot both
        be met with a non-negative base load (peak too low for the annual total).
    """
    t = np.asarray(temperature_c, dtype=float)
    if t.shape != (HOURS_PER_YEAR,):
        msg = f"temperature_c: expected {HOURS_PER_YEAR} hourly values, got shape {t.shape}"
        raise InputError(msg)
    x = np.clip(base_temp_c - t, 0.0, None) * np.tile(_HOUR_SHAPE, HOURS_PER_YEAR // 24)
    total_kwh = annual_mwh * 1000.0
    # a + b * x.max() = peak ; 8760 a + b * x.sum() = total
    denom = x.sum() - HOURS_PER_YEAR * x.max()
    b = (total_kwh - HOURS_PER_YEAR * peak_kw) / denom
    a = peak_kw - b * x.max()
    if a < 0.0 or b <= 0.0:
        msg = (
            f"cannot shape {annual_mwh} MWh/yr with a {peak_kw} kW peak from degree-hours "
            f"(load factor {total_kwh / (peak_kw * HOURS_PER_YEAR):.2f}); raise the peak or "
            "lower the annual total"
        )
        raise InputError(msg)
    return np.asarray(a + b * x, dtype=float)
