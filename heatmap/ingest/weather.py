"""Hourly outdoor temperature for heat profiles: EPW reader and a synthetic typical UK year.

A :class:`Weather` holds one non-leap year of 8,760 hourly dry-bulb temperatures. Read one from an
EnergyPlus weather file with :func:`read_epw`, or build a synthetic typical year for a CIBSE TM46
region with :func:`synthetic_weather` when no file is given. :func:`heating_degree_hours` turns a
year into the hourly heating degree hours that drive the space-heating profile.
"""

from __future__ import annotations

import gzip
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from heatmap._data import bundled_csv
from heatmap.errors import InputError

__all__ = [
    "HOURS_PER_YEAR",
    "Weather",
    "heating_degree_days",
    "heating_degree_hours",
    "read_epw",
    "regional_hdd",
    "synthetic_weather",
]

logger = logging.getLogger(__name__)

HOURS_PER_YEAR = 8760
_DAYS_IN_MONTH = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
# Day-to-day variation of daily mean temperature about the monthly mean, measured on the London
# City Airport TMYx 2007-2021 EPW by this project: standard deviation 2.62 K, lag-1 autocorrelation
# 0.72. Daily minimum around 06:00, maximum around 14:00 (same file).
_DAILY_ANOMALY_SD_K = 2.62
_DAILY_ANOMALY_LAG1 = 0.72
_HOUR_OF_MAX = 14.0
_EPW_HEADER_LINES = 8
_EPW_DRY_BULB_COLUMN = 6
_EPW_MISSING_C = 99.9


@dataclass(frozen=True)
class Weather:
    """One year of hourly outdoor temperatures.

    Attributes
    ----------
    temperature_c
        Dry-bulb temperature per hour, 8,760 values from 1 January 00:00 (°C).
    source
        Where the series came from (file path or ``"synthetic:<region>"``).
    latitude
        Site latitude (degrees north), NaN when unknown.
    longitude
        Site longitude (degrees east), NaN when unknown.
    location
        Station or region name.
    first_weekday
        Weekday of 1 January (0 = Monday), used for weekly occupancy shapes.
    """

    temperature_c: np.ndarray = field(repr=False)
    source: str = ""
    latitude: float = float("nan")
    longitude: float = float("nan")
    location: str = ""
    first_weekday: int = 0

    def __post_init__(self) -> None:
        t = np.asarray(self.temperature_c, dtype=float)
        if t.shape != (HOURS_PER_YEAR,):
            msg = (
                f"weather {self.source!r}: expected {HOURS_PER_YEAR} hourly temperatures, "
                f"got shape {t.shape}"
            )
            raise InputError(msg)
        if not np.isfinite(t).all():
            msg = (
                f"weather {self.source!r}: {int((~np.isfinite(t)).sum())} hourly values not finite"
            )
            raise InputError(msg)
        object.__setattr__(self, "temperature_c", t)

    @property
    def annual_hdd_k_day(self) -> float:
        """Heating degree days base 15.5 °C from daily mean temperatures (K·day)."""
        return float(heating_degree_days(self).sum())


def _regional_hdd_table() -> pd.DataFrame:
    return bundled_csv("tm46_regional_hdd.csv")


def regional_hdd(region: str) -> float:
    """Return the TM46 20-year heating degree days (base 15.5 °C) of a UK region.

    Parameters
    ----------
    region
        Region name as in ``heatmap/data/tm46_regional_hdd.csv`` (case-insensitive), e.g.
        ``"Thames Valley"`` (London), ``"North Eastern"``, or ``"Reference"`` (2,021, the basis of
        the TM46 benchmarks).

    Returns
    -------
    hdd
        Annual heating degree days (K·day).

    Examples
    --------
    >>> regional_hdd("Thames Valley"), regional_hdd("north eastern")
    (1709.0, 2237.0)
    """
    table = _regional_hdd_table()
    match = table[table["region"].str.lower() == region.strip().lower()]
    if match.empty:
        msg = f"unknown TM46 region {region!r}; choose one of: {', '.join(table['region'])}"
        raise InputError(msg)
    return float(match["hdd_15p5_k_day_per_a"].iloc[0])


