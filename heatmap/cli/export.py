"""``heatmap export``: re-export saved results in another CRS for design teams."""

from __future__ import annotations

from pathlib import Path

import click

from heatmap.cli.options import overwrite_opt


@click.command(short_help="Re-export saved results in another CRS.")
@click.argument("results_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--crs",
    required=True,
    help="Target CRS: EPSG code (27700 = British National Grid), EPSG:XXXX or WKT.",
)
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write results.gpkg, route_shapefile.zip, route.geojson and route.csv into.",
)
@overwrite_opt
def export(results_dir: Path, crs: str, out_dir: Path, overwrite: bool) -> None:
    """Write RESULTS_DIR/results.gpkg again with every layer in the chosen CRS.

    route.geojson stays in WGS84 as the GeoJSON standard requires.

    \b
    Example:
      $ heatmap export outputs/city --crs 27700 --out outputs/city_bng
    """
    from heatmap.outputs import gis as export_mod

    target = int(crs) if crs.strip().isdigit() else crs
    for path in export_mod.reexport(results_dir, out_dir, crs=target, overwrite=overwrite):
        click.echo(str(path))
