"""``heatmap candidates``: the ranked candidate networks, without the full chain for the winner."""

from __future__ import annotations

import json
from pathlib import Path

import click

from heatmap.pipeline.candidate_params import RANK_KEYS

_SHOWN = (
    "rank",
    "network_id",
    "viable",
    "connected_heat_mwh_per_a",
    "trench_length_m",
    "route_lhd_mwh_per_m_a",
    "capex_gbp",
    "npv_gbp",
    "irr_pct",
    "lcoh_gbp_per_mwh",
    "reason",
)


@click.command(short_help="Rank the candidate heat networks of an area.")
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
@click.option("--rank-by", type=click.Choice(RANK_KEYS), help="Ranking criterion.")
@click.option("--json", "as_json", is_flag=True, help="Print the table as JSON records.")
@click.option("--no-progress", is_flag=True, help="Hide the progress bar.")
def candidates(
    scenario_path: Path | None,
    osm_path: Path | None,
    rank_by: str | None,
    as_json: bool,
    no_progress: bool,
) -> None:
    """Find the candidate zones, plan and appraise one network per zone, print them ranked.

    Each candidate is routed, sized, dispatched, costed and appraised like the chosen network of
    ``heatmap run``; ``heatmap run --network ID`` then runs the whole chain for one of them.

    \b
    Examples:
      $ heatmap candidates --osm city.osm.pbf
      $ heatmap candidates my_area.toml --rank-by lcoh --json
    """
    from heatmap.pipeline.candidate_params import CandidateParams
    from heatmap.pipeline.runner import rank_area_candidates
    from heatmap.pipeline.scenario import Scenario, load_scenario, scenario_with_inputs

    scenario = load_scenario(scenario_path) if scenario_path else Scenario()
    scenario = scenario_with_inputs(scenario, osm_path=osm_path, rank_by=rank_by)
    table = rank_area_candidates(scenario, progress=not no_progress)
    shown = table[[c for c in _SHOWN if c in table.columns]]
    if as_json:
        click.echo(json.dumps(json.loads(shown.to_json(orient="records")), indent=2))
        return
    if shown.empty:
        click.echo("no candidate zone: no street stretch is dense enough in heat")
        return
    criterion = scenario.candidates.rank_by or CandidateParams().rank_by
    click.echo(f"{len(shown)} candidate networks, ranked by {criterion}:")
    click.echo(shown.to_string(index=False, float_format=lambda v: f"{v:,.1f}"))
