"""City of London route check: spine for the anchor loads, per-segment LHD and a phased example.

Reads the City of London + Bankside OSM extract from ../shared/data/osm, estimates demand with
heatmap.demand.estimate, then times the whole route stage: street graph, terminal attachment,
reachable
component, energy-centre siting (no candidate sites: street nodes ranked by demand-weighted
distance, the best few scored by route cost), and a two-phase route (phase 1: anchor loads
>= 500 MWh/a; phase 2: buildings of 250-500 MWh/a extending the phase-1 spine).

Run:
    PYTHONPATH=. .venv/bin/python scripts/route_london.py [--method default|fast|exact] [--out DIR]
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

import pandas as pd

from heatmap import schema
from heatmap.demand import estimate as demand
from heatmap.ingest import osm as ingest
from heatmap.routing.graph import (
    NetworkParams,
    attach_terminals,
    build_street_graph,
    keep_largest_component,
    largest_reachable_component,
)
from heatmap.routing.route import (
    RouteParams,
    build_route,
    choose_energy_centre,
    loads_from_terminals,
    phase_summary,
    route_to_gdf,
)

PBF = (
    Path(__file__).resolve().parents[2]
    / "shared/data/osm/london_city_bankside_valhalla_2020.osm.pbf"
)
PHASE2_MIN_MWH = 250.0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pbf", type=Path, default=PBF)
    ap.add_argument("--method", default="default", choices=["default", "fast", "exact"])
    ap.add_argument(
        "--time-limit", type=float, default=60.0, help="solver time cap, whole route, s"
    )
    ap.add_argument("--lhd-threshold", type=float, default=3.0, help="MWh/m/a (study: 3)")
    ap.add_argument("--prune", action="store_true", help="prune low-LHD leaf branches")
    ap.add_argument("--prize", action="store_true", help="prize-collecting: drop unpaying loads")
    ap.add_argument("--out", type=Path, default=None, help="write route.gpkg here")
    ap.add_argument("-v", action="store_true")
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO if args.v else logging.WARNING)
    if not args.pbf.exists():
        print(f"missing {args.pbf}; this check needs ../shared/data")
        return 1

    t = time.perf_counter()
    area = ingest.read_osm(args.pbf)
    bld = demand.estimate_demand(area.buildings)
    t_inputs = time.perf_counter() - t
    heat = bld[schema.HEAT_DEMAND_MWH_PER_A]
    cand = bld[heat >= PHASE2_MIN_MWH].copy()
    cand[schema.PHASE] = (~cand[schema.IS_ANCHOR]).astype(int) + 1
    cand["n_connections"] = 1
    print(f"inputs: {len(bld)} buildings, {len(area.streets)} street segments, {area.crs}")
    print(
        f"  anchors (>= 500 MWh/a): {int(bld[schema.IS_ANCHOR].sum())}, "
        f"{heat[bld[schema.IS_ANCHOR]].sum():,.0f} MWh/a; phase-2 loads (250-500 MWh/a): "
        f"{int((cand[schema.PHASE] == 2).sum())}; ingest + demand {t_inputs:.2f} s"
    )

    net = NetworkParams()
    rp = RouteParams(
        method=args.method,
        time_limit_s=args.time_limit,
        on_unreachable="drop",
        lhd_threshold_mwh_per_m_a=args.lhd_threshold,
        prune_low_lhd=args.prune,
        prize_collecting=args.prize,
    )
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    G = keep_largest_component(build_street_graph(area.streets, params=net))
    timings["street graph"] = time.perf_counter() - t0
    t = time.perf_counter()
    pts = cand.reset_index()[[schema.BUILDING_ID, "geometry"]]
    H, nodes = attach_terminals(G, pts, id_column=schema.BUILDING_ID, params=net)
    timings["attach terminals"] = time.perf_counter() - t
    t = time.perf_counter()
    loads = loads_from_terminals(nodes, cand)
    # every load should now reach the largest anchor; report those that do not
    H, unreachable = largest_reachable_component(H, loads[HEAT_COL].idxmax())
    loads = loads[loads.index.isin(list(H.nodes))]
    timings["reachable component"] = time.perf_counter() - t
    t = time.perf_counter()
    choice = choose_energy_centre(
        H, loads=loads[loads[schema.PHASE] == 1], n_evaluate=5, network_params=net
    )
    timings["energy-centre siting"] = time.perf_counter() - t
    t = time.perf_counter()
    route = build_route(choice.graph, root=choice.node, loads=loads, params=rp, network_params=net)
    timings["route (2 phases)"] = time.perf_counter() - t
    t = time.perf_counter()
    gdf = route_to_gdf(route)
    table = phase_summary(route)
    timings["segments + phase table"] = time.perf_counter() - t
    total = time.perf_counter() - t0

    print(
        f"graph: {G.number_of_nodes()} nodes, {G.number_of_edges()} edges; with terminals "
        f"{H.number_of_nodes()} / {H.number_of_edges()}; unreachable loads: "
        f"{len(unreachable)}; unattached (> {net.max_service_length_m:g} m from a street): "
        f"{len(H.graph.get('unattached', ()))}"
    )
    alt = choice.alternatives
    print(f"energy centre: {alt['site_id'].iat[0]} at ({choice.point.x:.0f}, {choice.point.y:.0f})")
    print(
        alt[["site_id", "demand_weighted_distance", "route_cost", "n_unreachable"]]
        .round(0)
        .to_string(index=False)
    )
    gap = "n/a" if route.gap is None else f"{100 * route.gap:.2f} %"
    print(
        f"route ({route.solver}, solver {route.seconds:.2f} s, gap {gap}): "
        f"{len(route.loads)} loads ({len(route.pruned)} pruned), "
        f"{route.spine_length_m:,.0f} m spine, "
        f"{route.service_length_m:,.0f} m service, trench cost GBP {route.trench_cost_gbp:,.0f}"
    )
    print(
        f"  connected heat {route.connected_heat_mwh_per_a:,.0f} MWh/a, route LHD "
        f"{route.route_lhd_mwh_per_m_a:.2f} MWh/m/a"
    )
    street = gdf[gdf[schema.KIND] == "street"]
    low = street[street["low_lhd"]]
    print(
        f"  street segments: {len(street)}; below {rp.lhd_threshold_mwh_per_m_a:g} MWh/m/a: "
        f"{len(low)} ({low[schema.LENGTH_M].sum():,.0f} m)"
    )
    q = street[schema.LHD_MWH_PER_M_A].quantile([0.1, 0.5, 0.9])
    print(f"  segment LHD p10/p50/p90: {q.iat[0]:.1f} / {q.iat[1]:.1f} / {q.iat[2]:.1f} MWh/m/a")
    print("phase summary (per-phase increments, as study Table 23):")
    cols = [
        "spine_length_m",
        "service_length_m",
        schema.HEAT_DEMAND_MWH_PER_A,
        "n_connections",
        schema.LHD_MWH_PER_M_A,
        "cumulative_lhd_mwh_per_m_a",
    ]
    print(table[cols].round(2).to_string())
    print("route-stage timings (s):")
    for k, v in timings.items():
        print(f"  {k:<26} {v:6.2f}")
    print(f"  {'total route stage':<26} {total:6.2f}  (target < 10 s)")
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        gdf.to_file(args.out / "route_london.gpkg", layer="route")
        print(f"wrote {args.out / 'route_london.gpkg'}")
    flags = f"--method {args.method} --time-limit {args.time_limit:g}"
    flags += f" --lhd-threshold {args.lhd_threshold:g}"
    flags += " --prune" if args.prune else ""
    flags += " --prize" if args.prize else ""
    print(f"rerun: PYTHONPATH=. .venv/bin/python scripts/route_london.py {flags}")
    return 0


HEAT_COL = schema.HEAT_DEMAND_MWH_PER_A

if __name__ == "__main__":
    pd.set_option("display.width", 160)
    sys.exit(main())
