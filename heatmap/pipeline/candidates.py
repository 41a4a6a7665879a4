"""Candidate heat networks: one planned, sized, dispatched and appraised network per zone.

Each candidate zone (:func:`heatmap.zones.candidate_zones`) becomes one or more candidate
networks: a zone whose loads need more than one energy centre can carry is split into parts,
each grown along the streets from its largest remaining anchor load. Every candidate goes through
the same models as the full chain — energy-centre siting, a prize-collecting route over the
streets (anchor loads must connect, other loads join where their heat margin pays for their
trench), pipe sizing, CAPEX, hourly dispatch and the cashflow appraisal — and the candidates are
ranked by the scenario's criterion.
"""

from __future__ import annotations

import dataclasses
import logging
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd

from heatmap import economics, schema
from heatmap._json import json_number
from heatmap.demand import estimate as demand
from heatmap.design import sizing
from heatmap.errors import HeatmapError, InputError
from heatmap.ingest import weather
from heatmap.pipeline import phases as phasing
from heatmap.pipeline.candidate_params import CandidateParams
from heatmap.pipeline.network_plan import connected_buildings, plan_route
from heatmap.pipeline.plant import capex, economics_inputs, phase_dispatch, plant_sweep
from heatmap.pipeline.results import NetworkResults
from heatmap.pipeline.route_lhd import with_street_lhd
from heatmap.pipeline.scenario import Scenario
from heatmap.routing import route

__all__ = [
    "AreaContext",
    "CandidateSpec",
    "appraise_network",
    "appraise_specs",
    "candidate_specs",
    "complete_network",
    "connection_value_gbp_per_mwh_per_a",
]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CandidateSpec:
    """The loads of one candidate network before it is routed.

    Attributes
    ----------
    network_id
        ``Z01`` for a whole zone, ``Z01-1``, ``Z01-2`` … for the parts of a zone that needs more
        than one energy centre.
    zone_id
        The zone it comes from.
    building_ids
        Buildings of the zone (or part) offered to the route.
    zone_passes
        Whether the zone passed its LHD and anchor rule.
    zone_reason
        Why the zone failed its rule ("" when it passed).
    zone_rule
        The rule the zone passed (``stringent``, ``baseline``) or ``none``.
    """

    network_id: str
    zone_id: str
    building_ids: tuple[str, ...]
    zone_passes: bool
    zone_reason: str
    zone_rule: str


def _diversified_peak_kw(peaks_kw: np.ndarray, connections: np.ndarray) -> np.ndarray:
    """Cumulative diversified peak of loads taken in order, f(n) x sum of peaks."""
    n = np.cumsum(np.maximum(connections, 1.0))
    return np.cumsum(peaks_kw) * demand.diversity_factor(n)


def _split_by_capacity(
    loads: pd.DataFrame, building_node: pd.Series, G: nx.Graph, capacity_kw: float
) -> list[list[str]]:
    """Split loads into parts one energy centre each can carry, grown along the streets.

    Each part starts at the largest remaining load and takes the remaining loads nearest to it
    along the streets while the part's diversified peak stays within ``capacity_kw``.
    """
    remaining = loads.sort_values(
        [schema.HEAT_DEMAND_MWH_PER_A], ascending=False, kind="mergesort"
    ).index.tolist()
    parts: list[list[str]] = []
    while remaining:
        seed = remaining[0]
        source = building_node.get(seed)
        dist: dict[Any, float] = (
            nx.single_source_dijkstra_path_length(G, source, weight="length_m")
            if source in G
            else {}
        )
        order = sorted(remaining, key=lambda b: (dist.get(building_node.get(b), math.inf), str(b)))
        order.remove(seed)
        order.insert(0, seed)
        peaks = loads.loc[order, schema.PEAK_LOAD_KW].to_numpy(float)
        conns = (
            loads.loc[order, schema.N_DWELLINGS].to_numpy(float)
            if schema.N_DWELLINGS in loads.columns
            else np.ones(len(order))
        )
        keep = max(
            1, int(np.searchsorted(_diversified_peak_kw(peaks, conns), capacity_kw, "right"))
        )
        parts.append([str(b) for b in order[:keep]])
        taken = set(order[:keep])
        remaining = [b for b in remaining if b not in taken]
    return parts


