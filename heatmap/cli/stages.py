"""One command per pipeline stage, each reading the previous stage's saved output.

\b
  heatmap demand   [SCENARIO] [--osm F]  -> buildings.gpkg (buildings, streets), demand tables
  heatmap density  buildings.gpkg        -> heat_density.tif, opportunity_areas.gpkg
  heatmap cluster  buildings.gpkg        -> clusters.gpkg (clusters; buildings with cluster_id)
  heatmap route    buildings.gpkg        -> route.gpkg (route, terminals), phase_summary.csv
  heatmap size     route.gpkg            -> pipes.gpkg, dn_table.csv, sizing.json
  heatmap dispatch profile.csv           -> dispatch.csv, dispatch.json, figures
  heatmap cost     pipes.gpkg            -> capex_lines.csv, capex_table50.csv
  heatmap econ     capex_lines.csv ...   -> cashflow.csv, tem.xlsx, economics.json
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from heatmap.cli.options import overwrite_opt

if TYPE_CHECKING:
    import geopandas as gpd

    from heatmap.pipeline.scenario import Scenario

_scenario_opt = click.option(
    "--scenario",
    "scenario_path",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Scenario file with the stage's parameters (defaults when omitted).",
)


def _out_opt(default: str) -> Any:
    return click.option(
        "--out",
        "out_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path(default),
        show_default=True,
        help="Output folder.",
    )


def _scenario(path: Path | None) -> Scenario:
    from heatmap.pipeline.scenario import Scenario, load_scenario

    return load_scenario(path) if path else Scenario()


def _layer(path: Path, layer: str) -> gpd.GeoDataFrame:
    from heatmap.errors import InputError
    from heatmap.outputs.gis import read_results_gpkg

    layers = read_results_gpkg(path)
    if layer not in layers:
        msg = (
            f"{path} has no layer {layer!r} (it has {', '.join(sorted(layers)) or 'none'}); "
            "give the file the previous stage wrote"
        )
        raise InputError(msg)
    return layers[layer]


def _check_targets(out_dir: Path, names: list[str], *, overwrite: bool) -> None:
    """Refuse before writing anything if any target exists (no half-written output sets)."""
    from heatmap._io import check_writable

    for name in names:
        check_writable(out_dir / name, overwrite=overwrite)


def _echo_written(paths: list[Path]) -> None:
    for path in paths:
        click.echo(f"wrote {path}")


@click.command(short_help="Estimate every building's heat demand.")
@click.argument(
    "scenario_path",
    metavar="[SCENARIO.toml]",
    required=False,
    type=click.Path(dir_okay=False, path_type=Path),
)
@click.option("--osm", "osm_path", type=click.Path(dir_okay=False, path_type=Path))
@_out_opt("outputs/demand")
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
    from heatmap.outputs.gis import write_csv, write_geopackage
    from heatmap.pipeline.runner import estimate_area_demand, load_area

    scenario = _scenario(scenario_path)
    _check_targets(
        out_dir, ["buildings.gpkg", "demand_summary.csv", "anchor_loads.csv"], overwrite=overwrite
    )
    if osm_path is not None:
        scenario = scenario.replace(area=dataclasses.replace(scenario.area, osm_path=str(osm_path)))
    area = load_area(scenario.area)
    buildings = estimate_area_demand(area, scenario)
    threshold = scenario.demand.anchor_threshold_mwh_per_a
    anchors = demand_stage.anchor_loads(buildings, threshold_mwh_per_a=threshold)
    _echo_written(
        [
            write_geopackage(
                {"buildings": buildings, "streets": area.streets},
                out_dir / "buildings.gpkg",
                overwrite=overwrite,
            ),
            write_csv(
                demand_stage.demand_summary(buildings),
                out_dir / "demand_summary.csv",
                overwrite=overwrite,
            ),
            write_csv(anchors, out_dir / "anchor_loads.csv", overwrite=overwrite),
        ]
    )


@click.command(short_help="Heat-density raster and opportunity areas.")
@click.argument("buildings_path", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@_scenario_opt
@_out_opt("outputs/density")
@overwrite_opt
def density(
    buildings_path: Path, scenario_path: Path | None, out_dir: Path, overwrite: bool
) -> None:
    """Rasterise demand (MWh/ha/yr) and find opportunity areas from a buildings.gpkg.

    \b
    Example:
      $ heatmap density outputs/city/buildings.gpkg --out outputs/city
    """
    from heatmap.outputs.gis import read_results_gpkg, write_geopackage
    from heatmap.pipeline.runner import map_density
    from heatmap.zones import density as density_stage

    scenario = _scenario(scenario_path)
    _check_targets(
        out_dir,
        [
            "heat_density.tif",
            "opportunity_areas.gpkg",
        ],
        overwrite=overwrite,
    )
    layers = read_results_gpkg(buildings_path)
    buildings = _layer(buildings_path, "buildings")
    raster, areas = map_density(buildings, layers.get("streets"), scenario.density)
    _echo_written(
        [
            density_stage.write_geotiff(raster, out_dir / "heat_density.tif", overwrite=overwrite),
            write_geopackage(
                {"opportunity_areas": areas},
                out_dir / "opportunity_areas.gpkg",
                overwrite=overwrite,
            ),
        ]
    )


@click.command(short_help="Cluster buildings and screen the clusters.")
@click.argument("buildings_path", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@_scenario_opt
@_out_opt("outputs/cluster")
@overwrite_opt
def cluster(
    buildings_path: Path, scenario_path: Path | None, out_dir: Path, overwrite: bool
) -> None:
    """Cluster dwellings and non-domestic loads; screen clusters against individual ASHPs.

    \b
    Example:
      $ heatmap cluster outputs/city/buildings.gpkg --out outputs/city
    """
    from heatmap.outputs.gis import read_results_gpkg, write_csv, write_geopackage
    from heatmap.pipeline.runner import cluster_area

    scenario = _scenario(scenario_path)
    _check_targets(
        out_dir,
        [
            "clusters.gpkg",
            "clusters.csv",
        ],
        overwrite=overwrite,
    )
    layers = read_results_gpkg(buildings_path)
    buildings = _layer(buildings_path, "buildings")
    streets = layers.get("streets")
    buildings, clustered = cluster_area(buildings, streets, scenario.cluster)
    out_layers = {"clusters": clustered.clusters, "buildings": buildings}
    if streets is not None:
        out_layers["streets"] = streets
    _echo_written(
        [
            write_geopackage(out_layers, out_dir / "clusters.gpkg", overwrite=overwrite),
            write_csv(clustered.clusters, out_dir / "clusters.csv", overwrite=overwrite),
        ]
    )


@click.command(short_help="Solve the spine route to the anchor loads.")
@click.argument("buildings_path", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@_scenario_opt
@_out_opt("outputs/route")
@overwrite_opt
def route(buildings_path: Path, scenario_path: Path | None, out_dir: Path, overwrite: bool) -> None:
    """Route a spine over the streets of a buildings.gpkg (from `heatmap demand`/`cluster`).

    \b
    Example:
      $ heatmap route outputs/city/clusters.gpkg --out outputs/city
    """
    from heatmap.outputs.gis import write_csv, write_geopackage
    from heatmap.pipeline.runner import plan_route
    from heatmap.routing import route as route_stage

    scenario = _scenario(scenario_path)
    _check_targets(
        out_dir,
        [
            "route.gpkg",
            "phase_summary.csv",
        ],
        overwrite=overwrite,
    )
    buildings = _layer(buildings_path, "buildings")
    streets = _layer(buildings_path, "streets")
    plan = plan_route(buildings, streets, scenario)
    segments = route_stage.route_to_gdf(plan.route)
    import geopandas as gpd

    terminal = gpd.GeoDataFrame(
        {"terminal_id": ["energy_centre"], "role": ["plant"]},
        geometry=[plan.energy_centre.point],
        crs=segments.crs,
    )
    _echo_written(
        [
            write_geopackage(
                {"route": segments, "terminals": terminal},
                out_dir / "route.gpkg",
                overwrite=overwrite,
            ),
            write_csv(
                route_stage.phase_summary(plan.route).reset_index(),
                out_dir / "phase_summary.csv",
                overwrite=overwrite,
            ),
        ]
    )
    click.echo(
        f"spine {plan.route.spine_length_m:.0f} m, "
        f"{plan.route.connected_heat_mwh_per_a:.0f} MWh/a connected, "
        f"LHD {plan.route.route_lhd_mwh_per_m_a:.2f} MWh/m/a"
    )


@click.command(short_help="Size pipes (DN), hydraulics and heat losses.")
@click.argument("route_path", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@_scenario_opt
@_out_opt("outputs/size")
@overwrite_opt
def size(route_path: Path, scenario_path: Path | None, out_dir: Path, overwrite: bool) -> None:
    """Choose a DN per route segment and compute velocities, pump head and losses.

    \b
    Example:
      $ heatmap size outputs/city/route.gpkg --out outputs/city
    """
    from heatmap.design import sizing
    from heatmap.outputs.gis import write_csv, write_geopackage, write_json

    scenario = _scenario(scenario_path)
    _check_targets(
        out_dir,
        [
            "pipes.gpkg",
            "dn_table.csv",
            "sizing.json",
        ],
        overwrite=overwrite,
    )
    segments = _layer(route_path, "route")
    sized = sizing.size_pipes(segments.reset_index(), params=scenario.sizing)
    facts = {
        "pump_head_kpa": sized.pump_head_kpa,
        "pump_power_kw": sized.pump_power_kw,
        "design_flow_kg_per_s": sized.design_flow_kg_per_s,
        "annual_heat_loss_mwh_per_a": sized.annual_heat_loss_mwh_per_a,
        "heat_delivered_mwh_per_a": sized.heat_delivered_mwh_per_a,
        "loss_share_pct": sized.loss_share_pct,
        "loss_share_flagged": sized.loss_share_flagged,
        "index_path": list(sized.index_path),
    }
    _echo_written(
        [
            write_geopackage({"pipes": sized.pipes}, out_dir / "pipes.gpkg", overwrite=overwrite),
            write_csv(sized.dn_table, out_dir / "dn_table.csv", overwrite=overwrite),
            write_json(facts, out_dir / "sizing.json", overwrite=overwrite),
        ]
    )


@click.command(short_help="Hourly dispatch of heat pump, store and boilers.")
@click.argument("profile_path", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--column", default="demand_kw", show_default=True, help="Column of hourly kW.")
@click.option("--losses-kw", type=float, default=0.0, show_default=True, help="Network losses.")
@_scenario_opt
@_out_opt("outputs/dispatch")
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

    from heatmap import plant as dispatch_stage
    from heatmap.errors import InputError
    from heatmap.outputs import plant_figures
    from heatmap.outputs.gis import write_json

    scenario = _scenario(scenario_path)
    _check_targets(
        out_dir,
        ["dispatch.csv", "dispatch.json", "figures/load_duration.png", "figures/typical_days.png"],
        overwrite=overwrite,
    )
    try:
        table = pd.read_csv(profile_path)
    except (OSError, ValueError) as exc:
        msg = f"{profile_path}: cannot read as CSV ({exc})"
        raise InputError(msg) from exc
    if column not in table.columns:
        msg = f"{profile_path}: no column {column!r} (columns: {', '.join(table.columns)})"
        raise InputError(msg)
    values = pd.to_numeric(table[column], errors="coerce").to_numpy(float)
    result = dispatch_stage.dispatch(values, params=scenario.dispatch, losses_kw=losses_kw)
    figures = out_dir / "figures"
    _echo_written(
        [
            dispatch_stage.write_dispatch_csv(
                result, out_dir / "dispatch.csv", overwrite=overwrite
            ),
            write_json(
                dispatch_stage.dispatch_summary(result),
                out_dir / "dispatch.json",
                overwrite=overwrite,
            ),
            plant_figures.plot_load_duration(
                result, figures / "load_duration.png", overwrite=overwrite
            ),
            plant_figures.plot_typical_days(
                result, figures / "typical_days.png", overwrite=overwrite
            ),
        ]
    )


@click.command(short_help="CAPEX bill of quantities for sized pipes and plant.")
@click.argument("pipes_path", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--hp-kw", type=float, required=True, help="Heat-pump capacity (kW).")
@click.option("--boiler-kw", type=float, required=True, help="Boiler capacity (kW).")
@click.option("--store-m3", type=float, default=0.0, show_default=True, help="Thermal store.")
@_scenario_opt
@_out_opt("outputs/cost")
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
    from heatmap.outputs.gis import write_csv

    scenario = _scenario(scenario_path)
    _check_targets(
        out_dir,
        [
            "capex_lines.csv",
            "capex_table50.csv",
        ],
        overwrite=overwrite,
    )
    pipes = _layer(pipes_path, "pipes").reset_index()
    plant = costing.PlantCapacities(
        hp_capacity_kw=hp_kw, boiler_capacity_kw=boiler_kw, store_volume_m3=store_m3
    )
    bill = costing.cost_capex(pipes, plant=plant, params=scenario.costing)
    _echo_written(
        [
            write_csv(bill.lines, out_dir / "capex_lines.csv", overwrite=overwrite),
            write_csv(costing.table50(bill), out_dir / "capex_table50.csv", overwrite=overwrite),
        ]
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
@_scenario_opt
@_out_opt("outputs/econ")
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
    import pandas as pd

    from heatmap.economics import appraisal as economics
    from heatmap.errors import InputError
    from heatmap.outputs.gis import write_csv, write_json

    scenario = _scenario(scenario_path)
    _check_targets(
        out_dir,
        [
            "tem.xlsx",
            "cashflow.csv",
            "economics.json",
        ],
        overwrite=overwrite,
    )
    tables = {}
    for name, path in (
        ("capex", capex_path),
        ("phases", phases_path),
        ("connections", connections_path),
    ):
        try:
            tables[name] = pd.read_csv(path)
        except (OSError, ValueError) as exc:
            msg = f"{path}: cannot read as CSV ({exc})"
            raise InputError(msg) from exc
    inputs = economics.EconomicsInputs(
        capex_lines=tables["capex"], phases=tables["phases"], connections=tables["connections"]
    )
    result = economics.evaluate(inputs, params=scenario.economics)
    economics.write_tem_xlsx(result, out_dir / "tem.xlsx", overwrite=overwrite)
    _echo_written(
        [
            write_csv(result.cashflow, out_dir / "cashflow.csv", overwrite=overwrite),
            write_json(result.summary(), out_dir / "economics.json", overwrite=overwrite),
            out_dir / "tem.xlsx",
        ]
    )
