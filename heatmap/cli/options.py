"""Options shared by several ``heatmap`` subcommands.

| option | used by |
|---|---|
| ``--out`` | run, demand, density, cluster, route, size, cost, dispatch, econ, export |
| ``--overwrite`` | run and every command that writes files |
| ``--json`` | steiner, screen-clusters |
"""

from __future__ import annotations

from pathlib import Path

import click

overwrite_opt = click.option(
    "--overwrite", is_flag=True, default=False, help="Replace existing output files."
)
out_opt = click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Output folder (default: outputs/<scenario-name>/).",
)
json_opt = click.option("--json", "as_json", is_flag=True, default=False, help="Print JSON.")
