"""``heatmap demand-report``: the demand tables a planner reads before trusting a map."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import click

from heatmap.cli.options import overwrite_opt

__all__ = ["demand_report"]


@click.command("demand-report", short_help="Print the demand report of a study area.")
@click.argument(
    "scenario_path",
    metavar="[SCENARIO.toml]",
    required=False,
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
)
@click.option("--osm", "osm_path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--top", default=20, show_default=True, help="Number of largest loads to list.")
@click.option(
    "--csv-dir",
    "csv_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Also write the four tables as CSV files into this folder.",
)
@overwrite_opt
def demand_report(
    scenario_path: Path | None,
    osm_path: Path | None,
    top: int,
    csv_dir: Path | None,
    overwrite: bool,
) -> None:
    r"""Demand by use, domestic MWh per dwelling, the largest loads and every flag.

    \b
    Example:
      $ heatmap demand-report --osm city.osm.pbf
    """
    from heatmap.demand.report import demand_report as build_report
    from heatmap.outputs.tables import write_csv
    from heatmap.pipeline.runner import estimate_area_demand, load_area
    from heatmap.pipeline.scenario import Scenario, load_scenario

    scenario = load_scenario(scenario_path) if scenario_path else Scenario()
    if osm_path is not None:
        scenario = scenario.replace(area=dataclasses.replace(scenario.area, osm_path=str(osm_path)))
    area = load_area(scenario.area)
    report = build_report(estimate_area_demand(area, scenario), top=top)
    tables = {
        "demand_by_use": report.by_use,
        "demand_per_dwelling": report.per_dwelling,
        "top_loads": report.top_loads,
        "flags": report.flags,
    }
    click.echo(f"{area.source}: {len(area.buildings)} buildings")
    click.echo(
        f"heating degree days: {report.degree_days_k_day:,.0f} K day/a "
        f"({report.degree_days_source})"
    )
    for name, table in tables.items():
        click.echo(f"\n{name.replace('_', ' ')} ({len(table)} rows)")
        click.echo(table.round(1).to_string(index=False, max_colwidth=40))
    if csv_dir is not None:
        csv_dir.mkdir(parents=True, exist_ok=True)
        for name, table in tables.items():
            written = write_csv(table, csv_dir / f"{name}.csv", overwrite=overwrite)
            click.echo(f"wrote {written}")
