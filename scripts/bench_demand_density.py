"""Benchmark demand + density over >= 200,000 buildings (the City of London extract tiled).

Rerun: PYTHONPATH=. .venv/bin/python scripts/bench_demand_density.py [--tiles 10] [--pbf PATH]

Prints buildings per second for estimate_demand + heat_density_raster (+ opportunity_areas
reported separately) and the peak resident memory of the process.
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from heatmap.demand.estimate import DemandParams, estimate_demand
from heatmap.ingest.osm import read_osm
from heatmap.zones.density import heat_density_raster, opportunity_areas

REPO = Path(__file__).resolve().parents[1]

DEFAULT_PBF = REPO.parent / "shared" / "data" / "osm" / "london_city_bankside_valhalla_2020.osm.pbf"


def tile(b: gpd.GeoDataFrame, n: int) -> gpd.GeoDataFrame:
    """Repeat the extract on an n x n grid of offsets (one extent apart)."""
    minx, miny, maxx, maxy = b.total_bounds
    w, h = maxx - minx + 100, maxy - miny + 100
    geoms = b.geometry.to_numpy()
    parts = []
    for i in range(n):
        for j in range(n):
            t = b.copy()
            t.geometry = shapely.transform(geoms, lambda c, i=i, j=j: c + np.array([i * w, j * h]))
            t.index = t.index + f"@{i},{j}"
            parts.append(t)
    out = pd.concat(parts)
    return gpd.GeoDataFrame(out, geometry="geometry", crs=b.crs)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--pbf", type=Path, default=DEFAULT_PBF)
    ap.add_argument("--tiles", type=int, default=10, help="tiles per side (10 -> 100 copies)")
    ap.add_argument("--repeat", type=int, default=3, help="timed runs; best and median shown")
    ap.add_argument(
        "--untagged-use",
        choices=["non_domestic", "domestic"],
        default="non_domestic",
        help="use of building=yes footprints; 'domestic' sends them through the shared-wall "
        "property typing (the slow path)",
    )
    args = ap.parse_args()
    base = read_osm(args.pbf).buildings
    b = tile(base, args.tiles)
    n = len(b)
    mem0 = peak_mb()
    params = DemandParams(untagged_use=args.untagged_use)
    runs = []
    for _ in range(max(1, args.repeat)):
        t0 = time.perf_counter()
        d = estimate_demand(b, params=params)
        t1 = time.perf_counter()
        r = heat_density_raster(d, cell_size_m=100.0)
        t2 = time.perf_counter()
        runs.append((t1 - t0, t2 - t1))
    t3 = time.perf_counter()
    oa = opportunity_areas(d, r)
    t4 = time.perf_counter()
    totals = sorted(a + c for a, c in runs)
    best = min(runs, key=lambda x: x[0] + x[1])
    print(
        f"buildings: {n:,} ({args.tiles}x{args.tiles} tiles of {len(base):,}); "
        f"untagged use {args.untagged_use}; domestic {int((d['use'] == 'domestic').sum()):,}"
    )
    print(f"estimate_demand (best run): {best[0]:.2f} s")
    print(f"heat_density_raster (best run): {best[1]:.3f} s ({r.density_mwh_per_ha_a.shape} cells)")
    print(
        f"demand + density: {n / totals[0]:,.0f} buildings/s best, "
        f"{n / totals[len(totals) // 2]:,.0f} median of {len(totals)} runs (target >= 50,000)"
    )
    print(f"opportunity_areas: {t4 - t3:.2f} s ({len(oa)} areas)")
    print(f"peak RSS: {peak_mb():,.0f} MB (after loading and tiling: {mem0:,.0f} MB)")
    print(f"total demand: {d['heat_demand_mwh_per_a'].sum():,.0f} MWh/a")
    print(
        "rerun: PYTHONPATH=. .venv/bin/python scripts/bench_demand_density.py "
        f"--tiles {args.tiles} --untagged-use {args.untagged_use} --repeat {args.repeat}"
    )


if __name__ == "__main__":
    main()
