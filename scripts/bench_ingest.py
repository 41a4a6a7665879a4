"""Time heatmap.ingest.osm.read_osm on the bundled Helsinki extract and the ../shared OSM extracts.

Prints buildings, street lines and seconds per file. Rerun with:

    PYTHONPATH=. .venv/bin/python scripts/bench_ingest.py
"""

from __future__ import annotations

import logging
import os
import time
import warnings
from pathlib import Path

from heatmap.ingest.osm import default_example_path, read_osm

SHARED = Path(
    os.environ.get("HEATMAP_SHARED", Path(__file__).resolve().parents[1].parent / "shared")
)


def main() -> None:
    logging.basicConfig(level=logging.WARNING)
    warnings.simplefilter("ignore")
    paths = [default_example_path()]
    paths += sorted((SHARED / "data" / "osm").glob("*.osm.pbf"))
    read_osm(paths[0])  # warm up imports
    for path in paths:
        t0 = time.perf_counter()
        area = read_osm(path)
        seconds = time.perf_counter() - t0
        print(
            f"{path.name}: {len(area.buildings)} buildings, {len(area.streets)} street lines "
            f"({area.streets['length_m'].sum() / 1000:.1f} km), CRS EPSG:{area.crs.to_epsg()}, "
            f"{seconds:.2f} s"
        )
    print("rerun: PYTHONPATH=. .venv/bin/python scripts/bench_ingest.py")


if __name__ == "__main__":
    main()
