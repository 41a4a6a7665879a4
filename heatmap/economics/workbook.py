"""The techno-economic model workbook (``tem.xlsx``) with live NPV / IRR formulas."""

from __future__ import annotations

import dataclasses
import os
from typing import TYPE_CHECKING

import pandas as pd

from heatmap._io import atomic_path

if TYPE_CHECKING:
    from heatmap.economics._types import EconomicsResult

__all__ = ["CASHFLOW_COLUMNS", "write_tem_xlsx"]

# Cashflow sheet columns (letter, result column); net and social cashflow are live formulas.
CASHFLOW_COLUMNS = (
    ("A", "year"),
    ("B", "capex_gbp"),
    ("C", "replacement_gbp"),
    ("D", "grant_gbp"),
    ("E", "connection_charges_gbp"),
    ("F", "revenue_fixed_gbp"),
    ("G", "revenue_variable_gbp"),
    ("H", "electricity_cost_gbp"),
    ("I", "gas_cost_gbp"),
    ("J", "om_gbp"),
    ("K", "net_cashflow_gbp"),
    ("L", "social_benefit_gbp"),
    ("M", "social_cashflow_gbp"),
)


def _frame_sheet(wb: object, title: str, df: pd.DataFrame) -> None:
    ws = wb.create_sheet(title)  # type: ignore[attr-defined]
    ws.append([str(c) for c in df.columns])
    for row in df.itertuples(index=False):
        ws.append(
            [
                None
                if (isinstance(v, float) and v != v)
                else (v.item() if hasattr(v, "item") else v)
                for v in row
            ]
        )


def write_tem_xlsx(
    result: EconomicsResult, path: str | os.PathLike[str], *, overwrite: bool = False
) -> None:
    """Write the TEM workbook: assumptions, CAPEX, live cashflow, carbon, grants, sensitivities.

    The Results sheet computes NPV as ``=K2+NPV(rate,K3:Kn)`` and IRR as ``=IRR(K2:Kn)`` from the
    Cashflow sheet, where the net cashflow column is itself a formula of the cost and revenue
    columns and the discount rate lives in Assumptions!B2, so an auditor can change any input cell.
    Python's values sit beside each formula for comparison.

    Parameters
    ----------
    result
        Output of :func:`heatmap.economics.evaluate`.
    path
        ``.xlsx`` file to write (atomically).
    overwrite
        Replace an existing file.
    """
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Assumptions"
    ws.append(["parameter", "value", "meaning", "source"])
    p = result.params
    ws.append(
        [
            "discount_rate_pct",
            p.discount_rate_pct,
            "discount rate for NPV, % per year",
            "used by Results formulas",
        ]
    )
    for f in dataclasses.fields(p):
        if f.name == "discount_rate_pct":
            continue
        v = getattr(p, f.name)
        value = v if isinstance(v, int | float | str | bool) or v is None else str(v)
        ws.append([f.name, value, f.metadata.get("doc", ""), f.metadata.get("source", "")])

    capex = result.capex_by_phase.copy()
    capex.columns = [f"phase_{c}_gbp" for c in capex.columns]
    _frame_sheet(wb, "CAPEX", capex.reset_index())

    cf = result.cashflow
    ws = wb.create_sheet("Cashflow")
    ws.append([name for _, name in CASHFLOW_COLUMNS])
    names = [name for _, name in CASHFLOW_COLUMNS]
    for i, rec in enumerate(cf[names].to_numpy(dtype=float).tolist(), start=2):
        vals: list[object] = [int(rec[0]), *rec[1:]]
        vals[10] = f"=-B{i}-C{i}+D{i}+E{i}+F{i}+G{i}-H{i}-I{i}-J{i}"
        vals[12] = f"=K{i}+L{i}"
        ws.append(vals)

    ws = wb.create_sheet("Results")
    ws.append(
        [
            "horizon_years",
            "npv_gbp",
            "irr",
            "social_npv_gbp",
            "social_irr",
            "python_npv_gbp",
            "python_irr_pct",
            "python_social_npv_gbp",
            "python_social_irr_pct",
            "payback_years",
            "net_income_gbp",
        ]
    )
    rate = "Assumptions!$B$2/100"
    for h in sorted(result.npv_gbp):
        last = h + 1
        ws.append(
            [
                h,
                f"=Cashflow!K2+NPV({rate},Cashflow!K3:K{last})",
                f"=IRR(Cashflow!K2:K{last})",
                f"=Cashflow!M2+NPV({rate},Cashflow!M3:M{last})",
                f"=IRR(Cashflow!M2:M{last})",
                result.npv_gbp[h],
                result.irr_pct[h],
                result.social_npv_gbp[h],
                result.social_irr_pct[h],
                result.payback_years[h],
                result.net_income_gbp[h],
            ]
        )
    carbon_cols = [
        "year",
        "heat_sold_mwh",
        "electricity_mwh",
        "gas_mwh",
        "grid_carbon_g_per_kwh",
        "network_co2e_t",
        "bau_co2e_t",
        "co2e_savings_t",
        "carbon_value_gbp_per_t",
    ]
    _frame_sheet(wb, "Carbon", cf[carbon_cols])
    _frame_sheet(wb, "GrantTests", result.grant_tests)
    _frame_sheet(wb, "Tariffs", result.tariffs)
    if not result.sensitivities.empty:
        _frame_sheet(wb, "Sensitivities", result.sensitivities)
    with atomic_path(path, overwrite=overwrite) as tmp:
        wb.save(tmp)
