"""``heatmap nearby``: heat loads and networks within a street-network distance of a site."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from heatmap.cli.options import overwrite_opt


def _parse_site(_ctx: click.Context, _param: click.Parameter, value: str) -> tuple[float, float]:
    try:
        lat_text, lon_text = value.split(",")
        lat, lon = float(lat_text), float(lon_text)
    except ValueError as exc:
        msg = f"{value!r}: give LAT,LON in decimal degrees, e.g. 51.5155,-0.0922"
        raise click.BadParameter(msg) from exc
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        msg = f"{value!r}: latitude must be within ±90 and longitude within ±180 (LAT,LON order)"
        raise click.BadParameter(msg)
    return lon, lat


@click.command(short_help="List heat loads and networks near a site.")
@click.option(
    "--site", required=True, callback=_parse_site, help="Site as LAT,LON (WGS84 degrees)."
)
@click.option(
    "--radius-m",
    type=click.FloatRange(min=0, min_open=True),
    default=1000.0,
    show_default=True,
    help="Largest street-network distance, m.",
)
@click.option(
    "--osm",
    "osm_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="OpenStreetMap extract (.osm.pbf) to compute buildings, demand and streets from.",
)
@click.option(
    "--results",
    "results_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Output folder of `heatmap run` holding results.gpkg.",
)
@click.option(
    "--scenario",
    "scenario_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Scenario file: demand as `heatmap run` estimates it (and its inputs, without --osm).",
)
@click.option(
    "--networks",
    "networks_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Heat Network Planning Database CSV of existing and planned networks (with --osm).",
)
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    type=click.Choice(["anchor_load", "cluster", "opportunity_area", "existing_network"]),
    help="Only finds of this kind (repeat for several).",
)
@click.option(
    "--top",
    type=click.IntRange(min=1),
    default=20,
    show_default=True,
    help="List the nearest N finds.",
)
@click.option(
    "--out",
    "out_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the table to FILE.csv or FILE.geojson (WGS84).",
)
@click.option(
    "--map",
    "map_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write a small map of the finds to FILE.html.",
)
@overwrite_opt
def nearby(
    site: tuple[float, float],
    radius_m: float,
    osm_path: Path | None,
    results_dir: Path | None,
    scenario_path: Path | None,
    networks_path: Path | None,
    kinds: tuple[str, ...],
    top: int,
    out_path: Path | None,
    map_path: Path | None,
    overwrite: bool,
) -> None:
    """Anchor loads, clusters, opportunity areas and existing networks near a site.

    Distances run along the streets. Each find gets an indicative link LHD (its demand over the
    network distance, MWh/m/yr) and a link main: the smallest pipe for its peak and that pipe's
    trench cost over the distance. Unnamed buildings are named by their address.

    \b
    Examples:
      $ heatmap nearby --site 51.5155,-0.0922 --results outputs/city
      $ heatmap nearby --site 51.5155,-0.0922 --osm city.osm.pbf --scenario city.toml
      $ heatmap nearby --site 51.5155,-0.0922 --osm city.osm.pbf --networks hnpd.csv \\
          --kind existing_network --top 5 --out near.csv --map near.html
    """
    if results_dir is not None and (osm_path or scenario_path or networks_path):
        msg = "--results reads a finished run; --osm, --scenario and --networks go without it"
        raise click.UsageError(msg)
    if results_dir is None and osm_path is None and scenario_path is None:
        msg = "give --osm FILE (optionally with --scenario), --scenario FILE or --results DIR"
        raise click.UsageError(msg)
    if out_path is not None and out_path.suffix.lower() not in {".csv", ".geojson", ".json"}:
        msg = f"--out {out_path}: use a .csv or .geojson file name"
        raise click.BadParameter(msg, param_hint="--out")
    from heatmap.outputs import search

    if results_dir is not None:
        layers = _results_layers(results_dir)
    else:
        layers = _area_layers(osm_path, scenario_path, networks_path)
    finds = search.nearby(site, radius_m=radius_m, kinds=kinds or None, top=top, **layers)
    _write_outputs(finds, site, radius_m, out_path, map_path, overwrite)


def _area_layers(
    osm_path: Path | None, scenario_path: Path | None, networks_path: Path | None
) -> dict[str, Any]:
    """Buildings with the scenario's demand, street graph, CRS and heat network records."""
    from heatmap.ingest import read_existing_networks
    from heatmap.pipeline import prepare_area
    from heatmap.pipeline.scenario import Scenario, load_scenario

    scenario = load_scenario(scenario_path) if scenario_path else Scenario()
    buildings, graph, crs = prepare_area(osm_path, scenario=scenario)
    path = networks_path or scenario.area.existing_networks_path or None
    networks = read_existing_networks(path, crs=crs) if path else None
    return {
        "buildings": buildings,
        "street_graph": graph,
        "crs": crs,
        "existing_networks": networks,
    }


def _results_layers(results_dir: Path) -> dict[str, Any]:
    """Buildings, street graph, CRS and the other layers of a finished run."""
    from heatmap import outputs as export
    from heatmap.errors import InputError
    from heatmap.routing import graph as network

    gpkg = results_dir / "results.gpkg"
    layers = export.read_results_gpkg(gpkg)
    if "buildings" not in layers:
        msg = f"{gpkg}: no buildings layer; rerun `heatmap run`"
        raise InputError(msg)
    if "streets" not in layers:
        msg = f"{gpkg}: no streets layer to measure network distances along; rerun `heatmap run`"
        raise InputError(msg)
    buildings = layers["buildings"]
    graph = network.build_street_graph(layers["streets"].to_crs(buildings.crs))
    return {
        "buildings": buildings,
        "street_graph": graph,
        "crs": buildings.crs,
        "clusters": layers.get("clusters"),
        "opportunity_areas": layers.get("opportunity_areas"),
        "existing_networks": layers.get("existing_networks"),
    }


def _write_outputs(
    finds: Any,
    site: tuple[float, float],
    radius_m: float,
    out_path: Path | None,
    map_path: Path | None,
    overwrite: bool,
) -> None:
    from heatmap import outputs as export
    from heatmap.outputs import maps as render

    table = finds.drop(columns="geometry")
    if table.empty:
        click.echo(f"nothing within {radius_m:.0f} m of the site along the streets")
    else:
        click.echo(table.to_string(index=False, float_format=lambda v: f"{v:,.1f}"))
    if out_path is not None:
        if out_path.suffix.lower() == ".csv":
            export.write_csv(table, out_path, overwrite=overwrite)
        else:
            export.write_geojson_wgs84(finds, out_path, overwrite=overwrite)
        click.echo(f"wrote {out_path}", err=True)
    if map_path is not None:
        m = render.render_nearby_map(finds, site, radius_m=radius_m)
        render.save_map(m, map_path, overwrite=overwrite)
        click.echo(f"wrote {map_path}", err=True)
