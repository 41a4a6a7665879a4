"""Hourly energy-centre dispatch (heat pump → thermal store → boilers) and plant sizing.

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

import dataclasses
import logging
import math
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from heatmap._io import atomic_path
from heatmap.errors import InfeasibleDispatchError, InputError, SizingError
from heatmap.outputs.plant_figures import plot_annual_profile as plot_annual_profile
from heatmap.outputs.plant_figures import plot_load_duration as plot_load_duration
from heatmap.outputs.plant_figures import plot_sweep as plot_sweep
from heatmap.outputs.plant_figures import plot_typical_days as plot_typical_days
from heatmap.plant.params import DispatchParams as DispatchParams

__all__ = [
    "DispatchParams",
    "DispatchResult",
    "SweepResult",
    "boiler_capacity_n_plus_1_kw",
    "cop",
    "dispatch",
    "dispatch_summary",
    "hp_available",
    "hp_capacity_for_share",
    "plot_annual_profile",
    "plot_load_duration",
    "plot_sweep",
    "plot_typical_days",
    "sizing_sweep",
    "store_capacity_kwh",
    "write_dispatch_csv",
]

logger = logging.getLogger(__name__)

HOURS_PER_YEAR = 8760
WATER_KWH_PER_M3_K = 1.147  # rho*c of water at about 50 °C: 988 kg/m3 x 4.18 kJ/kgK / 3600
_KELVIN = 273.15


@dataclass(frozen=True)
class DispatchResult:
    """One year of hourly dispatch.

    ``hourly`` has 8,760 rows and the columns ``demand_kw``, ``losses_kw``, ``load_kw`` (demand +
    losses), ``hp_kw``, ``store_charge_kw``, ``store_discharge_kw``, ``store_level_kwh`` (end of
    hour), ``store_loss_kw``, ``electric_boiler_kw``, ``boiler_kw``, ``unmet_kw``,
    ``electricity_kw``, ``gas_kw``, ``cop``, ``flow_temp_c``, ``hp_available``. In every hour
    ``hp + discharge + electric_boiler + boiler + unmet = load + charge``.
    ``energy_balance_mwh`` is the annual sum of each of these, in MWh.
    ``low_carbon_share_pct`` is the share of the load not met by gas boilers or left unmet.
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


def cop(
    source_temp_c: np.ndarray | float,
    sink_temp_c: np.ndarray | float,
    *,
    params: DispatchParams | None = None,
) -> np.ndarray:
    """Return heat-pump COP for source and sink (flow) temperatures.

    ``carnot``: ``COP = η · T_cond / (T_cond − T_evap)`` with ``T_cond = flow + approach`` and
    ``T_evap = source − approach`` (kelvin). ``curve``: linear interpolation of the
    manufacturer's COP in the lift ``flow − source`` (held constant beyond the end points).

    Parameters
    ----------
    source_temp_c
        Source temperature(s), °C.
    sink_temp_c
        Flow temperature(s), °C (broadcast with ``source_temp_c``).
    params
        Model and its coefficients (defaults: :class:`DispatchParams`).

    Returns
    -------
    cop
        COP (heat out / electricity in), at least 1.

    Examples
    --------
    Carnot model with the defaults (efficiency 0.55, 3 K approach): a 12 °C source and 70 °C
    flow give ``0.55 x 346.15 K / (346.15 K - 282.15 K) = 2.97``:

    >>> round(float(cop(12.0, 70.0)), 4)
    2.9747
    >>> cop(np.array([5.0, 12.0]), 55.0).round(2).tolist()  # lower flow, smaller lift
    [3.25, 3.72]
    """
    p = params or DispatchParams()
    src = np.asarray(source_temp_c, dtype=float)
    sink = np.asarray(sink_temp_c, dtype=float)
    if np.any(sink <= src):
        msg = "cop: every flow (sink) temperature must be above the source temperature"
        raise InputError(msg)
    if p.cop_model == "curve":
        out = np.interp(sink - src, np.asarray(p.cop_curve_lift_k), np.asarray(p.cop_curve_cop))
    else:
        t_cond = sink + p.temperature_approach_k + _KELVIN
        t_evap = src - p.temperature_approach_k + _KELVIN
        out = p.carnot_efficiency * t_cond / (t_cond - t_evap)
    return np.asarray(np.maximum(out, 1.0), dtype=float)


def store_capacity_kwh(params: DispatchParams) -> float:
    """Return usable store heat, kWh: ``volume x ΔT x ρc``.

    Examples
    --------
    >>> store_capacity_kwh(DispatchParams(store_volume_m3=200.0, store_delta_t_k=30.0))
    6882.0
    """
    return params.store_volume_m3 * params.store_delta_t_k * WATER_KWH_PER_M3_K


