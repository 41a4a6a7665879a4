"""Replacements, residual values and a consistent appraisal, checked against hand-worked cases.

Every expected number here is worked by hand in the comments (validations: nothing was fitted).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from heatmap._params import params_from_mapping
from heatmap.economics import EconomicsInputs, EconomicsParams, cashflow, evaluate
from heatmap.economics.replacements import lifetimes_years, replacement_gbp, residual_value_gbp
from heatmap.economics.tables import load_table
from heatmap.errors import ConfigError


def _one_heat_pump(**phase_cols: float) -> EconomicsInputs:
    """A GBP 1m heat pump bought in 2030 selling 1,000 MWh a year to one school."""
    phases = {
        "phase": [1],
        "start_year": [2030],
        "heat_sold_mwh_per_a": [1000.0],
        "electricity_mwh_per_a": [300.0],
        "gas_mwh_per_a": [0.0],
    }
    phases.update({k: [v] for k, v in phase_cols.items()})
    return EconomicsInputs(
        capex_lines=pd.DataFrame(
            {
                "phase": [1],
                "category": ["energy_centre"],
                "component": ["heat_pumps"],
                "item": ["heat pump"],
                "total_gbp": [1.0e6],
            }
        ),
        phases=pd.DataFrame(phases),
        connections=pd.DataFrame(
            {
                "name": ["school"],
                "phase": [1],
                "counterfactual": ["ashp"],
                "heat_demand_mwh_per_a": [1000.0],
                "peak_kw": [500.0],
            }
        ),
    )


def test_heat_pump_replaced_at_end_of_life_at_indexed_price_with_residual() -> None:
    """A 20-year heat pump bought in year 0 is bought again in year 20 at the indexed price.

    Escalation 2 %/yr: 1,000,000 x 1.02^20 = 1,485,947.40 in year 20 (2050). At a 30-year
    horizon (years 0-29, 2030-2059) that replacement has served 9 of its 20 years (2051-2059):
    residual = 1,485,947.40 x 11 / 20 = 817,271.07.
    """
    p = EconomicsParams(
        replacement_method="lump_sum",
        replacement_cost_escalation_pct=2.0,
        horizons_years=(30,),
    )
    cf = cashflow(_one_heat_pump(), params=p)
    spent = cf.loc[cf["replacement_gbp"] > 0, ["t", "replacement_gbp"]]
    assert spent["t"].tolist() == [20]
    assert spent["replacement_gbp"].iloc[0] == pytest.approx(1_485_947.40, abs=0.01)
    assert cf["residual_value_gbp"].iloc[-1] == pytest.approx(817_271.07, abs=0.01)
    assert cf["residual_value_gbp"].iloc[:-1].eq(0.0).all()
    res = evaluate(_one_heat_pump(), params=p, sensitivities=False)
    assert res.residual_value_gbp[30] == pytest.approx(817_271.07, abs=0.01)
    # the NPV counts the residual at the end of year 29
    net = cf["net_cashflow_gbp"].to_numpy()
    assert res.npv_gbp[30] == pytest.approx(float(np.sum(net / 1.035 ** np.arange(30))))


def test_residual_at_a_shorter_horizon_and_annualised_method() -> None:
    """At 25 years (2054) the replacement of 2050 has 16 of 20 years left: 0.8 x price."""
    lines = _one_heat_pump().capex_lines
    p = EconomicsParams(replacement_cost_escalation_pct=0.0)
    assert residual_value_gbp(lines, {1: 2030}, 2054, p) == pytest.approx(800_000.0)
    # at 2049 the first heat pump has 1 of 20 years left
    assert residual_value_gbp(lines, {1: 2030}, 2049, p) == pytest.approx(50_000.0)
    annual = EconomicsParams(replacement_method="annualised")
    out = replacement_gbp(lines, {1: 2030}, np.arange(2030, 2040), annual)
    assert out.tolist() == [0.0] + [50_000.0] * 9  # 1m / 20 a year after purchase
    assert residual_value_gbp(lines, {1: 2030}, 2054, annual) == 0.0


def test_pipeline_capex_components_all_have_bundled_lifetimes() -> None:
    from heatmap.design import REPLACEMENT_COMPONENTS

    table = load_table("lifetimes_years")
    assert sorted(table["component"]) == sorted(REPLACEMENT_COMPONENTS)
    life = lifetimes_years(EconomicsParams())
    assert (life["heat_pumps"], life["boilers"], life["substations"]) == (20.0, 30.0, 20.0)


def test_lifetime_key_matching_no_component_is_an_error() -> None:
    with pytest.raises(ValueError, match=r"heat_pump'.*matches no CAPEX component"):
        EconomicsParams(lifetimes_years={"heat_pump": 20.0})
    with pytest.raises(ConfigError, match="lifetimes_years"):
        params_from_mapping(EconomicsParams, {"lifetimes_years": {"building_connection": 20.0}})


def test_revenue_starts_after_the_construction_period() -> None:
    cf = cashflow(_one_heat_pump(), params=EconomicsParams(construction_years=2))
    first = cf.loc[cf["revenue_variable_gbp"] > 0, "t"].min()
    assert first == 2
    assert cf["capex_gbp"].iloc[0] == 1.0e6
    assert (
        cf.loc[cf["t"] < 2, ["electricity_cost_gbp", "om_gbp", "heat_sold_mwh"]].eq(0).all().all()
    )


def test_tariff_and_carbon_use_the_same_counterfactual() -> None:
    """ASHP customer: tariff 21 p / CoP 2 less 3 %; carbon 1,000 MWh / 2 x grid factor."""
    p = EconomicsParams(construction_years=0)
    res = evaluate(_one_heat_pump(), params=p, sensitivities=False)
    assert res.tariffs["current_variable_p_per_kwh"].iloc[0] == pytest.approx(21.0 / 2.0)
    row = res.cashflow.iloc[0]
    assert row["bau_co2e_t"] == pytest.approx(1000.0 / 2.0 * row["grid_carbon_g_per_kwh"] / 1000)
    # the same connection against a gas boiler: tariff and carbon both switch
    gas = _one_heat_pump()
    gas = EconomicsInputs(
        gas.capex_lines,
        gas.phases,
        gas.connections.assign(counterfactual="gas_boiler", dwellings=10),
    )
    res_gas = evaluate(gas, params=p, sensitivities=False)
    assert res_gas.tariffs["current_variable_p_per_kwh"].iloc[0] == pytest.approx(10.3 / 0.8)
    assert res_gas.cashflow["bau_co2e_t"].iloc[0] == pytest.approx(1000.0 / 0.8 * 183.9 / 1000)


def test_pumping_electricity_is_costed_and_lcoh_reported_with_and_without_carbon() -> None:
    """120 MWh of pumping at 21 p/kWh x the 2031 electricity index."""
    p = EconomicsParams()
    with_pumps = evaluate(
        _one_heat_pump(pumping_electricity_mwh_per_a=120.0), params=p, sensitivities=False
    )
    without = evaluate(_one_heat_pump(), params=p, sensitivities=False)
    cf = with_pumps.cashflow
    row = cf.iloc[1]
    assert row["pumping_cost_gbp"] == pytest.approx(120.0 * 210.0 * row["electricity_price_index"])
    assert cf["pumping_cost_gbp"].iloc[0] == 0.0  # construction year
    assert with_pumps.npv_gbp[40] < without.npv_gbp[40]
    assert with_pumps.lcoh_gbp_per_mwh > without.lcoh_gbp_per_mwh
    summary = with_pumps.summary()
    assert summary["lcoh_gbp_per_mwh"] == with_pumps.lcoh_gbp_per_mwh
    assert summary["lcoh_with_carbon_gbp_per_mwh"] > summary["lcoh_gbp_per_mwh"]
    assert summary["co2_savings_t_year1"] == pytest.approx(cf["co2e_savings_t"].iloc[1])
    assert summary["co2_savings_t_per_a_average"] == pytest.approx(
        cf["co2e_savings_t"].iloc[1:].mean()
    )


def test_dispatch_price_factor_scales_the_electricity_cost() -> None:
    """A day/night dispatch paying 90 % of the flat price: electricity costs 0.9 x 300 x 210."""
    base = evaluate(_one_heat_pump(), sensitivities=False).cashflow.iloc[1]
    tou = evaluate(_one_heat_pump(electricity_price_factor=0.9), sensitivities=False).cashflow.iloc[
        1
    ]
    assert base["electricity_cost_gbp"] == pytest.approx(
        300.0 * 210.0 * base["electricity_price_index"]
    )
    assert tou["electricity_cost_gbp"] == pytest.approx(0.9 * base["electricity_cost_gbp"])
