"""``heatmap init``: write a commented scenario file with every default."""

from __future__ import annotations

from pathlib import Path

import click

from heatmap.cli.options import overwrite_opt


@click.command(short_help="Write a commented scenario file.")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path), default="scenario.toml")
@overwrite_opt
def init(path: Path, overwrite: bool) -> None:
    """Write a scenario file listing every key with its default and source.

    \b
    Example:
      $ heatmap init my_area.toml
      $ heatmap run my_area.toml --osm my_area.osm.pbf
    """
    from heatmap.pipeline.scenario import write_template

    written = write_template(path, overwrite=overwrite)
    click.echo(f"wrote {written}")
