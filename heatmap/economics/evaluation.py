"""Evaluate a scheme: NPV/IRR/LCOH by horizon, carbon, grant tests and sensitivities.

Methods follow the Killingworth Heat Network Feasibility Study (SEL 2022, sections 8-10 and
Appendix 3) and Wang (2018, eq. 1) for the levelised cost of heat:

- heat sales tariffs from each connection's counterfactual (study Table 40): fixed GBP/day from
  the counterfactual's annual replacement + maintenance cost, variable p/kWh from fuel price ÷
  efficiency, both less a discount (3 %);
- a yearly cashflow from the first phase's start year: CAPEX by phase, replacement by lifetime
  (Table 45), O&M, electricity and gas purchase indexed by BEIS projections (Table 47) or a fixed
  rate, heat sales, connection charges and grant; NPV at 3.5 %, IRR, simple payback, net income
  over 25/30/40 years; a social cashflow adding carbon saved (valued with the UK appraisal series)
  and air-quality benefits;
- carbon year by year (grid factors Table 48, gas Table 49) against individual gas boilers at 80 %;
- GHNF and Welsh LCHG tests, the grant for target IRRs, and one-at-a-time sensitivities.

Conventions: money in GBP (real, price base year of the tariffs), year 0 = first year of the
cashflow, cashflows at year ends of the calendar years ``start_year + t``; NPV discounts year
t by ``(1 + r)^t`` (spreadsheet ``=CF0 + NPV(r, CF1:CFn)``).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from heatmap.economics._types import EconomicsInputs, EconomicsResult
from heatmap.economics.cashflows import cashflow, indexed_price, net_to_horizon, spf_of
from heatmap.economics.finance import irr, npv, simple_payback_years
from heatmap.economics.grant_tests import grant_tests
from heatmap.economics.params import EconomicsParams
from heatmap.economics.replacements import residual_value_gbp
from heatmap.economics.sales_tariffs import tariffs
from heatmap.economics.sensitivity import sensitivity_table
from heatmap.economics.tables import carbon_values_gbp_per_t, grid_carbon_g_per_kwh, wang2018
from heatmap.errors import InputError

__all__ = ["evaluate"]


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
        p.counterfactual_gas_price_p_per_kwh
        * indexed_price(p, "natural_gas", "residential", years)
        * 10.0
    )
    ele_p = (
        p.counterfactual_electricity_price_p_per_kwh
        * indexed_price(p, "electricity", "residential", years)
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
    >>> from heatmap.economics import EconomicsInputs, evaluate
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
    >>> res = evaluate(inputs, sensitivities=False)
    >>> {h: round(v, 2) for h, v in res.irr_pct.items()}  # % a year by horizon (years)
    {25: 5.47, 30: 5.65, 40: 5.98}
    >>> res.payback_years[25], round(res.lcoh_gbp_per_mwh, 1)  # financial costs only
    (15, 127.6)
    >>> round(res.lcoh_with_carbon_gbp_per_mwh, 1)  # plus the network's carbon, valued
    136.5

    The 25-year horizon ends in 2048 with the heat pump replaced in 2044 (16 of its 20 years
    left) and the network bought in 2024 (26 of 50 years left): 0.8 x 1m + 0.52 x 3m.

    >>> res.residual_value_gbp[25]
    2360000.0
    """
    p = params or EconomicsParams()
    cf = cashflow(inputs, params=p)
    r = p.discount_rate_pct / 100.0
    npv_h, irr_h, snpv_h, sirr_h, pay_h, inc_h, sav_h, emi_h = ({} for _ in range(8))
    for h in sorted(p.horizons_years):
        net_h = net_to_horizon(cf, inputs, p, h)
        soc_h = net_to_horizon(cf, inputs, p, h, "social_cashflow_gbp")
        npv_h[h] = npv(r, net_h)
        irr_h[h] = _pct(irr(net_h))
        snpv_h[h] = npv(r, soc_h)
        sirr_h[h] = _pct(irr(soc_h))
        pay_h[h] = simple_payback_years(net_h)
        inc_h[h] = float(net_h.sum())
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
        - cf["residual_value_gbp"]
        + cf["om_gbp"]
        + cf["electricity_cost_gbp"]
        + cf["pumping_cost_gbp"]
        + cf["gas_cost_gbp"]
    ).to_numpy()
    lcoh = float(np.dot(cost, disc) / np.dot(heat, disc))
    carbon_cost = co2 * cf["carbon_value_gbp_per_t"].to_numpy()
    lcoh_carbon = float(np.dot(cost + carbon_cost, disc) / np.dot(heat, disc))
    hmax = max(p.horizons_years)
    starts = dict(
        zip(
            inputs.phases["phase"].astype(int).tolist(),
            inputs.phases["start_year"].astype(int).tolist(),
            strict=True,
        )
    )
    no_grant = replace(p, grant_gbp=None, grant_pct=None)
    base_no_grant = net_to_horizon(cashflow(inputs, params=no_grant), inputs, no_grant, hmax)
    grant_needed = {
        float(tgt): max(0.0, -npv(tgt / 100.0, base_no_grant)) for tgt in p.target_irrs_pct
    }
    tar = tariffs(inputs.connections, params=p)
    tests = grant_tests(
        inputs,
        cf,
        y1=intensity["year1"],
        social40=sirr_h.get(40, sirr_h[hmax]),
        spf_value=spf_of(inputs),
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
        lcoh_with_carbon_gbp_per_mwh=lcoh_carbon,
        counterfactual_lcoh_gbp_per_mwh=_counterfactual_lcoh(cf["year"].to_numpy(), p),
        co2_savings_t=sav_h,
        network_co2e_t=emi_h,
        residual_value_gbp={
            h: residual_value_gbp(
                inputs.capex_lines,
                starts,
                int(cf["year"].iloc[min(h, len(cf)) - 1]),
                p,
            )
            for h in p.horizons_years
        },
        co2_savings_t_per_a=float(cf["co2e_savings_t"].iloc[:hmax].mean()),
        co2_savings_t_per_a_average=float(cf["co2e_savings_t"].iloc[first:hmax].mean()),
        co2_savings_t_year1=float(cf["co2e_savings_t"].iloc[first]),
        carbon_intensity_g_per_kwh=intensity,
        grant_tests=tests,
        grant_for_target_irr_gbp=grant_needed,
        tariffs=tar,
        capex_by_phase=capex_by_phase,
        sensitivities=sensitivity_table(inputs, params=p) if sensitivities else pd.DataFrame(),
        params=p,
    )
