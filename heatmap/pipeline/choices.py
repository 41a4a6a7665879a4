"""A planner's choice of buildings: force some into a network, leave others out.

``[area] include_buildings`` / ``include_polygon_path`` name buildings that must join a network;
``exclude_buildings`` / ``exclude_polygon_path`` buildings left out of every stage. Excluded
buildings get no demand and the exclusion reason :data:`EXCLUDED_BY_SCENARIO`, so density,
clusters, the street heat atlas, zones and routes all leave them out. Included buildings become
anchor loads (a route must connect them) and each joins the candidate network nearest to it, so
a planner's edit re-optimises the network around it.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Sequence
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from heatmap import schema
from heatmap.errors import InputError
from heatmap.pipeline.candidates import CandidateSpec
from heatmap.pipeline.scenario import AreaParams

__all__ = [
    "EXCLUDED_BY_SCENARIO",
    "INCLUDED_BY_SCENARIO",
    "add_included_to_specs",
    "apply_building_choices",
]

logger = logging.getLogger(__name__)

EXCLUDED_BY_SCENARIO = "excluded by the scenario"
"""Exclusion reason of a building the scenario leaves out."""

INCLUDED_BY_SCENARIO = schema.INCLUDED_BY_SCENARIO
"""Building column: True for a building the scenario forces into a network."""


def _inside(buildings: gpd.GeoDataFrame, path: str, key: str) -> pd.Index:
    """Ids of the buildings whose representative point lies in the polygons of ``path``."""
    try:
        polygons = gpd.read_file(path)
    except Exception as exc:  # pyogrio raises several types for unreadable files
        msg = f"[area] {key} = {path}: cannot read it as a polygon layer ({exc})"
        raise InputError(msg) from None
    if polygons.empty:
        msg = f"[area] {key} = {path}: the file holds no polygon"
        raise InputError(msg)
    if polygons.crs is None:
        msg = f"[area] {key} = {path}: the layer has no CRS; save it as GeoJSON (WGS84)"
        raise InputError(msg)
    areas = polygons.to_crs(buildings.crs).geometry
    if not areas.geom_type.isin(["Polygon", "MultiPolygon"]).all():
        msg = f"[area] {key} = {path}: every feature must be a polygon"
        raise InputError(msg)
    points = buildings.geometry.representative_point()
    hit = np.zeros(len(buildings), dtype=bool)
    for area in areas:
        hit |= points.within(area).to_numpy()
    if not hit.any():
        logger.warning("[area] %s = %s: no building lies inside its polygons", key, Path(path).name)
    return buildings.index[hit]


def _listed(buildings: gpd.GeoDataFrame, ids: Sequence[str], key: str) -> pd.Index:
    known = buildings.index.astype(str)
    missing = [i for i in ids if i not in set(known)]
    if missing:
        msg = (
            f"[area] {key}: building {missing[0]!r} is not in the study area"
            + (f" (and {len(missing) - 1} more)" if len(missing) > 1 else "")
            + "; use the building_id of the outputs, e.g. way/123"
        )
        raise InputError(msg)
    return buildings.index[known.isin(list(ids))]


def apply_building_choices(buildings: gpd.GeoDataFrame, area: AreaParams) -> gpd.GeoDataFrame:
    """Apply the scenario's include / exclude choices to buildings with demand.

    Parameters
    ----------
    buildings
        Output of the demand stage (index ``building_id``). Not modified.
    area
        ``[area]`` parameters.

    Returns
    -------
    buildings
        A copy: excluded buildings with no demand, no peak, not anchors and the exclusion reason
        :data:`EXCLUDED_BY_SCENARIO`; included ones anchors, flagged in
        :data:`INCLUDED_BY_SCENARIO`.

    Raises
    ------
    InputError
        An id that is not a building of the area, an unreadable polygon file, or a building
        both included and excluded.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> b = gpd.GeoDataFrame({"heat_demand_mwh_per_a": [900.0, 40.0], "peak_load_kw": [400.0, 20.0],
    ...     "is_anchor": [True, False], "exclusion_reason": ["", ""]},
    ...     geometry=[box(0, 0, 10, 10), box(50, 0, 60, 10)], crs="EPSG:27700",
    ...     index=pd.Index(["way/1", "way/2"], name="building_id"))
    >>> out = apply_building_choices(
    ...     b, AreaParams(exclude_buildings=("way/1",), include_buildings=("way/2",)))
    >>> out[["heat_demand_mwh_per_a", "is_anchor", "included_by_scenario"]].values.tolist()
    [[0.0, False, False], [40.0, True, True]]
    """
    out = buildings.copy()
    out[INCLUDED_BY_SCENARIO] = False
    excluded = _listed(out, area.exclude_buildings, "exclude_buildings")
    included = _listed(out, area.include_buildings, "include_buildings")
    if area.exclude_polygon_path:
        excluded = excluded.union(_inside(out, area.exclude_polygon_path, "exclude_polygon_path"))
    if area.include_polygon_path:
        included = included.union(_inside(out, area.include_polygon_path, "include_polygon_path"))
    both = included.intersection(excluded)
    if len(both):
        msg = f"[area]: building {both[0]!r} is both included and excluded; keep one choice"
        raise InputError(msg)
    if len(excluded):
        out.loc[excluded, schema.HEAT_DEMAND_MWH_PER_A] = 0.0
        if schema.PEAK_LOAD_KW in out.columns:
            out.loc[excluded, schema.PEAK_LOAD_KW] = 0.0
        out.loc[excluded, schema.IS_ANCHOR] = False
        out.loc[excluded, schema.EXCLUSION_REASON] = EXCLUDED_BY_SCENARIO
        if schema.DEMAND_SOURCE in out.columns:
            out.loc[excluded, schema.DEMAND_SOURCE] = schema.DemandSource.EXCLUDED.value
    if len(included):
        no_heat = included[out.loc[included, schema.HEAT_DEMAND_MWH_PER_A].fillna(0.0) <= 0]
        if len(no_heat):
            logger.warning(
                "[area] %d included building(s) have no heat demand and cannot join a "
                "network (e.g. %s: %s)",
                len(no_heat),
                no_heat[0],
                out.loc[no_heat[0], schema.EXCLUSION_REASON] or "no demand",
            )
        out.loc[included, schema.IS_ANCHOR] = True
        out.loc[included, INCLUDED_BY_SCENARIO] = True
    if len(excluded) or len(included):
        logger.info(
            "scenario choices: %d building(s) left out, %d forced in", len(excluded), len(included)
        )
    return out


def add_included_to_specs(
    specs: list[CandidateSpec], buildings: gpd.GeoDataFrame
) -> list[CandidateSpec]:
    """Offer every included building with demand to the candidate network nearest to it.

    A building already in a candidate stays there. With no candidate at all, the included
    buildings form one network of their own (``S01``).

    Parameters
    ----------
    specs
        The candidate networks.
    buildings
        Buildings with :data:`INCLUDED_BY_SCENARIO` and demand.

    Returns
    -------
    specs
        The candidates with the included buildings added.
    """
    if INCLUDED_BY_SCENARIO not in buildings.columns:
        return specs
    heat = buildings[schema.HEAT_DEMAND_MWH_PER_A].fillna(0.0)
    wanted = buildings.index[buildings[INCLUDED_BY_SCENARIO].to_numpy(bool) & (heat > 0)]
    placed = {b for s in specs for b in s.building_ids}
    todo = [str(b) for b in wanted if str(b) not in placed]
    if not todo:
        return specs
    if not specs:
        return [CandidateSpec("S01", "S01", tuple(todo), False, "buildings chosen in the scenario",
                              "none")]  # fmt: skip
    out = list(specs)
    geom = buildings.geometry
    for b in todo:
        gaps = [
            float(geom.loc[list(s.building_ids)].distance(geom.loc[b]).min()) if s.building_ids
            else np.inf
            for s in out
        ]  # fmt: skip
        k = int(np.argmin(gaps))
        out[k] = dataclasses.replace(out[k], building_ids=(*out[k].building_ids, b))
        logger.info("included building %s joins candidate network %s", b, out[k].network_id)
    return out
