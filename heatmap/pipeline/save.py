"""Write every output of a run into one folder, all or nothing."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from heatmap import design, economics, plant, routing, zones
from heatmap._io import staged_dir
from heatmap.outputs import economics_figures, maps, plant_figures, study_figures
from heatmap.outputs.gis import write_geojson_wgs84, write_geopackage
from heatmap.outputs.shapefile import write_route_shapefile_zip
from heatmap.outputs.tables import write_csv, write_json
from heatmap.pipeline.results import Results

logger = logging.getLogger(__name__)

__all__ = ["save_results"]


_DOWNLOADS = (
    "results.gpkg",
    "heat_density.tif",
    "candidates.csv",
    "summary.json",
    "route_shapefile.zip",
    "route.geojson",
    "tem.xlsx",
)
"""Files the map's results panel links to (the first four exist even without a network)."""


def _layers_of(results: Results) -> dict[str, gpd.GeoDataFrame]:
    layers: dict[str, gpd.GeoDataFrame | None] = {
        "buildings": results.buildings,
        "clusters": results.clusters,
        "opportunity_areas": results.opportunity_areas,
        "street_lhd": results.street_lhd,
        "zones": results.zones,
        "candidates": results.candidate_routes,
    }
    if results.network is not None:
        layers.update(
            route=_with_street_names(routing.route_to_gdf(results.route), results.area.streets),
            pipes=_with_street_names(results.pipes, results.area.streets),
            terminals=results.terminals(),
        )
    layers["streets"] = results.area.streets
    if len(results.existing_networks):
        layers["existing_networks"] = results.existing_networks
    return {
        name: _portable(layer)
        for name, layer in layers.items()
        if layer is not None and (len(layer) or name in _ALWAYS)
    }


_ALWAYS = frozenset({"buildings", "street_lhd", "zones", "candidates"})
"""Layers written even when empty, so that a run with no network still has them."""


def _portable_summary(summary: Mapping[str, Any]) -> dict[str, Any]:
    """Copy of the summary naming its input files by file name, not by local absolute path."""
    out = dict(summary)
    for key in ("inputs", "weather"):
        value = out.get(key)
        if isinstance(value, str) and Path(value).is_absolute():
            out[key] = Path(value).name
    return out


