"""Pipe sizing, hydraulics and heat losses, and the CAPEX bill of quantities."""

from __future__ import annotations

from heatmap.design import costing as costing
from heatmap.design import physics as physics
from heatmap.design import rates as rates
from heatmap.design import sizing as sizing
from heatmap.design.costing import CostBreakdown as CostBreakdown
from heatmap.design.costing import CostParams as CostParams
from heatmap.design.costing import PlantCapacities as PlantCapacities
from heatmap.design.costing import cost_capex as cost_capex
from heatmap.design.costing import load_cost_rates as load_cost_rates
from heatmap.design.costing import load_pipe_rates as load_pipe_rates
from heatmap.design.costing import table50 as table50
from heatmap.design.physics import darcy_friction_factor as darcy_friction_factor
from heatmap.design.physics import design_flow_kg_per_s as design_flow_kg_per_s
from heatmap.design.physics import pair_loss_coefficient_w_per_mk as pair_loss_coefficient_w_per_mk
from heatmap.design.physics import pressure_gradient_pa_per_m as pressure_gradient_pa_per_m
from heatmap.design.physics import water_properties as water_properties
from heatmap.design.rates import pipe_capex_gbp as pipe_capex_gbp
from heatmap.design.sizing import SizingParams as SizingParams
from heatmap.design.sizing import SizingResult as SizingResult
from heatmap.design.sizing import diversity_factor as diversity_factor
from heatmap.design.sizing import dn_table as dn_table
from heatmap.design.sizing import heat_loss_w_per_m as heat_loss_w_per_m
from heatmap.design.sizing import load_pipe_catalogue as load_pipe_catalogue
from heatmap.design.sizing import size_pipes as size_pipes
from heatmap.design.sizing import temperature_regime as temperature_regime

__all__ = [
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
    "pair_loss_coefficient_w_per_mk",
    "physics",
    "pipe_capex_gbp",
    "pressure_gradient_pa_per_m",
    "rates",
    "size_pipes",
    "sizing",
    "table50",
    "temperature_regime",
    "water_properties",
]