def _zones_to_plan(zones: pd.DataFrame) -> pd.DataFrame:
    """The zones that become candidate networks.

    Zones that pass their rule; when none does, the failing zones with at least one anchor load
    (largest first), so that the best of them can still be appraised and its figures read.
    """
    passing = zones[zones["passes"].astype(bool)]
    if len(passing):
        return passing
    if "n_anchors" not in zones.columns:
        return zones
    return zones[zones["n_anchors"] >= 1]


def candidate_specs(
    zones: gpd.GeoDataFrame,
    building_zone: pd.Series,
    buildings: gpd.GeoDataFrame,
    building_node: pd.Series,
    G: nx.Graph,
    *,
    capacity_kw: float,
    params: CandidateParams,
) -> list[CandidateSpec]:
    """Turn candidate zones into candidate networks, splitting zones beyond one energy centre.

    Parameters
    ----------
    zones
        Candidate zones indexed by ``zone_id``, largest first, with ``passes``, ``reason`` and
        ``rule``.
    building_zone
        Zone of each building (building id → zone id).
    buildings
        Buildings with demand and peaks.
    building_node
        Street-graph node each building connects to (building id → node), used to grow the
        parts of a split zone along the streets.
    G
        Street graph with ``length_m`` on every edge.
    capacity_kw
        Largest diversified peak one energy centre's spine carries.
    params
        ``[candidates]``: the smallest load of its own, the number of candidates.

    Returns
    -------
    specs
        One per candidate network, in zone order: the zones that pass their rule, or when none
        does the failing zones with an anchor load (:func:`_zones_to_plan`).

    Examples
    --------
    Two 600 kW loads on a street where one energy centre carries 700 kW become two networks:

    >>> from shapely.geometry import Point
    >>> G = nx.path_graph([0, 1, 2])
    >>> nx.set_edge_attributes(G, 100.0, "length_m")
    >>> b = gpd.GeoDataFrame({"heat_demand_mwh_per_a": [1500.0, 1400.0],
    ...                       "peak_load_kw": [600.0, 600.0]},
    ...                      geometry=[Point(0, 0), Point(200, 0)], index=["a", "b"])
    >>> z = pd.DataFrame({"passes": [True], "reason": [""], "rule": ["baseline"]},
    ...                  index=pd.Index(["Z01"], name="zone_id"))
    >>> specs = candidate_specs(z, pd.Series({"a": "Z01", "b": "Z01"}), b,
    ...                         pd.Series({"a": 0, "b": 2}), G, capacity_kw=700.0,
    ...                         params=CandidateParams())
    >>> [(s.network_id, s.building_ids) for s in specs]
    [('Z01-1', ('a',)), ('Z01-2', ('b',))]
    """
    specs: list[CandidateSpec] = []
    heat = buildings[schema.HEAT_DEMAND_MWH_PER_A].fillna(0.0)
    for zone_id, zone in _zones_to_plan(zones).iterrows():
        members = building_zone.index[building_zone.astype(str) == str(zone_id)]
        members = members[heat.reindex(members).fillna(0.0).to_numpy() > 0]
        if len(members) == 0:
            continue
        loads = buildings.loc[members]
        offered = loads[loads[schema.HEAT_DEMAND_MWH_PER_A] >= params.min_load_mwh_per_a]
        if offered.empty:
            offered = loads.nlargest(1, schema.HEAT_DEMAND_MWH_PER_A)
        conns = (
            offered[schema.N_DWELLINGS].to_numpy(float)
            if schema.N_DWELLINGS in offered.columns
            else np.ones(len(offered))
        )
        total = _diversified_peak_kw(offered[schema.PEAK_LOAD_KW].to_numpy(float), conns)[-1]

        def spec(network_id: str, ids: Sequence[Any], z: pd.Series = zone) -> CandidateSpec:
            return CandidateSpec(
                network_id,
                zone_id=str(z.name),
                building_ids=tuple(str(b) for b in ids),
                zone_passes=bool(z["passes"]),
                zone_reason=str(z["reason"]),
                zone_rule=str(z["rule"]),
            )

        if total <= capacity_kw:
            specs.append(spec(str(zone_id), list(members)))
            continue
        parts = _split_by_capacity(offered, building_node, G, capacity_kw)
        logger.info(
            "zone %s needs %.0f kW, more than one energy centre carries (%.0f kW): %d networks",
            zone_id,
            total,
            capacity_kw,
            len(parts),
        )
        for i, part in enumerate(parts, start=1):
            specs.append(spec(f"{zone_id}-{i}", part))
    if len(specs) > params.max_candidates:
        logger.warning(
            "%d candidate networks; appraising the first %d ([candidates] max_candidates)",
            len(specs),
            params.max_candidates,
        )
    return specs


