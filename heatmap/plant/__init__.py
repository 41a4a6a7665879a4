"""Hourly dispatch of heat pumps, thermal store and boilers, and the plant sizing sweep."""

from __future__ import annotations

from heatmap.plant import operation as operation
from heatmap.plant import params as params
from heatmap.plant.operation import DispatchParams as DispatchParams
from heatmap.plant.operation import DispatchResult as DispatchResult
from heatmap.plant.operation import SweepResult as SweepResult
from heatmap.plant.operation import boiler_capacity_n_plus_1_kw as boiler_capacity_n_plus_1_kw
from heatmap.plant.operation import cop as cop
from heatmap.plant.operation import dispatch as dispatch
from heatmap.plant.operation import dispatch_summary as dispatch_summary
from heatmap.plant.operation import hp_available as hp_available
from heatmap.plant.operation import hp_capacity_for_share as hp_capacity_for_share
from heatmap.plant.operation import plot_annual_profile as plot_annual_profile
from heatmap.plant.operation import plot_load_duration as plot_load_duration
from heatmap.plant.operation import plot_sweep as plot_sweep
from heatmap.plant.operation import plot_typical_days as plot_typical_days
from heatmap.plant.operation import sizing_sweep as sizing_sweep
from heatmap.plant.operation import store_capacity_kwh as store_capacity_kwh
from heatmap.plant.operation import write_dispatch_csv as write_dispatch_csv

__all__ = [
    "DispatchParams",
    "DispatchResult",
    "SweepResult",
    "boiler_capacity_n_plus_1_kw",
    "cop",
    "dispatch",
    "dispatch_summary",
    "hp_available",
    "hp_capacity_for_share",
    "operation",
    "params",
    "plot_annual_profile",
    "plot_load_duration",
    "plot_sweep",
    "plot_typical_days",
    "sizing_sweep",
    "store_capacity_kwh",
    "write_dispatch_csv",
]
