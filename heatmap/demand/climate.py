"""Degree days of the site and the benchmarks corrected to them.

The CIBSE TM46 benchmarks are for 2,021 degree days (base 15.5 °C); the domestic benchmarks (study
Table 38) for the study's own region, TM46 North Eastern (2,237). Both are scaled to the site's
degree days: those of its weather file when one is given, else ``[demand] degree_days_k_day``,
else the TM46 region's. Hot water and the other weather-independent parts do not scale.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from heatmap.demand import benchmarks as tables
from heatmap.demand.params import DemandParams
from heatmap.ingest.weather import Weather, regional_hdd
from heatmap.schema import BuildingUse

__all__ = [
    "benchmarks_at_site",
    "degree_day_factor",
    "domestic_degree_day_factor",
    "site_degree_days",
]


def degree_day_factor(fraction: float | np.ndarray, hdd_site: float) -> float | np.ndarray:
    """Return the TM46 degree-day correction ``(1 − f) + f × HDD_site / 2021``.

    Parameters
    ----------
    fraction
        The category's fossil-thermal degree-day fraction f.
    hdd_site
        Site heating degree days, base 15.5 °C (K·day/a).

    Returns
    -------
    factor
        Multiplier on the TM46 benchmark (1 at the reference 2,021 degree days).

    Examples
    --------
    A General office (f = 0.55) in the Thames Valley (1,709 degree days):

    >>> round(degree_day_factor(0.55, 1709.0), 3)
    0.915
    >>> degree_day_factor(0.55, 2021.0)
    1.0
    """
    f = np.asarray(fraction, dtype=float)
    out = (1.0 - f) + f * hdd_site / tables.REFERENCE_HDD_K_DAY
    return float(out) if out.ndim == 0 else out


def site_degree_days(
    params: DemandParams, degree_days: float | None, weather: Weather | None
) -> tuple[float, str]:
    """Return the heating degree days of the site and where they came from.

    Parameters
    ----------
    params
        Demand parameters (``degree_days_k_day``, ``region``).
    degree_days
        Degree days given by the caller; win over everything.
    weather
        Weather of the site; its degree days win over the parameters.

    Returns
    -------
    hdd, source
        K·day/a and a short description (``"TM46 region Thames Valley"``, ...).
    """
    if degree_days is not None:
        return float(degree_days), "given"
    if weather is not None:
        return weather.annual_hdd_k_day, f"weather file {Path(weather.source).name}"
    if params.degree_days_k_day is not None:
        return float(params.degree_days_k_day), "[demand] degree_days_k_day"
    return regional_hdd(params.region), f"TM46 region {params.region}"


def domestic_degree_day_factor(hdd_site: float, params: DemandParams) -> float:
    """Return the correction of the Table 38 domestic benchmarks to the site's degree days.

    ``(1 − f) + f × HDD_site / HDD_ref`` with f = ``domestic_degree_day_fraction`` and HDD_ref
    the degree days of ``domestic_reference_region`` (Table 38 is the Killingworth study's, in
    TM46 North Eastern, 2,237 K·day).

    Parameters
    ----------
    hdd_site
        Site heating degree days (K·day/a).
    params
        Demand parameters.

    Returns
    -------
    factor
        1 at the reference degree days.

    Examples
    --------
    >>> domestic_degree_day_factor(2237.0, DemandParams())
    1.0
    >>> round(domestic_degree_day_factor(1709.0, DemandParams()), 4)  # London: 0.2 + 0.8 x 0.764
    0.8112
    """
    f = params.domestic_degree_day_fraction
    return float((1.0 - f) + f * hdd_site / regional_hdd(params.domestic_reference_region))


def benchmarks_at_site(
    use: np.ndarray,
    ptype: np.ndarray,
    band: np.ndarray,
    cat: np.ndarray,
    hdd: float,
    params: DemandParams,
) -> dict[str, np.ndarray]:
    """Return the benchmark (kWh/m2/a) by use at the site's degree days.

    Parameters
    ----------
    use, ptype, band, cat
        Use, domestic property type, age band and TM46 category per building.
    hdd
        Site heating degree days.
    params
        Demand parameters (domestic degree-day fraction and reference region, flat benchmark).

    Returns
    -------
    benchmarks
        ``benchmark`` per building (NaN for excluded) and ``na_cell``: the domestic buildings
        whose Table 38 cell is N/A and took the 1900-1929 value.
    """
    # Domestic benchmarks (Table 38), with the 1900-1929 value where Table 38 prints N/A.
    t38 = tables.domestic_benchmarks()
    t38_map = dict(
        zip(
            t38["age_band"] + "|" + t38["property_type"],
            t38["benchmark_kwh_per_m2_a"],
            strict=True,
        )
    )
    dom_bm = pd.Series(band + "|" + ptype).map(t38_map).astype(float).to_numpy(copy=True)
    na_cell = np.isnan(dom_bm) & (ptype != "")
    if na_cell.any():
        dom_bm[na_cell] = pd.Series("A|" + ptype[na_cell]).map(t38_map).to_numpy(dtype=float)
    if params.flat_benchmark_kwh_per_m2_a is not None:
        flat = ptype == "flat"
        dom_bm[flat] = params.flat_benchmark_kwh_per_m2_a
        na_cell = na_cell & ~flat
    dom_bm = dom_bm * domestic_degree_day_factor(hdd, params)
    tm46 = tables.tm46_benchmarks()
    cat_s = pd.Series(cat)
    fossil = cat_s.map(tm46["fossil_thermal_kwh_per_m2_a"]).astype(float).to_numpy()
    frac = cat_s.map(tm46["degree_day_fraction"]).astype(float).fillna(0.0).to_numpy()
    factor = np.asarray(degree_day_factor(frac, hdd))
    is_dom = use == BuildingUse.DOMESTIC.value
    is_nd = use == BuildingUse.NON_DOMESTIC.value
    benchmark = np.where(is_dom, dom_bm, np.where(is_nd, fossil * factor, np.nan))
    return {"benchmark": benchmark, "na_cell": na_cell}
