"""The scenario file and the run that chains every stage."""

from __future__ import annotations

from heatmap.pipeline import area as area
from heatmap.pipeline import candidate_params as candidate_params
from heatmap.pipeline import candidates as candidates
from heatmap.pipeline import network_plan as network_plan
from heatmap.pipeline import phases as phases
from heatmap.pipeline import plant as plant
from heatmap.pipeline import ranking as ranking
from heatmap.pipeline import results as results
from heatmap.pipeline import route_lhd as route_lhd
from heatmap.pipeline import runner as runner
from heatmap.pipeline import save as save
from heatmap.pipeline import scenario as scenario
from heatmap.pipeline import summary as summary
from heatmap.pipeline.area import EXISTING_NETWORK_SEARCH_M as EXISTING_NETWORK_SEARCH_M
from heatmap.pipeline.area import cluster_area as cluster_area
from heatmap.pipeline.area import empty_points as empty_points
from heatmap.pipeline.area import estimate_area_demand as estimate_area_demand
from heatmap.pipeline.area import existing_networks_near as existing_networks_near
from heatmap.pipeline.area import load_area as load_area
from heatmap.pipeline.area import load_weather as load_weather
from heatmap.pipeline.area import map_density as map_density
from heatmap.pipeline.area import prepare_area as prepare_area
from heatmap.pipeline.candidate_params import RANK_KEYS as RANK_KEYS
from heatmap.pipeline.candidate_params import CandidateParams as CandidateParams
from heatmap.pipeline.candidates import AreaContext as AreaContext
from heatmap.pipeline.candidates import CandidateSpec as CandidateSpec
from heatmap.pipeline.candidates import appraise_network as appraise_network
from heatmap.pipeline.candidates import appraise_specs as appraise_specs
from heatmap.pipeline.candidates import candidate_specs as candidate_specs
from heatmap.pipeline.candidates import complete_network as complete_network
from heatmap.pipeline.candidates import (
    connection_value_gbp_per_mwh_per_a as connection_value_gbp_per_mwh_per_a,
)
from heatmap.pipeline.network_plan import RoutePlan as RoutePlan
from heatmap.pipeline.network_plan import connected_buildings as connected_buildings
from heatmap.pipeline.network_plan import loads_within_capacity as loads_within_capacity
from heatmap.pipeline.network_plan import plan_route as plan_route
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
from heatmap.pipeline.ranking import CANDIDATE_COLUMNS as CANDIDATE_COLUMNS
from heatmap.pipeline.ranking import candidate_route_lines as candidate_route_lines
from heatmap.pipeline.ranking import candidate_table as candidate_table
from heatmap.pipeline.ranking import rank_candidates as rank_candidates
from heatmap.pipeline.results import NetworkResults as NetworkResults
from heatmap.pipeline.results import Results as Results
from heatmap.pipeline.route_lhd import STREET_SEGMENT_ID as STREET_SEGMENT_ID
from heatmap.pipeline.route_lhd import with_street_lhd as with_street_lhd
from heatmap.pipeline.runner import choose_candidate as choose_candidate
from heatmap.pipeline.runner import rank_area_candidates as rank_area_candidates
from heatmap.pipeline.runner import run as run
from heatmap.pipeline.save import save_results as save_results
from heatmap.pipeline.scenario import AreaParams as AreaParams
from heatmap.pipeline.scenario import Scenario as Scenario
from heatmap.pipeline.scenario import load_scenario as load_scenario
from heatmap.pipeline.scenario import scenario_from_mapping as scenario_from_mapping
from heatmap.pipeline.scenario import scenario_with_inputs as scenario_with_inputs
from heatmap.pipeline.scenario import write_template as write_template
from heatmap.pipeline.summary import summary_of as summary_of

__all__ = [
    "CANDIDATE_COLUMNS",
    "DEFAULT_START_YEAR",
    "EXISTING_NETWORK_SEARCH_M",
    "LOAD_KIND",
    "RANK_KEYS",
    "STREET_SEGMENT_ID",
    "SWEEP_HP_SHARES_OF_PEAK",
    "SWEEP_STORE_VOLUMES_M3",
    "AreaContext",
    "AreaParams",
    "CandidateParams",
    "CandidateSpec",
    "NetworkResults",
    "PlantPhase",
    "Results",
    "RoutePlan",
    "Scenario",
    "appraise_network",
    "appraise_specs",
    "area",
    "candidate_params",
    "candidate_route_lines",
    "candidate_specs",
    "candidate_table",
    "candidates",
    "capex",
    "choose_candidate",
    "cluster_area",
    "cluster_loads",
    "complete_network",
    "connected_buildings",
    "connection_value_gbp_per_mwh_per_a",
    "connections_table",
    "economics_inputs",
    "empty_points",
    "estimate_area_demand",
    "existing_networks_near",
    "load_area",
    "load_scenario",
    "load_weather",
    "loads_within_capacity",
    "map_density",
    "network_plan",
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
    "rank_area_candidates",
    "rank_candidates",
    "ranking",
    "results",
    "route_lhd",
    "run",
    "runner",
    "save",
    "save_results",
    "scenario",
    "scenario_from_mapping",
    "scenario_with_inputs",
    "select_loads",
    "select_phased_loads",
    "summary",
    "summary_of",
    "with_street_lhd",
    "write_template",
]
