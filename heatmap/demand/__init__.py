"""Heat demand per building.

Use classification, floor area, benchmarks, annual demand and peaks, hourly profiles.
"""

from __future__ import annotations

from heatmap.demand import annual as annual
from heatmap.demand import benchmarks as benchmarks
from heatmap.demand import classify as classify
from heatmap.demand import climate as climate
from heatmap.demand import estimate as estimate
from heatmap.demand import floors as floors
from heatmap.demand import params as params
from heatmap.demand import peaks as peaks
from heatmap.demand import profiles as profiles
from heatmap.demand import quality as quality
from heatmap.demand import report as report
from heatmap.demand import summary as summary
from heatmap.demand import use as use
from heatmap.demand import walls as walls
from heatmap.demand.annual import estimate_demand as estimate_demand
from heatmap.demand.benchmarks import age_band_from_year as age_band_from_year
from heatmap.demand.benchmarks import column as column
from heatmap.demand.benchmarks import daily_shapes as daily_shapes
from heatmap.demand.benchmarks import default_floors_table as default_floors_table
from heatmap.demand.benchmarks import domestic_benchmark_kwh_per_m2 as domestic_benchmark_kwh_per_m2
from heatmap.demand.benchmarks import domestic_benchmarks as domestic_benchmarks
from heatmap.demand.benchmarks import full_load_hours_table as full_load_hours_table
from heatmap.demand.benchmarks import tag_table as tag_table
from heatmap.demand.benchmarks import tm46_benchmarks as tm46_benchmarks
from heatmap.demand.benchmarks import year_from_start_date as year_from_start_date
from heatmap.demand.classify import classify_tags as classify_tags
from heatmap.demand.climate import degree_day_factor as degree_day_factor
from heatmap.demand.climate import domestic_degree_day_factor as domestic_degree_day_factor
from heatmap.demand.climate import site_degree_days as site_degree_days
from heatmap.demand.floors import dwellings as dwellings
from heatmap.demand.floors import floors_from_tags as floors_from_tags
from heatmap.demand.params import SINGLE_VOLUME_BUILDING_TYPES as SINGLE_VOLUME_BUILDING_TYPES
from heatmap.demand.params import UNHEATED_BUILDING_TYPES as UNHEATED_BUILDING_TYPES
from heatmap.demand.params import DemandParams as DemandParams
from heatmap.demand.peaks import diversified_peak_kw as diversified_peak_kw
from heatmap.demand.peaks import diversity_factor as diversity_factor
from heatmap.demand.profiles import HourlyProfile as HourlyProfile
from heatmap.demand.profiles import group_profile_kw as group_profile_kw
from heatmap.demand.profiles import hourly_profile as hourly_profile
from heatmap.demand.profiles import hourly_profile_kw as hourly_profile_kw
from heatmap.demand.report import DemandReport as DemandReport
from heatmap.demand.report import demand_report as demand_report
from heatmap.demand.summary import anchor_loads as anchor_loads
from heatmap.demand.summary import demand_summary as demand_summary
from heatmap.demand.use import USE_SOURCES as USE_SOURCES
from heatmap.demand.use import classify_use as classify_use
from heatmap.demand.walls import shared_walls as shared_walls
from heatmap.ingest.demand_layer import read_demand_layer as read_demand_layer
from heatmap.ingest.demand_layer import validate_demand_layer as validate_demand_layer

__all__ = [
    "SINGLE_VOLUME_BUILDING_TYPES",
    "UNHEATED_BUILDING_TYPES",
    "USE_SOURCES",
    "DemandParams",
    "DemandReport",
    "HourlyProfile",
    "age_band_from_year",
    "anchor_loads",
    "annual",
    "benchmarks",
    "classify",
    "classify_tags",
    "classify_use",
    "climate",
    "column",
    "daily_shapes",
    "default_floors_table",
    "degree_day_factor",
    "demand_report",
    "demand_summary",
    "diversified_peak_kw",
    "diversity_factor",
    "domestic_benchmark_kwh_per_m2",
    "domestic_benchmarks",
    "domestic_degree_day_factor",
    "dwellings",
    "estimate",
    "estimate_demand",
    "floors",
    "floors_from_tags",
    "full_load_hours_table",
    "group_profile_kw",
    "hourly_profile",
    "hourly_profile_kw",
    "params",
    "peaks",
    "profiles",
    "quality",
    "read_demand_layer",
    "report",
    "shared_walls",
    "site_degree_days",
    "summary",
    "tag_table",
    "tm46_benchmarks",
    "use",
    "validate_demand_layer",
    "walls",
    "year_from_start_date",
]
