"""The skeleton every stage command shares: options, scenario, input layers, check, run, write.

A stage command declares its output files once, as a mapping from file name to a writer, and
hands :func:`run_stage` the computation. Every target is checked before any work starts (no
half-written output sets, no hours lost to a file that already exists), then the computation runs
and each writer is called with its target path.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    import geopandas as gpd

    from heatmap.pipeline.scenario import Scenario

__all__ = ["input_layer", "out_opt", "run_stage", "scenario_opt", "stage_scenario"]

_R = TypeVar("_R")

Writer = Callable[[_R, Path, bool], Path]
"""Write one output of a stage: ``(result, target_path, overwrite) -> written_path``."""

scenario_opt = click.option(
    "--scenario",
    "scenario_path",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Scenario file with the stage's parameters (defaults when omitted).",
)


def out_opt(default: str) -> Any:
    """Return the ``--out`` option of a stage command with its default folder.

    Parameters
    ----------
    default
        Default output folder, e.g. ``"outputs/route"``.

    Returns
    -------
    decorator
        A click option decorator.
    """
    return click.option(
        "--out",
        "out_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path(default),
        show_default=True,
        help="Output folder.",
    )


def stage_scenario(path: Path | None) -> Scenario:
    """Load the scenario file, or the defaults when none is given.

    Parameters
    ----------
    path
        Scenario TOML file, or None.

    Returns
    -------
    scenario
        The validated scenario.
    """
    from heatmap.pipeline.scenario import Scenario, load_scenario

    return load_scenario(path) if path else Scenario()


def input_layer(path: Path, layer: str) -> gpd.GeoDataFrame:
    """Read one layer of a GeoPackage the previous stage wrote.

    Parameters
    ----------
    path
        The GeoPackage.
    layer
        Layer name.

    Returns
    -------
    gdf
        The layer, its index restored.

    Raises
    ------
    InputError
        If the file has no such layer (the message lists the layers it has).
    """
    from heatmap.errors import InputError
    from heatmap.outputs.gis import read_results_gpkg

    layers = read_results_gpkg(path)
    if layer not in layers:
        msg = (
            f"{path} has no layer {layer!r} (it has {', '.join(sorted(layers)) or 'none'}); "
            "give the file the previous stage wrote"
        )
        raise InputError(msg)
    return layers[layer]


def run_stage(
    out_dir: Path,
    *,
    overwrite: bool,
    compute: Callable[[], _R],
    writers: Mapping[str, Writer[_R]],
) -> _R:
    """Check every target, compute, then write each output and echo its path.

    Parameters
    ----------
    out_dir
        Output folder.
    overwrite
        Whether existing targets may be replaced.
    compute
        The stage's work; called only once every target is known to be writable.
    writers
        Output file name (relative to ``out_dir``) -> writer of that file.

    Returns
    -------
    result
        What ``compute`` returned, for a closing line of figures.
    """
    from heatmap._io import check_writable

    for name in writers:
        check_writable(out_dir / name, overwrite=overwrite)
    result = compute()
    for name, write in writers.items():
        click.echo(f"wrote {write(result, out_dir / name, overwrite)}")
    return result
