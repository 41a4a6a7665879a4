"""``heatmap region``: a region in tiles on dask, on this machine's cores or a cluster."""

from __future__ import annotations

import json
from pathlib import Path

import click

from heatmap.cli.options import overwrite_opt


@click.command(short_help="Map a region and its candidate networks in tiles on dask.")
@click.argument(
    "scenario_path",
    metavar="[SCENARIO.toml]",
    required=False,
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
)
@click.option(
    "--osm",
    "osm_path",
    default=None,
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="The region's OpenStreetMap extract (.osm.pbf) [default: the scenario's osm_path].",
)
@click.option(
    "--tile-km", type=click.FloatRange(min=0.1), default=5.0, show_default=True,
    help="Tile side, km.",
)  # fmt: skip
@click.option(
    "--halo-m", type=click.FloatRange(min=0), default=500.0, show_default=True,
    help="Margin each tile also reads, m: wider than the zones' largest gap, so a zone or "
    "cluster across a tile edge is found whole.",
)  # fmt: skip
@click.option(
    "--workers", type=click.IntRange(min=1), default=None,
    help="Worker processes of the local dask cluster [default: the machine's cores].",
)  # fmt: skip
@click.option(
    "--scheduler", default=None, metavar="ADDRESS",
    help="Run on an existing dask cluster, e.g. tcp://10.0.0.5:8786 (its workers must see the "
    "extract and --work-dir at the same paths).",
)  # fmt: skip
@click.option("--synchronous", is_flag=True, help="Run every task in this process (no cluster).")
@click.option(
    "--work-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="Folder for the tiles' GeoParquet layers [default: a new temporary folder].",
)  # fmt: skip
@click.option("--no-candidates", is_flag=True, help="Stop after the zones (no appraisal).")
@click.option(
    "--zone-map", "zone_maps", multiple=True, metavar="ID",
    help="Also write zone_maps/ID.html for this zone or candidate network (e.g. Z03 or Z02-1), "
    "with every building of the zone; repeat for more.",
)  # fmt: skip
@click.option(
    "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
    default=Path("outputs/region"), show_default=True, help="Output folder.",
)  # fmt: skip
@overwrite_opt
@click.option("--no-progress", is_flag=True, help="Hide the progress bars.")
def region(
    scenario_path: Path | None,
    osm_path: Path | None,
    tile_km: float,
    halo_m: float,
    workers: int | None,
    scheduler: str | None,
    synchronous: bool,
    work_dir: Path | None,
    no_candidates: bool,
    zone_maps: tuple[str, ...],
    out_dir: Path,
    overwrite: bool,
    no_progress: bool,
) -> None:
    """Map a region in tiles: demand, density, street heat atlas, zones and candidate networks.

    Each tile reads its square plus a halo straight from the extract and runs the area stages
    as a dask task; the tiles are merged (a building is counted once, zones across tile edges
    are joined) and each candidate zone is appraised as its own task. By default the tasks run
    on a dask cluster started on this machine's cores.

    \b
    Examples:
      $ heatmap region --osm west-midlands.osm.pbf --tile-km 5 --workers 8 --out wm/
      $ heatmap region my.toml --osm region.osm.pbf --scheduler tcp://10.0.0.5:8786 \\
          --work-dir /shared/heatmap-work --out r/
      $ heatmap region --osm county.osm.pbf --zone-map Z03 --out county/
    """
    from heatmap._io import check_output_dir
    from heatmap.errors import InputError
    from heatmap.pipeline.scenario import Scenario, load_scenario
    from heatmap.region import Engine, run_region, save_region

    if synchronous and (workers or scheduler):
        msg = "--synchronous runs in this process: leave out --workers and --scheduler"
        raise InputError(msg)
    if workers and scheduler:
        msg = "--workers starts a local cluster; with --scheduler the cluster's workers run"
        raise InputError(msg)
    check_output_dir(out_dir, overwrite=overwrite)
    scenario = load_scenario(scenario_path) if scenario_path else None
    if osm_path is None:
        if scenario is None or not scenario.area.osm_path:
            msg = "give the region's extract with --osm FILE (or osm_path in the scenario's [area])"
            raise InputError(msg)
        osm_path = Path(scenario.area.osm_path)
    scenario = scenario or Scenario(name=osm_path.name.split(".")[0])
    results = run_region(
        osm_path,
        scenario,
        tile_km=tile_km,
        halo_m=halo_m,
        engine=Engine(workers, scheduler, synchronous, progress=not no_progress),
        work_dir=work_dir,
        candidates=not no_candidates,
    )
    written = save_region(results, out_dir, overwrite=overwrite, zone_maps=zone_maps)
    click.echo(f"wrote {len(written)} files to {out_dir}", err=True)
    click.echo(json.dumps(results.summary, indent=2))
