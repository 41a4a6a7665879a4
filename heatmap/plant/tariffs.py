"""Hourly electricity prices for dispatch: flat, a 24-hour profile (day/night) or an hourly CSV."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from heatmap.errors import InputError
from heatmap.plant._types import HOURS_PER_YEAR
from heatmap.plant.params import DispatchParams

__all__ = ["electricity_prices_gbp_per_mwh", "read_hourly_prices"]


def read_hourly_prices(path: str | Path) -> np.ndarray:
    """Read 8,760 hourly electricity prices (column ``price_gbp_per_mwh``), GBP/MWh.

    Raises
    ------
    InputError
        Missing file or column, wrong length, negative or non-numeric prices.
    """
    try:
        table = pd.read_csv(path)
    except (OSError, ValueError) as exc:
        msg = f"electricity_prices_csv: cannot read {path} ({exc}); give a CSV file"
        raise InputError(msg) from exc
    if "price_gbp_per_mwh" not in table.columns:
        msg = f"electricity_prices_csv: {path} has no column price_gbp_per_mwh"
        raise InputError(msg)
    prices = pd.to_numeric(table["price_gbp_per_mwh"], errors="coerce").to_numpy(float)
    if prices.shape != (HOURS_PER_YEAR,) or not np.all(np.isfinite(prices)) or prices.min() < 0:
        msg = (
            f"electricity_prices_csv: {path} must hold {HOURS_PER_YEAR} finite prices >= 0, got "
            f"{prices.size} rows"
        )
        raise InputError(msg)
    return prices


def electricity_prices_gbp_per_mwh(params: DispatchParams) -> tuple[np.ndarray, np.ndarray]:
    """Return the hourly electricity price and whether each hour is dear.

    An hour is dear when its price is above the mean of its day's prices: dispatch then draws
    the store first and does not charge it, moving heat-pump running to the cheap hours.

    Examples
    --------
    A day/night tariff: 7 night hours at 120, 17 day hours at 250 GBP/MWh.

    >>> p = DispatchParams(tou_prices_gbp_per_mwh=(120.0,) * 7 + (250.0,) * 17)
    >>> price, dear = electricity_prices_gbp_per_mwh(p)
    >>> float(price[3]), bool(dear[3]), float(price[12]), bool(dear[12])
    (120.0, False, 250.0, True)
    """
    if params.electricity_prices_csv:
        price = read_hourly_prices(params.electricity_prices_csv)
    elif params.tou_prices_gbp_per_mwh:
        price = np.tile(np.asarray(params.tou_prices_gbp_per_mwh, dtype=float), 365)
    else:
        price = np.full(HOURS_PER_YEAR, float(params.electricity_price_gbp_per_mwh))
    daily_mean = np.repeat(price.reshape(365, 24).mean(axis=1), 24)
    return price, price > daily_mean + 1e-9
