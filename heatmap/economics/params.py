"""Parameters of the techno-economic model, scenario table ``[economics]``."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from heatmap._params import param_field
from heatmap.design import REPLACEMENT_COMPONENTS

__all__ = ["EconomicsParams"]

_K = "Killingworth study"


@dataclass(frozen=True)
class EconomicsParams:
    """Parameters of the techno-economic model (scenario table ``[economics]``)."""

    discount_rate_pct: float = param_field(
        3.5, "discount rate for NPV, % per year", f"{_K} glossary (Green Book)"
    )
    horizons_years: tuple[int, ...] = param_field(
        (25, 30, 40), "appraisal horizons, years", f"{_K} Table 24"
    )
    start_year: int | None = param_field(
        None, "first cashflow year; None = earliest phase start year", f"{_K} Table 23 (2024)"
    )
    phase_start_years: tuple[int, ...] = param_field(
        (),
        "start year of each build phase (phase 1 first); empty = phase 1 in start_year "
        "(else the year after next) and each later phase phase_interval_years later",
        f"{_K} Table 23 (2024, 2026, 2028)",
    )
    phase_interval_years: int = param_field(
        2,
        "years between the starts of consecutive phases when phase_start_years is empty",
        f"{_K} Table 23 (phases start 2024, 2026, 2028)",
    )
    price_scenario: Literal["central", "low", "high", "fixed"] = param_field(
        "central",
        "energy price indexation: BEIS projection scenario or a fixed rate",
        f"{_K} 8.4, Table 32",
    )
    fixed_indexation_pct: float = param_field(
        0.0, "price indexation when price_scenario = 'fixed', % per year", f"{_K} Table 32"
    )
    price_base_year: int = param_field(
        2022, "year in which the tariffs below are quoted (index = 1)", f"{_K} 8.2.2 (Oct 2022)"
    )
    hold_prices_after_last_year: bool = param_field(
        True,
        "hold projected prices constant after the last tabulated year (Table 47 ends 2035)",
        "modelling choice",
    )
    electricity_price_p_per_kwh: float = param_field(
        21.0, "energy-centre electricity price in the base year, p/kWh", f"{_K} 10.1.4"
    )
    gas_price_p_per_kwh: float = param_field(
        7.5, "energy-centre gas price in the base year, p/kWh", f"{_K} 10.1.4"
    )
    electricity_price_sector: Literal["industrial", "services", "residential"] = param_field(
        "services", "Table 47 sector used to index energy-centre electricity", "modelling choice"
    )
    gas_price_sector: Literal["industrial", "services", "residential"] = param_field(
        "services", "Table 47 sector used to index energy-centre gas", "modelling choice"
    )
    heat_tariff_index_sector: Literal["industrial", "services", "residential"] = param_field(
        "residential",
        "Table 47 sector of the projection indexing the variable heat tariff",
        "modelling choice (customers' counterfactual fuel is bought at residential rates)",
    )
    heat_tariff_index_fuel: Literal["gas", "electricity", "none"] = param_field(
        "gas",
        "fuel whose projection indexes the variable heat tariff (fixed tariff constant)",
        f"{_K} 10.1.4",
    )
    tariff_discount_pct: float = param_field(
        3.0, "heat sales tariff discount against the counterfactual, %", f"{_K} 10.1.4"
    )
    connection_charge_gbp_per_new_dwelling: float = param_field(
        8125.0, "connection charge per new dwelling, GBP", f"{_K} 8.3.1"
    )
    counterfactual_gas_price_p_per_kwh: float = param_field(
        10.3, "residential gas unit rate, p/kWh", f"{_K} Table 41"
    )
    counterfactual_boiler_efficiency_pct: float = param_field(
        80.0, "counterfactual gas boiler efficiency (tariff and carbon), %", f"{_K} Table 43"
    )
    counterfactual_gas_fixed_gbp_per_dwelling_per_day: float = param_field(
        0.9425,
        "gas counterfactual fixed cost per dwelling, GBP/day",
        f"{_K} Table 43 (fixed tariff ÷ social dwellings)",
    )
    ashp_electricity_price_p_per_kwh: float = param_field(
        21.0, "ASHP counterfactual electricity price, p/kWh", f"{_K} Table 40"
    )
    ashp_cop: float = param_field(
        2.0, "ASHP counterfactual CoP (tariff and carbon)", f"{_K} Table 40 (result 10.5 = 21/2)"
    )
    ashp_capacity_factor: float = param_field(
        1.2, "ASHP capacity ÷ peak (2 units at 60 %)", f"{_K} Table 40"
    )
    ashp_capacity_round_kw: float = param_field(
        10.0, "ASHP capacity rounded up to this step, kW", f"{_K} Table 42"
    )
    ashp_replacement_gbp_per_kw_per_a: float = param_field(
        23400.0 / 720.0,
        "ASHP annualised replacement cost, GBP/kW/yr",
        f"{_K} Table 40 (23,400 / 720 kW)",
    )
    ashp_maintenance_gbp_per_kw_per_a: float = param_field(
        15000.0 / 720.0, "ASHP maintenance cost, GBP/kW/yr", f"{_K} Table 40 (15,000 / 720 kW)"
    )
    om_network_gbp_per_mwh: float = param_field(
        0.6, "network maintenance per MWh sold, GBP/MWh", "Wang 2018 Appendix A.2"
    )
    om_customer_gbp_per_mwh: float = param_field(
        12.4, "HIU + heat-meter maintenance per MWh sold, GBP/MWh", "Wang 2018 A.2 (9 + 3.4)"
    )
    om_heat_pump_gbp_per_kw_per_a: float = param_field(
        1.0, "large heat pump O&M, GBP/kW/yr", "Wang 2018 Appendix A.2"
    )
    om_fixed_gbp_per_a: float = param_field(
        0.0, "other fixed O&M (staff, billing, insurance), GBP/yr", "none given in the study"
    )
    om_pct_of_capex_per_a: float = param_field(
        0.0, "O&M as % of cumulative CAPEX per year", "none given in the study"
    )
    lifetimes_years: Mapping[str, float] = param_field(
        {},
        "replacement lifetime overrides by CAPEX component (heat_pumps, boilers, thermal_store, "
        "pumps, substations, network), years; unlisted components keep the bundled "
        "econ_lifetimes_years.csv",
        f"{_K} Table 45 (heat pumps 20, boilers 30, connections 20); others in the CSV",
    )
    replacement_method: Literal["annualised", "lump_sum"] = param_field(
        "lump_sum",
        "replacement as a lump sum at end of life (with a residual value at each horizon) or a "
        "yearly sinking fund",
        "HM Treasury Green Book (residual values); the study annualises (8.3)",
    )
    replacement_cost_escalation_pct: float = param_field(
        0.0,
        "real escalation of replacement prices from the year an item was bought, % per year",
        "Green Book: constant real prices (0 %)",
    )
    construction_years: int = param_field(
        1,
        "years between a phase's CAPEX and its first year of operation (sales, energy, O&M)",
        "modelling choice: one year of construction",
    )
    replacement_fraction: float = param_field(
        1.0, "share of an item's CAPEX spent to replace it, fraction", "modelling choice"
    )
    grant_gbp: float | None = param_field(
        None, "capital grant, GBP (or use grant_pct)", f"{_K} 8.7"
    )
    grant_pct: float | None = param_field(
        None, "capital grant as % of CAPEX of grant_phases", f"{_K} 8.7 (49 % of Phase 1)"
    )
    grant_phases: tuple[int, ...] = param_field(
        (), "phases the grant funds (empty = all); paid in their start years", f"{_K} 8.7"
    )
    carbon_value_scenario: Literal["low", "central", "high", "none"] = param_field(
        "central",
        "UK appraisal carbon values used in the social cashflow",
        "BEIS 2021 carbon values",
    )
    carbon_value_growth_after_last_pct: float = param_field(
        1.5,
        "growth of carbon values after the last tabulated year, %/yr",
        "BEIS 2021 (≈1.5 %/yr 2021-2050)",
    )
    air_quality_gbp_per_mwh_bau_gas: float = param_field(
        0.0,
        "air-quality damage avoided per MWh of BAU boiler gas displaced, GBP/MWh",
        "not given in the study",
    )
    grid_carbon_series: Literal["lcp_marginal", "iag_marginal_commercial", "defra_average"] = (
        param_field("iag_marginal_commercial", "Table 48 grid carbon series", f"{_K} Table 48")
    )
    gas_co2e_g_per_kwh: float = param_field(
        183.9, "natural gas emission factor, gCO2e/kWh", f"{_K} Table 49"
    )
    carbon_counterfactual: Literal["tariff", "study"] = param_field(
        "tariff",
        "what the network's carbon is compared with: each connection's tariff counterfactual "
        "(gas boiler or air-source heat pump at ashp_cop), or 'study': individual gas boilers "
        "except connections with new dwellings (air-source heat pumps), the Table 27 convention",
        "consistent appraisal: one counterfactual per customer class for tariff and carbon",
    )
    rural: bool = param_field(
        False, "GHNF rural network (minimum-demand test on dwellings)", "GHNF (study Table 25)"
    )
    ghnf_carbon_gate_g_per_kwh: float = param_field(
        100.0, "GHNF carbon gate, gCO2e/kWh delivered", f"{_K} Table 25"
    )
    ghnf_min_social_irr_pct: float = param_field(
        3.5, "GHNF minimum 40-year social IRR, %", f"{_K} Table 25"
    )
    ghnf_min_demand_gwh_per_a: float = param_field(
        2.0, "GHNF urban minimum end-customer demand, GWh/yr", f"{_K} Table 25"
    )
    ghnf_min_dwellings_rural: int = param_field(
        100, "GHNF rural minimum dwellings connected", f"{_K} Table 25"
    )
    ghnf_max_grant_share_pct: float = param_field(
        50.0, "GHNF grant below this % of CAPEX (exclusive)", f"{_K} Table 25"
    )
    ghnf_capped_award_p_per_kwh: float = param_field(
        4.5, "GHNF capped award, p per kWh delivered", f"{_K} Table 25"
    )
    ghnf_capped_award_years: int = param_field(
        15, "GHNF capped award period, years", f"{_K} Table 25"
    )
    lchg_max_carbon_g_per_kwh: float = param_field(
        100.0, "Welsh LCHG heat carbon limit, gCO2e/kWh", "LCHG guidance"
    )
    lchg_min_scop: float = param_field(2.8, "Welsh LCHG minimum SCOP", "LCHG guidance")
    lchg_max_grant_pct: float = param_field(
        90.0, "Welsh LCHG maximum grant share, %", "LCHG guidance"
    )
    target_irrs_pct: tuple[float, ...] = param_field(
        (5.0, 10.0), "target IRRs for the grant-needed figures, %", f"{_K} exec. summary"
    )
    wang_household_heat_kwh_per_a: float = param_field(
        15200.0, "heat per dwelling for counterfactual LCOHs, kWh/yr", "Wang 2018 text"
    )
    counterfactual_electricity_price_p_per_kwh: float = param_field(
        34.0, "residential electricity price, p/kWh", f"{_K} Table 41"
    )
    lcoh_include_carbon: bool = param_field(
        True,
        "counterfactual LCOHs include the carbon value (Wang eq. 1); the scheme's LCOH is "
        "reported both without and with it",
        "Wang 2018 eq. 1",
    )
    sensitivity_capex_pct: float = param_field(
        30.0, "± CAPEX change per category, %", f"{_K} Tables 29-30"
    )
    sensitivity_demand_pct: float = param_field(20.0, "± heat demand change, %", "modelling choice")
    sensitivity_price_pct: float = param_field(
        20.0, "± electricity / gas price change, %", f"{_K} Figs 61-62"
    )
    sensitivity_tariff_pct: float = param_field(
        10.0, "± heat sales tariff change, %", f"{_K} Figs 61-62"
    )
    sensitivity_spf_delta: float = param_field(0.5, "± heat pump SPF change", f"{_K} Fig 64")
    sensitivity_availability_weeks: float = param_field(
        4.0, "heat pump availability loss in weeks/yr (met by boilers)", f"{_K} Fig 63"
    )
    sensitivity_discount_rates_pct: tuple[float, ...] = param_field(
        (0.0, 7.0), "alternative discount rates, %", "Wang 2018 sensitivity"
    )
    sensitivity_key_loads: int = param_field(
        3,
        "number of largest non-domestic loads dropped in 'key loads not connecting'",
        f"{_K} Table 31",
    )
    allow_negative_prices: bool = param_field(
        False,
        "accept negative prices and costs (e.g. a negative wholesale price); off: refused",
        "project default: a negative price is usually a typing error",
    )
    boiler_efficiency_pct: float = param_field(
        90.0, "network peak/reserve boiler efficiency, %", f"{_K} Table 44"
    )

    def __post_init__(self) -> None:
        if self.discount_rate_pct < 0:
            msg = f"discount_rate_pct: {self.discount_rate_pct} is negative; give a rate >= 0 %"
            raise ValueError(msg)
        ys = self.phase_start_years
        if any(b < a for a, b in itertools.pairwise(ys)):
            msg = f"phase_start_years: give years in phase order, not decreasing, got {list(ys)}"
            raise ValueError(msg)
        if self.phase_interval_years < 0:
            msg = f"phase_interval_years: must be >= 0, got {self.phase_interval_years}"
            raise ValueError(msg)
        if (
            not self.horizons_years
            or min(self.horizons_years) < 1
            or max(self.horizons_years) > MAX_HORIZON_YEARS
        ):
            msg = (
                f"horizons_years: give one or more horizons of 1 to {MAX_HORIZON_YEARS} years, "
                f"e.g. [25, 30, 40]; got {list(self.horizons_years)}"
            )
            raise ValueError(msg)
        self._check_money()
        _check_lifetimes(self.lifetimes_years)
        if self.grant_pct is not None and not 0 <= self.grant_pct <= 100:
            msg = (
                f"grant_pct: {self.grant_pct} % is outside 0-100 %; a grant cannot exceed the CAPEX"
            )
            raise ValueError(msg)
        if self.grant_gbp is not None and self.grant_gbp < 0:
            msg = f"grant_gbp: {self.grant_gbp} is negative; give a grant >= 0 GBP"
            raise ValueError(msg)
        if self.grant_gbp is not None and self.grant_pct is not None:
            msg = "grant_gbp / grant_pct: give one of them, not both"
            raise ValueError(msg)
        for name in (
            "ashp_cop",
            "counterfactual_boiler_efficiency_pct",
            "boiler_efficiency_pct",
        ):
            if not getattr(self, name) > 0:
                msg = f"{name}: must be > 0"
                raise ValueError(msg)
        if not 0 <= self.tariff_discount_pct < 100:
            msg = f"tariff_discount_pct: {self.tariff_discount_pct} must be in [0, 100)"
            raise ValueError(msg)
        if self.construction_years < 0:
            msg = f"construction_years: must be >= 0, got {self.construction_years}"
            raise ValueError(msg)
        if not 0 <= self.replacement_fraction <= 1:
            msg = f"replacement_fraction: {self.replacement_fraction} must be within 0-1"
            raise ValueError(msg)

    def _check_money(self) -> None:
        """Prices and rates: a number in a plausible range, negative only when allowed."""
        for name in _PRICES:
            value = getattr(self, name)
            if value < 0 and not self.allow_negative_prices:
                msg = (
                    f"{name}: {value} is negative; prices and costs must be >= 0 (set "
                    "allow_negative_prices = true for a deliberate negative price)"
                )
                raise ValueError(msg)
            unit = "p/kWh" if name.endswith("_p_per_kwh") else "GBP"
            if abs(value) > _PRICE_LIMIT[unit]:
                msg = (
                    f"{name}: {value} {unit} is implausibly large (more than "
                    f"{_PRICE_LIMIT[unit]:,.0f}); check the unit"
                )
                raise ValueError(msg)
        if not -50.0 < self.discount_rate_pct <= 100.0:
            msg = f"discount_rate_pct: {self.discount_rate_pct} % is outside -50 to 100 %"
            raise ValueError(msg)


MAX_HORIZON_YEARS = 100
"""Longest appraisal horizon, years (price and carbon tables end well before)."""

_PRICES = (
    "electricity_price_p_per_kwh",
    "gas_price_p_per_kwh",
    "connection_charge_gbp_per_new_dwelling",
    "counterfactual_gas_price_p_per_kwh",
    "counterfactual_gas_fixed_gbp_per_dwelling_per_day",
    "ashp_electricity_price_p_per_kwh",
    "ashp_replacement_gbp_per_kw_per_a",
    "ashp_maintenance_gbp_per_kw_per_a",
    "om_network_gbp_per_mwh",
    "om_customer_gbp_per_mwh",
    "om_heat_pump_gbp_per_kw_per_a",
    "om_fixed_gbp_per_a",
    "air_quality_gbp_per_mwh_bau_gas",
    "ghnf_capped_award_p_per_kwh",
    "counterfactual_electricity_price_p_per_kwh",
)
_PRICE_LIMIT = {"p/kWh": 1000.0, "GBP": 1e9}


def _check_lifetimes(lifetimes: Mapping[str, float]) -> None:
    """Every key a replaced component, every lifetime positive."""
    for name, life in lifetimes.items():
        if name not in REPLACEMENT_COMPONENTS:
            msg = (
                f"lifetimes_years: key {name!r} matches no CAPEX component; use "
                f"{', '.join(REPLACEMENT_COMPONENTS)}"
            )
            raise ValueError(msg)
        if not life > 0:
            msg = f"lifetimes_years: lifetime of {name!r} is {life}; lifetimes must be > 0 years"
            raise ValueError(msg)
