"""Heat sales tariffs per connection from its counterfactual (study Table 40 method)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from heatmap.economics._types import require_columns
from heatmap.economics.params import EconomicsParams
from heatmap.errors import InputError

__all__ = ["tariffs"]


def tariffs(connections: pd.DataFrame, *, params: EconomicsParams | None = None) -> pd.DataFrame:
    """Heat sales tariffs per connection from its counterfactual (study Table 40 method).

    ASHP counterfactual: capacity = ceil(peak × 1.2 to 10 kW); fixed GBP/day = capacity ×
    (replacement + maintenance GBP/kW/yr) / 365; variable p/kWh = electricity price ÷ CoP.
    Gas boiler counterfactual: fixed = GBP/day per dwelling × dwellings; variable = gas price ÷
    efficiency. Sales tariffs = current cost × (1 − discount).

    Parameters
    ----------
    connections
        Columns name, counterfactual ({"gas_boiler", "ashp"}), peak_kw; dwellings (gas boiler).
    params
        Model parameters (defaults if None).

    Returns
    -------
    tariffs
        Input columns plus counterfactual_capacity_kw, counterfactual_fixed_gbp_per_a,
        current_fixed_gbp_per_day, current_variable_p_per_kwh, fixed_tariff_gbp_per_day,
        variable_tariff_p_per_kwh. Sales-tariff columns given in ``connections`` are kept.

    Examples
    --------
    Study Table 40: a 600 kW customer against an ASHP counterfactual of 600 x 1.2 = 720 kW,
    GBP 38,400 a year fixed (23,400 replacement + 15,000 maintenance) and 21 p/kWh / CoP 2:

    >>> conn = pd.DataFrame({"name": ["Table 40"], "counterfactual": ["ashp"], "peak_kw": [600.0]})
    >>> t = tariffs(conn).iloc[0]
    >>> float(t["counterfactual_capacity_kw"]), round(float(t["counterfactual_fixed_gbp_per_a"]))
    (720.0, 38400)
    >>> round(float(t["current_fixed_gbp_per_day"]), 2), float(t["current_variable_p_per_kwh"])
    (105.21, 10.5)
    >>> round(float(t["fixed_tariff_gbp_per_day"]), 2)  # 3 % below the counterfactual
    102.05
    """
    p = params or EconomicsParams()
    require_columns(connections, ("name", "counterfactual", "peak_kw"), "connections")
    out = connections.copy()
    kind = out["counterfactual"].astype(str)
    bad = sorted(set(kind) - {"gas_boiler", "ashp"})
    if bad:
        msg = f"connections.counterfactual: unknown values {bad}; use 'gas_boiler' or 'ashp'"
        raise InputError(msg)
    is_ashp = (kind == "ashp").to_numpy()
    peak = out["peak_kw"].to_numpy(dtype=float)
    step = p.ashp_capacity_round_kw
    raw = peak * p.ashp_capacity_factor
    cap = np.ceil(np.round(raw / step, 9)) * step if step > 0 else raw
    dwellings = out["dwellings"].to_numpy(dtype=float) if "dwellings" in out else np.zeros(len(out))
    if np.any(~is_ashp & ~(dwellings > 0)):
        names = out.loc[~is_ashp & ~(dwellings > 0), "name"].tolist()
        msg = f"connections: gas_boiler counterfactual rows need dwellings > 0 (rows {names[:5]})"
        raise InputError(msg)
    fixed_a = np.where(
        is_ashp,
        cap * (p.ashp_replacement_gbp_per_kw_per_a + p.ashp_maintenance_gbp_per_kw_per_a),
        dwellings * p.counterfactual_gas_fixed_gbp_per_dwelling_per_day * 365.0,
    )
    out["counterfactual_capacity_kw"] = np.where(is_ashp, cap, np.nan)
    out["counterfactual_fixed_gbp_per_a"] = fixed_a
    out["current_fixed_gbp_per_day"] = fixed_a / 365.0
    out["current_variable_p_per_kwh"] = np.where(
        is_ashp,
        p.ashp_electricity_price_p_per_kwh / p.ashp_cop,
        p.counterfactual_gas_price_p_per_kwh / (p.counterfactual_boiler_efficiency_pct / 100.0),
    )
    keep = 1.0 - p.tariff_discount_pct / 100.0
    for col, cur in (
        ("fixed_tariff_gbp_per_day", "current_fixed_gbp_per_day"),
        ("variable_tariff_p_per_kwh", "current_variable_p_per_kwh"),
    ):
        computed = out[cur] * keep
        out[col] = out[col].fillna(computed) if col in connections else computed
    return out
