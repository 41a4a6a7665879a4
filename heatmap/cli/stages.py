"""One command per pipeline stage, each reading the previous stage's saved output.

  heatmap demand   [SCENARIO] [--osm F]  -> buildings.gpkg (buildings, streets), demand tables
  heatmap density  buildings.gpkg        -> heat_density.tif, opportunity_areas.gpkg
  heatmap cluster  buildings.gpkg        -> clusters.gpkg (clusters; buildings with cluster_id)
  heatmap route    buildings.gpkg        -> route.gpkg (route, terminals), phase_summary.csv
  heatmap size     route.gpkg            -> pipes.gpkg, dn_table.csv, sizing.json
  heatmap dispatch profile.csv           -> dispatch.csv, dispatch.json, figures
  heatmap cost     pipes.gpkg            -> capex_lines.csv, capex_table50.csv
  heatmap econ     capex_lines.csv ...   -> cashflow.csv, tem.xlsx, economics.json

Each command follows the skeleton of :func:`heatmap.cli._stage.run_stage`: its outputs are
declared once as file name -> writer, checked before any work, then written.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import click

from heatmap.cli._stage import input_layer, out_opt, run_stage, scenario_opt, stage_scenario
from heatmap.cli.options import overwrite_opt

__all__ = ["cluster", "cost", "demand", "density", "dispatch", "econ", "route", "size"]


def _read_csv(path: Path) -> Any:
    """Read a CSV input, naming the file when it cannot be read."""
    import pandas as pd

    from heatmap.errors import InputError

    try:
        return pd.read_csv(path)
    except (OSError, ValueError) as exc:
        msg = f"{path}: cannot read as CSV ({exc})"
        raise InputError(msg) from exc


@click.command(short_help="Estimate every building's heat demand.")
@click.argument(
    "scenario_path",
    metavar="[SCENARIO.toml]",
    required=False,
    type=click.Path(dir_okay=False, path_type=Path),
)
@click.option("--osm", "osm_path", type=click.Path(dir_okay=False, path_type=Path))
@out_opt("outputs/demand")
@overwrite_opt
def demand(
    scenario_path: Path | None, osm_path: Path | None, out_dir: Path, overwrite: bool
) -> None:
    """Ingest the area and estimate annual and peak demand per building.

    \b
    Example:
      $ heatmap demand --osm city.osm.pbf --out outputs/city
    """
    from heatmap.demand import estimate as demand_stage
    from heatmap.outputs import write_csv, write_geopackage
    from heatmap.pipeline import estimate_area_demand, load_area

    scenario = stage_scenario(scenario_path)
    if osm_path is not None:
        scenario = scenario.replace(area=dataclasses.replace(scenario.area, osm_path=str(osm_path)))

    def compute() -> Any:
        area = load_area(scenario.area)
        buildings = estimate_area_demand(area, scenario)
        threshold = scenario.demand.anchor_threshold_mwh_per_a
        anchors = demand_stage.anchor_loads(buildings, threshold_mwh_per_a=threshold)
        return area, buildings, anchors

    run_stage(
        out_dir,
        overwrite=overwrite,
        compute=compute,
        writers={
            "buildings.gpkg": lambda r, p, o: write_geopackage(
                {"buildings": r[1], "streets": r[0].streets}, p, overwrite=o
            ),
            "demand_summary.csv": lambda r, p, o: write_csv(
                demand_stage.demand_summary(r[1]), p, overwrite=o
            ),
            "anchor_loads.csv": lambda r, p, o: write_csv(r[2], p, overwrite=o),
        },
    )


@click.command(short_help="Heat-density raster and opportunity areas.")
@click.argument("buildings_path", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@scenario_opt
@out_opt("outputs/density")
@overwrite_opt
def density(
    buildings_path: Path, scenario_path: Path | None, out_dir: Path, overwrite: bool
) -> None:
    """Rasterise demand (MWh/ha/yr) and find opportunity areas from a buildings.gpkg.

    \b
    Example:
      $ heatmap density outputs/city/buildings.gpkg --out outputs/city
    """
    from heatmap.outputs import read_results_gpkg, write_geopackage
    from heatmap.pipeline import map_density
    from heatmap.zones import density as density_stage

    scenario = stage_scenario(scenario_path)

    def compute() -> Any:
        layers = read_results_gpkg(buildings_path)
        buildings = input_layer(buildings_path, "buildings")
        return map_density(buildings, layers.get("streets"), scenario.density)

    run_stage(
        out_dir,
        overwrite=overwrite,
        compute=compute,
        writers={
            "heat_density.tif": lambda r, p, o: density_stage.write_geotiff(r[0], p, overwrite=o),
            "opportunity_areas.gpkg": lambda r, p, o: write_geopackage(
                {"opportunity_areas": r[1]}, p, overwrite=o
            ),
        },
    )


@click.command(short_help="Cluster buildings and screen the clusters.")
@click.argument("buildings_path", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@scenario_opt
@out_opt("outputs/cluster")
@overwrite_opt
def cluster(
    buildings_path: Path, scenario_path: Path | None, out_dir: Path, overwrite: bool
) -> None:
    """Cluster dwellings and non-domestic loads; screen clusters against individual ASHPs.

    \b
    Example:
      $ heatmap cluster outputs/city/buildings.gpkg --out outputs/city
    """
    from heatmap.outputs import read_results_gpkg, write_csv, write_geopackage
    from heatmap.pipeline import cluster_area

    scenario = stage_scenario(scenario_path)

    def compute() -> Any:
        layers = read_results_gpkg(buildings_path)
        buildings = input_layer(buildings_path, "buildings")
        streets = layers.get("streets")
        buildings, clustered = cluster_area(buildings, streets, scenario.cluster)
        out_layers = {"clusters": clustered.clusters, "buildings": buildings}
        if streets is not None:
            out_layers["streets"] = streets
        return out_layers

    run_stage(
        out_dir,
        overwrite=overwrite,
        compute=compute,
        writers={
            "clusters.gpkg": lambda r, p, o: write_geopackage(r, p, overwrite=o),
            "clusters.csv": lambda r, p, o: write_csv(r["clusters"], p, overwrite=o),
        },
    )


@click.command(short_help="Solve the spine route to the anchor loads.")
@click.argument("buildings_path", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@scenario_opt
@out_opt("outputs/route")
@overwrite_opt
def route(buildings_path: Path, scenario_path: Path | None, out_dir: Path, overwrite: bool) -> None:
    """Route a spine over the streets of a buildings.gpkg (from `heatmap demand`/`cluster`).

    \b
    Example:
      $ heatmap route outputs/city/clusters.gpkg --out outputs/city
    """
    import geopandas as gpd

    from heatmap.outputs import write_csv, write_geopackage
    from heatmap.pipeline import plan_route
    from heatmap.routing import route as route_stage

    scenario = stage_scenario(scenario_path)

    def compute() -> Any:
        buildings = input_layer(buildings_path, "buildings")
        streets = input_layer(buildings_path, "streets")
        plan = plan_route(buildings, streets, scenario)
        segments = route_stage.route_to_gdf(plan.route)
        terminal = gpd.GeoDataFrame(
            {"terminal_id": ["energy_centre"], "role": ["plant"]},
            geometry=[plan.energy_centre.point],
            crs=segments.crs,
        )
        return plan, {"route": segments, "terminals": terminal}

    plan, _ = run_stage(
        out_dir,
        overwrite=overwrite,
        compute=compute,
        writers={
            "route.gpkg": lambda r, p, o: write_geopackage(r[1], p, overwrite=o),
            "phase_summary.csv": lambda r, p, o: write_csv(
                route_stage.phase_summary(r[0].route).reset_index(), p, overwrite=o
            ),
        },
    )
    click.echo(
        f"spine {plan.route.spine_length_m:.0f} m, "
        f"{plan.route.connected_heat_mwh_per_a:.0f} MWh/a connected, "
        f"LHD {plan.route.route_lhd_mwh_per_m_a:.2f} MWh/m/a"
    )


@click.command(short_help="Size pipes (DN), hydraulics and heat losses.")
@click.argument("route_path", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@scenario_opt
@out_opt("outputs/size")
@overwrite_opt
def size(route_path: Path, scenario_path: Path | None, out_dir: Path, overwrite: bool) -> None:
    """Choose a DN per route segment and compute velocities, pump head and losses.

    \b
    Example:
      $ heatmap size outputs/city/route.gpkg --out outputs/city
    """
    from heatmap.design import sizing
    from heatmap.outputs import write_csv, write_geopackage, write_json

    scenario = stage_scenario(scenario_path)

    def compute() -> Any:
        segments = input_layer(route_path, "route")
        return sizing.size_pipes(segments.reset_index(), params=scenario.sizing)

    def facts(sized: Any) -> dict[str, Any]:
        return {
            "pump_head_kpa": sized.pump_head_kpa,
            "pump_power_kw": sized.pump_power_kw,
            "design_flow_kg_per_s": sized.design_flow_kg_per_s,
            "annual_heat_loss_mwh_per_a": sized.annual_heat_loss_mwh_per_a,
            "heat_delivered_mwh_per_a": sized.heat_delivered_mwh_per_a,
            "loss_share_pct": sized.loss_share_pct,
            "loss_share_flagged": sized.loss_share_flagged,
            "index_path": list(sized.index_path),
        }

    run_stage(
        out_dir,
        overwrite=overwrite,
        compute=compute,
        writers={
            "pipes.gpkg": lambda r, p, o: write_geopackage({"pipes": r.pipes}, p, overwrite=o),
            "dn_table.csv": lambda r, p, o: write_csv(r.dn_table, p, overwrite=o),
            "sizing.json": lambda r, p, o: write_json(facts(r), p, overwrite=o),
        },
    )


@click.command(short_help="Hourly dispatch of heat pump, store and boilers.")
@click.argument("profile_path", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--column", default="demand_kw", show_default=True, help="Column of hourly kW.")
@click.option("--losses-kw", type=float, default=0.0, show_default=True, help="Network losses.")
@scenario_opt
@out_opt("outputs/dispatch")
@overwrite_opt
def dispatch(
    profile_path: Path,
    column: str,
    losses_kw: float,
    scenario_path: Path | None,
    out_dir: Path,
    overwrite: bool,
) -> None:
    """Dispatch an 8,760-hour demand profile (CSV with a kW column) over the plant.

    \b
    Example:
      $ heatmap dispatch outputs/city/dispatch.csv --column demand_kw --out outputs/rerun
    """
    import pandas as pd

    from heatmap.errors import InputError
    from heatmap.outputs import plot_load_duration, plot_typical_days, write_json
    from heatmap.plant import operation as dispatch_stage

    scenario = stage_scenario(scenario_path)

    def compute() -> Any:
        table = _read_csv(profile_path)
        if column not in table.columns:
            msg = f"{profile_path}: no column {column!r} (columns: {', '.join(table.columns)})"
            raise InputError(msg)
        values = pd.to_numeric(table[column], errors="coerce").to_numpy(float)
        return dispatch_stage.dispatch(values, params=scenario.dispatch, losses_kw=losses_kw)

    run_stage(
        out_dir,
        overwrite=overwrite,
        compute=compute,
        writers={
            "dispatch.csv": lambda r, p, o: dispatch_stage.write_dispatch_csv(r, p, overwrite=o),
            "dispatch.json": lambda r, p, o: write_json(
                dispatch_stage.dispatch_summary(r), p, overwrite=o
            ),
            "figures/load_duration.png": lambda r, p, o: plot_load_duration(r, p, overwrite=o),
            "figures/typical_days.png": lambda r, p, o: plot_typical_days(r, p, overwrite=o),
        },
    )


@click.command(short_help="CAPEX bill of quantities for sized pipes and plant.")
@click.argument("pipes_path", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--hp-kw", type=float, required=True, help="Heat-pump capacity (kW).")
@click.option("--boiler-kw", type=float, required=True, help="Boiler capacity (kW).")
@click.option("--store-m3", type=float, default=0.0, show_default=True, help="Thermal store.")
@scenario_opt
@out_opt("outputs/cost")
@overwrite_opt
def cost(
    pipes_path: Path,
    hp_kw: float,
    boiler_kw: float,
    store_m3: float,
    scenario_path: Path | None,
    out_dir: Path,
    overwrite: bool,
) -> None:
    """Cost the network, connections and energy centre (study Table 50 shape).

    \b
    Example:
      $ heatmap cost outputs/city/pipes.gpkg --hp-kw 2510 --boiler-kw 5000 --store-m3 200
    """
    from heatmap.design import costing
    from heatmap.outputs import write_csv

    scenario = stage_scenario(scenario_path)

    def compute() -> Any:
        pipes = input_layer(pipes_path, "pipes").reset_index()
        plant = costing.PlantCapacities(
            hp_capacity_kw=hp_kw, boiler_capacity_kw=boiler_kw, store_volume_m3=store_m3
        )
        return costing.cost_capex(pipes, plant=plant, params=scenario.costing)

    bill = run_stage(
        out_dir,
        overwrite=overwrite,
        compute=compute,
        writers={
            "capex_lines.csv": lambda r, p, o: write_csv(r.lines, p, overwrite=o),
            "capex_table50.csv": lambda r, p, o: write_csv(costing.table50(r), p, overwrite=o),
        },
    )
    click.echo(f"CAPEX £{bill.total_capex_gbp:,.0f}")


@click.command(short_help="Cashflow, NPV/IRR/LCOH, carbon, grant tests and TEM workbook.")
@click.argument("capex_path", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option(
    "--phases",
    "phases_path",
    required=True,
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="CSV: phase, start_year, heat_sold_mwh_per_a, electricity_mwh_per_a, gas_mwh_per_a.",
)
@click.option(
    "--connections",
    "connections_path",
    required=True,
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="CSV: name, phase, counterfactual, heat_demand_mwh_per_a, peak_kw[, dwellings].",
)
@scenario_opt
@out_opt("outputs/econ")
@overwrite_opt
def econ(
    capex_path: Path,
    phases_path: Path,
    connections_path: Path,
    scenario_path: Path | None,
    out_dir: Path,
    overwrite: bool,
) -> None:
    """Run the techno-economic model on CAPEX lines, phase energy flows and connections.

    \b
    Example:
      $ heatmap econ capex_lines.csv --phases phases.csv --connections connections.csv
    """
    from heatmap.economics import appraisal as economics
    from heatmap.outputs import write_csv, write_json

    scenario = stage_scenario(scenario_path)

    def write_tem(result: Any, path: Path, overwrite: bool) -> Path:
        economics.write_tem_xlsx(result, path, overwrite=overwrite)
        return path

    def compute() -> Any:
        inputs = economics.EconomicsInputs(
            capex_lines=_read_csv(capex_path),
            phases=_read_csv(phases_path),
            connections=_read_csv(connections_path),
        )
        return economics.evaluate(inputs, params=scenario.economics)

    run_stage(
        out_dir,
        overwrite=overwrite,
        compute=compute,
        writers={
            "tem.xlsx": write_tem,
            "cashflow.csv": lambda r, p, o: write_csv(r.cashflow, p, overwrite=o),
            "economics.json": lambda r, p, o: write_json(r.summary(), p, overwrite=o),
        },
    )
