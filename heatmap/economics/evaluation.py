"""Yearly cashflow, evaluation, grant tests and sensitivities for
:mod:`heatmap.economics.appraisal`.
"""

from __future__ import annotations

import logging
from dataclasses import replace

import numpy as np
import pandas as pd

from heatmap.economics.appraisal import (
    EconomicsInputs,
    EconomicsParams,
    EconomicsResult,
    _require,
    tariffs,
)
from heatmap.economics.finance import irr, npv, simple_payback_years
from heatmap.economics.tables import (
    carbon_values_gbp_per_t,
    grid_carbon_g_per_kwh,
    price_index,
    wang2018,
)
from heatmap.errors import InputError

__all__ = ["cashflow", "evaluate", "sensitivity_table"]

logger = logging.getLogger(__name__)

_PHASE_COLS = (
    "phase",
    "start_year",
    "heat_sold_mwh_per_a",
    "electricity_mwh_per_a",
    "gas_mwh_per_a",
)
_CONN_COLS = ("name", "phase", "counterfactual", "heat_demand_mwh_per_a", "peak_kw")


def _pidx(p: EconomicsParams, fuel: str, sector: str, years: np.ndarray) -> np.ndarray:
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
    _require(inputs.phases, _PHASE_COLS, "phases")
    _require(inputs.connections, _CONN_COLS, "connections")
    _require(inputs.capex_lines, ("phase", "category", "total_gbp"), "capex_lines")
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


