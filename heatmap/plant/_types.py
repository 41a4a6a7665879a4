"""Result types and constants shared by the plant modules."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from heatmap.errors import InputError

__all__ = [
    "HOURS_PER_YEAR",
    "WATER_KWH_PER_M3_K",
    "DispatchResult",
    "SweepResult",
    "as_hourly",
]

HOURS_PER_YEAR = 8760
WATER_KWH_PER_M3_K = 1.147  # rho*c of water at about 50 °C: 988 kg/m3 x 4.18 kJ/kgK / 3600


@dataclass(frozen=True)
class DispatchResult:
    """One year of hourly dispatch.

    ``hourly`` has 8,760 rows and the columns ``demand_kw``, ``losses_kw``, ``load_kw`` (demand +
    losses), ``hp_kw``, ``store_charge_kw``, ``store_discharge_kw``, ``store_level_kwh`` (end of
    hour), ``store_loss_kw``, ``electric_boiler_kw``, ``boiler_kw``, ``unmet_kw``,
    ``electricity_kw``, ``gas_kw``, ``cop``, ``flow_temp_c``, ``hp_available``. In every hour
    ``hp + discharge + electric_boiler + boiler + unmet = load + charge``.
    ``energy_balance_mwh`` is the annual sum of each of these, in MWh.
    ``low_carbon_share_pct`` is the share of the load not met by gas boilers or left unmet;
    ``summer_hp_share_pct`` the share of the June-August load met by the heat pumps (directly
    or through the store). ``hp_modules`` equal modules of ``hp_module_kw`` make up the heat
    pump; maintenance takes one module out (the only one: the whole heat pump) in the weeks
    starting on ``downtime_start_days``. ``electricity_price_factor`` is the mean price paid for
    electricity over ``electricity_price_gbp_per_mwh`` (below 1 when the store moves the heat
    pumps to cheap hours); the economics scales its electricity price by it.
    """

    hourly: pd.DataFrame
    energy_balance_mwh: dict[str, float]
    low_carbon_share_pct: float
    spf: float
    hp_running_hours: int
    hp_starts: int
    unmet_mwh: float
    hp_capacity_kw: float
    store_volume_m3: float
    store_capacity_kwh: float
    boiler_capacity_kw: float
    electric_boiler_kw: float
    electricity_mwh: float
    gas_mwh: float
    running_cost_gbp: float
    peak_load_kw: float
    hp_modules: int = 1
    hp_module_kw: float = 0.0
    summer_hp_share_pct: float = float("nan")
    downtime_start_days: tuple[int, ...] = ()
    source_kind: str = ""
    electricity_price_factor: float = 1.0


@dataclass(frozen=True)
class SweepResult:
    """Heat-pump capacity x store volume sizing sweep.

    ``table`` has one row per option with ``hp_capacity_kw``, ``store_volume_m3``,
    ``boiler_capacity_kw``, ``low_carbon_share_pct``, ``spf``, ``electricity_mwh``, ``gas_mwh``,
    ``unmet_mwh``, ``running_cost_gbp_per_a``, ``capex_gbp``, ``annualised_cost_gbp_per_a``,
    ``meets_target`` and ``chosen``. ``chosen`` is that row (the least annualised cost among
    those meeting the target), or None when no option meets it (``note`` says why).
    """

    table: pd.DataFrame
    chosen: pd.Series | None
    target_low_carbon_share_pct: float
    note: str


def as_hourly(value: np.ndarray | float, name: str, *, nonneg: bool = True) -> np.ndarray:
    """Return ``value`` as 8,760 hourly floats; raise InputError naming ``name``."""
    arr = np.asarray(value, dtype=float)
    if arr.ndim == 0:
        arr = np.full(HOURS_PER_YEAR, float(arr))
    if arr.shape != (HOURS_PER_YEAR,):
        msg = f"{name}: expected {HOURS_PER_YEAR} hourly values (one year), got shape {arr.shape}"
        raise InputError(msg)
    bad = ~np.isfinite(arr)
    if nonneg:
        bad |= arr < 0
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        need = "finite and >= 0" if nonneg else "finite"
        msg = (
            f"{name}: hour {first} is {arr[first]!r} ({int(bad.sum())} bad hours in all); "
            f"hourly values must be {need}"
        )
        raise InputError(msg)
    return arr
