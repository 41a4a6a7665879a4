"""Phasing glue of the pipeline: phased load selection, cluster loads, per-phase plant.

Phases are nested (study Table 23: "later phases [are] additional to the previous phase"):

- loads are phased by their annual demand against ``[route] phase_thresholds_mwh_per_a``;
- each viable domestic cluster is one load at its street connection point, carrying the
  dwellings the screening expects to connect (uptake by tenure) and their share of the
  cluster's heat and peak;
- the plant is dispatched on the network as built up to each phase (its loads plus the losses
  of the pipes laid so far); the increments from one phase to the next are what each phase adds
  to the energy centre (CAPEX) and to the yearly energy flows (economics).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd

from heatmap import plant as dispatch
from heatmap import schema
from heatmap.demand import estimate as demand
from heatmap.design import costing, sizing
from heatmap.economics import appraisal as economics
from heatmap.errors import ConfigError, InputError

if TYPE_CHECKING:
    from heatmap.pipeline.scenario import Scenario

__all__ = [
    "LOAD_KIND",
    "PlantPhase",
    "cluster_loads",
    "phase_of",
    "phase_start_years",
    "phase_table",
    "plant_phases",
    "select_loads",
    "select_phased_loads",
]

logger = logging.getLogger(__name__)

LOAD_KIND = "load_kind"
"""Column of the selected loads: ``"building"`` or ``"cluster"``."""

_DOMESTIC = schema.BuildingUse.DOMESTIC.value
N_CONNECTIONS = schema.N_CONNECTIONS
N_DWELLINGS = schema.N_DWELLINGS


def phase_of(heat_mwh_per_a: np.ndarray, thresholds: Sequence[float]) -> np.ndarray:
    """Phase of each load: 1 + the number of thresholds its annual demand is below.

    Parameters
    ----------
    heat_mwh_per_a
        Annual demand of each load, MWh/a.
    thresholds
        Decreasing thresholds, MWh/a.

    Returns
    -------
    phase
        ``1`` at or above the first threshold, ``2`` from the second up to the first, ...,
        ``len(thresholds) + 1`` below the last.
    """
    heat = np.asarray(heat_mwh_per_a, dtype=float).reshape(-1, 1)
    thr = np.asarray(thresholds, dtype=float).reshape(1, -1)
    return (1 + (heat < thr).sum(axis=1)).astype(np.int64)


def cluster_loads(
    buildings: pd.DataFrame,
    clusters: pd.DataFrame,
    *,
    exclude: pd.Index | None = None,
) -> gpd.GeoDataFrame:
    """One load per viable domestic cluster, at its street connection point.

    Parameters
    ----------
    buildings
        Buildings with demand, ``cluster_id`` and ``n_dwellings`` (from the cluster stage).
    clusters
        Clusters with the screening (``viable``, ``n_dwellings``, ``connected_dwellings``) and
        ``connection_x``/``connection_y``.
    exclude
        Building ids connected on their own (anchor loads): left out of their cluster's load.

    Returns
    -------
    loads
        Indexed by ``cluster_id``: ``name``, ``use`` (domestic), ``heat_demand_mwh_per_a`` and
        ``peak_load_kw`` of the connected share (connected dwellings / dwellings, applied to the
        cluster's domestic buildings; the peak is the undiversified sum, so that the route, the
        capacity cap and the dispatch apply the demand stage's diversity f(n) once over all the
        connections they serve), ``n_dwellings`` and ``n_connections`` (connected dwellings),
        ``diversified_peak_kw`` (the cluster on its own,
        :func:`heatmap.demand.estimate.diversity_factor`),
        ``is_anchor`` (False), ``load_kind`` ("cluster"), point geometry.
    """
    crs = getattr(buildings, "crs", None)
    cols = ["viable", "connected_dwellings", "connection_x", "connection_y", schema.N_DWELLINGS]
    if clusters is None or clusters.empty or not set(cols) <= set(clusters.columns):
        return _empty_loads(crs)
    viable = clusters["viable"].fillna(False).astype(bool)
    located = np.isfinite(clusters[["connection_x", "connection_y"]].to_numpy(float)).all(axis=1)
    chosen = clusters[viable.to_numpy() & located]
    if chosen.empty or schema.CLUSTER_ID not in buildings.columns:
        return _empty_loads(crs)
    member = buildings[schema.CLUSTER_ID].astype(str).isin(chosen.index.astype(str))
    domestic = (
        buildings[schema.USE].astype(str) == _DOMESTIC
        if schema.USE in buildings.columns
        else pd.Series(True, index=buildings.index)
    )
    own = buildings.index.isin(exclude) if exclude is not None else np.zeros(len(buildings), bool)
    rest = buildings[member & domestic & ~own]
    grouped = rest.groupby(rest[schema.CLUSTER_ID].astype(str))
    heat = grouped[schema.HEAT_DEMAND_MWH_PER_A].sum()
    peak = grouped[schema.PEAK_LOAD_KW].sum()
    dwell = grouped[schema.N_DWELLINGS].sum()
    ids = chosen.index.astype(str)
    total = chosen[schema.N_DWELLINGS].to_numpy(float)
    share = np.divide(
        chosen["connected_dwellings"].to_numpy(float),
        total,
        out=np.zeros(len(chosen)),
        where=total > 0,
    )
    n_conn = np.rint(share * dwell.reindex(ids).fillna(0).to_numpy(float)).astype(np.int64)
    heat_c = share * heat.reindex(ids).fillna(0.0).to_numpy(float)
    peak_c = share * peak.reindex(ids).fillna(0.0).to_numpy(float)
    n_excluded = int((member & own).sum())
    if n_excluded:
        logger.info(
            "%d anchor load(s) inside viable clusters are connected on their own, not as part "
            "of their cluster's load",
            n_excluded,
        )
    keep = (n_conn >= 1) & (heat_c > 0) & (peak_c > 0)
    div = np.where(n_conn >= 1, demand.diversity_factor(np.maximum(n_conn, 1)), 0.0) * peak_c
    out = gpd.GeoDataFrame(
        {
            schema.NAME: [f"cluster {i}" for i in ids],
            schema.USE: _DOMESTIC,
            schema.HEAT_DEMAND_MWH_PER_A: heat_c,
            schema.PEAK_LOAD_KW: peak_c,
            schema.N_DWELLINGS: n_conn,
            schema.N_CONNECTIONS: n_conn,
            "diversified_peak_kw": div,
            schema.IS_ANCHOR: False,
            schema.CLUSTER_ID: ids,
            LOAD_KIND: "cluster",
        },
        geometry=gpd.points_from_xy(chosen["connection_x"], chosen["connection_y"]),
        index=pd.Index(ids, name=schema.BUILDING_ID),
        crs=crs,
    )
    dropped = list(out.index[~keep])
    if dropped:
        logger.info("viable clusters with no connected dwelling left, not connected: %s", dropped)
    return out[keep]


def _empty_loads(crs: object) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            schema.HEAT_DEMAND_MWH_PER_A: pd.Series(dtype=float),
            schema.PEAK_LOAD_KW: pd.Series(dtype=float),
            schema.N_CONNECTIONS: pd.Series(dtype=np.int64),
        },
        geometry=gpd.GeoSeries([], crs=crs),
        crs=crs,
    )


def phase_start_years(
    phases: Sequence[int], params: economics.EconomicsParams, *, first: int
) -> dict[int, int]:
    """Start year of each phase number.

    Parameters
    ----------
    phases
        Phase numbers (>= 1).
    params
        ``phase_start_years`` (explicit, phase 1 first) or ``phase_interval_years``.
    first
        Start year of phase 1 when ``phase_start_years`` is empty.

    Returns
    -------
    years
        Phase -> start year.
    """
    given = params.phase_start_years
    if given:
        short = [k for k in phases if k > len(given)]
        if short:
            msg = (
                f"[economics] phase_start_years gives {len(given)} year(s) but the route has "
                f"phase {max(short)}; give one start year per phase"
            )
            raise ConfigError(msg)
        return {int(k): int(given[k - 1]) for k in phases}
    return {int(k): first + (int(k) - 1) * params.phase_interval_years for k in phases}


class PlantPhase:
    """The plant dispatched on the network built up to one phase (cumulative)."""

    def __init__(
        self, phase: int, result: dispatch.DispatchResult, losses_mwh_per_a: float
    ) -> None:
        self.phase = phase
        self.result = result
        self.losses_mwh_per_a = losses_mwh_per_a

    @property
    def hp_heat_mwh_per_a(self) -> float:
        """Heat from the heat pumps, MWh/a."""
        return float(self.result.hourly["hp_kw"].sum()) / 1000.0


def plant_phases(
    connected: pd.DataFrame,
    sized: sizing.SizingResult,
    dispatch_one: Callable[[pd.DataFrame, float], dispatch.DispatchResult],
) -> list[PlantPhase]:
    """Dispatch the network as built up to each phase.

    Parameters
    ----------
    connected
        Connected loads with ``phase``.
    sized
        Sized pipes with ``phase`` and ``heat_loss_mwh_per_a``.
    dispatch_one
        ``(loads, losses_mwh_per_a) -> DispatchResult`` for one network.

    Returns
    -------
    plants
        One cumulative dispatch per phase, in phase order; the last is the full network (its
        losses are the whole network's).
    """
    phases = sorted(int(k) for k in connected[schema.PHASE].unique())
    pipes = sized.pipes
    out = []
    for k in phases:
        if k == phases[-1]:
            losses = float(sized.annual_heat_loss_mwh_per_a)
        else:
            laid = pipes[schema.PHASE].astype(int) <= k
            losses = float(pipes.loc[laid, schema.HEAT_LOSS_MWH_PER_A].sum())
        built = connected[connected[schema.PHASE].astype(int) <= k]
        out.append(PlantPhase(k, dispatch_one(built, losses), losses))
    return out


def _increments(values: list[float], what: str) -> list[float]:
    out, prev = [], 0.0
    for k, v in enumerate(values):
        step = v - prev
        if step < 0:
            logger.info(
                "phase %d: %s falls by %.3g from the previous phase; counted as 0",
                k + 1,
                what,
                -step,
            )
        out.append(max(step, 0.0))
        prev = max(prev, v)
    return out


def plant_capacities(
    plants: list[PlantPhase], *, energy_centre_m2_per_mw: float | None = None
) -> dict[int, costing.PlantCapacities]:
    """Energy-centre capacities each phase adds (increments of the cumulative dispatches).

    With ``energy_centre_m2_per_mw``, the energy-centre building is built in the first phase
    for the plant of the whole build (heat pumps + boilers of the last phase), as in the study
    (the centre is built in Phase 1 and later phases add plant to it); without it the costing
    sizes it on the first phase's plant.
    """
    res = [p.result for p in plants]
    area: float | None = None
    if energy_centre_m2_per_mw is not None and len(plants) > 1:
        final = res[-1].hp_capacity_kw + res[-1].boiler_capacity_kw
        area = energy_centre_m2_per_mw * max(final, 0.0) / 1e3
    hp = _increments([r.hp_capacity_kw for r in res], "heat-pump capacity")
    boiler = _increments([r.boiler_capacity_kw for r in res], "boiler capacity")
    store = _increments([r.store_volume_m3 for r in res], "store volume")
    peak = _increments([r.peak_load_kw for r in res], "network peak")
    return {
        p.phase: costing.PlantCapacities(
            hp_capacity_kw=hp[i],
            boiler_capacity_kw=boiler[i],
            store_volume_m3=store[i],
            network_peak_kw=peak[i],
            energy_centre_area_m2=None if area is None else (area if i == 0 else 0.0),
        )
        for i, p in enumerate(plants)
    }


def economics_phases(
    connected: pd.DataFrame, plants: list[PlantPhase], years: dict[int, int]
) -> pd.DataFrame:
    """Per-phase increments for :class:`heatmap.economics.appraisal.EconomicsInputs` ``phases``."""
    res = [p.result for p in plants]
    heat = connected.groupby(connected[schema.PHASE].astype(int))[
        schema.HEAT_DEMAND_MWH_PER_A
    ].sum()
    return pd.DataFrame(
        {
            "phase": [p.phase for p in plants],
            "start_year": [years[p.phase] for p in plants],
            "heat_sold_mwh_per_a": [float(heat.get(p.phase, 0.0)) for p in plants],
            "electricity_mwh_per_a": _increments([r.electricity_mwh for r in res], "electricity"),
            "gas_mwh_per_a": _increments([r.gas_mwh for r in res], "gas"),
            "heat_pump_heat_mwh_per_a": _increments(
                [p.hp_heat_mwh_per_a for p in plants], "heat-pump heat"
            ),
            "heat_pump_kw": _increments([r.hp_capacity_kw for r in res], "heat-pump capacity"),
            "pumping_electricity_mwh_per_a": _increments(
                [r.energy_balance_mwh.get("pumping_electricity_mwh", 0.0) for r in res], "pumping"
            ),
            "electricity_price_factor": [r.electricity_price_factor for r in res],
        }
    )


def phase_table(
    route_phases: pd.DataFrame,
    connected: pd.DataFrame,
    plants: list[PlantPhase],
    cost: costing.CostBreakdown,
    econ_phases: pd.DataFrame,
) -> pd.DataFrame:
    """One row per phase: what it adds and the network to its end (``phases.csv``).

    Parameters
    ----------
    route_phases
        :func:`heatmap.routing.route.phase_summary`.
    connected
        Connected loads with ``phase`` and ``load_kind``.
    plants
        :func:`plant_phases`.
    cost
        CAPEX with per-phase lines.
    econ_phases
        :func:`economics_phases`.

    Returns
    -------
    table
        Columns ``phase``, ``start_year``, the route's per-phase and cumulative lengths, heat,
        connections and LHD, ``n_loads``, ``n_clusters``, ``network_losses_mwh_per_a``
        (added), ``peak_demand_kw`` and ``low_carbon_share_pct`` (network to the end of the
        phase), ``hp_capacity_added_kw``, ``boiler_capacity_added_kw``, the energy increments,
        ``capex_gbp`` (the phase's lines incl. contingency) and ``cumulative_capex_gbp``.
    """
    out = route_phases.reset_index()
    out[schema.PHASE] = out[schema.PHASE].astype(np.int64)
    by = connected.groupby(connected[schema.PHASE].astype(int))
    kind = connected.get(LOAD_KIND, pd.Series("building", index=connected.index))
    is_cluster = (kind == "cluster").groupby(connected[schema.PHASE].astype(int)).sum()
    out.insert(1, "start_year", out[schema.PHASE].map(econ_phases.set_index("phase")["start_year"]))
    out["n_loads"] = out[schema.PHASE].map(by.size()).fillna(0).astype(np.int64)
    out["n_clusters"] = out[schema.PHASE].map(is_cluster).fillna(0).astype(np.int64)
    plant = {p.phase: p for p in plants}
    losses = _increments([p.losses_mwh_per_a for p in plants], "network losses")
    loss_by = {p.phase: losses[i] for i, p in enumerate(plants)}
    out["network_losses_mwh_per_a"] = out[schema.PHASE].map(loss_by).fillna(0.0)
    out["peak_demand_kw"] = out[schema.PHASE].map(
        {k: p.result.peak_load_kw for k, p in plant.items()}
    )
    out["low_carbon_share_pct"] = out[schema.PHASE].map(
        {k: p.result.low_carbon_share_pct for k, p in plant.items()}
    )
    caps = plant_capacities(plants)
    out["hp_capacity_added_kw"] = out[schema.PHASE].map(
        {k: c.hp_capacity_kw for k, c in caps.items()}
    )
    out["boiler_capacity_added_kw"] = out[schema.PHASE].map(
        {k: c.boiler_capacity_kw for k, c in caps.items()}
    )
    ep = econ_phases.set_index("phase")
    for col in ("electricity_mwh_per_a", "gas_mwh_per_a", "heat_pump_heat_mwh_per_a"):
        out[col] = out[schema.PHASE].map(ep[col])
    capex = cost.lines.groupby(cost.lines["phase"].astype(int))["total_gbp"].sum()
    out[schema.CAPEX_GBP] = out[schema.PHASE].map(capex).fillna(0.0)
    out["cumulative_capex_gbp"] = out[schema.CAPEX_GBP].cumsum()
    return out


def select_loads(
    buildings: gpd.GeoDataFrame, *, anchor_threshold_mwh_per_a: float, min_loads: int = 2
) -> gpd.GeoDataFrame:
    """Choose the buildings the spine connects: the anchor loads.

    Parameters
    ----------
    buildings
        Buildings with demand.
    anchor_threshold_mwh_per_a
        Annual demand from which a building is an anchor load.
    min_loads
        Where fewer buildings reach the threshold, the largest ``min_loads`` loads are taken
        (logged), so that small areas still get a route.

    Returns
    -------
    loads
        The selected buildings, largest first.

    Examples
    --------
    >>> from heatmap.pipeline import select_loads
    >>> from shapely.geometry import Point
    >>> b = gpd.GeoDataFrame(
    ...     {"heat_demand_mwh_per_a": [120.0, 21.1, 650.0, 540.0, 0.0]},
    ...     geometry=[Point(x, 0) for x in range(5)],
    ...     index=pd.Index(["a", "b", "c", "d", "e"], name="building_id"), crs="EPSG:27700")
    >>> select_loads(b, anchor_threshold_mwh_per_a=500.0).index.tolist()
    ['c', 'd']

    Where too few buildings reach the threshold the largest loads are taken instead:

    >>> select_loads(b, anchor_threshold_mwh_per_a=600.0, min_loads=3).index.tolist()
    ['c', 'd', 'a']
    """
    demand_col = buildings[schema.HEAT_DEMAND_MWH_PER_A].fillna(0.0)
    heated = buildings[demand_col > 0]
    if heated.empty:
        msg = (
            "no building in the area has a heat demand (all excluded or zero); check the "
            "buildings layer and the exclusion reasons in the buildings output"
        )
        raise InputError(msg)
    big = heated[schema.HEAT_DEMAND_MWH_PER_A] >= anchor_threshold_mwh_per_a
    if schema.INCLUDED_BY_SCENARIO in heated.columns:
        # buildings the scenario forces in are loads of their own whatever their size
        big |= heated[schema.INCLUDED_BY_SCENARIO].fillna(False).astype(bool)
    anchors = heated[big]
    if len(anchors) >= min_loads:
        return anchors.sort_values(schema.HEAT_DEMAND_MWH_PER_A, ascending=False)
    logger.info(
        "only %d building(s) reach the anchor threshold of %.0f MWh/a; connecting the %d "
        "largest loads instead",
        len(anchors),
        anchor_threshold_mwh_per_a,
        min(min_loads, len(heated)),
    )
    return heated.nlargest(min(min_loads, len(heated)), schema.HEAT_DEMAND_MWH_PER_A)


def select_phased_loads(
    buildings: gpd.GeoDataFrame,
    scenario: Scenario,
    *,
    clusters: pd.DataFrame | None = None,
    min_load_mwh_per_a: float | None = None,
) -> gpd.GeoDataFrame:
    """Choose the loads the spine connects, each with its phase, as points.

    Buildings at or above the last of ``[route] phase_thresholds_mwh_per_a`` (empty: the
    ``[demand]`` anchor threshold) are loads on their own (:func:`select_loads`, largest first);
    when ``[route] connect_viable_clusters``, each viable domestic cluster follows as one load at
    its connection point (:func:`heatmap.pipeline.phases.cluster_loads`). A load's phase is 1 +
    the number of thresholds its annual demand is below, at most the number of thresholds (so
    viable clusters smaller than the last threshold, and the largest loads taken when too few
    reach it, join the last phase).

    Parameters
    ----------
    buildings
        Buildings with demand (``n_dwellings`` and ``cluster_id`` from the cluster stage).
    scenario
        ``[route]`` phasing and cluster options, ``[demand]`` anchor threshold.
    clusters
        Screened clusters (the cluster stage's ``clusters``); no cluster loads when omitted.
    min_load_mwh_per_a
        Also take buildings down to this annual demand (below the last threshold), in the last
        phase; default: none below the last threshold.

    Returns
    -------
    loads
        Indexed by building id (cluster id for clusters): ``heat_demand_mwh_per_a``,
        ``peak_load_kw``, ``n_dwellings``, ``n_connections`` (dwellings, at least 1, of a
        building; connected dwellings of a cluster), ``phase``, ``load_kind``
        (building / cluster), ``is_anchor`` when the buildings have it, point geometry.
    """
    thresholds = scenario.route.phase_thresholds_mwh_per_a or (
        scenario.demand.anchor_threshold_mwh_per_a,
    )
    floor = (
        thresholds[-1] if min_load_mwh_per_a is None else min(thresholds[-1], min_load_mwh_per_a)
    )
    chosen = select_loads(buildings, anchor_threshold_mwh_per_a=floor)
    heat = chosen[schema.HEAT_DEMAND_MWH_PER_A].to_numpy(float)
    dwellings = (
        chosen[N_DWELLINGS].to_numpy(np.int64)
        if N_DWELLINGS in chosen.columns
        else np.zeros(len(chosen), dtype=np.int64)
    )
    columns: dict[str, Any] = {
        schema.HEAT_DEMAND_MWH_PER_A: heat,
        schema.PEAK_LOAD_KW: chosen[schema.PEAK_LOAD_KW].to_numpy(float),
        N_DWELLINGS: dwellings,
        N_CONNECTIONS: np.maximum(1, dwellings),
        schema.PHASE: np.minimum(phase_of(heat, thresholds), len(thresholds)),
        LOAD_KIND: "building",
    }
    if schema.IS_ANCHOR in chosen.columns:
        columns[schema.IS_ANCHOR] = chosen[schema.IS_ANCHOR].fillna(False).astype(bool).to_numpy()
    loads = gpd.GeoDataFrame(
        columns,
        geometry=chosen.geometry.representative_point().to_numpy(),
        index=chosen.index,
        crs=buildings.crs,
    )
    if not scenario.route.connect_viable_clusters or clusters is None:
        return loads
    extra = cluster_loads(buildings, clusters, exclude=chosen.index)
    if extra.empty:
        return loads
    clash = extra.index.intersection(loads.index)
    if len(clash):
        msg = f"cluster ids {list(clash)[:5]} are also building ids; rename the buildings"
        raise InputError(msg)
    extra = extra.assign(
        **{
            schema.PHASE: np.minimum(
                phase_of(extra[schema.HEAT_DEMAND_MWH_PER_A].to_numpy(float), thresholds),
                len(thresholds),
            )
        }
    )
    # is_anchor only where the buildings carry it (a NaN would read as True)
    wanted = [*loads.columns, schema.NAME, schema.USE, "diversified_peak_kw", schema.CLUSTER_ID]
    keep = [c for c in wanted if c in extra.columns]
    logger.info(
        "%d viable cluster(s) connect %d dwellings (%.0f MWh/a)",
        len(extra),
        int(extra[N_CONNECTIONS].sum()),
        float(extra[schema.HEAT_DEMAND_MWH_PER_A].sum()),
    )
    out = pd.concat([loads, extra[keep]])
    return gpd.GeoDataFrame(out, geometry="geometry", crs=buildings.crs)
