"""Tariffs, cashflows, NPV/IRR/LCOH, carbon, grant tests, sensitivities and the workbook."""

from __future__ import annotations

from heatmap.economics import appraisal as appraisal
from heatmap.economics import cashflows as cashflows
from heatmap.economics import evaluation as evaluation
from heatmap.economics import finance as finance
from heatmap.economics import grant_tests as grant_tests
from heatmap.economics import params as params
from heatmap.economics import sales_tariffs as sales_tariffs
from heatmap.economics import sensitivity as sensitivity
from heatmap.economics import tables as tables
from heatmap.economics import workbook as workbook
from heatmap.economics._types import EconomicsInputs as EconomicsInputs
from heatmap.economics._types import EconomicsResult as EconomicsResult
from heatmap.economics._types import subset_phases as subset_phases
from heatmap.economics.cashflows import cashflow as cashflow
from heatmap.economics.evaluation import evaluate as evaluate
from heatmap.economics.finance import irr as irr
from heatmap.economics.finance import npv as npv
from heatmap.economics.finance import simple_payback_years as simple_payback_years
from heatmap.economics.params import EconomicsParams as EconomicsParams
from heatmap.economics.sales_tariffs import tariffs as tariffs
from heatmap.economics.sensitivity import sensitivity_table as sensitivity_table
from heatmap.economics.tables import carbon_values_gbp_per_t as carbon_values_gbp_per_t
from heatmap.economics.tables import grid_carbon_g_per_kwh as grid_carbon_g_per_kwh
from heatmap.economics.tables import load_table as load_table
from heatmap.economics.tables import price_index as price_index
from heatmap.economics.tables import wang2018 as wang2018
from heatmap.economics.workbook import CASHFLOW_COLUMNS as CASHFLOW_COLUMNS
from heatmap.economics.workbook import write_tem_xlsx as write_tem_xlsx

__all__ = [
    "CASHFLOW_COLUMNS",
    "EconomicsInputs",
    "EconomicsParams",
    "EconomicsResult",
    "appraisal",
    "carbon_values_gbp_per_t",
    "cashflow",
    "cashflows",
    "evaluate",
    "evaluation",
    "finance",
    "grant_tests",
    "grid_carbon_g_per_kwh",
    "irr",
    "load_table",
    "npv",
    "params",
    "price_index",
    "sales_tariffs",
    "sensitivity",
    "sensitivity_table",
    "simple_payback_years",
    "subset_phases",
    "tables",
    "tariffs",
    "wang2018",
    "workbook",
    "write_tem_xlsx",
]