def connection_value_gbp_per_mwh_per_a(scenario: Scenario) -> float:
    """Present value of connecting 1 MWh/a of demand, in the router's weight units.

    The heat margin is the sales tariff against an individual air-source heat pump (the
    counterfactual the tariffs are set against: electricity price ÷ its COP, less the tariff
    discount) minus the cost of making that heat (the same electricity through a heat pump of
    the same COP) and the network's per-MWh operating costs; it is discounted over the longest
    appraisal horizon. With the router weighing metres instead of pounds, it is divided by the
    soft-dig trench cost per metre.

    Parameters
    ----------
    scenario
        ``[economics]`` prices and horizon, ``[network]`` weight and trench cost.

    Returns
    -------
    value
        GBP (or metres of trench) per MWh/a connected; never negative.

    Examples
    --------
    >>> round(connection_value_gbp_per_mwh_per_a(Scenario()), 1) >= 0
    True
    """
    e = scenario.economics
    tariff_gbp_per_mwh = (
        10.0 * e.ashp_electricity_price_p_per_kwh / e.ashp_cop * (1 - e.tariff_discount_pct / 100)
    )
    cost_gbp_per_mwh = (
        10.0 * e.electricity_price_p_per_kwh / e.ashp_cop
        + e.om_network_gbp_per_mwh
        + e.om_customer_gbp_per_mwh
    )
    margin = max(tariff_gbp_per_mwh - cost_gbp_per_mwh, 0.0)
    rate = e.discount_rate_pct / 100
    years = max(e.horizons_years)
    annuity = years if rate == 0 else (1 - (1 + rate) ** -years) / rate
    value = margin * annuity
    if scenario.network.weight == "length":
        value /= scenario.network.trench_cost_soft_gbp_per_m
    return float(value)


@dataclass(frozen=True)
class _Appraisal:
    """A screened network with what completing it for the full chain needs."""

    network: NetworkResults
    plants: list[phasing.PlantPhase]
    econ_inputs: economics.EconomicsInputs


def _candidate_scenario(scenario: Scenario, params: CandidateParams) -> Scenario:
    value = connection_value_gbp_per_mwh_per_a(scenario)
    route_params = dataclasses.replace(
        scenario.route,
        prize_collecting=params.prize_collecting,
        prize_per_mwh_per_a=value
        if params.prize_collecting
        else scenario.route.prize_per_mwh_per_a,
        connect_all_anchors=True,
        on_unreachable="drop",
    )
    return scenario.replace(route=route_params)


