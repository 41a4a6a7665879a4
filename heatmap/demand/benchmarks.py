"""Benchmark tables of the demand stage and the column helpers that read building attributes.

Every table lives in ``heatmap/data/`` as CSV with a ``source`` column; this module loads them
once and applies them to whole columns at a time (no per-building Python loops).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from heatmap._data import bundled_csv
from heatmap.errors import InputError

REFERENCE_HDD_K_DAY = 2021.0
"""Heating degree days (base 15.5 °C) on which the CIBSE TM46 benchmarks are based."""

PROPERTY_TYPES = ("detached", "semi_detached", "end_terrace", "mid_terrace", "flat")
AGE_BANDS = ("G", "A", "B", "C", "D", "E", "F")


def _csv(name: str) -> pd.DataFrame:
    return bundled_csv(name, blank_only_na=True)


def tm46_benchmarks() -> pd.DataFrame:
    """Return the CIBSE TM46 benchmark table indexed by category name."""
    return _csv("tm46_benchmarks.csv").set_index("tm46_category")


def domestic_benchmarks() -> pd.DataFrame:
    """Return study Table 38 (kWh/m2/a by age band and property type), one row per cell."""
    return _csv("demand_domestic_benchmarks.csv")


def tag_table() -> pd.DataFrame:
    """Return the OSM tag to use / TM46 category mapping table."""
    return _csv("demand_osm_tag_category.csv")


def default_floors_table() -> pd.DataFrame:
    """Return the default floors by building tag (``*`` = any other)."""
    return _csv("demand_default_floors.csv")


def full_load_hours_table() -> pd.DataFrame:
    """Return the full-load hours by TM46 category or use."""
    return _csv("demand_full_load_hours.csv")


def daily_shapes() -> pd.DataFrame:
    """Return the 24-hour shapes by use (each with mean 1)."""
    return _csv("demand_daily_shapes.csv")


def domestic_benchmark_kwh_per_m2(age_band: str, property_type: str) -> float:
    """Return the study Table 38 benchmark for one age band and property type (NaN if N/A).

    Parameters
    ----------
    age_band
        Band code ``"A"``..``"G"`` (G = pre-1900) or its label (``"1930-1949"``).
    property_type
        One of ``detached``, ``semi_detached``, ``end_terrace``, ``mid_terrace``, ``flat``.

    Returns
    -------
    benchmark
        kWh per m2 of floor area per year.

    Examples
    --------
    >>> domestic_benchmark_kwh_per_m2("B", "detached")
    132.0
    >>> domestic_benchmark_kwh_per_m2("1930-1949", "flat")
    44.0
    """
    t = domestic_benchmarks()
    row = t[
        ((t["age_band"] == age_band) | (t["age_band_label"] == age_band))
        & (t["property_type"] == property_type)
    ]
    if row.empty:
        msg = f"no Table 38 benchmark for age band {age_band!r} and property type {property_type!r}"
        raise InputError(msg)
    return float(row["benchmark_kwh_per_m2_a"].iloc[0])


def frame_of(columns: Mapping[str, object], index: pd.Index) -> pd.DataFrame:
    """Build a frame from arrays, keeping object (text) arrays as object columns.

    pandas would otherwise convert every text array to its string dtype, which costs more than
    the whole classification on large areas.
    """
    data: dict[str, pd.Series] = {}
    for name, values in columns.items():
        arr = np.asarray(values)
        data[name] = pd.Series(arr, index=index, dtype=object if arr.dtype == object else None)
    return pd.DataFrame(data, index=index)


def column(frame: pd.DataFrame, name: str, *, numeric: bool = False) -> pd.Series:
    """Return ``frame[name]`` or an all-missing column (string or float) when it is absent."""
    if name in frame.columns:
        s = frame[name]
        return pd.to_numeric(s, errors="coerce").astype(float) if numeric else s
    if numeric:
        return pd.Series(np.nan, index=frame.index, dtype=float)
    return pd.Series(None, index=frame.index, dtype=object)


def age_band_from_year(year: pd.Series) -> pd.Series:
    """Map construction years to Table 38 age band codes ("" where the year is missing)."""
    edges = np.array([1900, 1930, 1950, 1967, 1983, 1996])
    codes = np.array(AGE_BANDS)
    y = year.to_numpy(dtype=float)
    band = codes[np.searchsorted(edges, np.nan_to_num(y, nan=0.0), side="right")]
    return pd.Series(np.where(np.isfinite(y), band, ""), index=year.index, dtype=object)


def year_from_start_date(start_date: pd.Series) -> pd.Series:
    """Return the first four-digit year in OSM ``start_date`` strings (NaN where none)."""
    s = start_date.astype("string")
    return pd.to_numeric(s.str.extract(r"(\d{4})", expand=False), errors="coerce").astype(float)
