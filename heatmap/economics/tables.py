"""Bundled economics tables (prices, grid carbon, carbon values) and year-series helpers."""

from __future__ import annotations

import numpy as np
import pandas as pd

from heatmap._data import bundled_csv
from heatmap.errors import InputError

__all__ = [
    "carbon_values_gbp_per_t",
    "grid_carbon_g_per_kwh",
    "load_table",
    "price_index",
    "wang2018",
]


def load_table(name: str) -> pd.DataFrame:
    """Read a bundled ``heatmap/data/econ_<name>.csv`` table (cached; callers must not mutate)."""
    return bundled_csv(f"econ_{name}.csv")


def _series(
    table: pd.DataFrame, value_col: str, years: np.ndarray, *, what: str, hold_after: bool
) -> np.ndarray:
    """Look ``years`` up in ``table``; error on gaps, hold the last value if allowed."""
    known = table.dropna(subset=[value_col]).set_index("year")[value_col].astype(float)
    first, last = int(known.index.min()), int(known.index.max())
    out = np.empty(len(years), dtype=float)
    for i, year in enumerate(years.astype(int)):
        if year in known.index:
            out[i] = known.loc[year]
        elif year > last and hold_after:
            out[i] = known.loc[last]
        else:
            where = (
                "before the first"
                if year < first
                else ("after the last" if year > last else "inside the")
            )
            msg = (
                f"{what}: no value for {year} ({where} tabulated years {first}-{last}); "
                "add the year to the "
                "table, shorten the horizon, or allow holding the last value"
            )
            raise InputError(msg)
    return out


def price_index(
    fuel: str,
    sector: str,
    years: np.ndarray,
    *,
    scenario: str,
    base_year: int,
    fixed_rate_pct: float,
    hold_after: bool,
    table: pd.DataFrame | None = None,
) -> np.ndarray:
    """Price multiplier per year relative to ``base_year`` (1.0 in the base year).

    ``scenario`` "fixed" compounds ``fixed_rate_pct`` per year; otherwise the projection table
    (columns scenario, fuel, sector, year, price_p_per_kwh) is divided by its base-year value.
    """
    years = np.asarray(years, dtype=int)
    if scenario == "fixed":
        return np.power(1.0 + fixed_rate_pct / 100.0, years - base_year)
    tab = load_table("price_projections_p_per_kwh") if table is None else table
    sel = tab[(tab["scenario"] == scenario) & (tab["fuel"] == fuel) & (tab["sector"] == sector)]
    what = f"price projections ({scenario}, {fuel}, {sector})"
    if sel.empty:
        have = sorted(set(tab["scenario"]))
        msg = f"{what}: no rows in the price table (scenarios available: {have})"
        raise InputError(msg)
    values = _series(sel, "price_p_per_kwh", years, what=what, hold_after=hold_after)
    base = _series(sel, "price_p_per_kwh", np.array([base_year]), what=what, hold_after=hold_after)[
        0
    ]
    return values / base


def grid_carbon_g_per_kwh(years: np.ndarray, *, series: str, hold_after: bool = True) -> np.ndarray:
    """Grid electricity carbon factor (gCO2e/kWh) per year from study Table 48."""
    tab = load_table("grid_carbon_g_per_kwh")
    col = f"{series}_g_per_kwh"
    if col not in tab.columns:
        msg = (
            f"grid carbon series {series!r} unknown; "
            "use lcp_marginal, iag_marginal_commercial or defra_average"
        )
        raise InputError(msg)
    return _series(
        tab, col, np.asarray(years), what=f"grid carbon ({series})", hold_after=hold_after
    )


def carbon_values_gbp_per_t(
    years: np.ndarray, *, scenario: str, growth_after_pct: float
) -> np.ndarray:
    """UK appraisal carbon values (GBP/tCO2e, 2020 prices) per year.

    Geometric interpolation between the tabulated anchor years; after the last anchor the value
    grows at ``growth_after_pct`` per year; before the first anchor it is held.
    """
    tab = load_table("carbon_values_gbp_per_t")
    col = f"{scenario}_gbp_per_t"
    yrs = tab["year"].to_numpy(dtype=float)
    logv = np.log(tab[col].to_numpy(dtype=float))
    y = np.asarray(years, dtype=float)
    out = np.exp(np.interp(y, yrs, logv))
    after = y > yrs[-1]
    out[after] = np.exp(logv[-1]) * np.power(1.0 + growth_after_pct / 100.0, y[after] - yrs[-1])
    return out


def wang2018(item: str, parameter: str) -> float:
    """One number from Wang (2018) Appendix A (bundled ``econ_wang2018_assumptions.csv``)."""
    tab = load_table("wang2018_assumptions")
    row = tab[(tab["item"] == item) & (tab["parameter"] == parameter)]
    return float(row["value"].iloc[0])