def _replacement(
    lines: pd.DataFrame, starts: dict[int, int], years: np.ndarray, params: EconomicsParams
) -> np.ndarray:
    out = np.zeros(len(years))
    lifetimes = {k.lower(): v for k, v in params.lifetimes_years.items()}
    for phase, category, total in zip(
        lines["phase"].astype(int).tolist(),
        lines["category"].astype(str).tolist(),
        lines["total_gbp"].astype(float).tolist(),
        strict=True,
    ):
        life = lifetimes.get(category.lower())
        if life is None:
            continue
        cost = total * params.replacement_fraction
        installed = starts[phase]
        if params.replacement_method == "annualised":
            out += np.where(years > installed, cost / life, 0.0)
        else:
            k = np.arange(1, len(years) + 1)
            for due in installed + np.ceil(k * life).astype(int):
                out += np.where(years == due, cost, 0.0)
    return out


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
        Columns year, t, capex_gbp, replacement_gbp, grant_gbp, connection_charges_gbp,
        revenue_fixed_gbp, revenue_variable_gbp, electricity_cost_gbp, gas_cost_gbp, om_gbp,
        net_cashflow_gbp, cumulative_gbp, heat_sold_mwh, electricity_mwh, gas_mwh,
        network_co2e_t, bau_co2e_t, co2e_savings_t, carbon_value_gbp_per_t,
        social_benefit_gbp, social_cashflow_gbp, discount_factor, and price indices.

    Examples
    --------
    A GBP 4m network selling 5,000 MWh/a to a school (ASHP counterfactual, 1.2 MW peak) and a
    150-dwelling estate (gas boilers):

    >>> import pandas as pd
    >>> from heatmap.economics.appraisal import EconomicsInputs
    >>> inputs = EconomicsInputs(
    ...     capex_lines=pd.DataFrame({"phase": [1, 1], "category": ["heat_pump", "network"],
    ...                               "item": ["hp", "spine"], "total_gbp": [1.0e6, 3.0e6]}),
    ...     phases=pd.DataFrame({"phase": [1], "start_year": [2024],
    ...                          "heat_sold_mwh_per_a": [5000.0], "electricity_mwh_per_a": [1800.0],
    ...                          "gas_mwh_per_a": [200.0]}),
    ...     connections=pd.DataFrame({"name": ["school", "estate"], "phase": [1, 1],
    ...                               "counterfactual": ["ashp", "gas_boiler"],
    ...                               "heat_demand_mwh_per_a": [3000.0, 2000.0],
    ...                               "peak_kw": [1200.0, 800.0], "dwellings": [0, 150]}))
    >>> from heatmap.economics.appraisal import cashflow
    >>> cf = cashflow(inputs)
    >>> len(cf), int(cf["year"].iloc[0]), float(cf["capex_gbp"].iloc[0])
    (40, 2024, 4000000.0)

    Fixed revenue: 97 % of 1,440 kW x GBP 53.33/kW/yr (school) plus 150 x GBP 0.9425/day
    x 365 (estate):

    >>> round(float(cf["revenue_fixed_gbp"].iloc[0]))
    124550
    """
    p = params or EconomicsParams()
    _validate(inputs)
    years = _years(inputs, p)
    starts = _phase_start(inputs)
    active = {ph: (years >= y).astype(float) for ph, y in starts.items()}
    ph = inputs.phases.set_index("phase")

    def per_phase(col: str) -> np.ndarray:
        vals = dict(zip(ph.index.astype(int).tolist(), ph[col].astype(float).tolist(), strict=True))
        return sum((vals[k] * active[k] for k in starts), np.zeros(len(years)))

    heat = per_phase("heat_sold_mwh_per_a")
    elec = per_phase("electricity_mwh_per_a")
    gas = per_phase("gas_mwh_per_a")
    hp_kw = per_phase("heat_pump_kw") if "heat_pump_kw" in ph else np.zeros(len(years))

    i_elec = _pidx(p, "electricity", p.electricity_price_sector, years)
    i_gas = _pidx(p, "natural_gas", p.gas_price_sector, years)
    if p.heat_tariff_index_fuel == "gas":
        i_heat = _pidx(p, "natural_gas", p.heat_tariff_index_sector, years)
    elif p.heat_tariff_index_fuel == "electricity":
        i_heat = _pidx(p, "electricity", p.heat_tariff_index_sector, years)
    else:
        i_heat = np.ones(len(years))

    tar = tariffs(inputs.connections, params=p)
    conn_active = np.array([active[int(k)] for k in tar["phase"]]).reshape(len(tar), len(years))
    var_gbp = (
        tar["heat_demand_mwh_per_a"].to_numpy(float)
        * tar["variable_tariff_p_per_kwh"].to_numpy(float)
        * 10.0
    ) @ conn_active
    fix_gbp = (tar["fixed_tariff_gbp_per_day"].to_numpy(float) * 365.0) @ conn_active
    new_dw = (
        tar["new_dwellings"].fillna(0).to_numpy(float)
        if "new_dwellings" in tar
        else np.zeros(len(tar))
    )
    charges = np.zeros(len(years))
    for k, n in zip(tar["phase"].astype(int), new_dw, strict=True):
        charges += np.where(years == starts[k], n * p.connection_charge_gbp_per_new_dwelling, 0.0)

    lines = inputs.capex_lines
    capex = np.zeros(len(years))
    sums = lines.groupby("phase")["total_gbp"].sum()
    for k, total in zip(sums.index.astype(int).tolist(), sums.astype(float).tolist(), strict=True):
        capex += np.where(years == starts[k], total, 0.0)
    cum_capex = np.cumsum(capex)
    replacement = _replacement(lines, starts, years, p)
    grant = _grant_by_year(lines, starts, years, p)
    om = (
        heat * (p.om_network_gbp_per_mwh + p.om_customer_gbp_per_mwh)
        + hp_kw * p.om_heat_pump_gbp_per_kw_per_a
        + cum_capex * p.om_pct_of_capex_per_a / 100.0
        + (heat > 0) * p.om_fixed_gbp_per_a
    )
    elec_cost = elec * p.electricity_price_p_per_kwh * 10.0 * i_elec
    gas_cost = gas * p.gas_price_p_per_kwh * 10.0 * i_gas
    rev_var = var_gbp * i_heat
    net = -capex - replacement + grant + charges + fix_gbp + rev_var - elec_cost - gas_cost - om

    grid = grid_carbon_g_per_kwh(years, series=p.grid_carbon_series)
    net_co2 = (elec * grid + gas * p.gas_co2e_g_per_kwh) / 1000.0
    # Business as usual: individual gas boilers, except new dwellings whose BAU is an ASHP
    # (gas boilers cannot be fitted in new homes) when bau_new_build = "ashp".
    new_heat = np.zeros(len(years))
    if p.bau_new_build == "ashp" and "new_dwellings" in tar:
        is_new = tar["new_dwellings"].fillna(0).to_numpy(float) > 0
        total_conn = tar["heat_demand_mwh_per_a"].to_numpy(float) @ conn_active
        new_conn = (tar["heat_demand_mwh_per_a"].to_numpy(float) * is_new) @ conn_active
        share = np.divide(new_conn, total_conn, out=np.zeros(len(years)), where=total_conn > 0)
        new_heat = heat * share
    bau_gas = (heat - new_heat) / (p.bau_boiler_efficiency_pct / 100.0)
    bau_co2 = (
        bau_gas * p.gas_co2e_g_per_kwh + new_heat / p.bau_new_build_ashp_scop * grid
    ) / 1000.0
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
    social = saved * cval + displaced_gas * p.air_quality_gbp_per_mwh_bau_gas
    t = years - years[0]
    return pd.DataFrame(
        {
            "year": years,
            "t": t,
            "capex_gbp": capex,
            "replacement_gbp": replacement,
            "grant_gbp": grant,
            "connection_charges_gbp": charges,
            "revenue_fixed_gbp": fix_gbp,
            "revenue_variable_gbp": rev_var,
            "electricity_cost_gbp": elec_cost,
            "gas_cost_gbp": gas_cost,
            "om_gbp": om,
            "net_cashflow_gbp": net,
            "cumulative_gbp": np.cumsum(net),
            "heat_sold_mwh": heat,
            "electricity_mwh": elec,
            "gas_mwh": gas,
            "grid_carbon_g_per_kwh": grid,
            "network_co2e_t": net_co2,
            "bau_co2e_t": bau_co2,
            "co2e_savings_t": saved,
            "carbon_value_gbp_per_t": cval,
            "social_benefit_gbp": social,
            "social_cashflow_gbp": net + social,
            "electricity_price_index": i_elec,
            "gas_price_index": i_gas,
            "heat_tariff_index": i_heat,
            "discount_factor": np.power(1.0 + p.discount_rate_pct / 100.0, -t.astype(float)),
        }
    )


def _pct(x: float | None) -> float | None:
    return None if x is None else 100.0 * x


def _counterfactual_lcoh(years: np.ndarray, params: EconomicsParams) -> dict[str, float]:
    """LCOH (GBP/MWh) of individual gas boiler, ASHP and GSHP (Wang 2018 eq. 1, Appendix A.1)."""
    p = params
    r = p.discount_rate_pct / 100.0
    t = years - years[0]
    disc = np.power(1.0 + r, -t.astype(float))
    heat_mwh = p.wang_household_heat_kwh_per_a / 1000.0
    gas_p = (
        p.counterfactual_gas_price_p_per_kwh * _pidx(p, "natural_gas", "residential", years) * 10.0
    )
    ele_p = (
        p.counterfactual_electricity_price_p_per_kwh
        * _pidx(p, "electricity", "residential", years)
        * 10.0
    )
    grid = grid_carbon_g_per_kwh(years, series=p.grid_carbon_series)
    cval = (
        carbon_values_gbp_per_t(
            years,
            scenario=p.carbon_value_scenario,
            growth_after_pct=p.carbon_value_growth_after_last_pct,
        )
        if p.carbon_value_scenario != "none" and p.lcoh_include_carbon
        else np.zeros(len(years))
    )
    out: dict[str, float] = {}
    for name, item, fuel_price, factor in (
        (
            "gas_boiler",
            "gas_boiler",
            gas_p,
            np.full(len(years), wang2018("gas_boiler", "carbon_intensity") * 1000.0),
        ),
        ("ashp", "air_source_heat_pump", ele_p, grid),
        ("gshp", "ground_source_heat_pump", ele_p, grid),
    ):
        capex = wang2018(item, "capital_cost")
        life = int(wang2018(item, "lifetime"))
        eff = wang2018(item, "efficiency") / 100.0
        capital = np.where(t % life == 0, capex, 0.0)
        fuel_mwh = heat_mwh / eff
        cost = (
            capital
            + wang2018(item, "om_cost")
            + fuel_mwh * fuel_price
            + fuel_mwh * factor / 1000.0 * cval
        )
        out[name] = float(np.dot(cost, disc) / np.dot(np.full(len(years), heat_mwh), disc))
    return out


def _grant_tests(
    inputs: EconomicsInputs,
    cf: pd.DataFrame,
    *,
    y1: float,
    social40: float | None,
    spf_value: float | None,
    p: EconomicsParams,
    tar: pd.DataFrame,
) -> pd.DataFrame:
    capex = float(cf["capex_gbp"].sum())
    grant = float(cf["grant_gbp"].sum())
    heat = cf["heat_sold_mwh"].to_numpy()
    first = int(np.argmax(heat > 0)) if np.any(heat > 0) else 0
    cap_award = (
        float(heat[first : first + p.ghnf_capped_award_years].sum())
        * 1000.0
        * p.ghnf_capped_award_p_per_kwh
        / 100.0
    )
    det = bool(
        np.all(tar["variable_tariff_p_per_kwh"] <= tar["current_variable_p_per_kwh"] + 1e-9)
        and np.all(tar["fixed_tariff_gbp_per_day"] <= tar["current_fixed_gbp_per_day"] + 1e-9)
    )
    dwell = (
        float(inputs.connections["dwellings"].fillna(0).sum())
        if "dwellings" in inputs.connections
        else 0.0
    )
    full_heat_gwh = float(heat.max()) / 1000.0
    spf = spf_value if spf_value is not None else float("nan")
    rows: list[tuple[str, str, float, float, str, bool]] = [
        (
            "GHNF",
            "carbon gate (year 1)",
            float(y1),
            p.ghnf_carbon_gate_g_per_kwh,
            "gCO2e/kWh <=",
            float(y1) <= p.ghnf_carbon_gate_g_per_kwh,
        ),
        (
            "GHNF",
            "customer detriment (sales <= counterfactual)",
            float(det),
            1.0,
            "all tariffs",
            det,
        ),
        (
            "GHNF",
            "social IRR 40 years",
            np.nan if social40 is None else float(social40),
            p.ghnf_min_social_irr_pct,
            "% >=",
            social40 is not None and float(social40) >= p.ghnf_min_social_irr_pct,
        ),
    ]
    if p.rural:
        rows.append(
            (
                "GHNF",
                "minimum demand (rural dwellings)",
                dwell,
                float(p.ghnf_min_dwellings_rural),
                "dwellings >=",
                dwell >= p.ghnf_min_dwellings_rural,
            )
        )
    else:
        rows.append(
            (
                "GHNF",
                "minimum demand (urban)",
                full_heat_gwh,
                p.ghnf_min_demand_gwh_per_a,
                "GWh/yr >=",
                full_heat_gwh >= p.ghnf_min_demand_gwh_per_a,
            )
        )
    share = 100.0 * grant / capex if capex > 0 else 0.0
    rows.append(
        (
            "GHNF",
            "grant share of CAPEX",
            share,
            p.ghnf_max_grant_share_pct,
            "% <",
            share < p.ghnf_max_grant_share_pct,
        )
    )
    rows.append(
        (
            "GHNF",
            f"capped award ({p.ghnf_capped_award_p_per_kwh} p/kWh x "
            f"{p.ghnf_capped_award_years} yr)",
            grant,
            cap_award,
            "GBP <=",
            grant <= cap_award,
        )
    )
    rows.append(
        (
            "LCHG",
            "carbon intensity (year 1)",
            float(y1),
            p.lchg_max_carbon_g_per_kwh,
            "gCO2e/kWh <",
            float(y1) < p.lchg_max_carbon_g_per_kwh,
        )
    )
    rows.append(
        ("LCHG", "heat pump SCOP", spf, p.lchg_min_scop, ">=", bool(spf >= p.lchg_min_scop))
    )
    rows.append(
        (
            "LCHG",
            "grant share of CAPEX",
            share,
            p.lchg_max_grant_pct,
            "% <=",
            share <= p.lchg_max_grant_pct,
        )
    )
    return pd.DataFrame(rows, columns=["scheme", "test", "value", "threshold", "rule", "passed"])


def _spf(inputs: EconomicsInputs) -> float | None:
    ph = inputs.phases
    if "heat_pump_heat_mwh_per_a" not in ph:
        return None
    e = float(ph["electricity_mwh_per_a"].sum())
    return float(ph["heat_pump_heat_mwh_per_a"].sum()) / e if e > 0 else None


def evaluate(
    inputs: EconomicsInputs, *, params: EconomicsParams | None = None, sensitivities: bool = True
) -> EconomicsResult:
    """Run the techno-economic model.

    Parameters
    ----------
    inputs
        CAPEX lines, per-phase energy figures and connections.
    params
        Model parameters.
    sensitivities
        Also compute the one-at-a-time sensitivity table (about 25 extra model runs).

    Returns
    -------
    result
        Cashflow, NPV/IRR/social NPV/IRR/payback/net income per horizon, LCOH and the
        counterfactual LCOHs, carbon, grant tests, grant for target IRRs and sensitivities.

    Examples
    --------
    The network of :func:`cashflow`'s example:

    >>> import pandas as pd
    >>> from heatmap.economics.appraisal import EconomicsInputs
    >>> inputs = EconomicsInputs(
    ...     capex_lines=pd.DataFrame({"phase": [1, 1], "category": ["heat_pump", "network"],
    ...                               "item": ["hp", "spine"], "total_gbp": [1.0e6, 3.0e6]}),
    ...     phases=pd.DataFrame({"phase": [1], "start_year": [2024],
    ...                          "heat_sold_mwh_per_a": [5000.0], "electricity_mwh_per_a": [1800.0],
    ...                          "gas_mwh_per_a": [200.0]}),
    ...     connections=pd.DataFrame({"name": ["school", "estate"], "phase": [1, 1],
    ...                               "counterfactual": ["ashp", "gas_boiler"],
    ...                               "heat_demand_mwh_per_a": [3000.0, 2000.0],
    ...                               "peak_kw": [1200.0, 800.0], "dwellings": [0, 150]}))
    >>> from heatmap.economics.appraisal import evaluate
    >>> res = evaluate(inputs, sensitivities=False)
    >>> {h: round(v, 2) for h, v in res.irr_pct.items()}  # % a year by horizon (years)
    {25: 3.43, 30: 4.44, 40: 5.43}
    >>> res.payback_years[25], round(res.lcoh_gbp_per_mwh, 1)
    (17, 142.2)
    """
    p = params or EconomicsParams()
    cf = cashflow(inputs, params=p)
    r = p.discount_rate_pct / 100.0
    net = cf["net_cashflow_gbp"].to_numpy()
    soc = cf["social_cashflow_gbp"].to_numpy()
    npv_h, irr_h, snpv_h, sirr_h, pay_h, inc_h, sav_h, emi_h = ({} for _ in range(8))
    for h in sorted(p.horizons_years):
        npv_h[h] = npv(r, net[:h])
        irr_h[h] = _pct(irr(net[:h]))
        snpv_h[h] = npv(r, soc[:h])
        sirr_h[h] = _pct(irr(soc[:h]))
        pay_h[h] = simple_payback_years(net[:h])
        inc_h[h] = float(net[:h].sum())
        sav_h[h] = float(cf["co2e_savings_t"].iloc[:h].sum())
        emi_h[h] = float(cf["network_co2e_t"].iloc[:h].sum())
    heat = cf["heat_sold_mwh"].to_numpy()
    sold = heat > 0
    if not np.any(sold):
        msg = "phases: no heat sold in any year; give heat_sold_mwh_per_a > 0"
        raise InputError(msg)
    first = int(np.argmax(sold))
    co2 = cf["network_co2e_t"].to_numpy()
    intensity = {
        "year1": float(co2[first] / heat[first] * 1000.0),
        "average": float(co2[sold].sum() / heat[sold].sum() * 1000.0),
    }
    disc = cf["discount_factor"].to_numpy()
    cost = (
        cf["capex_gbp"]
        + cf["replacement_gbp"]
        + cf["om_gbp"]
        + cf["electricity_cost_gbp"]
        + cf["gas_cost_gbp"]
    ).to_numpy()
    if p.lcoh_include_carbon:
        cost = cost + co2 * cf["carbon_value_gbp_per_t"].to_numpy()
    lcoh = float(np.dot(cost, disc) / np.dot(heat, disc))
    hmax = max(p.horizons_years)
    base_no_grant = cashflow(inputs, params=replace(p, grant_gbp=None, grant_pct=None))[
        "net_cashflow_gbp"
    ].to_numpy()[:hmax]
    grant_needed = {
        float(tgt): max(0.0, -npv(tgt / 100.0, base_no_grant)) for tgt in p.target_irrs_pct
    }
    tar = tariffs(inputs.connections, params=p)
    tests = _grant_tests(
        inputs,
        cf,
        y1=intensity["year1"],
        social40=sirr_h.get(40, sirr_h[hmax]),
        spf_value=_spf(inputs),
        p=p,
        tar=tar,
    )
    capex_by_phase = inputs.capex_lines.pivot_table(
        index="category", columns="phase", values="total_gbp", aggfunc="sum", fill_value=0.0
    )
    return EconomicsResult(
        cashflow=cf,
        npv_gbp=npv_h,
        irr_pct=irr_h,
        social_npv_gbp=snpv_h,
        social_irr_pct=sirr_h,
        payback_years=pay_h,
        net_income_gbp=inc_h,
        lcoh_gbp_per_mwh=lcoh,
        counterfactual_lcoh_gbp_per_mwh=_counterfactual_lcoh(cf["year"].to_numpy(), p),
        co2_savings_t=sav_h,
        network_co2e_t=emi_h,
        co2_savings_t_per_a=float(cf["co2e_savings_t"].iloc[:hmax].mean()),
        carbon_intensity_g_per_kwh=intensity,
        grant_tests=tests,
        grant_for_target_irr_gbp=grant_needed,
        tariffs=tar,
        capex_by_phase=capex_by_phase,
        sensitivities=sensitivity_table(inputs, params=p) if sensitivities else pd.DataFrame(),
        params=p,
    )


def _scaled(
    inputs: EconomicsInputs,
    *,
    capex: dict[str, float] | None = None,
    demand: float = 1.0,
    drop: list[str] | None = None,
) -> EconomicsInputs:
    lines = inputs.capex_lines.copy()
    if capex:
        for cat, f in capex.items():
            lines.loc[lines["category"] == cat, "total_gbp"] *= f
    phases = inputs.phases.copy()
    conns = inputs.connections.copy()
    if demand != 1.0:
        for col in (
            "heat_sold_mwh_per_a",
            "electricity_mwh_per_a",
            "gas_mwh_per_a",
            "heat_pump_heat_mwh_per_a",
        ):
            if col in phases:
                phases[col] = phases[col] * demand
        conns["heat_demand_mwh_per_a"] = conns["heat_demand_mwh_per_a"] * demand
    if drop:
        gone = conns[conns["name"].isin(drop)]
        for k, g in gone.groupby("phase"):
            frac = g["heat_demand_mwh_per_a"].sum() / max(
                conns.loc[conns["phase"] == k, "heat_demand_mwh_per_a"].sum(), 1e-9
            )
            m = phases["phase"] == k
            for col in (
                "heat_sold_mwh_per_a",
                "electricity_mwh_per_a",
                "gas_mwh_per_a",
                "heat_pump_heat_mwh_per_a",
            ):
                if col in phases:
                    phases.loc[m, col] *= 1.0 - frac
        conns = conns[~conns["name"].isin(drop)]
    return EconomicsInputs(capex_lines=lines, phases=phases, connections=conns)


def _shift_to_boilers(
    inputs: EconomicsInputs,
    *,
    spf_new: float | None = None,
    weeks_lost: float = 0.0,
    boiler_eff: float = 0.9,
) -> EconomicsInputs:
    phases = inputs.phases.copy()
    hp = phases["heat_pump_heat_mwh_per_a"].to_numpy(float)
    elec = phases["electricity_mwh_per_a"].to_numpy(float)
    spf = np.where(elec > 0, hp / np.where(elec > 0, elec, 1.0), 1.0)
    moved = hp * weeks_lost / 52.0
    new_spf = spf if spf_new is None else np.full(len(hp), spf_new)
    phases["heat_pump_heat_mwh_per_a"] = hp - moved
    phases["electricity_mwh_per_a"] = (hp - moved) / new_spf
    phases["gas_mwh_per_a"] = phases["gas_mwh_per_a"] + moved / boiler_eff
    return EconomicsInputs(
        capex_lines=inputs.capex_lines, phases=phases, connections=inputs.connections
    )


def sensitivity_table(
    inputs: EconomicsInputs,
    *,
    params: EconomicsParams | None = None,
    horizon_years: int | None = None,
) -> pd.DataFrame:
    """One-at-a-time sensitivities of NPV and IRR at ``horizon_years`` (default: the longest).

    Parameters
    ----------
    inputs
        Base-case inputs.
    params
        Base-case parameters (ranges from its ``sensitivity_*`` fields).
    horizon_years
        Horizon for the NPV/IRR reported.

    Returns
    -------
    table
        Columns parameter, case, npv_gbp, irr_pct, delta_npv_gbp, delta_irr_pct; first row base.

    Examples
    --------
    The network of :func:`cashflow`'s example at 25 years:

    >>> import pandas as pd
    >>> from heatmap.economics.appraisal import EconomicsInputs
    >>> inputs = EconomicsInputs(
    ...     capex_lines=pd.DataFrame({"phase": [1, 1], "category": ["heat_pump", "network"],
    ...                               "item": ["hp", "spine"], "total_gbp": [1.0e6, 3.0e6]}),
    ...     phases=pd.DataFrame({"phase": [1], "start_year": [2024],
    ...                          "heat_sold_mwh_per_a": [5000.0], "electricity_mwh_per_a": [1800.0],
    ...                          "gas_mwh_per_a": [200.0]}),
    ...     connections=pd.DataFrame({"name": ["school", "estate"], "phase": [1, 1],
    ...                               "counterfactual": ["ashp", "gas_boiler"],
    ...                               "heat_demand_mwh_per_a": [3000.0, 2000.0],
    ...                               "peak_kw": [1200.0, 800.0], "dwellings": [0, 150]}))
    >>> from heatmap.economics.appraisal import sensitivity_table
    >>> t = sensitivity_table(inputs, horizon_years=25)
    >>> t.iloc[0]["case"], round(float(t.iloc[0]["irr_pct"]), 2), float(t.iloc[0]["delta_npv_gbp"])
    ('base case', 3.43, 0.0)
    """
    p = params or EconomicsParams()
    h = horizon_years or max(p.horizons_years)
    cases: list[tuple[str, str, EconomicsInputs, EconomicsParams]] = [
        ("base", "base case", inputs, p)
    ]
    c = p.sensitivity_capex_pct / 100.0
    for cat in sorted(inputs.capex_lines["category"].astype(str).unique()):
        for sign in (-1, 1):
            cases.append(
                (
                    f"CAPEX {cat}",
                    f"{sign * p.sensitivity_capex_pct:+.0f} %",
                    _scaled(inputs, capex={cat: 1 + sign * c}),
                    p,
                )
            )
    d = p.sensitivity_demand_pct / 100.0
    for sign in (-1, 1):
        cases.append(
            (
                "heat demand",
                f"{sign * p.sensitivity_demand_pct:+.0f} %",
                _scaled(inputs, demand=1 + sign * d),
                p,
            )
        )
        f = 1 + sign * p.sensitivity_price_pct / 100.0
        cases.append(
            (
                "electricity price",
                f"{sign * p.sensitivity_price_pct:+.0f} %",
                inputs,
                replace(p, electricity_price_p_per_kwh=p.electricity_price_p_per_kwh * f),
            )
        )
        cases.append(
            (
                "gas price",
                f"{sign * p.sensitivity_price_pct:+.0f} %",
                inputs,
                replace(p, gas_price_p_per_kwh=p.gas_price_p_per_kwh * f),
            )
        )
        ft = 1 + sign * p.sensitivity_tariff_pct / 100.0
        conns = tariffs(inputs.connections, params=p)
        conns = conns.assign(
            variable_tariff_p_per_kwh=conns["variable_tariff_p_per_kwh"] * ft,
            fixed_tariff_gbp_per_day=conns["fixed_tariff_gbp_per_day"] * ft,
        )
        cases.append(
            (
                "heat tariffs",
                f"{sign * p.sensitivity_tariff_pct:+.0f} %",
                replace(inputs, connections=conns),
                p,
            )
        )
    conns = inputs.connections
    nd = (
        conns[conns["non_domestic"].astype(bool)]
        if "non_domestic" in conns
        else conns[conns["counterfactual"] == "ashp"]
    )
    key = nd.nlargest(p.sensitivity_key_loads, "heat_demand_mwh_per_a")["name"].tolist()
    if key:
        cases.append(
            ("key loads not connecting", ", ".join(map(str, key)), _scaled(inputs, drop=key), p)
        )
    spf = _spf(inputs)
    if spf is not None:
        for sign in (-1, 1):
            s_new = spf + sign * p.sensitivity_spf_delta
            cases.append(
                (
                    "heat pump SPF",
                    f"{s_new:.2f}",
                    _shift_to_boilers(
                        inputs, spf_new=s_new, boiler_eff=p.boiler_efficiency_pct / 100.0
                    ),
                    p,
                )
            )
        cases.append(
            (
                "heat pump availability",
                f"-{p.sensitivity_availability_weeks:g} weeks/yr",
                _shift_to_boilers(
                    inputs,
                    weeks_lost=p.sensitivity_availability_weeks,
                    boiler_eff=p.boiler_efficiency_pct / 100.0,
                ),
                p,
            )
        )
    for rate in p.sensitivity_discount_rates_pct:
        cases.append(("discount rate", f"{rate:g} %", inputs, replace(p, discount_rate_pct=rate)))
    for scen in ("low", "high"):
        try:
            price_index(
                "electricity",
                p.electricity_price_sector,
                np.array([p.price_base_year]),
                scenario=scen,
                base_year=p.price_base_year,
                fixed_rate_pct=0.0,
                hold_after=True,
            )
        except InputError:
            logger.info("sensitivity: BEIS %s price scenario not in the price table; skipped", scen)
            continue
        cases.append(("price indexation", f"BEIS {scen}", inputs, replace(p, price_scenario=scen)))
    for rate in (0.0, 2.5):
        cases.append(
            (
                "price indexation",
                f"fixed {rate:g} %",
                inputs,
                replace(p, price_scenario="fixed", fixed_indexation_pct=rate),
            )
        )
    rows = []
    for name, case, inp, par in cases:
        net = cashflow(inp, params=par)["net_cashflow_gbp"].to_numpy()[:h]
        rows.append((name, case, npv(par.discount_rate_pct / 100.0, net), _pct(irr(net))))
    out = pd.DataFrame(rows, columns=["parameter", "case", "npv_gbp", "irr_pct"])
    order = {name: i for i, name in enumerate(dict.fromkeys(out["parameter"]))}
    out = out.iloc[np.argsort(out["parameter"].map(order).to_numpy(), kind="stable")]
    out = out.reset_index(drop=True)
    out["delta_npv_gbp"] = out["npv_gbp"] - out["npv_gbp"].iloc[0]
    base_irr = out["irr_pct"].iloc[0]
    out["delta_irr_pct"] = [
        None if (v is None or base_irr is None or pd.isna(v)) else v - base_irr
        for v in out["irr_pct"]
    ]
    return out
