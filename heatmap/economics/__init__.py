"""Tariffs, cashflows, NPV/IRR/LCOH, carbon, grant tests, sensitivities and the techno-economic
workbook.
"""

from __future__ import annotations

from heatmap.economics import appraisal as appraisal
from heatmap.economics import evaluation as evaluation
from heatmap.economics import finance as finance
from heatmap.economics import tables as tables
from heatmap.economics import workbook as workbook
from heatmap.economics.appraisal import EconomicsInputs as EconomicsInputs
from heatmap.economics.appraisal import EconomicsParams as EconomicsParams
from heatmap.economics.appraisal import EconomicsResult as EconomicsResult
from heatmap.economics.appraisal import cashflow as cashflow
from heatmap.economics.appraisal import evaluate as evaluate
from heatmap.economics.appraisal import irr as irr
from heatmap.economics.appraisal import npv as npv
from heatmap.economics.appraisal import plot_cashflow as plot_cashflow
from heatmap.economics.appraisal import plot_tornado as plot_tornado
from heatmap.economics.appraisal import sensitivity_table as sensitivity_table
from heatmap.economics.appraisal import simple_payback_years as simple_payback_years
from heatmap.economics.appraisal import subset_phases as subset_phases
from heatmap.economics.appraisal import tariffs as tariffs
from heatmap.economics.appraisal import write_tem_xlsx as write_tem_xlsx
from heatmap.economics.tables import carbon_values_gbp_per_t as carbon_values_gbp_per_t
from heatmap.economics.tables import grid_carbon_g_per_kwh as grid_carbon_g_per_kwh
from heatmap.economics.tables import load_table as load_table
from heatmap.economics.tables import price_index as price_index
from heatmap.economics.tables import wang2018 as wang2018
from heatmap.economics.workbook import CASHFLOW_COLUMNS as CASHFLOW_COLUMNS

__all__ = [
    "CASHFLOW_COLUMNS",
    "EconomicsInputs",
    "EconomicsParams",
    "EconomicsResult",
    "appraisal",
    "carbon_values_gbp_per_t",
    "cashflow",
    "evaluate",
    "evaluation",
    "finance",
    "grid_carbon_g_per_kwh",
    "irr",
    "load_table",
    "npv",
    "plot_cashflow",
    "plot_tornado",
    "price_index",
    "sensitivity_table",
    "simple_payback_years",
    "subset_phases",
    "tables",
    "tariffs",
    "wang2018",
    "workbook",
    "write_tem_xlsx",
]
