"""Benchmark and study check for heatmap.plant dispatch.

Builds the pipeline's hourly profile (heatmap.demand.estimate, on North Eastern synthetic weather)
with the
Killingworth study's Phase 1 peak (4.6 MW) and annual heat incl. losses (11,803 MWh), then:
times one 8,760-hour dispatch (target < 50 ms) and a 10 x 10 sizing sweep (target < 5 s), and
prints the low-carbon share of 2.51 MW of heat pump against store size (study: 97 % with 200 m3).

Run: PYTHONPATH=. .venv/bin/python scripts/bench_dispatch.py [--figures DIR]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from heatmap.demand.estimate import hourly_profile_kw
from heatmap.ingest.weather import synthetic_weather
from heatmap.outputs.plant_figures import (
    plot_annual_profile,
    plot_load_duration,
    plot_sweep,
    plot_typical_days,
)
from heatmap.plant import DispatchParams, dispatch, sizing_sweep


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--figures", type=Path, default=None, help="write PNG figures here")
    args = ap.parse_args()
    demand = hourly_profile_kw(11803.0, 4600.0, weather=synthetic_weather("North Eastern"))
    params = DispatchParams(hp_capacity_kw=2515.0)
    dispatch(demand, params=params)
    n = 20
    t0 = time.perf_counter()
    for _ in range(n):
        res = dispatch(demand, params=params)
    one_ms = (time.perf_counter() - t0) / n * 1000
    print(f"one 8,760-h dispatch: {one_ms:.1f} ms (mean of {n}; target < 50 ms)")
    print(
        f"study Phase 1 check: HP 2,515 kW + 200 m3 store -> low-carbon "
        f"{res.low_carbon_share_pct:.1f} % (study 97 %), boilers "
        f"{res.energy_balance_mwh['boiler_mwh']:.0f} MWh (study 308), HP "
        f"{res.energy_balance_mwh['hp_mwh']:.0f} MWh, SPF {res.spf:.2f}, "
        f"{res.hp_running_hours} h running, {res.hp_starts} starts, boilers n+1 "
        f"{res.boiler_capacity_kw:.0f} kW (study 5,000)"
    )
    print("store volume m3 -> low-carbon share % (HP 2,515 kW):")
    for vol in (0, 25, 50, 100, 200, 400, 800, 1600):
        r = dispatch(demand, params=DispatchParams(hp_capacity_kw=2515.0, store_volume_m3=vol))
        print(f"  {vol:5d} m3: {r.low_carbon_share_pct:6.2f} %  boilers {r.gas_mwh * 0.9:7.0f} MWh")
    caps = np.linspace(1000, 4000, 10)
    vols = np.linspace(0, 900, 10)
    t0 = time.perf_counter()
    sweep = sizing_sweep(demand, hp_capacities_kw=caps, store_volumes_m3=vols, params=params)
    sweep_s = time.perf_counter() - t0
    print(f"10 x 10 sizing sweep: {sweep_s:.2f} s (target < 5 s); {sweep.note}")
    if sweep.chosen is not None:
        print(sweep.chosen.to_string())
    if args.figures:
        args.figures.mkdir(parents=True, exist_ok=True)
        for fn, name in (
            (plot_load_duration, "load_duration.png"),
            (plot_typical_days, "typical_days.png"),
            (plot_annual_profile, "annual_profile.png"),
        ):
            print("wrote", fn(res, args.figures / name, overwrite=True))
        print("wrote", plot_sweep(sweep, args.figures / "sizing_sweep.png", overwrite=True))
    print(
        "rerun: PYTHONPATH=. .venv/bin/python scripts/bench_dispatch.py "
        "--figures /tmp/dispatch_figs"
    )


if __name__ == "__main__":
    main()
