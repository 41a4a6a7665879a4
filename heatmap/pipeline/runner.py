"""Run the whole pipeline, stage by stage: ``run(scenario) -> Results``.

The area-wide stages (demand, density, clusters, the street heat atlas and candidate zones) run
once; every candidate zone becomes one or more candidate networks, each routed, sized,
dispatched, costed and appraised (:mod:`heatmap.pipeline.candidates`); the candidates are ranked
and the chosen one — the top-ranked, or the one the scenario names — is completed with the plant
sweep and its build phases. Progress is shown with tqdm and logged.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

import geopandas as gpd
import networkx as nx
import pandas as pd
import pyproj

from heatmap.demand import estimate as demand
from heatmap.design import sizing
from heatmap.errors import InputError
from heatmap.ingest import osm as ingest
from heatmap.pipeline.area import (
    check_inputs,
    cluster_area,
    empty_points,
    estimate_area_demand,
    existing_networks_near,
    load_area,
    load_weather,
    map_density,
    weather_from_file,
)
from heatmap.pipeline.candidates import (
    AreaContext,
    appraise_specs,
    candidate_specs,
    complete_network,
)
from heatmap.pipeline.choices import add_included_to_specs
from heatmap.pipeline.graph_crop import graph_around
from heatmap.pipeline.ranking import candidate_route_lines, candidate_table
from heatmap.pipeline.results import NetworkResults, Results
from heatmap.pipeline.scenario import Scenario
from heatmap.pipeline.summary import summary_of
from heatmap.routing.street_graph import routing_graph
from heatmap.zones import atlas as street_atlas
from heatmap.zones import candidate_zones as zoning

__all__ = ["choose_candidate", "rank_area_candidates", "run"]

logger = logging.getLogger(__name__)

T = TypeVar("T")


class _Stages:
    """Times each stage, logs it and advances one progress bar."""

    def __init__(self, names: list[str], *, progress: bool) -> None:
        from tqdm import tqdm

        self.timings: dict[str, float] = {}
        self._bar = tqdm(total=len(names), desc="heatmap", unit="stage", disable=not progress)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Time one stage and advance the bar when it ends."""
        self._bar.set_postfix_str(name)
        logger.info("stage %s ...", name)
        start = time.perf_counter()
        yield
        self.timings[name] = time.perf_counter() - start
        logger.info("stage %s done in %.2f s", name, self.timings[name])
        self._bar.update(1)

    def close(self) -> None:
        """Close the progress bar."""
        self._bar.close()


def _timed(stages: _Stages, name: str, func: Callable[[], T]) -> T:
    with stages.stage(name):
        return func()


def choose_candidate(candidates: pd.DataFrame, network_id: str = "") -> str | None:
    """The candidate that runs the whole chain: the one named, else the top-ranked.

    Parameters
    ----------
    candidates
        The ranked candidate table (``network_id``, ``rank``, ``viable``, ``reason``).
    network_id
        A candidate to choose by name; empty for the top-ranked.

    Returns
    -------
    network_id
        The chosen id, or None when there is no appraised candidate.

    Raises
    ------
    InputError
        When ``network_id`` names no appraised candidate.

    Examples
    --------
    >>> t = pd.DataFrame({"network_id": ["Z02", "Z01"], "rank": [1, 2],
    ...                   "viable": [True, False], "reason": ["", "NPV below 0"],
    ...                   "npv_gbp": [1.0, -1.0]})
    >>> choose_candidate(t), choose_candidate(t, "Z01")
    ('Z02', 'Z01')
    """
    appraised = candidates[candidates["npv_gbp"].notna()] if len(candidates) else candidates
    if network_id:
        ids = appraised["network_id"].astype(str).tolist()
        if network_id not in ids:
            shown = ", ".join(ids[:20]) or "none"
            msg = f"--network {network_id}: no such candidate network; the candidates are {shown}"
            raise InputError(msg)
        return network_id
    if appraised.empty:
        return None
    top = appraised.sort_values("rank").iloc[0]
    if not bool(top["viable"]):
        logger.warning(
            "no candidate network passes (best: %s, %s); the whole chain runs for it all the "
            "same so that its figures can be read",
            top["network_id"],
            top["reason"],
        )
    return str(top["network_id"])