def boiler_capacity_n_plus_1_kw(peak_kw: float, hp_capacity_kw: float, unit_kw: float) -> float:
    """Return n+1 gas boiler capacity: the peak is met after any single unit fails.

    With the heat pump counted as one unit: ``n x unit >= peak`` (heat pump failed) and
    ``hp + (n - 1) x unit >= peak`` (one boiler failed); the smallest such n. The study's
    4.6 MW peak with a 2.51 MW heat pump and 2.5 MW units gives 5 MW (Table 22).

    Parameters
    ----------
    peak_kw
        Peak load, kW.
    hp_capacity_kw
        Heat-pump capacity, kW.
    unit_kw
        One boiler's capacity, kW.

    Returns
    -------
    capacity_kw
        ``n x unit_kw``.

    Examples
    --------
    >>> boiler_capacity_n_plus_1_kw(4600.0, 2510.0, 2500.0)  # study Table 22
    5000.0
    """
    n_hp_failed = math.ceil(peak_kw / unit_kw - 1e-9)
    n_boiler_failed = math.ceil(max(peak_kw - hp_capacity_kw, 0.0) / unit_kw - 1e-9) + 1
    return float(max(n_hp_failed, n_boiler_failed, 1) * unit_kw)


def hp_available(params: DispatchParams) -> np.ndarray:
    """Return an 8,760 boolean array, False in maintenance downtime hours.

    Examples
    --------
    The default two maintenance weeks (from days 1 and 182):

    >>> avail = hp_available(DispatchParams())
    >>> len(avail), int((~avail).sum())
    (8760, 336)
    """
    avail = np.ones(HOURS_PER_YEAR, dtype=bool)
    for day in params.hp_downtime_start_days:
        start = (day - 1) * 24
        avail[start : min(start + params.hp_downtime_days * 24, HOURS_PER_YEAR)] = False
    return avail


def _as_hourly(value: np.ndarray | float, name: str, *, nonneg: bool = True) -> np.ndarray:
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


def _loop(
    load: list[float],
    avail: list[bool],
    dear: list[bool],
    hp_cap: float,
    hp_min: float,
    store_max: float,
    level0: float,
    keep: float,
    charge_max: float,
    discharge_max: float,
    eb_cap: float,
    gb_cap: float,
) -> tuple[list[float], ...]:
    """Sequential merit-order dispatch on Python floats (the hot path)."""
    n = len(load)
    hp_o = [0.0] * n
    ch_o = [0.0] * n
    dis_o = [0.0] * n
    lvl_o = [0.0] * n
    sl_o = [0.0] * n
    eb_o = [0.0] * n
    gb_o = [0.0] * n
    un_o = [0.0] * n
    lvl = level0
    for t in range(n):
        kept = lvl * keep
        sl_o[t] = lvl - kept
        lvl = kept
        ld = load[t]
        cap = hp_cap if avail[t] else 0.0
        room = store_max - lvl
        chg_lim = room if room < charge_max else charge_max
        dis_lim = lvl if lvl < discharge_max else discharge_max
        hp = 0.0
        ch = 0.0
        dis = 0.0
        short = ld
        done = False
        if dear[t] and cap > 0.0:
            # dear hour: store first, heat pump only for the rest, no charging
            dis = ld if ld < dis_lim else dis_lim
            rest = ld - dis
            if rest <= 0.0:
                short = 0.0
                done = True
            elif rest >= hp_min:
                hp = rest if rest < cap else cap
                short = rest - hp
                done = True
            elif ld >= hp_min:
                hp = hp_min
                dis = ld - hp_min
                short = 0.0
                done = True
            else:
                dis = 0.0
        if not done and cap > 0.0:
            if ld >= hp_min:
                hp = ld if ld < cap else cap
                spare = cap - hp
                ch = spare if spare < chg_lim else chg_lim
                short = ld - hp
                hp += ch
            elif hp_min - ld <= chg_lim:
                # run at least at minimum load, the excess charges the store
                spare = cap - ld
                ch = spare if spare < chg_lim else chg_lim
                hp = ld + ch
                short = 0.0
        if short > 0.0 and dis == 0.0:
            dis = short if short < dis_lim else dis_lim
            short -= dis
        eb = 0.0
        gb = 0.0
        if short > 0.0:
            eb = short if short < eb_cap else eb_cap
            short -= eb
            if short > 0.0:
                gb = short if short < gb_cap else gb_cap
                short -= gb
        lvl = lvl + ch - dis
        if lvl < 0.0:  # rounding guard only
            lvl = 0.0
        elif lvl > store_max:
            lvl = store_max
        hp_o[t] = hp
        ch_o[t] = ch
        dis_o[t] = dis
        lvl_o[t] = lvl
        eb_o[t] = eb
        gb_o[t] = gb
        un_o[t] = short if short > 0.0 else 0.0
    return hp_o, ch_o, dis_o, lvl_o, sl_o, eb_o, gb_o, un_o


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
    demand = _as_hourly(demand_kw, "demand_kw")
    losses = _as_hourly(losses_kw, "losses_kw")
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
    src = _as_hourly(
        p.source_temp_c if source_temp_c is None else source_temp_c, "source_temp_c", nonneg=False
    )
    if flow_temp_c is not None:
        flow = _as_hourly(flow_temp_c, "flow_temp_c", nonneg=False)
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
    cols = _loop(
        load.tolist(),
        avail.tolist(),
        dear.tolist(),
        float(hp_cap),
        float(hp_cap * p.hp_min_load_pct / 100.0),
        float(store_max),
        float(store_max * p.store_initial_pct / 100.0),
        float((1.0 - p.store_loss_pct_per_day / 100.0) ** (1.0 / 24.0)),
        inf if p.store_charge_max_kw is None else float(p.store_charge_max_kw),
        inf if p.store_discharge_max_kw is None else float(p.store_discharge_max_kw),
        float(p.electric_boiler_kw),
        float(gb_cap),
    )
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


