"""Time a region run in tiles at 1 and 2 (or more) dask workers, with the workers' peak memory.

Runs ``heatmap.region.run_region`` on an extract (default: the City of London & Bankside in
``../shared/data/osm``) and prints, per worker count: wall time, buildings per second, buildings
per second per worker and the largest resident memory of a worker process.

Rerun:
    PYTHONPATH=. .venv/bin/python scripts/bench_region.py --tile-km 0.5 --workers 1 2
    PYTHONPATH=. .venv/bin/python scripts/bench_region.py --osm region.osm.pbf --tile-km 5
"""

from __future__ import annotations

import argparse
import logging
import time
from pathlib import Path

from heatmap.region import run_region

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "osm"


def _peak_worker_mb(client: object) -> float:
    """Largest peak resident memory (MB) over the cluster's worker processes."""

    def peak() -> float:
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0

    return max(client.run(peak).values())  # type: ignore[attr-defined]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument(
        "--osm", type=Path, default=SHARED / "london_city_bankside_valhalla_2020.osm.pbf"
    )
    ap.add_argument("--tile-km", type=float, default=0.5)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = ap.parse_args()
    logging.basicConfig(level=logging.ERROR)
    logging.getLogger("distributed").setLevel(logging.ERROR)
    from distributed import Client, LocalCluster

    print("workers  tiles  buildings  seconds  bldg/s  bldg/s/worker  peak MB/worker")
    for n in args.workers:
        with LocalCluster(n_workers=n, threads_per_worker=1, dashboard_address=None) as cluster:
            client = Client(cluster)
            t0 = time.perf_counter()
            res = run_region(
                args.osm, tile_km=args.tile_km, scheduler=cluster.scheduler_address, progress=False
            )
            sec = time.perf_counter() - t0
            mb = _peak_worker_mb(client)
            client.close()
        nb = res.summary["n_buildings"]
        print(
            f"{n:7d}  {res.summary['n_tiles']:5d}  {nb:9d}  {sec:7.1f}  {nb / sec:6.0f}  "
            f"{nb / sec / n:13.0f}  {mb:14.0f}"
        )


if __name__ == "__main__":
    main()
