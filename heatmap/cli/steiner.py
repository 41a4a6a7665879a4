"""``heatmap steiner``: solve one SteinLib instance (the routing engine's yardstick)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from heatmap.cli.options import json_opt


@click.command(short_help="Solve a SteinLib .stp instance.")
@click.argument("stp_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--method",
    type=click.Choice(["default", "fast", "exact", "networkx"]),
    default="default",
    show_default=True,
    help="Solver; 'networkx' runs networkx's mehlhorn steiner_tree for comparison.",
)
@click.option(
    "--time-limit",
    "time_limit_s",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    help="Time limit in s (default and exact methods).",
)
@json_opt
def steiner(stp_file: Path, method: str, time_limit_s: float | None, as_json: bool) -> None:
    """Solve STP_FILE and print the tree cost.

    Prize-collecting instances (``TP node prize`` lines) are solved with the prize-collecting
    solver; their cost is edge cost + prizes of the vertices left out.

    \b
    Examples:
      $ heatmap steiner b01.stp --json
      $ heatmap steiner c08.stp --method exact --time-limit 60 --json
    """
    from heatmap.routing.steiner import solve_stp

    out = solve_stp(stp_file, method=method, time_limit_s=time_limit_s)
    if as_json:
        click.echo(json.dumps(out))
    else:
        bound = "" if out["lower_bound"] is None else f", lower bound {out['lower_bound']:g}"
        opt = " (optimal)" if out["optimal"] else ""
        click.echo(
            f"{out['instance']}: cost {out['cost']:g}{opt}{bound}; "
            f"method {out['method']}, {out['seconds']:.3f} s"
        )
