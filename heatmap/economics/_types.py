"""Inputs and result of the techno-economic model, shared by its modules."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from heatmap.economics.params import EconomicsParams
from heatmap.errors import InputError

__all__ = ["EconomicsInputs", "EconomicsResult", "require_columns", "subset_phases"]


@dataclass(frozen=True)
class EconomicsInputs:
    """Plain inputs of the techno-economic model (built by the pipeline from upstream stages).

    Attributes
    ----------
    capex_lines
        Columns phase, category, item, total_gbp and component (CostBreakdown.lines).
        ``component`` keys the replacement lifetimes (heat_pumps, boilers, thermal_store,
        pumps, substations, network; blank = not replaced); without the column, ``category``
        does.
    phases
        One row per phase with per-phase *increments*: phase, start_year,
        heat_sold_mwh_per_a (delivered to customers), electricity_mwh_per_a, gas_mwh_per_a;
        optional heat_pump_heat_mwh_per_a, heat_pump_kw, pumping_electricity_mwh_per_a
        (network pumps, costed at the electricity price) and electricity_price_factor (the
        dispatch's mean price paid over the flat price; scales ``electricity_price_p_per_kwh``).
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
    lcoh_with_carbon_gbp_per_mwh: float
    counterfactual_lcoh_gbp_per_mwh: dict[str, float]
    co2_savings_t: dict[int, float]
    network_co2e_t: dict[int, float]
    residual_value_gbp: dict[int, float]
    co2_savings_t_per_a: float
    co2_savings_t_per_a_average: float
    co2_savings_t_year1: float
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
            "lcoh_with_carbon_gbp_per_mwh": self.lcoh_with_carbon_gbp_per_mwh,
            "co2_savings_t_per_a": self.co2_savings_t_per_a,
            "co2_savings_t_per_a_average": self.co2_savings_t_per_a_average,
            "co2_savings_t_year1": self.co2_savings_t_year1,
            "carbon_intensity_g_per_kwh": self.carbon_intensity_g_per_kwh["year1"],
            "ghnf_eligible": bool(ghnf["passed"].all()),
            "horizon_years": h,
        }


def require_columns(df: pd.DataFrame, cols: tuple[str, ...], what: str) -> None:
    """Raise InputError naming the missing columns of ``df`` (``what``)."""
    missing = [c for c in cols if c not in df.columns]
    if missing:
        msg = f"{what}: missing columns {missing}; expected at least {list(cols)}"
        raise InputError(msg)


def subset_phases(inputs: EconomicsInputs, up_to_phase: int) -> EconomicsInputs:
    """Return the network built up to and including ``up_to_phase`` (study's Phase 1/2/3 columns).

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
