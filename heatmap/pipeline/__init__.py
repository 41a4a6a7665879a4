"""The scenario file and the run that chains every stage."""

from __future__ import annotations

from heatmap.pipeline import phases as phases
from heatmap.pipeline import plant as plant
from heatmap.pipeline import runner as runner
from heatmap.pipeline import save as save
from heatmap.pipeline import scenario as scenario
from heatmap.pipeline.phases import LOAD_KIND as LOAD_KIND
from heatmap.pipeline.phases import PlantPhase as PlantPhase
from heatmap.pipeline.phases import cluster_loads as cluster_loads
from heatmap.pipeline.phases import phase_of as phase_of
from heatmap.pipeline.phases import phase_start_years as phase_start_years
from heatmap.pipeline.phases import phase_table as phase_table
from heatmap.pipeline.phases import plant_phases as plant_phases
from heatmap.pipeline.phases import select_loads as select_loads
from heatmap.pipeline.phases import select_phased_loads as select_phased_loads
from heatmap.pipeline.plant import DEFAULT_START_YEAR as DEFAULT_START_YEAR
from heatmap.pipeline.plant import SWEEP_HP_SHARES_OF_PEAK as SWEEP_HP_SHARES_OF_PEAK
from heatmap.pipeline.plant import SWEEP_STORE_VOLUMES_M3 as SWEEP_STORE_VOLUMES_M3
from heatmap.pipeline.plant import capex as capex
from heatmap.pipeline.plant import connections_table as connections_table
from heatmap.pipeline.plant import economics_inputs as economics_inputs
from heatmap.pipeline.plant import network_profile_kw as network_profile_kw
from heatmap.pipeline.plant import phase_dispatch as phase_dispatch
from heatmap.pipeline.plant import phase_years as phase_years
from heatmap.pipeline.plant import plant_dispatch as plant_dispatch
from heatmap.pipeline.plant import plant_sweep as plant_sweep
from heatmap.pipeline.runner import Results as Results
from heatmap.pipeline.runner import RoutePlan as RoutePlan
from heatmap.pipeline.runner import cluster_area as cluster_area
from heatmap.pipeline.runner import connected_buildings as connected_buildings
from heatmap.pipeline.runner import estimate_area_demand as estimate_area_demand
from heatmap.pipeline.runner import load_area as load_area
from heatmap.pipeline.runner import load_weather as load_weather
from heatmap.pipeline.runner import loads_within_capacity as loads_within_capacity
from heatmap.pipeline.runner import map_density as map_density
from heatmap.pipeline.runner import plan_route as plan_route
from heatmap.pipeline.runner import prepare_area as prepare_area
from heatmap.pipeline.runner import run as run
from heatmap.pipeline.runner import summary_of as summary_of
from heatmap.pipeline.save import save_results as save_results
from heatmap.pipeline.scenario import AreaParams as AreaParams
from heatmap.pipeline.scenario import Scenario as Scenario
from heatmap.pipeline.scenario import load_scenario as load_scenario
from heatmap.pipeline.scenario import scenario_from_mapping as scenario_from_mapping
from heatmap.pipeline.scenario import write_template as write_template

__all__ = [
    "DEFAULT_START_YEAR",
    "LOAD_KIND",
    "SWEEP_HP_SHARES_OF_PEAK",
    "SWEEP_STORE_VOLUMES_M3",
    "AreaParams",
    "PlantPhase",
    "Results",
    "RoutePlan",
    "Scenario",
    "capex",
    "cluster_area",
    "cluster_loads",
    "connected_buildings",
    "connections_table",
    "economics_inputs",
    "estimate_area_demand",
    "load_area",
    "load_scenario",
    "load_weather",
    "loads_within_capacity",
    "map_density",
    "network_profile_kw",
    "phase_dispatch",
    "phase_of",
    "phase_start_years",
    "phase_table",
    "phase_years",
    "phases",
    "plan_route",
    "plant",
    "plant_dispatch",
    "plant_phases",
    "plant_sweep",
    "prepare_area",
    "run",
    "runner",
    "save",
    "save_results",
    "scenario",
    "scenario_from_mapping",
    "select_loads",
    "select_phased_loads",
    "summary_of",
    "write_template",
]