def read_epw(path: str | os.PathLike[str]) -> Weather:
    r"""Read the hourly dry-bulb temperature of an EnergyPlus weather (EPW) file.

    Parameters
    ----------
    path
        ``.epw`` file: 8 header lines, then one comma-separated row per hour with the dry-bulb
        temperature (°C) in the seventh field; a gzip-compressed ``.epw.gz`` is read as is.

    Returns
    -------
    weather
        8,760 hours; a leap-year file loses 29 February. Missing values (99.9) are filled by
        linear interpolation and counted in the log.

    Examples
    --------
    A steady 5.5 °C year (10 degree days a day) with one missing hour:

    >>> import pathlib, tempfile
    >>> header = ["LOCATION,Test Town,-,GBR,-,000000,51.5,-0.1,0.0,10.0"] + ["-"] * 7
    >>> hours = pd.date_range("2021-01-01", periods=8760, freq="h")
    >>> rows = [f"{t.year},{t.month},{t.day},{t.hour + 1},60,-,5.5" for t in hours]
    >>> rows[100] = rows[100].replace(",5.5", ",99.9")
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = pathlib.Path(tmp) / "test.epw"
    ...     _ = path.write_text("\n".join(header + rows) + "\n")
    ...     w = read_epw(path)
    >>> w.location, w.latitude, w.first_weekday  # 1 January 2021 was a Friday
    ('Test Town', 51.5, 4)
    >>> float(w.temperature_c.max()), round(float(heating_degree_days(w).sum()))
    (5.5, 3650)
    """
    p = Path(path)
    if not p.is_file():
        msg = f"weather file {p} not found; give an .epw file or leave it out for a synthetic year"
        raise InputError(msg)
    opener = gzip.open if p.name.lower().endswith(".gz") else open
    with opener(p, "rt", encoding="latin-1") as f:
        header = [f.readline() for _ in range(_EPW_HEADER_LINES)]
    loc = header[0].strip().split(",")
    if not loc or loc[0].upper() != "LOCATION":
        msg = f"weather file {p}: first line is not an EPW LOCATION record; is it an EPW file?"
        raise InputError(msg)
    try:
        data = pd.read_csv(
            p, skiprows=_EPW_HEADER_LINES, header=None, usecols=[0, 1, 2, 3, 6], encoding="latin-1"
        )
    except (ValueError, pd.errors.ParserError) as exc:
        msg = f"weather file {p}: cannot read hourly rows ({exc})"
        raise InputError(msg) from exc
    data.columns = ["year", "month", "day", "hour", "t"]
    data = data[~((data["month"] == 2) & (data["day"] == 29))]
    if len(data) != HOURS_PER_YEAR:
        msg = f"weather file {p}: expected {HOURS_PER_YEAR} hourly rows, found {len(data)}"
        raise InputError(msg)
    t = pd.to_numeric(data["t"], errors="coerce").to_numpy(dtype=float, copy=True)
    bad = ~np.isfinite(t) | (t >= _EPW_MISSING_C)
    if bad.all():
        msg = f"weather file {p}: no valid dry-bulb temperatures"
        raise InputError(msg)
    if bad.any():
        idx = np.arange(HOURS_PER_YEAR)
        t[bad] = np.interp(idx[bad], idx[~bad], t[~bad])
        logger.info("weather file %s: filled %d missing hourly temperatures", p, int(bad.sum()))

    def _num(i: int) -> float:
        try:
            return float(loc[i])
        except (IndexError, ValueError):
            return float("nan")

    year = int(data["year"].iloc[0])
    first_weekday = int(pd.Timestamp(year=year, month=1, day=1).weekday()) if year > 0 else 0
    return Weather(
        temperature_c=t,
        source=str(p),
        latitude=_num(6),
        longitude=_num(7),
        location=loc[1] if len(loc) > 1 else "",
        first_weekday=first_weekday,
    )


def _monthly_reference() -> pd.DataFrame:
    return bundled_csv("weather_monthly_reference.csv")


