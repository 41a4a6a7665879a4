"""Killingworth reference scenario through heatmap.economics.appraisal, beside the study's Tables
24-28.

Non-spatial: inputs are the study's own tables in ../shared/reference/killingworth/ (Table 50
CAPEX by item and phase, Table 23 per-phase heat pump / boiler output and start years, Tables
14-18 and 42-43 connections and sales tariffs). Assumptions the study does not print are stated
below and in the printed notes.

Rerun:  PYTHONPATH=. .venv/bin/python scripts/killingworth_tem.py [--ref DIR] [--out DIR]
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

import pandas as pd

from heatmap.economics.appraisal import (
    EconomicsInputs,
    EconomicsParams,
    EconomicsResult,
    evaluate,
    subset_phases,
    tariffs,
    write_tem_xlsx,
)

REF = Path(__file__).resolve().parents[2] / "shared" / "reference" / "killingworth"

# Table 50 item -> replaced component (Table 45 lifetimes: HP 20, boilers 30, connections 20).
COMPONENT = {
    "Heat pump (MWHP)": "heat_pumps",
    "Heat pump M&E": "heat_pumps",
    "Peak and reserve gas boilers": "boilers",
    "Peak and reserve boiler flues": "boilers",
    "Cost of connections at heat user locations": "substations",
}
PLANNED_DWELLINGS = 439  # Table 1: Land off Killingworth Lane
# SPF: the study prints 'Various' (Table 44). Its year-1 intensity (91 g/kWh, Table 27) with
# Table 23 Phase 1 output (11,707 MWh HP, 308 MWh boilers) and the IAG 2024 factor implies 3.03.
SPF = 3.0


def build_inputs(ref: Path) -> EconomicsInputs:
    """EconomicsInputs for the full three-phase network from the study's tables."""
    capex = pd.read_csv(ref / "capex.csv")
    t50 = capex[(capex["source"] == "Table 50") & (capex["summary_category"] != "total")]
    lines = []
    for row in t50.itertuples():
        for ph in (1, 2, 3):
            v = getattr(row, f"phase{ph}_gbp")
            if pd.notna(v) and v > 0:
                lines.append(
                    {
                        "phase": ph,
                        "category": row.summary_category,
                        "component": COMPONENT.get(row.item, ""),
                        "item": row.item,
                        "total_gbp": float(v),
                    }
                )
    conns = pd.read_csv(ref / "connections.csv")
    gas = conns["counterfactual"] == "gas_boiler"
    connections = pd.DataFrame(
        {
            "name": conns["site_name"],
            "phase": conns["phase"],
            "counterfactual": conns["counterfactual"],
            "heat_demand_mwh_per_a": conns["annual_heat_demand_mwh"],
            "peak_kw": conns["peak_heat_demand_kw"],
            # Table 43 fixed tariff = GBP 0.9425/day x social dwellings (README check)
            "dwellings": (conns["counterfactual_fixed_current_heat_tariff_gbp_per_day"] / 0.9425)
            .round()
            .where(gas, 0),
            "new_dwellings": conns["site_name"].str.startswith("Planned development").astype(int)
            * PLANNED_DWELLINGS,
            "non_domestic": ~gas & ~conns["site_name"].str.startswith("Planned development"),
            "variable_tariff_p_per_kwh": conns["variable_heat_sales_tariff_p_per_kwh"],
            "fixed_tariff_gbp_per_day": conns["fixed_heat_sales_tariff_gbp_per_day"],
        }
    )
    ps = pd.read_csv(ref / "phase_summary.csv")
    t23 = ps[(ps["source"] == "Table 23") & (ps["phase"].isin(["1", "2", "3"]))].copy()
    t23["phase"] = t23["phase"].astype(int)
    hp = t23["heat_from_hp_mwh"].to_numpy(float)
    boiler_heat = (
        t23["heat_from_boilers_mwh"].to_numpy(float) * 1000.0
    )  # printed 'MWh', read as GWh (README item 11)
    sold = (
        connections.groupby("phase")["heat_demand_mwh_per_a"].sum().reindex(t23["phase"]).to_numpy()
    )
    phases = pd.DataFrame(
        {
            "phase": t23["phase"].to_numpy(),
            "start_year": t23["start_year"].astype(int).to_numpy()
            if "start_year" in t23
            else [2024, 2026, 2028],
            "heat_sold_mwh_per_a": sold,
            "heat_pump_heat_mwh_per_a": hp,
            "electricity_mwh_per_a": hp / SPF,
            "gas_mwh_per_a": boiler_heat / 0.90,  # Table 44 boiler efficiency
            "heat_pump_kw": [2515.0, 731.0, 565.0],  # Table 22 increments
        }
    )
    return EconomicsInputs(capex_lines=pd.DataFrame(lines), phases=phases, connections=connections)


