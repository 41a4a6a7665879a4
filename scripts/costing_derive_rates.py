"""Derive the default unit rates in heatmap/data/costing_rates.csv from the Killingworth study.

Reads ../shared/reference/killingworth (capex.csv, connections.csv, energy_centre.csv) and prints
each rate with its derivation, plus the development-cost share per phase and the least-squares
fit of non-domestic connection cost against peak kW.

Rerun (from the repository root):
    PYTHONPATH=. .venv/bin/python scripts/costing_derive_rates.py [path/to/killingworth]
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parents[1]
KDIR = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parent / "shared/reference/killingworth"


def main() -> None:
    cap = pd.read_csv(KDIR / "capex.csv")
    t50 = cap[cap["source"] == "Table 50"].set_index("item")
    conns = pd.read_csv(KDIR / "connections.csv")

    hp_kw, boiler_kw, store_m3, peak_kw = 2515.0, 5000.0, 200.0, 4600.0  # Tables 21, 22
    per = {
        "heat_pumps": ("Heat pump (MWHP)", hp_kw),
        "heat_source_works": ("Abstraction and discharge connecting pipework and civils", hp_kw),
        "heat_pump_mne": ("Heat pump M&E", hp_kw),
        "boilers": ("Peak and reserve gas boilers", boiler_kw),
        "pressurisation": ("Pressurisation", 1.0),
        "water_treatment": ("Water treatment", 1.0),
        "boiler_flues": ("Peak and reserve boiler flues", boiler_kw),
        "network_pumps": ("Main district heat network pumps", peak_kw),
        "controls": ("Controls", hp_kw),
        "other_mne": ("Other energy centre M&E", hp_kw + boiler_kw),
        "thermal_store": ("Thermal store(s)", store_m3),
        "gas_connection": ("Gas grid connection", 8000.0),
    }
    print("key, Table 50 Phase 1 GBP, contingency %, quantity, rate excl. contingency")
    for key, (item, qty) in per.items():
        amount = float(t50.loc[item, "phase1_gbp"])
        c = float(t50.loc[item, "contingency_pct"])
        print(f"{key:22s} {amount:12,.0f} {c:5.0f} {qty:8.0f} {amount / (1 + c / 100) / qty:12.2f}")
    print(f"electricity_connection: 94,422.78 / 1,400 kVA = {94422.78 / 1400:.2f} GBP/kVA")

    items = t50.drop(index="Total")
    fpd = items[items["summary_category"] == "further_project_development"]
    rest = items[items["summary_category"] != "further_project_development"]
    for col in ("phase1_gbp", "phase2_gbp", "phase3_gbp"):
        base = (rest[col].fillna(0) / (1 + rest["contingency_pct"] / 100)).sum()
        share = float(fpd[col].sum()) / 1.1 / base
        print(f"development {col}: {100 * share:.5f} % of other items excl. contingency")

    nondom = conns[~conns["site_name"].str.contains("social housing|Planned")]
    a = np.c_[np.ones(len(nondom)), nondom["peak_heat_demand_kw"]]
    coef, *_ = np.linalg.lstsq(a, nondom["secondary_side_cost_gbp"], rcond=None)
    print(
        f"connections (n={len(nondom)} non-domestic): "
        f"{coef[0]:,.0f} GBP/connection + {coef[1]:.2f} GBP/kW peak"
    )


if __name__ == "__main__":
    main()
