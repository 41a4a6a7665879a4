"""Hourly dispatch of heat pumps, thermal store and boilers, and the plant sizing sweep."""

from __future__ import annotations

from heatmap.plant import merit_order as merit_order
from heatmap.plant import operation as operation
from heatmap.plant import params as params
from heatmap.plant import ratings as ratings
from heatmap.plant import sources as sources
from heatmap.plant import sweep as sweep
from heatmap.plant import tariffs as tariffs
from heatmap.plant._types import DispatchResult as DispatchResult
from heatmap.plant._types import SweepResult as SweepResult
from heatmap.plant.operation import dispatch as dispatch
from heatmap.plant.operation import dispatch_summary as dispatch_summary
from heatmap.plant.operation import write_dispatch_csv as write_dispatch_csv
from heatmap.plant.params import DispatchParams as DispatchParams
from heatmap.plant.ratings import boiler_capacity_n_plus_1_kw as boiler_capacity_n_plus_1_kw
from heatmap.plant.ratings import cop as cop
from heatmap.plant.ratings import downtime_start_days as downtime_start_days
from heatmap.plant.ratings import hp_available as hp_available
from heatmap.plant.ratings import hp_modules as hp_modules
from heatmap.plant.ratings import store_capacity_kwh as store_capacity_kwh
from heatmap.plant.ratings import store_volume_m3 as store_volume_m3
from heatmap.plant.sources import source_temperature_c as source_temperature_c
from heatmap.plant.sweep import hp_capacity_for_share as hp_capacity_for_share
from heatmap.plant.sweep import sizing_sweep as sizing_sweep
from heatmap.plant.tariffs import electricity_prices_gbp_per_mwh as electricity_prices_gbp_per_mwh

__all__ = [
    "DispatchParams",
    "DispatchResult",
    "SweepResult",
    "boiler_capacity_n_plus_1_kw",
    "cop",
    "dispatch",
    "dispatch_summary",
    "downtime_start_days",
    "electricity_prices_gbp_per_mwh",
    "hp_available",
    "hp_capacity_for_share",
    "hp_modules",
    "merit_order",
    "operation",
    "params",
    "ratings",
    "sizing_sweep",
    "source_temperature_c",
    "sources",
    "store_capacity_kwh",
    "store_volume_m3",
    "sweep",
    "tariffs",
    "write_dispatch_csv",
]
