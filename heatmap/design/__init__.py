"""Pipe sizing, hydraulics and heat losses, and the CAPEX bill of quantities."""

from __future__ import annotations

from heatmap.design import costing as costing
from heatmap.design import physics as physics
from heatmap.design import pipe_catalogue as pipe_catalogue
from heatmap.design import rates as rates
from heatmap.design import sizing as sizing
from heatmap.design import table50 as table50_module
from heatmap.design._types import REPLACEMENT_COMPONENTS as REPLACEMENT_COMPONENTS
from heatmap.design._types import CostBreakdown as CostBreakdown
from heatmap.design._types import CostParams as CostParams
from heatmap.design._types import PlantCapacities as PlantCapacities
from heatmap.design._types import SizingParams as SizingParams
from heatmap.design._types import SizingResult as SizingResult
from heatmap.design.costing import cost_capex as cost_capex
from heatmap.design.physics import darcy_friction_factor as darcy_friction_factor
from heatmap.design.physics import design_flow_kg_per_s as design_flow_kg_per_s
from heatmap.design.physics import pair_loss_coefficient_w_per_mk as pair_loss_coefficient_w_per_mk
from heatmap.design.physics import pressure_gradient_pa_per_m as pressure_gradient_pa_per_m
from heatmap.design.physics import water_properties as water_properties
from heatmap.design.pipe_catalogue import heat_loss_w_per_m as heat_loss_w_per_m
from heatmap.design.pipe_catalogue import load_pipe_catalogue as load_pipe_catalogue
from heatmap.design.pipe_catalogue import max_capacity_kw as max_capacity_kw
from heatmap.design.pipe_catalogue import temperature_regime as temperature_regime
from heatmap.design.rates import load_cost_rates as load_cost_rates
from heatmap.design.rates import load_pipe_rates as load_pipe_rates
from heatmap.design.rates import pipe_capex_gbp as pipe_capex_gbp
from heatmap.design.sizing import diversity_factor as diversity_factor
from heatmap.design.sizing import dn_table as dn_table
from heatmap.design.sizing import size_pipes as size_pipes
from heatmap.design.table50 import table50 as table50

__all__ = [
    "REPLACEMENT_COMPONENTS",
    "CostBreakdown",
    "CostParams",
    "PlantCapacities",
    "SizingParams",
    "SizingResult",
    "cost_capex",
    "costing",
    "darcy_friction_factor",
    "design_flow_kg_per_s",
    "diversity_factor",
    "dn_table",
    "heat_loss_w_per_m",
    "load_cost_rates",
    "load_pipe_catalogue",
    "load_pipe_rates",
    "max_capacity_kw",
    "pair_loss_coefficient_w_per_mk",
    "physics",
    "pipe_capex_gbp",
    "pipe_catalogue",
    "pressure_gradient_pa_per_m",
    "rates",
    "size_pipes",
    "sizing",
    "table50",
    "table50_module",
    "temperature_regime",
    "water_properties",
]
