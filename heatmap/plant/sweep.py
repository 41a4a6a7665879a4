"""Plant sizing: the heat-pump capacity x store volume sweep and the capacity for a target share."""

from __future__ import annotations

import dataclasses
import logging
import math

import numpy as np
import pandas as pd

from heatmap.errors import SizingError
from heatmap.plant._types import SweepResult, as_hourly
from heatmap.plant.operation import dispatch
from heatmap.plant.params import DispatchParams

__all__ = ["hp_capacity_for_share", "sizing_sweep"]

logger = logging.getLogger(__name__)


def sizing_sweep(
    demand_kw: np.ndarray,
    *,
    hp_capacities_kw: tuple[float, ...] | list[float] | np.ndarray,
    store_volumes_m3: tuple[float, ...] | list[float] | np.ndarray,
    params: DispatchParams | None = None,
    losses_kw: np.ndarray | float = 0.0,
    source_temp_c: np.ndarray | float | None = None,
    flow_temp_c: np.ndarray | float | None = None,
    air_temp_c: np.ndarray | None = None,
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
    air_temp_c
        Hourly dry-bulb temperature, °C (air, river and sea sources).

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
                air_temp_c=air_temp_c,
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


def hp_capacity_for_share(
    demand_kw: np.ndarray,
    *,
    params: DispatchParams | None = None,
    losses_kw: np.ndarray | float = 0.0,
    source_temp_c: np.ndarray | float | None = None,
    flow_temp_c: np.ndarray | float | None = None,
    tolerance_kw: float = 10.0,
    air_temp_c: np.ndarray | None = None,
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
    air_temp_c
        Hourly dry-bulb temperature, °C (air, river and sea sources).
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
    A flat 500 kW load, 90 % target, one unit down two weeks: the heat pump must give
    ``0.9 x 4,380 MWh / 8,424 h = 468 kW``:

    >>> hp_capacity_for_share(np.full(8760, 500.0), params=DispatchParams(hp_module_kw=1e6))
    468.75

    As two modules, maintained one at a time, it delivers half its capacity in those weeks:
    ``3,942 MWh / (8,424 h + 336 h / 2) = 459 kW``:

    >>> hp_capacity_for_share(np.full(8760, 500.0))
    460.9375
    """
    p = params or DispatchParams()
    load = as_hourly(demand_kw, "demand_kw") + as_hourly(losses_kw, "losses_kw")
    peak = float(load.max())

    def share(cap: float) -> float:
        q = dataclasses.replace(p, hp_capacity_kw=cap, allow_unmet=True)
        res = dispatch(
            demand_kw,
            params=q,
            losses_kw=losses_kw,
            source_temp_c=source_temp_c,
            flow_temp_c=flow_temp_c,
            air_temp_c=air_temp_c,
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
