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
from heatmap.plant._types import HOURS_PER_YEAR, DispatchResult, as_hourly
from heatmap.plant.merit_order import PlantLimits, merit_order_loop
from heatmap.plant.params import DispatchParams
from heatmap.plant.ratings import boiler_capacity_n_plus_1_kw, cop, hp_available, store_capacity_kwh

__all__ = ["dispatch", "dispatch_summary", "write_dispatch_csv"]

logger = logging.getLogger(__name__)


def dispatch(
    demand_kw: np.ndarray,
    *,
    params: DispatchParams | None = None,
    losses_kw: np.ndarray | float = 0.0,
    source_temp_c: np.ndarray | float | None = None,
    flow_temp_c: np.ndarray | float | None = None,
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
        Hourly source temperature, °C; default ``params.source_temp_c``.
    flow_temp_c
        Hourly flow temperature, °C; default from ``params.flow_temp_c`` (and
        ``flow_temp_min_c`` for load compensation).

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
    hp_cap = (
        p.hp_capacity_kw if p.hp_capacity_kw is not None else p.hp_capacity_ratio_of_peak * peak
    )
    gb_cap = (
        p.boiler_capacity_kw
        if p.boiler_capacity_kw is not None
        else boiler_capacity_n_plus_1_kw(peak, hp_cap, p.boiler_unit_kw)
    )
    store_max = store_capacity_kwh(p)
    if hp_cap + gb_cap + p.electric_boiler_kw <= 0.0 and peak > 0.0:
        msg = (
            "dispatch: no plant — heat pump, gas boiler and electric boiler capacities are all "
            "zero; set hp_capacity_kw or leave boiler_capacity_kw unset for n+1 sizing"
        )
        raise InfeasibleDispatchError(msg)
    src = as_hourly(
        p.source_temp_c if source_temp_c is None else source_temp_c, "source_temp_c", nonneg=False
    )
    if flow_temp_c is not None:
        flow = as_hourly(flow_temp_c, "flow_temp_c", nonneg=False)
    elif p.flow_temp_min_c is not None and peak > 0:
        flow = p.flow_temp_min_c + (p.flow_temp_c - p.flow_temp_min_c) * load / peak
    else:
        flow = np.full(HOURS_PER_YEAR, p.flow_temp_c)
    cops = cop(src, flow, params=p)
    avail = hp_available(p)
    if p.tou_prices_gbp_per_mwh:
        prices = np.asarray(p.tou_prices_gbp_per_mwh)
        dear_day = prices > prices.mean() + 1e-9
        dear = np.tile(dear_day, HOURS_PER_YEAR // 24)
        price_h = np.tile(prices, HOURS_PER_YEAR // 24)
    else:
        dear = np.zeros(HOURS_PER_YEAR, dtype=bool)
        price_h = np.full(HOURS_PER_YEAR, p.electricity_price_gbp_per_mwh)
    inf = float("inf")
    limits = PlantLimits(
        hp_cap=float(hp_cap),
        hp_min=float(hp_cap * p.hp_min_load_pct / 100.0),
        store_max=float(store_max),
        level0=float(store_max * p.store_initial_pct / 100.0),
        keep=float((1.0 - p.store_loss_pct_per_day / 100.0) ** (1.0 / 24.0)),
        charge_max=inf if p.store_charge_max_kw is None else float(p.store_charge_max_kw),
        discharge_max=inf if p.store_discharge_max_kw is None else float(p.store_discharge_max_kw),
        eb_cap=float(p.electric_boiler_kw),
        gb_cap=float(gb_cap),
    )
    cols = merit_order_loop(load.tolist(), avail.tolist(), dear.tolist(), limits)
    hp, ch, dis, lvl, sl, eb, gb, un = (np.asarray(c) for c in cols)
    elec = hp / cops + eb / p.electric_boiler_efficiency
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
            "gas_kw": gas,
            "cop": cops,
            "flow_temp_c": flow,
            "hp_available": avail,
        },
        index=pd.RangeIndex(HOURS_PER_YEAR, name="hour"),
    )
    unmet_mwh = float(un.sum()) / 1000.0
    if unmet_mwh > 1e-9 * max(float(load.sum()), 1.0) / 1000.0:
        first = int(np.flatnonzero(un > 0)[0])
        msg = (
            f"dispatch: {unmet_mwh:.3f} MWh of load unmet in {int((un > 0).sum())} hours "
            f"(first at hour {first}: {un[first]:.1f} kW short of {load[first]:.1f} kW); add "
            "boiler capacity (leave boiler_capacity_kw unset for n+1), more heat pump or store"
        )
        if not p.allow_unmet:
            raise InfeasibleDispatchError(msg)
        logger.warning(msg)
    balance = {
        "demand_mwh": float(demand.sum()) / 1000.0,
        "losses_mwh": float(losses.sum()) / 1000.0,
        "load_mwh": float(load.sum()) / 1000.0,
        "hp_mwh": float(hp.sum()) / 1000.0,
        "store_charge_mwh": float(ch.sum()) / 1000.0,
        "store_discharge_mwh": float(dis.sum()) / 1000.0,
        "store_standing_loss_mwh": float(sl.sum()) / 1000.0,
        "store_level_change_mwh": (float(lvl[-1]) - store_max * p.store_initial_pct / 100.0)
        / 1000.0,
        "electric_boiler_mwh": float(eb.sum()) / 1000.0,
        "boiler_mwh": float(gb.sum()) / 1000.0,
        "unmet_mwh": unmet_mwh,
        "electricity_mwh": float(elec.sum()) / 1000.0,
        "gas_mwh": float(gas.sum()) / 1000.0,
    }
    running = hp > 0.0
    hp_elec = hp / cops
    load_total = float(load.sum())
    low_carbon = (
        100.0 * (load_total - float(gb.sum()) - float(un.sum())) / load_total
        if load_total > 0
        else 100.0
    )
    return DispatchResult(
        hourly=hourly,
        energy_balance_mwh=balance,
        low_carbon_share_pct=low_carbon,
        spf=float(hp.sum() / hp_elec.sum()) if hp_elec.sum() > 0 else float("nan"),
        hp_running_hours=int(running.sum()),
        hp_starts=int(running[0]) + int(np.count_nonzero(running[1:] & ~running[:-1])),
        unmet_mwh=unmet_mwh,
        hp_capacity_kw=float(hp_cap),
        store_volume_m3=p.store_volume_m3,
        store_capacity_kwh=float(store_max),
        boiler_capacity_kw=float(gb_cap),
        electric_boiler_kw=p.electric_boiler_kw,
        electricity_mwh=balance["electricity_mwh"],
        gas_mwh=balance["gas_mwh"],
        running_cost_gbp=float((elec * price_h).sum() + gas.sum() * p.gas_price_gbp_per_mwh)
        / 1000.0,
        peak_load_kw=peak,
    )


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
        ``electricity_mwh``, ``gas_mwh``, ``running_cost_gbp_per_a`` and each energy-balance
        item as ``<item>_mwh``.

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
