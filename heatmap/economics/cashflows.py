"""The yearly cashflow: CAPEX, replacements, grant, sales, energy purchase, O&M and carbon.

Money in GBP (real, price base year of the tariffs); year 0 = the first year of the cashflow;
cashflows at year ends of the calendar years ``start_year + t``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from heatmap.economics._types import EconomicsInputs, require_columns
from heatmap.economics.params import EconomicsParams
from heatmap.economics.replacements import replacement_gbp, residual_value_gbp
from heatmap.economics.sales_tariffs import tariffs
from heatmap.economics.tables import carbon_values_gbp_per_t, grid_carbon_g_per_kwh, price_index
from heatmap.errors import InputError

__all__ = ["cashflow", "indexed_price", "net_to_horizon", "spf_of"]


_PHASE_COLS = (
    "phase",
    "start_year",
    "heat_sold_mwh_per_a",
    "electricity_mwh_per_a",
    "gas_mwh_per_a",
)
_CONN_COLS = ("name", "phase", "counterfactual", "heat_demand_mwh_per_a", "peak_kw")


def indexed_price(p: EconomicsParams, fuel: str, sector: str, years: np.ndarray) -> np.ndarray:
    """Price index of ``fuel`` for ``sector`` in ``years`` under the scenario in ``p``."""
    return price_index(
        fuel,
        sector,
        years,
        scenario=p.price_scenario,
        base_year=p.price_base_year,
        fixed_rate_pct=p.fixed_indexation_pct,
        hold_after=p.hold_prices_after_last_year,
    )


def _years(inputs: EconomicsInputs, params: EconomicsParams) -> np.ndarray:
    start = (
        params.start_year
        if params.start_year is not None
        else int(inputs.phases["start_year"].min())
    )
    return np.arange(start, start + max(params.horizons_years), dtype=int)


def _phase_start(inputs: EconomicsInputs) -> dict[int, int]:
    ph = inputs.phases
    return dict(
        zip(ph["phase"].astype(int).tolist(), ph["start_year"].astype(int).tolist(), strict=True)
    )


def _validate(inputs: EconomicsInputs) -> None:
    require_columns(inputs.phases, _PHASE_COLS, "phases")
    require_columns(inputs.connections, _CONN_COLS, "connections")
    require_columns(inputs.capex_lines, ("phase", "category", "total_gbp"), "capex_lines")
    if inputs.phases["phase"].duplicated().any():
        msg = "phases: one row per phase expected (per-phase increments); found duplicates"
        raise InputError(msg)
    known = set(inputs.phases["phase"].astype(int))
    for what, df in (("capex_lines", inputs.capex_lines), ("connections", inputs.connections)):
        unknown = sorted(set(df["phase"].astype(int)) - known)
        if unknown:
            msg = f"{what}: phases {unknown} have no row in phases (start year, energy figures)"
            raise InputError(msg)
    num = inputs.phases[list(_PHASE_COLS[2:])].to_numpy(dtype=float)
    if np.any(~np.isfinite(num)) or np.any(num < 0):
        msg = "phases: heat/electricity/gas figures must be finite and >= 0"
        raise InputError(msg)
    if np.any(inputs.capex_lines["total_gbp"].to_numpy(dtype=float) < 0):
        msg = "capex_lines.total_gbp: negative CAPEX lines; give costs >= 0"
        raise InputError(msg)


def _grant_by_year(
    lines: pd.DataFrame, starts: dict[int, int], years: np.ndarray, params: EconomicsParams
) -> np.ndarray:
    phases = params.grant_phases or tuple(starts)
    by_phase = lines.groupby("phase")["total_gbp"].sum()
    eligible = {ph: float(by_phase.get(ph, 0.0)) for ph in phases if ph in starts}
    base = sum(eligible.values())
    if params.grant_pct is not None:
        total = base * params.grant_pct / 100.0
    elif params.grant_gbp is not None:
        total = params.grant_gbp
        if total > base + 1e-6:
            msg = (
                f"grant_gbp: {total:,.0f} GBP exceeds the CAPEX of the funded phases "
                f"({base:,.0f} GBP); "
                "a grant cannot exceed 100 % of CAPEX"
            )
            raise InputError(msg)
    else:
        return np.zeros(len(years))
    out = np.zeros(len(years))
    for ph, cost in eligible.items():
        share = cost / base if base > 0 else 0.0
        out += np.where(years == starts[ph], total * share, 0.0)
    return out


def cashflow(inputs: EconomicsInputs, *, params: EconomicsParams | None = None) -> pd.DataFrame:
    """Yearly cashflow over the longest horizon (one row per year).

    Parameters
    ----------
    inputs
        CAPEX lines, per-phase energy figures and connections.
    params
        Model parameters.

    Returns
    -------
    cashflow
        Columns year, t, capex_gbp, replacement_gbp, residual_value_gbp (last year only),
        grant_gbp, connection_charges_gbp, revenue_fixed_gbp, revenue_variable_gbp,
        electricity_cost_gbp, pumping_cost_gbp, gas_cost_gbp, om_gbp, net_cashflow_gbp,
        cumulative_gbp, heat_sold_mwh, electricity_mwh, pumping_electricity_mwh, gas_mwh,
        network_co2e_t, bau_co2e_t, co2e_savings_t, carbon_value_gbp_per_t,
        social_benefit_gbp, social_cashflow_gbp, discount_factor, and price indices. CAPEX is
        spent in a phase's start year; sales, energy and O&M begin ``construction_years``
        later.

    Examples
    --------
    A GBP 4m network selling 5,000 MWh/a to a school (ASHP counterfactual, 1.2 MW peak) and a
    150-dwelling estate (gas boilers):

    >>> import pandas as pd
    >>> from heatmap.economics import EconomicsInputs, cashflow
    >>> inputs = EconomicsInputs(
    ...     capex_lines=pd.DataFrame({"phase": [1, 1], "category": ["energy_centre", "network"],
    ...                               "component": ["heat_pumps", "network"],
    ...                               "item": ["hp", "spine"], "total_gbp": [1.0e6, 3.0e6]}),
    ...     phases=pd.DataFrame({"phase": [1], "start_year": [2024],
    ...                          "heat_sold_mwh_per_a": [5000.0], "electricity_mwh_per_a": [1800.0],
    ...                          "gas_mwh_per_a": [200.0]}),
    ...     connections=pd.DataFrame({"name": ["school", "estate"], "phase": [1, 1],
    ...                               "counterfactual": ["ashp", "gas_boiler"],
    ...                               "heat_demand_mwh_per_a": [3000.0, 2000.0],
    ...                               "peak_kw": [1200.0, 800.0], "dwellings": [0, 150]}))
    >>> cf = cashflow(inputs)
    >>> len(cf), int(cf["year"].iloc[0]), float(cf["capex_gbp"].iloc[0])
    (40, 2024, 4000000.0)

    Fixed revenue from 2025, after one year of construction: 97 % of 1,440 kW x GBP
    53.33/kW/yr (school) plus 150 x GBP 0.9425/day x 365 (estate):

    >>> float(cf["revenue_fixed_gbp"].iloc[0]), round(float(cf["revenue_fixed_gbp"].iloc[1]))
    (0.0, 124550)
    """
    p = params or EconomicsParams()
    _validate(inputs)
    years = _years(inputs, p)
    starts = _phase_start(inputs)
    operating = {ph: (years >= y + p.construction_years).astype(float) for ph, y in starts.items()}
    flows = _phase_flows(inputs, starts, operating, len(years))
    heat = flows["heat_sold_mwh_per_a"]
    i_elec = indexed_price(p, "electricity", p.electricity_price_sector, years)
    i_gas = indexed_price(p, "natural_gas", p.gas_price_sector, years)
    i_heat = _heat_tariff_index(p, years)
    tar = tariffs(inputs.connections, params=p)
    conn_on = np.array([operating[int(k)] for k in tar["phase"]]).reshape(len(tar), len(years))
    rev_var = (
        (
            tar["heat_demand_mwh_per_a"].to_numpy(float)
            * tar["variable_tariff_p_per_kwh"].to_numpy(float)
            * 10.0
        )
        @ conn_on
        * i_heat
    )
    fix_gbp = (tar["fixed_tariff_gbp_per_day"].to_numpy(float) * 365.0) @ conn_on
    charges = _connection_charges(tar, starts, years, p)
    lines = inputs.capex_lines
    capex = np.zeros(len(years))
    sums = lines.groupby("phase")["total_gbp"].sum()
    for k, total in zip(sums.index.astype(int).tolist(), sums.astype(float).tolist(), strict=True):
        capex += np.where(years == starts[k], total, 0.0)
    replacement = replacement_gbp(lines, starts, years, p)
    residual = np.zeros(len(years))
    residual[-1] = residual_value_gbp(lines, starts, int(years[-1]), p)
    grant = _grant_by_year(lines, starts, years, p)
    om = (
        heat * (p.om_network_gbp_per_mwh + p.om_customer_gbp_per_mwh)
        + flows["heat_pump_kw"] * p.om_heat_pump_gbp_per_kw_per_a
        + np.cumsum(capex) * p.om_pct_of_capex_per_a / 100.0
        + (heat > 0) * p.om_fixed_gbp_per_a
    )
    elec = flows["electricity_mwh_per_a"]
    pumping = flows["pumping_electricity_mwh_per_a"]
    gas = flows["gas_mwh_per_a"]
    price = p.electricity_price_p_per_kwh * 10.0 * flows["electricity_price_factor"]
    elec_cost = elec * price * i_elec
    pump_cost = pumping * price * i_elec
    gas_cost = gas * p.gas_price_p_per_kwh * 10.0 * i_gas
    net = (
        -capex
        - replacement
        + residual
        + grant
        + charges
        + fix_gbp
        + rev_var
        - elec_cost
        - pump_cost
        - gas_cost
        - om
    )
    carbon = _carbon(tar, conn_on, heat, elec + pumping, gas, years, p)
    t = years - years[0]
    return pd.DataFrame(
        {
            "year": years,
            "t": t,
            "capex_gbp": capex,
            "replacement_gbp": replacement,
            "residual_value_gbp": residual,
            "grant_gbp": grant,
            "connection_charges_gbp": charges,
            "revenue_fixed_gbp": fix_gbp,
            "revenue_variable_gbp": rev_var,
            "electricity_cost_gbp": elec_cost,
            "pumping_cost_gbp": pump_cost,
            "gas_cost_gbp": gas_cost,
            "om_gbp": om,
            "net_cashflow_gbp": net,
            "cumulative_gbp": np.cumsum(net),
            "heat_sold_mwh": heat,
            "electricity_mwh": elec,
            "pumping_electricity_mwh": pumping,
            "gas_mwh": gas,
            **carbon,
            "social_cashflow_gbp": net + carbon["social_benefit_gbp"],
            "electricity_price_index": i_elec,
            "gas_price_index": i_gas,
            "heat_tariff_index": i_heat,
            "discount_factor": np.power(1.0 + p.discount_rate_pct / 100.0, -t.astype(float)),
        }
    )


def _phase_flows(
    inputs: EconomicsInputs,
    starts: dict[int, int],
    operating: dict[int, np.ndarray],
    n_years: int,
) -> dict[str, np.ndarray]:
    """Yearly heat, electricity, pumping, gas and heat-pump capacity of the operating phases."""
    ph = inputs.phases.set_index("phase")
    out = {}
    for col in (
        "heat_sold_mwh_per_a",
        "electricity_mwh_per_a",
        "pumping_electricity_mwh_per_a",
        "gas_mwh_per_a",
        "heat_pump_kw",
    ):
        if col not in ph:
            out[col] = np.zeros(n_years)
            continue
        vals = dict(
            zip(ph.index.astype(int).tolist(), ph[col].fillna(0.0).astype(float), strict=True)
        )
        out[col] = sum((vals[k] * operating[k] for k in starts), np.zeros(n_years))
    out["electricity_price_factor"] = _price_factor(inputs, starts, operating, n_years)
    return out


def _price_factor(
    inputs: EconomicsInputs,
    starts: dict[int, int],
    operating: dict[int, np.ndarray],
    n_years: int,
) -> np.ndarray:
    """Yearly electricity price factor: the operating phases' factors weighted by electricity."""
    ph = inputs.phases.set_index("phase")
    if "electricity_price_factor" not in ph:
        return np.ones(n_years)
    elec = ph["electricity_mwh_per_a"].astype(float)
    factor = ph["electricity_price_factor"].astype(float).fillna(1.0)
    num = sum((float(elec[k] * factor[k]) * operating[k] for k in starts), np.zeros(n_years))
    den = sum((float(elec[k]) * operating[k] for k in starts), np.zeros(n_years))
    return np.divide(num, den, out=np.ones(n_years), where=den > 0)


