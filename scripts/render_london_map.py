"""Measure map.html size and render time on the City of London + Bankside OSM extract.

The demand stage is separate, so this script uses a stand-in demand that is honest about being
one: footprint area x 100 kWh/m2/yr (no floors, no use split). Anchor loads: >= 500 MWh/yr.
Heat density and opportunity areas: heatmap.zones.density on that demand (100 m grid).
No route (the route stage is separate).

Rerun:  PYTHONPATH=. .venv/bin/python scripts/render_london_map.py [OUT_DIR]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import pyrosm

from heatmap.outputs import maps as render
from heatmap.zones.density import heat_density_raster, opportunity_areas

PBF = (
    Path(__file__).resolve().parents[2]
    / "shared/data/osm/london_city_bankside_valhalla_2020.osm.pbf"
)
CRS = "EPSG:27700"
KWH_PER_M2 = 100.0
CELL_M = 100.0


def main() -> None:
    out_dir = (
        Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp(prefix="london-map-"))
    )
    t0 = time.perf_counter()
    osm = pyrosm.OSM(str(PBF))
    b = osm.get_buildings()
    b = b[b.geom_type.isin(["Polygon", "MultiPolygon"])].to_crs(CRS)
    streets = osm.get_network(network_type="driving")[["name", "highway", "geometry"]].to_crs(CRS)
    t_load = time.perf_counter() - t0
    demand = b.area.to_numpy() * KWH_PER_M2 / 1000.0
    buildings = (
        b[["name", "geometry"]]
        .assign(
            use="unknown",
            heat_demand_mwh_per_a=demand,
            peak_load_kw=demand * 1000.0 / 2000.0,  # stand-in: 2,000 full-load hours
            demand_source="footprint x 100 kWh/m2 (stand-in)",
            is_anchor=demand >= 500.0,
        )
        .set_index(b["id"].astype(str).rename("building_id"))
    )
    # the density stage's own raster and opportunity areas on the stand-in demand
    density = heat_density_raster(buildings, cell_size_m=CELL_M)
    try:
        areas = opportunity_areas(buildings, density, streets=streets)
    except Exception as exc:  # the stage is developed in parallel: report, do not hide
        print(f"opportunity_areas failed ({type(exc).__name__}: {exc}); drawn without them")
        areas = None

    print(
        f"buildings {len(buildings):,}, anchors {int(buildings['is_anchor'].sum())}, "
        f"street edges {len(streets):,}, load {t_load:.1f} s"
    )
    for label, params in (
        ("default (footprints; cells only above 5,000 buildings)", render.MapParams()),
        ("cells + footprints, zoom switch", render.MapParams(max_building_polygons=0)),
        ("cells only", render.MapParams(max_building_polygons=0, max_embedded_polygons=0)),
    ):
        t1 = time.perf_counter()
        m = render.render_map(
            buildings=buildings,
            density=density,
            opportunity_areas=areas,
            streets=streets,
            title="City of London (stand-in demand)",
            params=params,
        )
        path = render.save_map(
            m,
            out_dir / f"map_{params.max_building_polygons}_{params.max_embedded_polygons}.html",
            overwrite=True,
        )
        dt = time.perf_counter() - t1
        print(f"{label}: {path} {path.stat().st_size / 1e6:.2f} MB, render+save {dt:.1f} s")
    print("rerun: PYTHONPATH=. .venv/bin/python scripts/render_london_map.py [OUT_DIR]")


if __name__ == "__main__":
    main()
