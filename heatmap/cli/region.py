"""``heatmap region``: a region in tiles on dask, on this machine's cores or a cluster."""

from __future__ import annotations

import json
from pathlib import Path

import click

from heatmap.cli.options import overwrite_opt


@click.command(short_help="Map a region's heat demand in tiles on dask.")
@click.argument(
    "scenario_path",
    metavar="[SCENARIO.toml]",
    required=False,
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
)
@click.option(
    "--osm",
    "osm_path",
    required=True,
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="The region's OpenStreetMap extract (.osm.pbf).",
)
@click.option(
    "--tile-km", type=click.FloatRange(min=0.1), default=5.0, show_default=True,
    help="Tile side, km.",
)  # fmt: skip
@click.option(
    "--halo-m", type=click.FloatRange(min=0), default=250.0, show_default=True,
    help="Margin each tile also reads, m (shared walls, land use, points of interest).",
)  # fmt: skip
@click.option(
    "--workers", type=click.IntRange(min=1), default=None,
    help="Worker processes of the local dask cluster [default: the machine's cores].",
)  # fmt: skip
@click.option(
    "--scheduler", default=None, metavar="ADDRESS",
    help="Run on an existing dask cluster, e.g. tcp://10.0.0.5:8786.",
)  # fmt: skip
@click.option("--synchronous", is_flag=True, help="Run every tile in this process (no cluster).")
@click.option(
    "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
    default=Path("outputs/region"), show_default=True, help="Output folder.",
)  # fmt: skip
@overwrite_opt
@click.option("--no-progress", is_flag=True, help="Hide the progress bar.")
def region(
    scenario_path: Path | None,
    osm_path: Path,
    tile_km: float,
    halo_m: float,
    workers: int | None,
    scheduler: str | None,
    synchronous: bool,
    out_dir: Path,
    overwrite: bool,
    no_progress: bool,
) -> None:
    """Map a region's buildings, heat demand, heat density and opportunity areas in tiles.

    Each tile reads its square plus a halo from the extract and estimates its buildings'
    demand as a dask task; the tiles are merged into one region (a building is counted once).

    \b
    Examples:
      $ heatmap region --osm west-midlands.osm.pbf --tile-km 5 --workers 8 --out wm/
      $ heatmap region my.toml --osm region.osm.pbf --scheduler tcp://10.0.0.5:8786 --out r/
    """
    from heatmap._io import check_output_dir
    from heatmap.pipeline.scenario import Scenario, load_scenario
    from heatmap.region import run_region, save_region

    check_output_dir(out_dir, overwrite=overwrite)
    scenario = load_scenario(scenario_path) if scenario_path else Scenario(name=osm_path.stem)
    results = run_region(
        osm_path,
        scenario,
        tile_km=tile_km,
        halo_m=halo_m,
        workers=workers,
        scheduler=scheduler,
        synchronous=synchronous,
        progress=not no_progress,
    )
    written = save_region(results, out_dir, overwrite=overwrite)
    click.echo(f"wrote {len(written)} files to {out_dir}", err=True)
    click.echo(json.dumps(results.summary, indent=2))
