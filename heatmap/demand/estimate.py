"""Annual and peak heat demand per building, anchor loads, diversity and hourly profiles.

The historical import path of the demand stage's functions; they live in
:mod:`heatmap.demand.annual` (annual demand), :mod:`heatmap.demand.params`,
:mod:`heatmap.demand.peaks`, :mod:`heatmap.demand.profiles` and :mod:`heatmap.demand.summary`.
"""

from __future__ import annotations

from heatmap.demand.annual import degree_day_factor, estimate_demand
from heatmap.demand.benchmarks import domestic_benchmark_kwh_per_m2
from heatmap.demand.params import DemandParams
from heatmap.demand.peaks import diversified_peak_kw, diversity_factor
from heatmap.demand.profiles import (
    HourlyProfile,
    group_profile_kw,
    hourly_profile,
    hourly_profile_kw,
)
from heatmap.demand.summary import anchor_loads, demand_summary
from heatmap.ingest.demand_layer import read_demand_layer, validate_demand_layer

__all__ = [
    "DemandParams",
    "HourlyProfile",
    "anchor_loads",
    "degree_day_factor",
    "demand_summary",
    "diversified_peak_kw",
    "diversity_factor",
    "domestic_benchmark_kwh_per_m2",
    "estimate_demand",
    "group_profile_kw",
    "hourly_profile",
    "hourly_profile_kw",
    "read_demand_layer",
    "validate_demand_layer",
]
