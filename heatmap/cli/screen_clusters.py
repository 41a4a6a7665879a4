"""``heatmap screen-clusters``: screen housing clusters against the heat-pump counterfactual."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import click

from heatmap.cli.options import json_opt


@click.command(short_help="Screen housing clusters (metres and GBP per dwelling, viable).")
@click.argument("table_csv", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--scenario",
    "scenario_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Scenario TOML whose [cluster] table sets the parameters.",
)
@click.option("--private-uptake-pct", type=click.FloatRange(0, 100), default=None)
@click.option("--social-uptake-pct", type=click.FloatRange(0, 100), default=None)
@click.option("--pipe-cost-gbp-per-m", type=click.FloatRange(min=0, min_open=True), default=None)
@click.option("--counterfactual-gbp", type=click.FloatRange(min=0, min_open=True), default=None)
@click.option("--min-social-share-pct", type=click.FloatRange(0, 100), default=None)
@json_opt
def screen_clusters(
    table_csv: Path,
    scenario_path: Path | None,
    private_uptake_pct: float | None,
    social_uptake_pct: float | None,
    pipe_cost_gbp_per_m: float | None,
    counterfactual_gbp: float | None,
    min_social_share_pct: float | None,
    as_json: bool,
) -> None:
    """Screen the clusters in TABLE_CSV and print metres/dwelling, GBP/dwelling and viability.

    TABLE_CSV has one row per cluster: cluster_id (or cluster), density_class (or density:
    high/medium/low), social_dwellings, private_dwellings (optionally public_, commercial_,
    unknown_dwellings), like the study's Table 12. Defaults are the
    Killingworth study's (uptake social 100 %, private 10 %; GBP 381/m; GBP 10,000 ASHP).

    \b
    Examples:
      $ heatmap screen-clusters clusters.csv --json
      $ heatmap screen-clusters clusters.csv --private-uptake-pct 30
    """
    import pandas as pd

    from heatmap._params import params_from_mapping
    from heatmap.errors import InputError
    from heatmap.zones.clusters import ClusterParams
    from heatmap.zones.clusters import screen_clusters as run_screen

    mapping: dict[str, Any] = {}
    if scenario_path is not None:
        mapping = dict(tomllib.loads(scenario_path.read_text(encoding="utf-8")).get("cluster", {}))
    uptake = dict(mapping.get("uptake_pct", {}))
    if private_uptake_pct is not None:
        uptake["private"] = private_uptake_pct
    if social_uptake_pct is not None:
        uptake["social"] = social_uptake_pct
    if uptake:
        mapping["uptake_pct"] = uptake
    for key, value in (
        ("pipe_cost_gbp_per_m", pipe_cost_gbp_per_m),
        ("counterfactual_gbp_per_dwelling", counterfactual_gbp),
        ("min_social_share_pct", min_social_share_pct),
    ):
        if value is not None:
            mapping[key] = value
    params = params_from_mapping(ClusterParams, mapping, section="cluster")
    try:
        table = pd.read_csv(table_csv)
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        msg = f"{table_csv}: not a readable CSV table ({exc})"
        raise InputError(msg) from exc
    out = run_screen(table, params=params)
    if as_json:
        from heatmap._json import jsonable

        records = jsonable(out.to_dict("records"))
        click.echo(json.dumps(records, indent=1, allow_nan=False))
        return
    for row in out.itertuples(index=False):
        flag = "VIABLE" if row.viable else "no"
        click.echo(
            f"{row.cluster_id:>8} {row.density_class:>6} {row.n_dwellings:5d} dw "
            f"{row.connected_dwellings:5.0f} conn {row.m_per_dwelling:8.2f} m/dw "
            f"GBP {row.cost_per_dwelling_gbp:9,.0f}/dw  {flag}"
        )
    viable = out.loc[out["viable"], "cluster_id"].tolist()
    click.echo(f"viable: {', '.join(viable) if viable else 'none'} ({len(viable)} of {len(out)})")
