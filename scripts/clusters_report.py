"""Clusters on real OpenStreetMap extracts (City of London, Leeds) with computed internal lengths.

For each extract: read buildings and streets, estimate demand (heatmap.demand.estimate), cluster
(heatmap.zones.clusters, barriers = motorways/trunk roads from the streets), then compute each
domestic
cluster's internal network length from its own geometry (Steiner tree over its streets, shared
feeds to terraces) and print it beside the study's density-class metres per dwelling.

Run: PYTHONPATH=. .venv/bin/python scripts/clusters_report.py [--shared ../shared] [--eps-m 25]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import pandas as pd

from heatmap.demand.estimate import estimate_demand
from heatmap.ingest.osm import read_osm
from heatmap.zones.clusters import ClusterParams, cluster_buildings, internal_network_lengths

EXTRACTS = {
    "City of London + Bankside": "london_city_bankside_valhalla_2020.osm.pbf",
    "Leeds (tiny)": "leeds_its_osmextract_tiny.osm.pbf",
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared")
    ap.add_argument("--eps-m", type=float, default=ClusterParams().eps_m)
    ap.add_argument("--min-samples", type=int, default=ClusterParams().min_samples)
    args = ap.parse_args()
    params = ClusterParams(eps_m=args.eps_m, min_samples=args.min_samples)
    pd.set_option("display.width", 200)
    pd.set_option("display.max_columns", 30)
    for name, fname in EXTRACTS.items():
        path = args.shared / "data" / "osm" / fname
        if not path.exists():
            print(f"{name}: {path} not found, skipped")
            continue
        t0 = time.perf_counter()
        area = read_osm(path)
        buildings = estimate_demand(area.buildings)
        res = cluster_buildings(buildings, streets=area.streets, params=params)
        t1 = time.perf_counter()
        lengths = internal_network_lengths(
            buildings, res.labels, area.streets, dwellings=res.dwellings, progress=False
        )
        t2 = time.perf_counter()
        c = res.clusters
        dom = c[c["kind"] == "domestic"].join(
            lengths[
                [
                    "internal_network_length_m",
                    "street_m",
                    "feed_m",
                    "frontage_m",
                    "computed_m_per_dwelling",
                ]
            ]
        )
        n_dom = int((buildings["use"] == "domestic").sum())
        n_nd = int((buildings["use"] == "non_domestic").sum())
        print(
            f"\n=== {name}: {len(buildings)} buildings ({n_dom} domestic, {n_nd} non-domestic), "
            f"{len(area.streets)} streets; clustering {t1 - t0:.1f} s incl. read+demand, "
            f"internal lengths {t2 - t1:.1f} s"
        )
        print(
            f"domestic clusters: {len(dom)}, dwellings clustered "
            f"{int(dom['n_dwellings'].sum()) if len(dom) else 0}; non-domestic heat clusters: "
            f"{int((c['kind'] == 'non_domestic').sum())}"
        )
        if len(dom):
            cols = [
                "n_buildings",
                "n_dwellings",
                "heat_demand_mwh_per_a",
                "area_ha",
                "dwellings_per_ha",
                "density_class",
                "internal_network_length_m",
                "street_m",
                "feed_m",
                "frontage_m",
                "computed_m_per_dwelling",
                "m_per_dwelling_all_connected",
                "m_per_dwelling",
                "cost_per_dwelling_gbp",
                "viable",
            ]
            print(dom[cols].round(1).to_string())
            comp = dom["computed_m_per_dwelling"]
            for cls, g in dom.groupby("density_class"):
                print(
                    f"  {cls}: {len(g)} clusters, computed internal m/dwelling median "
                    f"{g['computed_m_per_dwelling'].median():.1f} (range "
                    f"{g['computed_m_per_dwelling'].min():.1f}-{g['computed_m_per_dwelling'].max():.1f})"
                    f" vs study density-class {g['m_per_dwelling_all_connected'].iloc[0]:.1f} m"
                )
            print(f"  all: computed median {comp.median():.1f} m/dwelling")
        nd = c[c["kind"] == "non_domestic"]
        if len(nd):
            print(
                nd[
                    [
                        "n_buildings",
                        "n_anchors",
                        "gross_floor_area_m2",
                        "heat_demand_mwh_per_a",
                        "area_ha",
                    ]
                ]
                .round(1)
                .to_string()
            )
    print("\nrerun: PYTHONPATH=. .venv/bin/python scripts/clusters_report.py")


if __name__ == "__main__":
    main()