def _heat_tariff_index(p: EconomicsParams, years: np.ndarray) -> np.ndarray:
    if p.heat_tariff_index_fuel == "gas":
        return indexed_price(p, "natural_gas", p.heat_tariff_index_sector, years)
    if p.heat_tariff_index_fuel == "electricity":
        return indexed_price(p, "electricity", p.heat_tariff_index_sector, years)
    return np.ones(len(years))


def _connection_charges(
    tar: pd.DataFrame, starts: dict[int, int], years: np.ndarray, p: EconomicsParams
) -> np.ndarray:
    new_dw = (
        tar["new_dwellings"].fillna(0).to_numpy(float)
        if "new_dwellings" in tar
        else np.zeros(len(tar))
    )
    charges = np.zeros(len(years))
    for k, n in zip(tar["phase"].astype(int), new_dw, strict=True):
        charges += np.where(years == starts[k], n * p.connection_charge_gbp_per_new_dwelling, 0.0)
    return charges


def _carbon(
    tar: pd.DataFrame,
    conn_on: np.ndarray,
    heat: np.ndarray,
    elec: np.ndarray,
    gas: np.ndarray,
    years: np.ndarray,
    p: EconomicsParams,
) -> dict[str, np.ndarray]:
    """Network and counterfactual emissions, savings and their social value, per year.

    Each connection's counterfactual is the one its tariff is set against (``counterfactual``:
    a gas boiler at ``counterfactual_boiler_efficiency_pct`` or an air-source heat pump at
    ``ashp_cop``), so tariff and carbon compare the network with the same alternative.
    """
    grid = grid_carbon_g_per_kwh(years, series=p.grid_carbon_series)
    net_co2 = (elec * grid + gas * p.gas_co2e_g_per_kwh) / 1000.0
    demand = tar["heat_demand_mwh_per_a"].to_numpy(float)
    is_ashp = (tar["counterfactual"].astype(str) == "ashp").to_numpy()
    if p.carbon_counterfactual == "study":
        new = tar["new_dwellings"].fillna(0) if "new_dwellings" in tar else pd.Series(0, tar.index)
        is_ashp = new.to_numpy(dtype=float) > 0
    total_conn = demand @ conn_on
    ashp_conn = (demand * is_ashp) @ conn_on
    share = np.divide(ashp_conn, total_conn, out=np.zeros(len(years)), where=total_conn > 0)
    bau_gas = heat * (1.0 - share) / (p.counterfactual_boiler_efficiency_pct / 100.0)
    bau_elec = heat * share / p.ashp_cop
    bau_co2 = (bau_gas * p.gas_co2e_g_per_kwh + bau_elec * grid) / 1000.0
    saved = bau_co2 - net_co2
    if p.carbon_value_scenario == "none":
        cval = np.zeros(len(years))
    else:
        cval = carbon_values_gbp_per_t(
            years,
            scenario=p.carbon_value_scenario,
            growth_after_pct=p.carbon_value_growth_after_last_pct,
        )
    displaced_gas = np.maximum(bau_gas - gas, 0.0)
    return {
        "grid_carbon_g_per_kwh": grid,
        "network_co2e_t": net_co2,
        "bau_co2e_t": bau_co2,
        "co2e_savings_t": saved,
        "carbon_value_gbp_per_t": cval,
        "social_benefit_gbp": saved * cval + displaced_gas * p.air_quality_gbp_per_mwh_bau_gas,
    }


def net_to_horizon(
    cf: pd.DataFrame,
    inputs: EconomicsInputs,
    params: EconomicsParams,
    horizon_years: int,
    column: str = "net_cashflow_gbp",
) -> np.ndarray:
    """Return ``column`` over the first ``horizon_years`` with that horizon's residual value.

    The cashflow books the residual value at the end of the longest horizon; a shorter horizon
    ends with the value left in the plant at its own last year instead.
    """
    h = min(horizon_years, len(cf))
    out = cf[column].to_numpy(dtype=float)[:h].copy()
    out -= cf["residual_value_gbp"].to_numpy(dtype=float)[:h]
    end = int(cf["year"].iloc[h - 1])
    out[-1] += residual_value_gbp(inputs.capex_lines, _phase_start(inputs), end, params)
    return out


def spf_of(inputs: EconomicsInputs) -> float | None:
    """Heat-pump SPF of the inputs (heat ÷ electricity), or None without heat-pump heat."""
    ph = inputs.phases
    if "heat_pump_heat_mwh_per_a" not in ph:
        return None
    e = float(ph["electricity_mwh_per_a"].sum())
    return float(ph["heat_pump_heat_mwh_per_a"].sum()) / e if e > 0 else None
