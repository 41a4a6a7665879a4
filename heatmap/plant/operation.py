"""Hourly energy-centre dispatch (heat pump → thermal store → boilers).

Over 8,760 hours, the network's demand plus losses is met in merit order by the heat pump(s),
the thermal store, optional electric boilers and the gas peak/reserve boilers. The heat pump has a
capacity, a minimum modulation, maintenance downtime (study: the first week of January and of
July) and a COP from source and flow temperatures (Carnot fraction or a manufacturer curve). The
store holds ``volume x ΔT x ρc`` of heat, loses a share per day and charges from spare heat-pump
capacity. With time-of-use prices, the store is drawn first in dear hours and the heat pump does
not charge it then. Gas boilers are sized n+1 so that the peak is met with any one unit failed.

The store makes the problem sequential, so the core is a tight loop over Python floats (about
10 ms a year); COP, electricity and gas are vectorised around it.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import numpy as np
import pandas as pd

from heatmap._io import atomic_path
from heatmap.errors import InfeasibleDispatchError
from heatmap.plant._types import HOURS_PER_YEAR, WATER_KWH_PER_M3_K, DispatchResult, as_hourly
from heatmap.plant.merit_order import PlantLimits, merit_order_loop
from heatmap.plant.params import DispatchParams
from heatmap.plant.ratings import (
    boiler_capacity_n_plus_1_kw,
    cop,
    downtime_start_days,
    hp_available,
    hp_modules,
    store_delta_t_k,
    store_volume_m3,
)
from heatmap.plant.sources import defrost_factor, source_limited_output_kw, source_temperature_c
from heatmap.plant.tariffs import electricity_prices_gbp_per_mwh

__all__ = ["dispatch", "dispatch_summary", "write_dispatch_csv"]

logger = logging.getLogger(__name__)

_JUNE_1_HOUR = 151 * 24
_SEPTEMBER_1_HOUR = 243 * 24


def dispatch(
    demand_kw: np.ndarray,
    *,
    params: DispatchParams | None = None,
    losses_kw: np.ndarray | float = 0.0,
    source_temp_c: np.ndarray | float | None = None,
    flow_temp_c: np.ndarray | float | None = None,
    air_temp_c: np.ndarray | None = None,
) -> DispatchResult:
    """Dispatch the energy centre over one year of hourly load.

    Parameters
    ----------
    demand_kw
        8,760 hourly customer heat demands, kW (finite, >= 0).
    params
        Plant and dispatch parameters (defaults: :class:`DispatchParams`).
    losses_kw
        Network heat losses, kW: a constant or 8,760 hourly values.
    source_temp_c
        Hourly source temperature, °C; default from ``params.source_kind``
        (:func:`heatmap.plant.sources.source_temperature_c`).
    flow_temp_c
        Hourly flow temperature, °C; default from ``params.flow_temp_c`` (and
        ``flow_temp_min_c`` for load compensation).
    air_temp_c
        Hourly dry-bulb temperature, °C (air, river and sea sources).

    Returns
    -------
    result
        Hourly table, annual energy balance and key figures.

    Raises
    ------
    InputError
        Wrong length, negative or NaN hours, flow not above source.
    InfeasibleDispatchError
        No plant at all, or load left unmet while ``params.allow_unmet`` is false (the message
        gives the unmet MWh and the first hour).

    Examples
    --------
    A flat 500 kW load met by a 500 kW heat pump without a store: the boilers run only in the
    heat pump's two maintenance weeks (336 h x 500 kW = 168 MWh), so the low-carbon share is
    8,424 / 8,760 h and the SPF is the COP at 12/70 °C:

    >>> res = dispatch(np.full(8760, 500.0),
    ...                params=DispatchParams(hp_capacity_kw=500.0, store_volume_m3=0.0))
    >>> round(res.energy_balance_mwh["hp_mwh"]), round(res.energy_balance_mwh["boiler_mwh"])
    (4212, 168)
    >>> round(res.low_carbon_share_pct, 2), round(res.spf, 4), res.hp_running_hours
    (96.16, 2.9747, 8424)
    >>> res.boiler_capacity_kw  # n+1: one 2.5 MW unit covers the peak with the heat pump down
    2500.0
    """
    p = params or DispatchParams()
    demand = as_hourly(demand_kw, "demand_kw")
    losses = as_hourly(losses_kw, "losses_kw")
    load = demand + losses
    peak = float(load.max())
    hp_cap = float(
        p.hp_capacity_kw if p.hp_capacity_kw is not None else p.hp_capacity_ratio_of_peak * peak
    )
    gb_cap = (
        p.boiler_capacity_kw
        if p.boiler_capacity_kw is not None
        else boiler_capacity_n_plus_1_kw(peak, hp_cap, p.boiler_unit_kw)
    )
    store_m3 = store_volume_m3(p, peak)
    store_max = store_m3 * store_delta_t_k(p) * WATER_KWH_PER_M3_K
    if hp_cap + gb_cap + p.electric_boiler_kw <= 0.0 and peak > 0.0:
        msg = (
            "dispatch: no plant — heat pump, gas boiler and electric boiler capacities are all "
            "zero; set hp_capacity_kw or leave boiler_capacity_kw unset for n+1 sizing"
        )
        raise InfeasibleDispatchError(msg)
    air = None if air_temp_c is None else as_hourly(air_temp_c, "air_temp_c", nonneg=False)
    src = (
        source_temperature_c(p, air)
        if source_temp_c is None
        else as_hourly(source_temp_c, "source_temp_c", nonneg=False)
    )
    flow = _flow_temperature(p, flow_temp_c, load, peak)
    cops = np.maximum(cop(src, flow, params=p) * defrost_factor(p, src), 1.0)
    n_modules = hp_modules(p, hp_cap, load)
    hp_min = hp_cap / n_modules * p.hp_min_load_pct / 100.0 if n_modules else 0.0
    avail = hp_available(p, load)
    out_cap = hp_cap * (n_modules - 1) / n_modules if n_modules > 1 else 0.0
    caps = np.minimum(np.where(avail, hp_cap, out_cap), source_limited_output_kw(p, cops))
    caps = np.where(caps >= hp_min, caps, 0.0)
    price_h, dear = electricity_prices_gbp_per_mwh(p)
    inf = float("inf")
    limits = PlantLimits(
        hp_cap=hp_cap,
        hp_min=float(hp_min),
        store_max=float(store_max),
        level0=float(store_max * p.store_initial_pct / 100.0),
        keep=float((1.0 - p.store_loss_pct_per_day / 100.0) ** (1.0 / 24.0)),
        charge_max=inf if p.store_charge_max_kw is None else float(p.store_charge_max_kw),
        discharge_max=inf if p.store_discharge_max_kw is None else float(p.store_discharge_max_kw),
        eb_cap=float(p.electric_boiler_kw),
        gb_cap=float(gb_cap),
    )
    cols = merit_order_loop(load.tolist(), caps.tolist(), dear.tolist(), limits)
    hp, ch, dis, lvl, sl, eb, gb, un = (np.asarray(c) for c in cols)
    elec = hp / cops + eb / p.electric_boiler_efficiency
    pumping = p.network_pump_kw * (load / peak) ** 3 if peak > 0 else np.zeros(load.size)
    gas = gb / p.boiler_efficiency
    hourly = pd.DataFrame(
        {
            "demand_kw": demand,
            "losses_kw": losses,
            "load_kw": load,
            "hp_kw": hp,
            "store_charge_kw": ch,
            "store_discharge_kw": dis,
            "store_level_kwh": lvl,
            "store_loss_kw": sl,
            "electric_boiler_kw": eb,
            "boiler_kw": gb,
            "unmet_kw": un,
            "electricity_kw": elec,
            "pumping_electricity_kw": pumping,
            "gas_kw": gas,
            "cop": cops,
            "source_temp_c": src,
            "flow_temp_c": flow,
            "hp_available": avail,
            "hp_capacity_kw": caps,
            "electricity_price_gbp_per_mwh": price_h,
        },
        index=pd.RangeIndex(HOURS_PER_YEAR, name="hour"),
    )
    _check_unmet(un, load, p.allow_unmet)
    balance = _energy_balance(hourly, store_max * p.store_initial_pct / 100.0)
    running = hp > 0.0
    hp_elec = hp / cops
    load_total = float(load.sum())
    low_carbon = (
        100.0 * (load_total - float(gb.sum()) - float(un.sum())) / load_total
        if load_total > 0
        else 100.0
    )
    summer = slice(_JUNE_1_HOUR, _SEPTEMBER_1_HOUR)
    summer_load = float(load[summer].sum())
    summer_other = float(gb[summer].sum() + eb[summer].sum() + un[summer].sum())
    return DispatchResult(
        hourly=hourly,
        energy_balance_mwh=balance,
        low_carbon_share_pct=low_carbon,
        spf=float(hp.sum() / hp_elec.sum()) if hp_elec.sum() > 0 else float("nan"),
        hp_running_hours=int(running.sum()),
        hp_starts=int(running[0]) + int(np.count_nonzero(running[1:] & ~running[:-1])),
        unmet_mwh=balance["unmet_mwh"],
        hp_capacity_kw=hp_cap,
        store_volume_m3=store_m3,
        store_capacity_kwh=float(store_max),
        boiler_capacity_kw=float(gb_cap),
        electric_boiler_kw=p.electric_boiler_kw,
        electricity_mwh=balance["electricity_mwh"],
        gas_mwh=balance["gas_mwh"],
        running_cost_gbp=float(
            ((elec + pumping) * price_h).sum() + gas.sum() * p.gas_price_gbp_per_mwh
        )
        / 1000.0,
        peak_load_kw=peak,
        hp_modules=n_modules,
        hp_module_kw=hp_cap / n_modules if n_modules else 0.0,
        summer_hp_share_pct=(
            100.0 * (summer_load - summer_other) / summer_load if summer_load > 0 else 100.0
        ),
        downtime_start_days=downtime_start_days(p, load),
        source_kind=p.source_kind,
        electricity_price_factor=_price_factor(elec + pumping, price_h, p),
    )


def _price_factor(elec_kw: np.ndarray, price: np.ndarray, p: DispatchParams) -> float:
    """Mean price the plant pays for electricity over the flat price (1 with a flat tariff)."""
    used = float(elec_kw.sum())
    if used <= 0 or p.electricity_price_gbp_per_mwh <= 0:
        return 1.0
    return float((elec_kw * price).sum() / used / p.electricity_price_gbp_per_mwh)


def _flow_temperature(
    p: DispatchParams, flow_temp_c: np.ndarray | float | None, load: np.ndarray, peak: float
) -> np.ndarray:
    """Hourly flow temperature: given, load-compensated or constant."""
    if flow_temp_c is not None:
        return as_hourly(flow_temp_c, "flow_temp_c", nonneg=False)
    if p.flow_temp_min_c is not None and peak > 0:
        return np.asarray(p.flow_temp_min_c + (p.flow_temp_c - p.flow_temp_min_c) * load / peak)
    return np.full(HOURS_PER_YEAR, p.flow_temp_c)


def _check_unmet(un: np.ndarray, load: np.ndarray, allow_unmet: bool) -> None:
    """Raise (or warn, with ``allow_unmet``) when load is left unmet."""
    unmet_mwh = float(un.sum()) / 1000.0
    if unmet_mwh <= 1e-9 * max(float(load.sum()), 1.0) / 1000.0:
        return
    first = int(np.flatnonzero(un > 0)[0])
    msg = (
        f"dispatch: {unmet_mwh:.3f} MWh of load unmet in {int((un > 0).sum())} hours "
        f"(first at hour {first}: {un[first]:.1f} kW short of {load[first]:.1f} kW); add "
        "boiler capacity (leave boiler_capacity_kw unset for n+1), more heat pump or store"
    )
    if not allow_unmet:
        raise InfeasibleDispatchError(msg)
    logger.warning(msg)


def _energy_balance(hourly: pd.DataFrame, level0_kwh: float) -> dict[str, float]:
    """Annual sums of the hourly columns, MWh."""
    h = hourly
    mwh = {
        name: float(h[col].sum()) / 1000.0
        for name, col in (
            ("demand_mwh", "demand_kw"),
            ("losses_mwh", "losses_kw"),
            ("load_mwh", "load_kw"),
            ("hp_mwh", "hp_kw"),
            ("store_charge_mwh", "store_charge_kw"),
            ("store_discharge_mwh", "store_discharge_kw"),
            ("store_standing_loss_mwh", "store_loss_kw"),
        )
    }
    mwh["store_level_change_mwh"] = (float(h["store_level_kwh"].iloc[-1]) - level0_kwh) / 1000.0
    for name, col in (
        ("electric_boiler_mwh", "electric_boiler_kw"),
        ("boiler_mwh", "boiler_kw"),
        ("unmet_mwh", "unmet_kw"),
        ("electricity_mwh", "electricity_kw"),
        ("pumping_electricity_mwh", "pumping_electricity_kw"),
        ("gas_mwh", "gas_kw"),
    ):
        mwh[name] = float(h[col].sum()) / 1000.0
    return mwh


def dispatch_summary(result: DispatchResult) -> dict[str, float]:
    """Return the headline figures for ``summary.json`` (units in the keys).

    Parameters
    ----------
    result
        A dispatch result.

    Returns
    -------
    summary
        ``hp_capacity_kw``, ``store_volume_m3``, ``boiler_capacity_kw``, ``peak_load_kw``,
        ``low_carbon_share_pct``, ``spf``, ``hp_running_hours``, ``hp_starts``, ``unmet_mwh``,
        ``electricity_mwh``, ``gas_mwh``, ``running_cost_gbp_per_a``, ``hp_modules``,
        ``hp_module_kw``, ``summer_hp_share_pct`` and each energy-balance item as
        ``<item>_mwh``.

    Examples
    --------
    >>> res = dispatch(np.full(8760, 500.0),
    ...                params=DispatchParams(hp_capacity_kw=500.0, store_volume_m3=0.0))
    >>> s = dispatch_summary(res)
    >>> s["peak_load_kw"], s["load_mwh"], s["hp_running_hours"]
    (500.0, 4380.0, 8424.0)
    """
    out: dict[str, float] = {
        "hp_capacity_kw": result.hp_capacity_kw,
        "store_volume_m3": result.store_volume_m3,
        "boiler_capacity_kw": result.boiler_capacity_kw,
        "peak_load_kw": result.peak_load_kw,
        "low_carbon_share_pct": result.low_carbon_share_pct,
        "spf": result.spf,
        "hp_running_hours": float(result.hp_running_hours),
        "hp_starts": float(result.hp_starts),
        "running_cost_gbp_per_a": result.running_cost_gbp,
        "hp_modules": float(result.hp_modules),
        "hp_module_kw": result.hp_module_kw,
        "summer_hp_share_pct": result.summer_hp_share_pct,
    }
    out.update(result.energy_balance_mwh)
    return out


def write_dispatch_csv(
    result: DispatchResult, path: str | os.PathLike[str], *, overwrite: bool = False
) -> Path:
    """Write the hourly table as ``dispatch.csv`` (atomically).

    Parameters
    ----------
    result
        A dispatch result.
    path
        CSV file to write.
    overwrite
        Replace an existing file.

    Returns
    -------
    path
        The file written.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> res = dispatch(np.full(8760, 500.0),
    ...                params=DispatchParams(hp_capacity_kw=500.0, store_volume_m3=0.0))
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = write_dispatch_csv(res, pathlib.Path(tmp) / "dispatch.csv")
    ...     table = pd.read_csv(path)
    >>> len(table), float(table["load_kw"].iloc[0])
    (8760, 500.0)
    """
    with atomic_path(path, overwrite=overwrite) as tmp:
        result.hourly.to_csv(tmp, float_format="%.6g")
    return Path(path)