def appraise_network(
    network_id: str,
    buildings: gpd.GeoDataFrame,
    scenario: Scenario,
    wx: weather.Weather,
    *,
    graph: nx.Graph,
    clusters: pd.DataFrame | None = None,
    min_load_mwh_per_a: float | None = None,
    street_lhd: gpd.GeoDataFrame | None = None,
) -> _Appraisal:
    """Route, size, dispatch, cost and appraise one network (the screening appraisal).

    Parameters
    ----------
    network_id
        The candidate's id.
    buildings
        The buildings offered to this network, with demand.
    scenario
        Every stage's parameters (the route's prize-collecting settings already applied).
    wx
        Weather for the hourly profiles.
    graph
        Street graph around the network.
    clusters
        Screened clusters among these buildings.
    min_load_mwh_per_a
        Offer buildings down to this demand as loads of their own.
    street_lhd
        The street heat atlas: the route's segments show its LHD (else the route's own).

    Returns
    -------
    appraisal
        The network with its phases' plant and the economics inputs.
    """
    plan = plan_route(
        buildings,
        None,
        scenario,
        clusters=clusters,
        graph=graph,
        min_load_mwh_per_a=min_load_mwh_per_a,
    )
    segments = route.route_to_gdf(plan.route)
    if segments.empty:
        msg = (
            "a single load next to its energy centre: no network to plan (a building-scale "
            "heat pump serves it)"
        )
        raise InputError(msg)
    if street_lhd is not None:
        segments = with_street_lhd(
            segments, street_lhd, threshold_mwh_per_m_a=scenario.route.lhd_threshold_mwh_per_m_a
        )
    sized = sizing.size_pipes(segments, params=scenario.sizing)
    selected = plan.selected
    cl_loads = (
        None
        if selected is None or phasing.LOAD_KIND not in selected.columns
        else selected[selected[phasing.LOAD_KIND] == "cluster"]
    )
    connected = connected_buildings(buildings, plan.route, cluster_loads=cl_loads)
    plants = phase_dispatch(connected, sized, wx, scenario.dispatch)
    plant = plants[-1].result
    cost = capex(sized, plant, connected, scenario, phases=plants)
    econ_inputs = economics_inputs(connected, plant, cost, scenario, phases=plants)
    econ = economics.evaluate(econ_inputs, params=scenario.economics, sensitivities=False)
    net = NetworkResults(
        network_id=network_id,
        graph=plan.graph,
        energy_centre=plan.energy_centre,
        route=plan.route,
        sizing=sized,
        cost=cost,
        dispatch=plant,
        economics=econ,
        phase_dispatch=tuple(p.result for p in plants),
        cluster_loads=cl_loads,
        loads_beyond_capacity=plan.beyond_capacity,
        network_capacity_kw=plan.capacity_kw,
        connected=connected,
    )
    return _Appraisal(net, plants, econ_inputs)


def complete_network(
    appraisal: _Appraisal, scenario: Scenario, wx: weather.Weather
) -> NetworkResults:
    """Add what the chosen network reports beyond its screening: sweep, phases, sensitivities.

    Parameters
    ----------
    appraisal
        The chosen candidate's screening appraisal.
    scenario
        Every stage's parameters.
    wx
        Weather for the sweep's hourly profile.

    Returns
    -------
    network
        The same network with ``plant_sweep`` and ``phases``.
    """
    net = appraisal.network
    if net.connected is None:
        msg = f"network {net.network_id} has no connected loads to complete"
        raise HeatmapError(msg)
    sweep = plant_sweep(net.connected, net.sizing, wx, scenario.dispatch)
    phases = phasing.phase_table(
        route.phase_summary(net.route),
        net.connected,
        appraisal.plants,
        net.cost,
        appraisal.econ_inputs.phases,
    )
    econ = economics.evaluate(appraisal.econ_inputs, params=scenario.economics)
    return dataclasses.replace(net, plant_sweep=sweep, phases=phases, economics=econ)


def _row(spec: CandidateSpec, net: NetworkResults | None, error: str = "") -> dict[str, Any]:
    row: dict[str, Any] = {
        "network_id": spec.network_id,
        "zone_id": spec.zone_id,
        "zone_rule": spec.zone_rule,
        "zone_passes": spec.zone_passes,
        "zone_reason": spec.zone_reason,
        "error": error,
    }
    if net is None:
        return row
    pipes = net.sizing.pipes
    street = pipes[schema.KIND] == schema.EdgeKind.STREET
    econ = net.economics.summary()
    capex_gbp = float(net.cost.total_capex_gbp)
    npv = json_number(econ.get("npv_gbp"))
    row.update(
        {
            "n_connections": int(net.route.n_connections),
            "connected_heat_mwh_per_a": float(net.route.connected_heat_mwh_per_a),
            "trench_length_m": float(pipes.loc[street, schema.LENGTH_M].sum()),
            "service_length_m": float(pipes.loc[~street, schema.LENGTH_M].sum()),
            "route_lhd_mwh_per_m_a": json_number(net.route.route_lhd_mwh_per_m_a),
            "peak_demand_kw": float(net.dispatch.peak_load_kw),
            "hp_capacity_kw": float(net.dispatch.hp_capacity_kw),
            "store_volume_m3": float(net.dispatch.store_volume_m3),
            "boiler_capacity_kw": float(net.dispatch.boiler_capacity_kw),
            "network_losses_pct": json_number(net.sizing.loss_share_pct),
            "low_carbon_share_pct": json_number(net.dispatch.low_carbon_share_pct),
            "capex_gbp": capex_gbp,
            "npv_gbp": npv,
            "irr_pct": json_number(econ.get("irr_pct")),
            "lcoh_gbp_per_mwh": json_number(econ.get("lcoh_gbp_per_mwh")),
            "npv_per_capex": None if npv is None or capex_gbp <= 0 else npv / capex_gbp,
            "co2_savings_t_per_a": json_number(econ.get("co2_savings_t_per_a")),
            "energy_centre_x_m": float(net.energy_centre.point.x),
            "energy_centre_y_m": float(net.energy_centre.point.y),
        }
    )
    return row