def explain(
    inputs: EconomicsInputs,
    base: EconomicsParams,
    results: dict[tuple[int, str], EconomicsResult],
    econ: pd.DataFrame,
    carbon: pd.DataFrame,
) -> None:
    """Print the figures that explain the gaps between our model and the study."""
    print("\nExplaining the differences:")
    for ph in (1, 2, 3):
        res = results[(ph, "none")]
        cf = res.cashflow.iloc[:40]
        operating = (cf["heat_sold_mwh"] > 0).to_numpy()
        annuity = float(cf["discount_factor"].to_numpy()[operating].sum())
        row = econ[
            (econ["source"] == "Table 24") & (econ["phase"] == ph) & (econ["horizon_years"] == 40)
        ]
        study_npv = float(row["npv_gbp"].iloc[0])
        study_inc = float(row["net_income_gbp"].iloc[0])
        by_npv = (res.npv_gbp[40] - study_npv) / annuity
        by_inc = (res.net_income_gbp[40] - study_inc) / operating.sum()
        print(
            f"  Phase {ph}: the study's 40-yr NPV implies GBP {by_npv:,.0f}/yr more net operating "
            f"cost than ours (net income: GBP {by_inc:,.0f}/yr); ours: O&M "
            f"{cf['om_gbp'].iloc[-1]:,.0f}, replacement {cf['replacement_gbp'].iloc[-1]:,.0f}, "
            f"electricity {cf['electricity_cost_gbp'].iloc[-1]:,.0f} GBP in year 40"
        )
    for ph in (1, 3):
        r85 = evaluate(
            subset_phases(inputs, ph),
            params=dataclasses.replace(base, counterfactual_boiler_efficiency_pct=85.0),
            sensitivities=False,
        )
        study = carbon[
            (carbon["source"] == "Table 27")
            & (carbon["phase"] == ph)
            & (carbon["horizon_years"] == 40)
        ]["co2e_savings_vs_bau_t"].iloc[0]
        bau1 = float(r85.cashflow["bau_co2e_t"].iloc[0])
        print(
            f"  Phase {ph}: with BAU boilers at 85 % (not Table 49's 80 %) our 40-yr saving "
            f"is {r85.co2_savings_t[40]:,.0f} t vs the study's {study:,.0f} t; "
            f"year-1 BAU {bau1:,.1f} t "
            "(study Phase 1: 2,312.5 t/yr)"
        )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ref", type=Path, default=REF)
    ap.add_argument(
        "--out",
        type=Path,
        default=None,
        help="write tem.xlsx / cashflow.csv for the full network here",
    )
    args = ap.parse_args(argv)
    if not args.ref.exists():
        print(f"reference folder not found: {args.ref}", file=sys.stderr)
        return 2
    inputs = build_inputs(args.ref)
    # the study's conventions: revenue from the build year, annualised replacements, carbon
    # against gas boilers except the new dwellings (ASHP at SCOP 2.5, Table 42)
    base = EconomicsParams(
        construction_years=0,
        replacement_method="annualised",
        carbon_counterfactual="study",
        ashp_cop=2.5,
    )
    grant = dataclasses.replace(base, grant_pct=49.0, grant_phases=(1,))
    econ = pd.read_csv(args.ref / "economics.csv")
    carbon = pd.read_csv(args.ref / "carbon.csv")
    rows = []
    results = {}
    for ph in (1, 2, 3):
        sub = subset_phases(inputs, ph)
        for case, par in (("none", base), ("ghnf_49pct_phase1", grant)):
            res = evaluate(sub, params=par, sensitivities=False)
            results[(ph, case)] = res
            for h in (25, 30, 40):
                study = econ[
                    (econ["phase"] == ph)
                    & (econ["horizon_years"] == h)
                    & (econ["grant_case"] == case)
                    & econ["source"].isin(["Table 24", "Table 26"])
                ].iloc[0]
                soc = econ[
                    (econ["phase"] == ph)
                    & (econ["horizon_years"] == h)
                    & (econ["source"] == "Table 28")
                ]
                crb = carbon[
                    (carbon["source"] == "Table 27")
                    & (carbon["phase"] == ph)
                    & (carbon["horizon_years"] == h)
                ]
                rows.append(
                    {
                        "phase": ph,
                        "grant": "49% P1" if case != "none" else "none",
                        "yrs": h,
                        "NPV £m ours": res.npv_gbp[h] / 1e6,
                        "NPV £m study": study["npv_gbp"] / 1e6,
                        "IRR % ours": res.irr_pct[h],
                        "IRR % study": study["irr_pct"],
                        "sIRR ours": res.social_irr_pct[h] if case == "none" else None,
                        "sIRR study": soc["social_irr_pct"].iloc[0]
                        if case == "none" and len(soc)
                        else None,
                        "payback ours": res.payback_years[h],
                        "payback study": study["simple_payback_years"] or None,
                        "net inc £m ours": res.net_income_gbp[h] / 1e6,
                        "net inc £m study": study["net_income_gbp"] / 1e6,
                        "CO2 saved kt ours": res.co2_savings_t[h] / 1e3 if case == "none" else None,
                        "CO2 saved kt study": crb["co2e_savings_vs_bau_t"].iloc[0] / 1e3
                        if case == "none" and len(crb)
                        else None,
                    }
                )
    table = pd.DataFrame(rows)
    pd.set_option("display.width", 250)
    pd.set_option("display.max_columns", 30)
    print("Killingworth reference scenario: ours vs study Tables 24, 26, 27, 28")
    print(table.to_string(index=False, float_format=lambda v: f"{v:,.2f}"))
    full = results[(3, "none")]
    p1 = results[(1, "none")]
    print(
        "\nCarbon intensity year 1 (Phase 1): "
        f"ours {p1.carbon_intensity_g_per_kwh['year1']:.1f} g/kWh, study 91 (Table 27)"
    )
    for ph in (1, 2, 3):
        r = results[(ph, "none")]
        study_avg = carbon[
            (carbon["source"] == "Table 27")
            & (carbon["phase"] == ph)
            & (carbon["horizon_years"] == 40)
        ]["co2e_intensity_40yr_avg_g_per_kwh"].iloc[0]
        print(
            f"Phase {ph} 40-yr average intensity: "
            f"ours {r.carbon_intensity_g_per_kwh['average']:.1f}, study {study_avg}; "
            f"network emissions 40 yr ours {r.network_co2e_t[40]:,.0f} t"
        )
    print(
        "Year-1 CO2 saving Phase 1: "
        f"ours {p1.cashflow['co2e_savings_t'].iloc[0]:,.0f} t, study 1,338 t"
    )
    print(
        "\nGrant for target IRR (full network, 40 yr): "
        + ", ".join(f"{k:g} %: £{v:,.0f}" for k, v in full.grant_for_target_irr_gbp.items())
        + "  (study: 5 % £5,844,391; 10 % £12,433,655)"
    )
    print("\nGrant tests (full network, 49 % Phase 1 grant):")
    print(results[(3, "ghnf_49pct_phase1")].grant_tests.to_string(index=False))
    print(
        f"\nLCOH full network {full.lcoh_gbp_per_mwh:.1f} GBP/MWh; "
        "counterfactuals (Wang 2018 A.1): "
        + ", ".join(f"{k} {v:.1f}" for k, v in full.counterfactual_lcoh_gbp_per_mwh.items())
    )
    t = tariffs(
        inputs.connections.drop(columns=["variable_tariff_p_per_kwh", "fixed_tariff_gbp_per_day"]),
        params=base,
    )
    conns = pd.read_csv(args.ref / "connections.csv")
    v_ashp = t.loc[t["counterfactual"] == "ashp", "variable_tariff_p_per_kwh"].iloc[0]
    v_gas = t.loc[t["counterfactual"] == "gas_boiler", "variable_tariff_p_per_kwh"].iloc[0]
    diff = (t["fixed_tariff_gbp_per_day"] - conns["fixed_heat_sales_tariff_gbp_per_day"]).abs()
    print(
        f"\nTable 40 method vs Tables 42-43 sales tariffs: fixed £/day max |diff| {diff.max():.2f} "
        f"(median {diff.median():.2f}); variable: ours ASHP {v_ashp:.2f} vs 10.56 p/kWh "
        f"(Table 42 uses 10.89 current, Table 40 10.5), gas {v_gas:.2f} vs 12.49"
    )
    explain(inputs, base, results, econ, carbon)
    if args.out:
        full_s = evaluate(inputs, params=base)
        args.out.mkdir(parents=True, exist_ok=True)
        write_tem_xlsx(full_s, args.out / "tem.xlsx", overwrite=True)
        full_s.cashflow.to_csv(args.out / "cashflow.csv", index=False)
        print(f"\nwrote {args.out / 'tem.xlsx'} and cashflow.csv")
        print(full_s.sensitivities.to_string(index=False, float_format=lambda v: f"{v:,.2f}"))
    print("\nrerun: PYTHONPATH=. .venv/bin/python scripts/killingworth_tem.py")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
