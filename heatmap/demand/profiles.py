"""Hourly heat profiles that honour an annual total and a peak, for one building or a group."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from heatmap.demand import benchmarks as tables
from heatmap.demand.params import DemandParams
from heatmap.demand.peaks import diversified_peak_kw
from heatmap.errors import InputError
from heatmap.ingest.weather import HOURS_PER_YEAR, Weather, heating_degree_hours
from heatmap.schema import HEAT_DEMAND_MWH_PER_A, PEAK_LOAD_KW, USE, BuildingUse


@dataclass(frozen=True)
class HourlyProfile:
    """An 8,760-hour heat profile split into space heating and hot water (kW)."""

    total_kw: np.ndarray = field(repr=False)
    space_heating_kw: np.ndarray = field(repr=False)
    hot_water_kw: np.ndarray = field(repr=False)


def _shapes(weather: Weather, domestic_share: float) -> tuple[np.ndarray, np.ndarray]:
    s = tables.daily_shapes()
    weekday = (np.arange(365) + weather.first_weekday) % 7
    work = (weekday < 5)[:, None]
    nd = np.where(work, s["non_domestic_weekday"].to_numpy(), s["non_domestic_weekend"].to_numpy())
    dom_sh = np.broadcast_to(s["domestic_space_heating"].to_numpy(), (365, 24))
    dom_hw = np.broadcast_to(s["domestic_hot_water"].to_numpy(), (365, 24))
    sh = domestic_share * dom_sh + (1 - domestic_share) * nd
    hw = domestic_share * dom_hw + (1 - domestic_share) * nd
    return sh.ravel(), hw.ravel()


def hourly_profile(
    annual_mwh: float,
    peak_kw: float,
    *,
    weather: Weather,
    domestic_share: float = 1.0,
    hot_water_share: float = 0.2,
    base_c: float = 15.5,
) -> HourlyProfile:
    """Build an hourly profile with the given annual total and peak, split by end use.

    Parameters
    ----------
    annual_mwh
        Annual heat (MWh); the profile sums to it exactly.
    peak_kw
        Peak to reach (kW), e.g. a diversified group peak; must be at least the mean load.
    weather
        Hourly temperatures (EPW or synthetic).
    domestic_share
        Share of the heat that is domestic (0-1); mixes the daily shapes.
    hot_water_share
        Share of the annual heat used for hot water (0-1).
    base_c
        Heating base temperature (°C).

    Returns
    -------
    profile
        ``total_kw`` = ``space_heating_kw`` + ``hot_water_kw``.

    Notes
    -----
    Space heating is heating degree hours × the daily shape of the use; hot water is the daily
    shape alone (the same every day). The space-heating part is raised to a power γ (then
    rescaled to its annual energy) found by bisection so that the total peak matches
    ``peak_kw``; γ keeps the hour order, so the part still follows the degree hours. If the
    target peak is below what a flat space-heating part gives, the whole profile is flattened.

    Examples
    --------
    The TM46 office of :func:`heatmap.demand.annual.estimate_demand`'s example (120 MWh/a,
    104.8 kW peak) with 10 % hot water:

    >>> from heatmap.demand.profiles import hourly_profile
    >>> from heatmap.ingest.weather import synthetic_weather
    >>> prof = hourly_profile(120.0, 104.8, weather=synthetic_weather(), domestic_share=0.0,
    ...                       hot_water_share=0.1)
    >>> round(float(prof.total_kw.sum()) / 1000, 3), round(float(prof.total_kw.max()), 1)
    (120.0, 104.8)
    >>> round(float(prof.hot_water_kw.sum()) / 1000, 3)  # MWh/a
    12.0
    """
    if annual_mwh < 0 or not np.isfinite(annual_mwh):
        msg = f"annual_mwh must be a non-negative number, got {annual_mwh!r}"
        raise InputError(msg)
    if not 0 <= domestic_share <= 1 or not 0 <= hot_water_share < 1:
        msg = "domestic_share must be in [0, 1] and hot_water_share in [0, 1)"
        raise InputError(msg)
    zeros = np.zeros(HOURS_PER_YEAR)
    energy_kwh = annual_mwh * 1000.0
    if energy_kwh == 0:
        return HourlyProfile(zeros, zeros.copy(), zeros.copy())
    mean_kw = energy_kwh / HOURS_PER_YEAR
    if peak_kw < mean_kw * (1 - 1e-9):
        msg = f"peak_kw {peak_kw:g} is below the mean load {mean_kw:g} kW of {annual_mwh:g} MWh/a"
        raise InputError(msg)
    sh_shape, hw_shape = _shapes(weather, domestic_share)
    hdh = heating_degree_hours(weather, base_c)
    sh_raw = hdh * sh_shape if hdh.sum() > 0 else sh_shape.copy()
    hw = hw_shape / hw_shape.sum() * energy_kwh * hot_water_share
    e_sh = energy_kwh * (1 - hot_water_share)
    pos = sh_raw > 0
    log_raw = np.log(np.where(pos, sh_raw, 1.0))

    def sh_of(gamma: float) -> np.ndarray:
        z = np.where(pos, gamma * (log_raw - log_raw[pos].max()), -np.inf)
        w = np.exp(z)
        return w / w.sum() * e_sh

    def peak_of(gamma: float) -> float:
        return float((sh_of(gamma) + hw).max())

    if peak_of(0.0) > peak_kw:
        # Too flat a target for the space-heating part alone: flatten the whole profile.
        total = sh_of(1.0) + hw
        lo, hi = 0.0, 1.0
        for _ in range(80):
            mid = 0.5 * (lo + hi)
            t = total**mid
            t = t / t.sum() * energy_kwh
            lo, hi = (lo, mid) if t.max() > peak_kw else (mid, hi)
        t = total**lo
        t = t / t.sum() * energy_kwh
        ratio = np.divide(sh_of(1.0), total, out=np.zeros_like(total), where=total > 0)
        return HourlyProfile(t, t * ratio, t * (1 - ratio))
    lo, hi = 0.0, 1.0
    while peak_of(hi) < peak_kw and hi < 1e4:
        lo, hi = hi, hi * 2
    for _ in range(80):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if peak_of(mid) < peak_kw else (lo, mid)
    sh = sh_of(0.5 * (lo + hi))
    return HourlyProfile(sh + hw, sh, hw)


def hourly_profile_kw(
    annual_mwh: float,
    peak_kw: float,
    *,
    weather: Weather,
    domestic_share: float = 1.0,
    hot_water_share: float = 0.2,
    base_c: float = 15.5,
) -> np.ndarray:
    """Return the 8,760-hour heat load (kW) of a building or group.

    Parameters
    ----------
    annual_mwh
        Annual heat (MWh); honoured exactly.
    peak_kw
        Peak load (kW), e.g. :func:`heatmap.demand.peaks.diversified_peak_kw` of the group.
    weather
        Hourly temperatures.
    domestic_share
        Share of the heat that is domestic (0-1).
    hot_water_share
        Share of the heat used for hot water (0-1).
    base_c
        Heating base temperature (°C).

    Returns
    -------
    load_kw
        8,760 values; see :func:`hourly_profile` for the method.

    Examples
    --------
    >>> from heatmap.demand.profiles import hourly_profile_kw
    >>> from heatmap.ingest.weather import synthetic_weather
    >>> load = hourly_profile_kw(21.12, 10.9, weather=synthetic_weather())
    >>> len(load), round(float(load.sum()) / 1000, 2), round(float(load.max()), 1)
    (8760, 21.12, 10.9)
    """
    return hourly_profile(
        annual_mwh,
        peak_kw,
        weather=weather,
        domestic_share=domestic_share,
        hot_water_share=hot_water_share,
        base_c=base_c,
    ).total_kw


def group_profile_kw(
    buildings: pd.DataFrame, *, weather: Weather, params: DemandParams | None = None
) -> np.ndarray:
    """Return the 8,760-hour load of a group of buildings (kW).

    Parameters
    ----------
    buildings
        Rows of :func:`estimate_demand` output forming the group (e.g. one cluster).
    weather
        Hourly temperatures (:func:`heatmap.ingest.weather.read_epw` or ``synthetic_weather``).
    params
        Supplies the hot-water shares by use.

    Returns
    -------
    load_kw
        Sums to the group's annual demand and peaks at its diversified peak
        (:func:`diversified_peak_kw`); daily shapes and hot-water share are mixed by the
        domestic share of the group's heat.

    Examples
    --------
    >>> from heatmap.ingest.weather import synthetic_weather
    >>> group = pd.DataFrame({"heat_demand_mwh_per_a": [120.0, 21.12],
    ...                       "peak_load_kw": [104.8, 10.9],
    ...                       "use": ["non_domestic", "domestic"]})
    >>> load = group_profile_kw(group, weather=synthetic_weather())
    >>> len(load), round(float(load.sum()) / 1000, 2)  # hours, MWh/a
    (8760, 141.12)
    >>> round(float(load.max()), 1)  # kW: the diversified peak, 0.81 x (104.8 + 10.9)
    93.7
    """
    params = params or DemandParams()
    heat = buildings[HEAT_DEMAND_MWH_PER_A].to_numpy(dtype=float)
    total = float(np.nansum(heat))
    if total <= 0:
        return np.zeros(HOURS_PER_YEAR)
    dom = float(np.nansum(heat[(buildings[USE] == BuildingUse.DOMESTIC.value).to_numpy()]))
    share = dom / total
    hw = share * params.domestic_hot_water_share + (1 - share) * (
        params.non_domestic_hot_water_share
    )
    peak = max(diversified_peak_kw(buildings[PEAK_LOAD_KW]), total * 1000.0 / HOURS_PER_YEAR)
    return hourly_profile_kw(total, peak, weather=weather, domestic_share=share, hot_water_share=hw)