@dataclass(frozen=True)
class AreaContext:
    """What every candidate of an area is appraised with.

    Attributes
    ----------
    buildings
        Buildings with demand and cluster ids.
    weather
        Weather for the hourly profiles.
    graph_for
        ``graph_for(building_ids) -> nx.Graph``: the street graph to route a candidate over.
    clusters
        Screened clusters, or None.
    street_lhd
        The street heat atlas, whose LHD the routes show, or None.
    site_in
        ``site_in(building_ids) -> bool``: whether the scenario's energy-centre site serves a
        candidate (it is near its loads); other candidates site their own. None: no site given.
    """

    buildings: gpd.GeoDataFrame
    weather: weather.Weather
    graph_for: Callable[[Sequence[str]], nx.Graph]
    clusters: pd.DataFrame | None = None
    street_lhd: gpd.GeoDataFrame | None = None
    site_in: Callable[[Sequence[str]], bool] | None = None


def appraise_specs(
    specs: Sequence[CandidateSpec],
    scenario: Scenario,
    context: AreaContext,
    *,
    params: CandidateParams,
) -> tuple[list[dict[str, Any]], dict[str, _Appraisal]]:
    """Appraise each candidate; one that cannot be planned becomes a row with the reason.

    Parameters
    ----------
    specs
        The candidates (at most ``params.max_candidates`` are appraised).
    scenario
        Every stage's parameters.
    context
        The area's buildings, weather, street graph, clusters and atlas.
    params
        ``[candidates]``.

    Returns
    -------
    rows, appraisals
        One table row per candidate, and the appraisals by network id.
    """
    buildings, clusters, site_in = context.buildings, context.clusters, context.site_in
    cand_scenario = _candidate_scenario(scenario, params)
    rows: list[dict[str, Any]] = []
    done: dict[str, _Appraisal] = {}
    for i, spec in enumerate(specs):
        if i >= params.max_candidates:
            rows.append(_row(spec, None, "not appraised ([candidates] max_candidates)"))
            continue
        subset = buildings.loc[list(spec.building_ids)]
        cl = None
        if clusters is not None and schema.CLUSTER_ID in subset.columns:
            ids = set(subset[schema.CLUSTER_ID].astype(str)) - {""}
            cl = clusters[clusters.index.astype(str).isin(ids)]
        spec_scenario = cand_scenario
        if cand_scenario.area.energy_centre is not None and not (
            site_in is not None and site_in(spec.building_ids)
        ):
            spec_scenario = cand_scenario.replace(
                area=dataclasses.replace(cand_scenario.area, energy_centre=None)
            )
        try:
            appraisal = appraise_network(
                spec.network_id,
                subset,
                spec_scenario,
                context.weather,
                graph=context.graph_for(spec.building_ids),
                clusters=cl,
                min_load_mwh_per_a=params.min_load_mwh_per_a,
                street_lhd=context.street_lhd,
            )
        except HeatmapError as exc:
            logger.info("candidate %s could not be planned: %s", spec.network_id, exc)
            rows.append(_row(spec, None, str(exc)))
            continue
        done[spec.network_id] = appraisal
        rows.append(_row(spec, appraisal.network))
    return rows, done
