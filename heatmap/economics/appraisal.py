"""The techno-economic appraisal API under its earlier module path.

The model lives in :mod:`heatmap.economics.params` (scenario keys), ``_types`` (inputs and
result), ``sales_tariffs``, ``cashflows``, ``evaluation``, ``grant_tests``, ``sensitivity`` and
``workbook``; this module re-exports their public names. Figures are in
:mod:`heatmap.outputs.economics_figures`.
"""

from __future__ import annotations

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
from heatmap.economics.workbook import write_tem_xlsx as write_tem_xlsx

__all__ = [
    "EconomicsInputs",
    "EconomicsParams",
    "EconomicsResult",
    "cashflow",
    "evaluate",
    "irr",
    "npv",
    "sensitivity_table",
    "simple_payback_years",
    "subset_phases",
    "tariffs",
    "write_tem_xlsx",
]