def _with_street_names(pipes: gpd.GeoDataFrame, streets: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Copy of ``pipes`` with each segment's street ``name`` (from ``street_id``), if missing."""
    if streets.index.name == "street_id" and "street_id" not in streets.columns:
        streets = streets.reset_index()
    if "name" in pipes.columns or not {"street_id", "name"} <= set(streets.columns):
        return pipes
    names = streets.dropna(subset=["name"]).drop_duplicates("street_id").set_index("street_id")
    if "street_id" not in pipes.columns:
        return pipes
    out = pipes.copy()
    position = list(out.columns).index("street_id") + 1
    out.insert(position, "name", out["street_id"].map(names["name"]))
    return out


def _portable(frame: pd.DataFrame) -> pd.DataFrame:
    """Copy whose ``source`` column names input files by file name, not by local absolute path."""
    if "source" not in frame.columns:
        return frame
    out = frame.copy()
    out["source"] = out["source"].map(
        lambda v: Path(v).name if isinstance(v, str) and Path(v).is_absolute() else v
    )
    return out


def save_results(
    results: Results, out_dir: str | os.PathLike[str], *, overwrite: bool = False
) -> list[Path]:
    """Write every output of a run into ``out_dir``, all or nothing.

    Parameters
    ----------
    results
        From :func:`heatmap.run`.
    out_dir
        Output folder. Everything is written into a hidden staging folder beside it and moved
        into place only when complete, so a failure leaves no partial folder.
    overwrite
        Replace an existing, non-empty ``out_dir``.

    Returns
    -------
    paths
        The files written, relative to ``out_dir``.
    """
    layers = _layers_of(results)
    summary = _portable_summary(results.summary)
    pipes = layers.get("pipes")
    with staged_dir(out_dir, overwrite=overwrite) as stage:
        m = maps.render_map(
            buildings=results.buildings,
            route=pipes,
            density=results.density,
            opportunity_areas=results.opportunity_areas,
            clusters=results.clusters,
            existing_networks=results.existing_networks,
            energy_centre=None if results.network is None else results.energy_centre.point,
            streets=results.area.streets,
            street_lhd=layers.get("street_lhd"),
            candidates=layers.get("candidates"),
            energy_centre_alternatives=(
                None if results.network is None else results.energy_centre.alternatives
            ),
            title=f"heatmap: {results.scenario.name}",
            summary=summary,
            downloads=_DOWNLOADS if results.network is not None else _DOWNLOADS[:4],
        )
        maps.save_map(m, stage / "map.html")
        write_geopackage(layers, stage / "results.gpkg")
        zones.write_geotiff(results.density, stage / "heat_density.tif")
        write_json(summary, stage / "summary.json")
        tables: dict[str, pd.DataFrame | None] = {
            "anchor_loads.csv": _portable(
                pd.DataFrame(results.anchor_loads.drop(columns="geometry"))
            ),
            "street_lhd.csv": _plain(results.street_lhd),
            "zones.csv": _plain(results.zones),
            "candidates.csv": _plain(results.candidates),
        }
        if results.network is not None:
            tables.update(_network_outputs(results, stage, pipes))
        for name, table in tables.items():
            if table is not None:
                write_csv(table, stage / name)
        (stage / _FIGURES).mkdir(exist_ok=True)
        study_figures.plot_heat_density(
            results.density, stage / _FIGURES / "heat_density.png", buildings=results.buildings
        )
        written = sorted(p.relative_to(stage) for p in stage.rglob("*") if p.is_file())
    logger.info("wrote %d files to %s", len(written), out_dir)
    return written


_FIGURES = Path("figures")


def _plain(frame: pd.DataFrame | None) -> pd.DataFrame | None:
    """A table without its geometry (for a CSV), index kept as a column."""
    if frame is None:
        return None
    out = pd.DataFrame(frame.drop(columns="geometry", errors="ignore"))
    if out.index.name is not None:
        out = out.reset_index()
    return out


def _network_outputs(
    results: Results, stage: Path, pipes: gpd.GeoDataFrame | None
) -> dict[str, pd.DataFrame]:
    """Write the chosen network's files and figures; return its tables (for CSVs)."""
    econ = results.economics
    write_route_shapefile_zip(pipes, stage / "route_shapefile.zip")
    write_geojson_wgs84(pipes, stage / "route.geojson")
    write_csv(econ.cashflow, stage / "cashflow.csv")
    economics.write_tem_xlsx(econ, stage / "tem.xlsx")
    plant.write_dispatch_csv(results.dispatch, stage / "dispatch.csv")
    tables = {
        "capex_lines.csv": results.cost.lines,
        "capex_table50.csv": _table50(results),
        "dn_table.csv": results.sizing.dn_table,
        "phase_summary.csv": routing.phase_summary(results.route).reset_index(),
        "grant_tests.csv": econ.grant_tests,
        "sensitivities.csv": econ.sensitivities,
        "energy_centre_alternatives.csv": results.energy_centre.alternatives,
        "plant_sizing_sweep.csv": results.plant_sweep.table,
    }
    if results.phases is not None:
        tables["phases.csv"] = results.phases
    figures = stage / _FIGURES
    figures.mkdir(exist_ok=True)
    plant_figures.plot_load_duration(results.dispatch, figures / "load_duration.png")
    plant_figures.plot_typical_days(results.dispatch, figures / "typical_days.png")
    plant_figures.plot_annual_profile(results.dispatch, figures / "energy_balance.png")
    plant_figures.plot_sweep(results.plant_sweep, figures / "plant_sizing_sweep.png")
    economics_figures.plot_cashflow(econ, figures / "cashflow.png")
    economics_figures.plot_tornado(econ.sensitivities, figures / "sensitivity.png")
    study_figures.plot_route_lhd(pipes, results.buildings, figures / "route_lhd.png")
    return tables


def _table50(results: Results) -> pd.DataFrame:
    return design.table50(results.cost)