def sizing_sweep(
    demand_kw: np.ndarray,
    *,
    hp_capacities_kw: tuple[float, ...] | list[float] | np.ndarray,
    store_volumes_m3: tuple[float, ...] | list[float] | np.ndarray,
    params: DispatchParams | None = None,
    losses_kw: np.ndarray | float = 0.0,
    source_temp_c: np.ndarray | float | None = None,
    flow_temp_c: np.ndarray | float | None = None,
) -> SweepResult:
    """Dispatch every heat-pump capacity x store volume pair and pick the cheapest meeting target.

    Boilers are sized n+1 for each option unless ``params.boiler_capacity_kw`` is set. The
    annualised cost is CAPEX x capital recovery factor (``discount_rate_pct``,
    ``plant_lifetime_years``) + the year's electricity and gas cost.

    Parameters
    ----------
    demand_kw
        8,760 hourly demands, kW.
    hp_capacities_kw
        Heat-pump capacities to try, kW (> 0).
    store_volumes_m3
        Store volumes to try, m3 (>= 0).
    params
        Everything else, including ``target_low_carbon_share_pct`` and the cost rates.
    losses_kw
        Network losses, kW (constant or hourly).
    source_temp_c
        Hourly source temperature, °C (default ``params.source_temp_c``).
    flow_temp_c
        Hourly flow temperature, °C (default from params).

    Returns
    -------
    sweep
        The option table and the chosen row.

    Raises
    ------
    SizingError
        Empty grid or a non-positive capacity / negative volume.

    Examples
    --------
    >>> sweep = sizing_sweep(np.full(8760, 500.0), hp_capacities_kw=[250.0, 500.0],
    ...                      store_volumes_m3=[0.0, 50.0])
    >>> sweep.table["meets_target"].tolist()  # 90 % low-carbon target
    [False, False, True, True]
    >>> float(sweep.chosen["hp_capacity_kw"]), float(sweep.chosen["store_volume_m3"])
    (500.0, 0.0)
    """
    p = params or DispatchParams()
    caps = [float(c) for c in np.atleast_1d(np.asarray(hp_capacities_kw, dtype=float))]
    vols = [float(v) for v in np.atleast_1d(np.asarray(store_volumes_m3, dtype=float))]
    if not caps or not vols:
        msg = "sizing_sweep: give at least one heat-pump capacity and one store volume"
        raise SizingError(msg)
    if min(caps) <= 0 or min(vols) < 0 or not all(map(math.isfinite, caps + vols)):
        msg = "sizing_sweep: heat-pump capacities must be > 0 and store volumes >= 0 (finite)"
        raise SizingError(msg)
    r = p.discount_rate_pct / 100.0
    n = p.plant_lifetime_years
    crf = 1.0 / n if r == 0 else r / (1.0 - (1.0 + r) ** -n)
    rows = []
    for cap in caps:
        for vol in vols:
            q = dataclasses.replace(p, hp_capacity_kw=cap, store_volume_m3=vol, allow_unmet=True)
            res = dispatch(
                demand_kw,
                params=q,
                losses_kw=losses_kw,
                source_temp_c=source_temp_c,
                flow_temp_c=flow_temp_c,
            )
            capex = (
                cap * p.hp_capex_gbp_per_kw
                + vol * p.store_capex_gbp_per_m3
                + res.boiler_capacity_kw * p.boiler_capex_gbp_per_kw
            )
            rows.append(
                {
                    "hp_capacity_kw": cap,
                    "store_volume_m3": vol,
                    "boiler_capacity_kw": res.boiler_capacity_kw,
                    "low_carbon_share_pct": res.low_carbon_share_pct,
                    "spf": res.spf,
                    "electricity_mwh": res.electricity_mwh,
                    "gas_mwh": res.gas_mwh,
                    "unmet_mwh": res.unmet_mwh,
                    "hp_running_hours": res.hp_running_hours,
                    "hp_starts": res.hp_starts,
                    "running_cost_gbp_per_a": res.running_cost_gbp,
                    "capex_gbp": capex,
                    "annualised_cost_gbp_per_a": capex * crf + res.running_cost_gbp,
                }
            )
    table = pd.DataFrame(rows)
    table["meets_target"] = (table["low_carbon_share_pct"] >= p.target_low_carbon_share_pct) & (
        table["unmet_mwh"] <= 0.0
    )
    table["chosen"] = False
    ok = table[table["meets_target"]]
    if ok.empty:
        best = table["low_carbon_share_pct"].max()
        note = (
            f"no option reaches {p.target_low_carbon_share_pct:.1f} % low-carbon heat (best "
            f"{best:.1f} %); try larger heat pumps or stores"
        )
        logger.warning(note)
        return SweepResult(table, None, p.target_low_carbon_share_pct, note)
    idx = ok["annualised_cost_gbp_per_a"].idxmin()
    table.loc[idx, "chosen"] = True
    chosen = table.iloc[int(np.flatnonzero(table["chosen"].to_numpy())[0])]
    note = (
        f"least annualised cost meeting {p.target_low_carbon_share_pct:.1f} %: "
        f"{chosen['hp_capacity_kw']:.0f} kW heat pump, {chosen['store_volume_m3']:.0f} m3 store"
    )
    return SweepResult(table, chosen, p.target_low_carbon_share_pct, note)


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