def _site_near(
    scenario: Scenario, buildings: gpd.GeoDataFrame, crs: pyproj.CRS, margin_m: float
) -> Callable[[Sequence[str]], bool] | None:
    """``site_in(building_ids)``: whether the scenario's energy-centre site is near them."""
    if scenario.area.energy_centre is None:
        return None
    lon, lat = scenario.area.energy_centre
    x, y = pyproj.Transformer.from_crs("EPSG:4326", crs, always_xy=True).transform(lon, lat)

    def site_in(building_ids: Sequence[str]) -> bool:
        x0, y0, x1, y1 = buildings.loc[list(building_ids)].total_bounds
        return bool(x0 - margin_m <= x <= x1 + margin_m and y0 - margin_m <= y <= y1 + margin_m)

    return site_in


@dataclass(frozen=True)
class _AreaStages:
    """The area-wide stages' results, before any network is planned."""

    area: ingest.StudyArea
    weather: Any
    buildings: gpd.GeoDataFrame
    anchors: gpd.GeoDataFrame
    existing: gpd.GeoDataFrame
    raster: Any
    opportunity_areas: gpd.GeoDataFrame
    clusters: pd.DataFrame
    graph: nx.Graph
    atlas: street_atlas.StreetAtlas
    zones: zoning.ZoneSet


def _area_stages(scenario: Scenario, stages: _Stages) -> _AreaStages:
    """Ingest, demand, density, clusters, the street heat atlas and the candidate zones."""
    area = _timed(stages, "ingest", lambda: load_area(scenario.area))
    with stages.stage("demand"):
        wx = load_weather(scenario.area, scenario.demand)
        buildings = estimate_area_demand(
            area, scenario, wx=wx if weather_from_file(scenario.area) else None
        )
        anchors = demand.anchor_loads(
            buildings, threshold_mwh_per_a=scenario.demand.anchor_threshold_mwh_per_a
        )
        existing = (
            existing_networks_near(
                ingest.read_existing_networks(scenario.area.existing_networks_path, crs=area.crs),
                area,
            )
            if scenario.area.existing_networks_path
            else empty_points(area.crs)
        )
    raster, areas = _timed(
        stages, "density", lambda: map_density(buildings, area.streets, scenario.density)
    )
    buildings, clustered = _timed(
        stages, "cluster", lambda: cluster_area(buildings, area.streets, scenario.cluster)
    )
    with stages.stage("zones"):
        G = routing_graph(
            area.streets, area.buildings, params=scenario.network, barriers=area.barriers
        )
        atlas = street_atlas.street_heat_atlas(
            buildings,
            G,
            params=scenario.zones,
            anchor_threshold_mwh_per_a=scenario.demand.anchor_threshold_mwh_per_a,
            streets=area.streets,
        )
        zoneset = zoning.candidate_zones(
            atlas,
            G,
            params=scenario.zones,
            clusters=clustered.clusters,
            opportunity_areas=_lhd_rule_areas(areas),
        )
    return _AreaStages(
        area, wx, buildings, anchors, existing, raster, areas, clustered.clusters, G, atlas, zoneset
    )


