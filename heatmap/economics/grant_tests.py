"""Grant-scheme tests: the Green Heat Network Fund (GHNF) and the Welsh LCHG."""

from __future__ import annotations

import numpy as np
import pandas as pd

from heatmap.economics._types import EconomicsInputs
from heatmap.economics.params import EconomicsParams

__all__ = ["grant_tests"]


def grant_tests(
    inputs: EconomicsInputs,
    cf: pd.DataFrame,
    *,
    y1: float,
    social40: float | None,
    spf_value: float | None,
    p: EconomicsParams,
    tar: pd.DataFrame,
) -> pd.DataFrame:
    """GHNF and Welsh LCHG tests, one row each (scheme, test, value, threshold, rule, passed)."""
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
