"""Time region runs on synthetic regions of growing size at 1, 2, 4 ... dask workers.

For each size a synthetic region (towns and villages, written as .osm.pbf) is generated once
into the cache folder; each (size, workers) pair then runs ``heatmap.region.run_region`` on an
embedded LocalCluster (one thread per worker process) and prints: wall time per stage,
buildings per second, buildings per second per worker, the largest peak resident memory of a
worker process over the whole run and in each stage (blocks, tiles, merge, candidates), and
the driver's peak. The last lines project the time for England
(30 million buildings) on 64 workers from the best per-worker rate measured.

Rerun (what fits on a 2-core machine; the 1 M region takes about 10 minutes to generate):
    PYTHONPATH=. .venv/bin/python scripts/bench_region.py --sizes 100000 --workers 1 2
    PYTHONPATH=. .venv/bin/python scripts/bench_region.py --sizes 100000 300000 1000000 \
        --workers 1 2 4 --tile-km 3
"""

from __future__ import annotations

import argparse
import json
import logging
import time
from pathlib import Path

from heatmap.region import Engine, run_region
from heatmap.region.engine import process_peak_memory_mb
from heatmap.region.synthetic import write_synthetic_region

STAGES = ("blocks", "tiles", "merge", "candidates")
ENGLAND_BUILDINGS = 30_000_000
CLUSTER_WORKERS = 64


def _region(cache: Path, n: int) -> tuple[Path, float]:
    path = cache / f"synthetic_{n}.osm.pbf"
    if path.is_file():
        return path, 0.0
    cache.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    counts = write_synthetic_region(path, n, seed=11)
    sec = time.perf_counter() - t0
    mb = path.stat().st_size / 1e6
    print(f"# generated {path.name}: {counts['n_buildings']:,} buildings, {mb:.0f} MB, {sec:.0f} s")
    return path, sec


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[100_000, 300_000, 1_000_000])
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    ap.add_argument("--tile-km", type=float, default=3.0)
    ap.add_argument("--halo-m", type=float, default=500.0)
    ap.add_argument("--cache", type=Path, default=Path("/tmp/heatmap-bench-region"))
    ap.add_argument("--no-candidates", action="store_true")
    ap.add_argument("--json", type=Path, default=None, help="append each row as JSON here")
    args = ap.parse_args()
    logging.basicConfig(level=logging.ERROR)
    for name in ("distributed", "heatmap"):
        logging.getLogger(name).setLevel(logging.ERROR)

    print(
        "buildings  workers  tiles  seconds (blocks/tiles/merge/candidates)  bldg/s  "
        "bldg/s/worker  peak MB/worker (in blocks/tiles/merge/candidates)  driver peak MB"
    )
    best = 0.0
    for n in args.sizes:
        path, _ = _region(args.cache, n)
        for w in args.workers:
            process_peak_memory_mb(reset=True)  # the driver's peak of this run alone
            t0 = time.perf_counter()
            res = run_region(
                path,
                tile_km=args.tile_km,
                halo_m=args.halo_m,
                engine=Engine(workers=w, progress=False),
                work_dir=args.cache / f"work_{n}_{w}",
                candidates=not args.no_candidates,
            )
            sec = time.perf_counter() - t0
            s = res.summary
            nb = s["n_buildings"]
            per_worker = nb / sec / w
            best = max(best, per_worker)
            t = s["timings_s"]
            driver_mb = process_peak_memory_mb()
            print(
                f"{nb:9,d}  {w:7d}  {s['n_tiles']:5d}  {sec:7.0f}  "
                f"({'/'.join(f'{t.get(k, 0):.0f}' for k in STAGES)})"
                f"  {nb / sec:6.0f}  {per_worker:13.0f}  {s['peak_worker_memory_mb']:14.0f}"
                f" ({'/'.join(str(v) for v in s['peak_worker_memory_mb_by_stage'].values())})"
                f"  {driver_mb:14.0f}",
                flush=True,
            )
            if args.json:
                with args.json.open("a", encoding="utf-8") as f:
                    row = {"workers": w, "seconds": sec, "driver_peak_mb": driver_mb, **s}
                    f.write(json.dumps(row) + "\n")
    if best:
        hours = ENGLAND_BUILDINGS / (best * CLUSTER_WORKERS) / 3600.0
        print(
            f"# projection: {ENGLAND_BUILDINGS:,} buildings on {CLUSTER_WORKERS} workers at "
            f"{best:.0f} buildings/s per worker: {hours:.1f} h (perfect scaling; the merge, "
            "zones and candidates run on the same cluster)"
        )


if __name__ == "__main__":
    main()