def _synthetic_shape(seed: int) -> np.ndarray:
    """Hourly temperatures from the reference monthly means, before the regional offset."""
    ref = _monthly_reference()
    means = ref["mean_temperature_c"].to_numpy(dtype=float)
    ranges = ref["mean_daily_range_k"].to_numpy(dtype=float)
    month_of_day = np.repeat(np.arange(12), _DAYS_IN_MONTH)
    # Smooth the monthly means through the year (day value = linear interpolation between month
    # midpoints, wrapping around New Year), then correct each month so its mean is exact.
    mid = np.cumsum(_DAYS_IN_MONTH) - _DAYS_IN_MONTH / 2.0
    day = np.arange(365) + 0.5
    xp = np.concatenate([[mid[-1] - 365], mid, [mid[0] + 365]])
    fp = np.concatenate([[means[-1]], means, [means[0]]])
    daily = np.interp(day, xp, fp)
    correction = means - np.bincount(month_of_day, daily) / _DAYS_IN_MONTH
    daily = daily + correction[month_of_day]
    rng = np.random.default_rng(seed)
    eps = rng.normal(0.0, _DAILY_ANOMALY_SD_K * np.sqrt(1 - _DAILY_ANOMALY_LAG1**2), 365)
    anomaly = np.empty(365)
    anomaly[0] = rng.normal(0.0, _DAILY_ANOMALY_SD_K)
    for d in range(1, 365):  # 365 steps of an AR(1) series, independent of the problem size
        anomaly[d] = _DAILY_ANOMALY_LAG1 * anomaly[d - 1] + eps[d]
    anomaly -= (np.bincount(month_of_day, anomaly) / _DAYS_IN_MONTH)[month_of_day]
    hours = np.arange(24)
    diurnal = 0.5 * np.cos(2 * np.pi * (hours - _HOUR_OF_MAX) / 24.0)
    temp = (daily + anomaly)[:, None] + ranges[month_of_day][:, None] * diurnal[None, :]
    return np.asarray(temp.ravel(), dtype=float)


def synthetic_weather(region: str = "Thames Valley", *, seed: int = 2021) -> Weather:
    """Build a synthetic typical year of hourly temperatures for a UK region.

    Parameters
    ----------
    region
        CIBSE TM46 degree-day region (see :func:`regional_hdd`).
    seed
        Seed of the day-to-day weather variation, for reproducible series.

    Returns
    -------
    weather
        8,760 hours (1 January a Monday).

    Notes
    -----
    The annual cycle is the monthly mean temperatures of the London City Airport TMYx file
    (``heatmap/data/weather_monthly_reference.csv``), interpolated smoothly between months, plus
    an AR(1) day-to-day anomaly and a cosine daily cycle with the month's mean daily range (both
    measured on the same file). The whole year is then shifted by one constant so that its
    heating degree days (base 15.5 °C, daily means) equal the region's TM46 20-year value, so
    demand modelled on this weather agrees with the TM46 degree-day correction for the region.

    Examples
    --------
    >>> w = synthetic_weather("North Eastern")
    >>> len(w.temperature_c), w.source
    (8760, 'synthetic:North Eastern')
    >>> round(float(heating_degree_days(w).sum()))  # the region's TM46 value
    2237
    """
    target = regional_hdd(region)
    base = _synthetic_shape(seed)
    lo, hi = -15.0, 15.0
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        hdd = float(np.clip(15.5 - (base + mid).reshape(365, 24).mean(axis=1), 0, None).sum())
        lo, hi = (mid, hi) if hdd > target else (lo, mid)
    return Weather(
        temperature_c=base + 0.5 * (lo + hi),
        source=f"synthetic:{region}",
        location=region,
        first_weekday=0,
    )


def heating_degree_hours(weather: Weather, base_c: float = 15.5) -> np.ndarray:
    """Return hourly heating degree hours ``max(base − T, 0)`` (K·h per hour).

    Parameters
    ----------
    weather
        Hourly temperatures.
    base_c
        Base temperature (°C); 15.5 °C is the UK (CIBSE TM46) convention.

    Returns
    -------
    hdh
        8,760 values (K).

    Examples
    --------
    Degree hours also count the cool hours of days whose mean is above the base, so their sum
    over 24 exceeds the daily-mean degree days (1,709 in the Thames Valley):

    >>> hdh = heating_degree_hours(synthetic_weather("Thames Valley"))
    >>> len(hdh), round(float(hdh.sum()) / 24)
    (8760, 1772)
    """
    return np.clip(base_c - weather.temperature_c, 0.0, None)


def heating_degree_days(weather: Weather, base_c: float = 15.5) -> np.ndarray:
    """Return daily heating degree days from daily mean temperatures (K·day per day, 365 values).

    Parameters
    ----------
    weather
        Hourly temperatures.
    base_c
        Base temperature (°C).

    Returns
    -------
    hdd
        365 values.

    Examples
    --------
    >>> hdd = heating_degree_days(synthetic_weather("Thames Valley"))
    >>> len(hdd), round(float(hdd.sum()))  # K·day/a, the TM46 20-year value
    (365, 1709)
    """
    daily = weather.temperature_c.reshape(365, 24).mean(axis=1)
    return np.clip(base_c - daily, 0.0, None)
