"""One-at-a-time sensitivities of NPV and IRR."""

from __future__ import annotations

import logging
from dataclasses import replace

import numpy as np
import pandas as pd

from heatmap.economics._types import EconomicsInputs
from heatmap.economics.cashflows import cashflow, net_to_horizon, spf_of
from heatmap.economics.finance import irr, npv
from heatmap.economics.params import EconomicsParams
from heatmap.economics.sales_tariffs import tariffs
from heatmap.economics.tables import price_index
from heatmap.errors import InputError

__all__ = ["sensitivity_table"]

logger = logging.getLogger(__name__)


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
    >>> from heatmap.economics import EconomicsInputs, sensitivity_table
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
    >>> t = sensitivity_table(inputs, horizon_years=25)
    >>> t.iloc[0]["case"], round(float(t.iloc[0]["irr_pct"]), 2), float(t.iloc[0]["delta_npv_gbp"])
    ('base case', 5.47, 0.0)
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
    spf = spf_of(inputs)
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
        net = net_to_horizon(cashflow(inp, params=par), inp, par, h)
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


def _pct(x: float | None) -> float | None:
    return None if x is None else 100.0 * x
