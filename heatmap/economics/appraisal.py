"""Techno-economic model: tariffs, cashflow, NPV/IRR/LCOH, carbon, grant tests, sensitivities.

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

import itertools
import logging
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from heatmap.economics.finance import irr, npv, simple_payback_years
from heatmap.errors import InputError

__all__ = [
    "EconomicsInputs",
    "EconomicsParams",
    "EconomicsResult",
    "cashflow",
    "evaluate",
    "irr",
    "npv",
    "plot_cashflow",
    "plot_tornado",
    "sensitivity_table",
    "simple_payback_years",
    "subset_phases",
    "tariffs",
    "write_tem_xlsx",
]

logger = logging.getLogger(__name__)

_K = "Killingworth study"


def _m(doc: str, source: str) -> dict[str, str]:
    return {"doc": doc, "source": source}


@dataclass(frozen=True)
class EconomicsParams:
    """Parameters of the techno-economic model (scenario table ``[economics]``)."""

    discount_rate_pct: float = field(
        default=3.5, metadata=_m("discount rate for NPV, % per year", f"{_K} glossary (Green Book)")
    )
    horizons_years: tuple[int, ...] = field(
        default=(25, 30, 40), metadata=_m("appraisal horizons, years", f"{_K} Table 24")
    )
    start_year: int | None = field(
        default=None,
        metadata=_m(
            "first cashflow year; None = earliest phase start year", f"{_K} Table 23 (2024)"
        ),
    )
    phase_start_years: tuple[int, ...] = field(
        default=(),
        metadata=_m(
            "start year of each build phase (phase 1 first); empty = phase 1 in start_year "
            "(else the year after next) and each later phase phase_interval_years later",
            f"{_K} Table 23 (2024, 2026, 2028)",
        ),
    )
    phase_interval_years: int = field(
        default=2,
        metadata=_m(
            "years between the starts of consecutive phases when phase_start_years is empty",
            f"{_K} Table 23 (phases start 2024, 2026, 2028)",
        ),
    )
    price_scenario: Literal["central", "low", "high", "fixed"] = field(
        default="central",
        metadata=_m(
            "energy price indexation: BEIS projection scenario or a fixed rate",
            f"{_K} 8.4, Table 32",
        ),
    )
    fixed_indexation_pct: float = field(
        default=0.0,
        metadata=_m("price indexation when price_scenario = 'fixed', % per year", f"{_K} Table 32"),
    )
    price_base_year: int = field(
        default=2022,
        metadata=_m(
            "year in which the tariffs below are quoted (index = 1)", f"{_K} 8.2.2 (Oct 2022)"
        ),
    )
    hold_prices_after_last_year: bool = field(
        default=True,
        metadata=_m(
            "hold projected prices constant after the last tabulated year (Table 47 ends 2035)",
            "modelling choice",
        ),
    )
    electricity_price_p_per_kwh: float = field(
        default=21.0,
        metadata=_m("energy-centre electricity price in the base year, p/kWh", f"{_K} 10.1.4"),
    )
    gas_price_p_per_kwh: float = field(
        default=7.5, metadata=_m("energy-centre gas price in the base year, p/kWh", f"{_K} 10.1.4")
    )
    electricity_price_sector: Literal["industrial", "services", "residential"] = field(
        default="services",
        metadata=_m("Table 47 sector used to index energy-centre electricity", "modelling choice"),
    )
    gas_price_sector: Literal["industrial", "services", "residential"] = field(
        default="services",
        metadata=_m("Table 47 sector used to index energy-centre gas", "modelling choice"),
    )
    heat_tariff_index_sector: Literal["industrial", "services", "residential"] = field(
        default="residential",
        metadata=_m(
            "Table 47 sector of the projection indexing the variable heat tariff",
            "modelling choice (customers' counterfactual fuel is bought at residential rates)",
        ),
    )
    heat_tariff_index_fuel: Literal["gas", "electricity", "none"] = field(
        default="gas",
        metadata=_m(
            "fuel whose projection indexes the variable heat tariff (fixed tariff constant)",
            f"{_K} 10.1.4",
        ),
    )
    tariff_discount_pct: float = field(
        default=3.0,
        metadata=_m("heat sales tariff discount against the counterfactual, %", f"{_K} 10.1.4"),
    )
    connection_charge_gbp_per_new_dwelling: float = field(
        default=8125.0, metadata=_m("connection charge per new dwelling, GBP", f"{_K} 8.3.1")
    )
    counterfactual_gas_price_p_per_kwh: float = field(
        default=10.3, metadata=_m("residential gas unit rate, p/kWh", f"{_K} Table 41")
    )
    counterfactual_boiler_efficiency_pct: float = field(
        default=80.0, metadata=_m("counterfactual gas boiler efficiency, %", f"{_K} Table 43")
    )
    counterfactual_gas_fixed_gbp_per_dwelling_per_day: float = field(
        default=0.9425,
        metadata=_m(
            "gas counterfactual fixed cost per dwelling, GBP/day",
            f"{_K} Table 43 (fixed tariff ÷ social dwellings)",
        ),
    )
    ashp_electricity_price_p_per_kwh: float = field(
        default=21.0, metadata=_m("ASHP counterfactual electricity price, p/kWh", f"{_K} Table 40")
    )
    ashp_cop: float = field(
        default=2.0, metadata=_m("ASHP counterfactual CoP", f"{_K} Table 40 (result 10.5 = 21/2)")
    )
    ashp_capacity_factor: float = field(
        default=1.2, metadata=_m("ASHP capacity ÷ peak (2 units at 60 %)", f"{_K} Table 40")
    )
    ashp_capacity_round_kw: float = field(
        default=10.0, metadata=_m("ASHP capacity rounded up to this step, kW", f"{_K} Table 42")
    )
    ashp_replacement_gbp_per_kw_per_a: float = field(
        default=23400.0 / 720.0,
        metadata=_m(
            "ASHP annualised replacement cost, GBP/kW/yr", f"{_K} Table 40 (23,400 / 720 kW)"
        ),
    )
    ashp_maintenance_gbp_per_kw_per_a: float = field(
        default=15000.0 / 720.0,
        metadata=_m("ASHP maintenance cost, GBP/kW/yr", f"{_K} Table 40 (15,000 / 720 kW)"),
    )
    om_network_gbp_per_mwh: float = field(
        default=0.6,
        metadata=_m("network maintenance per MWh sold, GBP/MWh", "Wang 2018 Appendix A.2"),
    )
    om_customer_gbp_per_mwh: float = field(
        default=12.4,
        metadata=_m(
            "HIU + heat-meter maintenance per MWh sold, GBP/MWh", "Wang 2018 A.2 (9 + 3.4)"
        ),
    )
    om_heat_pump_gbp_per_kw_per_a: float = field(
        default=1.0, metadata=_m("large heat pump O&M, GBP/kW/yr", "Wang 2018 Appendix A.2")
    )
    om_fixed_gbp_per_a: float = field(
        default=0.0,
        metadata=_m(
            "other fixed O&M (staff, billing, insurance), GBP/yr", "none given in the study"
        ),
    )
    om_pct_of_capex_per_a: float = field(
        default=0.0, metadata=_m("O&M as % of cumulative CAPEX per year", "none given in the study")
    )
    lifetimes_years: dict[str, float] = field(
        default_factory=lambda: {"heat_pump": 20.0, "boiler": 30.0, "building_connection": 20.0},
        metadata=_m(
            "replacement lifetime by CAPEX category (unlisted categories never replaced), years",
            f"{_K} Table 45",
        ),
    )
    replacement_method: Literal["annualised", "lump_sum"] = field(
        default="annualised",
        metadata=_m(
            "replacement as a yearly sinking fund or a lump sum at end of life",
            f"{_K} 8.3 (annualised)",
        ),
    )
    replacement_fraction: float = field(
        default=1.0,
        metadata=_m("share of an item's CAPEX spent to replace it, fraction", "modelling choice"),
    )
    grant_gbp: float | None = field(
        default=None, metadata=_m("capital grant, GBP (or use grant_pct)", f"{_K} 8.7")
    )
    grant_pct: float | None = field(
        default=None,
        metadata=_m("capital grant as % of CAPEX of grant_phases", f"{_K} 8.7 (49 % of Phase 1)"),
    )
    grant_phases: tuple[int, ...] = field(
        default=(),
        metadata=_m("phases the grant funds (empty = all); paid in their start years", f"{_K} 8.7"),
    )
    carbon_value_scenario: Literal["low", "central", "high", "none"] = field(
        default="central",
        metadata=_m(
            "UK appraisal carbon values used in the social cashflow", "BEIS 2021 carbon values"
        ),
    )
    carbon_value_growth_after_last_pct: float = field(
        default=1.5,
        metadata=_m(
            "growth of carbon values after the last tabulated year, %/yr",
            "BEIS 2021 (≈1.5 %/yr 2021-2050)",
        ),
    )
    air_quality_gbp_per_mwh_bau_gas: float = field(
        default=0.0,
        metadata=_m(
            "air-quality damage avoided per MWh of BAU boiler gas displaced, GBP/MWh",
            "not given in the study",
        ),
    )
    grid_carbon_series: Literal["lcp_marginal", "iag_marginal_commercial", "defra_average"] = field(
        default="iag_marginal_commercial",
        metadata=_m("Table 48 grid carbon series", f"{_K} Table 48"),
    )
    gas_co2e_g_per_kwh: float = field(
        default=183.9, metadata=_m("natural gas emission factor, gCO2e/kWh", f"{_K} Table 49")
    )
    bau_new_build: Literal["gas_boiler", "ashp"] = field(
        default="ashp",
        metadata=_m(
            "business-as-usual heating of connections with new dwellings",
            f"{_K} Table 42 / GHNF customer detriment (low-carbon counterfactual for new build)",
        ),
    )
    bau_new_build_ashp_scop: float = field(
        default=2.5,
        metadata=_m("SCOP of the new-build ASHP business as usual", f"{_K} Table 42 (34.00 / 2.5)"),
    )
    bau_boiler_efficiency_pct: float = field(
        default=80.0, metadata=_m("business-as-usual gas boiler efficiency, %", f"{_K} Table 49")
    )
    rural: bool = field(
        default=False,
        metadata=_m(
            "GHNF rural network (minimum-demand test on dwellings)", "GHNF (study Table 25)"
        ),
    )
    ghnf_carbon_gate_g_per_kwh: float = field(
        default=100.0, metadata=_m("GHNF carbon gate, gCO2e/kWh delivered", f"{_K} Table 25")
    )
    ghnf_min_social_irr_pct: float = field(
        default=3.5, metadata=_m("GHNF minimum 40-year social IRR, %", f"{_K} Table 25")
    )
    ghnf_min_demand_gwh_per_a: float = field(
        default=2.0, metadata=_m("GHNF urban minimum end-customer demand, GWh/yr", f"{_K} Table 25")
    )
    ghnf_min_dwellings_rural: int = field(
        default=100, metadata=_m("GHNF rural minimum dwellings connected", f"{_K} Table 25")
    )
    ghnf_max_grant_share_pct: float = field(
        default=50.0, metadata=_m("GHNF grant below this % of CAPEX (exclusive)", f"{_K} Table 25")
    )
    ghnf_capped_award_p_per_kwh: float = field(
        default=4.5, metadata=_m("GHNF capped award, p per kWh delivered", f"{_K} Table 25")
    )
    ghnf_capped_award_years: int = field(
        default=15, metadata=_m("GHNF capped award period, years", f"{_K} Table 25")
    )
    lchg_max_carbon_g_per_kwh: float = field(
        default=100.0, metadata=_m("Welsh LCHG heat carbon limit, gCO2e/kWh", "LCHG guidance")
    )
    lchg_min_scop: float = field(
        default=2.8, metadata=_m("Welsh LCHG minimum SCOP", "LCHG guidance")
    )
    lchg_max_grant_pct: float = field(
        default=90.0, metadata=_m("Welsh LCHG maximum grant share, %", "LCHG guidance")
    )
    target_irrs_pct: tuple[float, ...] = field(
        default=(5.0, 10.0),
        metadata=_m("target IRRs for the grant-needed figures, %", f"{_K} exec. summary"),
    )
    wang_household_heat_kwh_per_a: float = field(
        default=15200.0,
        metadata=_m("heat per dwelling for counterfactual LCOHs, kWh/yr", "Wang 2018 text"),
    )
    counterfactual_electricity_price_p_per_kwh: float = field(
        default=34.0, metadata=_m("residential electricity price, p/kWh", f"{_K} Table 41")
    )
    lcoh_include_carbon: bool = field(
        default=True,
        metadata=_m("add carbon (valued) to LCOH costs as in Wang eq. 1", "Wang 2018 eq. 1"),
    )
    sensitivity_capex_pct: float = field(
        default=30.0, metadata=_m("± CAPEX change per category, %", f"{_K} Tables 29-30")
    )
    sensitivity_demand_pct: float = field(
        default=20.0, metadata=_m("± heat demand change, %", "modelling choice")
    )
    sensitivity_price_pct: float = field(
        default=20.0, metadata=_m("± electricity / gas price change, %", f"{_K} Figs 61-62")
    )
    sensitivity_tariff_pct: float = field(
        default=10.0, metadata=_m("± heat sales tariff change, %", f"{_K} Figs 61-62")
    )
    sensitivity_spf_delta: float = field(
        default=0.5, metadata=_m("± heat pump SPF change", f"{_K} Fig 64")
    )
    sensitivity_availability_weeks: float = field(
        default=4.0,
        metadata=_m("heat pump availability loss in weeks/yr (met by boilers)", f"{_K} Fig 63"),
    )
    sensitivity_discount_rates_pct: tuple[float, ...] = field(
        default=(0.0, 7.0), metadata=_m("alternative discount rates, %", "Wang 2018 sensitivity")
    )
    sensitivity_key_loads: int = field(
        default=3,
        metadata=_m(
            "number of largest non-domestic loads dropped in 'key loads not connecting'",
            f"{_K} Table 31",
        ),
    )
    boiler_efficiency_pct: float = field(
        default=90.0, metadata=_m("network peak/reserve boiler efficiency, %", f"{_K} Table 44")
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
        if not self.horizons_years or min(self.horizons_years) < 1:
            msg = "horizons_years: give one or more horizons of at least 1 year, e.g. [25, 30, 40]"
            raise ValueError(msg)
        for name, life in self.lifetimes_years.items():
            if not life > 0:
                msg = (
                    f"lifetimes_years: lifetime of {name!r} is {life}; lifetimes must be > 0 years"
                )
                raise ValueError(msg)
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
            "bau_boiler_efficiency_pct",
            "bau_new_build_ashp_scop",
            "boiler_efficiency_pct",
        ):
            if not getattr(self, name) > 0:
                msg = f"{name}: must be > 0"
                raise ValueError(msg)
        if not 0 <= self.tariff_discount_pct < 100:
            msg = f"tariff_discount_pct: {self.tariff_discount_pct} must be in [0, 100)"
            raise ValueError(msg)
        if not 0 <= self.replacement_fraction <= 1:
            msg = f"replacement_fraction: {self.replacement_fraction} must be within 0-1"
            raise ValueError(msg)


@dataclass(frozen=True)
class EconomicsInputs:
    """Plain inputs of the techno-economic model (built by the pipeline from upstream stages).

    Attributes
    ----------
    capex_lines
        Columns phase, category, item, total_gbp (CostBreakdown.lines). ``category`` keys the
        lifetimes (heat_pump, boiler, building_connection, ...).
    phases
        One row per phase with per-phase *increments*: phase, start_year,
        heat_sold_mwh_per_a (delivered to customers), electricity_mwh_per_a, gas_mwh_per_a;
        optional heat_pump_heat_mwh_per_a, heat_pump_kw.
    connections
        One row per connection: name, phase, counterfactual ("gas_boiler"|"ashp"),
        heat_demand_mwh_per_a, peak_kw; optional dwellings, new_dwellings, non_domestic (bool),
        and tariff overrides variable_tariff_p_per_kwh / fixed_tariff_gbp_per_day (sales tariffs).
    """

    capex_lines: pd.DataFrame
    phases: pd.DataFrame
    connections: pd.DataFrame


@dataclass(frozen=True)
class EconomicsResult:
    """Outputs of :func:`evaluate` (frames are copies owned by the result)."""

    cashflow: pd.DataFrame
    npv_gbp: dict[int, float]
    irr_pct: dict[int, float | None]
    social_npv_gbp: dict[int, float]
    social_irr_pct: dict[int, float | None]
    payback_years: dict[int, int | None]
    net_income_gbp: dict[int, float]
    lcoh_gbp_per_mwh: float
    counterfactual_lcoh_gbp_per_mwh: dict[str, float]
    co2_savings_t: dict[int, float]
    network_co2e_t: dict[int, float]
    co2_savings_t_per_a: float
    carbon_intensity_g_per_kwh: dict[str, float]
    grant_tests: pd.DataFrame
    grant_for_target_irr_gbp: dict[float, float]
    tariffs: pd.DataFrame
    capex_by_phase: pd.DataFrame
    sensitivities: pd.DataFrame
    params: EconomicsParams

    def summary(self) -> dict[str, object]:
        """Headline figures at the longest horizon (keys of summary.json)."""
        h = max(self.npv_gbp)
        ghnf = self.grant_tests[self.grant_tests["scheme"] == "GHNF"]
        return {
            "npv_gbp": self.npv_gbp[h],
            "irr_pct": self.irr_pct[h],
            "social_irr_pct": self.social_irr_pct[h],
            "lcoh_gbp_per_mwh": self.lcoh_gbp_per_mwh,
            "co2_savings_t_per_a": self.co2_savings_t_per_a,
            "carbon_intensity_g_per_kwh": self.carbon_intensity_g_per_kwh["year1"],
            "ghnf_eligible": bool(ghnf["passed"].all()),
            "horizon_years": h,
        }


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
    _require(connections, ("name", "counterfactual", "peak_kw"), "connections")
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


def _require(df: pd.DataFrame, cols: tuple[str, ...], what: str) -> None:
    missing = [c for c in cols if c not in df.columns]
    if missing:
        msg = f"{what}: missing columns {missing}; expected at least {list(cols)}"
        raise InputError(msg)


def subset_phases(inputs: EconomicsInputs, up_to_phase: int) -> EconomicsInputs:
    """The network built up to and including ``up_to_phase`` (study's Phase 1/2/3 columns).

    Examples
    --------
    >>> inputs = EconomicsInputs(
    ...     capex_lines=pd.DataFrame({"phase": [1, 2], "category": ["network", "network"],
    ...                               "item": ["spine", "spine 2"], "total_gbp": [3e6, 1e6]}),
    ...     phases=pd.DataFrame({"phase": [1, 2], "start_year": [2024, 2026]}),
    ...     connections=pd.DataFrame({"name": ["school", "homes"], "phase": [1, 2]}))
    >>> first = subset_phases(inputs, 1)
    >>> first.capex_lines["item"].tolist(), first.connections["name"].tolist()
    (['spine'], ['school'])
    """
    return EconomicsInputs(
        capex_lines=inputs.capex_lines[inputs.capex_lines["phase"] <= up_to_phase].copy(),
        phases=inputs.phases[inputs.phases["phase"] <= up_to_phase].copy(),
        connections=inputs.connections[inputs.connections["phase"] <= up_to_phase].copy(),
    )


# The model lives in private modules that import the classes above (keeps this module short).
from heatmap.economics.evaluation import cashflow, evaluate, sensitivity_table  # noqa: E402
from heatmap.economics.workbook import write_tem_xlsx  # noqa: E402
from heatmap.outputs.economics_figures import plot_cashflow, plot_tornado  # noqa: E402
