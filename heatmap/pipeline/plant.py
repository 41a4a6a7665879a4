"""Plant, costing and economics glue of the pipeline.

The connected loads' hourly demand and the plant dispatched on it (on the whole network and on
the network as built up to each phase), the heat pump x store sweep, the CAPEX bill by phase and
the economics inputs with each phase's start year.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from heatmap import plant as dispatch
from heatmap import schema
from heatmap.demand import estimate as demand
from heatmap.design import costing, sizing
from heatmap.economics import appraisal as economics
from heatmap.ingest import weather
from heatmap.pipeline import phases as phasing

if TYPE_CHECKING:
    from heatmap.pipeline.scenario import Scenario

__all__ = [
    "DEFAULT_START_YEAR",
    "SWEEP_HP_SHARES_OF_PEAK",
    "SWEEP_STORE_VOLUMES_M3",
    "capex",
    "connections_table",
    "economics_inputs",
    "network_profile_kw",
    "phase_dispatch",
    "phase_years",
    "plant_dispatch",
    "plant_sweep",
]

N_CONNECTIONS = schema.N_CONNECTIONS
N_DWELLINGS = schema.N_DWELLINGS

DEFAULT_START_YEAR = 2027
"""First cashflow year when ``[economics] start_year`` is not set: a scheme planned now
would start operating no earlier than the year after next."""


def network_profile_kw(connected: pd.DataFrame, wx: weather.Weather) -> np.ndarray:
    """Hourly heat demand of a group of buildings (kW), diversified at the group level.

    Parameters
    ----------
    connected
        Loads with ``heat_demand_mwh_per_a``, ``peak_load_kw`` and ``use``; an
        ``n_connections`` column (cluster loads) counts the connections behind a row, 1 where
        blank.
    wx
        Hourly temperatures.

    Returns
    -------
    load_kw
        8,760 values honouring the group's annual total and diversified peak, f(n) × Σ peaks
        over the n connections with a peak (:func:`heatmap.demand.estimate.hourly_profile_kw`).

    Examples
    --------
    A cluster load of 100 dwellings, 300 kW of undiversified peak: f(100) = 0.6238.

    >>> from heatmap.pipeline import network_profile_kw
    >>> from heatmap.ingest.weather import synthetic_weather
    >>> cluster = pd.DataFrame({"heat_demand_mwh_per_a": [500.0], "peak_load_kw": [300.0],
    ...                         "use": ["domestic"], "n_connections": [100]})
    >>> load = network_profile_kw(cluster, synthetic_weather())
    >>> round(float(load.sum()) / 1000, 2), round(float(load.max()), 1)
    (500.0, 187.1)
    """
    annual = float(connected[schema.HEAT_DEMAND_MWH_PER_A].sum())
    peaks = connected[schema.PEAK_LOAD_KW].to_numpy(float)
    if N_CONNECTIONS in connected.columns:
        has = np.isfinite(peaks) & (peaks > 0)
        count = connected[N_CONNECTIONS].astype(float).fillna(1.0).clip(lower=1.0).to_numpy()
        n = float(count[has].sum())
        peak = float(demand.diversity_factor(n) * peaks[has].sum()) if n > 0 else 0.0
    else:
        peak = demand.diversified_peak_kw(peaks)
    domestic = connected[schema.USE].astype(str) == schema.BuildingUse.DOMESTIC
    domestic_heat = float(connected.loc[domestic, schema.HEAT_DEMAND_MWH_PER_A].sum())
    share = domestic_heat / annual if annual > 0 else 0.0
    return demand.hourly_profile_kw(annual, peak, weather=wx, domestic_share=share)


def plant_dispatch(
    connected: pd.DataFrame,
    sized: sizing.SizingResult,
    wx: weather.Weather,
    params: dispatch.DispatchParams,
) -> dispatch.DispatchResult:
    """Dispatch stage: the connected buildings' hourly demand plus network losses.

    Network losses are spread evenly over the year (the pipes stay at their regime temperatures
    whatever the load).
    """
    return _dispatch_with_losses(
        connected, sized.annual_heat_loss_mwh_per_a, wx, _on_network(params, sized)
    )


def _dispatch_with_losses(
    connected: pd.DataFrame, losses_mwh_per_a: float, wx: weather.Weather, params: Any
) -> dispatch.DispatchResult:
    load_kw = network_profile_kw(connected, wx)
    losses_kw = losses_mwh_per_a * 1000.0 / load_kw.size
    return dispatch.dispatch(
        load_kw, params=params, losses_kw=losses_kw, air_temp_c=wx.temperature_c
    )


def _on_network(params: dispatch.DispatchParams, sized: sizing.SizingResult) -> Any:
    """Return the plant on this network: its pump power and design temperature difference."""
    delta_t = sized.params.flow_temp_c - sized.params.return_temp_c
    return dataclasses.replace(
        params,
        network_pump_kw=params.network_pump_kw or sized.pump_power_kw,
        store_delta_t_k=params.store_delta_t_k if params.store_delta_t_k is not None else delta_t,
    )


def phase_dispatch(
    connected: pd.DataFrame,
    sized: sizing.SizingResult,
    wx: weather.Weather,
    params: dispatch.DispatchParams,
) -> list[phasing.PlantPhase]:
    """Dispatch the network as built up to each phase (its loads and the pipes laid so far).

    Returns
    -------
    plants
        One cumulative dispatch per phase in phase order; the last equals
        :func:`plant_dispatch` on all the connected loads.
    """
    on_network = _on_network(params, sized)
    return phasing.plant_phases(
        connected,
        sized,
        lambda built, losses: _dispatch_with_losses(built, losses, wx, on_network),
    )


SWEEP_HP_SHARES_OF_PEAK = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
"""Heat-pump capacities tried by the plant sizing sweep, as shares of the network peak."""
SWEEP_STORE_VOLUMES_M3 = (0.0, 50.0, 100.0, 200.0, 400.0, 800.0)
"""Thermal-store volumes tried by the plant sizing sweep (m3); the study chose 200 m3."""


def plant_sweep(
    connected: pd.DataFrame,
    sized: sizing.SizingResult,
    wx: weather.Weather,
    params: dispatch.DispatchParams,
) -> dispatch.SweepResult:
    """Heat pump x store sizing sweep on the same hourly load as :func:`plant_dispatch`.

    The grid spans :data:`SWEEP_HP_SHARES_OF_PEAK` of the peak load (demand plus losses) and
    :data:`SWEEP_STORE_VOLUMES_M3`; the chosen option is the least annualised cost meeting
    ``[dispatch] target_low_carbon_share_pct``. It is reported beside the dispatch of the
    scenario's own plant, which it does not replace.
    """
    load_kw = network_profile_kw(connected, wx)
    losses_kw = sized.annual_heat_loss_mwh_per_a * 1000.0 / load_kw.size
    peak_kw = float(load_kw.max()) + losses_kw
    return dispatch.sizing_sweep(
        load_kw,
        hp_capacities_kw=[round(share * peak_kw, 1) for share in SWEEP_HP_SHARES_OF_PEAK],
        store_volumes_m3=SWEEP_STORE_VOLUMES_M3,
        params=_on_network(params, sized),
        losses_kw=losses_kw,
        air_temp_c=wx.temperature_c,
    )


def connections_table(connected: pd.DataFrame) -> pd.DataFrame:
    """Connections for costing: phase, dwellings (0 for non-domestic) and peak per building."""
    dwellings = (
        connected[N_DWELLINGS].fillna(0).to_numpy(np.int64)
        if N_DWELLINGS in connected.columns
        else np.zeros(len(connected), dtype=np.int64)
    )
    return pd.DataFrame(
        {
            "phase": connected[schema.PHASE].to_numpy(np.int64),
            "n_dwellings": dwellings,
            "peak_kw": connected[schema.PEAK_LOAD_KW].to_numpy(float),
        },
        index=connected.index,
    )


def capex(
    sized: sizing.SizingResult,
    plant: dispatch.DispatchResult,
    connected: pd.DataFrame,
    scenario: Scenario,
    *,
    phases: list[phasing.PlantPhase] | None = None,
) -> costing.CostBreakdown:
    """Costing stage: network by DN and dig class, connections and the energy centre.

    With ``phases`` (:func:`phase_dispatch`), each phase's energy-centre lines cost what its
    cumulative dispatch adds to the previous phase's plant (heat pump, boilers, store, network
    peak), and the energy-centre building is built in phase 1 for the whole build's plant;
    otherwise ``plant`` is all built in phase 1.
    """
    plants: costing.PlantCapacities | dict[int, costing.PlantCapacities]
    if phases:
        plants = phasing.plant_capacities(
            phases, energy_centre_m2_per_mw=scenario.costing.energy_centre_m2_per_mw
        )
    else:
        plants = costing.PlantCapacities(
            hp_capacity_kw=plant.hp_capacity_kw,
            boiler_capacity_kw=plant.boiler_capacity_kw,
            store_volume_m3=plant.store_volume_m3,
            network_peak_kw=plant.peak_load_kw,
        )
    return costing.cost_capex(
        sized.pipes,
        plant=plants,
        connections=connections_table(connected),
        params=scenario.costing,
    )


def economics_inputs(
    connected: pd.DataFrame,
    plant: dispatch.DispatchResult,
    cost: costing.CostBreakdown,
    scenario: Scenario,
    *,
    phases: list[phasing.PlantPhase] | None = None,
) -> economics.EconomicsInputs:
    """Economics inputs: CAPEX lines by phase, per-phase energy flows and the connections.

    Each phase starts in its year (:func:`phase_years`). Heat sold in a phase is its loads'
    annual demand; its electricity, gas, heat-pump heat and capacity are what the dispatch of
    the network built up to it adds to the previous phase's (``phases``, from
    :func:`phase_dispatch`; without them, ``plant`` is the whole network in phase 1). CAPEX
    lines and connections keep their phases.
    """
    if phases is None:
        phases = [phasing.PlantPhase(1, plant, float("nan"))]
        connected = connected.assign(**{schema.PHASE: 1})
        lines = cost.lines.assign(phase=1)
    else:
        lines = cost.lines
    years = phase_years([p.phase for p in phases], scenario)
    phase_rows = phasing.economics_phases(connected, phases, years)
    domestic = connected[schema.USE].astype(str) == schema.BuildingUse.DOMESTIC
    names = connected[schema.NAME] if schema.NAME in connected.columns else None
    label = pd.Series(connected.index.astype(str), index=connected.index)
    if names is not None:
        label = names.where(names.notna() & (names.astype(str) != ""), label)
    dwellings = (
        connected[N_DWELLINGS].fillna(0).to_numpy(np.int64)
        if N_DWELLINGS in connected.columns
        else np.zeros(len(connected), dtype=np.int64)
    )
    connections = pd.DataFrame(
        {
            "name": label.astype(str).to_numpy(),
            "phase": connected[schema.PHASE].to_numpy(np.int64),
            "counterfactual": np.where(domestic, "gas_boiler", "ashp"),
            schema.HEAT_DEMAND_MWH_PER_A: connected[schema.HEAT_DEMAND_MWH_PER_A].to_numpy(float),
            "peak_kw": connected[schema.PEAK_LOAD_KW].to_numpy(float),
            "dwellings": np.maximum(dwellings, domestic.to_numpy().astype(np.int64)),
        }
    )
    lines = lines[["phase", "category", "component", "item", "total_gbp"]]
    return economics.EconomicsInputs(capex_lines=lines, phases=phase_rows, connections=connections)


def phase_years(phases: list[int], scenario: Scenario) -> dict[int, int]:
    """Start year of each phase.

    ``[economics] phase_start_years``, else phase 1 in ``[economics] start_year`` (else
    :data:`DEFAULT_START_YEAR`) and each later phase ``phase_interval_years`` after the one
    before.

    Examples
    --------
    >>> from heatmap.pipeline.scenario import Scenario
    >>> from heatmap.pipeline import phase_years
    >>> phase_years([1, 2, 3], Scenario())  # DEFAULT_START_YEAR, then every 2 years
    {1: 2027, 2: 2029, 3: 2031}
    """
    first = scenario.economics.start_year or DEFAULT_START_YEAR
    return phasing.phase_start_years(phases, scenario.economics, first=first)
