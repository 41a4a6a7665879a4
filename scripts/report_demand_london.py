"""City of London check of issue 3: demand for every building, density and opportunity areas.

Rerun: PYTHONPATH=. .venv/bin/python scripts/report_demand_london.py [--pbf PATH] [--out DIR]

Buildings with no use tag (building=yes) are treated as non-domestic general offices here
(``untagged_use="non_domestic"``), which is what they overwhelmingly are in the City.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

from heatmap.demand.estimate import DemandParams, anchor_loads, demand_summary, estimate_demand
from heatmap.ingest.osm import read_osm
from heatmap.zones.density import heat_density_raster, opportunity_areas, write_geotiff

REPO = Path(__file__).resolve().parents[1]

DEFAULT_PBF = REPO.parent / "shared" / "data" / "osm" / "london_city_bankside_valhalla_2020.osm.pbf"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--pbf", type=Path, default=DEFAULT_PBF)
    ap.add_argument("--out", type=Path, default=None, help="folder for heat_density.tif")
    args = ap.parse_args()
    pd.set_option("display.width", 160)
    area = read_osm(args.pbf)
    b = area.buildings
    d = estimate_demand(b, params=DemandParams(untagged_use="non_domestic"))
    n = len(d)
    excl = d["demand_source"] == "excluded"
    unaccounted = (~excl & d["heat_demand_mwh_per_a"].isna()) | (
        excl & (d["exclusion_reason"] == "")
    )
    print(
        f"buildings: {n:,}; with a demand and source: {int((~excl).sum()):,}; "
        f"excluded with a reason: {int(excl.sum()):,}; unaccounted: {int(unaccounted.sum())}"
    )
    print(f"total heat demand: {d['heat_demand_mwh_per_a'].sum():,.0f} MWh/a")
    print("\nby use and source (like study Table 5):")
    print(demand_summary(d).round(1).to_string(index=False))
    print("\nexclusion reasons:")
    print(d.loc[excl, "exclusion_reason"].value_counts().to_string())
    fs = d.loc[~excl, "floors_source"].value_counts(normalize=True) * 100
    print(
        "\nfloor counts (included buildings), % of buildings: "
        + ", ".join(f"{k} {v:.1f}%" for k, v in fs.items())
    )
    ga = d.loc[~excl].groupby("floors_source")["gross_floor_area_m2"].sum()
    print(
        "floor area by floors source, % of floor area: "
        + ", ".join(f"{k} {100 * v / ga.sum():.1f}%" for k, v in ga.items())
    )
    dom = d[d["use"] == "domestic"]
    print(
        "\ndomestic property types (from tags or shared walls): "
        + ", ".join(f"{k} {v}" for k, v in dom["property_type"].value_counts().items())
    )
    print("\nnon-domestic categories (MWh/a):")
    nd = d[d["use"] == "non_domestic"].groupby("tm46_category")["heat_demand_mwh_per_a"]
    print(nd.agg(["size", "sum"]).sort_values("sum", ascending=False).round(0).to_string())

    r = heat_density_raster(d, cell_size_m=100.0)
    dens = r.density_mwh_per_ha_a
    nz = dens[dens > 0]
    print(
        f"\nheat density (100 m cells, MWh/ha/yr): max {dens.max():,.0f}; 95th percentile of "
        f"built cells {np.percentile(nz, 95):,.0f}; median {np.median(nz):,.0f}; "
        f"{nz.size} built cells"
    )
    r250 = heat_density_raster(d, cell_size_m=100.0, smoothing_radius_m=250.0)
    print(f"smoothed (250 m disc): max {r250.density_mwh_per_ha_a.max():,.0f} MWh/ha/yr")

    streets = area.streets
    hull_ha = d.union_all().convex_hull.area / 1e4
    print(
        f"\nstreets: {streets.length.sum() / 1000:,.1f} km in the extract; buildings' hull "
        f"{hull_ha:,.0f} ha -> {streets.length.sum() / hull_ha:,.0f} m street per ha"
    )
    oa = opportunity_areas(d, r, streets=streets)
    cols = [
        "rule",
        "rank",
        "heat_demand_mwh_per_a",
        "area_ha",
        "heat_density_mwh_per_ha_a",
        "n_anchor_loads",
        "street_length_m",
        "est_lhd_mwh_per_m_a",
    ]
    print("\nopportunity areas (LHD from streets inside each area):")
    print(oa[cols].round(1).to_string(index=False))
    a = anchor_loads(d)
    print(f"\nanchor loads (>= 500 MWh/a): {len(a)}; largest:")
    print(a.drop(columns=["geometry", "demand_method"]).head(10).round(0).to_string())
    if args.out is not None:
        p = write_geotiff(r, args.out / "heat_density.tif", overwrite=True)
        print(f"\nwrote {p}")
    print("\nrerun: PYTHONPATH=. .venv/bin/python scripts/report_demand_london.py")


if __name__ == "__main__":
    main()