def hp_capacity_for_share(
    demand_kw: np.ndarray,
    *,
    params: DispatchParams | None = None,
    losses_kw: np.ndarray | float = 0.0,
    source_temp_c: np.ndarray | float | None = None,
    flow_temp_c: np.ndarray | float | None = None,
    tolerance_kw: float = 10.0,
) -> float:
    """Return the smallest heat-pump capacity reaching ``params.target_low_carbon_share_pct``.

    Bisection on capacity between 0 and the peak load, with the store and everything else
    from ``params`` (the low-carbon share rises with capacity).

    Parameters
    ----------
    demand_kw
        8,760 hourly demands, kW.
    params
        Store, COP, target share, ...
    losses_kw
        Network losses, kW (constant or hourly).
    source_temp_c
        Hourly source temperature, °C (default ``params.source_temp_c``).
    flow_temp_c
        Hourly flow temperature, °C (default from params).
    tolerance_kw
        Bisection stops when the bracket is this narrow, kW.

    Returns
    -------
    hp_capacity_kw
        Capacity (upper end of the final bracket), kW.

    Raises
    ------
    SizingError
        If even a heat pump as large as the peak load misses the target (e.g. downtime weeks
        or minimum load make it unreachable).

    Examples
    --------
    A flat 500 kW load, 90 % target, two maintenance weeks: the heat pump must give
    ``0.9 x 4,380 MWh / 8,424 h = 468 kW``:

    >>> hp_capacity_for_share(np.full(8760, 500.0))
    468.75
    """
    p = params or DispatchParams()
    load = _as_hourly(demand_kw, "demand_kw") + _as_hourly(losses_kw, "losses_kw")
    peak = float(load.max())

    def share(cap: float) -> float:
        q = dataclasses.replace(p, hp_capacity_kw=cap, allow_unmet=True)
        res = dispatch(
            demand_kw,
            params=q,
            losses_kw=losses_kw,
            source_temp_c=source_temp_c,
            flow_temp_c=flow_temp_c,
        )
        return res.low_carbon_share_pct

    target = p.target_low_carbon_share_pct
    best = share(peak)
    if best < target:
        msg = (
            f"hp_capacity_for_share: even {peak:.0f} kW (the peak load) reaches only {best:.1f} % "
            f"low-carbon heat, below the {target:.1f} % target; lower the target, shorten the "
            "downtime or add store"
        )
        raise SizingError(msg)
    lo, hi = 0.0, peak
    while hi - lo > tolerance_kw:
        mid = 0.5 * (lo + hi)
        if share(mid) >= target:
            hi = mid
        else:
            lo = mid
    return hi
