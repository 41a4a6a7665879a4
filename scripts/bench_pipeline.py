"""Time the whole pipeline and the writing of its outputs, and report peak memory.

Runs the bundled Helsinki example and, when the shared data folder sits beside the repository,
the City of London scenario (gis_data/london_city.toml). Prints per-stage seconds, the time to
write every output, the map size and the peak resident memory of the process.

Rerun: python scripts/bench_pipeline.py [--repeat N]
"""

from __future__ import annotations

import argparse
import logging
import resource
import tempfile
import time
from pathlib import Path

from heatmap import pipeline
from heatmap.pipeline.save import save_results
from heatmap.pipeline.scenario import Scenario, load_scenario

REPO = Path(__file__).resolve().parents[1]


def _bench(name: str, scenario: Scenario, repeat: int) -> None:
    best_run = best_save = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        results = pipeline.run(scenario, progress=False)
        best_run = min(best_run, time.perf_counter() - start)
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            save_results(results, Path(tmp) / "out")
            best_save = min(best_save, time.perf_counter() - start)
            map_mb = (Path(tmp) / "out" / "map.html").stat().st_size / 1e6
    s = results.summary
    stages = ", ".join(f"{k} {v:.2f}" for k, v in results.timings_s.items())
    print(f"{name}: {s['n_buildings']} buildings, {s['n_connected_buildings']} connected loads")
    print(f"  pipeline {best_run:.2f} s (best of {repeat}); stages: {stages}")
    print(f"  writing outputs {best_save:.2f} s; map.html {map_mb:.2f} MB")
    print(
        f"  spine {s['spine_length_m']:,.0f} m, LHD {s['route_lhd_mwh_per_m_a']:.2f} MWh/m/a, "
        f"CAPEX GBP {s['capex_gbp']:,.0f}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=1, help="runs per area (best is reported)")
    args = ap.parse_args()
    logging.basicConfig(level=logging.ERROR)
    _bench("helsinki (bundled)", Scenario(), args.repeat)
    london = REPO / "gis_data" / "london_city.toml"
    scenario = load_scenario(london)
    if scenario.area.osm_path and Path(scenario.area.osm_path).exists():
        _bench("city of london", scenario, args.repeat)
    else:
        print("city of london: shared data not found, skipped")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory {peak_mb:.0f} MB")
    print("rerun: python scripts/bench_pipeline.py")


if __name__ == "__main__":
    main()
