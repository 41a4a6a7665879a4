"""``heatmap run``: the whole pipeline on a scenario, an OSM file, a place or a bbox."""

from __future__ import annotations

import json
from pathlib import Path

import click

from heatmap.cli.options import out_opt, overwrite_opt
from heatmap.pipeline.area import check_inputs
from heatmap.pipeline.candidate_params import RANK_KEYS


def _parse_bbox(
    ctx: click.Context,  # noqa: ARG001
    param: click.Parameter,  # noqa: ARG001
    value: str | None,
) -> tuple[float, float, float, float] | None:
    if value is None:
        return None
    parts = value.replace(" ", "").split(",")
    try:
        west, south, east, north = (float(p) for p in parts)
    except ValueError:
        msg = f"expected W,S,E,N in degrees (four numbers), got {value!r}"
        raise click.BadParameter(msg) from None
    return west, south, east, north


@click.command(short_help="Run the whole pipeline and write every output.")
@click.argument(
    "scenario_path",
    metavar="[SCENARIO.toml]",
    required=False,
    type=click.Path(dir_okay=False, path_type=Path),
)
@click.option(
    "--osm",
    "osm_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="OpenStreetMap extract (.osm.pbf or .osm XML).",
)
@click.option("--place", help="Place name to download from OpenStreetMap (online).")
@click.option("--bbox", callback=_parse_bbox, help="W,S,E,N in degrees (download, or crop --osm).")
@click.option("--crs", help="Projected CRS to work in, e.g. EPSG:27700.")
@click.option(
    "--network",
    "network_id",
    help="Run the whole chain for this candidate network (e.g. Z03) instead of the top-ranked.",
)
@click.option(
    "--rank-by",
    type=click.Choice(RANK_KEYS),
    help="Rank the candidate networks by this criterion (default: the scenario's).",
)
@out_opt
@overwrite_opt
@click.option("--no-progress", is_flag=True, help="Hide the progress bar.")
def run(
    scenario_path: Path | None,
    osm_path: Path | None,
    place: str | None,
    bbox: tuple[float, float, float, float] | None,
    crs: str | None,
    network_id: str | None,
    rank_by: str | None,
    out_dir: Path | None,
    overwrite: bool,
    no_progress: bool,
) -> None:
    """Run every stage and write the outputs (map, layers, route files, TEM, figures).

    With no arguments it runs the bundled offline example (the City of London and Bankside,
    with London weather) into outputs/city-of-london-example/.

    \b
    Examples:
      $ heatmap run
      $ heatmap run --osm city.osm.pbf --out outputs/city
      $ heatmap run my_area.toml --overwrite
      $ heatmap run my_area.toml --network Z03 --out outputs/z03
      $ heatmap run --place "Killingworth, North Tyneside" --crs EPSG:27700
    """
    from heatmap._io import check_output_dir, safe_dirname
    from heatmap.pipeline import run as run_pipeline
    from heatmap.pipeline.save import save_results
    from heatmap.pipeline.scenario import Scenario, load_scenario, scenario_with_inputs

    scenario = load_scenario(scenario_path) if scenario_path else Scenario()
    if osm_path is not None and scenario_path is None:
        scenario = scenario.replace(name=osm_path.name.split(".")[0])
    scenario = scenario_with_inputs(
        scenario,
        osm_path=osm_path,
        place=place,
        bbox=bbox,
        crs=crs,
        network=network_id,
        rank_by=rank_by,
    )
    out = out_dir or Path("outputs") / safe_dirname(scenario.name)
    check_inputs(scenario.area)  # fail before the progress bar and hours of work, not after
    check_output_dir(out, overwrite=overwrite)
    results = run_pipeline(scenario, progress=not no_progress)
    written = save_results(results, out, overwrite=overwrite)
    s = results.summary
    click.echo(f"wrote {len(written)} files to {out}")
    if not s["n_viable_candidates"]:
        click.echo(f"no candidate network passes: {s['no_viable_reason']}", err=True)
    headline = {
        k: s[k]
        for k in (
            "n_buildings",
            "network_id",
            "n_candidates",
            "n_viable_candidates",
            "connected_heat_demand_mwh_per_a",
            "spine_length_m",
            "route_lhd_mwh_per_m_a",
            "capex_gbp",
            "low_carbon_share_pct",
            "npv_gbp",
            "irr_pct",
            "lcoh_gbp_per_mwh",
        )
    }
    click.echo(json.dumps(headline, indent=2))