def _lhd_rule_areas(areas: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The opportunity areas found by an LHD rule (a density-only area spans whole districts)."""
    if "rule" not in areas.columns:
        return areas
    return areas[areas["rule"].astype(str).str.startswith("scotland")]


def rank_area_candidates(scenario: Scenario, *, progress: bool = True) -> pd.DataFrame:
    """Run the area stages and appraise every candidate network, without completing one.

    Parameters
    ----------
    scenario
        What to run.
    progress
        Show a progress bar on stderr.

    Returns
    -------
    candidates
        The ranked candidate table (``candidates.csv``).
    """
    check_inputs(scenario.area)
    stages = _Stages(
        ["ingest", "demand", "density", "cluster", "zones", "candidates"], progress=progress
    )
    try:
        a = _area_stages(scenario, stages)
        with stages.stage("candidates"):
            table, _ = _appraise_candidates(scenario, a)
    finally:
        stages.close()
    return table


def run(scenario: Scenario | None = None, *, progress: bool = True) -> Results:
    """Run every stage of the pipeline on the scenario's study area.

    Parameters
    ----------
    scenario
        What to run; the bundled offline example when omitted.
    progress
        Show a progress bar on stderr.

    Returns
    -------
    results
        Every stage's result, the ranked candidates, the chosen network and the summary.

    Examples
    --------
    >>> import heatmap
    >>> res = heatmap.run(progress=False)  # doctest: +SKIP
    >>> res.summary["n_candidates"] >= 1  # doctest: +SKIP
    True
    """
    scenario = scenario or Scenario()
    check_inputs(scenario.area)
    names = ["ingest", "demand", "density", "cluster", "zones", "candidates", "chosen"]
    stages = _Stages(names, progress=progress)
    try:
        a = _area_stages(scenario, stages)
        with stages.stage("candidates"):
            table, appraisals = _appraise_candidates(scenario, a)
            chosen_id = choose_candidate(table, scenario.candidates.network)
            if chosen_id is not None:
                table.loc[table["network_id"] == chosen_id, "chosen"] = True
            routes = candidate_route_lines([x.network for x in appraisals.values()], a.area.crs)
        with stages.stage("chosen"):
            chosen: NetworkResults | None = (
                complete_network(appraisals[chosen_id], scenario, a.weather)
                if chosen_id is not None
                else None
            )
    finally:
        stages.close()
    results = Results(
        scenario=scenario,
        area=a.area,
        buildings=a.buildings,
        weather=a.weather,
        density=a.raster,
        opportunity_areas=a.opportunity_areas,
        anchor_loads=a.anchors,
        clusters=a.clusters,
        existing_networks=a.existing,
        summary={},
        timings_s=dict(stages.timings),
        street_lhd=a.atlas.segments,
        zones=a.zones.zones,
        candidates=table,
        candidate_routes=_candidate_layer(routes, table),
        network=chosen,
        street_passages=a.graph.graph.get("passages"),
    )
    return dataclasses.replace(results, summary=summary_of(results))


def _appraise_candidates(scenario: Scenario, a: _AreaStages) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Form, appraise and rank the candidate networks of every zone."""
    params = scenario.candidates
    buildings, G, atlas, zoneset = a.buildings, a.graph, a.atlas, a.zones
    capacity_kw = scenario.route.max_network_peak_kw or sizing.max_capacity_kw(
        params=scenario.sizing
    )
    assignment = atlas.assignment
    building_node = assignment["segment_id"].map(atlas.segments["u"])
    specs = candidate_specs(
        zoneset.zones,
        zoneset.building_zone,
        buildings,
        building_node,
        G,
        capacity_kw=capacity_kw,
        params=params,
    )
    specs = add_included_to_specs(specs, buildings)
    context = AreaContext(
        buildings=buildings,
        weather=a.weather,
        graph_for=graph_around(G, buildings, params.zone_margin_m),
        clusters=a.clusters,
        street_lhd=atlas.segments,
        site_in=_site_near(scenario, buildings, a.area.crs, params.zone_margin_m),
    )
    rows, appraisals = appraise_specs(specs, scenario, context, params=params)
    table = candidate_table(rows, params=params, rank_by=params.rank_by)
    logger.info(
        "%d candidate networks, %d viable",
        len(table),
        int(table["viable"].sum()) if len(table) else 0,
    )
    return table, appraisals


def _candidate_layer(routes: gpd.GeoDataFrame, table: pd.DataFrame) -> gpd.GeoDataFrame:
    """The candidates' routes with their figures (the ``candidates`` layer)."""
    if routes.empty:
        empty = table.iloc[:0].copy()
        return gpd.GeoDataFrame(empty, geometry=gpd.GeoSeries([], crs=routes.crs), crs=routes.crs)
    merged = routes.merge(table, on="network_id", how="left")
    return gpd.GeoDataFrame(merged, geometry="geometry", crs=routes.crs)
